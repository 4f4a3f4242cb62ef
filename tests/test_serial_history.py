# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialHistory(SerialTrackingCase):
    """The timeline of a serial: one row per event, in order, by kind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env, login="history_stock_user", groups="stock.group_stock_user"
        )
        cls.stock_manager = new_test_user(
            cls.env, login="history_stock_manager", groups="stock.group_stock_manager"
        )

    def _timeline(self, lot):
        return [
            (event.kind, event.location_id, event.location_dest_id, event.quantity)
            for event in lot.history_ids
        ]

    def test_whole_story_in_order(self):
        with freeze_time("2026-02-01 08:00:00"):
            receipt = self._receive(self.laptop, [("SN-H1", 1)])
        lot = self._lot("SN-H1")
        with freeze_time("2026-02-02 08:00:00"):
            transfer = self._transfer([(lot, 1)], self.stock_location, self.shelf)
        with freeze_time("2026-02-03 08:00:00"):
            delivery = self._deliver(self.laptop, [(lot, 1)], location=self.shelf)
        with freeze_time("2026-02-04 08:00:00"):
            returned = self._return(delivery, [(lot, 1)])
        back = returned.location_dest_id
        with freeze_time("2026-02-05 08:00:00"):
            self._count(lot, 0, location=back)
        with freeze_time("2026-02-06 08:00:00"):
            self._count(lot, 1)
        with freeze_time("2026-02-07 08:00:00"):
            scrap = self._scrap(lot, 1)
        inventory = self.laptop.with_company(self.company).property_stock_inventory
        self.assertEqual(
            self._timeline(lot),
            [
                ("receipt", self.supplier_location, self.stock_location, 1),
                ("transfer", self.stock_location, self.shelf, 1),
                ("delivery", self.shelf, self.customer_location, 1),
                ("return", self.customer_location, back, 1),
                ("adjustment", back, inventory, 1),
                ("adjustment", inventory, self.stock_location, 1),
                ("write_off", self.stock_location, scrap.scrap_location_id, 1),
            ],
        )
        events = lot.history_ids
        self.assertEqual(events.mapped("date"), sorted(events.mapped("date")))
        self.assertEqual(
            events[:4].mapped("reference"),
            [receipt.name, transfer.name, delivery.name, returned.name],
        )
        self.assertEqual(events[-1].reference, scrap.name)
        self.assertEqual(events[-1].scrap_id, scrap)
        self.assertEqual(events[0].partner_id, self.partner)
        self.assertEqual(events.lot_id, lot)
        self.assertEqual(set(events.mapped("company_id")), {self.company})

    def test_same_second_events_keep_their_order(self):
        with freeze_time("2026-03-01 08:00:00"):
            self._receive(self.laptop, [("SN-H2", 1)])
            lot = self._lot("SN-H2")
            self._transfer([(lot, 1)], self.stock_location, self.shelf)
            self._deliver(self.laptop, [(lot, 1)], location=self.shelf)
        self.assertEqual(
            lot.history_ids.mapped("kind"), ["receipt", "transfer", "delivery"]
        )
        self.assertEqual(lot.serial_state, "delivered")

    def test_correction_events(self):
        self._receive(self.laptop, [("SN-WRNG", 1)])
        wrong = self._lot("SN-WRNG")
        (
            self.env["stock.lot.correction"]
            .with_user(self.stock_manager)
            .with_context(default_lot_id=wrong.id)
            .create({"new_name": "SN-RGHT", "reason": "Typo"})
            .action_apply()
        )
        right = self._lot("SN-RGHT")
        self.assertEqual(wrong.history_ids.mapped("kind"), ["receipt", "correction"])
        self.assertEqual(right.history_ids.mapped("kind"), ["correction"])
        self.assertEqual(wrong.history_ids[-1].location_id, self.stock_location)
        self.assertEqual(right.history_ids.location_dest_id, self.stock_location)
        # The write-off of a correction opens as a write-off.
        self.assertEqual(
            wrong.history_ids[-1].action_open_document()["res_model"], "stock.scrap"
        )

    def test_batch_serial_events_carry_quantities(self):
        self._receive(self.carpet, [("ROLL-H", 12)])
        roll = self._lot("ROLL-H")
        self._deliver(self.carpet, [(roll, 5)])
        self._scrap(roll, 2)
        self.assertEqual(
            [(event.kind, event.quantity) for event in roll.history_ids],
            [("receipt", 12), ("delivery", 5), ("write_off", 2)],
        )
        self.assertEqual(roll.history_ids.product_uom_id, self.carpet.uom_id)

    def test_history_is_read_only_and_only_done_moves(self):
        self._receive(self.laptop, [("SN-H3", 1)])
        lot = self._lot("SN-H3")
        # A receipt not validated yet is not history.
        self._receive(self.laptop, [("SN-H4", 1)], validate=False)
        self.assertFalse(
            self.env["stock.lot.history"].search([("lot_id.name", "=", "SN-H4")])
        )
        event = lot.history_ids
        with self.assertRaises(AccessError):
            event.with_user(self.stock_user).write({"reference": "changed"})
        with self.assertRaises(AccessError):
            event.with_user(self.stock_user).unlink()

    def test_open_document(self):
        picking = self._receive(self.laptop, [("SN-H5", 1)])
        event = self._lot("SN-H5").history_ids.with_user(self.stock_user)
        action = event.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("stock.picking", picking.id)
        )

    def test_open_write_off(self):
        self._receive(self.laptop, [("SN-H6", 1)])
        lot = self._lot("SN-H6")
        scrap = self._scrap(lot, 1)
        action = lot.history_ids[-1].with_user(self.stock_user).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("stock.scrap", scrap.id)
        )


@tagged("post_install", "-at_install")
class TestSerialHistoryMultiCompany(SerialTrackingCase):
    """A company's serial history is never shown in another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Serial Company B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.user_a = new_test_user(
            cls.env,
            login="history_user_a",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.user_both = new_test_user(
            cls.env,
            login="history_user_both",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )

    def test_company_rule(self):
        self._receive(self.laptop, [("SN-A", 1)])
        lot_b = self.env["stock.lot"].create(
            {
                "name": "SN-B",
                "product_id": self.laptop.id,
                "company_id": self.company_b.id,
            }
        )
        self.env["stock.quant"].with_company(self.company_b).with_context(
            inventory_mode=True
        ).create(
            {
                "product_id": self.laptop.id,
                "lot_id": lot_b.id,
                "location_id": self.warehouse_b.lot_stock_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        self.assertEqual(lot_b.serial_state, "in_stock")
        History = self.env["stock.lot.history"]
        b_events = History.search([("lot_id", "=", lot_b.id)])
        self.assertEqual(b_events.company_id, self.company_b)
        self.assertFalse(
            History.with_user(self.user_a).search([("lot_id", "=", lot_b.id)])
        )
        with self.assertRaises(AccessError):
            b_events.with_user(self.user_a).read(["kind"])
        self.assertTrue(
            History.with_user(self.user_a).search([("lot_id.name", "=", "SN-A")])
        )
        both = History.with_user(self.user_both).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        self.assertEqual(both.search([("lot_id", "=", lot_b.id)]), b_events)
