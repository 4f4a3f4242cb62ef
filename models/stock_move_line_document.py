# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

# The kind of document whose movement a serial first appeared on
# (stock.lot.entry_origin).
ENTRY_ORIGINS = [
    ("receipt", "Receipt"),
    ("invoice", "Customer Invoice"),
    ("transfer", "Transfer"),
    ("write_off", "Write-off"),
    ("correction", "Serial Correction"),
    ("adjustment", "Inventory Adjustment"),
]
# The event a done move line is in a serial's history (stock.lot.history).
HISTORY_KINDS = [
    ("receipt", "Receipt"),
    ("invoice", "Invoice"),
    ("delivery", "Delivery"),
    ("transfer", "Transfer"),
    ("write_off", "Write-off"),
    ("correction", "Correction"),
    ("return", "Return"),
    ("adjustment", "Inventory adjustment"),
    ("credit_note", "Credit note"),
]


class StockMoveLine(models.Model):
    """Which kind of document moved a serial: one definition, in SQL.

    A serial's first movement as it happens (_record_serial_entry), the
    installation on existing serials (stock.lot's facts engine), the serial's
    history (stock.lot.history) and the tests all read the kind of a done
    move line from the expressions below. Each is written over the aliases
    that _serial_document_joins_sql() adds to ``stock_move_line line``:
    ``move``, ``source`` and ``destination`` (its locations), ``picking``.
    Other addons extend a kind by overriding the small predicate methods.
    """

    _inherit = "stock.move.line"

    @api.model
    def _serial_document_joins_sql(self):
        """The joins the expressions of this file read, after a move line."""
        return SQL(
            """
            JOIN stock_move move ON move.id = line.move_id
            JOIN stock_location source ON source.id = line.location_id
            JOIN stock_location destination ON destination.id = line.location_dest_id
            LEFT JOIN stock_picking picking ON picking.id = move.picking_id
            """
        )

    @api.model
    def _serial_entry_origin_sql(self):
        """The entry_origin of a serial first moved by `line` (ENTRY_ORIGINS)."""
        return SQL(
            """
            CASE
                WHEN %(correction)s THEN 'correction'
                WHEN move.scrap_id IS NOT NULL THEN 'write_off'
                WHEN move.is_inventory THEN 'adjustment'
                WHEN %(invoice)s THEN 'invoice'
                WHEN NOT %(from_internal)s THEN 'receipt'
                ELSE 'transfer'
            END
            """,
            correction=self._serial_is_correction_sql(),
            invoice=self._serial_invoice_transfer_sql(),
            from_internal=self._serial_from_internal_sql(),
        )

    @api.model
    def _serial_history_kind_sql(self):
        """The event `line` is in a serial's history (HISTORY_KINDS), first
        matching rule wins.

        A correction (made of a write-off and a receipt) comes first; then
        returns, including those undoing an invoice's delivery; then transfers
        made by posting credit notes and invoices; then the locations the
        serial left and reached.
        """
        return SQL(
            """
            CASE
                WHEN %(correction)s THEN 'correction'
                WHEN move.origin_returned_move_id IS NOT NULL THEN 'return'
                WHEN %(credit_note)s THEN 'credit_note'
                WHEN %(invoice)s THEN 'invoice'
                WHEN %(written_off)s THEN 'write_off'
                WHEN destination.usage = 'customer' THEN 'delivery'
                WHEN source.usage = 'customer' OR destination.usage = 'supplier'
                    THEN 'return'
                WHEN source.usage = 'supplier' THEN 'receipt'
                WHEN source.usage = 'inventory' OR destination.usage = 'inventory'
                    THEN 'adjustment'
                ELSE 'transfer'
            END
            """,
            correction=self._serial_is_correction_sql(),
            credit_note=self._serial_invoice_transfer_sql("out_refund"),
            invoice=self._serial_invoice_transfer_sql("out_invoice"),
            written_off=self._serial_written_off_sql(),
        )

    @api.model
    def _serial_is_correction_sql(self):
        """The write-off and the receipt of a serial correction."""
        return SQL("move.serial_operation = 'correction'")

    @api.model
    def _serial_written_off_sql(self):
        """A write-off, or any move into a scrap location."""
        return SQL("(move.scrap_id IS NOT NULL OR destination.scrap_location)")

    @api.model
    def _serial_from_internal_sql(self):
        """The serial left one of the company's locations (it was in stock)."""
        return SQL("(source.usage = 'internal')")

    @api.model
    def _serial_invoice_transfer_sql(self, move_type=None):
        """The transfer of `move` was made by posting an invoice (of that
        type, or of any type without one)."""
        relation = self._get_serial_invoice_transfer_relation()
        if not relation:
            return SQL("FALSE")
        table, invoice_column, picking_column = relation
        if not move_type:
            return SQL(
                "EXISTS (SELECT 1 FROM %(table)s rel WHERE rel.%(picking)s = "
                "move.picking_id)",
                table=SQL.identifier(table),
                picking=SQL.identifier(picking_column),
            )
        return SQL(
            """EXISTS (
                SELECT 1
                  FROM %(table)s rel
                  JOIN account_move invoice ON invoice.id = rel.%(invoice)s
                 WHERE rel.%(picking)s = move.picking_id
                   AND invoice.move_type = %(move_type)s
            )""",
            table=SQL.identifier(table),
            invoice=SQL.identifier(invoice_column),
            picking=SQL.identifier(picking_column),
            move_type=move_type,
        )

    @api.model
    def _serial_invoice_id_sql(self):
        """The invoice (or credit note) whose posting made `move`'s transfer."""
        relation = self._get_serial_invoice_transfer_relation()
        if not relation:
            return SQL("NULL::integer")
        table, invoice_column, picking_column = relation
        return SQL(
            "(SELECT MIN(rel.%(invoice)s) FROM %(table)s rel "
            "WHERE rel.%(picking)s = move.picking_id)",
            table=SQL.identifier(table),
            invoice=SQL.identifier(invoice_column),
            picking=SQL.identifier(picking_column),
        )

    @api.model
    def _get_serial_invoice_transfer_relation(self):
        """(table, invoice column, transfer column) linking invoices to the
        transfers their posting made, or None without that link."""
        field = self.env["account.move"]._fields.get("serial_picking_ids")
        if not field or field.type != "many2many":
            return None
        return field.relation, field.column1, field.column2

    @api.model
    def _flush_serial_document_sources(self):
        """Write to the database what the expressions of this file read."""
        for model, fnames in (
            ("stock.move.line", ["move_id", "location_id", "location_dest_id"]),
            (
                "stock.move",
                [
                    "serial_operation",
                    "scrap_id",
                    "is_inventory",
                    "picking_id",
                    "origin_returned_move_id",
                ],
            ),
            ("stock.location", ["usage", "scrap_location"]),
            ("stock.picking", ["serial_invoice_ids"]),
            ("account.move", ["move_type", "serial_picking_ids"]),
        ):
            self.env[model].flush_model(fnames)

    def _get_serial_entry_origins(self):
        """{line id: (entry origin, left an internal location)} of self, read
        with the SQL definition above (one query whatever the lines).

        The lines' moves are named too: PostgreSQL then reads those few moves
        by their ids instead of hashing the whole stock_move table for the
        lines of one receipt (a 1,000-serial receipt: 15 ms -> 5 ms).
        """
        if not self.ids:
            return {}
        self._flush_serial_document_sources()
        self.env.cr.execute(
            SQL(
                "SELECT line.id, %(origin)s, %(from_internal)s "
                "FROM stock_move_line line %(joins)s "
                "WHERE line.id = ANY(%(ids)s) AND move.id = ANY(%(move_ids)s)",
                origin=self._serial_entry_origin_sql(),
                from_internal=self._serial_from_internal_sql(),
                joins=self._serial_document_joins_sql(),
                ids=self.ids,
                move_ids=self.move_id.ids,
            )
        )
        return {
            line_id: (origin, left) for line_id, origin, left in self.env.cr.fetchall()
        }
