# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialTrackingCase
from .common_apps import SerialAppsMixin


@tagged("post_install", "-at_install", "-standard", "serial_apps")
class TestAppsManufacturing(SerialAppsMixin, SerialTrackingCase):
    """A manufacturing order consumes component serials and makes a finished
    serial; an unbuild gives the components back. The serials say so, and a
    batch serial's recall finds the customers who received it inside the
    finished serial."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manufacturer = new_test_user(
            cls.env,
            "serial_manufacturer",
            groups="base.group_user,mrp.group_mrp_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Serial Customer"}
        )
        cls.drone = cls._create_product("Test Drone", "serial")
        cls.motor = cls._create_product("Test Drone Motor", "serial")
        cls.glue = cls._create_product("Test Drone Glue", "lot")
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.drone.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.motor.id, "product_qty": 1}),
                    Command.create({"product_id": cls.glue.id, "product_qty": 2}),
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self._receive(self.motor, [("MOTOR-1", 1)])
        self._receive(self.glue, [("GLUE-1", 10)])
        self.motor_serial = self._lot("MOTOR-1", self.motor)
        self.glue_batch = self._lot("GLUE-1", self.glue)

    def _manufacture(self):
        """A manufacturing order of one drone, made by a manufacturing user
        through the order's form: the components' serials set, the drone's
        serial given, marked as done."""
        Production = self.env["mrp.production"].with_user(self.manufacturer)
        form = Form(Production)
        form.product_id = self.drone
        form.bom_id = self.bom
        form.product_qty = 1
        production = form.save()
        production.action_confirm()
        production.action_assign()
        form = Form(production)
        form.qty_producing = 1
        form.lot_producing_id = self._create_lot(self.drone, "DRONE-1")
        production = form.save()
        for product, lot, quantity in (
            (self.motor, self.motor_serial, 1),
            (self.glue, self.glue_batch, 2),
        ):
            move = production.move_raw_ids.filtered(
                lambda move, product=product: move.product_id == product
            )
            move.move_line_ids.write({"lot_id": lot.id, "quantity": quantity})
        production.move_raw_ids.picked = True
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        return production, self._lot("DRONE-1", self.drone)

    def _recall(self, lot):
        """The rows of "Where did it go" for the serial, as its button opens
        them."""
        action = lot.action_serial_recall()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "stock.lot.recall")
        self.assertIn(
            "lot_id",
            [term[0] for term in action["domain"] if isinstance(term, list | tuple)],
        )
        Recall = self.env["stock.lot.recall"]
        rows = Recall.search([("lot_id", "=", lot.id)])
        self.assertEqual(Recall.search(action["domain"]), rows)
        return rows

    def test_production_consumes_and_makes_serials(self):
        production, drone = self._manufacture()

        motor = self._fresh(self.motor_serial)
        self.assertEqual(motor.serial_state, "consumed")
        self.assertEqual(motor.history_ids[-1].kind, "consumed")
        self.assertEqual(motor.history_ids[-1].reference, production.name)
        self.assertEqual(
            self._events(self.glue_batch)[-1], ("consumed", production.name)
        )
        self.assertEqual(self.glue_batch.history_ids[-1].quantity, 2)
        self.assertEqual(self.glue_batch.serial_state, "in_stock")
        self.assertEqual(drone.history_ids[0].kind, "manufactured")
        self.assertEqual(drone.entry_origin, "manufactured")
        self.assertEqual(drone.serial_state, "in_stock")
        self.assertFalse(drone.to_investigate)
        self.assertEqual(drone.component_lot_ids, self.motor_serial | self.glue_batch)
        self.assertEqual(motor.finished_lot_ids, drone)
        self.assertEqual(self.glue_batch.finished_lot_ids, drone)
        self.assertEqual(drone.production_reference, production.name)
        self.assertEqual(
            self._stock(self.drone), {("DRONE-1", self.stock_location.id): 1}
        )

    def test_recall_follows_the_batch_into_the_finished_serial(self):
        _production, drone = self._manufacture()
        self.assertFalse(self._recall(self.glue_batch))

        self._deliver(self.drone, [(drone, 1)])

        row = self._recall(self.glue_batch)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.partner_id, self.partner)
        self.assertEqual(row.delivered_lot_id, drone)
        self.assertEqual(row.quantity, 1)
        self.assertEqual(row.component_quantity, 2)
        self.assertTrue(row.date)

        # Part of the batch delivered as such to another customer.
        self._picking(
            self.warehouse.out_type_id,
            self.glue,
            self.stock_location,
            self.customer_location,
            [(self.glue_batch, 3)],
            partner=self.other_customer,
        )

        rows = self._recall(self.glue_batch)
        # Both deliveries may fall in the same second: compared in any order.
        self.assertCountEqual(
            [
                (
                    row.partner_id,
                    row.delivered_lot_id,
                    row.quantity,
                    row.component_quantity,
                )
                for row in rows
            ],
            [
                (self.partner, drone, 1, 2),
                (self.other_customer, self.glue_batch, 3, 3),
            ],
        )

    def test_traceability_opens_odoo_report_of_the_serial(self):
        _production, drone = self._manufacture()

        action = drone.with_user(self.manufacturer).action_serial_traceability()

        self.assertEqual(action["id"], self.env.ref("stock.action_stock_report").id)
        context = action["context"]
        if isinstance(context, str):
            context = safe_eval(context)
        self.assertEqual(context["active_id"], drone.id)
        self.assertEqual(context["active_model"], "stock.lot")
        # The report's client action passes active_model on as model.
        lines = (
            self.env["stock.traceability.report"]
            .with_context(active_id=drone.id, model="stock.lot")
            .get_lines()
        )
        self.assertTrue(lines)

    def test_unbuild_gives_the_components_back(self):
        production, drone = self._manufacture()
        form = Form(self.env["mrp.unbuild"].with_user(self.manufacturer))
        form.mo_id = production
        unbuild = form.save()
        self.assertEqual(unbuild.lot_id, drone)

        unbuild.action_unbuild()

        drone = self._fresh(drone)
        self.assertEqual(drone.serial_state, "unbuilt")
        self.assertEqual(drone.history_ids[-1].kind, "unbuild")
        for component in (self.motor_serial, self.glue_batch):
            self.assertEqual(component.serial_state, "in_stock")
            self.assertEqual(component.history_ids[-1].kind, "unbuild")
        self.assertEqual(
            self._stock(self.motor), {("MOTOR-1", self.stock_location.id): 1}
        )
        self.assertEqual(
            self._stock(self.glue), {("GLUE-1", self.stock_location.id): 10}
        )
        self.assertFalse(self._stock(self.drone))
