# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.sql import create_index

from .stock_move_line_document import ENTRY_ORIGINS

# Serial Number Enquiry: the done lines of a serial, newest first. A serial's
# last move (its stored facts) and its history are read from this index
# without scanning other serials' lines (Odoo has no index on lot_id).
DONE_LOT_LINES_INDEX = "stock_move_line_serial_tracking_done_lot_index"
# Changing these on a done line (an unlocked transfer) moves its serial.
STOCK_FACT_FIELDS = {
    "quantity",
    "product_uom_id",
    "lot_id",
    "location_id",
    "location_dest_id",
    "date",
}


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "stock.serial.guard.mixin"]
    # Odoo checks a line's serial company in the views only.
    _serial_guard_same_company = True

    def init(self):
        result = super().init()
        create_index(
            self.env.cr,
            DONE_LOT_LINES_INDEX,
            self._table,
            ["lot_id", "date DESC", "id DESC"],
            where="state = 'done' AND lot_id IS NOT NULL",
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A line added to a done move (an unlocked transfer) moves stock at once.
        lines.filtered(lambda line: line.state == "done").lot_id._refresh_serial_facts()
        return lines

    def write(self, vals):
        if STOCK_FACT_FIELDS.isdisjoint(vals):
            return super().write(vals)
        done = self.filtered(lambda line: line.state == "done")
        if not done:
            # Lines not done yet (Odoo giving each line of a receipt its new
            # serial, one write per line) move no stock.
            return super().write(vals)
        lots = done.lot_id
        result = super().write(vals)
        # Serial Number Enquiry: an edited done line moves its serials again.
        (lots | done.lot_id)._refresh_serial_facts()
        return result

    @api.onchange("lot_id")
    def _onchange_lot_id_serial_location(self):
        """A batch serial picked on a transfer is taken where it is in stock.

        The picker offers the serials in stock under the move's source location
        (its children included); the line then takes from the child location
        holding the serial, as Odoo already does for unique serials.
        """
        if (
            not self.lot_id
            or self.product_id.tracking != "lot"
            or self.picking_code not in ("internal", "outgoing")
        ):
            return
        root = (
            self.move_id.location_id or self.picking_id.location_id or self.location_id
        )
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", self.lot_id.id),
                ("location_id", "child_of", root.id),
                ("quantity", ">", 0),
            ]
        )
        if quants and self.location_id not in quants.location_id:
            self.location_id = max(quants, key=lambda quant: quant.quantity).location_id

    def _record_serial_entry(self):
        """Find where the serials of these done lines first appeared.

        A serial met for the first time here gets an entry origin, returned
        as {serial id: origin} for the facts refresh that follows the moves
        to write with the rest of the serial's facts (StockMove._action_done:
        one write of each facts row, not two). When that first movement takes
        it out of an internal location (it left stock without ever having
        been received), it is flagged for investigation here and the stock
        managers get a to-do. Batched: a fixed number of queries whatever the
        number of serials.
        """
        Facts = self.env["stock.serial.facts"].sudo()
        unknown = Facts._get_lot_ids_without_entry_origin(self.lot_id.ids)
        lines = self.filtered(lambda line: line.lot_id.id in unknown)
        if not lines:
            return {}
        lots = lines.lot_id
        # sudo: moves of other warehouses count as history; only lots come back.
        earlier = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("id", "not in", self.ids),
                ],
                ["lot_id"],
            )
        )
        seen = {lot for (lot,) in earlier}
        firsts = {}
        for line in lines.sorted(lambda line: (line.date, line.id)):
            if line.lot_id not in seen:
                firsts.setdefault(line.lot_id, line)
        if not firsts:
            return {}
        origins = self.browse(
            [line.id for line in firsts.values()]
        )._get_serial_entry_origins()
        # A flow of another module may name its own origin with the context
        # key serial_entry_origin, where its moves carry no serial_operation.
        forced = self.env.context.get("serial_entry_origin")
        entry_origins = {}
        outgoing_firsts = []
        for lot, line in firsts.items():
            origin, flagged = origins[line.id]
            entry_origins[lot.id] = forced if forced in dict(ENTRY_ORIGINS) else origin
            if flagged:
                outgoing_firsts.append(line.id)
        if outgoing_firsts:
            flagged_lines = self.browse(outgoing_firsts)
            # Raised through the serial, for its tracked change in the chatter
            # (rare: a serial that was never received). sudo: the flag is
            # bookkeeping of the movement the caller just made (an invoicing
            # user may post a delivery without rights on serials).
            flagged_lines.lot_id.sudo().write({"to_investigate": True})
            flagged_lines._schedule_serial_investigation()
        return entry_origins

    def _get_serial_document_name(self):
        """The document users know this line by."""
        self.ensure_one()
        invoices = self.picking_id.sudo().serial_invoice_ids
        if invoices:
            return ", ".join(invoices.mapped("name"))
        if self.move_id.scrap_id:
            return self.move_id.scrap_id.name
        return self.picking_id.name or self.move_id.reference or self.reference

    def _schedule_serial_investigation(self):
        """A to-do for each stock manager of the company, per flagged serial."""
        if not self:
            return
        # sudo: group membership and activities of the stock managers are not
        # readable by every user moving stock; the activities only describe the
        # movement just made.
        managers = (
            self.env.ref("stock.group_stock_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("stock.lot")
        today = fields.Date.context_today(self)
        vals_list = []
        for line in self:
            company = line.lot_id.company_id or line.company_id
            note = self.env._(
                "Serial %(serial)s of %(product)s left %(location)s on %(document)s "
                "without ever having been received. Find out where it came from; if "
                "it really was in stock, record a retrospective receipt.",
                serial=line.lot_id.name,
                product=line.product_id.display_name,
                location=line.location_id.display_name,
                document=line._get_serial_document_name(),
            )
            vals_list += [
                {
                    "res_model_id": model_id,
                    "res_id": line.lot_id.id,
                    "activity_type_id": todo.id,
                    "summary": self.env._(
                        "Serial %(serial)s to investigate", serial=line.lot_id.name
                    ),
                    "note": Markup("<p>%s</p>") % note,
                    "user_id": user.id,
                    "date_deadline": today,
                    "automated": True,
                }
                for user in managers
                if company in user.company_ids
            ]
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
