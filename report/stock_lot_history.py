# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, drop_view_if_exists

from ..models.stock_move_line_document import HISTORY_KINDS


class StockLotHistory(models.Model):
    """The story of a serial: one row per done stock move line carrying it.

    A read-only SQL view over the done move lines, so the timeline is always
    what the stock really did (nothing to keep in sync, nothing to migrate).
    """

    _name = "stock.lot.history"
    _description = "Serial Number History"
    _auto = False
    _order = "date, id"
    _rec_name = "reference"
    _check_company_auto = True
    # What the view reads: pending changes to these are flushed before a search.
    _depends = {
        "stock.move.line": [
            "lot_id",
            "product_id",
            "date",
            "state",
            "move_id",
            "location_id",
            "location_dest_id",
            "quantity_product_uom",
            "company_id",
            "reference",
        ],
        "stock.move": [
            "picking_id",
            "scrap_id",
            "origin_returned_move_id",
            "partner_id",
            "reference",
            "serial_operation",
            "sale_line_id",
        ],
        "sale.order.line": ["order_id"],
        "sale.order": ["partner_shipping_id"],
        "stock.location": ["usage", "scrap_location"],
        "stock.picking": ["name", "partner_id"],
        "stock.scrap": ["name"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["uom_id"],
        "account.move": ["move_type", "serial_picking_ids"],
    }

    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(HISTORY_KINDS, string="Event", readonly=True)
    reference = fields.Char(readonly=True)
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    scrap_id = fields.Many2one("stock.scrap", string="Write-off", readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    # What the timeline shows of the event's document: the invoice's number
    # for an invoice or a credit note, with its transfer in the details beside
    # it, and in the details of a return, which invoice it undid.
    document_name = fields.Char(
        string="Document",
        compute="_compute_document_name",
        help="The invoice or credit note number of an invoice event, else the "
        "transfer or write-off.",
    )
    note = fields.Char(
        string="Details",
        compute="_compute_document_name",
        help="The transfer of an invoice or credit note event; what made a "
        "return of an invoice (reset to draft, cancelled); that the serial did "
        "not move (a repair done where it stood).",
    )
    can_open_document = fields.Boolean(
        compute="_compute_can_open_document",
        help="The user may open a document of this event.",
    )

    @api.depends("kind", "invoice_id", "reference", "location_id", "location_dest_id")
    def _compute_document_name(self):
        # sudo: the history names the invoice (its number and state) to whoever
        # may read the event, as the enquiry's invoice numbers do.
        invoices = self.invoice_id.sudo()
        invoices.fetch(["name", "state", "move_type"])
        for event in self:
            invoice = invoices.browse(event.invoice_id.id)
            event.note = False
            event.document_name = event.reference
            if event.location_id == event.location_dest_id:
                # A repair done where the product stands: its "To" is no move.
                event.note = self.env._("The serial did not move.")
            if not invoice:
                continue
            if event.kind in ("invoice", "credit_note"):
                event.document_name = invoice.name
                # The view's reference: the transfer the posting made.
                event.note = event.reference
            elif event.kind == "return":
                event.note = event._get_invoice_return_note(invoice)

    def _compute_can_open_document(self):
        for event in self:
            event.can_open_document = bool(event._get_readable_document())

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        # Once every table of the registry exists: the view reads the link
        # between invoices and transfers, made by another model of the addon.
        self.pool.post_init(self._create_view)

    def _register_hook(self):
        """Make the view anew where the apps it reads changed since it was
        made: an app installed after the addon (Manufacturing, Repairs) names
        its events from then on, and one uninstalled took the view with the
        columns it read (Odoo drops them with CASCADE)."""
        result = super()._register_hook()
        self.env.cr.execute(
            SQL(
                "SELECT obj_description(to_regclass(%s), 'pg_class')",
                self._table,
            )
        )
        if self.env.cr.fetchone()[0] != self._get_view_signature():
            self._create_view()
        return result

    def _get_view_signature(self):
        """What the view was made from: the columns of other apps it reads."""
        app_fields = self.env["stock.move.line"]._get_serial_app_fields()
        return "product_serial_tracking: " + ",".join(
            sorted(
                f"{model}.{fname}"
                for fields_of_meaning in app_fields.values()
                for model, fname in fields_of_meaning
            )
        )

    def _create_view(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (SELECT %s FROM %s WHERE %s)",
                SQL.identifier(self._table),
                self._select_sql(),
                self._from_sql(),
                self._where_sql(),
            )
        )
        self.env.cr.execute(
            SQL(
                "COMMENT ON VIEW %s IS %s",
                SQL.identifier(self._table),
                self._get_view_signature(),
            )
        )

    # The view's parts are methods so that other addons can extend them (add a
    # column, a join or an event kind) without rewriting the whole query.
    @api.model
    def _select_sql(self):
        return SQL(
            """
            line.id AS id,
            line.lot_id AS lot_id,
            line.product_id AS product_id,
            line.date AS date,
            %(kind)s AS kind,
            COALESCE(picking.name, scrap.name, move.reference, line.reference)
                AS reference,
            move.id AS move_id,
            move.picking_id AS picking_id,
            move.scrap_id AS scrap_id,
            %(invoice)s AS invoice_id,
            line.location_id AS location_id,
            line.location_dest_id AS location_dest_id,
            line.quantity_product_uom AS quantity,
            template.uom_id AS product_uom_id,
            %(partner)s AS partner_id,
            line.company_id AS company_id
            """,
            kind=self.env["stock.move.line"]._serial_history_kind_sql(),
            invoice=self.env["stock.move.line"]._serial_invoice_id_sql(),
            partner=self.env["stock.move.line"]._serial_delivered_partner_sql(),
        )

    @api.model
    def _from_sql(self):
        # The kind of each line is read over the joins of its one definition
        # (stock.move.line's _serial_history_kind_sql).
        return SQL(
            """
            stock_move_line line
            %(document_joins)s
            JOIN product_product product ON product.id = line.product_id
            JOIN product_template template ON template.id = product.product_tmpl_id
            LEFT JOIN stock_scrap scrap ON scrap.id = move.scrap_id
            """,
            document_joins=self.env["stock.move.line"]._serial_document_joins_sql(),
        )

    @api.model
    def _where_sql(self):
        return SQL("line.state = 'done' AND line.lot_id IS NOT NULL")

    def action_open_document(self):
        """Open the document behind this event (invoice, transfer, write-off):
        the first of them the user may read."""
        self.ensure_one()
        self.check_access("read")
        document = self._get_readable_document()
        if not document:
            raise UserError(
                self.env._(
                    "You may not open the document of this event (%(event)s).",
                    event=self.document_name or self.reference,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "current",
        }

    def _get_documents(self):
        """The records users know this event by, most specific first; the
        stock move itself last."""
        self.ensure_one()
        documents = []
        if self.kind in ("invoice", "credit_note") and self.invoice_id:
            documents.append(self.invoice_id)
        documents += [self.scrap_id, self.picking_id, self.move_id]
        return [document for document in documents if document]

    def _get_readable_document(self):
        """The first document of the event the user may read, or None."""
        return next(
            (
                document
                for document in self._get_documents()
                if document.has_access("read")
            ),
            None,
        )

    def _get_invoice_return_note(self, invoice):
        """What a return made by an invoice (reset to draft, cancel) says."""
        if invoice.move_type == "out_refund":
            if invoice.state == "cancel":
                return self.env._(
                    "Credit note %(invoice)s cancelled", invoice=invoice.name
                )
            return self.env._(
                "Credit note %(invoice)s reset to draft", invoice=invoice.name
            )
        if invoice.state == "cancel":
            return self.env._("Invoice %(invoice)s cancelled", invoice=invoice.name)
        return self.env._("Invoice %(invoice)s reset to draft", invoice=invoice.name)
