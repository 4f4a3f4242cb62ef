# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules that let serials keep their truth beside the apps the addon does
not depend on, proven where those apps are absent: they rest on Odoo's generic
facts (location usages, the sale line of a move, the transfer's partner), and
the fields of other apps are read only where their app is installed.

The flows of Point of Sale, dropshipping, Manufacturing and Repairs themselves
are proven with those apps installed (tests/test_apps_*.py, the apps phase of
``make test``)."""

import importlib.util
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import SerialTrackingCase

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.2.1.0"
    / "post-migrate.py"
)


@tagged("post_install", "-at_install")
class TestSerialOtherApps(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env["stock.location"].create(
            {"name": "Test Production", "usage": "production"}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Serial Vendor"})

    def _move(self, product, lines, source, destination, partner=None, **move_vals):
        """A done stock move without transfer, of (lot, quantity) lines."""
        move = self.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": sum(quantity for _lot, quantity in lines),
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": partner.id if partner else False,
                **move_vals,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
            for lot, quantity in lines
        ]
        move.picked = True
        move._action_done()
        return move

    def _dropship(self, name):
        """A transfer from the vendor straight to the customer, of one new
        serial, left to validate (as Odoo's dropship: the vendor's transfer)."""
        return self._picking(
            self.warehouse.in_type_id,
            self.laptop,
            self.supplier_location,
            self.customer_location,
            [(name, 1)],
            validate=False,
            partner=self.vendor,
        )

    def _kinds(self, lot):
        lot.invalidate_recordset()
        return [event.kind for event in lot.history_ids]

    # ---- The other apps' fields, only where installed ----

    def test_no_app_field_read_without_its_app(self):
        """Without Manufacturing, Repairs and Point of Sale, their events are
        never matched and the history view reads none of their columns."""
        MoveLine = self.env["stock.move.line"]
        if any(
            module in self.env.registry._init_modules
            for module in ("mrp", "repair", "point_of_sale")
        ):
            self.skipTest("an app the test proves absent is installed")
        self.assertEqual(MoveLine._get_serial_app_fields(), {})
        self.assertEqual(MoveLine._serial_app_document_sql("repair"), SQL("FALSE"))
        self.assertEqual(MoveLine._serial_app_document_sql("unbuild"), SQL("FALSE"))
        self.assertEqual(
            MoveLine._serial_pos_session_partner_sql(), SQL("NULL::integer")
        )
        self.assertEqual(
            self.env["stock.lot.history"]._get_view_signature(),
            "product_serial_tracking: ",
        )
        self.assertEqual(self.env["account.move"]._get_serial_pos_transfers(), {})

    def test_history_view_made_anew_when_apps_change(self):
        """An app installed after the addon, or one uninstalled that took the
        view with its columns (CASCADE): the next registry load makes the view
        anew, with its signature."""
        History = self.env["stock.lot.history"]
        lot = self._receive(self.laptop, [("SN-APPS-1", 1)]).move_line_ids.lot_id
        self.env.cr.execute(SQL("COMMENT ON VIEW stock_lot_history IS 'stale'"))
        History._register_hook()
        self.env.cr.execute(
            SQL("SELECT obj_description('stock_lot_history'::regclass, 'pg_class')")
        )
        self.assertEqual(self.env.cr.fetchone()[0], History._get_view_signature())
        self.env.cr.execute(SQL("DROP VIEW stock_lot_history"))
        History._register_hook()
        self.assertEqual(self._kinds(lot), ["receipt"])
        # Unchanged: not made again (the view's own oid stays).
        self.env.cr.execute(SQL("SELECT 'stock_lot_history'::regclass::oid"))
        oid = self.env.cr.fetchone()[0]
        History._register_hook()
        self.env.cr.execute(SQL("SELECT 'stock_lot_history'::regclass::oid"))
        self.assertEqual(self.env.cr.fetchone()[0], oid)

    # ---- Manufacturing, by the locations it reads ----

    def test_production_locations_name_the_events(self):
        """A serial moved into a production location is consumed; one coming
        out of it was manufactured (its first appearance too)."""
        component = self._receive(self.laptop, [("SN-COMP-1", 1)]).move_line_ids.lot_id
        self._move(self.laptop, [(component, 1)], self.stock_location, self.production)
        self.assertEqual(component.serial_state, "consumed")
        self.assertEqual(self._kinds(component), ["receipt", "consumed"])
        self.assertFalse(component.customer_id)
        self.assertIn("used in manufacturing", component._get_whereabouts())

        finished = self._create_lot(self.laptop, "SN-MADE-1")
        self._move(self.laptop, [(finished, 1)], self.production, self.stock_location)
        self.assertEqual(finished.serial_state, "in_stock")
        self.assertEqual(finished.entry_origin, "manufactured")
        self.assertEqual(self._kinds(finished), ["manufactured"])
        self.assertFalse(finished.to_investigate)

    def test_components_and_finished_serials_linked(self):
        """The lines a production consumed and made (Odoo's consume_line_ids)
        link the finished serial and its components, both ways; the recall
        of the component lists the finished serial's customer."""
        batch = self._receive(self.carpet, [("CR-APPS-1", 10)]).move_line_ids.lot_id
        used = self._move(
            self.carpet, [(batch, 3)], self.stock_location, self.production
        )
        finished = self._create_lot(self.laptop, "SN-MADE-2")
        made = self._move(
            self.laptop, [(finished, 1)], self.production, self.stock_location
        )
        made.move_line_ids.consume_line_ids = used.move_line_ids
        finished.invalidate_recordset()
        batch.invalidate_recordset()
        self.assertEqual(finished.component_lot_ids, batch)
        self.assertEqual(batch.finished_lot_ids, finished)
        self.assertEqual(finished.production_reference, made.reference)
        self.assertEqual(batch.consumption_reference, used.reference)

        delivery = self._deliver(self.laptop, [(finished, 1)])
        self._deliver(self.carpet, [(batch, 2)])
        action = batch.action_serial_recall()
        self.assertEqual(action["res_model"], "stock.lot.recall")
        rows = self.env["stock.lot.recall"].search(action["domain"])
        self.assertEqual(
            sorted(
                (
                    row.partner_id,
                    row.delivered_lot_id.name,
                    row.quantity,
                    row.component_quantity,
                    row.inside_finished,
                )
                for row in rows
            ),
            sorted(
                [
                    (self.partner, "SN-MADE-2", 1.0, 3.0, True),
                    (self.partner, "CR-APPS-1", 2.0, 2.0, False),
                ]
            ),
        )
        # The finished serial comes back: a row of its own, both quantities
        # negative; each row opens the serial the customer had.
        self._picking(
            self.warehouse.in_type_id,
            self.laptop,
            self.customer_location,
            self.stock_location,
            [(finished, 1)],
            partner=self.partner,
        )
        rows = self.env["stock.lot.recall"].search(
            batch.action_serial_recall()["domain"]
        )
        returned = rows.filtered(lambda row: row.quantity < 0)
        self.assertEqual(
            (returned.delivered_lot_id, returned.component_quantity, returned.kind),
            (finished, -3.0, "return"),
        )
        self.assertIn(delivery.name, rows.mapped("reference"))
        opened = returned.action_open_delivered_serial()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]), ("stock.lot", finished.id)
        )

    def test_recall_counts_returns(self):
        """A return from the customer is a row of its own, negative."""
        batch = self._receive(self.carpet, [("CR-APPS-2", 10)]).move_line_ids.lot_id
        delivery = self._deliver(self.carpet, [(batch, 4)])
        self._picking(
            self.warehouse.in_type_id,
            self.carpet,
            self.customer_location,
            self.stock_location,
            [(batch, 1)],
            partner=self.partner,
        )
        rows = self.env["stock.lot.recall"].search(
            batch.action_serial_recall()["domain"]
        )
        self.assertEqual(sorted(rows.mapped("quantity")), [-1.0, 4.0])
        self.assertEqual(sorted(rows.mapped("component_quantity")), [-1.0, 4.0])
        self.assertEqual(rows.partner_id, self.partner)
        self.assertIn(delivery.name, rows.mapped("reference"))

    def test_recall_opened_again_by_an_inventory_user(self):
        """An inventory user (not the superuser) opens the list twice: the
        second list replaces the first, without an access error."""
        batch = self._receive(self.carpet, [("CR-APPS-4", 5)]).move_line_ids.lot_id
        self._deliver(self.carpet, [(batch, 2)])
        user = new_test_user(
            self.env, login="apps_stock_user", groups="stock.group_stock_user"
        )
        Recall = self.env["stock.lot.recall"].with_user(user)
        first = Recall.search(batch.with_user(user).action_serial_recall()["domain"])
        second = Recall.search(batch.with_user(user).action_serial_recall()["domain"])
        self.assertEqual(len(second), 1)
        self.assertFalse(first.exists())

    def test_recall_and_traceability_refused_without_stock_rights(self):
        """An invoicing user reads serials, not where their stock went."""
        batch = self._receive(self.carpet, [("CR-APPS-3", 5)]).move_line_ids.lot_id
        accountant = new_test_user(
            self.env, login="apps_accountant", groups="account.group_account_invoice"
        )
        count = self.env["stock.lot.recall"].sudo().search_count([])
        with self.assertRaisesRegex(
            AccessError, "Only inventory users can list where a serial number went"
        ):
            batch.with_user(accountant).action_serial_recall()
        with self.assertRaisesRegex(
            AccessError, "Only inventory users can open the traceability report"
        ):
            batch.with_user(accountant).action_serial_traceability()
        self.assertEqual(self.env["stock.lot.recall"].sudo().search_count([]), count)
        action = batch.action_serial_traceability()
        self.assertEqual(action["tag"], "stock_report_generic")
        self.assertEqual(action["context"]["active_id"], batch.id)
        self.assertEqual(action["context"]["active_model"], "stock.lot")

    # ---- Repairs, by what really moved ----

    def test_move_in_place_changes_no_fact(self):
        """A done move from a location into the same one (a repair done where
        the product stands) keeps the serial's status, customer and warranty."""
        lot = self._receive(self.laptop, [("SN-FIX-1", 1)]).move_line_ids.lot_id
        self._deliver(self.laptop, [(lot, 1)])
        before = (lot.serial_state, lot.customer_id, lot.warranty_start_date)
        self._move(
            self.laptop,
            [(lot, 1)],
            self.stock_location,
            self.stock_location,
            partner=self.partner,
        )
        lot.invalidate_recordset()
        self.assertEqual(before[0], "delivered")
        self.assertEqual(
            (lot.serial_state, lot.customer_id, lot.warranty_start_date), before
        )
        self.assertEqual(self._kinds(lot), ["receipt", "delivery", "transfer"])
        self.assertEqual(lot.history_ids[-1].note, "The serial did not move.")
        self.assertFalse(lot.history_ids[-2].note)
        self.assertIn("delivered to a customer", lot._get_whereabouts())

    def test_partner_edited_on_done_delivery_moves_the_customer(self):
        """The customer is whom the transfer delivered to: a partner edited on
        the done delivery is the serial's customer from then on."""
        lot = self._receive(self.laptop, [("SN-EDIT-1", 1)]).move_line_ids.lot_id
        delivery = self._deliver(self.laptop, [(lot, 1)])
        other = self.env["res.partner"].create({"name": "Serial Customer Two"})
        delivery.partner_id = other
        lot.invalidate_recordset()
        self.assertEqual(lot.customer_id, other)
        self.assertEqual(lot.history_ids[-1].partner_id, other)

    # ---- Dropship, by its locations and its sale order ----

    def test_dropship_customer_is_the_sale_orders(self):
        """From a vendor straight to a customer: the serial's customer is the
        sale order's delivery address, never the transfer's vendor; a return
        to the vendor leaves it without customer."""
        shipping = self.env["res.partner"].create(
            {"name": "Serial Customer Site", "parent_id": self.partner.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "partner_shipping_id": shipping.id,
                "order_line": [
                    Command.create({"product_id": self.laptop.id, "product_uom_qty": 1})
                ],
            }
        )
        picking = self._dropship("SN-DROP-1")
        picking.move_ids.sale_line_id = order.order_line
        picking.button_validate()
        lot = picking.move_line_ids.lot_id
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.customer_id, shipping)
        self.assertTrue(lot.warranty_start_date)
        self.assertEqual(lot.entry_origin, "dropship")
        self.assertEqual(self._kinds(lot), ["dropship"])
        self.assertEqual(lot.history_ids.partner_id, shipping)

        self._picking(
            self.warehouse.out_type_id,
            self.laptop,
            self.customer_location,
            self.supplier_location,
            [(lot, 1)],
            partner=self.vendor,
        )
        lot.invalidate_recordset()
        self.assertFalse(lot.customer_id)
        self.assertEqual(lot.serial_state, "not_in_stock")
        self.assertEqual(self._kinds(lot), ["dropship", "return"])

    def test_dropship_without_sale_takes_the_moves_address(self):
        """A dropship without sale order: the move's delivery address."""
        picking = self._dropship("SN-DROP-2")
        picking.move_ids.partner_id = self.partner
        picking.button_validate()
        self.assertEqual(picking.move_line_ids.lot_id.customer_id, self.partner)

    # ---- Invoices: who delivers their goods ----

    def test_direct_invoice_lines_deliver_their_serials(self):
        """Without another document delivering them, an invoice's serial lines
        are its own to deliver (the pickers, the transfer)."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.laptop.id, "quantity": 1, "price_unit": 5}
                    )
                ],
            }
        )
        line = invoice.invoice_line_ids
        self.assertFalse(line.serial_delivered_elsewhere)
        self.assertTrue(line._is_serial_line())

    # ---- The upgrade from 18.0.2.0 ----

    def test_upgrade_reads_again_what_other_apps_moved(self):
        """The facts 18.0.2.0 stored for serials moved by other apps (a
        consumed component "not in stock", a dropship "received" and delivered
        to the vendor, a sold serial repaired in place "not in stock") are
        computed anew; other serials and hand-set origins stay."""
        component = self._receive(self.laptop, [("SN-UPG-1", 1)]).move_line_ids.lot_id
        self._move(self.laptop, [(component, 1)], self.stock_location, self.production)
        finished = self._create_lot(self.laptop, "SN-UPG-2")
        self._move(self.laptop, [(finished, 1)], self.production, self.stock_location)
        dropship = self._dropship("SN-UPG-3")
        dropship.move_ids.partner_id = self.partner
        dropship.button_validate()
        dropshipped = dropship.move_line_ids.lot_id
        repaired = self._receive(self.laptop, [("SN-UPG-4", 1)]).move_line_ids.lot_id
        self._deliver(self.laptop, [(repaired, 1)])
        self._move(
            self.laptop, [(repaired, 1)], self.stock_location, self.stock_location
        )
        plain = self._receive(self.laptop, [("SN-UPG-5", 1)]).move_line_ids.lot_id
        expected = {
            lot: (lot.serial_state, lot.customer_id.id, lot.entry_origin)
            for lot in component | finished | dropshipped | repaired | plain
        }
        self.env.flush_all()
        # What 18.0.2.0 stored.
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_serial_facts SET serial_state = 'not_in_stock'
                 WHERE id IN %(broken_state)s;
                UPDATE stock_serial_facts SET entry_origin = 'receipt'
                 WHERE id IN %(received)s;
                UPDATE stock_serial_facts SET customer_id = %(vendor)s
                 WHERE id = %(dropshipped)s;
                UPDATE stock_serial_facts SET entry_origin = 'correction'
                 WHERE id = %(plain)s;
                """,
                broken_state=(component.id, repaired.id),
                received=(finished.id, dropshipped.id),
                vendor=self.vendor.id,
                dropshipped=dropshipped.id,
                plain=plain.id,
            )
        )
        spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.2.0.0")
        self.env.invalidate_all()
        expected[plain] = (*expected[plain][:2], "correction")
        self.assertEqual(
            {
                lot: (lot.serial_state, lot.customer_id.id, lot.entry_origin)
                for lot in expected
            },
            expected,
        )
        self.assertEqual(
            [expected[lot][0] for lot in (component, finished, dropshipped, repaired)],
            ["consumed", "in_stock", "delivered", "delivered"],
        )
        self.assertEqual(
            [expected[lot][2] for lot in (finished, dropshipped)],
            ["manufactured", "dropship"],
        )
