# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

CUSTOMER_DOCUMENT_TYPES = ("out_invoice", "out_refund")


class StockLot(models.Model):
    """Serial Number Enquiry: what the list and the serial's page show.

    Where a serial is, who has it and its warranty are stored facts (rows of
    stock.serial.facts written by stock_lot_facts.py when stock moves), so
    that the list filters and sorts on indexed columns; its history is the
    stock.lot.history view.
    """

    _inherit = "stock.lot"

    # The facts live in stock.serial.facts, one row per serial sharing its
    # id (a move rewrites that row, not the serial's): shown here as related
    # fields, which the list filters, sorts and groups on through a join on
    # the id (_field_to_sql).
    serial_facts_id = fields.Many2one(
        "stock.serial.facts",
        string="Facts",
        required=True,
        compute="_compute_serial_facts_id",
        search="_search_serial_facts_id",
    )
    serial_state = fields.Selection(
        related="serial_facts_id.serial_state",
        help="In stock: in one of the company's locations. Delivered: at a "
        "customer. Written off: scrapped. Not in stock: never received, or gone "
        "otherwise (returned to the vendor, removed by an inventory adjustment). "
        "Updated whenever the serial is moved.",
    )
    current_location_id = fields.Many2one(
        related="serial_facts_id.current_location_id",
        string="Current Location",
        help="Where the serial's stock is, when it is all in one location.",
    )
    customer_id = fields.Many2one(
        related="serial_facts_id.customer_id",
        string="Customer",
        help="The partner the serial was delivered or invoiced to; cleared when "
        "it comes back to stock.",
    )
    last_move_date = fields.Datetime(
        related="serial_facts_id.last_move_date",
        help="When the serial was last moved (received, delivered, transferred, "
        "written off...).",
    )
    warranty_start_date = fields.Date(
        related="serial_facts_id.warranty_start_date",
        help="When the serial was delivered or invoiced to its customer; cleared "
        "when it comes back to stock.",
    )
    warranty_end_date = fields.Date(
        related="serial_facts_id.warranty_end_date",
        help="The start of the warranty plus the product's warranty months.",
    )
    warranty_days_left = fields.Integer(
        compute="_compute_days_left",
        help="Days until the warranty ends (negative once it has ended).",
    )
    expiry_days_left = fields.Integer(
        compute="_compute_days_left",
        help="Days until the expiration date (negative once expired).",
    )
    product_tracking = fields.Selection(
        related="product_id.tracking", string="Tracking"
    )
    history_ids = fields.One2many("stock.lot.history", "lot_id", readonly=True)
    invoice_number = fields.Char(
        compute="_compute_invoice_number",
        search="_search_invoice_number",
        string="Invoices",
        help="The customer invoices and credit notes that carry this serial.",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_number",
        help="The number of customer invoices and credit notes carrying this serial.",
    )

    def _compute_serial_facts_id(self):
        """The facts row of each serial (its own id), read in one query that
        also gives the serials their related facts fields at once: their own
        computation would walk each field for each serial, a good part of the
        Serial Numbers list's time for a page of 80."""
        Facts = self.env["stock.serial.facts"]
        related = {
            fname: field.related.split(".")[1]
            for fname, field in self._fields.items()
            if field.related
            and field.related.count(".") == 1
            and field.related.startswith("serial_facts_id.")
            and Facts._fields[field.related.split(".")[1]].column_type
        }
        rows = self._read_serial_facts_rows(list(related.values()))
        for lot in self:
            lot.serial_facts_id = lot._origin.id in rows and lot._origin.id
        # The rows' values, where not in the cache yet, for the facts records
        # (the related fields read them) and the serials' related fields.
        cache = self.env.cache
        facts = Facts.browse(list(rows))
        for position, (fname, facts_fname) in enumerate(related.items()):
            for records, field in (
                (facts, Facts._fields[facts_fname]),
                (self.browse(facts._ids), self._fields[fname]),
            ):
                missing = records.browse(cache.get_missing_ids(records, field))
                cache.update(
                    missing,
                    field,
                    [
                        field.convert_to_cache(
                            rows[record_id][position], missing, validate=False
                        )
                        for record_id in missing._ids
                    ],
                )

    def _read_serial_facts_rows(self, fnames):
        """{serial id: (values of these facts fields)} of the serials that
        have a facts row, in one query."""
        lot_ids = self._origin.ids
        if not lot_ids:
            return {}
        # sudo: the facts are read through the serial, with its access.
        Facts = self.env["stock.serial.facts"].sudo()
        Facts.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                SQL.identifier(Facts._table),
                lot_ids,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _search_serial_facts_id(self, operator, value):
        """The facts share the serial's id: a condition on them is one on it."""
        Facts = self.env["stock.serial.facts"].sudo()
        if operator in ("any", "not any"):
            in_operator = "in" if operator == "any" else "not in"
            return [("id", in_operator, Facts._search(value))]
        if operator in ("in", "not in", "=", "!=") and value is not False:
            return [("id", operator, value)]
        if operator in ("=", "!="):
            in_operator = "not in" if operator == "=" else "in"
            return [("id", in_operator, Facts._search([]))]
        raise UserError(
            self.env._(
                "Serials cannot be searched by their facts with %(operator)s.",
                operator=operator,
            )
        )

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # Every serial has its facts row, sharing its id: the facts are joined
        # on the id itself (an inner join, so that PostgreSQL may read the
        # list's first page from the facts' indexes of its order).
        if fname == "serial_facts_id":
            return SQL.identifier(alias, "id")
        field = self._fields.get(fname)
        path = field and not field.store and field.related
        if query is not None and path and path.startswith("serial_facts_id."):
            Facts = self.env["stock.serial.facts"].sudo()
            facts_alias = query.make_alias(alias, "serial_facts_id")
            query.add_join(
                "JOIN",
                facts_alias,
                Facts._table,
                SQL(
                    "%s = %s",
                    SQL.identifier(facts_alias, "id"),
                    SQL.identifier(alias, "id"),
                ),
            )
            return Facts._field_to_sql(facts_alias, path.split(".", 1)[1], query, flush)
        return super()._field_to_sql(alias, fname, query, flush)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # Never-moved serials last in both directions, as the indexes above.
        if field_name == "last_move_date" and not nulls.code:
            nulls = SQL("NULLS LAST")
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.depends("warranty_end_date", "expiration_date")
    @api.depends_context("tz")
    def _compute_days_left(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.warranty_days_left = (
                (lot.warranty_end_date - today).days if lot.warranty_end_date else 0
            )
            expiry_day = lot.expiration_date and (
                fields.Datetime.context_timestamp(lot, lot.expiration_date).date()
            )
            lot.expiry_days_left = (expiry_day - today).days if expiry_day else 0

    def _compute_invoice_number(self):
        invoices = self._get_customer_invoices()
        for lot in self:
            lot.invoice_number = ", ".join(invoices.get(lot.id, []))
            lot.invoice_count = len(invoices.get(lot.id, []))

    def _search_invoice_number(self, operator, value):
        """Serials on customer invoices or credit notes of that number.

        ``('invoice_number', '!=', False)``: serials on any of them (the
        invoicing users' record rule on the history); ``'=', False``: on none.
        """
        relation = self._get_invoice_line_relation()
        invoice_domain = [
            ("move_type", "in", CUSTOMER_DOCUMENT_TYPES),
            ("company_id", "in", self.env.companies.ids),
        ]
        if operator in ("=", "!=") and value is False:
            in_operator = "in" if operator == "!=" else "not in"
        elif operator in ("=", "ilike", "like", "=ilike", "=like", "in"):
            in_operator = "in"
            invoice_domain.append(("name", operator, value))
        else:
            raise UserError(
                self.env._(
                    "Serials cannot be searched by invoice number with %(operator)s.",
                    operator=operator,
                )
            )
        if not relation:
            if in_operator == "in":
                return expression.FALSE_DOMAIN
            return expression.TRUE_DOMAIN
        # sudo: stock users find serials by invoice number without reading
        # invoices; only serial ids come out, of the user's companies.
        invoices = self.env["account.move"].sudo()._search(invoice_domain)
        table, line_column, lot_column = relation
        return [
            (
                "id",
                in_operator,
                SQL(
                    "(SELECT rel.%s FROM %s rel JOIN account_move_line line "
                    "ON line.id = rel.%s WHERE line.move_id IN %s)",
                    SQL.identifier(lot_column),
                    SQL.identifier(table),
                    SQL.identifier(line_column),
                    invoices.subselect(),
                ),
            )
        ]

    # Opening the enquiry only reads: served by a read replica where one is set.
    @api.readonly
    def action_serial_enquiry(self):
        """Open the serial's enquiry: its facts, warranty, expiry and history.

        It opens as the Serial Numbers action's form (Invoicing > Customers >
        Serial Numbers for invoicing users without inventory rights), so that
        the page's address is that action's: a reload shows the enquiry again.
        """
        self.ensure_one()
        self.check_access("read")
        view = self.env.ref("product_serial_tracking.stock_lot_enquiry_view_form")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            self._get_serial_enquiry_action_xmlid()
        )
        action.update(
            name=self.env._("Serial %(serial)s", serial=self.display_name),
            res_id=self.id,
            view_mode="form",
            views=[(view.id, "form")],
            target="current",
            context={"create": False},
        )
        return action

    @api.model
    def _get_serial_enquiry_action_xmlid(self):
        if self.env.user.has_group("stock.group_stock_user") or not (
            self.env.user.has_group("account.group_account_invoice")
            or self.env.user.has_group("account.group_account_readonly")
        ):
            return "product_serial_tracking.stock_lot_enquiry_action"
        return "product_serial_tracking.stock_lot_enquiry_action_invoicing"

    def action_open_invoices(self):
        """Open the serial's customer invoices and credit notes (the invoice
        numbers of the enquiry), those the user may read."""
        self.ensure_one()
        self.check_access("read")
        invoices = self._get_customer_invoice_records()._filtered_access("read")
        if not invoices:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is on no customer invoice or credit note "
                    "you may open.",
                    serial=self.name,
                )
            )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices of %(serial)s", serial=self.name),
            "res_model": "account.move",
            "domain": [("id", "in", invoices.ids)],
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
            "target": "current",
            "context": {"create": False},
        }
        if len(invoices) == 1:
            action.update(
                name=invoices.name,
                res_id=invoices.id,
                views=[(False, "form")],
                view_mode="form",
            )
        return action

    @api.model
    def get_formview_id(self, access_uid=None):
        # A serial linked from the enquiry (the correction's links) opens in
        # the enquiry too.
        if self.env.context.get("serial_enquiry"):
            return self.env.ref(
                "product_serial_tracking.stock_lot_enquiry_view_form"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    def _get_customer_invoice_records(self):
        """The posted customer invoices and credit notes carrying this serial,
        as records (read with sudo: filter them before showing them)."""
        self.ensure_one()
        if not self._get_invoice_line_relation():
            return self.env["account.move"]
        # sudo: found whatever the user may read; the caller filters.
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("line_ids.lot_ids", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", CUSTOMER_DOCUMENT_TYPES),
                    ("company_id", "in", self.env.companies.ids),
                ],
                order="invoice_date, name, id",
            )
            .sudo(False)
        )

    def _get_customer_invoices(self):
        """{lot id: [invoice number]}: posted customer invoices and credit notes."""
        relation = self._get_invoice_line_relation()
        if not relation or not self.ids:
            return {}
        table, line_column, lot_column = relation
        # sudo: the enquiry names the invoices of a serial to stock users who
        # may not read invoices; only the numbers of the user's companies.
        self.env["account.move.line"].sudo().flush_model()
        self.env["account.move"].sudo().flush_model(
            ["name", "move_type", "state", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.%(lot)s,
                       ARRAY_AGG(DISTINCT invoice.name ORDER BY invoice.name)
                  FROM %(table)s rel
                  JOIN account_move_line line ON line.id = rel.%(line)s
                  JOIN account_move invoice ON invoice.id = line.move_id
                 WHERE rel.%(lot)s = ANY(%(ids)s)
                   AND invoice.state = 'posted'
                   AND invoice.move_type IN %(types)s
                   AND invoice.company_id = ANY(%(companies)s)
              GROUP BY rel.%(lot)s
                """,
                lot=SQL.identifier(lot_column),
                line=SQL.identifier(line_column),
                table=SQL.identifier(table),
                ids=self.ids,
                types=CUSTOMER_DOCUMENT_TYPES,
                companies=self.env.companies.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _get_invoice_line_relation(self):
        """(table, invoice line column, serial column) of the invoice lines'
        serials, or None when invoice lines carry no serials."""
        field = self.env["account.move.line"]._fields.get("lot_ids")
        if not field or field.type != "many2many" or field.comodel_name != self._name:
            return None
        return field.relation, field.column1, field.column2
