# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from collections import defaultdict
from contextlib import contextmanager

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index, index_exists

# C0 and C1 control characters (tab, newline, NUL, DEL...) never belong in a
# serial: they come from bad pastes and scanners and make serials unfindable.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Longer than any serial printed on a label or in a barcode (GS1 allows 20):
# a longer name is a paste of something else, and would not fit a label.
SERIAL_NAME_MAX_LENGTH = 128
UNIQUE_SERIAL_INDEX = "stock_lot_unique_serial_per_product_company"


class StockLot(models.Model):
    """A serial's identity and the rules that keep it true.

    Names are clean and unique per product and company (a unique index makes
    PostgreSQL refuse a duplicate saved by two users at once), a serial with
    stock history is never renamed nor deleted, and every change shows in its
    chatter. The other concerns of stock.lot live in stock_lot_*.py.
    """

    _inherit = "stock.lot"

    # Change log: who changed what (old -> new) shows in the serial's chatter.
    name = fields.Char(tracking=True)
    ref = fields.Char(tracking=True)
    product_id = fields.Many2one(tracking=True)
    company_id = fields.Many2one(tracking=True)
    expiration_date = fields.Datetime(tracking=True)
    use_date = fields.Datetime(tracking=True)
    removal_date = fields.Datetime(tracking=True)
    alert_date = fields.Datetime(tracking=True)

    # An empty definition declares a constraint implemented by the index made
    # in init(): PostgreSQL then refuses a duplicate that two users save at the
    # same moment, and Odoo shows this message instead of the SQL error.
    _sql_constraints = [
        (
            "unique_serial_per_product_company",
            "",
            "This serial number already exists for this product in this company.",
        ),
    ]

    def init(self):
        result = super().init()
        self._create_unique_serial_index()
        return result

    @api.model
    def _create_unique_serial_index(self):
        """The unique index on (product, name, company). The name comes second
        so that a serial picker lists a product's serials in the order of
        names straight from it (18.0.1 had the company second: re-made)."""
        cr = self.env.cr
        if index_exists(cr, UNIQUE_SERIAL_INDEX):
            cr.execute(
                SQL(
                    "SELECT pg_get_indexdef(%s::regclass) LIKE %s",
                    UNIQUE_SERIAL_INDEX,
                    "%(product_id, name, COALESCE(company_id, 0))%",
                )
            )
            if cr.fetchone()[0]:
                return
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(UNIQUE_SERIAL_INDEX)))
        else:
            self._check_no_duplicate_serials()
        create_unique_index(
            cr,
            UNIQUE_SERIAL_INDEX,
            self._table,
            # A missing company counts as one value: two company-less lots of
            # a product must not share a name either.
            ["product_id", "name", "COALESCE(company_id, 0)"],
        )

    @api.model
    def _check_no_duplicate_serials(self):
        """Refuse to install on a database holding duplicate serials.

        The unique index cannot be created over duplicates; the administrator
        gets the list to clean up instead of a PostgreSQL error.
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, name, company_id, COUNT(*)
                  FROM stock_lot
              GROUP BY product_id, COALESCE(company_id, 0), company_id, name
                HAVING COUNT(*) > 1
              ORDER BY product_id, name
                """
            )
        )
        duplicates = self.env.cr.fetchall()
        if not duplicates:
            return
        products = (
            self.env["product.product"]
            .with_context(active_test=False)
            .browse({row[0] for row in duplicates})
        )
        products.fetch(["display_name"])
        companies = self.env["res.company"].browse(
            {row[2] for row in duplicates if row[2]}
        )
        lines = [
            self.env._(
                "- %(product)s, serial %(serial)s, company %(company)s: "
                "%(count)s times",
                product=products.browse(product_id).display_name,
                serial=name,
                company=companies.browse(company_id).name
                if company_id
                else self.env._("none"),
                count=count,
            )
            for product_id, name, company_id, count in duplicates
        ]
        raise UserError(
            self.env._(
                "Product Serial Tracking cannot be installed: these serial numbers "
                "exist more than once for the same product and company. Rename or "
                "merge them first:\n%(lines)s",
                lines="\n".join(lines),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "name" in vals:
                vals["name"] = self._clean_serial_name(vals["name"])
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        self._check_serials_free(
            [
                (
                    vals["name"],
                    vals["product_id"],
                    vals.get("company_id")
                    if "company_id" in vals
                    else products.browse(vals["product_id"]).company_id.id,
                )
                for vals in vals_list
                if vals.get("name") and vals.get("product_id")
            ]
        )
        # create() inserts at once: no flush around it, so that the new
        # serials' computed fields are written with Odoo's own (one UPDATE
        # per serial, not two: a receipt rewrites no row twice).
        with self._duplicate_serial_as_validation_error(vals_list, flush=False):
            return super().create(vals_list)

    def write(self, vals):
        if "name" not in vals:
            return super().write(vals)
        vals = dict(vals, name=self._clean_serial_name(vals["name"]))
        renamed = self.filtered(lambda lot: lot.name != vals["name"])
        renamed._check_rename_allowed()
        renamed._check_serials_free(
            [
                (
                    vals["name"],
                    vals.get("product_id", lot.product_id.id),
                    vals.get("company_id", lot.company_id.id),
                )
                for lot in renamed
            ]
        )
        with self._duplicate_serial_as_validation_error(
            [{"name": vals["name"], "product_id": lot.product_id.id} for lot in self]
        ):
            return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_moves(self):
        self._refuse_if_stock_history(
            lambda serials: self.env._(
                "Serial numbers with stock history cannot be deleted: %(serials)s. "
                "Write them off instead, so that quantities and history stay "
                "right.",
                serials=serials,
            )
        )

    @contextmanager
    def _duplicate_serial_as_validation_error(self, vals_list, flush=True):
        """Turn the unique index's refusal into the message users understand.

        _check_serials_free() catches what this transaction can see; the index
        catches the serial another user saved at the same moment (invisible in
        this transaction's snapshot). The savepoint keeps the transaction usable.

        :param flush: write pending changes in the savepoint (a rename is only
            written then); create() inserts at once and needs no flush.
        """
        try:
            with self.env.cr.savepoint(flush=flush):
                yield
        except UniqueViolation as error:
            if error.diag.constraint_name != UNIQUE_SERIAL_INDEX:
                raise
            self._raise_serials_taken(
                {
                    (vals["name"], vals["product_id"])
                    for vals in vals_list
                    if vals.get("name") and vals.get("product_id")
                }
            )

    def _check_serials_free(self, candidates):
        """Refuse (name, product id, company id) triples already taken.

        Same rule as Odoo's own check, applied before writing so that the
        database index only has to catch true races: a serial is taken by a lot
        of the same product and name in the same company, or when either of
        the two has no company. Lots in self (being renamed) do not count.
        """
        if not candidates:
            return
        # sudo: a serial of a company the user cannot read still blocks.
        existing = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("name", "in", list({name for name, _p, _c in candidates})),
                    (
                        "product_id",
                        "in",
                        list({product for _n, product, _c in candidates}),
                    ),
                    ("id", "not in", self.ids),
                ]
            )
        )
        companies_by_key = defaultdict(list)
        for lot in existing:
            companies_by_key[lot.name, lot.product_id.id].append(lot.company_id.id)
        taken = set()
        for name, product, company in candidates:
            others = companies_by_key[name, product]
            if any(not other or not company or other == company for other in others):
                taken.add((name, product))
            others.append(company)
        if taken:
            self._raise_serials_taken(taken)

    @api.model
    def _raise_serials_taken(self, pairs):
        products = (
            self.env["product.product"]
            .sudo()
            .browse({product for _n, product in pairs})
        )
        raise ValidationError(
            self.env._(
                "This serial number already exists for this product: %(serials)s",
                serials=", ".join(
                    sorted(
                        f"{name} ({products.browse(product).display_name})"
                        for name, product in pairs
                    )
                ),
            )
        )

    @api.model
    def _clean_serial_name(self, name):
        """Trim white space; refuse empty, overlong names and control characters."""
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(self.env._("A serial number cannot be empty."))
        name = name.strip()
        if len(name) > SERIAL_NAME_MAX_LENGTH:
            raise ValidationError(
                self.env._(
                    "A serial number has at most %(max)s characters; this one has "
                    "%(length)s (it starts with %(start)r). Check what was scanned "
                    "or pasted.",
                    max=SERIAL_NAME_MAX_LENGTH,
                    length=len(name),
                    start=name[:20],
                )
            )
        if CONTROL_CHARACTERS.search(name):
            raise ValidationError(
                self.env._(
                    "The serial number %(serial)r contains invisible control "
                    "characters "
                    "(tab, line break...). Type or scan it again.",
                    serial=name,
                )
            )
        return name

    def _check_rename_allowed(self):
        self._refuse_if_stock_history(
            lambda serials: self.env._(
                "Serial numbers with stock history cannot be renamed: %(serials)s. "
                "To correct a wrong serial, write it off and receive the right "
                "serial (Correct Serial Number), so quantities and history stay "
                "right.",
                serials=serials,
            )
        )

    def _refuse_if_stock_history(self, message):
        """Refuse when serials of self have done moves, with message(names)."""
        used = self._with_done_moves()
        if used:
            raise UserError(message(", ".join(used.mapped("display_name"))))

    def _get_first_done_lines(self, domain, order):
        """{lot: its first done move line matching `domain`, in `order`} of the
        serials of self (order "date desc, id desc": the last one)."""
        # sudo: a serial's whole history counts, whoever may read it; callers
        # take only dates, locations and warehouses out of it.
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [("lot_id", "in", self.ids), ("state", "=", "done"), *domain],
                order=order,
            )
        )
        firsts = {}
        for line in lines:
            firsts.setdefault(line.lot_id, line)
        return firsts

    def _with_done_moves(self):
        """The serials of self that appear on at least one done stock move."""
        if not self.ids:
            return self.browse()
        # sudo: a user allowed to edit the serial must be refused because of
        # moves he may not read (another warehouse's, say); only ids come back.
        groups = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [("lot_id", "in", self.ids), ("state", "=", "done")],
                ["lot_id"],
            )
        )
        return self.browse([lot.id for (lot,) in groups])
