# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .test_serial_screens import (
    LIST_VIEW,
    SerialScreensCase,
)


@tagged("post_install", "-at_install")
class TestSerialScreensList(SerialScreensCase):
    """The Serial Numbers list: its columns, pivot and graph, and the
    invoicing users' menu."""

    def test_list_columns(self):
        arch = self._arch(LIST_VIEW, "list")
        self.assertEqual(
            arch.xpath("//field[@name='product_tracking']")[0].get("optional"), "hide"
        )
        self.assertEqual(
            arch.xpath("//field[@name='expiration_date']")[0].get("options"),
            "{'show_time': False}",
        )
