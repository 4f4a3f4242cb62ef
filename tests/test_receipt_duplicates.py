# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestReceiptDuplicates(SerialTrackingCase):
    """Rule 6: a receipt cannot bring in a unique serial already in stock."""

    def setUp(self):
        super().setUp()
        self._receive(
            self.laptop, [("SN-IN-1", 1), ("SN-IN-2", 1)], location=self.shelf
        )

    def test_receipt_of_serials_in_stock_lists_every_one(self):
        before = self._quantities(self.laptop)
        receipt = self._receive(
            self.laptop,
            [("SN-IN-1", 1), ("SN-NEW-1", 1), ("SN-IN-2", 1)],
            validate=False,
        )
        with self.assertRaises(UserError) as caught:
            receipt.button_validate()
        message = str(caught.exception)
        self.assertIn("already in stock", message)
        self.assertIn(
            "SN-IN-1 (Test Laptop) is already in stock at WH/Stock/Shelf 1", message
        )
        self.assertIn(
            "SN-IN-2 (Test Laptop) is already in stock at WH/Stock/Shelf 1", message
        )
        self.assertNotIn("SN-NEW-1 (", message)
        self.assertNotEqual(receipt.state, "done")
        self.assertEqual(self._quantities(self.laptop), before)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "SN-NEW-1")]))

    def test_receipt_with_existing_lot_record_refused(self):
        lot = self.env["stock.lot"].search([("name", "=", "SN-IN-1")])
        receipt = self._receive(self.laptop, [("SN-IN-1", 1)], validate=False)
        receipt.move_line_ids.write({"lot_id": lot.id, "lot_name": False})
        with self.assertRaises(UserError):
            receipt.button_validate()
        self.assertEqual(lot.product_qty, 1)

    def test_new_serials_received(self):
        self._receive(self.laptop, [("SN-NEW-2", 1), ("SN-NEW-3", 1)])
        self.assertEqual(
            self._quantities(self.laptop)[("SN-NEW-2", self.stock_location.id)], 1
        )

    def test_serial_back_after_delivery_can_be_received(self):
        lot = self.env["stock.lot"].search([("name", "=", "SN-IN-1")])
        self._deliver(self.laptop, [(lot, 1)], location=self.shelf)
        receipt = self._receive(self.laptop, [("SN-IN-1", 1)])
        self.assertEqual(receipt.state, "done")
        self.assertEqual(lot.product_qty, 1)

    def test_batch_serials_may_be_topped_up(self):
        self._receive(self.carpet, [("ROLL-1", 10)])
        self._receive(self.carpet, [("ROLL-1", 5)])
        lot = self.env["stock.lot"].search([("name", "=", "ROLL-1")])
        self.assertEqual(lot.product_qty, 15)

    def test_same_serial_of_another_product_does_not_block(self):
        other_laptop = self._create_product("Other Laptop", "serial")
        receipt = self._receive(other_laptop, [("SN-IN-1", 1)])
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._quantities(self.laptop)[("SN-IN-1", self.shelf.id)], 1)
