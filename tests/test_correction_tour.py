# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import SerialTrackingCase
from .tour_screenshots import TourScreenshotMixin


@tagged("post_install", "-at_install")
class TestCorrectionTour(TourScreenshotMixin, SerialTrackingCase, HttpCase):
    """A wrong serial corrected from its form, in a real browser."""

    def test_correct_a_serial_from_its_form(self):
        self._receive(self.laptop, [("SN-CORR-TOUR-1", 1)], location=self.shelf)
        wrong = self._lot("SN-CORR-TOUR-1", self.laptop)
        action = self.env.ref("stock.action_production_lot_form")
        with self.screenshot_at_end("corrected_serial"):
            self.start_tour(
                f"/odoo/action-{action.id}/{wrong.id}",
                "product_serial_tracking_correction_tour",
                login="admin",
            )
        self.env.invalidate_all()
        right = self._lot("SN-CORR-TOUR-2", self.laptop)
        self.assertTrue(right)
        self.assertEqual(wrong.corrected_to_id, right)
        self.assertEqual(right.corrected_from_id, wrong)
        # The stock moved to the right serial, in the same place.
        self.assertEqual(
            self._stock(self.laptop), {("SN-CORR-TOUR-2", self.shelf.id): 1.0}
        )
        self.assertEqual(wrong.product_qty, 0.0)
