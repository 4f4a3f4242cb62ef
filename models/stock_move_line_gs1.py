# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    """A GS1 code scanned into a receipt line's serial (lot_name) is stored
    decoded: the serial (AI 21, else the batch, AI 10) and its expiry (AI 17)."""

    _inherit = "stock.move.line"

    @api.onchange("lot_name")
    def _onchange_lot_name_gs1(self):
        if not self.lot_name:
            return
        vals = {"lot_name": self.lot_name, "product_id": self.product_id.id}
        self._decode_gs1_lot_names([vals])
        self.lot_name = vals["lot_name"]
        if "expiration_date" in vals:
            self.expiration_date = vals["expiration_date"]

    @api.model_create_multi
    def create(self, vals_list):
        self._decode_gs1_lot_names(
            vals_list, self.env["product.product"].browse(self._context_product_id())
        )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("lot_name"):
            products = (
                self.env["product.product"].browse(vals["product_id"])
                if vals.get("product_id")
                else self.product_id
            )
            vals = dict(vals)
            # One product to check the GTIN against; several: no GTIN check.
            self._decode_gs1_lot_names([vals], products if len(products) == 1 else None)
        return super().write(vals)

    def _context_product_id(self):
        product_id = self.env.context.get("default_product_id")
        return product_id if isinstance(product_id, int) else False

    @api.model
    def _decode_gs1_lot_names(self, vals_list, default_product=None):
        """Decode in place the GS1 lot_name of each vals; one product search
        for all the GTINs. A GTIN of another product than the line's is
        refused; one of no known product is left unchecked."""
        Lot = self.env["stock.lot"]
        scans = []
        for vals in vals_list:
            name = vals.get("lot_name")
            scan = Lot._decode_gs1_scan(name) if isinstance(name, str) else None
            if scan:
                scans.append((vals, scan))
        if not scans:
            return
        by_gtin = Lot._get_products_by_gtin([scan["gtin"] for _v, scan in scans])
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals, _s in scans if vals.get("product_id")}
        )
        for vals, scan in scans:
            product = (
                products.browse(vals["product_id"])
                if vals.get("product_id")
                else default_product or products.browse()
            )
            scanned = by_gtin.get(scan["gtin"])
            if scanned and product and product not in scanned:
                raise UserError(
                    self.env._(
                        "The scanned code %(code)s is for %(scanned)s, not "
                        "%(product)s.",
                        code=vals["lot_name"],
                        scanned=", ".join(scanned.mapped("display_name")),
                        product=product.display_name,
                    )
                )
            vals["lot_name"] = (
                scan["batch"] or scan["serial"]
                if product.tracking == "lot"
                else scan["serial"]
            )
            if scan["expiration_date"] and (not product or product.use_expiration_date):
                vals["expiration_date"] = scan["expiration_date"]
