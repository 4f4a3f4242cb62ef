# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class StockLotWriteOff(models.TransientModel):
    """Choose where to write a serial off, when it is in stock in several places."""

    _name = "stock.lot.write.off"
    _inherit = "stock.serial.guard.mixin"
    _description = "Write Off Serial Number"
    _serial_guard_client_ids = True

    lot_id = fields.Many2one(
        "stock.lot", required=True, readonly=True, ondelete="cascade"
    )
    product_id = fields.Many2one(related="lot_id.product_id")
    line_ids = fields.One2many("stock.lot.write.off.line", "wizard_id", readonly=True)


class StockLotWriteOffLine(models.TransientModel):
    _name = "stock.lot.write.off.line"
    _description = "Write Off Serial Number: Place"

    wizard_id = fields.Many2one(
        "stock.lot.write.off", required=True, ondelete="cascade"
    )
    location_id = fields.Many2one("stock.location", required=True, readonly=True)
    package_id = fields.Many2one("stock.quant.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    product_uom_id = fields.Many2one(related="wizard_id.lot_id.product_uom_id")

    def action_write_off(self):
        """Open the write-off of the serial's full quantity at this place now."""
        self.ensure_one()
        lot = self.wizard_id.lot_id
        place = (self.location_id, self.package_id, self.owner_id)
        # Stock may have moved since the list was made: take today's quantity.
        quantity = next(
            (
                quantity
                for *other_place, quantity in lot._get_internal_stock().get(lot, [])
                if tuple(other_place) == place
            ),
            None,
        )
        if quantity is None:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is no longer in stock at %(location)s.",
                    serial=lot.name,
                    location=self.location_id.display_name,
                )
            )
        return lot._get_write_off_action(*place, quantity)
