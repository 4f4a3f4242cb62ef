# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
import unittest
from unittest.mock import patch

import odoo
from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

from .common import wait_until_blocked


@tagged("post_install", "-at_install")
class TestSerialConcurrency(BaseCase):
    """Two users moving the same unique serial at the same moment.

    Runs on real, committed transactions (two cursors in two threads), in the
    database's own company and chart of accounts; everything it commits is
    removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.invoice_ids = []
        cls.picking_ids = []
        cls.lot_ids = []
        cls.product_id = cls.partner_id = None
        cls.addClassCleanup(cls._remove_committed_data)
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if not env["account.journal"].search_count(
                [("type", "=", "sale"), ("company_id", "=", env.company.id)]
            ):
                raise unittest.SkipTest("The database's company has no sale journal.")
            cls.company_id = env.company.id
            cls.stock_location_id = (
                env["stock.warehouse"]
                .search([("company_id", "=", cls.company_id)], limit=1)
                .lot_stock_id.id
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrent Phone",
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "list_price": 100.0,
                }
            )
            cls.product_id = product.id
            cls.partner_id = env["res.partner"].create({"name": "Race Customer"}).id

    @classmethod
    def _remove_committed_data(cls):
        """Delete what the tests committed: done stock cannot go through unlink."""
        if not cls.product_id:
            return
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cr.execute(
                SQL(
                    "SELECT DISTINCT picking_id FROM stock_move"
                    " WHERE product_id = %s AND picking_id IS NOT NULL",
                    cls.product_id,
                )
            )
            picking_ids = [row[0] for row in cr.fetchall()]
            lot_ids = (
                env["stock.lot"]
                .with_context(active_test=False)
                .search([("product_id", "=", cls.product_id)])
                .ids
            )
            scrap_ids = env["stock.scrap"].search([("product_id", "=", cls.product_id)])
            records = [
                ("account.move", cls.invoice_ids),
                ("stock.picking", picking_ids),
                ("stock.lot", lot_ids),
                ("stock.scrap", scrap_ids.ids),
            ]
            # Messages, followers and activities (a serial sold without a
            # receipt is flagged for investigation) point at these records.
            for model, ids in records:
                if not ids:
                    continue
                for table, model_column in (
                    ("mail_message", "model"),
                    ("mail_followers", "res_model"),
                    ("mail_activity", "res_model"),
                ):
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE %s = %s AND res_id IN %s",
                            SQL.identifier(table),
                            SQL.identifier(model_column),
                            model,
                            tuple(ids),
                        )
                    )
            for table in (
                "stock_valuation_layer",
                "stock_move_line",
                "stock_move",
                "stock_scrap",
                "stock_quant",
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE product_id = %s",
                        SQL.identifier(table),
                        cls.product_id,
                    )
                )
            if picking_ids:
                cr.execute(
                    SQL("DELETE FROM stock_picking WHERE id IN %s", tuple(picking_ids))
                )
            if cls.invoice_ids:
                cr.execute(
                    SQL(
                        "DELETE FROM account_move WHERE id IN %s",
                        tuple(cls.invoice_ids),
                    )
                )
            if lot_ids:
                cr.execute(SQL("DELETE FROM stock_lot WHERE id IN %s", tuple(lot_ids)))
            env.invalidate_all()
            env["product.product"].browse(cls.product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(cls.partner_id).unlink()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _env(self, cr):
        return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    def _setup_serial(self, name, invoices=2, location_id=None):
        """A committed serial in stock (in the first warehouse, or at
        location_id) and `invoices` draft invoices selling it."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            product = env["product.product"].browse(self.product_id)
            lot = env["stock.lot"].create(
                {"name": name, "product_id": product.id, "company_id": self.company_id}
            )
            env["stock.quant"]._update_available_quantity(
                product,
                env["stock.location"].browse(location_id or self.stock_location_id),
                1.0,
                lot_id=lot,
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.partner_id,
                        "invoice_date": fields.Date.today(),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": 1.0,
                                    "price_unit": 100.0,
                                    "lot_ids": [Command.set(lot.ids)],
                                }
                            )
                        ],
                    }
                    for _i in range(invoices)
                ]
            )
            self.invoice_ids.extend(moves.ids)
            return lot.id, moves.ids

    def _race(self, first_action, second_action):
        """Run first_action, hold its transaction open, run second_action.

        Each runs in its own committed transaction through the RPC layer's
        retrying(); the first commits only once the second has had its go.
        :return: {"first": result or error, "second": ..., "blocked": bool}
        """
        first_done = threading.Event()
        second_started = threading.Event()
        release_first = threading.Event()
        results = {}

        def first():
            with self.registry.cursor() as cr:
                env = self._env(cr)

                def action():
                    result = first_action(env)
                    env.flush_all()
                    first_done.set()
                    release_first.wait(30)
                    return result

                try:
                    results["first"] = retrying(action, env)
                except Exception as error:  # noqa: BLE001 - reported to the test
                    results["first"] = error
                finally:
                    first_done.set()

        def second():
            first_done.wait(30)
            with self.registry.cursor() as cr:
                env = self._env(cr)
                results["second_pid"] = cr._cnx.get_backend_pid()
                second_started.set()
                try:
                    results["second"] = retrying(lambda: second_action(env), env)
                except Exception as error:  # noqa: BLE001 - reported to the test
                    results["second"] = error

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        # The test runner holds the registry lock for the whole run; a server
        # thread takes it only briefly. Give the users' threads their own.
        with patch.object(Registry, "_lock", threading.RLock()):
            for thread in threads:
                thread.start()
            second_started.wait(30)
            results["blocked"] = wait_until_blocked(
                self.registry, results.get("second_pid"), timeout=5
            )
            release_first.set()
            for thread in threads:
                thread.join(60)
        return results

    def _post(self, invoice_id):
        return lambda env: env["account.move"].browse(invoice_id).action_post()

    def _state(self, lot_ids):
        """Committed facts: internal quants per lot, invoices' states, pickings."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            quants = env["stock.quant"].search([("product_id", "=", self.product_id)])
            internal_quants = quants.filtered(
                lambda quant: quant.location_id.usage == "internal"
            )
            internal = {}
            for quant in internal_quants:
                internal[quant.lot_id.name] = (
                    internal.get(quant.lot_id.name, 0.0) + quant.quantity
                )
            shipped = env["stock.move.line"].search_count(
                [
                    ("lot_id", "in", lot_ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ]
            )
            return {
                "internal": internal,
                "negative": any(quant.quantity < 0 for quant in internal_quants),
                "posted": env["account.move"].search_count(
                    [("id", "in", self.invoice_ids), ("state", "=", "posted")]
                ),
                "shipped": shipped,
            }

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_invoices_sell_the_same_serial(self):
        lot_id, (first_id, second_id) = self._setup_serial("SN-RACE-SALE")
        results = self._race(self._post(first_id), self._post(second_id))

        self.assertNotIsInstance(results["first"], Exception, results["first"])
        self.assertIsInstance(results["second"], UserError, results["second"])
        self.assertIn("SN-RACE-SALE is not available", str(results["second"]))
        self.assertTrue(results["blocked"], "the second posting must wait its turn")
        state = self._state([lot_id])
        self.assertFalse(state["negative"], "no negative quant")
        self.assertEqual(state["internal"].get("SN-RACE-SALE", 0.0), 0.0)
        self.assertEqual(state["shipped"], 1, "the serial is shipped once")
        with self.registry.cursor() as cr:
            invoices = self._env(cr)["account.move"].browse([first_id, second_id])
            self.assertEqual(invoices.mapped("state"), ["posted", "draft"])

    def _second_warehouse(self):
        """A committed second warehouse of the company, archived afterwards."""
        with self.registry.cursor() as cr:
            warehouse = self._env(cr)["stock.warehouse"].create(
                {
                    "name": "Race Warehouse 2",
                    "code": "RWH2",
                    "company_id": self.company_id,
                }
            )
            warehouse_id, stock_id = warehouse.id, warehouse.lot_stock_id.id

        def archive():
            with self.registry.cursor() as cr:
                env = self._env(cr)
                # Emptied first: Odoo archives no location that holds stock.
                cr.execute(
                    SQL("DELETE FROM stock_quant WHERE location_id = %s", stock_id)
                )
                env["stock.warehouse"].browse(warehouse_id).active = False

        self.addCleanup(archive)
        return warehouse_id, stock_id

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_invoices_sell_the_same_serial_of_a_second_warehouse(self):
        warehouse_id, stock_id = self._second_warehouse()
        lot_id, (first_id, second_id) = self._setup_serial(
            "SN-RACE-WH2", location_id=stock_id
        )
        with self.registry.cursor() as cr:
            # One invoice on each warehouse: both offer the serial of the second.
            self._env(cr)["account.move"].browse(
                second_id
            ).serial_warehouse_id = warehouse_id
        results = self._race(self._post(first_id), self._post(second_id))

        self.assertNotIsInstance(results["first"], Exception, results["first"])
        self.assertIsInstance(results["second"], UserError, results["second"])
        self.assertIn("SN-RACE-WH2 is not available", str(results["second"]))
        self.assertTrue(results["blocked"], "the second posting must wait its turn")
        state = self._state([lot_id])
        self.assertFalse(state["negative"], "no negative quant")
        self.assertEqual(state["internal"].get("SN-RACE-WH2", 0.0), 0.0)
        self.assertEqual(state["shipped"], 1, "the serial is shipped once")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoices = env["account.move"].browse([first_id, second_id])
            self.assertEqual(invoices.mapped("state"), ["posted", "draft"])
            delivery = invoices[0].serial_picking_ids
            self.assertEqual(
                delivery.picking_type_id.warehouse_id.id,
                warehouse_id,
                "delivered by the second warehouse, where the serial was",
            )

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_correction_and_sale_of_the_same_serial(self):
        lot_id, (invoice_id,) = self._setup_serial("SN-RACE-FIX", invoices=1)

        def correct(env):
            wizard = env["stock.lot.correction"].create(
                {
                    "lot_id": lot_id,
                    "new_name": "SN-RACE-FIXED",
                    "reason": "Digits transposed",
                }
            )
            return wizard.action_apply()

        results = self._race(correct, self._post(invoice_id))

        self.assertNotIsInstance(results["first"], Exception, results["first"])
        self.assertIsInstance(results["second"], UserError, results["second"])
        self.assertIn("SN-RACE-FIX is not available", str(results["second"]))
        self.assertTrue(results["blocked"], "the sale must wait for the correction")
        with self.registry.cursor() as cr:
            new_lot = self._env(cr)["stock.lot"].search(
                [("product_id", "=", self.product_id), ("name", "=", "SN-RACE-FIXED")]
            )
            lot_ids = [lot_id, *new_lot.ids]
        state = self._state(lot_ids)
        self.assertFalse(state["negative"], "no negative quant")
        # The serial was corrected, not sold: the right one holds the unit.
        self.assertEqual(state["internal"].get("SN-RACE-FIX", 0.0), 0.0)
        self.assertEqual(state["internal"].get("SN-RACE-FIXED"), 1.0)
        self.assertEqual(sum(state["internal"].values()), 1.0)
        self.assertEqual(state["shipped"], 0)
        self.assertEqual(state["posted"], 0)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_write_offs_of_the_same_serial(self):
        lot_id, _invoices = self._setup_serial("SN-RACE-OFF", invoices=0)
        with self.registry.cursor() as cr:
            scraps = self._env(cr)["stock.scrap"].create(
                [
                    {
                        "product_id": self.product_id,
                        "lot_id": lot_id,
                        "location_id": self.stock_location_id,
                        "scrap_qty": 1.0,
                    }
                    for _i in range(2)
                ]
            )
            first_id, second_id = scraps.ids

        def write_off(scrap_id):
            return lambda env: env["stock.scrap"].browse(scrap_id).action_validate()

        results = self._race(write_off(first_id), write_off(second_id))

        self.assertNotIsInstance(results["first"], Exception, results["first"])
        self.assertIsInstance(results["second"], UserError, results["second"])
        self.assertIn(
            "Serial SN-RACE-OFF cannot be written off", str(results["second"])
        )
        self.assertTrue(results["blocked"], "the second write-off must wait its turn")
        state = self._state([lot_id])
        self.assertFalse(state["negative"], "no negative quant")
        self.assertEqual(state["internal"].get("SN-RACE-OFF", 0.0), 0.0)
        with self.registry.cursor() as cr:
            scraps = self._env(cr)["stock.scrap"].browse([first_id, second_id])
            self.assertEqual(scraps.mapped("state"), ["done", "draft"])

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_reset_to_draft_and_credit_note_of_the_same_serial(self):
        """Both would take the sold serial back: it comes back once."""
        lot_id, (invoice_id,) = self._setup_serial("SN-RACE-BACK", invoices=1)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoice = env["account.move"].browse(invoice_id)
            invoice.action_post()
            refund = invoice.copy(
                {"move_type": "out_refund", "invoice_date": fields.Date.today()}
            )
            refund.invoice_line_ids.lot_ids = [Command.set([lot_id])]
            refund_id = refund.id
            self.invoice_ids.append(refund_id)

        results = self._race(
            lambda env: env["account.move"].browse(invoice_id).button_draft(),
            self._post(refund_id),
        )

        self.assertNotIsInstance(results["first"], Exception, results["first"])
        self.assertIsInstance(results["second"], UserError, results["second"])
        self.assertIn("SN-RACE-BACK is not available", str(results["second"]))
        self.assertTrue(results["blocked"], "the credit note must wait its turn")
        state = self._state([lot_id])
        self.assertFalse(state["negative"], "no negative quant")
        self.assertEqual(state["internal"].get("SN-RACE-BACK"), 1.0, "back once")
        with self.registry.cursor() as cr:
            moves = self._env(cr)["account.move"].browse([invoice_id, refund_id])
            self.assertEqual(moves.mapped("state"), ["draft", "draft"])
