# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .stock_move_line_document import ENTRY_ORIGINS

# Serial Number Enquiry: where a serial is, stored for speed (serial_state).
SERIAL_STATES = [
    ("in_stock", "In stock"),
    ("delivered", "Delivered"),
    ("written_off", "Written off"),
    ("consumed", "Consumed"),
    ("unbuilt", "Unbuilt"),
    ("not_in_stock", "Not in stock"),
]
# Serial Number Enquiry: the list's default order (its filters probe the
# facts by id as it goes, or start from the indexes of the rare ones).
LAST_MOVE_INDEX = "stock_serial_facts_last_move_index"
TO_INVESTIGATE_INDEX = "stock_serial_facts_to_investigate_index"


class StockSerialFacts(models.Model):
    """What the Serial Number Enquiry knows of a serial: one row per serial.

    The row shares the serial's id (``id = lot_id``). Recording a move updates
    this narrow row, never the serial's: stock_lot and its indexes (Odoo's
    trigram index on the name among them) do not grow with every move, and
    the serial searches stay as fast as before the addon. stock.lot shows the
    facts as related fields, filtered, sorted and grouped through a join on
    the id (stock_lot_enquiry.py). Written in SQL by stock_lot_facts.py.
    """

    _name = "stock.serial.facts"
    _description = "Serial Number Facts"
    _log_access = False

    lot_id = fields.Many2one(
        "stock.lot", required=True, readonly=True, ondelete="cascade"
    )
    serial_state = fields.Selection(
        SERIAL_STATES,
        string="Status",
        required=True,
        default="not_in_stock",
        readonly=True,
    )
    current_location_id = fields.Many2one(
        "stock.location", readonly=True, index="btree_not_null"
    )
    customer_id = fields.Many2one("res.partner", readonly=True, index="btree_not_null")
    last_move_date = fields.Datetime(string="Last Movement", readonly=True)
    warranty_start_date = fields.Date(readonly=True)
    warranty_end_date = fields.Date(readonly=True)
    entry_origin = fields.Selection(ENTRY_ORIGINS, string="First Appeared On")
    to_investigate = fields.Boolean()

    _sql_constraints = [
        (
            "one_row_per_serial",
            "CHECK (id = lot_id)",
            "The facts of a serial number share its id.",
        ),
    ]

    def init(self):
        result = super().init()
        # The enquiry list shows the most recently moved serials first: with
        # these indexes PostgreSQL reads the first page straight from the
        # index and stops, whatever the number of serials.
        create_index(
            self.env.cr,
            LAST_MOVE_INDEX,
            self._table,
            ["last_move_date DESC NULLS LAST", "id DESC"],
        )
        create_index(
            self.env.cr,
            TO_INVESTIGATE_INDEX,
            self._table,
            ["id"],
            where="to_investigate",
        )
        return result

    @api.model
    def _insert_missing_rows(self, lot_ids):
        """Give these serials a row of facts ("not in stock") where they have
        none: at their creation, and before a lock."""
        if not lot_ids:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO stock_serial_facts (id, lot_id, serial_state)
                SELECT lot_id, lot_id, 'not_in_stock'
                  FROM unnest(%s::int[]) AS lot_id
                ON CONFLICT (id) DO NOTHING
                """,
                sorted(lot_ids),
            )
        )

    @api.model
    def _get_lot_ids_without_entry_origin(self, lot_ids):
        """The ids among these serials whose first appearance is not noted
        yet (one query, whatever their number)."""
        if not lot_ids:
            return set()
        self.flush_model(["entry_origin"])
        self.env.cr.execute(
            SQL(
                """
                SELECT lot.id
                  FROM unnest(%s::int[]) AS lot(id)
             LEFT JOIN stock_serial_facts facts ON facts.id = lot.id
                 WHERE facts.entry_origin IS NULL
                """,
                list(lot_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}
