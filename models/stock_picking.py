# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        self._check_unique_serials_not_in_stock()
        return super().button_validate()

    def _check_unique_serials_not_in_stock(self):
        """Refuse receiving a unique serial that is already in stock.

        One unit per unique serial: receiving it again would create a second
        unit with the same serial. All offending serials are listed at once so
        the user fixes the receipt in one go.
        """
        receipts = self.filtered(lambda picking: picking.picking_type_code == "incoming")
        lines = receipts.move_line_ids.filtered(
            lambda line: line.product_id.tracking == "serial"
            and (line.lot_id or line.lot_name)
            and line.location_dest_id.usage == "internal"
        )
        if not lines:
            return
        names = {line.lot_id.name or line.lot_name.strip() for line in lines}
        # sudo: the receiving user may not read every location of the company,
        # but a unit in stock anywhere in it must block the duplicate.
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("lot_id.name", "in", list(names)),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "in", lines.company_id.ids),
                    ("quantity", ">", 0),
                ]
            )
        )
        in_stock = {
            (quant.product_id.id, quant.company_id.id, quant.lot_id.name): quant
            for quant in quants
        }
        offending = []
        for line in lines:
            key = (
                line.product_id.id,
                line.company_id.id,
                line.lot_id.name or line.lot_name.strip(),
            )
            quant = in_stock.get(key)
            if quant:
                offending.append(
                    self.env._(
                        "- %(serial)s (%(product)s) is already in stock at %(location)s",
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
