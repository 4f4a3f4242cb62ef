# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .test_serial_screens_tour import SerialScreensTourCase


@tagged("post_install", "-at_install")
class TestSerialListTour(SerialScreensTourCase):
    """The Serial Numbers list, its pivot and graph, in a real browser."""

    def test_search_without_match_says_so(self):
        self._start("product_serial_tracking_serial_no_match_tour")

    def test_a_scanned_serial_its_start_and_a_part(self):
        self._grey_carpets()
        self._start("product_serial_tracking_serial_scan_search_tour")
        self._start(
            "product_serial_tracking_serial_search_choices_tour",
            screenshot="search_choices",
        )

    def test_list_shows_whole_serial_numbers(self):
        self._grey_carpets()
        self._start("product_serial_tracking_serial_list_tour", screenshot="list")
        # The readme's screenshot, at the browser's usual size.
        self.browser_size = "1366x768"
        with self.screenshot_at_end("serial_numbers"):
            self.start_tour(
                f"/odoo/action-{self.action.id}",
                "product_serial_tracking_serial_list_tour",
                login="admin",
            )

    def test_pivot_and_graph(self):
        self._grey_carpets()
        self._start("product_serial_tracking_serial_pivot_tour", screenshot="pivot")
        self._start("product_serial_tracking_serial_graph_tour", screenshot="graph")

    def test_invoicing_user_reaches_invoiced_serials(self):
        self._sell_received_serial("SN-SCR-INV")
        new_test_user(
            self.env,
            login="tour_invoicer",
            groups="base.group_user,account.group_account_invoice",
        )
        self._start(
            "product_serial_tracking_serial_invoicing_tour",
            login="tour_invoicer",
            action=self.env.ref(
                "product_serial_tracking.stock_lot_enquiry_action_invoicing"
            ),
        )
