# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase
from .common_invoice import (
    SerialDocumentsMixin,
    SerialInvoiceCase,
    eval_view_expression,
)


class InvestigationMixin:
    def _typed_serial(self, product, name, location=None, env=None):
        """A serial typed in a picker: created on the spot, never received."""
        env = env or self.env
        lot_id, _label = (
            env["stock.lot"]
            .with_context(
                default_product_id=product.id,
                serial_picker_location_id=(location or self.stock_location).id,
            )
            .name_create(name)
        )
        return self.env["stock.lot"].browse(lot_id)

    def _investigations(self, lot):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "stock.lot"),
                    ("res_id", "=", lot.id),
                    ("activity_type_id", "=", todo.id),
                ]
            )
        )

    def _assert_flagged(self, lot, origin, document):
        self.assertTrue(lot.to_investigate)
        self.assertEqual(lot.entry_origin, origin)
        activities = self._investigations(lot)
        self.assertIn(self.manager, activities.user_id)
        self.assertEqual(
            len(activities.filtered(lambda a: a.user_id == self.manager)), 1
        )
        for user in activities.user_id:
            self.assertTrue(user.has_group("stock.group_stock_manager"), user.name)
        self.assertIn(document, activities[0].note)
        self.assertIn(lot.name, activities[0].note)
        self.assertIn(lot.name, activities[0].summary)


