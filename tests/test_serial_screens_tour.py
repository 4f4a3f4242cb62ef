# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import SerialTrackingCase
from .tour_screenshots import TourScreenshotMixin

# Screenshots to look at (PST_SCREENSHOTS=1), at both widths: not for the readme.
REVIEW_DIR = "/tmp/product_serial_tracking_screens"
WIDTHS = ("1024x768", "1440x900")


class SerialScreensTourCase(TourScreenshotMixin, SerialTrackingCase, HttpCase):
    """Serial Numbers in a real browser: data and screenshots at both widths."""

    def setUp(self):
        super().setUp()
        self.action = self.env.ref("product_serial_tracking.stock_lot_enquiry_action")
        self._receive(self.laptop, [("SN-SCR-1", 1)])

    def _sell_received_serial(self, name):
        """A laptop serial received, then sold on a posted customer invoice."""
        self._receive(self.laptop, [(name, 1)])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.laptop.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "lot_ids": [Command.set(self._lot(name).ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _start(self, tour, login="admin", action=None, screenshot=None):
        action = action or self.action
        for width in WIDTHS if screenshot else (self.browser_size,):
            self.browser_size = width
            name = f"{screenshot}_{width.split('x')[0]}" if screenshot else None
            if name:
                with self.screenshot_at_end(name, directory=REVIEW_DIR):
                    self.start_tour(f"/odoo/action-{action.id}", tour, login=login)
            else:
                self.start_tour(f"/odoo/action-{action.id}", tour, login=login)

    def _grey_carpets(self):
        """Serials whose numbers differ only at their end, with expiry dates,
        one of them corrected (the list at 1024 px once cut them off)."""
        carpet = self._create_product(
            "Tour Grey Carpet",
            "serial",
            use_expiration_date=True,
            serial_warranty_months=24,
        )
        expiry = datetime.now() + timedelta(days=60)
        for name in ("CR-GREY-00021", "CR-GREY-00031", "CR-GREY-00032"):
            self._create_lot(carpet, name, expiration_date=expiry)
        self._receive(
            carpet, [("CR-GREY-00021", 1), ("CR-GREY-00031", 1), ("CR-GREY-00032", 1)]
        )
        self._deliver(carpet, [(self._lot("CR-GREY-00032", carpet), 1)])
        for name in ("LT-2026-000101", "LT-2026-000102"):
            self._create_lot(self.laptop, name)
        self._receive(self.laptop, [("LT-2026-000101", 1), ("LT-2026-000102", 1)])
        self.env["stock.lot.correction"].create(
            {
                "lot_id": self._lot("CR-GREY-00021", carpet).id,
                "new_name": "CR-GREY-00012",
                "reason": "Digits swapped at receipt",
            }
        ).action_apply()


@tagged("post_install", "-at_install")
class TestSerialScreensTour(SerialScreensTourCase):
    """The serial's one screen, the enquiry, in a real browser."""

    def test_row_click_opens_the_enquiry_reload_and_back_keep_it(self):
        self._start("product_serial_tracking_serial_screens_tour")

    def test_enquiry_of_a_corrected_serial(self):
        self._grey_carpets()
        self._start(
            "product_serial_tracking_serial_enquiry_form_tour", screenshot="enquiry"
        )
        self.browser_size = "1366x768"
        with self.screenshot_at_end("serial_enquiry"):
            self.start_tour(
                f"/odoo/action-{self.action.id}",
                "product_serial_tracking_serial_enquiry_form_tour",
                login="admin",
            )

    def test_timeline_of_an_invoiced_serial(self):
        invoice = self._sell_received_serial("SN-SCR-INV")
        invoice.button_draft()
        invoice.action_post()
        self._start(
            "product_serial_tracking_serial_timeline_tour", screenshot="timeline"
        )
