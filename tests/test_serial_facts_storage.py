# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import column_exists, index_exists

from ..models.stock_lot_facts import SERIAL_FACT_FIELDS
from ..models.stock_serial_facts import LAST_MOVE_INDEX, TO_INVESTIGATE_INDEX
from .common import SerialTrackingCase

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.2.0.0"
    / "post-migrate.py"
)
# Every fact of a serial: columns of stock_serial_facts (of stock_lot in 18.0.1).
FACT_COLUMNS = [*SERIAL_FACT_FIELDS, "entry_origin", "to_investigate"]


@tagged("post_install", "-at_install")
class TestSerialFactsStorage(SerialTrackingCase):
    """The facts live in stock.serial.facts: a move never rewrites a serial."""

    def _row_version(self, lots):
        """{lot id: (ctid, xmin)} of the serials' stock_lot rows: any update
        of a row, HOT or not, gives it a new ctid."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id, ctid::text, xmin::text FROM stock_lot WHERE id = ANY(%s)",
                lots.ids,
            )
        )
        return {lot_id: (ctid, xmin) for lot_id, ctid, xmin in self.env.cr.fetchall()}

    def _facts_row(self, lot):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT lot_id, serial_state, customer_id, entry_origin "
                "FROM stock_serial_facts WHERE id = %s",
                lot.id,
            )
        )
        return self.env.cr.fetchone()

    def test_a_new_serial_has_its_row_of_facts(self):
        lot = self._create_lot(self.laptop, "SN-FACTS-NEW")
        self.assertEqual(self._facts_row(lot), (lot.id, "not_in_stock", None, None))
        self.assertEqual(lot.serial_state, "not_in_stock")
        self.assertEqual(lot.serial_facts_id.id, lot.id)

    def test_the_facts_of_a_serial_go_with_it(self):
        lot = self._create_lot(self.laptop, "SN-FACTS-GONE")
        lot.unlink()
        self.assertIsNone(self._facts_row(lot))

    def test_no_fact_is_a_column_of_stock_lot(self):
        for column in FACT_COLUMNS:
            self.assertFalse(column_exists(self.env.cr, "stock_lot", column), column)
            self.assertTrue(
                column_exists(self.env.cr, "stock_serial_facts", column), column
            )

    def _serial_row_updates(self):
        """Updates of stock_lot rows made by this transaction so far."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT pg_stat_get_xact_tuples_updated('stock_lot'::regclass)"
        )
        return self.env.cr.fetchone()[0]

    def test_moves_do_not_rewrite_the_serial_row(self):
        """Receipt, delivery, return and transfer: Odoo's own fields of the
        serial may change its row (its single location), the addon's facts
        never do."""
        self._receive(self.carpet, [("CR-FACTS-1", 10)])
        lot = self._lot("CR-FACTS-1")
        self._transfer([(lot, 4)], self.stock_location, self.shelf)
        # In two locations now: Odoo's single location stays empty whatever
        # part moves next, so only the addon could rewrite the row.
        before = self._row_version(lot)
        updates = self._serial_row_updates()
        self._receive(self.carpet, [(lot, 5)])
        delivery = self._deliver(self.carpet, [(lot, 3)])
        self._return(delivery, [(lot, 1)])
        self._transfer([(lot, 1)], self.shelf, self.stock_location)
        self.assertEqual(self._row_version(lot), before)
        self.assertEqual(self._serial_row_updates(), updates)
        self.assertEqual(lot.serial_state, "in_stock")

    def test_receiving_new_serials_rewrites_only_what_odoo_does(self):
        """The first receipt of a serial: Odoo itself writes its row once (its
        single location); the facts and entry origin add no write to it."""
        lots = self._create_lot(self.laptop, "SN-FACTS-R1") | self._create_lot(
            self.laptop, "SN-FACTS-R2"
        )
        updates = self._serial_row_updates()
        self._receive(self.laptop, [(lot, 1) for lot in lots])
        self.assertEqual(self._serial_row_updates() - updates, len(lots))
        self.assertEqual(lots.location_id, self.stock_location)
        self.assertEqual(
            [self._facts_row(lot)[1:] for lot in lots],
            [("in_stock", None, "receipt")] * 2,
        )

    def _facts_row_writes(self):
        """(inserts, updates) of stock_serial_facts rows by this transaction."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT pg_stat_get_xact_tuples_inserted('stock_serial_facts'::regclass),"
            " pg_stat_get_xact_tuples_updated('stock_serial_facts'::regclass)"
        )
        return self.env.cr.fetchone()

    def test_a_receipt_writes_each_new_serials_facts_row_once(self):
        """Serials typed on a receipt: each facts row is inserted when Odoo
        creates the serial, then written once with its stock, last move and
        entry origin together (no second write of the entry origin)."""
        inserted, updated = self._facts_row_writes()
        self._receive(self.laptop, [("SN-FACTS-ONCE-1", 1), ("SN-FACTS-ONCE-2", 1)])
        lots = self._lot("SN-FACTS-ONCE-1") | self._lot("SN-FACTS-ONCE-2")
        self.assertEqual(self._facts_row_writes(), (inserted + 2, updated + 2))
        self.assertEqual(
            [self._facts_row(lot)[1:] for lot in lots],
            [("in_stock", None, "receipt")] * 2,
        )

    def test_the_lock_does_not_rewrite_the_serial_row(self):
        lot = self._create_lot(self.laptop, "SN-FACTS-LOCK")
        before = self._row_version(lot)
        lot._lock_serials_for_stock_change()
        self.assertEqual(self._row_version(lot), before)

    def test_a_serial_without_facts_row_reads_empty_and_gets_one_when_moved(self):
        """A serial inserted by SQL (another module, an import) has no row:
        it reads as no facts, and its first move gives it one."""
        lot = self._create_lot(self.laptop, "SN-FACTS-SQL")
        self.env.cr.execute(SQL("DELETE FROM stock_serial_facts WHERE id = %s", lot.id))
        lot.invalidate_recordset()
        self.assertFalse(lot.serial_facts_id)
        self.assertFalse(lot.serial_state)
        self._receive(self.laptop, [(lot, 1)])
        self.assertEqual(self._facts_row(lot)[1:], ("in_stock", None, "receipt"))

    def test_a_page_of_serials_reads_its_facts_in_one_query(self):
        """The facts of a list's page come in one query, the values of
        the facts rows; written facts read back as written."""
        self._receive(self.laptop, [("SN-PAGE-1", 1), ("SN-PAGE-2", 1)])
        self._deliver(self.laptop, [(self._lot("SN-PAGE-2"), 1)])
        lots = self._lot("SN-PAGE-1") | self._lot("SN-PAGE-2")
        lots.to_investigate = True
        fnames = FACT_COLUMNS
        self.env.flush_all()
        self.env.invalidate_all()
        lots = lots.browse(lots.ids)
        with self.assertQueryCount(1):
            values = [[lot[fname] for fname in fnames] for lot in lots]
        facts = self.env["stock.serial.facts"].browse(lots.ids)
        self.assertEqual(values, [[row[fname] for fname in fnames] for row in facts])
        self.assertEqual(
            [(row[0], row[2]) for row in values],
            [("in_stock", self.env["res.partner"]), ("delivered", self.partner)],
        )
        self.assertEqual(lots.mapped("to_investigate"), [True, True])

    def test_the_facts_indexes_exist(self):
        for index in (LAST_MOVE_INDEX, TO_INVESTIGATE_INDEX):
            self.assertTrue(index_exists(self.env.cr, index), index)
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'stock_lot' "
            "AND indexdef ILIKE '%%serial_state%%'"
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_list_order_and_filters_use_the_facts_indexes(self):
        """The enquiry list's first page is read in order from the facts'
        index of its order, with or without a status filter: no sort of every
        serial (EXPLAIN of the ORM's query; sequential scans and sorts off, as
        the test database is too small for the planner to prefer an index)."""
        Lot = self.env["stock.lot"]
        for domain in ([], [("serial_state", "=", "in_stock")]):
            query = Lot._search(domain, order="last_move_date desc, id desc", limit=80)
            self.env.cr.execute("SET LOCAL enable_seqscan = off")
            self.env.cr.execute("SET LOCAL enable_sort = off")
            self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn(LAST_MOVE_INDEX, plan, plan)
            self.assertNotIn("Sort", plan, plan)

    def test_the_facts_sort_and_group_the_serials(self):
        self._receive(self.laptop, [("SN-FACTS-G1", 1), ("SN-FACTS-G2", 1)])
        delivered = self._lot("SN-FACTS-G2")
        self._deliver(self.laptop, [(delivered, 1)])
        Lot = self.env["stock.lot"]
        fields_info = Lot.fields_get(["serial_state", "last_move_date", "customer_id"])
        for name, info in fields_info.items():
            self.assertTrue(info["sortable"], name)
            self.assertTrue(info["groupable"], name)
            self.assertTrue(info["searchable"], name)
        domain = [("product_id", "=", self.laptop.id)]
        groups = Lot.read_group(domain, ["serial_state"], ["serial_state"])
        self.assertEqual(
            {group["serial_state"]: group["serial_state_count"] for group in groups},
            {"in_stock": 1, "delivered": 1},
        )
        ordered = Lot.search(domain, order="last_move_date desc, id desc")
        self.assertEqual(ordered[0], delivered)
        self.assertEqual(
            Lot.search([*domain, ("customer_id", "=", self.partner.id)]), delivered
        )
        self.assertEqual(
            Lot.search([*domain, ("customer_id", "=", False)]),
            self._lot("SN-FACTS-G1"),
        )

    def test_migration_moves_the_facts_out_of_stock_lot(self):
        """An 18.0.1 database: the facts were columns of stock_lot. The
        migration copies them, hand-set flags and origins included, then
        drops the columns."""
        self._receive(self.laptop, [("SN-MIG-1", 1)])
        lot = self._lot("SN-MIG-1")
        self._deliver(self.laptop, [(lot, 1)])
        kept = {name: lot[name] for name in SERIAL_FACT_FIELDS}
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            ALTER TABLE stock_lot ADD COLUMN serial_state varchar,
                ADD COLUMN current_location_id int, ADD COLUMN customer_id int,
                ADD COLUMN last_move_date timestamp,
                ADD COLUMN warranty_start_date date,
                ADD COLUMN warranty_end_date date, ADD COLUMN entry_origin varchar,
                ADD COLUMN to_investigate boolean;
            UPDATE stock_lot lot
               SET serial_state = facts.serial_state,
                   current_location_id = facts.current_location_id,
                   customer_id = facts.customer_id,
                   last_move_date = facts.last_move_date,
                   warranty_start_date = facts.warranty_start_date,
                   warranty_end_date = facts.warranty_end_date,
                   entry_origin = 'correction', to_investigate = TRUE
              FROM stock_serial_facts facts WHERE facts.id = lot.id;
            CREATE INDEX stock_lot_serial_tracking_last_move_index
                ON stock_lot (last_move_date DESC NULLS LAST, id DESC);
            DELETE FROM stock_serial_facts;
            """
        )
        spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()

        self.assertEqual({name: lot[name] for name in SERIAL_FACT_FIELDS}, kept)
        self.assertEqual((lot.entry_origin, lot.to_investigate), ("correction", True))
        for column in FACT_COLUMNS:
            self.assertFalse(column_exists(cr, "stock_lot", column), column)
        self.assertFalse(index_exists(cr, "stock_lot_serial_tracking_last_move_index"))
        cr.execute(
            "SELECT COUNT(*) FROM stock_lot lot WHERE NOT EXISTS "
            "(SELECT 1 FROM stock_serial_facts f WHERE f.id = lot.id)"
        )
        self.assertEqual(cr.fetchone()[0], 0)
        # Run again (an upgrade started twice): nothing to do, nothing broken.
        migration.migrate(cr, "18.0.1.0.0")
        self.assertEqual(lot.serial_state, kept["serial_state"])
