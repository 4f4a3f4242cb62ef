# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Set only by a stock manager's action (or by the system, as superuser).
BOOKKEEPING_FIELDS = frozenset(
    {
        "to_investigate",
        "entry_origin",
        "corrected_from_id",
        "corrected_to_id",
        "correction_reason",
    }
)


class StockLot(models.Model):
    """Serials that left stock without ever having been received.

    Such a serial is flagged when its first movement takes it out of stock
    (stock.move.line's _record_serial_entry); a stock manager finds out where
    it came from and records a retrospective receipt, which clears the flag.
    """

    _inherit = "stock.lot"

    # Added on transaction: a serial typed in a picker (invoice, transfer,
    # write-off) that left stock without ever having been received.
    # Both are facts of the serial (stock.serial.facts): noting them at a
    # serial's first move does not rewrite the serial's row.
    to_investigate = fields.Boolean(
        related="serial_facts_id.to_investigate",
        readonly=False,
        tracking=True,
        help="This serial left stock without ever having been received (it was "
        "typed in on a sale, transfer or write-off). Find out where it came from; "
        "a retrospective receipt puts the stock right and clears the flag.",
    )
    entry_origin = fields.Selection(
        related="serial_facts_id.entry_origin",
        help="The kind of document of this serial's first stock movement.",
    )

    def write(self, vals):
        self._check_bookkeeping_write(vals)
        if "to_investigate" in vals:
            # The flag is written on the facts row: it must exist.
            self.env["stock.serial.facts"]._insert_missing_rows(self._origin.ids)
        return super().write(vals)

    def action_retrospective_receipt(self):
        """Open the retrospective receipt of this serial (stock managers)."""
        self.ensure_one()
        Receipt = self.env["stock.lot.retrospective.receipt"]
        Receipt._check_retrospective_receipt_rights()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retrospective Receipt of %(serial)s", serial=self.name),
            "res_model": "stock.lot.retrospective.receipt",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lot_id": self.id},
        }

    def _get_first_departures(self):
        """{lot: done move line} that first took each serial of self out of an
        internal location: a retrospective receipt is dated before it."""
        return self._get_first_done_lines(
            [("location_id.usage", "=", "internal")], "date, id"
        )

    def _resolve_investigation(self, feedback):
        """Clear the flag and mark the investigation activities done."""
        Receipt = self.env["stock.lot.retrospective.receipt"]
        Receipt._check_retrospective_receipt_rights()
        self.write({"to_investigate": False})
        todo = self.env.ref("mail.mail_activity_data_todo")
        # sudo: the activities are assigned to every stock manager, and the
        # manager resolving the serial closes them all (checked above).
        activities = self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == todo and activity.automated
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    @api.model
    def _check_bookkeeping_write(self, vals):
        """Refuse a direct write of what only a stock manager's action sets.

        The investigation flag is cleared by a retrospective receipt, the
        correction links are set by Correct Serial Number (both stock manager
        only); written directly over RPC they would skip those checks.
        """
        written = BOOKKEEPING_FIELDS.intersection(vals)
        if not written:
            return
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "stock.group_stock_manager",
            self.env._(
                "Only inventory administrators can change these fields of a serial "
                "number: %(fields)s. Use a retrospective receipt or Correct Serial "
                "Number instead.",
                fields=", ".join(
                    self._fields[name].get_description(self.env)["string"]
                    for name in sorted(written)
                ),
            ),
        )
