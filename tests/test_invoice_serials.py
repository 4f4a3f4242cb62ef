# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common_invoice import SerialInvoiceCase, invoice_picker_domain, view_field


@tagged("post_install", "-at_install")
class TestInvoiceSerials(SerialInvoiceCase):
    """Serials on customer invoices: picking, posting, returns, credit notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.partner.property_stock_customer

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-1", 1), ("SN-2", 1), ("SN-3", 1)])
        self._receive(self.laptop, [("SN-4", 1)], location=self.shelf)
        self._receive(self.carpet, [("ROLL-A", 4.0)])
        self._receive(self.carpet, [("ROLL-B", 10.0)], location=self.shelf)

    def _assert_sane(self, product):
        """No negative quant in stock; a unique serial is one unit at most."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
        )
        self.assertFalse(
            quants.filtered(lambda quant: quant.quantity < 0), "negative stock"
        )
        if product.tracking == "serial":
            for lot in quants.lot_id:
                self.assertLessEqual(
                    sum(
                        quants.filtered(
                            lambda quant, lot=lot: quant.lot_id == lot
                        ).mapped("quantity")
                    ),
                    1,
                    f"{lot.name} counted twice",
                )

    def _sn(self, *names):
        return self._lots(self.laptop, *names)

    # ------------------------------------------------------------------
    # Posting delivers
    # ------------------------------------------------------------------

    def test_post_through_the_form_delivers_the_serials(self):
        form = self._invoice_form()
        with form.invoice_line_ids.new() as line:
            line.product_id = self.laptop
            line.quantity = 2
            self.assertEqual(line.serial_location_id, self.stock_location)
            line.lot_ids.add(self._lots(self.laptop, "SN-1"))
            line.lot_ids.add(self._lots(self.laptop, "SN-4"))
        invoice = form.save()
        self.assertEqual(self._stock(self.laptop)[("SN-4", self.shelf.id)], 1)

        invoice.action_post()

        self.assertEqual(invoice.state, "posted")
        picking = invoice.serial_picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(picking.origin, invoice.name)
        self.assertEqual(picking.serial_invoice_ids, invoice)
        self.assertEqual(invoice.serial_picking_count, 1)
        self.assertEqual(
            sorted(
                (line.lot_id.name, line.location_id, line.quantity)
                for line in picking.move_line_ids
            ),
            [("SN-1", self.stock_location, 1.0), ("SN-4", self.shelf, 1.0)],
        )
        self.assertEqual(
            self._stock(self.laptop),
            {("SN-2", self.stock_location.id): 1, ("SN-3", self.stock_location.id): 1},
        )
        self.assertEqual(
            self._sn("SN-1", "SN-4")
            .mapped("quant_ids")
            .filtered(lambda quant: quant.location_id == self.customers)
            .mapped("quantity"),
            [1.0, 1.0],
        )
        self._assert_sane(self.laptop)
        action = invoice.action_view_serial_pickings()
        self.assertEqual(action["res_id"], picking.id)

    def test_batch_serials_taken_in_order_until_covered(self):
        invoice = self._invoice(
            [(self.carpet, 6.0, self._lots(self.carpet, "ROLL-A", "ROLL-B"))], post=True
        )
        moved = {
            (line.lot_id.name, line.location_id): line.quantity
            for line in invoice.serial_picking_ids.move_line_ids
        }
        self.assertEqual(
            moved, {("ROLL-A", self.stock_location): 4.0, ("ROLL-B", self.shelf): 2.0}
        )
        self.assertEqual(self._stock(self.carpet), {("ROLL-B", self.shelf.id): 8.0})

    def test_batch_serials_first_expiring_first(self):
        self._receive(self.yoghurt, [("POT-LATE", 10.0), ("POT-SOON", 5.0)])
        late, soon = (
            self._lots(self.yoghurt, "POT-LATE"),
            self._lots(self.yoghurt, "POT-SOON"),
        )
        now = fields.Datetime.now()
        late.expiration_date = now + timedelta(days=20)
        soon.expiration_date = now + timedelta(days=10)

        invoice = self._invoice([(self.yoghurt, 8.0, late | soon)], post=True)

        moved = {
            line.lot_id.name: line.quantity
            for line in invoice.serial_picking_ids.move_line_ids
        }
        self.assertEqual(moved, {"POT-SOON": 5.0, "POT-LATE": 3.0})
        self.assertEqual(
            self._stock(self.yoghurt), {("POT-LATE", self.stock_location.id): 7.0}
        )

    def test_one_delivery_for_all_lines(self):
        invoice = self._invoice(
            [
                (self.laptop, 1, self._sn("SN-1")),
                (self.laptop, 1, self._sn("SN-2")),
                (self.carpet, 1.5, self._lots(self.carpet, "ROLL-A")),
            ],
            post=True,
        )
        picking = invoice.serial_picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(len(picking.move_ids), 2)  # one per product
        self.assertEqual(
            self._stock(self.carpet)[("ROLL-A", self.stock_location.id)], 2.5
        )

    def test_lines_without_tracked_products_move_nothing(self):
        invoice = self._invoice([(self.plain, 3, self.env["stock.lot"])], post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.serial_picking_ids)

    # ------------------------------------------------------------------
    # Refused postings: message, and nothing changed
    # ------------------------------------------------------------------

    def _assert_refused(self, invoice, *fragments):
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._db_snapshot(), before)
        return str(caught.exception)

    def test_refused_unique_count_differs_from_quantity(self):
        invoice = self._invoice([(self.laptop, 2, self._sn("SN-1"))])
        invoice.invoice_line_ids.name = "Laptop for Bob"
        self._assert_refused(
            invoice,
            "Line Laptop for Bob: 1 unique serials chosen for a quantity of 2.",
        )

    def test_refused_tracked_line_without_serials(self):
        invoice = self._invoice([(self.laptop, 1, self.env["stock.lot"])])
        self._assert_refused(invoice, "0 unique serials chosen for a quantity of 1.")

    def test_refused_unique_serial_twice(self):
        invoice = self._invoice(
            [(self.laptop, 1, self._sn("SN-1")), (self.laptop, 1, self._sn("SN-1"))]
        )
        self._assert_refused(invoice, "unique serial SN-1 is chosen more than once")

    def test_refused_batch_serials_do_not_cover(self):
        invoice = self._invoice(
            [(self.carpet, 20.0, self._lots(self.carpet, "ROLL-A", "ROLL-B"))]
        )
        self._assert_refused(
            invoice, "the serials chosen hold 14 Units", "less than the 20 Units"
        )

    def test_refused_batch_serial_not_needed(self):
        invoice = self._invoice(
            [(self.carpet, 3.0, self._lots(self.carpet, "ROLL-A", "ROLL-B"))]
        )
        self._assert_refused(invoice, "serial ROLL-B is not needed")

    def test_refused_serial_already_sold(self):
        self._deliver(self.laptop, [(self._sn("SN-1"), 1)])
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-1"))])
        self._assert_refused(
            invoice, "serial SN-1 is not available in", "already sold, written off"
        )

    def test_refused_serial_written_off(self):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": self._sn("SN-2").id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.do_scrap()
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-2"))])
        self._assert_refused(invoice, "serial SN-2 is not available")

    def test_refused_serial_of_another_company(self):
        other = self.setup_other_company()["company"]
        other_warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)]
        )
        lot = self.env["stock.lot"].create(
            {"name": "SN-OTHER", "product_id": self.laptop.id, "company_id": other.id}
        )
        self.env["stock.quant"].with_company(other)._update_available_quantity(
            self.laptop, other_warehouse.lot_stock_id, 1, lot_id=lot
        )
        # Refused on the line already (posting refuses it too: see
        # test_multi_company).
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            self._invoice([(self.laptop, 1, lot)])
        self.assertIn("Incompatible companies on records", str(caught.exception))
        self.assertIn("SN-OTHER", str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)

    def test_expired_serial_refused_unless_a_stock_manager_confirms(self):
        self._receive(self.yoghurt, [("POT-OLD", 5.0)])
        pot = self._lots(self.yoghurt, "POT-OLD")
        pot.expiration_date = fields.Datetime.now() - timedelta(days=2)
        clerk = self._create_user(
            "serial_clerk", "base.group_user,account.group_account_invoice"
        )
        invoice = self._invoice([(self.yoghurt, 2.0, pot)], env=self.env(user=clerk))

        message = self._assert_refused(
            invoice, "serial POT-OLD expired on", "stock manager"
        )
        self.assertIn("Sell Expired Serials", message)
        # The clerk cannot give the confirmation himself.
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).allow_expired_serials = True

        invoice.with_user(self.stock_manager).allow_expired_serials = True
        invoice.with_user(self.stock_manager).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            self._stock(self.yoghurt), {("POT-OLD", self.stock_location.id): 3.0}
        )

        # The consent holds for one posting only.
        invoice.button_draft()
        self.assertFalse(invoice.allow_expired_serials)
        self.assertEqual(
            self._stock(self.yoghurt), {("POT-OLD", self.stock_location.id): 5.0}
        )
        self._assert_refused(invoice.with_user(self.stock_manager), "POT-OLD expired")

    # ------------------------------------------------------------------
    # Reset to draft, cancel, credit notes: returns, never twice
    # ------------------------------------------------------------------

    def test_reset_to_draft_returns_and_posting_again_issues_again(self):
        invoice = self._invoice([(self.laptop, 2, self._sn("SN-1", "SN-4"))], post=True)
        delivery = invoice.serial_picking_ids
        in_stock_after_sale = self._stock(self.laptop)

        invoice.button_draft()

        returned = invoice.serial_picking_ids - delivery
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.return_id, delivery)
        self.assertEqual(
            self._stock(self.laptop),
            {
                ("SN-1", self.stock_location.id): 1,
                ("SN-2", self.stock_location.id): 1,
                ("SN-3", self.stock_location.id): 1,
                ("SN-4", self.shelf.id): 1,  # back where it came from
            },
        )
        self._assert_sane(self.laptop)

        invoice.action_post()
        self.assertEqual(len(invoice.serial_picking_ids), 3)
        self.assertEqual(self._stock(self.laptop), in_stock_after_sale)
        self._assert_sane(self.laptop)

    def test_cancel_returns_the_serials(self):
        invoice = self._invoice(
            [(self.carpet, 6.0, self._lots(self.carpet, "ROLL-A", "ROLL-B"))], post=True
        )
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(
            self._stock(self.carpet),
            {("ROLL-A", self.stock_location.id): 4.0, ("ROLL-B", self.shelf.id): 10.0},
        )
        self.assertEqual(len(invoice.serial_picking_ids), 2)
        # Nothing stands any more: a second reset moves nothing.
        invoice.button_draft()
        self.assertEqual(len(invoice.serial_picking_ids), 2)

    def test_never_issued_twice(self):
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-1"))], post=True)
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            invoice._move_serial_stock(
                {
                    invoice.invoice_line_ids: [
                        (self._sn("SN-1"), self.stock_location, 1.0)
                    ]
                }
            )
        self.assertIn("already been moved for the invoice", str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)

    def test_credit_note_receives_the_serials_back(self):
        invoice = self._invoice([(self.laptop, 2, self._sn("SN-1", "SN-2"))], post=True)
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Returned"})
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(refund.invoice_line_ids.lot_ids, self._sn("SN-1", "SN-2"))
        self.assertEqual(refund.invoice_line_ids.serial_location_id, self.customers)

        refund.action_post()

        receipt = refund.serial_picking_ids
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.location_id, self.customers)
        self.assertEqual(
            self._stock(self.laptop),
            {
                ("SN-1", self.stock_location.id): 1,
                ("SN-2", self.stock_location.id): 1,
                ("SN-3", self.stock_location.id): 1,
                ("SN-4", self.shelf.id): 1,
            },
        )
        self.assertEqual(invoice.state, "posted")  # the invoice itself stays
        self._assert_sane(self.laptop)

        # Resetting the credit note sends them to the customer again.
        refund.button_draft()
        self.assertNotIn(("SN-1", self.stock_location.id), self._stock(self.laptop))
        self._assert_sane(self.laptop)

    def test_credit_note_reset_refused_when_serial_left_stock_again(self):
        invoice = self._invoice([(self.laptop, 1, self._sn("SN-1"))], post=True)
        refund = self._invoice(
            [(self.laptop, 1, self._sn("SN-1"))], move_type="out_refund", post=True
        )
        self.assertIn(("SN-1", self.stock_location.id), self._stock(self.laptop))
        self._invoice([(self.laptop, 1, self._sn("SN-1"))], post=True)  # sold again
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            refund.button_draft()
        self.assertIn("no longer in stock", str(caught.exception))
        self.assertIn("SN-1", str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)
        self.assertEqual(invoice.state, "posted")

    def test_credit_note_refused_for_serial_never_delivered(self):
        refund = self._invoice(
            [(self.laptop, 1, self._sn("SN-3"))], move_type="out_refund"
        )
        self._assert_refused(refund, "serial SN-3 is not available in")

    def test_credit_note_takes_back_only_serials_of_its_customer(self):
        other = self.env["res.partner"].create({"name": "Other Serial Customer"})
        self._invoice([(self.laptop, 1, self._sn("SN-1"))], post=True)
        self._invoice([(self.laptop, 1, self._sn("SN-2"))], partner=other, post=True)
        self.assertEqual(self._sn("SN-2").customer_id, other)

        refund = self._invoice(
            [(self.laptop, 1, self.env["stock.lot"])], move_type="out_refund"
        )
        line = refund.invoice_line_ids
        self.assertEqual(line.serial_customer_id, self.partner)
        Lot = self.env["stock.lot"].with_context(
            serial_picker_location_id=line.serial_location_ids.ids
        )
        offered = Lot.name_search("SN-", args=self._picker_domain(line))
        self.assertEqual(
            [self.env["stock.lot"].browse(i).name for i, _n in offered], ["SN-1"]
        )

        line.lot_ids = self._sn("SN-2")
        message = self._assert_refused(
            refund,
            "serial SN-2 was delivered to Other Serial Customer, not to Serial "
            "Customer",
        )
        self.assertIn("takes back only what was delivered to its customer", message)
        self.assertEqual(self._sn("SN-2").customer_id, other)

        line.lot_ids = self._sn("SN-1")
        refund.action_post()
        self.assertEqual(
            self._stock(self.laptop).get(("SN-1", self.stock_location.id)), 1.0
        )

    def test_credit_note_without_serials_moves_nothing(self):
        refund = self._invoice(
            [(self.laptop, 1, self.env["stock.lot"])], move_type="out_refund", post=True
        )
        self.assertEqual(refund.state, "posted")
        self.assertFalse(refund.serial_picking_ids)

    # ------------------------------------------------------------------
    # Invoices from sale orders
    # ------------------------------------------------------------------

    def _delivered_order(self, *serials):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.laptop.id, "product_uom_qty": len(serials)}
                    )
                ],
            }
        )
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_ids.move_line_ids.unlink()
        delivery.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": self.laptop.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock_location.id,
                    "location_dest_id": delivery.location_dest_id.id,
                    "picking_id": delivery.id,
                }
            )
            for lot in self._sn(*serials)
        ]
        delivery.move_ids.picked = True
        delivery.button_validate()
        return order

    def test_invoice_from_sale_order_shows_delivered_serials_and_moves_nothing(self):
        order = self._delivered_order("SN-2", "SN-3")
        stock_after_delivery = self._stock(self.laptop)
        pickings = self.env["stock.picking"].search_count([])

        invoice = order._create_invoices()

        line = invoice.invoice_line_ids
        self.assertTrue(line.serial_from_sale)
        self.assertEqual(line.lot_ids, self._sn("SN-2", "SN-3"))
        form = Form(invoice, view="account.view_move_form")
        with form.invoice_line_ids.edit(0) as form_line:
            self.assertTrue(form_line._get_modifier("lot_ids", "readonly"))
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.serial_picking_ids)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertEqual(self._stock(self.laptop), stock_after_delivery)

    def test_salesman_without_serial_access_invoices_a_delivered_order(self):
        order = self._delivered_order("SN-1")
        salesman = self._create_user(
            "serial_salesman",
            "base.group_user,sales_team.group_sale_salesman_all_leads",
        )
        self.assertFalse(salesman.has_group("stock.group_stock_user"))
        invoice = order.with_user(salesman)._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.lot_ids, self._sn("SN-1"))

    def _printed(self, invoice):
        """The invoice's PDF as HTML, as Odoo renders it for printing."""
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids
        )
        return html.decode()

    def _printed_count(self, html, serial):
        """How often the serial table of the printed invoice lists the serial."""
        return len(re.findall(rf"<td>{re.escape(serial)}\s*<", html))

    def test_printed_invoice_and_credit_note_list_their_serials_once(self):
        self.env.user.groups_id += self.env.ref("stock_account.group_lot_on_invoice")
        self.laptop.serial_warranty_months = 12
        self._receive(self.yoghurt, [("POT-PRINT", 3.0)])
        pot = self._lots(self.yoghurt, "POT-PRINT")
        pot.expiration_date = fields.Datetime.now() + timedelta(days=40)
        invoice = self._invoice(
            [(self.laptop, 2, self._sn("SN-1", "SN-2")), (self.yoghurt, 2, pot)],
            post=True,
        )
        html = self._printed(invoice)
        for name in ("SN-1", "SN-2", "POT-PRINT"):
            self.assertEqual(self._printed_count(html, name), 1, f"{name} printed once")
        self.assertIn(f"Expires {format_date(self.env, pot.expiration_date)}", html)
        warranty_end = format_date(self.env, self._sn("SN-1").warranty_end_date)
        self.assertIn(f"Warranty until {warranty_end}", html)
        self.assertEqual(self._printed_count(html, "SN-3"), 0)

        refund = self._invoice(
            [(self.laptop, 1, self._sn("SN-1"))], move_type="out_refund", post=True
        )
        html = self._printed(refund)
        self.assertEqual(self._printed_count(html, "SN-1"), 1)
        self.assertEqual(self._printed_count(html, "SN-2"), 0)

        # From a sale order: Odoo's own rows, not printed a second time.
        order = self._delivered_order("SN-3")
        from_order = order._create_invoices()
        from_order.action_post()
        self.assertEqual(self._printed_count(self._printed(from_order), "SN-3"), 1)

    def test_invoice_from_sale_order_before_delivery_moves_nothing(self):
        self.laptop.invoice_policy = "order"
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create({"product_id": self.laptop.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertFalse(invoice.invoice_line_ids.lot_ids)
        invoice.action_post()
        self.assertFalse(invoice.serial_picking_ids)
        self.assertEqual(len(self._stock(self.laptop)), 4)

    # ------------------------------------------------------------------
    # The picker, and an invoicing user without inventory rights
    # ------------------------------------------------------------------

    def _picker_domain(self, line):
        """The lot_ids domain of the invoice form, evaluated for this line."""
        node = view_field(self.env, "account.view_move_form", "lot_ids")
        self.assertIsNone(node.get("domain"), "the field's own domain is the picker's")
        return invoice_picker_domain(line)

    def test_picker_offers_serials_in_stock_with_quantity_and_expiry(self):
        self._deliver(self.laptop, [(self._sn("SN-3"), 1)])
        self._receive(self.yoghurt, [("POT-1", 3.0)])
        pot = self._lots(self.yoghurt, "POT-1")
        pot.expiration_date = fields.Datetime.now() + timedelta(days=30)
        invoice = self._invoice(
            [(self.laptop, 1, self.env["stock.lot"]), (self.yoghurt, 1, pot)]
        )
        laptop_line, pot_line = invoice.invoice_line_ids
        Lot = self.env["stock.lot"].with_context(
            serial_picker_location_id=laptop_line.serial_location_id.id
        )

        found = Lot.name_search("SN", args=self._picker_domain(laptop_line))

        self.assertEqual(
            sorted(name for _id, name in found),
            ["SN-1 (1 Units)", "SN-2 (1 Units)", "SN-4 (1 Units)"],
        )
        found = Lot.name_search("POT", args=self._picker_domain(pot_line))
        self.assertEqual(len(found), 1)
        self.assertRegex(found[0][1], r"^POT-1 \(3 Units, expires .+\)$")
        # Elsewhere the name is the serial.
        self.assertEqual(self._sn("SN-1").display_name, "SN-1")

    def test_picker_says_expired_in_words(self):
        self._receive(self.yoghurt, [("POT-GONE", 2.0)])
        pot = self._lots(self.yoghurt, "POT-GONE")
        pot.expiration_date = fields.Datetime.now() - timedelta(days=3)
        invoice = self._invoice([(self.yoghurt, 1, self.env["stock.lot"])])
        line = invoice.invoice_line_ids
        Lot = self.env["stock.lot"].with_context(
            serial_picker_location_id=line.serial_location_ids.ids
        )
        ((_id, label),) = Lot.name_search("POT-GONE", args=self._picker_domain(line))
        self.assertRegex(label, r"^POT-GONE \(2 Units, expired on .+\)$")
        # And in colour: its tag is red (Odoo's colour 1), a fresh one plain.
        node = view_field(self.env, "account.view_move_form", "lot_ids")
        self.assertIn("'color_field': 'serial_tag_color'", node.get("options"))
        self.assertEqual(pot.serial_tag_color, 1)
        self.assertEqual(self._sn("SN-1").serial_tag_color, 0)

    def test_invoicing_user_without_inventory_rights_picks_and_posts(self):
        clerk = self._create_user(
            "serial_invoicer", "base.group_user,account.group_account_invoice"
        )
        self.assertFalse(clerk.has_group("stock.group_stock_user"))
        env = self.env(user=clerk)
        invoice = self._invoice([(self.laptop, 1, self.env["stock.lot"])], env=env)
        line = invoice.invoice_line_ids
        Lot = env["stock.lot"].with_context(
            serial_picker_location_id=line.serial_location_id.id
        )
        domain = self._picker_domain(line)

        self.assertEqual(
            sorted(name for _id, name in Lot.name_search("SN-", args=domain)),
            [
                "SN-1 (1 Units)",
                "SN-2 (1 Units)",
                "SN-3 (1 Units)",
                "SN-4 (1 Units)",
            ],
        )
        result = Lot.web_search_read(domain, {"display_name": {}}, limit=10)
        self.assertEqual(result["length"], 4)

        form = Form(invoice.with_user(clerk), view="account.view_move_form")
        with form.invoice_line_ids.edit(0) as form_line:
            form_line.lot_ids.add(self._sn("SN-2").with_user(clerk))
        form.save()
        invoice.with_user(clerk).action_post()

        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.serial_picking_ids.state, "done")
        self.assertNotIn(("SN-2", self.stock_location.id), self._stock(self.laptop))
