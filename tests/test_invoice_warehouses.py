# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_invoice import SerialInvoiceCase, invoice_picker_domain


@tagged("post_install", "-at_install")
class TestInvoiceWarehouses(SerialInvoiceCase):
    """Invoices sell serials from every warehouse of their company and take
    them back where they left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wh1 = cls.warehouse
        cls.wh2 = cls.env["stock.warehouse"].create(
            {"name": "Second Warehouse", "code": "WH2", "company_id": cls.company.id}
        )
        cls.wh3 = cls.env["stock.warehouse"].create(
            {"name": "Third Warehouse", "code": "WH3", "company_id": cls.company.id}
        )
        cls.customers = cls.partner.property_stock_customer

    def setUp(self):
        super().setUp()
        self._receive_in(self.wh1, self.laptop, [("SN-W1", 1)])
        self._receive_in(self.wh2, self.laptop, [("SN-W2", 1), ("SN-W2B", 1)])
        self._receive_in(self.wh3, self.laptop, [("SN-W3", 1)])
        self._receive_in(self.wh1, self.carpet, [("ROLL-X", 5.0)])
        roll = self._lots(self.carpet, "ROLL-X")
        self._receive_in(self.wh2, self.carpet, [(roll, 4.0)])
        self._receive_in(self.wh3, self.carpet, [(roll, 3.0)])

    def _receive_in(self, warehouse, product, lines):
        return self._picking(
            warehouse.in_type_id,
            product,
            self.supplier_location,
            warehouse.lot_stock_id,
            lines,
            partner=self.partner,
        )

    def _per_warehouse(self, product):
        """{(serial, warehouse code): quantity} of the product in stock."""
        result = {}
        for (name, location_id), quantity in self._stock(product).items():
            code = self.env["stock.location"].browse(location_id).warehouse_id.code
            result[name, code] = result.get((name, code), 0.0) + quantity
        return result

    def _sn(self, *names):
        return self._lots(self.laptop, *names)

    def _picker(self, line):
        """The serial picker of the line: {name: label} of what it offers."""
        domain = invoice_picker_domain(line)
        Lot = self.env["stock.lot"].with_context(
            serial_picker_location_id=line.serial_location_ids.ids
        )
        return dict(
            (Lot.browse(lot_id).name, label)
            for lot_id, label in Lot.name_search("", args=domain, limit=None)
        )

    # ------------------------------------------------------------------
    # The invoice's warehouse
    # ------------------------------------------------------------------

    def test_invoice_warehouse_defaults_to_the_users_else_the_first(self):
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-W1"))])
        self.assertEqual(invoice.serial_warehouse_id, self.wh1)
        self.assertTrue(invoice.serial_several_warehouses)
        self.env.user.property_warehouse_id = self.wh2
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-W1"))])
        self.assertEqual(invoice.serial_warehouse_id, self.wh2)
        line = invoice.invoice_line_ids
        self.assertEqual(line.serial_location_id, self.wh2.lot_stock_id)
        self.assertEqual(
            line.serial_location_ids,
            self.wh2.lot_stock_id | self.wh1.lot_stock_id | self.wh3.lot_stock_id,
            "the invoice's warehouse first, then the others in order",
        )

    def test_invoice_warehouse_shown_in_the_form_only_with_several(self):
        form = self._invoice_form()
        self.assertEqual(form.serial_warehouse_id, self.wh1)
        form.serial_warehouse_id = self.wh3
        with form.invoice_line_ids.new() as line:
            line.product_id = self.laptop
            line.quantity = 1
            line.lot_ids.add(self._sn("SN-W2"))
        invoice = form.save()
        self.assertEqual(invoice.serial_warehouse_id, self.wh3)
        invoice.action_post()
        self.assertEqual(
            invoice.serial_picking_ids.picking_type_id, self.wh2.out_type_id
        )
        one_warehouse = self.env["res.company"].create({"name": "One Warehouse Co"})
        draft = self.env["account.move"].new(
            {"move_type": "out_invoice", "company_id": one_warehouse.id}
        )
        self.assertFalse(draft.serial_several_warehouses)
        self.assertEqual(
            draft.serial_warehouse_id.company_id, one_warehouse, "its only warehouse"
        )

    def test_warehouse_of_another_company_refused(self):
        other = self.env["res.company"].create({"name": "Other Serial Company"})
        foreign = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-W2"))])
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            invoice.serial_warehouse_id = foreign
            invoice.flush_recordset()
        self.assertIn("Serials Warehouse", str(caught.exception))
        invoice.invalidate_recordset()
        self.assertEqual(invoice.serial_warehouse_id, self.wh1)
        self.assertEqual(self._db_snapshot(), before)

    # ------------------------------------------------------------------
    # The picker
    # ------------------------------------------------------------------

    def test_picker_offers_serials_of_every_warehouse_saying_where(self):
        invoice = self._invoice(
            [
                (self.laptop, 1, self.env["stock.lot"]),
                (self.carpet, 1, self.env["stock.lot"]),
            ]
        )
        laptop_line, carpet_line = invoice.invoice_line_ids
        offered = self._picker(laptop_line)
        self.assertEqual(set(offered), {"SN-W1", "SN-W2", "SN-W2B", "SN-W3"})
        self.assertIn("at Second Warehouse", offered["SN-W2"])
        self.assertIn("at Third Warehouse", offered["SN-W3"])
        self.assertIn("1 Units", offered["SN-W2"])
        roll = self._picker(carpet_line)["ROLL-X"]
        self.assertIn("12 Units", roll)
        # Held in several warehouses: their short codes, to fit the picker.
        self.assertIn(f"at {self.wh1.code}, WH2, WH3", roll)

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def test_post_delivers_from_each_warehouse_one_delivery_each(self):
        self.assertEqual(
            self._per_warehouse(self.laptop),
            {
                ("SN-W1", self.wh1.code): 1.0,
                ("SN-W2", "WH2"): 1.0,
                ("SN-W2B", "WH2"): 1.0,
                ("SN-W3", "WH3"): 1.0,
            },
        )
        self.assertEqual(
            self._per_warehouse(self.carpet),
            {
                ("ROLL-X", self.wh1.code): 5.0,
                ("ROLL-X", "WH2"): 4.0,
                ("ROLL-X", "WH3"): 3.0,
            },
        )
        invoice = self._invoice(
            [
                (self.laptop, 2, self._sn("SN-W1", "SN-W2")),
                (self.carpet, 2, self._lots(self.carpet, "ROLL-X")),
            ],
            post=True,
        )
        pickings = invoice.serial_picking_ids
        self.assertEqual(len(pickings), 2, "one delivery per warehouse involved")
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertEqual(
            pickings.picking_type_id, self.wh1.out_type_id | self.wh2.out_type_id
        )
        by_type = {picking.picking_type_id: picking for picking in pickings}
        self.assertEqual(
            by_type[self.wh2.out_type_id].move_line_ids.lot_id.mapped("name"),
            ["SN-W2"],
        )
        self.assertEqual(
            sorted(by_type[self.wh1.out_type_id].move_line_ids.lot_id.mapped("name")),
            ["ROLL-X", "SN-W1"],
        )
        self.assertEqual(
            self._per_warehouse(self.laptop),
            {("SN-W2B", "WH2"): 1.0, ("SN-W3", "WH3"): 1.0},
        )
        self.assertEqual(
            self._per_warehouse(self.carpet),
            {
                ("ROLL-X", self.wh1.code): 3.0,
                ("ROLL-X", "WH2"): 4.0,
                ("ROLL-X", "WH3"): 3.0,
            },
        )
        action = invoice.action_view_serial_pickings()
        self.assertEqual(action["domain"], [("id", "in", pickings.ids)])

    def test_batch_drawn_from_the_invoice_warehouse_first(self):
        roll = self._lots(self.carpet, "ROLL-X")
        invoice = self._invoice([(self.carpet, 6, roll)])
        invoice.serial_warehouse_id = self.wh2
        invoice.action_post()
        self.assertEqual(
            self._per_warehouse(self.carpet),
            # 4 from WH2 first, then 2 from WH, the first of the others.
            {("ROLL-X", self.wh1.code): 3.0, ("ROLL-X", "WH3"): 3.0},
        )
        self.assertEqual(
            len(invoice.serial_picking_ids), 2, "one delivery per warehouse"
        )
        invoice = self._invoice([(self.carpet, 5, roll)])
        invoice.serial_warehouse_id = self.wh3
        invoice.action_post()
        self.assertEqual(
            self._per_warehouse(self.carpet), {("ROLL-X", self.wh1.code): 1.0}
        )

    def test_serial_typed_in_leaves_from_the_invoice_warehouse(self):
        typed = self._create_lot(self.laptop, "SN-TYPED")
        invoice = self._invoice([(self.laptop, 1, typed)])
        invoice.serial_warehouse_id = self.wh3
        invoice.action_post()
        self.assertEqual(
            invoice.serial_picking_ids.picking_type_id, self.wh3.out_type_id
        )
        self.assertTrue(typed.to_investigate)

    def test_serial_sold_in_no_warehouse_refused(self):
        self._deliver(self.laptop, [(self._sn("SN-W1"), 1)])
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-W1"))])
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        message = str(caught.exception)
        self.assertIn("SN-W1 is not available in", message)
        for warehouse in (self.wh1, self.wh2, self.wh3):
            self.assertIn(warehouse.lot_stock_id.display_name, message)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._db_snapshot(), before)

    # ------------------------------------------------------------------
    # Taking serials back
    # ------------------------------------------------------------------

    def test_reset_to_draft_and_cancel_return_each_serial_where_it_left(self):
        roll = self._lots(self.carpet, "ROLL-X")
        invoice = self._invoice(
            [(self.laptop, 2, self._sn("SN-W2", "SN-W3")), (self.carpet, 7, roll)],
            post=True,
        )
        laptops, carpet = (
            self._per_warehouse(self.laptop),
            self._per_warehouse(self.carpet),
        )
        # 5 from the invoice's warehouse, then 2 from the next one.
        self.assertEqual(carpet, {("ROLL-X", "WH2"): 2.0, ("ROLL-X", "WH3"): 3.0})
        invoice.button_draft()
        self.assertEqual(
            self._per_warehouse(self.laptop),
            {**laptops, ("SN-W2", "WH2"): 1.0, ("SN-W3", "WH3"): 1.0},
        )
        self.assertEqual(
            self._per_warehouse(self.carpet),
            {
                ("ROLL-X", self.wh1.code): 5.0,
                ("ROLL-X", "WH2"): 4.0,
                ("ROLL-X", "WH3"): 3.0,
            },
        )
        returns = invoice.serial_picking_ids.filtered("return_id")
        self.assertEqual(len(returns), 3, "one return per delivery, per warehouse")
        invoice.action_post()
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(
            self._per_warehouse(self.laptop),
            {**laptops, ("SN-W2", "WH2"): 1.0, ("SN-W3", "WH3"): 1.0},
        )

    def test_credit_note_receives_into_the_warehouse_of_the_last_delivery(self):
        sold = self._invoice([(self.laptop, 2, self._sn("SN-W2", "SN-W3"))], post=True)
        self.assertEqual(len(sold.serial_picking_ids), 2)
        never_delivered = self._create_lot(self.laptop, "SN-NEVER")
        refund = self._invoice(
            [(self.laptop, 3, self._sn("SN-W2", "SN-W3") | never_delivered)],
            move_type="out_refund",
        )
        refund.serial_warehouse_id = self.wh1
        self.assertEqual(refund.invoice_line_ids.serial_location_ids, self.customers)
        refund.action_post()
        receipts = refund.serial_picking_ids
        self.assertEqual(len(receipts), 3, "one receipt per warehouse")
        self.assertEqual(
            {
                receipt.location_dest_id.warehouse_id.code: (
                    receipt.move_line_ids.lot_id.name
                )
                for receipt in receipts
            },
            {"WH2": "SN-W2", "WH3": "SN-W3", self.wh1.code: "SN-NEVER"},
        )
        self.assertEqual(
            {
                key: quantity
                for key, quantity in self._per_warehouse(self.laptop).items()
                if key[0] in ("SN-W2", "SN-W3", "SN-NEVER")
            },
            {
                ("SN-W2", "WH2"): 1.0,
                ("SN-W3", "WH3"): 1.0,
                ("SN-NEVER", self.wh1.code): 1.0,
            },
        )
