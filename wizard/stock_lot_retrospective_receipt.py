# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_datetime


class StockLotRetrospectiveReceipt(models.TransientModel):
    """Record, after the fact, the receipt of a serial that left stock unreceived.

    A serial typed in on a sale, transfer or write-off left stock without ever
    having been received: its stock went negative. Once the investigation
    shows it really was in stock, this records the missing receipt, dated when
    it should have happened, so that stock levels come out right.
    """

    _name = "stock.lot.retrospective.receipt"
    _inherit = "stock.serial.guard.mixin"
    _description = "Retrospective Receipt of a Serial"
    _serial_guard_client_ids = True

    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one(related="lot_id.product_id")
    product_uom_id = fields.Many2one(related="lot_id.product_uom_id")
    tracking = fields.Selection(related="lot_id.product_id.tracking")
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    date = fields.Datetime(
        string="Received On",
        compute="_compute_date",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="When the serial was really received; the receipt is dated so. "
        "Proposed: just before the serial first left stock, the latest date "
        "allowed.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        help="Who the serial was bought from, when known; kept on the receipt.",
    )
    reference = fields.Char(
        help="The vendor's document (delivery note, invoice) the serial came "
        "with; kept as the receipt's source document.",
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="Received Into",
        compute="_compute_receipt_defaults",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('usage', '=', 'internal'), ('company_id', '=', company_id)]",
    )
    quantity = fields.Float(
        compute="_compute_receipt_defaults",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        digits="Product Unit of Measure",
    )

    @api.depends("lot_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.lot_id.company_id or self.env.company

    @api.depends("lot_id")
    def _compute_date(self):
        departures = self.lot_id._get_first_departures()
        now = fields.Datetime.now()
        for wizard in self:
            departure = departures.get(wizard.lot_id)
            wizard.date = departure.date - timedelta(seconds=1) if departure else now

    @api.depends("lot_id")
    def _compute_receipt_defaults(self):
        """Where the serial's stock went negative, and by how much."""
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", self.lot_id.ids),
                ("location_id.usage", "=", "internal"),
                ("quantity", "<", 0),
            ],
            ["lot_id", "location_id"],
            ["quantity:sum"],
        )
        missing = {}
        for lot, location, quantity in groups:
            if lot not in missing or quantity < missing[lot][1]:
                missing[lot] = (location, quantity)
        warehouses = {}
        for warehouse in self.env["stock.warehouse"].search(
            [("company_id", "in", self.company_id.ids)], order="sequence, id"
        ):
            warehouses.setdefault(warehouse.company_id, warehouse)
        no_warehouse = self.env["stock.warehouse"]
        for wizard in self:
            location, quantity = missing.get(wizard.lot_id, (False, 0.0))
            wizard.location_dest_id = (
                location or warehouses.get(wizard.company_id, no_warehouse).lot_stock_id
            )
            wizard.quantity = -quantity or 1.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_date_value(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_date_value(vals)
        return super().write(vals)

    def action_confirm(self):
        """Record the validated receipt, dated `date`; resolve the serial."""
        self.ensure_one()
        # Before reading the wizard: the refusal names who may do it.
        self._check_retrospective_receipt_rights()
        lot = self.lot_id
        self._check_receipt()
        source = self.env.ref("stock.stock_location_suppliers")
        origin = self.env._("Retrospective receipt of %(serial)s", serial=lot.name)
        move = self.env["stock.move"].create(
            {
                "name": origin,
                "origin": (self.reference or "").strip() or origin,
                "partner_id": self.partner_id.id,
                "product_id": self.product_id.id,
                "product_uom": self.product_uom_id.id,
                "product_uom_qty": self.quantity,
                "location_id": source.id,
                "location_dest_id": self.location_dest_id.id,
                "company_id": self.company_id.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_id.id,
                            "product_uom_id": self.product_uom_id.id,
                            "lot_id": lot.id,
                            "quantity": self.quantity,
                            "location_id": source.id,
                            "location_dest_id": self.location_dest_id.id,
                            "picked": True,
                        }
                    )
                ],
                "picked": True,
            }
        )
        move._action_confirm()._action_done()
        move.write({"date": self.date})
        move.move_line_ids.write({"date": self.date})
        lot._resolve_investigation(
            self.env._(
                "Retrospective receipt of %(quantity)s into %(location)s, "
                "dated %(date)s.",
                quantity=self.product_uom_id._format_serial_quantity(self.quantity),
                location=self.location_dest_id.display_name,
                date=format_datetime(self.env, self.date),
            )
        )
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _check_retrospective_receipt_rights(self):
        self._check_serial_role(
            "stock.group_stock_manager",
            self.env._(
                "Only stock managers can record a retrospective receipt of a serial."
            ),
        )

    def _check_receipt(self):
        self.ensure_one()
        rounding = self.product_uom_id.rounding
        if float_compare(self.quantity, 0, precision_rounding=rounding) <= 0:
            raise UserError(self.env._("The quantity received must be positive."))
        if self.date > fields.Datetime.now():
            raise UserError(
                self.env._("A retrospective receipt cannot be dated in the future.")
            )
        if self.location_dest_id.usage != "internal":
            raise UserError(
                self.env._(
                    "%(location)s is not a stock location.",
                    location=self.location_dest_id.display_name,
                )
            )
        if self.location_dest_id.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "%(location)s is not a location of %(company)s: the serial "
                    "%(serial)s is received in its own company.",
                    location=self.location_dest_id.display_name,
                    company=self.company_id.name,
                    serial=self.lot_id.name,
                )
            )
        if self.tracking == "serial":
            if float_compare(self.quantity, 1, precision_rounding=rounding):
                raise UserError(
                    self.env._(
                        "%(serial)s is a unique serial: one unit is received.",
                        serial=self.lot_id.name,
                    )
                )
            if (
                float_compare(self.lot_id.product_qty, 0, precision_rounding=rounding)
                > 0
            ):
                raise UserError(
                    self.env._(
                        "Unique serial %(serial)s is already in stock: it cannot be "
                        "received again.",
                        serial=self.lot_id.name,
                    )
                )
        departure = self.lot_id._get_first_departures().get(self.lot_id)
        if departure and self.date >= departure.date:
            raise UserError(
                self.env._(
                    "Serial %(serial)s first left stock on %(date)s (%(document)s): "
                    "it was received before that. Date the receipt earlier.",
                    serial=self.lot_id.name,
                    date=format_datetime(self.env, departure.date),
                    document=departure._get_serial_document_name(),
                )
            )

    @api.model
    def _check_date_value(self, vals):
        """Refuse a receipt date that is not a date (instead of a ValueError)."""
        if not vals.get("date"):
            return
        try:
            fields.Datetime.to_datetime(vals["date"])
        except (ValueError, TypeError) as error:
            raise UserError(
                self.env._(
                    "%(value)s is not a valid date for the receipt: give it as "
                    "YYYY-MM-DD HH:MM:SS.",
                    value=repr(vals["date"]),
                )
            ) from error
