# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast

from odoo import fields, models

# The history kinds (stock.move.line's one definition) of a manufacturing
# order's lines: the finished serial made, the component serials used.
MANUFACTURED_KIND = "manufactured"
CONSUMED_KIND = "consumed"


class StockLot(models.Model):
    """What a serial is made of, and what it went into (Manufacturing).

    Read from Odoo's own link between the lines a production consumed and
    the lines it produced (stock.move.line's consume_line_ids, kept by the
    stock app for its traceability report), restricted to the lines the
    serial's history names as manufactured and consumed: an unbuild, and a
    repair's parts, use the same link and are not a production.
    """

    _inherit = "stock.lot"

    component_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_serial_production",
        string="Components",
        help="The component serials the manufacturing orders that made this "
        "serial consumed.",
    )
    finished_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_serial_production",
        string="Used In",
        help="The finished serials this serial went into, as a component of "
        "their manufacturing orders.",
    )
    production_reference = fields.Char(
        compute="_compute_serial_production",
        string="Manufactured By",
        help="The manufacturing order that made this serial.",
    )
    consumption_reference = fields.Char(
        compute="_compute_serial_production",
        string="Consumed By",
        help="The manufacturing orders that used this serial as a component.",
    )

    def _compute_serial_production(self):
        History = self.env["stock.lot.history"]
        events = History.search(
            [
                ("lot_id", "in", self.ids),
                ("kind", "in", (MANUFACTURED_KIND, CONSUMED_KIND)),
            ]
        )
        # A history event shares its id with its stock move line. sudo: which
        # lines a production linked, for users who read serials and their
        # history but not stock moves (invoicing users); only serials and the
        # kinds of history events they may read come back.
        lines = self.env["stock.move.line"].sudo().browse(events.ids)
        linked = lines.consume_line_ids | lines.produce_line_ids
        linked_kinds = dict(
            History.search_fetch([("id", "in", linked.ids)], ["kind"]).mapped(
                lambda event: (event.id, event.kind)
            )
        )
        components, finished, made_by, used_by = {}, {}, {}, {}
        for event, line in zip(events, lines, strict=True):
            lot_id = event.lot_id.id
            if event.kind == MANUFACTURED_KIND:
                made_by.setdefault(lot_id, event.reference)
                components.setdefault(lot_id, set()).update(
                    other.lot_id.id
                    for other in line.consume_line_ids
                    if other.lot_id and linked_kinds.get(other.id) == CONSUMED_KIND
                )
            else:
                used_by.setdefault(lot_id, []).append(event.reference)
                finished.setdefault(lot_id, set()).update(
                    other.lot_id.id
                    for other in line.produce_line_ids
                    if other.lot_id and linked_kinds.get(other.id) == MANUFACTURED_KIND
                )
        for lot in self:
            lot.component_lot_ids = sorted(components.get(lot.id, ()))
            lot.finished_lot_ids = sorted(finished.get(lot.id, ()))
            lot.production_reference = made_by.get(lot.id, False)
            lot.consumption_reference = ", ".join(
                dict.fromkeys(used_by.get(lot.id, ()))
            )

    def action_serial_traceability(self):
        """Open Odoo's own Traceability Report of this serial."""
        self.ensure_one()
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "stock.group_stock_user",
            self.env._(
                "Only inventory users can open the traceability report of a "
                "serial number."
            ),
        )
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("stock.action_stock_report")
        context = ast.literal_eval(action.get("context") or "{}")
        context.update(active_id=self.id, active_model=self._name)
        action["context"] = context
        return action

    def action_serial_recall(self):
        """Open "Where did it go": every customer who received this serial,
        directly or inside a finished serial (stock.lot.recall)."""
        self.ensure_one()
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "stock.group_stock_user",
            self.env._(
                "Only inventory users can list where a serial number went. Ask "
                "one of them."
            ),
        )
        self.check_access("read")
        return self.env["stock.lot.recall"]._open_recall(self)
