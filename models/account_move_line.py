# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_date

# The picker of the invoice line offers the serials of the line's product (of
# its company, or shared) with stock under serial_location_ids: the stock of
# every warehouse of the company for an invoice, the customer location for a
# credit note.
# A credit note's picker offers only the serials delivered to its customer
# (serial_customer_id): the customer location is shared by all customers.
LOT_PICKER_DOMAIN = (
    "[('product_id', '=', product_id), "
    "'|', ('company_id', '=', company_id), ('company_id', '=', False), "
    "('held_location_ids', 'child_of', serial_location_ids)]"
    " + ([('customer_id', 'child_of', serial_customer_id)]"
    " if serial_customer_id else [])"
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    lot_ids = fields.Many2many(
        "stock.lot",
        "account_move_line_stock_lot_rel",
        "move_line_id",
        "lot_id",
        string="Serial Numbers",
        compute="_compute_lot_ids",
        store=True,
        readonly=False,
        copy=True,
        domain=LOT_PICKER_DOMAIN,
        # The company check of the ORM: never a serial of another company,
        # whoever writes (the picker's domain only guides the web client).
        check_company=True,
        help="The serial numbers sold (or taken back, on a credit note) on this "
        "line. Posting a customer invoice delivers them from the warehouse stock; "
        "posting a credit note receives them back. On lines invoiced from a sale "
        "order they are the serials delivered for it.",
    )
    serial_tracking = fields.Selection(
        related="product_id.tracking", string="Serial Mode"
    )
    serial_from_sale = fields.Boolean(
        compute="_compute_serial_from_sale",
        help="The stock of this line is delivered through its sale order: the "
        "serials are those of the deliveries, and posting moves no stock.",
    )
    serial_delivered_elsewhere = fields.Boolean(
        compute="_compute_serial_delivered_elsewhere",
        help="Another document delivers the goods of this line (its sale "
        "order's deliveries, the Point of Sale order that made the invoice): "
        "the serials are those it moved, and posting moves no stock.",
    )
    serial_quantities = fields.Char(
        compute="_compute_serial_quantities",
        string="Serials Taken",
        help="What the posted line delivered (or took back) of each batch serial.",
    )
    serial_location_id = fields.Many2one(
        "stock.location",
        compute="_compute_serial_location_ids",
        string="Serials Taken From",
        help="Where the serials of this line are taken from first: the stock of "
        "the invoice's warehouse for an invoice, the customer location for a "
        "credit note.",
    )
    serial_customer_id = fields.Many2one(
        "res.partner",
        compute="_compute_serial_customer_id",
        string="Serials Delivered To",
        help="On a credit note, the customer whose delivered serials it may take "
        "back.",
    )
    serial_location_ids = fields.Many2many(
        "stock.location",
        compute="_compute_serial_location_ids",
        string="Serials Picked From",
        help="Where the serials of this line may be picked: the stock of every "
        "warehouse of the company for an invoice (the invoice's warehouse "
        "first), the customer location for a credit note.",
    )

    @api.depends(
        lambda self: [
            *self._get_serial_delivered_elsewhere_depends(),
            "sale_line_ids.move_ids.state",
            "sale_line_ids.move_ids.move_line_ids.lot_id",
            "sale_line_ids.move_ids.move_line_ids.quantity",
        ]
    )
    def _compute_lot_ids(self):
        """Serials delivered by the document that delivers the line's goods:
        the sale lines' deliveries, or the transfers of the Point of Sale
        orders that made the invoice.

        The other lines keep what the user picked (the field is not assigned).
        """
        pos_transfers = self.move_id._get_serial_pos_transfers()
        for line in self.filtered("serial_delivered_elsewhere"):
            # Only ids and the product's rounding are read: a salesman
            # invoicing an order may have no access to serials.
            if line.serial_from_sale:
                move_lines = line.sale_line_ids.move_ids.move_line_ids
            else:
                move_lines = pos_transfers[line.move_id].move_line_ids.filtered(
                    lambda move_line, line=line: move_line.product_id == line.product_id
                )
            # A credit note counts what came back from the customer.
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            quantities = defaultdict(float)
            for move_line in move_lines:
                if move_line.state != "done" or not move_line.lot_id:
                    continue
                quantity = sign * move_line.quantity_product_uom
                if move_line.location_dest_id.usage == "customer":
                    quantities[move_line.lot_id.id] += quantity
                elif move_line.location_id.usage == "customer":
                    quantities[move_line.lot_id.id] -= quantity
            rounding = line.product_id.uom_id.rounding
            line.lot_ids = [
                lot_id
                for lot_id, quantity in quantities.items()
                if float_compare(quantity, 0, precision_rounding=rounding) > 0
            ]

    @api.depends("sale_line_ids", "product_id")
    def _compute_serial_from_sale(self):
        for line in self:
            line.serial_from_sale = (
                bool(line.sale_line_ids) and line.product_id.type == "consu"
            )

    @api.depends(lambda self: self._get_serial_delivered_elsewhere_depends())
    def _compute_serial_delivered_elsewhere(self):
        pos_transfers = self.move_id._get_serial_pos_transfers()
        for line in self:
            line.serial_delivered_elsewhere = (
                line.serial_from_sale or line.move_id in pos_transfers
            )

    @api.depends(
        "move_id.move_type",
        "move_id.serial_warehouse_id",
        "company_id",
        "partner_id",
    )
    def _compute_serial_location_ids(self):
        warehouses = self.move_id._get_serial_warehouses()
        for line in self:
            move = line.move_id
            if move.move_type == "out_refund":
                line.serial_location_id = move._get_serial_customer_location()
                line.serial_location_ids = line.serial_location_id
            else:
                line.serial_location_id = move.serial_warehouse_id.lot_stock_id
                line.serial_location_ids = warehouses[move].lot_stock_id

    @api.depends("move_id.state", "move_id.serial_picking_ids", "lot_ids")
    def _compute_serial_quantities(self):
        taken = {
            move: move._get_serial_moved_quantities()
            for move in self.move_id.filtered(lambda move: move.state == "posted")
        }
        for line in self:
            quantities = taken.get(line.move_id)
            if quantities is None or line.product_id.tracking != "lot":
                line.serial_quantities = False
                continue
            # sudo: names and quantities of the serials the line itself sold.
            line.serial_quantities = ", ".join(
                self.env._(
                    "%(serial)s: %(quantity)s",
                    serial=lot.name,
                    quantity=lot.product_uom_id._format_serial_quantity(
                        quantities.get(lot, 0.0)
                    ),
                )
                for lot in line.lot_ids.sudo()
            )

    @api.depends("move_id.move_type", "move_id.commercial_partner_id")
    def _compute_serial_customer_id(self):
        for line in self:
            line.serial_customer_id = (
                line.move_id.commercial_partner_id
                if line.move_id.move_type == "out_refund"
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_lot_ids_exist(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_lot_ids_exist([vals])
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        # A copy (a credit note reversing the invoice) is not delivered by the
        # document that delivered this line: it does not take its serials
        # back, which would move stock that the sale order or the Point of Sale
        # order returns itself.
        for line, vals in zip(self, vals_list, strict=True):
            if line.serial_delivered_elsewhere and "lot_ids" not in (default or {}):
                vals.pop("lot_ids", None)
        return vals_list

    @api.model
    def _get_serial_delivered_elsewhere_depends(self):
        """What tells that another document delivers a line's goods: its sale
        lines, and the Point of Sale orders of its invoice where that app is
        installed (they are linked once the lines exist)."""
        depends = ["sale_line_ids", "product_id", "move_id"]
        if "pos_order_ids" in self.env["account.move"]._fields:
            depends.append("move_id.pos_order_ids")
        return depends

    def _is_serial_line(self):
        """Whether posting this line moves serials of its own: only where no
        other document delivers its goods (serial_delivered_elsewhere)."""
        self.ensure_one()
        return (
            self.display_type == "product"
            and self.move_id.move_type in ("out_invoice", "out_refund")
            and self.product_id.is_storable
            and self.product_id.tracking in ("serial", "lot")
            and not self.serial_delivered_elsewhere
        )

    def _get_serial_line_label(self):
        """How messages name the line: its description, or its product."""
        self.ensure_one()
        return self.name or self.product_id.display_name

    def _allocate_serials(self):
        """Which stock each line's serials take, or a UserError naming the lines.

        Unique serials: one per unit, each in stock. Batch serials: taken in
        order (first-expiring first, then by name) until the line's quantity is
        covered; each must contribute. A serial never moved before (typed in the
        picker on the spot) is taken from the picker's location: it is flagged
        for investigation when the stock leaves.

        :return: {line: [(lot, location, quantity)]} in the product's unit.
        """
        stock = self._get_serial_stock()
        known = self.lot_ids._with_done_moves()
        problems, expired, allocations = [], [], {}
        used_unique = set()
        for line in self.sorted(lambda line: (line.move_id.id, line.sequence, line.id)):
            line_problems = line._check_serial_lots_belong()
            if not line_problems:
                if line.product_id.tracking == "serial":
                    line_allocations, line_problems = line._allocate_unique_serials(
                        stock, known, used_unique
                    )
                else:
                    line_allocations, line_problems = line._allocate_batch_serials(
                        stock, known
                    )
                allocations[line] = line_allocations
            problems += line_problems
            expired += line._get_expired_serials()
        if expired:
            problems += self._get_serial_expired_problems(expired)
        if problems:
            raise UserError(
                self.env._(
                    "The serial numbers of these invoice lines are not right:\n"
                    "%(problems)s",
                    problems="\n".join(f"- {problem}" for problem in problems),
                )
            )
        return allocations

    def _get_serial_stock(self):
        """{lot id: {location: quantity}} of the lines' serials where they pick."""
        # sudo: the check must see all the stock of the serials chosen, not only
        # what the invoicing user may read; only quantities are used.
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", self.lot_ids.ids),
                    ("location_id", "child_of", self.serial_location_ids.ids),
                    ("quantity", ">", 0),
                ],
                ["lot_id", "location_id"],
                ["quantity:sum"],
            )
        )
        stock = defaultdict(dict)
        for lot, location, quantity in groups:
            stock[lot.id][location] = quantity
        return stock

    def _check_serial_lots_belong(self):
        """Problems with serials of another product or company on the line,
        or, on a credit note, delivered to another customer."""
        self.ensure_one()
        return self._check_serial_lots_customer() + [
            self.env._(
                "Line %(line)s: serial %(serial)s is not a serial of %(product)s in "
                "%(company)s.",
                line=self._get_serial_line_label(),
                serial=lot.name,
                product=self.product_id.display_name,
                company=self.company_id.name,
            )
            for lot in self.lot_ids
            if lot.product_id != self.product_id
            or (lot.company_id and lot.company_id != self.company_id)
        ]

    def _check_serial_lots_customer(self):
        """A credit note takes back only serials delivered to its customer (or
        never delivered to anyone)."""
        self.ensure_one()
        customer = self.serial_customer_id
        if not customer:
            return []
        # sudo: whom a serial was delivered to, whoever may read that partner.
        return [
            self.env._(
                "Line %(line)s: serial %(serial)s was delivered to %(other)s, not to "
                "%(customer)s. A credit note takes back only what was delivered to "
                "its customer.",
                line=self._get_serial_line_label(),
                serial=lot.name,
                other=lot.sudo().customer_id.display_name,
                customer=customer.display_name,
            )
            for lot in self.lot_ids.sudo()
            if lot.customer_id
            and lot.customer_id.commercial_partner_id != customer.commercial_partner_id
        ]

    def _take_serial_stock(self, stock, lot, wanted):
        """Take up to `wanted` of the lot under the line's picker locations,
        from the invoice's warehouse first, then from the others in order.

        :param stock: {lot id: {location: quantity}}, decreased by what is taken
        :return: [(location, quantity)]
        """
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        root_paths = self.serial_location_ids.mapped("parent_path")

        def root_rank(location):
            return next(
                (
                    rank
                    for rank, path in enumerate(root_paths)
                    if location.parent_path.startswith(path)
                ),
                None,
            )

        # Within a warehouse, in the order the stock was read (Odoo's order).
        places = sorted(
            (rank, index, location)
            for index, location in enumerate(stock[lot.id])
            if (rank := root_rank(location)) is not None
        )
        taken = []
        for _rank, _index, location in places:
            available = stock[lot.id][location]
            if float_compare(available, 0, precision_rounding=rounding) <= 0:
                continue
            quantity = min(available, wanted)
            stock[lot.id][location] -= quantity
            wanted -= quantity
            taken.append((location, quantity))
            if float_is_zero(wanted, precision_rounding=rounding):
                break
        return taken

    def _get_serial_line_quantity(self):
        """The line's quantity in the product's unit."""
        self.ensure_one()
        return self.product_uom_id._compute_quantity(
            self.quantity, self.product_id.uom_id
        )

    def _allocate_unique_serials(self, stock, known, used_unique):
        """One unit of each serial; as many serials as units."""
        self.ensure_one()
        label = self._get_serial_line_label()
        quantity = self._get_serial_line_quantity()
        rounding = self.product_id.uom_id.rounding
        if float_compare(len(self.lot_ids), quantity, precision_rounding=rounding):
            return [], [
                self.env._(
                    "Line %(line)s: %(count)s unique serials chosen for a quantity of "
                    "%(quantity)s. Choose exactly one serial per unit.",
                    line=label,
                    count=len(self.lot_ids),
                    quantity=self.product_id.uom_id._format_serial_number(quantity),
                )
            ]
        allocations, problems = [], []
        for lot in self.lot_ids:
            if lot in used_unique:
                problems.append(
                    self.env._(
                        "Line %(line)s: unique serial %(serial)s is chosen more than "
                        "once.",
                        line=label,
                        serial=lot.name,
                    )
                )
                continue
            used_unique.add(lot)
            taken = self._take_serial_stock(stock, lot, 1.0)
            if not float_compare(
                sum(q for _l, q in taken), 1.0, precision_rounding=rounding
            ):
                allocations += [(lot, location, q) for location, q in taken]
            elif lot not in known:
                allocations.append((lot, self.serial_location_id, 1.0))
            else:
                problems.append(self._get_serial_unavailable_message(lot))
        return allocations, problems

    def _allocate_batch_serials(self, stock, known):
        """Serials taken first-expiring first until the quantity is covered."""
        self.ensure_one()
        label = self._get_serial_line_label()
        quantity = self._get_serial_line_quantity()
        rounding = self.product_id.uom_id.rounding
        remaining = quantity
        allocations, problems = [], []
        ordered = self.lot_ids.sorted(
            lambda lot: (lot.expiration_date or datetime.max, lot.name, lot.id)
        )
        for lot in ordered:
            if float_compare(remaining, 0, precision_rounding=rounding) <= 0:
                problems.append(
                    self.env._(
                        "Line %(line)s: serial %(serial)s is not needed, the serials "
                        "before it already cover the quantity. Remove it.",
                        line=label,
                        serial=lot.name,
                    )
                )
                continue
            taken = self._take_serial_stock(stock, lot, remaining)
            if taken:
                allocations += [(lot, location, q) for location, q in taken]
                remaining -= sum(q for _l, q in taken)
            elif lot not in known:
                allocations.append((lot, self.serial_location_id, remaining))
                remaining = 0.0
            else:
                problems.append(self._get_serial_unavailable_message(lot))
                remaining = 0.0  # reported; don't also complain of coverage
        if float_compare(remaining, 0, precision_rounding=rounding) > 0:
            problems.append(
                self.env._(
                    "Line %(line)s: the serials chosen hold %(available)s, less "
                    "than the %(quantity)s of the line. Add serials.",
                    line=label,
                    available=self.product_id.uom_id._format_serial_quantity(
                        quantity - remaining
                    ),
                    quantity=self.product_id.uom_id._format_serial_quantity(quantity),
                )
            )
        return allocations, problems

    def _get_expired_serials(self):
        """[(line, lot)] of expired serials sold on this line (invoices only)."""
        self.ensure_one()
        if self.move_id.move_type != "out_invoice":
            return []
        now = fields.Datetime.now()
        return [
            (self, lot)
            for lot in self.lot_ids
            if lot.expiration_date and lot.expiration_date <= now
        ]

    def _get_serial_unavailable_message(self, lot):
        self.ensure_one()
        return self.env._(
            "Line %(line)s: serial %(serial)s is not available in %(location)s "
            "(already sold, written off, or held elsewhere).",
            line=self._get_serial_line_label(),
            serial=lot.name,
            location=", ".join(self.serial_location_ids.mapped("display_name")),
        )

    def _get_serial_expired_problems(self, expired):
        """Expired serials are refused unless a stock manager confirmed them."""
        # sudo: the confirmation field is only readable by stock managers, but
        # every poster must be held to it.
        confirmed = {
            move
            for move in {line.move_id for line, _lot in expired}
            if move.sudo().allow_expired_serials
        }
        problems = [
            self.env._(
                "Line %(line)s: serial %(serial)s expired on %(date)s.",
                line=line._get_serial_line_label(),
                serial=lot.name,
                date=format_date(self.env, lot.expiration_date),
            )
            for line, lot in expired
            if line.move_id not in confirmed
        ]
        if problems:
            problems.append(
                self.env._(
                    "Expired serials can only be sold with a stock manager's "
                    'confirmation: a stock manager ticks "Sell Expired Serials" on '
                    "the invoice (Other Info tab) and posts it."
                )
            )
        return problems

    @api.model
    def _check_lot_ids_exist(self, vals_list):
        """Refuse serial ids that do not exist or are of a company the user is
        not working in, named in the user's words (posting moves the serials
        as superuser: an id given here must be one the user may use)."""
        lot_ids = []
        for vals in vals_list:
            commands = vals.get("lot_ids")
            if not isinstance(commands, list | tuple):
                continue
            for command in commands:
                if isinstance(command, list | tuple) and command:
                    if command[0] == Command.SET and len(command) > 2:
                        lot_ids += list(command[2] or [])
                    elif command[0] == Command.LINK and len(command) > 1:
                        lot_ids.append(command[1])
                else:
                    lot_ids.append(command)
        if lot_ids:
            self.env["stock.serial.guard.mixin"]._check_serial_ids_allowed(lot_ids)
