# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestLotWriteOff(SerialTrackingCase):
    """Write off from the serial: a prefilled write-off of its stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env, login="write_off_stock_user", groups="stock.group_stock_user"
        )
        # Sees the source location on the write-off, as anyone with sublocations.
        cls.warehouse_user = new_test_user(
            cls.env,
            login="write_off_warehouse_user",
            groups="stock.group_stock_user,stock.group_stock_multi_locations",
        )

    def _write_off(self, action, user=None):
        """Save and validate the write-off the action opens, as its form would."""
        self.assertEqual(action["res_model"], "stock.scrap")
        env = self.env(user=user) if user else self.env
        form = Form(
            env["stock.scrap"].with_context(**action["context"]),
            view=action["views"][0][0],
        )
        scrap = form.save()
        scrap.action_validate()
        return scrap

    def test_prefilled_with_the_serial_and_where_it_is(self):
        self._receive(self.laptop, [("SN-OFF-1", 1)], location=self.shelf)
        lot = self._lot("SN-OFF-1").with_user(self.warehouse_user)
        action = lot.action_write_off()
        self.assertEqual(action["res_model"], "stock.scrap")
        self.assertEqual(action["target"], "new")
        form = Form(
            lot.env["stock.scrap"].with_context(**action["context"]),
            view=action["views"][0][0],
        )
        self.assertEqual(form.product_id, self.laptop)
        self.assertEqual(form.lot_id, lot)
        self.assertEqual(form.location_id, self.shelf)
        self.assertEqual(form.scrap_qty, 1)
        scrap = form.save()
        self.assertEqual(scrap.location_id, self.shelf)
        self.assertEqual(scrap.company_id, self.company)
        self.assertEqual(scrap.state, "draft")

    def test_batch_serial_full_quantity(self):
        self._receive(self.carpet, [("ROLL-OFF", 12.5)])
        lot = self._lot("ROLL-OFF")
        scrap = self._write_off(lot.action_write_off())
        self.assertEqual(scrap.scrap_qty, 12.5)
        self.assertEqual(scrap.location_id, self.stock_location)
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._stock(self.carpet), {})

    def test_history_intact_after_write_off(self):
        self._receive(self.laptop, [("SN-OFF-1", 1)])
        lot = self._lot("SN-OFF-1")
        scrap = self._write_off(lot.action_write_off())
        self.assertTrue(lot.exists())
        self.assertEqual(lot.product_qty, 0)
        lines = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id)], order="id"
        )
        self.assertEqual(lines.mapped("state"), ["done", "done"])
        self.assertEqual(lines[0].location_dest_id, self.stock_location)
        self.assertEqual(lines[1].move_id.scrap_id, scrap)
        # It shows as written off, and still cannot be deleted or renamed.
        self.assertIn("it was written off", lot._get_whereabouts())
        with self.assertRaises(UserError):
            lot.unlink()
        with self.assertRaises(UserError):
            lot.name = "SN-OFF-2"

    def test_several_places_user_chooses(self):
        self._receive(self.carpet, [("ROLL-OFF", 12.5)])
        self._receive(self.carpet, [("ROLL-OFF", 7.25)], location=self.shelf)
        lot = self._lot("ROLL-OFF")
        action = lot.action_write_off()
        self.assertEqual(action["res_model"], "stock.lot.write.off")
        self.assertEqual(action["target"], "new")
        wizard = self.env["stock.lot.write.off"].browse(action["res_id"])
        self.assertEqual(wizard.lot_id, lot)
        lines = {line.location_id: line for line in wizard.line_ids}
        self.assertEqual(
            {location: line.quantity for location, line in lines.items()},
            {self.stock_location: 12.5, self.shelf: 7.25},
        )
        # Through the wizard's view, as the user sees it.
        with Form(wizard) as form:
            self.assertEqual(len(form.line_ids), 2)

        # One write-off per place: the shelf first.
        scrap = self._write_off(lines[self.shelf].action_write_off())
        self.assertEqual((scrap.location_id, scrap.scrap_qty), (self.shelf, 7.25))
        self.assertEqual(
            self._stock(self.carpet), {("ROLL-OFF", self.stock_location.id): 12.5}
        )
        # That place is done: choosing it again is refused.
        with self.assertRaises(UserError) as caught:
            lines[self.shelf].action_write_off()
        self.assertIn(
            f"Serial ROLL-OFF is no longer in stock at {self.shelf.display_name}",
            str(caught.exception),
        )
        # One place left: the write-off opens directly.
        scrap = self._write_off(lot.action_write_off())
        self.assertEqual(
            (scrap.location_id, scrap.scrap_qty), (self.stock_location, 12.5)
        )
        self.assertEqual(self._stock(self.carpet), {})

    def test_line_takes_the_quantity_of_now(self):
        self._receive(self.carpet, [("ROLL-OFF", 12.5)])
        self._receive(self.carpet, [("ROLL-OFF", 7.25)], location=self.shelf)
        lot = self._lot("ROLL-OFF")
        wizard = self.env["stock.lot.write.off"].browse(
            lot.action_write_off()["res_id"]
        )
        self._receive(self.carpet, [("ROLL-OFF", 1)], location=self.shelf)
        line = wizard.line_ids.filtered(lambda line: line.location_id == self.shelf)
        self.assertEqual(line.action_write_off()["context"]["default_scrap_qty"], 8.25)

    def test_serial_in_a_package(self):
        self._receive(self.carpet, [("ROLL-PACK", 4)])
        lot = self._lot("ROLL-PACK")
        package = self.env["stock.quant.package"].create({"name": "PACK-1"})
        quant = self.env["stock.quant"]
        quant._update_available_quantity(
            self.carpet, self.stock_location, -4, lot_id=lot
        )
        quant._update_available_quantity(
            self.carpet, self.stock_location, 4, lot_id=lot, package_id=package
        )
        action = lot.action_write_off()
        self.assertEqual(action["context"]["default_package_id"], package.id)
        scrap = self._write_off(action)
        self.assertEqual(scrap.package_id, package)
        self.assertEqual(self._stock(self.carpet), {})

    def test_refused_when_not_in_stock(self):
        self._receive(self.laptop, [("SN-OFF-1", 1)])
        lot = self._lot("SN-OFF-1")
        self._deliver(self.laptop, [(lot, 1)])
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            lot.action_write_off()
        self.assertIn(
            "Serial SN-OFF-1 (Test Laptop) is not in stock, so there is nothing to "
            "write off: it was delivered to a customer "
            f"({self.customer_location.display_name})",
            str(caught.exception),
        )
        self.assertEqual(self._db_snapshot(), before)

    def test_refused_when_never_received(self):
        lot = self._create_lot(self.laptop, "SN-NEW-1")
        with self.assertRaises(UserError) as caught:
            lot.action_write_off()
        self.assertIn("it has never been received", str(caught.exception))

    def test_stock_user_writes_off(self):
        self._receive(self.laptop, [("SN-OFF-1", 1)])
        lot = self._lot("SN-OFF-1")
        action = lot.with_user(self.stock_user).action_write_off()
        scrap = self._write_off(action, user=self.stock_user)
        self.assertEqual(scrap.create_uid, self.stock_user)
        self.assertEqual(scrap.lot_id, lot)
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._stock(self.laptop), {})

    def test_write_off_refused_where_the_serial_is_not(self):
        """Odoo would offer to write off anyway: a serial quantity below zero."""
        self._receive(self.laptop, [("SN-OFF-1", 1)], location=self.shelf)
        lot = self._lot("SN-OFF-1")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": lot.id,
                "location_id": self.stock_location.id,
                "scrap_qty": 1.0,
            }
        )
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            scrap.action_validate()
        self.assertIn(
            f"Serial SN-OFF-1 cannot be written off: {self.stock_location.display_name}"
            " holds 0 Units of it, not 1.",
            str(caught.exception),
        )
        self.assertEqual(self._db_snapshot(), before)
        self.assertEqual(scrap.state, "draft")

    def test_write_off_of_part_of_a_batch_refused_beyond_its_quantity(self):
        self._receive(self.carpet, [("ROLL-1", 30)])
        lot = self._lot("ROLL-1")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.carpet.id,
                "lot_id": lot.id,
                "location_id": self.stock_location.id,
                "scrap_qty": 31.0,
            }
        )
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            scrap.action_validate()
        self.assertIn("holds 30 Units of it, not 31", str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)
        scrap.scrap_qty = 12.0
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(
            self._quantities(self.carpet), {("ROLL-1", self.stock_location.id): 18.0}
        )
