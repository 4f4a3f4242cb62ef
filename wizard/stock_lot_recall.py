# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.stock_move_line_document import HISTORY_KINDS

# Production levels followed from a serial to the finished serials holding it
# (a component in a sub-assembly in a finished product is two levels).
MAX_RECALL_LEVELS = 10


class StockLotRecall(models.TransientModel):
    """Where did it go: the customers who received a serial, directly or
    inside a finished serial, as a list the user can filter and export.

    Made on demand from the serial's history (stock.lot.history, whose kinds
    say which lines a production consumed and made) and Odoo's link between
    the lines a production consumed and those it produced.
    """

    _name = "stock.lot.recall"
    _description = "Serial Number Recall"
    _order = "date desc, id desc"

    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, readonly=True
    )
    delivered_lot_id = fields.Many2one(
        "stock.lot",
        string="Delivered Serial",
        readonly=True,
        help="The serial the customer received: this serial itself, or the "
        "finished serial it went into.",
    )
    delivered_product_id = fields.Many2one(
        related="delivered_lot_id.product_id", string="Delivered Product"
    )
    inside_finished = fields.Boolean(
        string="Inside a Finished Serial",
        readonly=True,
        help="The customer received this serial inside a finished serial.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(HISTORY_KINDS, string="Event", readonly=True)
    reference = fields.Char(string="Document", readonly=True)
    quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="What the customer received of the delivered serial (negative: "
        "what came back).",
    )
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    component_quantity = fields.Float(
        string="Serial Qty",
        digits="Product Unit of Measure",
        readonly=True,
        help="How much of this serial the customer received (negative: what "
        "came back): the quantity delivered itself, or what the manufacturing "
        "of the delivered serial consumed of this serial.",
    )
    company_id = fields.Many2one("res.company", readonly=True)

    def action_open_delivered_serial(self):
        """Open the Enquiry of the serial the customer received."""
        self.ensure_one()
        return self.delivered_lot_id.action_serial_enquiry()

    @api.model
    def _open_recall(self, lot):
        """The list of where `lot` went, made anew (the user's earlier list of
        it goes)."""
        self.search(
            [("lot_id", "=", lot.id), ("create_uid", "=", self.env.uid)]
        ).unlink()
        recalls = self.create(self._prepare_recall_vals(lot))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Where did %(serial)s go", serial=lot.display_name),
            "res_model": self._name,
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "product_serial_tracking.stock_lot_recall_view_list"
                    ).id,
                    "list",
                )
            ],
            "domain": [("lot_id", "=", lot.id), ("id", "in", recalls.ids)],
            "context": {"create": False},
            "target": "current",
        }

    @api.model
    def _prepare_recall_vals(self, lot):
        """One row per customer delivery or return of `lot` or of a finished
        serial holding it, following productions level by level (a fixed
        number of queries per level)."""
        History = self.env["stock.lot.history"]
        MoveLine = self.env["stock.move.line"]
        # {lot id: quantity of `lot` in it} of the serials reached so far.
        reached = {lot.id: None}
        level = {lot.id: None}
        vals_list = []
        for _depth in range(MAX_RECALL_LEVELS):
            events = History.search(
                [
                    ("lot_id", "in", list(level)),
                    "|",
                    "|",
                    ("location_dest_id.usage", "=", "customer"),
                    ("location_id.usage", "=", "customer"),
                    ("kind", "=", "consumed"),
                ],
                order="date, id",
            )
            consumed = events.filtered(lambda event: event.kind == "consumed")
            for event in events - consumed:
                if event.location_id.usage == event.location_dest_id.usage:
                    continue  # a repair at the customer's moved nothing
                sign = -1 if event.location_id.usage == "customer" else 1
                inside = level[event.lot_id.id]
                vals_list.append(
                    {
                        "lot_id": lot.id,
                        "delivered_lot_id": event.lot_id.id,
                        "inside_finished": inside is not None,
                        "partner_id": event.partner_id.id,
                        "date": event.date,
                        "kind": event.kind,
                        "reference": event.document_name,
                        "quantity": sign * event.quantity,
                        "product_uom_id": event.product_uom_id.id,
                        "component_quantity": sign
                        * (event.quantity if inside is None else inside),
                        "company_id": event.company_id.id,
                    }
                )
            made = MoveLine.browse(consumed.ids).produce_line_ids
            made_events = History.search(
                [("id", "in", made.ids), ("kind", "=", "manufactured")]
            )
            made_lot_by_line = {event.id: event.lot_id.id for event in made_events}
            next_level = {}
            for event, line in zip(
                consumed, MoveLine.browse(consumed.ids), strict=True
            ):
                inside = level[event.lot_id.id]
                for produced in line.produce_line_ids:
                    made_lot_id = made_lot_by_line.get(produced.id)
                    if not made_lot_id or made_lot_id in reached:
                        continue
                    # The quantity of the recalled serial in the first
                    # finished serial, carried to those holding it.
                    next_level[made_lot_id] = (
                        event.quantity if inside is None else inside
                    )
            if not next_level:
                break
            reached.update(next_level)
            level = next_level
        return vals_list
