# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class AccountMove(models.Model):
    _inherit = "account.move"

    serial_picking_ids = fields.Many2many(
        "stock.picking",
        "account_move_serial_picking_rel",
        "move_id",
        "picking_id",
        string="Serial Transfers",
        readonly=True,
        copy=False,
        help="The deliveries and returns this invoice made for the serials of its "
        "lines.",
    )
    serial_picking_count = fields.Integer(compute="_compute_serial_picking_count")
    serial_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Serials Warehouse",
        compute="_compute_serial_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Serials are sold from every warehouse of the company; a batch "
        "serial held in several is drawn from this one first. A serial typed in "
        "without stock leaves from here, and a credit note receives here the "
        "serials that were never delivered.",
    )
    serial_several_warehouses = fields.Boolean(
        compute="_compute_serial_several_warehouses"
    )
    # The lines' "Serials Taken" column is shown only where batch serials are.
    serial_has_batch_lines = fields.Boolean(compute="_compute_serial_has_batch_lines")
    allow_expired_serials = fields.Boolean(
        string="Sell Expired Serials",
        copy=False,
        tracking=True,
        groups="stock.group_stock_manager",
        help="A stock manager confirms that the expired serials of this invoice "
        "may be sold. The confirmation holds for one posting: resetting the "
        "invoice to draft clears it.",
    )

    @api.depends("serial_picking_ids")
    def _compute_serial_picking_count(self):
        for move in self:
            move.serial_picking_count = len(move.serial_picking_ids)

    @api.depends("company_id", "move_type")
    def _compute_serial_warehouse_id(self):
        customer_documents = self.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        (self - customer_documents).serial_warehouse_id = False
        defaults = customer_documents._get_serial_default_warehouses()
        for move in customer_documents:
            if move.serial_warehouse_id.company_id != move.company_id:
                move.serial_warehouse_id = defaults.get(move.company_id)

    @api.depends("invoice_line_ids.product_id.tracking")
    def _compute_serial_has_batch_lines(self):
        for move in self:
            move.serial_has_batch_lines = any(
                line.product_id.tracking == "lot" for line in move.invoice_line_ids
            )

    @api.depends("company_id")
    def _compute_serial_several_warehouses(self):
        groups = self.env["stock.warehouse"]._read_group(
            [("company_id", "in", self.company_id.ids)], ["company_id"], ["__count"]
        )
        counts = dict(groups)
        for move in self:
            move.serial_several_warehouses = counts.get(move.company_id, 0) > 1

    @api.model_create_multi
    def create(self, vals_list):
        # The field's groups guard its writes, not its values at creation.
        if self.env.context.get("default_allow_expired_serials") or any(
            vals.get("allow_expired_serials") for vals in vals_list
        ):
            self._check_expired_serials_consent_rights()
        return super().create(vals_list)

    def _post(self, soft=True):
        allocations = self._check_serial_lines()
        posted = super()._post(soft=soft)
        posted._move_serial_stock(allocations)
        return posted

    def button_draft(self):
        posted = self.filtered(lambda move: move.state == "posted")
        res = super().button_draft()
        posted._return_serial_stock()
        return res

    def action_view_serial_pickings(self):
        self.ensure_one()
        pickings = self.serial_picking_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        if len(pickings) == 1:
            action.update(
                views=[(self.env.ref("stock.view_picking_form").id, "form")],
                res_id=pickings.id,
            )
        else:
            action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Posting: which serials, from where
    # ------------------------------------------------------------------

    def _get_serial_pos_transfers(self):
        """{invoice: transfers of its orders} of the invoices of self made by
        Point of Sale (at the till, later from the order, and refunds): their
        orders deliver the goods themselves (account.move.line's
        serial_delivered_elsewhere). Empty where Point of Sale is not
        installed: its own field is the only one to tell.

        The transfers are read as superuser: only which serials they moved is
        used, whoever reads the invoice.
        """
        if "pos_order_ids" not in self._fields:
            return {}
        # sudo: which Point of Sale orders made an invoice, for invoicing users
        # who may not read Point of Sale orders or transfers.
        return {
            move: orders.picking_ids
            for move in self
            if (orders := move.sudo().pos_order_ids)
        }

    def _check_serial_lines(self):
        """Check the serials of the lines about to be posted.

        :return: {invoice line: [(lot, location, quantity)]}, the stock each
            line moves; raises a UserError naming every line that is wrong.
        """
        lines = (
            self.filtered(lambda move: move.state == "draft")
            .invoice_line_ids.filtered(lambda line: line._is_serial_line())
            # A credit note without serials (a price refund) moves no stock.
            .filtered(
                lambda line: line.lot_ids or line.move_id.move_type == "out_invoice"
            )
        )
        if not lines:
            return {}
        lines.lot_ids._lock_serials_for_stock_change()
        return lines._allocate_serials()

    def _move_serial_stock(self, allocations):
        """Deliver (invoice) or receive back (credit note) the checked serials.

        One validated transfer per document, of the company's warehouse.
        """
        moves = self.filtered(
            lambda move: any(allocations.get(line) for line in move.invoice_line_ids)
        )
        if not moves:
            return
        moves._check_serial_stock_rights()
        moves._check_nothing_outstanding()
        # sudo: an invoicing user without inventory rights posts the invoice;
        # the transfer is the consequence of that posting, checked above.
        moves = moves.sudo()
        picking_vals = []
        lines_per_picking = []
        for move in moves:
            if not move.serial_warehouse_id:
                raise UserError(
                    self.env._(
                        "%(invoice)s cannot deliver its serials: the company "
                        "%(company)s has no warehouse.",
                        invoice=move.display_name,
                        company=move.company_id.name,
                    )
                )
            move_allocations = [
                (line, lot, location, quantity)
                for line in move.invoice_line_ids
                for lot, location, quantity in allocations.get(line, [])
            ]
            # One transfer per warehouse the serials leave (or go back to).
            for warehouse, warehouse_allocations in move._group_serial_allocations(
                move_allocations
            ).items():
                picking_vals.append(
                    move._prepare_serial_picking_vals(warehouse, warehouse_allocations)
                )
                lines_per_picking.append(warehouse_allocations)
        pickings = self.env["stock.picking"].sudo().create(picking_vals)
        move_line_vals = []
        for picking, move_allocations in zip(pickings, lines_per_picking, strict=False):
            stock_moves = {
                stock_move.product_id: stock_move for stock_move in picking.move_ids
            }
            move_line_vals += [
                picking._prepare_serial_move_line_vals(
                    stock_moves[line.product_id], lot, location, quantity
                )
                for line, lot, location, quantity in move_allocations
            ]
        self._create_serial_move_lines(move_line_vals)
        pickings._validate_serial_picking()

    def _return_serial_stock(self):
        """Undo the stock moved by these invoices (reset to draft, cancel).

        Each serial quantity delivered and not yet returned is returned by a
        validated return of the transfer that moved it.
        """
        # sudo: as for posting, the return follows from the accounting action
        # (rights checked below before anything is moved).
        moves = self.sudo()
        moves.serial_picking_ids.move_line_ids.lot_id._lock_serials_for_stock_change()
        outstanding = moves._get_serial_outstanding()
        if outstanding:
            self._check_serial_stock_rights()
            Picking = self.env["stock.picking"].sudo()
            Picking._check_serial_return_possible(outstanding)
            pickings = list(outstanding)
            returns = Picking.create(
                [
                    picking._prepare_serial_return_vals(outstanding[picking])
                    for picking in pickings
                ]
            )
            self._create_serial_move_lines(
                [
                    vals
                    for picking, return_picking in zip(pickings, returns, strict=False)
                    for vals in return_picking._prepare_serial_return_move_line_vals(
                        outstanding[picking]
                    )
                ]
            )
            returns._validate_serial_picking()
        # A stock manager's consent to sell expired serials holds for one posting.
        moves.filtered("allow_expired_serials").allow_expired_serials = False

    def _create_serial_move_lines(self, vals_list):
        """Create the lines of the transfers, their quants fetched in one query.

        Each line reserves its serial as it is created; Odoo looks the quant up
        once per line unless given them beforehand (quants_cache, as
        _action_done does).
        """
        MoveLine = self.env["stock.move.line"].sudo()
        quants_cache = (
            self.env["stock.quant"]
            .sudo()
            ._get_quants_by_products_locations(
                self.env["product.product"].browse(
                    {vals["product_id"] for vals in vals_list}
                ),
                self.env["stock.location"].browse(
                    {vals["location_id"] for vals in vals_list}
                ),
                extra_domain=[
                    ("lot_id", "in", list({vals["lot_id"] for vals in vals_list}))
                ],
            )
        )
        return MoveLine.with_context(quants_cache=quants_cache).create(vals_list)

    @api.model
    def _check_expired_serials_consent_rights(self):
        """Only a stock manager confirms that expired serials may be sold."""
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "stock.group_stock_manager",
            self.env._(
                "Only stock managers can allow expired serials to be sold on an "
                "invoice."
            ),
        )

    def _check_serial_stock_rights(self):
        """The caller moves stock through invoices only if he may post them."""
        if self.env.su:
            return
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "account.group_account_invoice",
            self.env._("You don't have the access rights to post an invoice."),
        )
        self.check_access("write")

    def _check_nothing_outstanding(self):
        """Never deliver twice: refuse while a previous delivery still stands."""
        outstanding = self.sudo()._get_serial_outstanding()
        if outstanding:
            raise UserError(
                self.env._(
                    "The serials of these transfers have already been moved for the "
                    "invoice and not returned: %(transfers)s. Return them first.",
                    transfers=", ".join(picking.name for picking in outstanding),
                )
            )

    def _get_serial_outstanding(self):
        """What the transfers of these invoices moved and was not returned.

        :return: {picking: [(move line, quantity not yet returned)]}
        """
        pickings = self.serial_picking_ids.filtered(
            lambda picking: picking.state == "done" and not picking.return_id
        )
        if not pickings:
            return {}
        returned = defaultdict(float)
        for returned_move in pickings.move_ids.returned_move_ids:
            if returned_move.state != "done":
                continue
            for line in returned_move.move_line_ids:
                returned[returned_move.origin_returned_move_id, line.lot_id] += (
                    line.quantity_product_uom
                )
        outstanding = defaultdict(list)
        for picking in pickings:
            for line in picking.move_line_ids:
                key = (line.move_id, line.lot_id)
                quantity = line.quantity_product_uom
                taken = min(returned[key], quantity)
                returned[key] -= taken
                remaining = quantity - taken
                if not float_is_zero(
                    remaining, precision_rounding=line.product_uom_id.rounding
                ):
                    outstanding[picking].append((line, remaining))
        return dict(outstanding)

    def _get_serial_default_warehouses(self):
        """{company: warehouse} proposed for these invoices' serials: the
        user's default warehouse when it belongs to the company, else the
        company's first warehouse."""
        companies = self.company_id
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", companies.ids)], order="sequence, id"
        )
        result = {}
        preferred = self.env.user.property_warehouse_id
        for warehouse in warehouses:
            result.setdefault(warehouse.company_id, warehouse)
        if preferred and preferred in warehouses:
            result[preferred.company_id] = preferred
        return result

    def _get_serial_warehouses(self):
        """{invoice: warehouses} its serials are sold from: every warehouse of
        its company, the invoice's own first, then in Odoo's order."""
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", self.company_id.ids)], order="sequence, id"
        )
        return {
            move: move.serial_warehouse_id
            | warehouses.filtered(
                lambda warehouse, move=move: warehouse.company_id == move.company_id
            )
            for move in self
        }

    def _group_serial_allocations(self, allocations):
        """{warehouse: allocations} of (invoice line, lot, location, quantity):
        an invoice delivers from the warehouse holding each serial; a credit
        note receives each serial back into the warehouse its last delivery
        left from, else into the invoice's warehouse."""
        self.ensure_one()
        if self.move_type == "out_refund":
            origins = self._get_serial_last_delivery_warehouses(
                self.env["stock.lot"].union(*(lot for _l, lot, _o, _q in allocations))
            )
        grouped = defaultdict(list)
        for allocation in allocations:
            _line, lot, location, _quantity = allocation
            if self.move_type == "out_refund":
                warehouse = origins.get(lot)
            else:
                warehouse = location.warehouse_id
            grouped[warehouse or self.serial_warehouse_id].append(allocation)
        return grouped

    def _get_serial_last_delivery_warehouses(self, lots):
        """{lot: warehouse} its last delivery to a customer left from."""
        last_deliveries = lots._get_first_done_lines(
            [
                ("location_dest_id.usage", "=", "customer"),
                ("location_id.usage", "=", "internal"),
            ],
            "date desc, id desc",
        )
        return {
            lot: line.location_id.warehouse_id for lot, line in last_deliveries.items()
        }

    def _get_serial_customer_location(self):
        self.ensure_one()
        partner = self.partner_shipping_id or self.partner_id
        return partner.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )

    def _prepare_serial_picking_vals(self, warehouse, allocations):
        """The transfer of these (invoice line, lot, location, quantity)."""
        self.ensure_one()
        customer = self._get_serial_customer_location()
        if self.move_type == "out_refund":
            picking_type = (
                warehouse.out_type_id.return_picking_type_id or warehouse.in_type_id
            )
            source, destination = customer, warehouse.lot_stock_id
        else:
            picking_type = warehouse.out_type_id
            source, destination = warehouse.lot_stock_id, customer
        quantities = defaultdict(float)
        for line, _lot, _location, quantity in allocations:
            quantities[line.product_id] += quantity
        partner = self.partner_shipping_id or self.partner_id
        return {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "serial_invoice_ids": [Command.set(self.ids)],
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "picking_type_id": picking_type.id,
                        "partner_id": partner.id,
                        "company_id": self.company_id.id,
                        "origin": self.name,
                    }
                )
                for product, quantity in quantities.items()
            ],
        }
