# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math
import re
import time
from collections import defaultdict
from contextlib import contextmanager

from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date, formatLang, split_every
from odoo.tools.sql import create_index, create_unique_index, index_exists

_logger = logging.getLogger(__name__)

# C0 and C1 control characters (tab, newline, NUL, DEL...) never belong in a
# serial: they come from bad pastes and scanners and make serials unfindable.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Longer than any serial printed on a label or in a barcode (GS1 allows 20):
# a longer name is a paste of something else, and would not fit a label.
SERIAL_NAME_MAX_LENGTH = 128
UNIQUE_SERIAL_INDEX = "stock_lot_unique_serial_per_product_company"
# Serial Number Enquiry: the list's default order, alone and per status.
LAST_MOVE_INDEX = "stock_lot_serial_tracking_last_move_index"
STATE_LAST_MOVE_INDEX = "stock_lot_serial_tracking_state_last_move_index"
# Serial Number Enquiry: where a serial is, stored for speed (serial_state).
SERIAL_STATES = [
    ("in_stock", "In stock"),
    ("delivered", "Delivered"),
    ("written_off", "Written off"),
    ("not_in_stock", "Not in stock"),
]
# The stored facts _refresh_serial_facts() writes.
SERIAL_FACT_FIELDS = [
    "serial_state",
    "current_location_id",
    "customer_id",
    "last_move_date",
    "warranty_start_date",
    "warranty_end_date",
]
# Serials per UPDATE when refreshing facts.
FACTS_BATCH_SIZE = 50000
CUSTOMER_DOCUMENT_TYPES = ("out_invoice", "out_refund")
# Set only by a stock manager's action (or by the system, as superuser).
BOOKKEEPING_FIELDS = frozenset(
    {"to_investigate", "entry_origin", "corrected_from_id", "corrected_to_id"}
)
# Where a serial first appeared: the document of its first done movement.
ENTRY_ORIGINS = [
    ("receipt", "Receipt"),
    ("invoice", "Customer Invoice"),
    ("transfer", "Transfer"),
    ("write_off", "Write-off"),
    ("correction", "Serial Correction"),
    ("adjustment", "Inventory Adjustment"),
]


