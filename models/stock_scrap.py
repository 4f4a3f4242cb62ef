# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    @api.onchange("lot_id")
    def _onchange_lot_id_full_quantity(self):
        """Writing off a batch serial: all of it, where it is.

        The picker offers serials in stock under the source location; the
        write-off takes the child location holding the serial (the most of it)
        and defaults to the whole quantity there.
        """
        if not self.lot_id or self.product_id.tracking != "lot" or not self.location_id:
            return
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "=", self.lot_id.id),
                ("location_id", "child_of", self.location_id.id),
                ("quantity", ">", 0),
            ],
            ["location_id"],
            ["quantity:sum"],
        )
        if not groups:
            return
        quantities = dict(groups)
        location = (
            self.location_id
            if self.location_id in quantities
            else max(quantities, key=quantities.get)
        )
        self.location_id = location
        self.scrap_qty = self.product_id.uom_id._compute_quantity(
            quantities[location], self.product_uom_id or self.product_id.uom_id
        )
