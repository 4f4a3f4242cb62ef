# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math
import time

from odoo import api, models
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# The facts _refresh_serial_facts() writes (stock.serial.facts, shown on
# stock.lot under the same names).
SERIAL_FACT_FIELDS = [
    "serial_state",
    "current_location_id",
    "customer_id",
    "last_move_date",
    "warranty_start_date",
    "warranty_end_date",
]
# Serials per statement when refreshing facts.
FACTS_BATCH_SIZE = 50000


class StockLot(models.Model):
    """The engine writing the enquiry's stored facts, set-based, in SQL.

    Called when stock moves are done or edited, and at installation for
    every existing serial: one statement per batch of serials, whatever their
    number, writing the serials' rows of stock.serial.facts (never the
    serials' own rows) and only where a fact changed.
    """

    _inherit = "stock.lot"

    @api.model_create_multi
    def create(self, vals_list):
        lots = super().create(vals_list)
        # Every serial has its row of facts from the start ("not in stock").
        self.env["stock.serial.facts"]._insert_missing_rows(lots.ids)
        return lots

    @api.model
    def _refresh_all_serial_facts(self, batch_size=FACTS_BATCH_SIZE):
        """Compute the facts of every serial (installation), batch by batch.

        One statement per batch of serials: the facts, and where the serials
        without an entry origin first appeared. Logs its progress, so that an
        administrator installing on a large database sees it advance.
        """
        started = time.monotonic()
        self.env.cr.execute(SQL("SELECT id FROM stock_lot ORDER BY id"))
        ids = [row[0] for row in self.env.cr.fetchall()]
        batches = math.ceil(len(ids) / batch_size)
        for number, batch in enumerate(split_every(batch_size, ids, list), 1):
            self.browse(batch)._refresh_serial_facts(entry_origins=True)
            _logger.info(
                "Serial facts: batch %s/%s done (%s serials)",
                number,
                batches,
                len(batch),
            )
        _logger.info(
            "Serial facts of %s serials computed in %s batches of at most %s in %.1fs",
            len(ids),
            batches,
            batch_size,
            time.monotonic() - started,
        )

    def _refresh_serial_facts(self, entry_origins=False, new_entry_origins=None):
        """Recompute the stored facts of these serials from the stock.

        One statement per batch of serials, whatever their number: current stock
        from the quants, last move and last customer move from the done move
        lines. Serials whose facts did not change are not written.

        :param entry_origins: also note where the serials that have no entry
            origin yet first appeared (installation on existing serials; moves
            done later find it themselves, StockMoveLine._record_serial_entry).
        :param new_entry_origins: {serial id: entry origin} to note in the same
            statement on serials that have none yet (the moves just done).
        """
        ids = [lot_id for lot_id in self.ids if lot_id]
        if not ids:
            return
        self._flush_serial_facts_sources()
        Facts = self.env["stock.serial.facts"]
        Facts.flush_model()
        for batch in split_every(FACTS_BATCH_SIZE, ids, list):
            self.env.cr.execute(
                self._serial_facts_sql(batch, entry_origins, new_entry_origins)
            )
        Facts.browse(ids).invalidate_recordset()
        # The facts shown on the serials, what is computed from them, and the
        # history (an SQL view): the ORM cannot know they changed.
        self.browse(ids).invalidate_recordset()

    @api.model
    def _flush_serial_facts_sources(self):
        """Write to the database what _serial_facts_sql() reads, only that."""
        # The lines' documents, through the joins of their one definition.
        self.env["stock.move.line"]._flush_serial_document_sources()
        for model, fnames in (
            ("stock.quant", ["lot_id", "quantity", "location_id"]),
            ("stock.move.line", ["lot_id", "state", "date"]),
            ("stock.move", ["partner_id", "state"]),
            ("stock.picking", ["partner_id"]),
            ("stock.location", ["company_id"]),
            ("stock.lot", ["product_id"]),
            ("product.product", ["product_tmpl_id"]),
            ("product.template", ["serial_warranty_months"]),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _serial_facts_sql(self, ids, entry_origins=False, new_entry_origins=None):
        """The upsert of the facts rows of the serials of these ids.

        Set-based: one pass over the serials' positive quants, one over their
        done move lines (sorted per serial, newest first), joined to the list
        of ids. The list drives the joins, so that PostgreSQL plans them for
        the real number of serials even when its statistics are older than
        the moves just done (hash joins, no loop over loops).

        With entry_origins, the same pass gives the serials without an entry
        origin the one of their first done move line, and the investigation
        flag when it took them out of an internal location, as
        StockMoveLine._record_serial_entry() does (no to-do for the past).
        With new_entry_origins, the serials of its ids that have no entry origin
        get the one given (serials of other batches in it are not joined).
        """
        if entry_origins:
            origins = self._serial_entry_origins_sql()
        elif new_entry_origins:
            origins = self._serial_new_entry_origins_sql(new_entry_origins)
        else:
            origins = {}
        MoveLine = self.env["stock.move.line"]
        return SQL(
            """
            WITH stock AS (
                SELECT quant.lot_id,
                       SUM(quant.quantity) AS quantity,
                       MIN(quant.location_id) AS first_location_id,
                       MAX(quant.location_id) AS last_location_id
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.lot_id = ANY(%(ids)s)
                   AND quant.quantity > 0
                   AND (location.usage = 'internal'
                        OR (location.usage = 'transit'
                            AND location.company_id IS NOT NULL))
              GROUP BY quant.lot_id
            ),
            lines AS (
                SELECT line.lot_id,
                       line.date,
                       line.id,
                       %(moved)s AS moved,
                       %(written_off)s AS written_off,
                       destination.usage = 'customer' AS at_customer,
                       destination.usage = 'production' AS into_production,
                       %(unbuild)s AS unbuild,
                       source.usage = 'customer' OR destination.usage = 'customer'
                           AS customer_move,
                       %(partner)s AS partner_id
                  FROM stock_move_line line
                       %(document_joins)s
                 WHERE line.lot_id = ANY(%(ids)s) AND line.state = 'done'
            ),
            last_move AS (
                SELECT DISTINCT ON (lot_id)
                       lot_id, date, written_off, at_customer, into_production,
                       unbuild
                  FROM lines
                 WHERE moved
              ORDER BY lot_id, date DESC, id DESC
            ),
            last_customer_move AS (
                SELECT DISTINCT ON (lot_id)
                       lot_id, date, at_customer AS delivered, partner_id
                  FROM lines
                 WHERE customer_move AND moved
              ORDER BY lot_id, date DESC, id DESC
            ),
            %(first_line_cte)s
            facts AS (
                SELECT target.id,
                       CASE
                           WHEN stock.quantity > 0 THEN 'in_stock'
                           WHEN last_move.written_off THEN 'written_off'
                           WHEN last_move.at_customer THEN 'delivered'
                           WHEN last_move.into_production AND last_move.unbuild
                               THEN 'unbuilt'
                           WHEN last_move.into_production THEN 'consumed'
                           ELSE 'not_in_stock'
                       END AS serial_state,
                       CASE
                           WHEN stock.first_location_id = stock.last_location_id
                           THEN stock.first_location_id
                       END AS current_location_id,
                       CASE WHEN last_customer_move.delivered
                            THEN last_customer_move.partner_id END AS customer_id,
                       last_move.date AS last_move_date,
                       CASE WHEN last_customer_move.delivered
                            THEN last_customer_move.date::date
                       END AS warranty_start_date
                       %(first_line_columns)s
                  FROM unnest(%(ids)s::int[]) AS target(id)
             LEFT JOIN stock ON stock.lot_id = target.id
             LEFT JOIN last_move ON last_move.lot_id = target.id
             LEFT JOIN last_customer_move ON last_customer_move.lot_id = target.id
                       %(first_line_join)s
            ),
            new_facts AS (
                SELECT facts.*, %(warranty_end)s AS warranty_end_date
                  FROM facts
                  JOIN stock_lot lot ON lot.id = facts.id
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template
                       ON template.id = product.product_tmpl_id
            )
            INSERT INTO stock_serial_facts AS known
                   (id, lot_id, serial_state, current_location_id, customer_id,
                    last_move_date, warranty_start_date, warranty_end_date
                    %(origin_columns)s)
            SELECT id, id, serial_state, current_location_id, customer_id,
                   last_move_date, warranty_start_date, warranty_end_date
                   %(origin_values)s
              FROM new_facts
            ON CONFLICT (id) DO UPDATE
               SET serial_state = EXCLUDED.serial_state,
                   current_location_id = EXCLUDED.current_location_id,
                   customer_id = EXCLUDED.customer_id,
                   last_move_date = EXCLUDED.last_move_date,
                   warranty_start_date = EXCLUDED.warranty_start_date,
                   warranty_end_date = EXCLUDED.warranty_end_date
                   %(origin_set)s
             WHERE (known.serial_state, known.current_location_id,
                    known.customer_id, known.last_move_date,
                    known.warranty_start_date, known.warranty_end_date)
                   IS DISTINCT FROM
                   (EXCLUDED.serial_state, EXCLUDED.current_location_id,
                    EXCLUDED.customer_id, EXCLUDED.last_move_date,
                    EXCLUDED.warranty_start_date, EXCLUDED.warranty_end_date)
                   %(origin_changed)s
            """,
            ids=ids,
            moved=MoveLine._serial_moved_sql(),
            written_off=MoveLine._serial_written_off_sql(),
            unbuild=MoveLine._serial_app_document_sql("unbuild"),
            partner=MoveLine._serial_delivered_partner_sql(),
            document_joins=MoveLine._serial_document_joins_sql(),
            first_line_cte=origins.get("first_line_cte", SQL()),
            first_line_columns=origins.get("first_line_columns", SQL()),
            first_line_join=origins.get("first_line_join", SQL()),
            origin_columns=origins.get("origin_columns", SQL()),
            origin_values=origins.get("origin_values", SQL()),
            origin_set=origins.get("origin_set", SQL()),
            origin_changed=origins.get("origin_changed", SQL()),
            warranty_end=self._warranty_end_sql(
                SQL("facts.warranty_start_date"), SQL("template.serial_warranty_months")
            ),
        )

    @api.model
    def _refresh_serial_facts_of_other_apps(self, batch_size=FACTS_BATCH_SIZE):
        """Compute anew the facts of the serials that the apps beside the
        addon moved (the upgrade to 18.0.2.1: manufacturing, dropships, moves
        in place such as repairs, transfers of Point of Sale sessions), whose
        status, customer or entry origin were read wrongly before.

        Their entry origin "receipt" was the old word for a first movement
        out of a production location or a dropship: it is found again from
        their first line (other origins, set by users or earlier, stay).
        """
        MoveLine = self.env["stock.move.line"]
        MoveLine._flush_serial_document_sources()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT line.lot_id
                  FROM stock_move_line line
                       %(joins)s
                 WHERE line.state = 'done' AND line.lot_id IS NOT NULL
                   AND (source.usage = 'production'
                        OR destination.usage = 'production'
                        OR %(dropship)s
                        OR NOT %(moved)s
                        OR (destination.usage = 'customer'
                            AND picking.partner_id IS NULL))
                """,
                joins=MoveLine._serial_document_joins_sql(),
                dropship=MoveLine._serial_dropship_sql(),
                moved=MoveLine._serial_moved_sql(),
            )
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        self.env["stock.serial.facts"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_serial_facts SET entry_origin = NULL "
                "WHERE id = ANY(%s) AND entry_origin = 'receipt'",
                ids,
            )
        )
        for batch in split_every(batch_size, ids, list):
            self.browse(batch)._refresh_serial_facts(entry_origins=True)
        _logger.info(
            "Serial facts of %s serials moved by other apps computed", len(ids)
        )
        return ids

    @api.model
    def _serial_entry_origins_sql(self):
        """The parts _serial_facts_sql() adds to note entry origins: the kind
        of document of each serial's first done move line, and whether that
        line took the serial out of an internal location (never received:
        flagged), both as stock.move.line's one definition says."""
        MoveLine = self.env["stock.move.line"]
        return {
            "first_line_cte": SQL(
                """
                first_line AS (
                    SELECT DISTINCT ON (lot_id) lot_id, id
                      FROM lines
                  ORDER BY lot_id, date, id
                ),
                first_origin AS (
                    SELECT first_line.lot_id,
                           %(entry_origin)s AS entry_origin,
                           %(from_internal)s AS flagged
                      FROM first_line
                      JOIN stock_move_line line ON line.id = first_line.id
                           %(joins)s
                ),""",
                entry_origin=MoveLine._serial_entry_origin_sql(),
                from_internal=MoveLine._serial_from_internal_sql(),
                joins=MoveLine._serial_document_joins_sql(),
            ),
            "first_line_columns": SQL(
                ", first_origin.entry_origin, first_origin.flagged"
            ),
            "first_line_join": SQL(
                "LEFT JOIN first_origin ON first_origin.lot_id = target.id"
            ),
            "origin_columns": SQL(", entry_origin, to_investigate"),
            "origin_values": SQL(", entry_origin, COALESCE(flagged, FALSE)"),
            "origin_set": SQL(
                """,
                entry_origin = COALESCE(known.entry_origin, EXCLUDED.entry_origin),
                to_investigate = CASE
                    WHEN known.entry_origin IS NULL AND EXCLUDED.to_investigate
                    THEN TRUE
                    ELSE known.to_investigate
                END"""
            ),
            "origin_changed": SQL(
                "OR (known.entry_origin IS NULL AND EXCLUDED.entry_origin IS NOT NULL)"
            ),
        }

    @api.model
    def _serial_new_entry_origins_sql(self, new_entry_origins):
        """The parts _serial_facts_sql() adds to note the entry origins given
        ({serial id: origin}) on the serials that have none yet."""
        return {
            "first_line_columns": SQL(", given.entry_origin"),
            "first_line_join": SQL(
                "LEFT JOIN unnest(%s::int[], %s::varchar[]) AS given(id, entry_origin)"
                " ON given.id = target.id",
                list(new_entry_origins),
                list(new_entry_origins.values()),
            ),
            "origin_columns": SQL(", entry_origin"),
            "origin_values": SQL(", entry_origin"),
            "origin_set": SQL(
                ", entry_origin = COALESCE(known.entry_origin, EXCLUDED.entry_origin)"
            ),
            "origin_changed": SQL(
                "OR (known.entry_origin IS NULL AND EXCLUDED.entry_origin IS NOT NULL)"
            ),
        }

    @api.model
    def _warranty_end_sql(self, start, months):
        """The end of a warranty of `months` from `start` (SQL expressions):
        none without a start or without months; the day clamped to the end
        of a shorter month (31 January + 1 month = 28 or 29 February)."""
        return SQL(
            "CASE WHEN %(start)s IS NOT NULL AND %(months)s > 0 "
            "THEN (%(start)s + make_interval(months => %(months)s))::date END",
            start=start,
            months=months,
        )

    @api.model
    def _refresh_warranty_end_dates(self, templates):
        """Recompute the warranty ends of the serials of these products (their
        warranty months changed), in one statement."""
        self.env["product.template"].flush_model(["serial_warranty_months"])
        self.env["stock.lot"].flush_model(["product_id"])
        Facts = self.env["stock.serial.facts"]
        Facts.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_serial_facts facts
                   SET warranty_end_date = %(warranty_end)s
                  FROM stock_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template
                       ON template.id = product.product_tmpl_id
                 WHERE facts.id = lot.id
                   AND template.id = ANY(%(templates)s)
                   AND facts.warranty_start_date IS NOT NULL
                   AND facts.warranty_end_date IS DISTINCT FROM %(warranty_end)s
                """,
                warranty_end=self._warranty_end_sql(
                    SQL("facts.warranty_start_date"),
                    SQL("template.serial_warranty_months"),
                ),
                templates=templates.ids,
            )
        )
        Facts.invalidate_model(["warranty_end_date"])
        self.invalidate_model(["warranty_end_date", "warranty_days_left"])
