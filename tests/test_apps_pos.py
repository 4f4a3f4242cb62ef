# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from uuid import uuid4

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common_apps import SerialAppsMixin
from .common_invoice import SerialInvoiceCase


@tagged("post_install", "-at_install", "-standard", "serial_apps")
class TestAppsPointOfSale(SerialAppsMixin, SerialInvoiceCase):
    """Point of Sale delivers what it sells: the invoices it makes (at the
    till, later from the order, for refunds) post without serial pickers and
    leave the stock as the order moved it.

    The orders come in as the till sends them: pos.order.sync_from_ui, called
    by a cashier, in a company whose Point of Sale updates the stock in real
    time (each order makes its own transfer).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.point_of_sale_update_stock_quantities = "real"
        cls.cashier = new_test_user(
            cls.env,
            "serial_cashier",
            groups="base.group_user,point_of_sale.group_pos_user,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # sudo: setting up a till is the Point of Sale administrator's job.
        cls.config = (
            cls.env["pos.config"].sudo().create({"name": "Serial Till"}).sudo(False)
        )
        cls.cash_method = cls.config.payment_method_ids.filtered("is_cash_count")[:1]
        cls.phone = cls._create_till_product("Test Till Phone", "serial")
        cls.cable = cls._create_till_product("Test Till Cable Reel", "lot")

    @classmethod
    def _create_till_product(cls, name, tracking):
        return cls._create_product(
            name,
            tracking,
            lst_price=100.0,
            taxes_id=[Command.clear()],
            available_in_pos=True,
        )

    def setUp(self):
        super().setUp()
        self._receive(self.phone, [("TILL-1", 1), ("TILL-2", 1)])
        self._receive(self.cable, [("REEL-1", 10.0)])
        self.config.with_user(self.cashier).open_ui()
        self.session = self.config.current_session_id.with_user(self.cashier)
        self.session.set_opening_control(0, None)
        self.serial = self._lot("TILL-1", self.phone)

    def _order_data(self, lines, partner=None, to_invoice=False):
        """An order as the till sends it, paid in cash.

        `lines`: [(product, quantity, serial names, refunded order line)], at
        100 a unit and without tax; a refund has negative quantities.
        """
        order_lines, total = [], 0.0
        for product, quantity, names, refunded in lines:
            subtotal = 100.0 * quantity
            total += subtotal
            order_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "qty": quantity,
                        "price_unit": 100.0,
                        "price_subtotal": subtotal,
                        "price_subtotal_incl": subtotal,
                        "tax_ids": [Command.clear()],
                        "pack_lot_ids": [
                            Command.create({"lot_name": name}) for name in names
                        ],
                        "refunded_orderline_id": refunded.id if refunded else False,
                    }
                )
            )
        uuid = str(uuid4())
        return {
            "uuid": uuid,
            "name": f"Order {uuid}",
            "session_id": self.session.id,
            "user_id": self.cashier.id,
            "partner_id": partner.id if partner else False,
            "to_invoice": to_invoice,
            "pricelist_id": self.config.pricelist_id.id,
            "fiscal_position_id": False,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "sequence_number": len(self.session.order_ids) + 1,
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "amount_total": total,
            "amount_tax": 0.0,
            "amount_paid": total,
            "amount_return": 0.0,
            "payment_ids": [
                Command.create(
                    {
                        "name": "Cash",
                        "amount": total,
                        "payment_method_id": self.cash_method.id,
                    }
                )
            ],
        }

    def _sync(self, data):
        """The order as the till saves it, through the cashier's session."""
        result = self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _sell(self, partner=None, to_invoice=False):
        return self._sync(
            self._order_data(
                [(self.phone, 1, ["TILL-1"], None)], partner, to_invoice=to_invoice
            )
        )

    def _assert_posted_without_pickers(self, invoice, move_type="out_invoice"):
        """The invoice Point of Sale made is posted, moved no stock of its own,
        and its serial lines are delivered by the order."""
        self.assertEqual(invoice.move_type, move_type)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.serial_picking_ids)
        lines = invoice.invoice_line_ids.filtered("product_id")
        self.assertTrue(lines)
        for line in lines:
            self.assertTrue(line.serial_delivered_elsewhere)
            self.assertFalse(line._is_serial_line())

    def _stock_names(self, product):
        return sorted(name for name, _location in self._stock(product))

    # ------------------------------------------------------------------
    # Sales at the till
    # ------------------------------------------------------------------

    def test_invoiced_at_the_till_delivers_through_the_order(self):
        order = self._sell(self.partner, to_invoice=True)

        self.assertEqual(order.state, "invoiced")
        self._assert_posted_without_pickers(order.account_move)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, self.serial)
        # The order's transfer is the only delivery: the invoice made none.
        self.assertEqual(self._outgoing_pickings(self.serial), picking)
        self.assertEqual(self._stock_names(self.phone), ["TILL-2"])
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.customer_id, self.partner)
        self.assertTrue(serial.warranty_start_date)
        self.assertEqual(self._events(serial)[1:], [("delivery", picking.name)])
        # The invoice's line shows the serial the order delivered.
        line = order.account_move.invoice_line_ids.filtered(
            lambda line: line.product_id == self.phone
        )
        self.assertEqual(line.lot_ids, self.serial)

    def test_credit_note_of_a_till_invoice_takes_nothing_back(self):
        """A credit note made in Invoicing from the till's invoice refunds
        the price: the serials stay with the customer (Point of Sale's own
        refund takes goods back)."""
        order = self._sell(self.partner, to_invoice=True)
        credit_note = order.account_move._reverse_moves()
        self.assertFalse(credit_note.invoice_line_ids.lot_ids)
        credit_note.action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertFalse(credit_note.serial_picking_ids)
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.customer_id, self.partner)
        self.assertEqual(self._stock_names(self.phone), ["TILL-2"])

    def test_batch_serial_invoiced_at_the_till(self):
        order = self._sync(
            self._order_data(
                [(self.cable, 3.0, ["REEL-1"], None)], self.partner, to_invoice=True
            )
        )

        self._assert_posted_without_pickers(order.account_move)
        self.assertEqual(order.picking_ids.state, "done")
        reel = self._fresh(self._lot("REEL-1", self.cable))
        self.assertEqual(
            self._stock(self.cable), {("REEL-1", self.stock_location.id): 7}
        )
        self.assertEqual(reel.serial_state, "in_stock")
        self.assertEqual(reel.customer_id, self.partner)

    def test_anonymous_sale_delivers_to_nobody(self):
        order = self._sell()

        self.assertEqual(order.state, "paid")
        self.assertFalse(order.account_move)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(self._outgoing_pickings(self.serial), order.picking_ids)
        self.assertEqual(self._stock_names(self.phone), ["TILL-2"])
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertFalse(serial.customer_id)

    def test_refund_at_the_till_takes_the_serial_back(self):
        order = self._sell(self.partner, to_invoice=True)
        refund = self._sync(
            self._order_data(
                [(self.phone, -1, ["TILL-1"], order.lines)],
                self.partner,
                to_invoice=True,
            )
        )

        self.assertEqual(refund.refunded_order_id, order)
        self.assertEqual(refund.state, "invoiced")
        self._assert_posted_without_pickers(refund.account_move, "out_refund")
        self.assertEqual(refund.account_move.reversed_entry_id, order.account_move)
        self.assertEqual(refund.picking_ids.state, "done")
        self.assertEqual(self._stock_names(self.phone), ["TILL-1", "TILL-2"])
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "in_stock")
        self.assertFalse(serial.customer_id)
        self.assertFalse(serial.warranty_start_date)

    def test_invoice_later_from_the_paid_order(self):
        order = self._sell(self.partner)
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.account_move)
        stock = self._stock(self.phone)

        order.with_user(self.cashier).action_pos_order_invoice()

        self.assertEqual(order.state, "invoiced")
        self._assert_posted_without_pickers(order.account_move)
        self.assertEqual(self._stock(self.phone), stock)
        self.assertEqual(self._outgoing_pickings(self.serial), order.picking_ids)
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.customer_id, self.partner)

    def test_session_updating_stock_at_closing(self):
        """A session that moves the stock when it closes delivers every order
        in one transfer of no partner: each serial goes to the customer of
        the order that sold it."""
        # As a session opened in a company set to update stock at closing.
        self.session.sudo().update_stock_at_closing = True
        self._sell(self.partner)
        self._sync(self._order_data([(self.phone, 1, ["TILL-2"], None)]))
        self.assertFalse(self.session.picking_ids)
        self.assertEqual(self._fresh(self.serial).serial_state, "in_stock")

        self.session.post_closing_cash_details(
            sum(self.session.order_ids.payment_ids.mapped("amount"))
        )
        self.session.close_session_from_ui()

        self.assertEqual(self.session.state, "closed")
        self.assertEqual(self.session.picking_ids.mapped("state"), ["done"])
        self.assertFalse(self._stock(self.phone))
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.customer_id, self.partner)
        anonymous = self._fresh(self._lot("TILL-2", self.phone))
        self.assertEqual(anonymous.serial_state, "delivered")
        self.assertFalse(anonymous.customer_id)

    # ------------------------------------------------------------------
    # Invoices not made by Point of Sale keep their serial pickers
    # ------------------------------------------------------------------

    def test_refused_direct_invoice_without_serials(self):
        invoice = self._invoice([(self.phone, 1, self.env["stock.lot"])])
        line = invoice.invoice_line_ids
        self.assertFalse(line.serial_delivered_elsewhere)
        self.assertTrue(line._is_serial_line())
        before = self._db_snapshot()

        with self.assertRaises(UserError) as caught:
            invoice.action_post()

        self.assertIn(
            "0 unique serials chosen for a quantity of 1", str(caught.exception)
        )
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._db_snapshot(), before)

    def test_direct_invoice_still_delivers_its_serials(self):
        invoice = self._invoice([(self.phone, 1, self.serial)], post=True)

        self.assertEqual(invoice.state, "posted")
        self.assertEqual(len(invoice.serial_picking_ids), 1)
        self.assertEqual(self._stock_names(self.phone), ["TILL-2"])
        self.assertEqual(self._fresh(self.serial).customer_id, self.partner)
