# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common_serial_import import LAPTOP_EAN, SerialImportCase
from .tour_screenshots import TourScreenshotMixin

# Screenshots to look at (PST_SCREENSHOTS=1), at both widths: not for the readme.
REVIEW_DIR = "/tmp/product_serial_tracking_screens"
WIDTHS = ("1024x768", "1440x900")


@tagged("post_install", "-at_install")
class TestSerialImportTour(TourScreenshotMixin, SerialImportCase, HttpCase):
    """Import Serials and GS1 scans in a real browser."""

    def setUp(self):
        super().setUp()
        self.receipt = self._draft_receipt((self.laptop, 2))
        self.url = (
            f"/odoo/action-{self.env.ref('stock.action_picking_tree_all').id}"
            f"/{self.receipt.id}"
        )

    def test_receipt_import_gs1_lines_and_validate(self):
        self.start_tour(
            self.url, "product_serial_tracking_serial_import_tour", login="admin"
        )
        self.env.invalidate_all()
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(
            self._stock(self.laptop),
            {
                ("SN-TOUR-GS1-1", self.stock_location.id): 1.0,
                ("SN-TOUR-GS1-2", self.stock_location.id): 1.0,
            },
        )

    def test_screens_of_the_button_and_the_wizard(self):
        for width in WIDTHS:
            self.browser_size = width
            size = width.split("x")[0]
            for tour, name in (
                ("product_serial_tracking_serial_import_receipt_tour", "receipt"),
                ("product_serial_tracking_serial_import_open_tour", "wizard"),
                ("product_serial_tracking_serial_import_refused_tour", "refused"),
            ):
                with self.screenshot_at_end(
                    f"serial_import_{name}_{size}", directory=REVIEW_DIR
                ):
                    self.start_tour(self.url, tour, login="admin")
        self.browser_size = "1366x768"
        with self.screenshot_at_end("import_serials"):
            self.start_tour(
                self.url,
                "product_serial_tracking_serial_import_open_tour",
                login="admin",
            )

    def test_invoice_line_scan_into_the_serial_field_and_post(self):
        self.env["res.partner"].create({"name": "Tour Scan Customer"})
        product = self._create_product(
            "Tour Scan Laptop", "serial", list_price=500.0, barcode="0" + LAPTOP_EAN
        )
        self.laptop.barcode = False
        self._receive(product, [("SN-INV-SCAN-1", 1), ("SN-INV-SCAN-2", 1)])
        action = self.env.ref("account.action_move_out_invoice_type")
        self.start_tour(
            f"/odoo/action-{action.id}/new",
            "product_serial_tracking_invoice_scan_tour",
            login="admin",
        )
        invoice = self.env["account.move"].search(
            [("partner_id.name", "=", "Tour Scan Customer")]
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            invoice.invoice_line_ids.lot_ids, self._lot("SN-INV-SCAN-1", product)
        )
