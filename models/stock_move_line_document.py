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
    ("manufactured", "Manufacturing Order"),
    ("dropship", "Dropship"),
    ("unbuild", "Unbuild Order"),
    ("repair", "Repair Order"),
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
    ("dropship", "Dropship"),
    ("manufactured", "Manufactured"),
    ("consumed", "Consumed"),
    ("unbuild", "Unbuild"),
    ("repair", "Repair"),
]
# Fields of apps the addon does not depend on that tell which document moved
# a serial, read only where their app is installed: {model: {field: meaning}}.
APP_DOCUMENT_FIELDS = {
    "stock.move": {
        "unbuild_id": "unbuild",  # Manufacturing: components an unbuild gave back
        "consume_unbuild_id": "unbuild",  # Manufacturing: the product unbuilt
        "repair_id": "repair",  # Repairs: the repaired product and its parts
    },
    # Point of Sale: the session whose orders a transfer delivered (a session
    # updating stock at its closing delivers all its orders in one transfer,
    # without a partner).
    "stock.picking": {"pos_session_id": "pos_session"},
}


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
                WHEN %(repair)s THEN 'repair'
                WHEN %(unbuild)s THEN 'unbuild'
                WHEN source.usage = 'production' THEN 'manufactured'
                WHEN %(dropship)s THEN 'dropship'
                WHEN NOT %(from_internal)s THEN 'receipt'
                ELSE 'transfer'
            END
            """,
            correction=self._serial_is_correction_sql(),
            invoice=self._serial_invoice_transfer_sql(),
            repair=self._serial_app_document_sql("repair"),
            unbuild=self._serial_app_document_sql("unbuild"),
            dropship=self._serial_dropship_sql(),
            from_internal=self._serial_from_internal_sql(),
        )

    @api.model
    def _serial_history_kind_sql(self):
        """The event `line` is in a serial's history (HISTORY_KINDS), first
        matching rule wins.

        A correction (made of a write-off and a receipt) comes first; then
        the documents of other apps that name the event themselves (a repair,
        an unbuild); then returns, including those undoing an invoice's
        delivery; then transfers made by posting credit notes and invoices;
        then the locations the serial left and reached (manufacturing reads
        from and into production locations, a dropship from a vendor straight
        to a customer).
        """
        return SQL(
            """
            CASE
                WHEN %(correction)s THEN 'correction'
                WHEN %(repair)s THEN 'repair'
                WHEN %(unbuild)s THEN 'unbuild'
                WHEN move.origin_returned_move_id IS NOT NULL THEN 'return'
                WHEN %(credit_note)s THEN 'credit_note'
                WHEN %(invoice)s THEN 'invoice'
                WHEN %(written_off)s THEN 'write_off'
                WHEN source.usage = 'production' THEN 'manufactured'
                WHEN destination.usage = 'production' THEN 'consumed'
                WHEN %(dropship)s THEN 'dropship'
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
            repair=self._serial_app_document_sql("repair"),
            unbuild=self._serial_app_document_sql("unbuild"),
            credit_note=self._serial_invoice_transfer_sql("out_refund"),
            invoice=self._serial_invoice_transfer_sql("out_invoice"),
            written_off=self._serial_written_off_sql(),
            dropship=self._serial_dropship_sql(),
        )

    @api.model
    def _serial_moved_sql(self):
        """`line` really moved its serial: a repair done where the product
        stands reads from and into the same location, and changes neither
        where the serial is nor who has it."""
        return SQL("(line.location_id <> line.location_dest_id)")

    @api.model
    def _serial_dropship_sql(self):
        """A dropship: from a vendor straight to a customer."""
        return SQL("(source.usage = 'supplier' AND destination.usage = 'customer')")

    @api.model
    def _serial_delivered_partner_sql(self):
        """The partner `line` delivered its goods to (or took them back from).

        The transfer's partner, as users see it on the delivery; a dropship's
        transfer is the vendor's, so there the sale order's delivery address
        (stock.move's sale_line_id, kept by sale_stock) or the move's own
        address, never the transfer's vendor. Point of Sale orders deliver to
        their customer (the order's transfer's partner, or the order found in
        the session's transfer), and anonymous sales to nobody.
        """
        return SQL(
            """
            CASE WHEN source.usage = 'supplier' THEN COALESCE(
                (SELECT sale_order.partner_shipping_id
                   FROM sale_order_line
                   JOIN sale_order ON sale_order.id = sale_order_line.order_id
                  WHERE sale_order_line.id = move.sale_line_id),
                move.partner_id)
            ELSE COALESCE(picking.partner_id, move.partner_id, %(pos_partner)s)
            END
            """,
            pos_partner=self._serial_pos_session_partner_sql(),
        )

    @api.model
    def _serial_app_document_sql(self, meaning):
        """`move` was made by the document of another app that names the
        event (APP_DOCUMENT_FIELDS: "repair", "unbuild"); FALSE where that app
        is not installed."""
        columns = [
            fname
            for model, fname in self._get_serial_app_fields().get(meaning, ())
            if model == "stock.move"
        ]
        if not columns:
            return SQL("FALSE")
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                SQL("move.%s IS NOT NULL", SQL.identifier(column)) for column in columns
            ),
        )

    @api.model
    def _serial_pos_session_partner_sql(self):
        """The customer of the Point of Sale order that sold `line`'s serial,
        for a transfer of a session updating stock at its closing (one
        transfer for all its orders, without a partner); NULL without Point of
        Sale. The order is found by the serial's name on its lines, as the
        till records it."""
        if not self._get_serial_app_fields().get("pos_session"):
            return SQL("NULL::integer")
        return SQL(
            """
            CASE WHEN picking.pos_session_id IS NOT NULL THEN (
                SELECT pos_order.partner_id
                  FROM pos_pack_operation_lot pack
                  JOIN pos_order_line order_line
                       ON order_line.id = pack.pos_order_line_id
                  JOIN pos_order ON pos_order.id = order_line.order_id
                  JOIN stock_lot sold ON sold.id = line.lot_id
                 WHERE pos_order.session_id = picking.pos_session_id
                   AND order_line.product_id = line.product_id
                   AND pack.lot_name = sold.name
              ORDER BY pos_order.id DESC
                 LIMIT 1
            ) END
            """
        )

    @api.model
    def _get_serial_app_fields(self):
        """{meaning: [(model, field)]} of APP_DOCUMENT_FIELDS whose app is
        installed (the field is in the registry and stored)."""
        found = {}
        for model, fields_meaning in APP_DOCUMENT_FIELDS.items():
            model_fields = self.env[model]._fields
            for fname, meaning in fields_meaning.items():
                field = model_fields.get(fname)
                if field and field.store and field.type == "many2one":
                    found.setdefault(meaning, []).append((model, fname))
        return found

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
                    "partner_id",
                    "sale_line_id",
                ],
            ),
            ("sale.order.line", ["order_id"]),
            ("sale.order", ["partner_shipping_id"]),
            ("stock.location", ["usage", "scrap_location"]),
            ("stock.picking", ["serial_invoice_ids", "partner_id"]),
            ("account.move", ["move_type", "serial_picking_ids"]),
        ):
            self.env[model].flush_model(fnames)
        for fields_of_meaning in self._get_serial_app_fields().values():
            for model, fname in fields_of_meaning:
                self.env[model].flush_model([fname])

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
