# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.stock_move import SERIAL_OPERATION_CONTEXT_KEY


class StockLotCorrection(models.TransientModel):
    """Name the stock moves of a correction, for the serials' history.

    The write-off of the wrong serial and the receipt of the right one are
    ordinary stock moves; marked as a correction, the Serial Number Enquiry
    shows them as such instead of a write-off and an inventory adjustment.
    """

    _inherit = "stock.lot.correction"

    def _apply_correction(self):
        marked = self.with_context(**{SERIAL_OPERATION_CONTEXT_KEY: "correction"})
        return super(StockLotCorrection, marked)._apply_correction()
