# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialNames(SerialTrackingCase):
    """Rule 3: names are trimmed; empty names and control characters are refused."""

    def test_white_space_trimmed_on_create_and_write(self):
        lot = self._create_lot(self.laptop, "  SN-TRIM-1 \t")
        self.assertEqual(lot.name, "SN-TRIM-1")
        lot.write({"name": "\u00a0SN-TRIM-2  "})
        self.assertEqual(lot.name, "SN-TRIM-2")

    def test_white_space_trimmed_in_the_form(self):
        with Form(self.env["stock.lot"]) as form:
            form.name = "   SN-FORM-7   "
            form.product_id = self.laptop
        self.assertEqual(form.record.name, "SN-FORM-7")

    def test_trimmed_name_still_unique(self):
        self._create_lot(self.laptop, "SN-DUP")
        count = self.env["stock.lot"].search_count([])
        with self.assertRaises(ValidationError):
            self._create_lot(self.laptop, " SN-DUP ")
        self.assertEqual(self.env["stock.lot"].search_count([]), count)

    def test_empty_names_refused_on_create(self):
        count = self.env["stock.lot"].search_count([])
        for name in ("", "   ", "\t\n", False):
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
                self._create_lot(self.laptop, name)
            self.assertEqual(str(caught.exception), "A serial number cannot be empty.")
        self.assertEqual(self.env["stock.lot"].search_count([]), count)

    def test_control_characters_refused_on_create(self):
        count = self.env["stock.lot"].search_count([])
        for name in ("SN\t01", "SN\n01", "SN\x0001", "SN\r01", "SN\x1b01", "SN\x7f01"):
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
                self._create_lot(self.laptop, name)
            self.assertIn(
                "contains invisible control characters", str(caught.exception)
            )
        self.assertEqual(self.env["stock.lot"].search_count([]), count)

    def test_bad_names_refused_on_write(self):
        lot = self._create_lot(self.laptop, "SN-KEEP")
        for name in ("", "  ", "SN\tKEEP", "SN\nKEEP"):
            with self.subTest(name=name), self.assertRaises(ValidationError):
                lot.write({"name": name})
            self.assertEqual(lot.name, "SN-KEEP")

    def test_other_characters_accepted(self):
        for name in ("SN 01/2026-ä", "序列号-42", "A#B_C.D"):
            self.assertEqual(self._create_lot(self.laptop, name).name, name)