class StockLot(models.Model):
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
    # Serial correction: the wrong serial is written off and its stock received
    # again under the right one; these link the two.
    corrected_from_id = fields.Many2one(
        "stock.lot",
        string="Correction Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The wrong serial number this one replaced (Correct Serial Number).",
    )
    corrected_to_id = fields.Many2one(
        "stock.lot",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The right serial number that replaced this one (Correct Serial "
        "Number): this serial was written off and its stock received under it.",
    )

    # Added on transaction: a serial typed in a picker (invoice, transfer,
    # write-off) that left stock without ever having been received.
    to_investigate = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="This serial left stock without ever having been received (it was "
        "typed in on a sale, transfer or write-off). Find out where it came from; "
        "a retrospective receipt puts the stock right and clears the flag.",
    )
    entry_origin = fields.Selection(
        ENTRY_ORIGINS,
        string="First Appeared On",
        readonly=True,
        copy=False,
        help="The kind of document of this serial's first stock movement.",
    )

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
        super().init()
        self._create_serial_enquiry_indexes()
        if index_exists(self.env.cr, UNIQUE_SERIAL_INDEX):
            return
        self._check_no_duplicate_serials()
        create_unique_index(
            self.env.cr,
            UNIQUE_SERIAL_INDEX,
            self._table,
            # A missing company counts as one value: two company-less lots of a
            # product must not share a name either.
            ["product_id", "COALESCE(company_id, 0)", "name"],
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
        with self._duplicate_serial_as_validation_error(vals_list):
            return super().create(vals_list)

    def write(self, vals):
        self._check_bookkeeping_write(vals)
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
        used = self._with_done_moves()
        if used:
            raise UserError(
                self.env._(
                    "Serial numbers with stock history cannot be deleted: %(serials)s. "
                    "Write them off instead, so that quantities and history stay "
                    "right.",
                    serials=", ".join(used.mapped("display_name")),
                )
            )

    def action_correct_serial(self):
        """Open Correct Serial Number for this serial (stock managers only)."""
        self.ensure_one()
        self.env["stock.lot.correction"]._check_correction_rights()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct Serial Number"),
            "res_model": "stock.lot.correction",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lot_id": self.id},
        }

    def action_write_off(self):
        """Open a write-off (stock.scrap) of this serial's stock, prefilled.

        Where the serial is in stock in several places (locations, packages,
        owners), the user chooses the place first: one write-off per place.
        """
        self.ensure_one()
        self._check_write_off_rights()
        self.check_access("read")
        places = self._get_internal_stock().get(self)
        if not places:
            raise UserError(
                self.env._(
                    "Serial %(serial)s (%(product)s) is not in stock, so there is "
                    "nothing to write off: %(whereabouts)s.",
                    serial=self.name,
                    product=self.product_id.display_name,
                    whereabouts=self._get_whereabouts(),
                )
            )
        if len(places) == 1:
            return self._get_write_off_action(*places[0])
        wizard = self.env["stock.lot.write.off"].create(
            {
                "lot_id": self.id,
                "line_ids": [
                    Command.create(
                        {
                            "location_id": location.id,
                            "package_id": package.id,
                            "owner_id": owner.id,
                            "quantity": quantity,
                        }
                    )
                    for location, package, owner, quantity in places
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off %(serial)s", serial=self.name),
            "res_model": "stock.lot.write.off",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _check_serial_ids_allowed(self, lot_ids):
        """Refuse serial ids that do not exist or belong to another company.

        Public methods take serial ids from the client: a serial of a company
        the user is not working in (ids forged in an RPC call, a stale client)
        is refused before anything links it, even where the ORM would link it
        without reading it. Serials without company are shared by all.
        """
        self._check_serial_ids_exist(lot_ids)
        if self.env.su:
            return
        # sudo: the company of serials the user may not read; only ids come out.
        foreign = (
            self.sudo()
            .browse(lot_ids)
            .filtered(
                lambda lot: lot.company_id and lot.company_id not in self.env.companies
            )
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "These serial numbers belong to a company you are not working "
                    "in (ids %(ids)s). Choose serials of %(companies)s.",
                    ids=", ".join(str(lot_id) for lot_id in sorted(foreign.ids)),
                    companies=", ".join(self.env.companies.mapped("name")),
                )
            )

    @api.model
    def _check_serials_company(self, records):
        """Refuse records (move lines, write-offs) whose serial (lot_id) is of
        another company than theirs; serials without company are shared."""
        # sudo: the serial's company, also where the user may not read it.
        wrong = records.sudo().filtered(
            lambda record: record.lot_id.company_id
            and record.company_id
            and record.lot_id.company_id != record.company_id
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "A serial number of one company cannot be used by another:\n"
                    "%(serials)s",
                    serials="\n".join(
                        self.env._(
                            "- %(serial)s belongs to %(owner)s, not to %(company)s",
                            serial=record.lot_id.name,
                            owner=record.lot_id.company_id.name,
                            company=record.company_id.name,
                        )
                        for record in wrong
                    ),
                )
            )

    @api.model
    def _check_serial_ids_exist(self, lot_ids):
        """Refuse ids of serials that do not exist (deleted, or a stale client).

        Without this, PostgreSQL refuses the reference with an SQL error.
        """
        ids = {
            lot_id
            for lot_id in lot_ids
            if isinstance(lot_id, int) and not isinstance(lot_id, bool)
        }
        if not all(
            isinstance(lot_id, int) and not isinstance(lot_id, bool)
            for lot_id in lot_ids
        ):
            raise UserError(
                self.env._(
                    "Serial numbers are given by their id: %(values)s is not one.",
                    values=", ".join(repr(lot_id) for lot_id in lot_ids),
                )
            )
        # sudo: existence only; access is checked when the serials are used.
        missing = ids - set(self.sudo().browse(ids).exists().ids)
        if missing:
            raise UserError(
                self.env._(
                    "These serial numbers no longer exist (deleted by someone "
                    "else?): ids %(ids)s. Reload the page and choose them again.",
                    ids=", ".join(str(lot_id) for lot_id in sorted(missing)),
                )
            )

    def _lock_serials_for_stock_change(self):
        """Make a concurrent stock change of these serials wait its turn.

        Selling, correcting, writing off or taking back a serial reads its
        stock, then moves it. Two users doing so at the same moment would both
        see it in stock (Odoo's quant update skips locked quants and makes a
        negative one). The lot rows are locked first, in id order (no
        deadlock), and touched by an empty update: the second transaction
        waits, and once the first commits PostgreSQL makes it start again
        (serialization failure, retried by the RPC layer) even when the first
        changed nothing else on the serial, so that it sees the serial gone and
        gets the usual message.
        """
        ids = sorted({lot_id for lot_id in self.ids if isinstance(lot_id, int)})
        if ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_lot SET write_date = write_date WHERE id IN "
                    "(SELECT id FROM stock_lot WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE)",
                    ids,
                )
            )

    @contextmanager
    def _duplicate_serial_as_validation_error(self, vals_list):
        """Turn the unique index's refusal into the message users understand.

        _check_serials_free() catches what this transaction can see; the index
        catches the serial another user saved at the same moment (invisible in
        this transaction's snapshot). The savepoint keeps the transaction usable.
        """
        try:
            with self.env.cr.savepoint():
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
        used = self._with_done_moves()
        if used:
            raise UserError(
                self.env._(
                    "Serial numbers with stock history cannot be renamed: %(serials)s. "
                    "To correct a wrong serial, write it off and receive the right "
                    "serial (Correct Serial Number), so quantities and history stay "
                    "right.",
                    serials=", ".join(used.mapped("display_name")),
                )
            )

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

    def _get_internal_stock(self):
        """Where the serials of self are in stock.

        :return: {lot: [(location, package, owner, quantity)]}, one entry per
            internal location, package and owner holding a positive quantity
            (a write-off takes from exactly one of them).
        """
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", self.ids),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ],
            ["lot_id", "location_id", "package_id", "owner_id"],
            ["quantity:sum"],
        )
        stock = defaultdict(list)
        for lot, location, package, owner, quantity in groups:
            stock[lot].append((location, package, owner, quantity))
        return dict(stock)

    def _get_whereabouts(self):
        """Where a serial out of stock went, in words, from its last done move."""
        self.ensure_one()
        last_line = self.env["stock.move.line"].search(
            [("lot_id", "=", self.id), ("state", "=", "done")],
            order="date desc, id desc",
            limit=1,
        )
        location = last_line.location_dest_id
        if not location:
            return self.env._("it has never been received")
        if location.usage == "customer":
            return self.env._(
                "it was delivered to a customer (%(location)s)",
                location=location.display_name,
            )
        if location.scrap_location:
            return self.env._(
                "it was written off (%(location)s)", location=location.display_name
            )
        if location.usage == "supplier":
            return self.env._(
                "it was returned to the vendor (%(location)s)",
                location=location.display_name,
            )
        if location.usage == "inventory":
            return self.env._(
                "it was removed by an inventory adjustment (%(location)s)",
                location=location.display_name,
            )
        return self.env._("it is at %(location)s", location=location.display_name)

    def _get_write_off_action(self, location, package, owner, quantity):
        """The action opening a new write-off of this serial, prefilled."""
        self.ensure_one()
        view = self.env.ref("stock.stock_scrap_form_view2")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off %(serial)s", serial=self.name),
            "res_model": "stock.scrap",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "product_ids": self.product_id.ids,
                "default_company_id": (location.company_id or self.company_id).id,
                "default_product_id": self.product_id.id,
                "default_product_uom_id": self.product_id.uom_id.id,
                "default_lot_id": self.id,
                "default_location_id": location.id,
                "default_package_id": package.id,
                "default_owner_id": owner.id,
                "default_scrap_qty": quantity,
            },
        }

    # ------------------------------------------------------------------
    # Serial pickers (invoice lines, transfers, write-offs)
    # ------------------------------------------------------------------

    @api.depends("quant_ids.quantity", "expiration_date")
    @api.depends_context("serial_picker_location_id")
    def _compute_display_name(self):
        """In a serial picker: the serial, its quantity there and its expiry.

        Only under the context key serial_picker_location_id (a location id,
        or a list of them) set by the pickers' views; elsewhere the name stays.
        """
        location_ids = self._get_serial_picker_location_ids()
        if not location_ids:
            return super()._compute_display_name()
        quantities = self._get_serial_picker_quantities(location_ids)
        for lot in self:
            values = {
                "serial": lot.name,
                "quantity": formatLang(
                    self.env,
                    quantities.get(lot._origin.id, 0.0),
                    dp="Product Unit of Measure",
                ),
                "uom": lot.product_uom_id.name,
            }
            if lot.expiration_date:
                lot.display_name = self.env._(
                    "%(serial)s (%(quantity)s %(uom)s, expires %(date)s)",
                    date=format_date(self.env, lot.expiration_date),
                    **values,
                )
            else:
                lot.display_name = self.env._(
                    "%(serial)s (%(quantity)s %(uom)s)", **values
                )

    def _check_create(self):
        # A serial typed in a transfer's picker is added on the transaction,
        # even where the operation type doesn't create serials: it is flagged
        # for investigation when its stock leaves.
        if self._get_serial_picker_location_ids():
            return
        return super()._check_create()

    def action_retrospective_receipt(self):
        """Open the retrospective receipt of this serial (stock managers)."""
        self.ensure_one()
        self._check_stock_manager()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retrospective Receipt of %(serial)s", serial=self.name),
            "res_model": "stock.lot.retrospective.receipt",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lot_id": self.id},
        }

    @api.model
    def _get_serial_picker_location_ids(self):
        value = self.env.context.get("serial_picker_location_id")
        if isinstance(value, list | tuple):
            return [
                item
                for item in value
                if isinstance(item, int) and not isinstance(item, bool)
            ]
        if isinstance(value, int) and not isinstance(value, bool) and value:
            return [value]
        return []

    def _get_serial_picker_quantities(self, location_ids):
        """{lot id: quantity} of self under the locations (children included)."""
        lot_ids = [lot_id for lot_id in self._origin.ids if lot_id]
        if not lot_ids:
            return {}
        groups = self.env["stock.quant"]._read_group(
            [("lot_id", "in", lot_ids), ("location_id", "child_of", location_ids)],
            ["lot_id"],
            ["quantity:sum"],
        )
        return {lot.id: quantity for lot, quantity in groups}

    @api.model
    def _check_write_off_rights(self):
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._(
                    "Only inventory users can write off serial numbers. Ask one of "
                    "them to do it."
                )
            )

    @api.model
    def _check_bookkeeping_write(self, vals):
        """Refuse a direct write of what only a stock manager's action sets.

        The investigation flag is cleared by a retrospective receipt, the
        correction links are set by Correct Serial Number (both stock manager
        only); written directly over RPC they would skip those checks.
        """
        written = BOOKKEEPING_FIELDS.intersection(vals)
        if (
            not written
            or self.env.su
            or self.env.user.has_group("stock.group_stock_manager")
        ):
            return
        raise AccessError(
            self.env._(
                "Only inventory administrators can change these fields of a serial "
                "number: %(fields)s. Use a retrospective receipt or Correct Serial "
                "Number instead.",
                fields=", ".join(
                    self._fields[name].get_description(self.env)["string"]
                    for name in sorted(written)
                ),
            )
        )

    def _check_stock_manager(self):
        if not self.env.user.has_group("stock.group_stock_manager"):
            raise AccessError(
                self.env._(
                    "Only stock managers can record a retrospective receipt of a "
                    "serial."
                )
            )

    def _resolve_investigation(self, feedback):
        """Clear the flag and mark the investigation activities done."""
        self._check_stock_manager()
        self.write({"to_investigate": False})
        todo = self.env.ref("mail.mail_activity_data_todo")
        # sudo: the activities are assigned to every stock manager, and the
        # manager resolving the serial closes them all (checked above).
        activities = self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == todo and activity.automated
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # Serial Number Enquiry: facts stored for speed, warranty, history
    # ------------------------------------------------------------------
    # The facts are plain stored fields, written in batch by
    # _refresh_serial_facts() when stock moves are done: the enquiry list
    # filters and sorts on indexed columns instead of summing quants.
    serial_state = fields.Selection(
        SERIAL_STATES,
        string="Status",
        default="not_in_stock",
        readonly=True,
        copy=False,
        help="In stock: in one of the company's locations. Delivered: at a "
        "customer. Written off: scrapped. Not in stock: never received, or gone "
        "otherwise (returned to the vendor, removed by an inventory adjustment). "
        "Updated whenever the serial is moved.",
    )
    current_location_id = fields.Many2one(
        "stock.location",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Where the serial's stock is, when it is all in one location.",
    )
    customer_id = fields.Many2one(
        "res.partner",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The partner the serial was delivered or invoiced to; cleared when "
        "it comes back to stock.",
    )
    last_move_date = fields.Datetime(
        string="Last Movement",
        readonly=True,
        copy=False,
        help="When the serial was last moved (received, delivered, transferred, "
        "written off...).",
    )
    warranty_start_date = fields.Date(
        readonly=True,
        copy=False,
        help="When the serial was delivered or invoiced to its customer; cleared "
        "when it comes back to stock.",
    )
    warranty_end_date = fields.Date(
        readonly=True,
        copy=False,
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

    @api.model
    def _create_serial_enquiry_indexes(self):
        """Indexes serving the enquiry list's default order and status filters.

        The list shows the most recently moved serials first: with these
        indexes PostgreSQL reads the first page straight from the index and
        stops, whatever the number of serials. Never-moved serials come last.
        """
        create_index(
            self.env.cr,
            LAST_MOVE_INDEX,
            self._table,
            ["last_move_date DESC NULLS LAST", "id DESC"],
        )
        create_index(
            self.env.cr,
            STATE_LAST_MOVE_INDEX,
            self._table,
            ["serial_state", "last_move_date DESC NULLS LAST", "id DESC"],
        )

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
        """Open the serial's enquiry: its facts, warranty, expiry and history."""
        self.ensure_one()
        self.check_access("read")
        view = self.env.ref("product_serial_tracking.stock_lot_enquiry_view_form")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Serial %(serial)s", serial=self.display_name),
            "res_model": "stock.lot",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "current",
            "context": {"create": False},
        }

    @api.model
    def _refresh_all_serial_facts(self, batch_size=FACTS_BATCH_SIZE):
        """Compute the facts of every serial (installation), batch by batch.

        One UPDATE per batch of serials: the facts, and where the serials
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

    @api.model
    def _serial_entry_origins_sql(self):
        """The parts _serial_facts_sql() adds to note entry origins: the kind
        of document of each serial's first done move line (the rules of
        StockMoveLine._get_serial_entry_origin()), and whether that line took
        the serial out of an internal location (never received: flagged)."""
        invoice_pickings = self.env["stock.picking"]._fields["serial_invoice_ids"]
        return {
            "line_columns": SQL(
                """,
                move.serial_operation,
                move.scrap_id,
                move.is_inventory,
                move.picking_id,
                source.usage = 'internal' AS from_internal"""
            ),
            "first_line_cte": SQL(
                """
                first_line AS (
                    SELECT DISTINCT ON (lot_id)
                           lot_id,
                           CASE
                               WHEN serial_operation = 'correction'
                               THEN 'correction'
                               WHEN scrap_id IS NOT NULL THEN 'write_off'
                               WHEN is_inventory THEN 'adjustment'
                               WHEN EXISTS (
                                   SELECT 1 FROM %(invoice_rel)s rel
                                    WHERE rel.%(picking_column)s = lines.picking_id
                               ) THEN 'invoice'
                               WHEN NOT from_internal THEN 'receipt'
                               ELSE 'transfer'
                           END AS entry_origin,
                           from_internal AS flagged
                      FROM lines
                  ORDER BY lot_id, date, id
                ),""",
                invoice_rel=SQL.identifier(invoice_pickings.relation),
                picking_column=SQL.identifier(invoice_pickings.column1),
            ),
            "first_line_columns": SQL(", first_line.entry_origin, first_line.flagged"),
            "first_line_join": SQL(
                "LEFT JOIN first_line ON first_line.lot_id = target.id"
            ),
            "origin_set": SQL(
                """,
                entry_origin = COALESCE(lot.entry_origin, new_facts.entry_origin),
                to_investigate = CASE
                    WHEN lot.entry_origin IS NULL AND new_facts.flagged THEN TRUE
                    ELSE lot.to_investigate
                END"""
            ),
            "origin_changed": SQL(
                "OR (lot.entry_origin IS NULL AND new_facts.entry_origin IS NOT NULL)"
            ),
        }

    def _refresh_serial_facts(self, entry_origins=False):
        """Recompute the stored facts of these serials from the stock.

        One UPDATE per batch of serials, whatever their number: current stock
        from the quants, last move and last customer move from the done move
        lines. Serials whose facts did not change are not written.

        :param entry_origins: also note where the serials that have no entry
            origin yet first appeared (installation on existing serials; moves
            done later note it themselves, StockMoveLine._record_serial_entry).
        """
        ids = [lot_id for lot_id in self.ids if lot_id]
        if not ids:
            return
        self._flush_serial_facts_sources()
        fnames = [*SERIAL_FACT_FIELDS, "history_ids"]
        if entry_origins:
            self.env["stock.move"].flush_model(["serial_operation", "is_inventory"])
            self.env["stock.picking"].flush_model(["serial_invoice_ids"])
            self.flush_recordset(["entry_origin", "to_investigate"])
            fnames += ["entry_origin", "to_investigate"]
        for batch in split_every(FACTS_BATCH_SIZE, ids, list):
            self.env.cr.execute(self._serial_facts_sql(batch, entry_origins))
        # The history (an SQL view) changed too: the ORM cannot know it.
        self.invalidate_recordset(fnames)

    @api.model
    def _flush_serial_facts_sources(self):
        """Write to the database what _serial_facts_sql() reads, only that."""
        for model, fnames in (
            ("stock.quant", ["lot_id", "quantity", "location_id"]),
            (
                "stock.move.line",
                [
                    "lot_id",
                    "state",
                    "date",
                    "move_id",
                    "location_id",
                    "location_dest_id",
                ],
            ),
            ("stock.move", ["scrap_id", "partner_id", "picking_id", "state"]),
            ("stock.picking", ["partner_id"]),
            ("stock.location", ["usage", "scrap_location", "company_id"]),
            ("stock.lot", ["product_id"]),
            ("product.product", ["product_tmpl_id"]),
            ("product.template", ["serial_warranty_months"]),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _serial_facts_sql(self, ids, entry_origins=False):
        """The UPDATE setting the facts of the serials of these ids.

        Set-based: one pass over the serials' positive quants, one over their
        done move lines (sorted per serial, newest first), joined to the list
        of ids. The list drives the joins, so that PostgreSQL plans them for
        the real number of serials even when its statistics are older than
        the moves just done (hash joins, no loop over loops).

        With entry_origins, the same pass gives the serials without an entry
        origin the one of their first done move line, and the investigation
        flag when it took them out of an internal location, as
        StockMoveLine._record_serial_entry() does (no to-do for the past).
        """
        origins = self._serial_entry_origins_sql() if entry_origins else {}
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
                       move.scrap_id IS NOT NULL
                           OR destination.scrap_location AS written_off,
                       destination.usage = 'customer' AS at_customer,
                       source.usage = 'customer' OR destination.usage = 'customer'
                           AS customer_move,
                       COALESCE(picking.partner_id, move.partner_id) AS partner_id
                       %(line_columns)s
                  FROM stock_move_line line
                  JOIN stock_move move ON move.id = line.move_id
                  LEFT JOIN stock_picking picking ON picking.id = move.picking_id
                  JOIN stock_location source ON source.id = line.location_id
                  JOIN stock_location destination
                       ON destination.id = line.location_dest_id
                 WHERE line.lot_id = ANY(%(ids)s) AND line.state = 'done'
            ),
            last_move AS (
                SELECT DISTINCT ON (lot_id) lot_id, date, written_off, at_customer
                  FROM lines
              ORDER BY lot_id, date DESC, id DESC
            ),
            last_customer_move AS (
                SELECT DISTINCT ON (lot_id)
                       lot_id, date, at_customer AS delivered, partner_id
                  FROM lines
                 WHERE customer_move
              ORDER BY lot_id, date DESC, id DESC
            ),
            %(first_line_cte)s
            facts AS (
                SELECT target.id,
                       CASE
                           WHEN stock.quantity > 0 THEN 'in_stock'
                           WHEN last_move.written_off THEN 'written_off'
                           WHEN last_move.at_customer THEN 'delivered'
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
            UPDATE stock_lot lot
               SET serial_state = new_facts.serial_state,
                   current_location_id = new_facts.current_location_id,
                   customer_id = new_facts.customer_id,
                   last_move_date = new_facts.last_move_date,
                   warranty_start_date = new_facts.warranty_start_date,
                   warranty_end_date = new_facts.warranty_end_date
                   %(origin_set)s
              FROM new_facts
             WHERE lot.id = new_facts.id
               AND ((lot.serial_state, lot.current_location_id, lot.customer_id,
                     lot.last_move_date, lot.warranty_start_date,
                     lot.warranty_end_date)
                    IS DISTINCT FROM
                    (new_facts.serial_state, new_facts.current_location_id,
                     new_facts.customer_id, new_facts.last_move_date,
                     new_facts.warranty_start_date, new_facts.warranty_end_date)
                    %(origin_changed)s)
            """,
            ids=ids,
            line_columns=origins.get("line_columns", SQL()),
            first_line_cte=origins.get("first_line_cte", SQL()),
            first_line_columns=origins.get("first_line_columns", SQL()),
            first_line_join=origins.get("first_line_join", SQL()),
            origin_set=origins.get("origin_set", SQL()),
            origin_changed=origins.get("origin_changed", SQL()),
            warranty_end=self._warranty_end_sql(
                SQL("facts.warranty_start_date"), SQL("template.serial_warranty_months")
            ),
        )

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
        warranty months changed), in one UPDATE."""
        self.env["product.template"].flush_model(["serial_warranty_months"])
        self.env["stock.lot"].flush_model(["product_id", "warranty_start_date"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_lot lot
                   SET warranty_end_date = %(warranty_end)s
                  FROM product_product product
                  JOIN product_template template
                       ON template.id = product.product_tmpl_id
                 WHERE lot.product_id = product.id
                   AND template.id = ANY(%(templates)s)
                   AND lot.warranty_start_date IS NOT NULL
                   AND lot.warranty_end_date IS DISTINCT FROM %(warranty_end)s
                """,
                warranty_end=self._warranty_end_sql(
                    SQL("lot.warranty_start_date"),
                    SQL("template.serial_warranty_months"),
                ),
                templates=templates.ids,
            )
        )
        self.invalidate_model(["warranty_end_date"])

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
