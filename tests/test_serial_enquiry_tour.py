# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialEnquiryTour(SerialTrackingCase, HttpCase):
    """Serial Numbers in a real browser: search, row menu, enquiry."""

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-TOUR-1", 1), ("SN-TOUR-2", 1)])
        self.action = self.env.ref("product_serial_tracking.stock_lot_enquiry_action")

    def test_search_and_open_the_enquiry(self):
        # readme/serial_enquiry.png: TestSerialScreensTour.
        self.start_tour(
            f"/odoo/action-{self.action.id}",
            "product_serial_tracking_serial_enquiry",
            login="admin",
        )

    def test_serial_numbers_list(self):
        # readme/serial_numbers.png: TestSerialScreensTour.
        self.start_tour(
            f"/odoo/action-{self.action.id}",
            "product_serial_tracking_enquiry_list_tour",
            login="admin",
        )

    def test_row_menu_of_a_stock_user(self):
        new_test_user(
            self.env, login="tour_stock_user", groups="stock.group_stock_user"
        )
        self.start_tour(
            f"/odoo/action-{self.action.id}",
            "product_serial_tracking_serial_row_menu_user",
            login="tour_stock_user",
        )
