# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestLotCorrection(SerialTrackingCase):
    """Correct Serial Number: write the wrong serial off, receive the right one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoghurt = cls._create_product(
            "Test Yoghurt Tray",
            "lot",
            use_expiration_date=True,
            expiration_time=20,
            use_time=5,
            removal_time=2,
            alert_time=7,
        )
        cls.manager = new_test_user(
            cls.env, login="serial_manager", groups="stock.group_stock_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, login="serial_stock_user", groups="stock.group_stock_user"
        )

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-WRONG-1", 1)])
        self.wrong = self._lot("SN-WRONG-1")

    def _correct(self, lot, new_name, reason="Digits transposed", user=None, **values):
        """Fill and apply the wizard as the form opened from the serial does."""
        lot = lot.with_user(user or self.env.user)
        action = lot.action_correct_serial()
        form = Form(lot.env["stock.lot.correction"].with_context(**action["context"]))
        form.new_name = new_name
        form.reason = reason
        for name, value in values.items():
            setattr(form, name, value)
        return form.save().action_apply()

    def _wizard(self, lot, new_name, reason="Digits transposed"):
        return (
            self.env["stock.lot.correction"]
            .with_context(default_lot_id=lot.id)
            .create({"new_name": new_name, "reason": reason})
        )

    def _assert_refused(
        self, lot, new_name, message, error=UserError, reason="Digits transposed"
    ):
        before = self._db_snapshot()
        wizard = self._wizard(lot, new_name, reason=reason)
        with self.assertRaises(error) as caught:
            wizard.action_apply()
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)
        self.assertFalse(lot.corrected_to_id)

    # Allowed paths

    def test_correct_unique_serial(self):
        self.wrong.write({"ref": "Vendor 778", "note": "<p>Scratch on the lid</p>"})
        total = self.laptop.qty_available
        action = self._correct(
            self.wrong, " SN-RIGHT-1 ", reason="Digits 1 and 7 swapped"
        )

        right = self._lot("SN-RIGHT-1")
        self.assertEqual(len(right), 1)
        # A notification confirms the correction, then the right serial's
        # enquiry opens.
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("received again as SN-RIGHT-1", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_model"], "stock.lot")
        self.assertEqual(action["params"]["next"]["res_id"], right.id)
        self.assertEqual(
            self._stock(self.laptop), {("SN-RIGHT-1", self.stock_location.id): 1}
        )
        self.assertEqual(self.laptop.qty_available, total)
        self.assertEqual(right.ref, "Vendor 778")
        self.assertEqual(str(right.note), "<p>Scratch on the lid</p>")
        self.assertEqual(right.corrected_from_id, self.wrong)
        self.assertEqual(self.wrong.corrected_to_id, right)
        self.assertFalse(right.corrected_to_id)
        self.assertFalse(self.wrong.corrected_from_id)

        # The wrong serial is written off (validated), with the reason.
        scrap = self.env["stock.scrap"].search([("lot_id", "=", self.wrong.id)])
        self.assertEqual(len(scrap), 1)
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.location_id, self.stock_location)
        self.assertEqual(scrap.scrap_qty, 1)
        self.assertIn("SN-WRONG-1 → SN-RIGHT-1", scrap.origin)
        self.assertIn("Digits 1 and 7 swapped", scrap.message_ids[0].body)
        # Its history is intact: the receipt and the write-off.
        wrong_lines = self.env["stock.move.line"].search(
            [("lot_id", "=", self.wrong.id)]
        )
        self.assertEqual(wrong_lines.mapped("state"), ["done", "done"])
        self.assertEqual(
            wrong_lines.location_dest_id, self.stock_location | scrap.scrap_location_id
        )
        # The right serial is received by a validated move into the same place.
        right_lines = self.env["stock.move.line"].search([("lot_id", "=", right.id)])
        self.assertEqual(right_lines.state, "done")
        self.assertEqual(right_lines.quantity, 1)
        self.assertEqual(right_lines.location_dest_id, self.stock_location)
        self.assertEqual(right_lines.location_id.usage, "inventory")
        self.assertFalse(right_lines.picking_id)

        # Both serials say what happened, who did it and why.
        user = self.env.user.name
        wrong_message = self.wrong.message_ids[0].body
        for expected in ("SN-RIGHT-1", "Digits 1 and 7 swapped", user, scrap.name):
            self.assertIn(expected, wrong_message)
        right_message = right.message_ids[0].body
        for expected in ("SN-WRONG-1", "Digits 1 and 7 swapped", user):
            self.assertIn(expected, right_message)

    def test_correct_batch_serial_in_two_locations(self):
        self._receive(self.carpet, [("ROLL-WRONG", 12.5)])
        self._receive(self.carpet, [("ROLL-WRONG", 7.25)], location=self.shelf)
        wrong = self._lot("ROLL-WRONG")
        self._receive(self.carpet, [("ROLL-OTHER", 3)])

        self._correct(wrong, "ROLL-RIGHT")

        self.assertEqual(
            self._stock(self.carpet),
            {
                ("ROLL-RIGHT", self.stock_location.id): 12.5,
                ("ROLL-RIGHT", self.shelf.id): 7.25,
                ("ROLL-OTHER", self.stock_location.id): 3,
            },
        )
        self.assertEqual(self.carpet.qty_available, 22.75)
        scraps = self.env["stock.scrap"].search([("lot_id", "=", wrong.id)])
        self.assertEqual(
            sorted((scrap.location_id.id, scrap.scrap_qty) for scrap in scraps),
            sorted([(self.stock_location.id, 12.5), (self.shelf.id, 7.25)]),
        )
        self.assertEqual(set(scraps.mapped("state")), {"done"})
        self.assertEqual(self._lot("ROLL-RIGHT").corrected_from_id, wrong)

    def test_correct_unique_serial_in_a_sublocation(self):
        self._receive(self.laptop, [("SN-SHELF-1", 1)], location=self.shelf)
        self._correct(self._lot("SN-SHELF-1"), "SN-SHELF-2")
        self.assertEqual(
            self._stock(self.laptop),
            {
                ("SN-WRONG-1", self.stock_location.id): 1,
                ("SN-SHELF-2", self.shelf.id): 1,
            },
        )

    def _receive_yoghurt(self):
        self._receive(self.yoghurt, [("TRAY-WRONG", 40)])
        wrong = self._lot("TRAY-WRONG")
        wrong.write(
            {
                "expiration_date": datetime(2030, 1, 20, 12, 0),
                "use_date": datetime(2030, 1, 15, 12, 0),
                "removal_date": datetime(2030, 1, 18, 12, 0),
                "alert_date": datetime(2030, 1, 13, 12, 0),
                "ref": "Batch 2030-01",
            }
        )
        return wrong

    def test_correct_keeps_the_expiry_dates(self):
        wrong = self._receive_yoghurt()
        self._correct(wrong, "TRAY-RIGHT")
        right = self._lot("TRAY-RIGHT")
        for name in ("expiration_date", "use_date", "removal_date", "alert_date"):
            self.assertEqual(right[name], wrong[name], name)
        self.assertEqual(right.ref, "Batch 2030-01")
        self.assertEqual(
            self._stock(self.yoghurt), {("TRAY-RIGHT", self.stock_location.id): 40}
        )

    def test_correct_with_a_new_expiration_date_shifts_the_other_dates(self):
        wrong = self._receive_yoghurt()
        self._correct(
            wrong, "TRAY-RIGHT", new_expiration_date=datetime(2030, 2, 20, 12, 0)
        )
        right = self._lot("TRAY-RIGHT")
        shift = timedelta(days=31)
        self.assertEqual(right.expiration_date, datetime(2030, 2, 20, 12, 0))
        self.assertEqual(right.use_date, wrong.use_date + shift)
        self.assertEqual(right.removal_date, wrong.removal_date + shift)
        self.assertEqual(right.alert_date, wrong.alert_date + shift)
        # The wrong serial keeps its own dates.
        self.assertEqual(wrong.expiration_date, datetime(2030, 1, 20, 12, 0))

    def test_reuses_an_existing_serial_without_stock(self):
        unused = self._create_lot(self.laptop, "SN-RIGHT-1")
        lots = self.env["stock.lot"].search_count([])
        self._correct(self.wrong, "SN-RIGHT-1")
        self.assertEqual(self.env["stock.lot"].search_count([]), lots)
        self.assertEqual(self.wrong.corrected_to_id, unused)
        self.assertEqual(unused.product_qty, 1)

    def test_reuses_a_serial_that_left_stock(self):
        self._receive(self.laptop, [("SN-GONE-1", 1)])
        gone = self._lot("SN-GONE-1")
        self._deliver(self.laptop, [(gone, 1)])
        self._correct(self.wrong, "SN-GONE-1")
        self.assertEqual(self.wrong.corrected_to_id, gone)
        self.assertEqual(
            self._stock(self.laptop), {("SN-GONE-1", self.stock_location.id): 1}
        )

    def test_same_name_for_another_product_is_not_reused(self):
        other = self._create_lot(self.carpet, "SN-RIGHT-1")
        self._correct(self.wrong, "SN-RIGHT-1")
        right = self.wrong.corrected_to_id
        self.assertNotEqual(right, other)
        self.assertEqual(right.product_id, self.laptop)

    def test_keeps_the_stock_value(self):
        """The right serial is valued as the units written off, not at today's cost."""
        category = self.env["product.category"].create(
            {"name": "FIFO goods", "property_cost_method": "fifo"}
        )
        phone = self._create_product(
            "Test Phone", "serial", categ_id=category.id, standard_price=100
        )
        self._receive(phone, [("PH-WRONG", 1)])
        phone.standard_price = 150
        self.assertEqual(phone.value_svl, 100)
        self._correct(self._lot("PH-WRONG"), "PH-RIGHT")
        self.assertEqual(phone.value_svl, 100)
        self.assertEqual(phone.quantity_svl, 1)

    # Refused paths: a clear message and nothing changed

    def test_refused_without_new_name(self):
        self._assert_refused(self.wrong, False, "Type the right serial number.")
        self._assert_refused(self.wrong, "   ", "Type the right serial number.")

    def test_refused_without_reason(self):
        self._assert_refused(
            self.wrong, "SN-RIGHT-1", "Give the reason for the correction.", reason=" "
        )

    def test_refused_with_the_same_name(self):
        self._assert_refused(
            self.wrong, " SN-WRONG-1 ", "The right serial number SN-WRONG-1 is the same"
        )

    def test_refused_when_the_new_name_is_in_stock(self):
        self._receive(self.laptop, [("SN-OTHER-1", 1)], location=self.shelf)
        self._assert_refused(
            self.wrong,
            "SN-OTHER-1",
            f"Serial SN-OTHER-1 of Test Laptop is already in stock at "
            f"{self.shelf.display_name}",
        )

    def test_refused_when_the_wrong_serial_was_delivered(self):
        self._deliver(self.laptop, [(self.wrong, 1)])
        self._assert_refused(
            self.wrong,
            "SN-RIGHT-1",
            "Serial SN-WRONG-1 (Test Laptop) is not in stock, so there is nothing to "
            "correct: it was delivered to a customer "
            f"({self.customer_location.display_name})",
        )

    def test_refused_when_the_wrong_serial_was_written_off(self):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": self.wrong.id,
                "location_id": self.stock_location.id,
                "scrap_qty": 1,
            }
        )
        scrap.action_validate()
        self._assert_refused(
            self.wrong,
            "SN-RIGHT-1",
            "nothing to correct: it was written off "
            f"({scrap.scrap_location_id.display_name})",
        )

    def test_refused_when_the_wrong_serial_was_never_received(self):
        never = self._create_lot(self.laptop, "SN-NEVER-1")
        self._assert_refused(never, "SN-NEVER-2", "it has never been received")

    def test_refused_with_control_characters(self):
        self._assert_refused(
            self.wrong, "SN-RIGHT\t1", "invisible control characters", error=UserError
        )

    # Rights

    def test_refused_for_a_stock_user(self):
        before = self._db_snapshot()
        message = "Only inventory administrators can correct serial numbers."
        with self.assertRaises(AccessError) as caught:
            self.wrong.with_user(self.stock_user).action_correct_serial()
        self.assertIn(message, str(caught.exception))
        # The wizard is for stock managers only (access rights)...
        with self.assertRaises(AccessError):
            self.env["stock.lot.correction"].with_user(self.stock_user).create(
                {"lot_id": self.wrong.id, "new_name": "SN-RIGHT-1", "reason": "Typo"}
            )
        # ... and applying it checks again (it is callable over RPC).
        wizard = self._wizard(self.wrong, "SN-RIGHT-1")
        with self.assertRaises(UserError) as caught:
            wizard.with_user(self.stock_user).action_apply()
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)

    def test_allowed_for_a_stock_manager(self):
        self._correct(self.wrong, "SN-RIGHT-1", user=self.manager)
        right = self._lot("SN-RIGHT-1")
        self.assertEqual(self.wrong.corrected_to_id, right)
        self.assertEqual(
            self._stock(self.laptop), {("SN-RIGHT-1", self.stock_location.id): 1}
        )
        self.assertIn(self.manager.name, self.wrong.message_ids[0].body)
        self.assertEqual(self.wrong.message_ids[0].author_id, self.manager.partner_id)
        self.assertIn(self.manager.name, right.message_ids[0].body)

    # Atomicity

    def test_atomic_when_the_receipt_fails(self):
        """A failing receipt undoes the write-off, whoever calls the wizard.

        assertRaises() would wrap the call in a savepoint of its own and hide a
        non-atomic implementation: the exception is caught by hand instead.
        """
        wizard = self._wizard(self.wrong, "SN-RIGHT-1")
        before = self._db_snapshot()
        seen = {}

        def failing_receipt(new_lot, scraps):
            # The write-off part is done at this point...
            seen["scraps"] = scraps.filtered(lambda scrap: scrap.state == "done")
            seen["quantities"] = self._stock(self.laptop)
            raise UserError(self.env._("The receipt failed"))

        with patch.object(
            type(wizard), "_correction_receive", side_effect=failing_receipt
        ):
            try:
                wizard.action_apply()
            except UserError as error:
                self.assertEqual(str(error), "The receipt failed")
            else:
                self.fail("The correction should have failed")

        self.assertEqual(len(seen["scraps"]), 1)
        self.assertEqual(seen["quantities"], {})
        # ... and rolled back with the rest.
        self.assertEqual(self._db_snapshot(), before)
        self.assertFalse(
            self.env["stock.scrap"].search([("lot_id", "=", self.wrong.id)])
        )
        self.assertFalse(self._lot("SN-RIGHT-1"))
        self.assertFalse(self.wrong.corrected_to_id)
        self.assertEqual(
            self._stock(self.laptop), {("SN-WRONG-1", self.stock_location.id): 1}
        )
