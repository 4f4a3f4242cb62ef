# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialHistoryGuard(SerialTrackingCase):
    """Rules 4 and 5: a serial with done moves is neither renamed nor deleted."""

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-USED-1", 1)])
        self.used = self.env["stock.lot"].search([("name", "=", "SN-USED-1")])
        self.unused = self._create_lot(self.laptop, "SN-FREE-1")

    def test_rename_refused_with_done_moves(self):
        with self.assertRaises(UserError) as caught:
            self.used.name = "SN-USED-2"
        message = str(caught.exception)
        self.assertIn("cannot be renamed: SN-USED-1", message)
        self.assertIn("write it off and receive the right serial", message)
        self.assertEqual(self.used.name, "SN-USED-1")
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "SN-USED-2")]))

    def test_rename_refused_in_batch_names_every_used_serial(self):
        self._receive(self.carpet, [("ROLL-9", 12.5)])
        roll = self.env["stock.lot"].search([("name", "=", "ROLL-9")])
        lots = self.used | roll
        with self.assertRaises(UserError) as caught:
            lots.write({"name": "X"})
        self.assertIn("SN-USED-1", str(caught.exception))
        self.assertIn("ROLL-9", str(caught.exception))
        self.assertEqual(lots.mapped("name"), ["SN-USED-1", "ROLL-9"])

    def test_rename_allowed_without_done_moves(self):
        self.unused.name = "SN-FREE-2"
        self.assertEqual(self.unused.name, "SN-FREE-2")

    def test_other_fields_and_same_name_still_editable(self):
        self.used.write({"name": " SN-USED-1 ", "ref": "Supplier 778"})
        self.assertEqual(self.used.ref, "Supplier 778")

    def test_rename_refused_after_the_serial_left_stock(self):
        self._deliver(self.laptop, [(self.used, 1)])
        with self.assertRaises(UserError):
            self.used.name = "SN-USED-3"
        self.assertEqual(self.used.name, "SN-USED-1")

    def test_delete_refused_with_done_moves(self):
        with self.assertRaises(UserError) as caught:
            self.used.unlink()
        message = str(caught.exception)
        self.assertIn("cannot be deleted: SN-USED-1", message)
        self.assertIn("Write them off instead", message)
        self.assertTrue(self.used.exists())
        self.assertEqual(self.used.product_qty, 1)

    def test_delete_allowed_without_done_moves(self):
        self.unused.unlink()
        self.assertFalse(self.unused.exists())

    def test_delete_of_a_mix_refused_as_a_whole(self):
        with self.assertRaises(UserError):
            (self.used | self.unused).unlink()
        self.assertTrue(self.unused.exists())
