# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the tests of the apps beside the addon share (Point of Sale,
dropshipping, Manufacturing, Repairs).

Their classes are tagged ("post_install", "-at_install", "-standard",
"serial_apps"): the main test run, on a database without those apps, imports
their modules but runs none of them; the apps phase of ``make test`` installs
the apps and runs ``--test-tags serial_apps``. So nothing here, nor in those
modules, imports an app's own Python code: their records are made with the
plain ORM, inside the tests.
"""


class SerialAppsMixin:
    """Read serials as the enquiry shows them after another app moved them."""

    def _fresh(self, lot):
        """The serial with its facts and history read anew from the database
        (the facts are written in SQL by the moves)."""
        self.env.flush_all()
        self.env.invalidate_all()
        return lot

    def _events(self, lot):
        """The serial's history: [(kind, reference)], oldest first."""
        return [(event.kind, event.reference) for event in self._fresh(lot).history_ids]

    def _last_event(self, lot):
        return self._fresh(lot).history_ids[-1:]

    def _outgoing_pickings(self, lot):
        """The done transfers of the serial's outgoing operations."""
        lines = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("state", "=", "done")]
        )
        return lines.picking_id.filtered(
            lambda picking: picking.picking_type_id.code == "outgoing"
        )
