# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Context key naming the business operation that creates stock moves (a serial
# correction...): the moves keep it in serial_operation, so that the history of
# a serial (Serial Number Enquiry) names the event as users know it.
SERIAL_OPERATION_CONTEXT_KEY = "serial_operation"


class StockMove(models.Model):
    _inherit = "stock.move"

    serial_operation = fields.Selection(
        [("correction", "Serial correction")],
        readonly=True,
        copy=False,
        help="The operation that made this move, when it is not a plain stock "
        "operation; shown as the event in the serial's history.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        operation = self.env.context.get(SERIAL_OPERATION_CONTEXT_KEY)
        if operation in dict(self._fields["serial_operation"].selection):
            for vals in vals_list:
                vals.setdefault("serial_operation", operation)
        return super().create(vals_list)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        entry_origins = moves.filtered(
            lambda move: move.state == "done"
        ).move_line_ids._record_serial_entry()
        # Serial Number Enquiry: the stored facts of every serial these moves
        # carried (the moves given and the moves done: backorders and scraps
        # make them differ), with the entry origins of those first met here.
        (self | moves).exists().move_line_ids.lot_id._refresh_serial_facts(
            new_entry_origins=entry_origins
        )
        return moves
