# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models
from odoo.tools import float_compare, format_date, formatLang


class AccountMove(models.Model):
    """The serials printed on an invoice or credit note.

    Odoo prints the serials of the deliveries of invoices made from sale
    orders (sale_stock, under Invoicing > Settings > "Display Lots & Serial
    Numbers on Invoices"); the serials these invoices move themselves are
    added to the same table, once each, with their expiry and warranty.
    """

    _inherit = "account.move"

    def _get_invoiced_lot_values(self):
        values = super()._get_invoiced_lot_values()
        if self.state == "posted" and self.move_type in ("out_invoice", "out_refund"):
            values += self._get_serial_lot_values()
        # sudo: printed by invoicing users who may not read serials.
        lots = (
            self.env["stock.lot"]
            .sudo()
            .browse([value["lot_id"] for value in values if value.get("lot_id")])
        )
        for value in values:
            lot = lots.browse(value.get("lot_id"))
            value.update(self._get_serial_lot_dates(lot))
        return values

    def _get_serial_lot_values(self):
        """The rows of the serials this invoice delivered (or took back):
        {product_name, quantity, uom_name, lot_name, lot_id}."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line._is_serial_line())
        if not lines:
            return []
        quantities = self._get_serial_moved_quantities()
        rows = []
        # sudo: the serials the invoice itself sold, printed to invoicing users
        # who may not read serials (as sale_stock does for its rows).
        for lot in lines.sudo().lot_ids.sorted(
            lambda lot: (lot.product_id.id, lot.name)
        ):
            quantity = quantities.get(lot, 0.0)
            if (
                float_compare(
                    quantity, 0, precision_rounding=lot.product_uom_id.rounding
                )
                <= 0
            ):
                continue
            rows.append(
                {
                    "product_name": lot.product_id.display_name,
                    "quantity": formatLang(
                        self.env, quantity, dp="Product Unit of Measure"
                    ),
                    "uom_name": lot.product_uom_id.name,
                    "lot_name": lot.name,
                    "lot_id": lot.id,
                }
            )
        return rows

    def _get_serial_moved_quantities(self):
        """{lot: quantity} this invoice delivered (a credit note: took back),
        net of what was returned, in the product's unit."""
        self.ensure_one()
        quantities = defaultdict(float)
        outgoing = self.move_type == "out_invoice"
        # sudo: the transfers the posting made, whoever reads the invoice.
        for move_line in self.sudo().serial_picking_ids.move_line_ids:
            if move_line.state != "done" or not move_line.lot_id:
                continue
            to_customer = move_line.location_dest_id.usage == "customer"
            sign = 1 if to_customer == outgoing else -1
            quantities[move_line.lot_id] += sign * move_line.quantity_product_uom
        return quantities

    def _get_serial_lot_dates(self, lot):
        """The expiry (products with expiry dates) and warranty end of a serial,
        as printed under it."""
        if not lot:
            return {}
        return {
            "expiration_date": lot.product_id.use_expiration_date
            and lot.expiration_date
            and format_date(self.env, lot.expiration_date),
            "warranty_end_date": lot.warranty_end_date
            and format_date(self.env, lot.warranty_end_date),
        }
