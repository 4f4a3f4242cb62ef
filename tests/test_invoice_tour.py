# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SerialTrackingCase
from .tour_screenshots import TourScreenshotMixin


@tagged("post_install", "-at_install")
class TestInvoiceTour(TourScreenshotMixin, SerialTrackingCase, HttpCase):
    """A customer invoice picks a serial and delivers it, in a real browser."""

    def setUp(self):
        super().setUp()
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Invoice Customer"}
        )
        self.product = self._create_product(
            "Tour Invoice Laptop", "serial", list_price=899.0
        )
        self._receive(self.product, [("SN-INV-TOUR-1", 1), ("SN-INV-TOUR-2", 1)])
        self.serial = self._lot("SN-INV-TOUR-1", self.product)
        self.action = self.env.ref("account.action_move_out_invoice_type")

    def test_invoice_a_serial_and_open_its_delivery(self):
        with self.screenshot_at_end("delivery_of_an_invoiced_serial"):
            self.start_tour(
                f"/odoo/action-{self.action.id}/new",
                "product_serial_tracking_invoice_tour",
                login="admin",
            )
        self.env.invalidate_all()
        invoice = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.lot_ids, self.serial)
        self.assertEqual(invoice.serial_picking_ids.state, "done")
        # The serial left stock for the customer; the other one stayed.
        self.assertEqual(
            self._stock(self.product), {("SN-INV-TOUR-2", self.stock_location.id): 1.0}
        )
        self.assertEqual(self.serial.location_id, self.customer_location)

        with self.screenshot_at_end("invoice_with_a_serial"):
            self.start_tour(
                f"/odoo/action-{self.action.id}/{invoice.id}",
                "product_serial_tracking_invoice_posted_tour",
                login="admin",
            )

    def test_posted_batch_line_shows_quantities_and_opens_the_serial(self):
        carpet = self._create_product("Tour Invoice Carpet", "lot", list_price=20.0)
        self._receive(carpet, [("ROLL-TAG-A", 4.0), ("ROLL-TAG-B", 5.0)])
        lots = self.env["stock.lot"].search([("product_id", "=", carpet.id)])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": carpet.id,
                            "quantity": 6.0,
                            "price_unit": 20.0,
                            "lot_ids": [Command.set(lots.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(
            invoice.invoice_line_ids.serial_quantities,
            "ROLL-TAG-A: 4 Units, ROLL-TAG-B: 2 Units",
        )
        self.start_tour(
            f"/odoo/action-{self.action.id}/{invoice.id}",
            "product_serial_tracking_invoice_tags_tour",
            login="admin",
        )

    def test_serial_never_received_created_only_once_confirmed(self):
        self.start_tour(
            f"/odoo/action-{self.action.id}/new",
            "product_serial_tracking_invoice_new_serial_tour",
            login="admin",
        )
        self.env.invalidate_all()
        created = self.env["stock.lot"].search(
            [("product_id", "=", self.product.id), ("name", "=", "SN-NEVER-SEEN")]
        )
        self.assertEqual(len(created), 1, "created once: after the confirmation")
        invoice = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(invoice.invoice_line_ids.lot_ids, created)

    def _sell(self, partner, serial):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1.0,
                            "price_unit": 899.0,
                            "lot_ids": [Command.set(serial.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_credit_note_picker_offers_the_customers_serials(self):
        other = self.env["res.partner"].create({"name": "Tour Other Customer"})
        self._sell(self.customer, self.serial)
        self._sell(other, self._lot("SN-INV-TOUR-2", self.product))
        refunds = self.env.ref("account.action_move_out_refund_type")
        self.start_tour(
            f"/odoo/action-{refunds.id}/new",
            "product_serial_tracking_credit_note_tour",
            login="admin",
        )
        self.env.invalidate_all()
        refund = self.env["account.move"].search(
            [("move_type", "=", "out_refund"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.invoice_line_ids.lot_ids, self.serial)
        self.assertEqual(
            self._stock(self.product), {("SN-INV-TOUR-1", self.stock_location.id): 1.0}
        )

    def test_printed_invoice_and_credit_note_hold_their_serials(self):
        self.env.ref("base.user_admin").groups_id += self.env.ref(
            "stock_account.group_lot_on_invoice"
        )
        invoice = self._sell(self.customer, self.serial)
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.lot_ids = self.serial
        refund.action_post()
        self.authenticate("admin", "admin")
        for document in (invoice, refund):
            response = self.url_open(
                f"/report/html/account.report_invoice_with_payments/{document.id}"
            )
            self.assertEqual(response.status_code, 200)
            html = response.text
            self.assertIn('name="invoice_snln_table"', html)
            self.assertEqual(html.count("<td>SN-INV-TOUR-1"), 1, document.name)
            self.assertNotIn("SN-INV-TOUR-2", html)

    def test_invoicing_user_without_inventory_rights(self):
        new_test_user(
            self.env, login="tour_billing_user", groups="account.group_account_invoice"
        )
        self.start_tour(
            f"/odoo/action-{self.action.id}/new",
            "product_serial_tracking_invoice_billing_user_tour",
            login="tour_billing_user",
        )
        self.env.invalidate_all()
        invoice = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.create_uid.login, "tour_billing_user")
        self.assertEqual(invoice.invoice_line_ids.lot_ids, self.serial)
        self.assertEqual(invoice.serial_picking_ids.state, "done")
        self.assertEqual(self.serial.location_id, self.customer_location)
