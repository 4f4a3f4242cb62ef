# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase
from .common_invoice import SerialDocumentsMixin, eval_view_expression, view_field

OPERATIONS = "stock.view_stock_move_line_operation_tree"
DETAILED = "stock.view_stock_move_line_detailed_operation_tree"


@tagged("post_install", "-at_install")
class TestTransferSerialPickers(SerialDocumentsMixin, SerialTrackingCase):
    """The serial pickers of transfers and write-offs offer what is in stock."""

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-1", 1), ("SN-3", 1)])
        self._receive(self.laptop, [("SN-2", 1)], location=self.shelf)
        self._deliver(self.laptop, [(self._lots(self.laptop, "SN-3"), 1)])
        self._receive(self.carpet, [("ROLL-A", 4.0)])
        self._receive(self.carpet, [("ROLL-B", 10.0)], location=self.shelf)

    def _transfer(self, product, quantity, picking_type, source, destination):
        """A confirmed transfer without reserved lines: the user picks serials."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        return picking

    def _operations_picker(self, move, line_values=None):
        """(domain, context, hidden) of the serial column of the move's details."""
        node = view_field(self.env, OPERATIONS, "lot_id")
        parent = {
            "product_id": move.product_id.id,
            "location_id": move.location_id.id,
            "picking_code": move.picking_code,
            "has_tracking": move.has_tracking,
            "show_quant": move.show_quant,
            "show_lots_m2o": move.show_lots_m2o,
            "show_lots_text": move.show_lots_text,
            "picking_type_entire_packs": False,
        }
        values = {
            "company_id": move.company_id.id,
            "picking_id": move.picking_id.id,
            "state": "assigned",
            "package_level_id": False,
            **(line_values or {}),
        }
        return (
            eval_view_expression(node.get("domain"), parent=parent, **values),
            eval_view_expression(node.get("context"), parent=parent, **values),
            eval_view_expression(node.get("column_invisible"), parent=parent, **values),
        )

    def _names(self, domain, context):
        return sorted(
            name
            for _id, name in self.env["stock.lot"]
            .with_context(**context)
            .name_search("", args=domain)
        )

    def test_delivery_picker_offers_serials_in_stock_under_the_source(self):
        delivery = self._transfer(
            self.laptop,
            1,
            self.warehouse.out_type_id,
            self.stock_location,
            self.customer_location,
        )
        domain, context, hidden = self._operations_picker(delivery.move_ids)

        self.assertFalse(hidden, "the serial picker shows on deliveries")
        self.assertEqual(context["serial_picker_location_id"], self.stock_location.id)
        # SN-3 was delivered already; SN-2 is on a shelf under the stock.
        self.assertEqual(
            self._names(domain, context), ["SN-1 (1 Units)", "SN-2 (1 Units)"]
        )

    def test_internal_transfer_picker_offers_only_the_source_location(self):
        transfer = self._transfer(
            self.carpet, 2, self.warehouse.int_type_id, self.shelf, self.stock_location
        )
        domain, context, hidden = self._operations_picker(transfer.move_ids)
        self.assertFalse(hidden)
        self.assertEqual(self._names(domain, context), ["ROLL-B (10 Units)"])

    def test_receipt_picker_is_left_as_odoo_has_it(self):
        receipt = self._transfer(
            self.laptop,
            1,
            self.warehouse.in_type_id,
            self.supplier_location,
            self.stock_location,
        )
        domain, context, _hidden = self._operations_picker(receipt.move_ids)
        self.assertNotIn(
            "serial_picker_location_id", {k for k, v in context.items() if v}
        )
        self.assertEqual(
            domain,
            [
                ("product_id", "=", self.laptop.id),
                "|",
                ("company_id", "=", self.company.id),
                ("company_id", "=", False),
            ],
        )

    def test_detailed_operations_picker(self):
        delivery = self._transfer(
            self.laptop,
            1,
            self.warehouse.out_type_id,
            self.stock_location,
            self.customer_location,
        )
        node = view_field(self.env, DETAILED, "lot_id")
        values = {
            "product_id": self.laptop.id,
            "company_id": self.company.id,
            "picking_id": delivery.id,
            "picking_location_id": self.stock_location.id,
            "picking_code": "outgoing",
            "state": "assigned",
        }
        action_context = delivery.action_detailed_operations()["context"]
        self.assertFalse(
            eval_view_expression(
                node.get("column_invisible"), context=action_context, **values
            )
        )
        domain = eval_view_expression(node.get("domain"), **values)
        context = eval_view_expression(node.get("context"), **values)
        self.assertEqual(
            self._names(domain, context), ["SN-1 (1 Units)", "SN-2 (1 Units)"]
        )

    def test_batch_serial_picked_is_taken_where_it_is(self):
        delivery = self._transfer(
            self.carpet,
            3,
            self.warehouse.out_type_id,
            self.stock_location,
            self.customer_location,
        )
        form = Form(delivery.move_ids, view="stock.view_stock_move_operations")
        with form.move_line_ids.new() as line:
            line.lot_id = self._lots(self.carpet, "ROLL-B")
            self.assertEqual(line.location_id, self.shelf)
            line.quantity = 3
        form.save()
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(
            self._stock(self.carpet),
            {("ROLL-A", self.stock_location.id): 4.0, ("ROLL-B", self.shelf.id): 7.0},
        )

    def test_write_off_picker_and_full_quantity_of_a_batch_serial(self):
        node = view_field(self.env, "stock.stock_scrap_form_view", "lot_id")
        values = {
            "product_id": self.carpet.id,
            "company_id": self.company.id,
            "location_id": self.stock_location.id,
            "state": "draft",
        }
        domain = eval_view_expression(node.get("domain"), **values)
        context = eval_view_expression(node.get("context"), **values)
        self.assertEqual(
            self._names(domain, context),
            ["ROLL-A (4 Units)", "ROLL-B (10 Units)"],
        )
        values["location_id"] = self.shelf.id
        self.assertEqual(
            self._names(eval_view_expression(node.get("domain"), **values), context),
            ["ROLL-B (10 Units)"],
        )

        clerk = self._create_user(
            "serial_stock_clerk",
            "base.group_user,stock.group_stock_user,stock.group_stock_multi_locations",
        )
        form = Form(
            self.env["stock.scrap"].with_user(clerk), view="stock.stock_scrap_form_view"
        )
        form.product_id = self.carpet
        form.location_id = self.stock_location
        form.lot_id = self._lots(self.carpet, "ROLL-B")
        self.assertEqual(form.location_id, self.shelf)
        self.assertEqual(form.scrap_qty, 10.0)
        form.location_id = self.stock_location
        form.lot_id = self._lots(self.carpet, "ROLL-A")
        self.assertEqual(form.location_id, self.stock_location)
        self.assertEqual(form.scrap_qty, 4.0)
        scrap = form.save()
        scrap.do_scrap()
        self.assertEqual(self._stock(self.carpet), {("ROLL-B", self.shelf.id): 10.0})

    def test_write_off_picker_from_the_transfer(self):
        node = view_field(self.env, "stock.stock_scrap_form_view2", "lot_id")
        values = {
            "product_id": self.laptop.id,
            "company_id": self.company.id,
            "location_id": self.shelf.id,
            "state": "draft",
        }
        domain = eval_view_expression(node.get("domain"), **values)
        context = eval_view_expression(node.get("context"), **values)
        self.assertEqual(self._names(domain, context), ["SN-2 (1 Units)"])

    def test_serial_typed_in_a_delivery_picker_is_created(self):
        delivery = self._transfer(
            self.laptop,
            1,
            self.warehouse.out_type_id,
            self.stock_location,
            self.customer_location,
        )
        self.assertFalse(delivery.picking_type_id.use_create_lots)
        _domain, context, _hidden = self._operations_picker(delivery.move_ids)
        Lot = self.env["stock.lot"].with_context(**context)

        lot_id, name = Lot.name_create("SN-TYPED")

        self.assertEqual(name, "SN-TYPED (0 Units)")
        self.assertEqual(self.env["stock.lot"].browse(lot_id).product_id, self.laptop)
        # Outside the picker, Odoo's rule of the operation type stands.
        with self.assertRaises(UserError):
            self.env["stock.lot"].with_context(
                active_picking_id=delivery.id, default_product_id=self.laptop.id
            ).name_create("SN-OTHER")

    def test_labels_only_in_pickers(self):
        lot = self._lots(self.laptop, "SN-1")
        self.assertEqual(lot.display_name, "SN-1")
        self.assertEqual(
            lot.with_context(
                serial_picker_location_id=self.stock_location.id
            ).display_name,
            "SN-1 (1 Units)",
        )
        self.assertEqual(
            lot.with_context(serial_picker_location_id=self.shelf.id).display_name,
            "SN-1 (0 Units)",
        )
