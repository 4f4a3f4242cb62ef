# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_serial_import import LAPTOP_EAN, SerialImportCase

FNC1 = "\x1d"
LAPTOP_GTIN = "0" + LAPTOP_EAN
PHONE_GTIN = "07612345678900"


@tagged("post_install", "-at_install")
class TestSerialGs1Scans(SerialImportCase):
    """A GS1 code scanned into a serial field finds, creates or fills the
    serial it carries; a plain scan works as before."""

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-SCAN-1", 1), ("SN-SAME", 1)])
        self._receive(self.phone, [("SN-SAME", 1)])
        self.scan_1 = self._lot("SN-SCAN-1", self.laptop)

    def _found(self, name, **kwargs):
        return {
            lot_id
            for lot_id, _label in self.env["stock.lot"].name_search(name, **kwargs)
        }

    def test_name_search_decodes_human_readable_and_raw(self):
        for scan in (
            f"(01){LAPTOP_GTIN}(17)271231(21)SN-SCAN-1",
            f"01{LAPTOP_GTIN}17271231{FNC1}21SN-SCAN-1",
            f"]C101{LAPTOP_GTIN}21SN-SCAN-1{FNC1}17271231",
            f"{FNC1}01{LAPTOP_GTIN}21SN-SCAN-1",
            "(21)SN-SCAN-1",
            "SN-SCAN-1",  # a plain scan
        ):
            with self.subTest(scan=scan):
                self.assertEqual(self._found(scan, operator="="), {self.scan_1.id})

    def test_gtin_narrows_the_product(self):
        laptop_same = self._lot("SN-SAME", self.laptop)
        phone_same = self._lot("SN-SAME", self.phone)
        self.assertEqual(self._found(f"(01){LAPTOP_GTIN}(21)SN-SAME"), {laptop_same.id})
        self.assertEqual(self._found(f"(01){PHONE_GTIN}(21)SN-SAME"), {phone_same.id})
        # No product has this GTIN: the serial part alone is searched.
        self.assertEqual(
            self._found("(01)07612345678917(21)SN-SAME"),
            {laptop_same.id, phone_same.id},
        )
        # With the picker's own domain (an invoice line's product).
        self.assertEqual(
            self._found(
                f"(01){LAPTOP_GTIN}(21)SN-SAME",
                args=[("product_id", "=", self.phone.id)],
            ),
            set(),
        )

    def test_invoice_picker_finds_a_scan(self):
        lots = (
            self.env["stock.lot"]
            .with_context(serial_picker_location_id=self.stock_location.id)
            .name_search(
                f"(01){LAPTOP_GTIN}(21)SN-SCAN-1",
                args=[("product_id", "=", self.laptop.id)],
            )
        )
        self.assertEqual([lot_id for lot_id, _l in lots], [self.scan_1.id])
        self.assertIn("SN-SCAN-1 (1 Units", lots[0][1])

    def test_looks_like_gs1_but_does_not_decode_is_a_plain_name(self):
        for name in (
            "(99)UNKNOWN-AI",
            "(01)04006381333932(21)BAD-CHECK",
            "0104006381333932",
            "(17)261345(21)BAD-DATE",
        ):
            with self.subTest(name=name):
                lot = self._create_lot(self.laptop, name)
                self.assertEqual(self._found(name, operator="="), {lot.id})
                lot_id, _label = (
                    self.env["stock.lot"]
                    .with_context(default_product_id=self.phone.id)
                    .name_create(name)
                )
                self.assertEqual(self.env["stock.lot"].browse(lot_id).name, name)

    def test_name_create_stores_serial_and_expiry(self):
        Lot = self.env["stock.lot"].with_context(
            default_product_id=self.medicine.id, default_company_id=self.company.id
        )
        lot_id, _label = Lot.name_create("(17)280229(21)MED-SCAN-1")
        lot = Lot.browse(lot_id)
        self.assertEqual(lot.name, "MED-SCAN-1")
        self.assertEqual(lot.product_id, self.medicine)
        self.assertEqual(lot.expiration_date.date(), date(2028, 2, 29))
        # A plain name is created as before.
        lot_id, _label = Lot.name_create("MED-PLAIN-1")
        self.assertEqual(Lot.browse(lot_id).name, "MED-PLAIN-1")

    def test_name_create_gtin_without_context_product(self):
        lot_id, _label = self.env["stock.lot"].name_create(
            f"(01){LAPTOP_GTIN}(21)SN-CREATED"
        )
        lot = self.env["stock.lot"].browse(lot_id)
        self.assertEqual((lot.name, lot.product_id), ("SN-CREATED", self.laptop))

    def test_name_create_of_another_products_gtin_refused(self):
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            self.env["stock.lot"].with_context(
                default_product_id=self.phone.id
            ).name_create(f"(01){LAPTOP_GTIN}(21)SN-WRONG")
        self.assertIn(
            "is for [LAP-1] Test Laptop, not [PHONE-1] Test Phone",
            str(caught.exception),
        )
        self.assertEqual(self._db_snapshot(), before)

    def test_receipt_lot_name_stored_decoded(self):
        receipt = self._draft_receipt((self.medicine, 2))
        move = receipt.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": self.medicine.id,
                    "lot_name": "(17)270930(21)MED-LINE-1",
                    "quantity": 1,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_location.id,
                    "picking_id": receipt.id,
                }
            ),
            Command.create(
                {
                    "product_id": self.medicine.id,
                    "lot_name": "MED-LINE-PLAIN",
                    "quantity": 1,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_location.id,
                    "picking_id": receipt.id,
                }
            ),
        ]
        line = move.move_line_ids.filtered(lambda ml: ml.lot_name == "MED-LINE-1")
        self.assertEqual(line.expiration_date.date(), date(2027, 9, 30))
        plain = move.move_line_ids - line
        plain.lot_name = f"17271031{FNC1}21MED-LINE-2"
        self.assertEqual(plain.lot_name, "MED-LINE-2")
        self.assertEqual(plain.expiration_date.date(), date(2027, 10, 31))
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            self._lot("MED-LINE-1", self.medicine).expiration_date.date(),
            date(2027, 9, 30),
        )
        self.assertEqual(
            self._lot("MED-LINE-2", self.medicine).expiration_date.date(),
            date(2027, 10, 31),
        )

    def test_receipt_lot_name_typed_in_the_form(self):
        receipt = self._draft_receipt((self.medicine, 1))
        receipt.move_ids.move_line_ids.unlink()
        with Form(
            receipt.move_ids, view="stock.view_stock_move_operations"
        ) as move_form:
            with move_form.move_line_ids.new() as line:
                line.lot_name = "(17)271130(21)MED-FORM-1"
                self.assertEqual(line.lot_name, "MED-FORM-1")
                self.assertEqual(line.expiration_date.date(), date(2027, 11, 30))
                line.quantity = 1
        self.assertEqual(receipt.move_line_ids.lot_name, "MED-FORM-1")

    def test_receipt_lot_name_of_another_products_gtin_refused(self):
        receipt = self._draft_receipt((self.laptop, 1))
        line = receipt.move_ids.move_line_ids
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            line.lot_name = f"(01){PHONE_GTIN}(21)SN-PHONE-ON-LAPTOP"
        self.assertIn(
            "is for [PHONE-1] Test Phone, not [LAP-1] Test Laptop",
            str(caught.exception),
        )
        self.assertEqual(self._db_snapshot(), before)
