# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_serial_screens import SerialScreensCase


@tagged("post_install", "-at_install")
class TestSerialScreensTimeline(SerialScreensCase):
    """The serial's timeline: events named as users know their documents,
    and only the documents the user may open offered."""

    def test_invoice_events_named_by_the_invoice(self):
        lot, invoice = self._invoiced_serial()
        receipt, event = lot.history_ids
        self.assertEqual(event.kind, "invoice")
        self.assertEqual(event.document_name, invoice.name)
        self.assertTrue(invoice.name.startswith("INV/"))
        self.assertEqual(event.picking_id, invoice.serial_picking_ids)
        # Its transfer beside it.
        self.assertEqual(event.note, invoice.serial_picking_ids.name)
        self.assertEqual(receipt.document_name, receipt.picking_id.name)
        self.assertFalse(receipt.note)

        refund = self._invoice(
            [(self.laptop, 1, lot)], move_type="out_refund", post=True
        )
        credit = lot.history_ids[-1]
        self.assertEqual(credit.kind, "credit_note")
        self.assertEqual(credit.document_name, refund.name)
        self.assertTrue(refund.name.startswith("RINV/"))

    def test_return_of_a_reset_to_draft_says_so(self):
        lot, invoice = self._invoiced_serial()
        invoice.button_draft()
        event = lot.history_ids[-1]
        self.assertEqual(event.kind, "return")
        self.assertEqual(event.note, f"Invoice {invoice.name} reset to draft")
        invoice.button_cancel()
        lot.history_ids.invalidate_recordset()
        self.assertEqual(lot.history_ids[-1].note, f"Invoice {invoice.name} cancelled")

    def test_clerk_opens_the_transfer_of_an_invoice_event(self):
        lot, invoice = self._invoiced_serial()
        event = lot.history_ids[-1].with_user(self.clerk)
        self.assertTrue(event.can_open_document)
        action = event.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("stock.picking", invoice.serial_picking_ids.id),
        )
        # An invoicing user gets the invoice itself.
        action = lot.history_ids[-1].with_user(self.invoicer).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )

    def test_document_nobody_may_open_is_not_offered(self):
        lot, _invoice = self._invoiced_serial()
        receipt = lot.history_ids[0].with_user(self.invoicer)
        self.assertEqual(receipt.kind, "receipt")
        # Invoicing users read transfers (stock_account): the receipt opens.
        self.assertTrue(receipt.can_open_document)
        # Where the user may read none of the event's documents (a record rule
        # of another addon, say), nothing is offered and nothing opens.
        refused = {"stock.picking", "stock.move"}
        has_access = type(self.env["stock.picking"]).has_access

        def has_access_but(records, operation):
            return records._name not in refused and has_access(records, operation)

        before = self._db_snapshot()
        with (
            patch.object(type(self.env["stock.picking"]), "has_access", has_access_but),
            patch.object(type(self.env["stock.move"]), "has_access", has_access_but),
        ):
            receipt.invalidate_recordset(["can_open_document"])
            self.assertFalse(receipt.can_open_document)
            with self.assertRaises(UserError) as caught:
                receipt.action_open_document()
        self.assertEqual(
            str(caught.exception),
            f"You may not open the document of this event ({receipt.document_name}).",
        )
        self.assertNotIn("group", str(caught.exception).lower())
        self.assertEqual(self._db_snapshot(), before)
        # The button is hidden where the user may open nothing.
        view = self.env.ref("product_serial_tracking.stock_lot_history_view_list")
        list_arch = self.env["stock.lot.history"].get_views([(view.id, "list")])
        button = etree.fromstring(list_arch["views"]["list"]["arch"]).xpath(
            "//button[@name='action_open_document']"
        )[0]
        self.assertEqual(button.get("invisible"), "not can_open_document")