@tagged("post_install", "-at_install")
class TestSerialInvestigation(
    InvestigationMixin, SerialDocumentsMixin, SerialTrackingCase
):
    """Serials added on transaction get flagged; a retrospective receipt resolves
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._create_user(
            "serial_investigator", "base.group_user,stock.group_stock_manager"
        )
        cls.stock_user = cls._create_user(
            "serial_storeman", "base.group_user,stock.group_stock_user"
        )

    def test_received_serial_first_appeared_on_a_receipt(self):
        self._receive(self.laptop, [("SN-1", 1)])
        lot = self._lots(self.laptop, "SN-1")
        self.assertEqual(lot.entry_origin, "receipt")
        self.assertFalse(lot.to_investigate)
        self.assertFalse(self._investigations(lot))
        # Later movements don't change where it first appeared.
        self._deliver(self.laptop, [(lot, 1)])
        self.assertEqual(lot.entry_origin, "receipt")
        self.assertFalse(lot.to_investigate)

    def test_serial_typed_on_a_delivery_is_flagged(self):
        lot = self._typed_serial(self.laptop, "SN-NEW")
        self.assertFalse(lot.entry_origin)
        delivery = self._deliver(self.laptop, [(lot, 1)])

        self._assert_flagged(lot, "transfer", delivery.name)
        self.assertEqual(
            self._quantities(self.laptop)[("SN-NEW", self.stock_location.id)], -1
        )

    def test_batch_serials_typed_on_one_delivery_flagged_together(self):
        lots = self.env["stock.lot"].concat(
            *(
                self._typed_serial(self.carpet, f"ROLL-NEW-{index}")
                for index in range(5)
            )
        )
        activities_before = self.env["mail.activity"].sudo().search_count([])
        managers = self.env.ref("stock.group_stock_manager").users.filtered(
            lambda user: self.company in user.company_ids and not user.share
        )
        self._deliver(self.carpet, [(lot, 2.0) for lot in lots])
        self.assertEqual(set(lots.mapped("to_investigate")), {True})
        self.assertEqual(set(lots.mapped("entry_origin")), {"transfer"})
        self.assertEqual(
            self.env["mail.activity"].sudo().search_count([]) - activities_before,
            len(lots) * len(managers),
        )

    def test_serial_typed_on_a_write_off_is_flagged(self):
        lot = self._typed_serial(self.carpet, "ROLL-NEW")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.carpet.id,
                "lot_id": lot.id,
                "scrap_qty": 3.0,
                "location_id": self.stock_location.id,
            }
        )
        scrap.do_scrap()
        self._assert_flagged(lot, "write_off", scrap.name)

    def test_serial_moved_internally_before_any_receipt_is_flagged(self):
        lot = self._typed_serial(self.laptop, "SN-NEW")
        transfer = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.shelf.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "move",
                            "product_id": self.laptop.id,
                            "product_uom_qty": 1,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.shelf.id,
                        }
                    )
                ],
            }
        )
        transfer.action_confirm()
        transfer.move_ids.move_line_ids.unlink()
        transfer.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": self.laptop.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.shelf.id,
                    "picking_id": transfer.id,
                }
            )
        ]
        transfer.move_ids.picked = True
        transfer.button_validate()
        self._assert_flagged(lot, "transfer", transfer.name)

    def test_serial_counted_in_on_an_inventory_adjustment(self):
        lot = self._typed_serial(self.carpet, "ROLL-FOUND")
        self.env["stock.quant"].create(
            {
                "product_id": self.carpet.id,
                "location_id": self.stock_location.id,
                "lot_id": lot.id,
                "inventory_quantity": 6.0,
            }
        ).action_apply_inventory()
        self.assertEqual(lot.entry_origin, "adjustment")
        self.assertFalse(lot.to_investigate)
        self.assertFalse(self._investigations(lot))

    def test_flow_may_name_its_origin(self):
        self._receive(self.laptop, [("SN-FIXED", 1)]).ensure_one()
        lot = self._lots(self.laptop, "SN-FIXED")
        self.assertEqual(lot.entry_origin, "receipt")
        picking = self._receive(self.carpet, [("ROLL-FIXED", 2.0)], validate=False)
        picking.with_context(serial_entry_origin="correction").button_validate()
        self.assertEqual(
            self._lots(self.carpet, "ROLL-FIXED").entry_origin, "correction"
        )
        # Moves made by a serial correction say so themselves.
        picking = self._receive(self.carpet, [("ROLL-RIGHT", 2.0)], validate=False)
        picking.move_ids.serial_operation = "correction"
        picking.button_validate()
        self.assertEqual(
            self._lots(self.carpet, "ROLL-RIGHT").entry_origin, "correction"
        )

    def test_serials_with_earlier_history_are_not_classified_again(self):
        self._receive(self.laptop, [("SN-OLD", 1)])
        lot = self._lots(self.laptop, "SN-OLD")
        # As for serials made before the addon.
        lot.serial_facts_id.sudo().entry_origin = False
        self._deliver(self.laptop, [(lot, 1)])
        self.assertFalse(lot.entry_origin)
        self.assertFalse(lot.to_investigate)

    def test_to_investigate_filter(self):
        flagged = self._typed_serial(self.laptop, "SN-NEW")
        self._deliver(self.laptop, [(flagged, 1)])
        self._receive(self.laptop, [("SN-OK", 1)])
        arch = self.env["stock.lot"].get_views([(False, "search")])["views"]["search"][
            "arch"
        ]
        node = etree.fromstring(arch).xpath("//filter[@name='to_investigate']")[0]
        self.assertEqual(node.get("string"), "To Investigate")

        found = self.env["stock.lot"].search(eval_view_expression(node.get("domain")))

        self.assertIn(flagged, found)
        self.assertNotIn(self._lots(self.laptop, "SN-OK"), found)

    # ------------------------------------------------------------------
    # Retrospective receipt
    # ------------------------------------------------------------------

    def _flagged_serial(self):
        lot = self._typed_serial(self.laptop, "SN-NEW")
        self._deliver(self.laptop, [(lot, 1)])
        return lot

    def test_retrospective_receipt_puts_stock_right(self):
        lot = self._flagged_serial()
        when = fields.Datetime.now() - timedelta(days=10)
        action = lot.with_user(self.manager).action_retrospective_receipt()
        self.assertEqual(action["res_model"], "stock.lot.retrospective.receipt")
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        self.assertEqual(form.lot_id, lot)
        self.assertEqual(form.location_dest_id, self.stock_location)
        self.assertEqual(form.quantity, 1.0)
        form.date = when
        wizard = form.save()

        wizard.action_confirm()

        self.assertFalse(
            self._stock(self.laptop).get(("SN-NEW", self.stock_location.id))
        )
        self.assertEqual(lot.product_qty, 0)
        move = self.env["stock.move"].search(
            [
                ("move_line_ids.lot_id", "=", lot.id),
                ("location_dest_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_id.usage, "supplier")
        self.assertEqual(move.date, when)
        self.assertEqual(move.move_line_ids.date, when)
        self.assertFalse(lot.to_investigate)
        self.assertEqual(lot.entry_origin, "transfer")  # where it first appeared
        self.assertFalse(self._investigations(lot))
        self.assertTrue(
            lot.message_ids.filtered(
                lambda message: "Retrospective receipt" in (message.body or "")
            )
        )

    def test_retrospective_receipt_of_a_batch_serial_defaults_to_what_is_missing(self):
        lot = self._typed_serial(self.carpet, "ROLL-NEW")
        self._deliver(self.carpet, [(lot, 4.5)], location=self.shelf)
        wizard = (
            self.env["stock.lot.retrospective.receipt"]
            .with_user(self.manager)
            .create({"lot_id": lot.id})
        )
        self.assertEqual(wizard.location_dest_id, self.shelf)
        self.assertEqual(wizard.quantity, 4.5)
        wizard.action_confirm()
        self.assertFalse(self._stock(self.carpet))

    def test_retrospective_receipt_dated_before_the_serial_left(self):
        lot = self._flagged_serial()
        delivery = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("state", "=", "done")]
        )
        vendor = self.env["res.partner"].create({"name": "Serial Vendor"})
        form = Form(
            self.env["stock.lot.retrospective.receipt"]
            .with_user(self.manager)
            .with_context(default_lot_id=lot.id)
        )
        self.assertEqual(form.date, delivery.date - timedelta(seconds=1))
        form.partner_id = vendor
        form.reference = "VENDOR-DN-42"
        form.save().action_confirm()

        receipt = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("location_id.usage", "=", "supplier")]
        )
        self.assertLess(receipt.date, delivery.date)
        self.assertEqual(receipt.move_id.partner_id, vendor)
        self.assertEqual(receipt.move_id.origin, "VENDOR-DN-42")
        # Received, then delivered: the serial is where the delivery took it.
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.history_ids.mapped("kind"), ["receipt", "delivery"])
        self.assertFalse(lot.to_investigate)

    def test_retrospective_receipt_after_the_serial_left_refused(self):
        lot = self._flagged_serial()
        delivery = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("state", "=", "done")]
        )
        delivery.date = fields.Datetime.now() - timedelta(hours=2)
        wizard = (
            self.env["stock.lot.retrospective.receipt"]
            .with_user(self.manager)
            .create({"lot_id": lot.id, "date": delivery.date + timedelta(hours=1)})
        )
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        message = str(caught.exception)
        self.assertIn("SN-NEW first left stock on", message)
        self.assertIn(delivery.picking_id.name, message)
        self.assertIn("Date the receipt earlier", message)
        self.assertEqual(self._db_snapshot(), before)
        self.assertTrue(lot.to_investigate)

    def test_retrospective_receipt_only_for_stock_managers(self):
        lot = self._flagged_serial()
        before = self._db_snapshot()
        with self.assertRaises(AccessError):
            lot.with_user(self.stock_user).action_retrospective_receipt()
        with self.assertRaises(AccessError):
            self.env["stock.lot.retrospective.receipt"].with_user(
                self.stock_user
            ).create({"lot_id": lot.id, "date": fields.Datetime.now()})
        wizard = self.env["stock.lot.retrospective.receipt"].create(
            {"lot_id": lot.id, "date": fields.Datetime.now()}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.stock_user).action_confirm()
        self.assertEqual(self._db_snapshot(), before)
        self.assertTrue(lot.to_investigate)

    def test_retrospective_receipt_refusals(self):
        lot = self._flagged_serial()
        self._receive(self.laptop, [("SN-IN", 1)])
        in_stock = self._lots(self.laptop, "SN-IN")
        Wizard = self.env["stock.lot.retrospective.receipt"].with_user(self.manager)
        now = fields.Datetime.now()
        cases = [
            ({"lot_id": lot.id, "date": now, "quantity": 2}, "one unit is received"),
            ({"lot_id": lot.id, "date": now, "quantity": 0}, "must be positive"),
            ({"lot_id": lot.id, "date": now + timedelta(days=2)}, "in the future"),
            (
                {
                    "lot_id": lot.id,
                    "date": now,
                    "location_dest_id": self.customer_location.id,
                },
                "is not a stock location",
            ),
            ({"lot_id": in_stock.id, "date": now}, "is already in stock"),
        ]
        for values, message in cases:
            with self.subTest(message=message):
                before = self._db_snapshot()
                wizard = Wizard.create(values)
                with self.assertRaises(UserError) as caught:
                    wizard.action_confirm()
                self.assertIn(message, str(caught.exception))
                self.assertEqual(self._db_snapshot(), before)
                self.assertTrue(lot.to_investigate)


@tagged("post_install", "-at_install")
class TestInvoiceSerialInvestigation(InvestigationMixin, SerialInvoiceCase):
    """A serial typed on a customer invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.stock_manager

    def test_serial_typed_on_an_invoice_by_an_invoicing_user(self):
        clerk = self._create_user(
            "serial_invoice_clerk", "base.group_user,account.group_account_invoice"
        )
        env = self.env(user=clerk)
        lot = self._typed_serial(self.laptop, "SN-TYPED", env=env)
        invoice = self._invoice([(self.laptop, 1, lot)], env=env)

        invoice.with_user(clerk).action_post()

        self.assertEqual(invoice.state, "posted")
        self._assert_flagged(lot, "invoice", invoice.name)
        self.assertEqual(
            self._quantities(self.laptop)[("SN-TYPED", self.stock_location.id)], -1
        )

        wizard = (
            self.env["stock.lot.retrospective.receipt"]
            .with_user(self.manager)
            .create(
                {"lot_id": lot.id, "date": fields.Datetime.now() - timedelta(days=1)}
            )
        )
        wizard.action_confirm()
        self.assertFalse(self._stock(self.laptop))
        self.assertFalse(lot.to_investigate)

        # Reset to draft brings the serial back, as for any other.
        invoice.button_draft()
        self.assertEqual(
            self._stock(self.laptop), {("SN-TYPED", self.stock_location.id): 1}
        )

    def test_batch_serial_typed_on_an_invoice_takes_the_rest(self):
        self._receive(self.carpet, [("ROLL-A", 4.0)])
        typed = self._typed_serial(self.carpet, "ROLL-TYPED")
        invoice = self._invoice(
            [(self.carpet, 10.0, self._lots(self.carpet, "ROLL-A") | typed)], post=True
        )
        moved = {
            line.lot_id.name: line.quantity
            for line in invoice.serial_picking_ids.move_line_ids
        }
        self.assertEqual(moved, {"ROLL-A": 4.0, "ROLL-TYPED": 6.0})
        self._assert_flagged(typed, "invoice", invoice.name)
        self.assertFalse(self._lots(self.carpet, "ROLL-A").to_investigate)
