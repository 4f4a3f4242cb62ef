# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest-odoo checks on the installed test database (run by `make test`)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools.sql import index_exists


@tagged("post_install", "-at_install")
class TestInstalledSchema(TransactionCase):
    def test_unique_serial_index_installed(self):
        self.assertTrue(
            index_exists(self.env.cr, "stock_lot_unique_serial_per_product_company")
        )

    def test_lots_and_serials_shown_to_internal_users(self):
        self.assertIn(
            self.env.ref("stock.group_production_lot"),
            self.env.ref("base.group_user").implied_ids,
        )
