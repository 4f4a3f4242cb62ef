# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_invoice_ids = fields.Many2many(
        "account.move",
        "account_move_serial_picking_rel",
        "picking_id",
        "move_id",
        string="Invoices Moving Serials",
        readonly=True,
        copy=False,
        help="The customer invoices or credit notes whose posting (or reset to "
        "draft) made this transfer.",
    )

    def write(self, vals):
        result = super().write(vals)
        if self._get_serial_partner_fields().intersection(vals):
            # Serial Number Enquiry: whom a done transfer delivered its serials
            # to changed (its partner edited, or Point of Sale naming the
            # session of a transfer it has just validated).
            self.move_line_ids.filtered(
                lambda line: line.state == "done"
            ).lot_id._refresh_serial_facts()
        return result

    def action_import_serials(self):
        """Import Serials: pasted lines, ranges, GS1 codes or a CSV/XLSX file."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Serials"),
            "res_model": "stock.serial.import",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def button_validate(self):
        # A serial of another company, put there bypassing the move line's check.
        self.move_line_ids._check_serials_company()
        self._check_unique_serial_quantities()
        self._check_unique_serials_not_in_stock()
        return super().button_validate()

    def _get_serial_partner_fields(self):
        """The fields of a transfer that tell whom it delivered its serials to
        (stock.move.line's _serial_delivered_partner_sql)."""
        app_fields = self.env["stock.move.line"]._get_serial_app_fields()
        return {"partner_id"} | {
            fname
            for fields_of_meaning in app_fields.values()
            for model, fname in fields_of_meaning
            if model == self._name
        }

    def _check_unique_serial_quantities(self):
        """One unit per unique serial: refuse lines of 2, 0.5 or -1 units.

        Odoo accepts half a unit of a unique serial, and words two units as
        "already assigned"; all such lines are listed at once, in plain words.
        Lines of no quantity are left to Odoo, which drops them.
        """
        offending = []
        for line in self.move_line_ids:
            uom = line.product_id.uom_id
            # The usual line, one unit in the product's unit, is read no further
            # (a receipt of a thousand serials is a thousand of them).
            if line.quantity == 1 and line.product_uom_id == uom:
                continue
            if (
                line.product_id.tracking != "serial"
                or not (line.lot_id or line.lot_name)
                # Empty lines are dropped by Odoo at validation.
                or float_is_zero(
                    line.quantity, precision_rounding=line.product_uom_id.rounding
                )
            ):
                continue
            quantity = line.product_uom_id._compute_quantity(
                line.quantity, uom, rounding_method="HALF-UP"
            )
            if float_compare(quantity, 1.0, precision_rounding=uom.rounding):
                offending.append(
                    self.env._(
                        "- %(serial)s (%(product)s): %(quantity)s",
                        serial=line.lot_id.name or line.lot_name.strip(),
                        product=line.product_id.display_name,
                        quantity=line.product_uom_id._format_serial_quantity(
                            line.quantity
                        ),
                    )
                )
        if offending:
            raise UserError(
                self.env._(
                    "A unique serial number is exactly one unit. These lines say "
                    "otherwise:\n%(lines)s\nFor several units under one number, "
                    "track the product by batch serial number.",
                    lines="\n".join(offending),
                )
            )

    def _check_unique_serials_not_in_stock(self):
        """Refuse receiving a unique serial that is already in stock.

        One unit per unique serial: receiving it again would create a second
        unit with the same serial. All offending serials are listed at once so
        the user fixes the receipt in one go.
        """
        receipts = self.filtered(
            lambda picking: picking.picking_type_code == "incoming"
        )
        # {line: (product id, company id, serial)}, each line read once.
        keys = {}
        for line in receipts.move_line_ids:
            product, lot = line.product_id, line.lot_id
            if (
                product.tracking == "serial"
                and line.location_dest_id.usage == "internal"
                and (lot or line.lot_name)
            ):
                keys[line] = (
                    product.id,
                    line.company_id.id,
                    lot.name or line.lot_name.strip(),
                )
        if not keys:
            return
        product_ids, company_ids, names = (
            set(column) for column in zip(*keys.values(), strict=True)
        )
        company_ids.discard(False)
        # sudo: the receiving user may not read every location of the company,
        # but a unit in stock anywhere in it must block the duplicate.
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", list(product_ids)),
                    ("lot_id.name", "in", list(names)),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "in", list(company_ids)),
                    ("quantity", ">", 0),
                ]
            )
        )
        in_stock = {
            (quant.product_id.id, quant.company_id.id, quant.lot_id.name): quant
            for quant in quants
        }
        offending = []
        for line, key in keys.items():
            quant = in_stock.get(key)
            if quant:
                offending.append(
                    self.env._(
                        "- %(serial)s (%(product)s) is already in stock at "
                        "%(location)s",
                        serial=key[2],
                        product=line.product_id.display_name,
                        location=quant.location_id.display_name,
                    )
                )
        if offending:
            raise UserError(
                self.env._(
                    "These unique serial numbers cannot be received because they are "
                    "already in stock:\n%(lines)s\nCheck the serials typed on the "
                    "receipt.",
                    lines="\n".join(sorted(set(offending))),
                )
            )

    def _prepare_serial_move_line_vals(self, stock_move, lot, location, quantity):
        """A picked line moving `quantity` of the serial from `location`."""
        self.ensure_one()
        return {
            "picking_id": self.id,
            "move_id": stock_move.id,
            "product_id": stock_move.product_id.id,
            "product_uom_id": stock_move.product_id.uom_id.id,
            "lot_id": lot.id,
            "quantity": quantity,
            "location_id": location.id,
            "location_dest_id": self.location_dest_id.id,
            "picked": True,
        }

    def _validate_serial_picking(self):
        """Validate transfers made by invoices: serials and quantities are set.

        Expiry was checked when posting (a stock manager may have confirmed
        expired serials), so product_expiry's confirmation is skipped.
        """
        self.with_context(
            skip_expired=True, skip_backorder=True, skip_sms=True, cancel_backorder=True
        ).button_validate()
        not_done = self.filtered(lambda picking: picking.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "The transfers %(transfers)s could not be validated. Check them "
                    "in Inventory.",
                    transfers=", ".join(not_done.mapped("name")),
                )
            )

    def _prepare_serial_return_vals(self, lines):
        """A return of [(done move line, quantity)] of this transfer."""
        self.ensure_one()
        quantities = defaultdict(float)
        for line, quantity in lines:
            quantities[line.move_id] += quantity
        picking_type = (
            self.picking_type_id.return_picking_type_id or self.picking_type_id
        )
        return {
            "picking_type_id": picking_type.id,
            "location_id": self.location_dest_id.id,
            "location_dest_id": self.location_id.id,
            "partner_id": self.partner_id.id,
            "origin": self.env._("Return of %(transfer)s", transfer=self.name),
            "return_id": self.id,
            "company_id": self.company_id.id,
            "serial_invoice_ids": [Command.set(self.serial_invoice_ids.ids)],
            "move_ids": [
                Command.create(
                    {
                        "name": move.name,
                        "product_id": move.product_id.id,
                        "product_uom": move.product_id.uom_id.id,
                        "product_uom_qty": quantity,
                        "location_id": move.location_dest_id.id,
                        "location_dest_id": move.location_id.id,
                        "picking_type_id": picking_type.id,
                        "partner_id": move.partner_id.id,
                        "company_id": move.company_id.id,
                        "origin_returned_move_id": move.id,
                        "origin": self.name,
                    }
                )
                for move, quantity in quantities.items()
            ],
        }

    def _prepare_serial_return_move_line_vals(self, lines):
        """The lines of this return, reversing [(done move line, quantity)]."""
        self.ensure_one()
        return_moves = {move.origin_returned_move_id: move for move in self.move_ids}
        return [
            {
                "picking_id": self.id,
                "move_id": return_moves[line.move_id].id,
                "product_id": line.product_id.id,
                "product_uom_id": line.product_id.uom_id.id,
                "lot_id": line.lot_id.id,
                "quantity": quantity,
                "location_id": line.location_dest_id.id,
                "location_dest_id": line.location_id.id,
                "picked": True,
            }
            for line, quantity in lines
        ]

    def _check_serial_return_possible(self, outstanding):
        """Refuse returning serials received into stock that have left it since.

        :param outstanding: {picking: [(done move line, quantity to return)]}
        """
        to_check = [
            (line, quantity)
            for lines in outstanding.values()
            for line, quantity in lines
            if line.location_dest_id.usage == "internal"
        ]
        if not to_check:
            return
        move_lines = self.env["stock.move.line"].concat(
            *(line for line, _q in to_check)
        )
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", move_lines.lot_id.ids),
                ("location_id", "in", move_lines.location_dest_id.ids),
            ],
            ["lot_id", "location_id"],
            ["quantity:sum"],
        )
        available = {(lot, location): quantity for lot, location, quantity in groups}
        missing = [
            self.env._(
                "- %(serial)s (%(product)s) at %(location)s",
                serial=line.lot_id.name,
                product=line.product_id.display_name,
                location=line.location_dest_id.display_name,
            )
            for line, quantity in to_check
            if float_compare(
                available.get((line.lot_id, line.location_dest_id), 0.0),
                quantity,
                precision_rounding=line.product_uom_id.rounding,
            )
            < 0
        ]
        if missing:
            raise UserError(
                self.env._(
                    "These serials were received back by the credit note but are no "
                    "longer in stock, so they cannot be sent back:\n%(serials)s",
                    serials="\n".join(missing),
                )
            )
