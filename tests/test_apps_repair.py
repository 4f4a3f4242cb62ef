# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import SerialTrackingCase
from .common_apps import SerialAppsMixin


@tagged("post_install", "-at_install", "-standard", "serial_apps")
class TestAppsRepair(SerialAppsMixin, SerialTrackingCase):
    """A repair is an event in a serial's history; only what it really moves
    (the parts it consumes) changes the serials' facts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.serial_warranty_months = 12
        cls.battery = cls._create_product("Test Laptop Battery", "serial")

    def _repair(self, lot, parts=(), line_type="add"):
        """A repair order of the serial for the customer, validated, started
        and ended; `parts`: serials of parts added (or, with line_type
        "remove", taken out of the product; one unit each)."""
        repair = self.env["repair.order"].create(
            {
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "partner_id": self.partner.id,
                "picking_type_id": self.warehouse.repair_type_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": part.product_id.id,
                            "product_uom_qty": 1,
                            "repair_line_type": line_type,
                        }
                    )
                    for part in parts
                ],
            }
        )
        action = repair.action_validate()
        if isinstance(action, dict):
            # The product is not in the repair's stock (it is at the
            # customer's): Odoo warns, the user confirms.
            self.assertEqual(action["res_model"], "stock.warn.insufficient.qty.repair")
            Form(
                self.env[action["res_model"]].with_context(**action["context"])
            ).save().action_done()
        self.assertEqual(repair.state, "confirmed")
        repair.action_repair_start()
        for move, part in zip(repair.move_ids, parts, strict=True):
            move.move_line_ids.write({"lot_id": part.id, "quantity": 1})
            move.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        return repair

    def test_repair_of_a_delivered_serial_changes_no_fact(self):
        with freeze_time("2026-03-02 10:00:00"):
            self._receive(self.laptop, [("SN-RP1", 1)])
        lot = self._lot("SN-RP1")
        with freeze_time("2026-03-03 10:00:00"):
            self._deliver(self.laptop, [(lot, 1)])
        lot = self._fresh(lot)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.warranty_start_date, date(2026, 3, 3))

        with freeze_time("2026-06-10 10:00:00"):
            repair = self._repair(lot)

        lot = self._fresh(lot)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.customer_id, self.partner)
        self.assertEqual(lot.warranty_start_date, date(2026, 3, 3))
        self.assertEqual(lot.warranty_end_date, date(2027, 3, 3))
        self.assertEqual(lot.history_ids[-1].kind, "repair")
        self.assertEqual(lot.history_ids[-1].reference, repair.name)
        # The repair put nothing in stock.
        self.assertFalse(self._stock(self.laptop))

    def test_repair_consumes_its_serial_parts(self):
        self._receive(self.laptop, [("SN-RP2", 1)])
        self._receive(self.battery, [("BAT-1", 1), ("BAT-2", 1)])
        lot, battery = self._lot("SN-RP2"), self._lot("BAT-1")

        repair = self._repair(lot, parts=battery)

        battery = self._fresh(battery)
        self.assertEqual(battery.serial_state, "consumed")
        self.assertEqual(battery.history_ids[-1].kind, "repair")
        self.assertEqual(battery.history_ids[-1].reference, repair.name)
        self.assertEqual(
            self._stock(self.battery), {("BAT-2", self.stock_location.id): 1}
        )
        # The repaired serial stays where it is.
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertEqual(lot.current_location_id, self.stock_location)
        self.assertEqual(lot.history_ids[-1].kind, "repair")

    def test_part_taken_out_first_appears_on_the_repair(self):
        """A part taken out of a product in a repair, never seen before, first
        appeared on that repair (not on a manufacturing order)."""
        self._receive(self.laptop, [("SN-RP3", 1)])
        lot = self._lot("SN-RP3")
        old_battery = self._create_lot(self.battery, "BAT-OLD-1")

        repair = self._repair(lot, parts=old_battery, line_type="remove")

        old_battery = self._fresh(old_battery)
        self.assertEqual(old_battery.entry_origin, "repair")
        self.assertEqual(old_battery.history_ids.kind, "repair")
        self.assertEqual(old_battery.history_ids.reference, repair.name)
        self.assertFalse(old_battery.to_investigate)
