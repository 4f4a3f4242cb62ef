# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from ..models.stock_move import SERIAL_OPERATION_CONTEXT_KEY

# The dates product_expiry keeps on a serial; a corrected serial keeps them.
EXPIRY_DATE_FIELDS = ("expiration_date", "use_date", "removal_date", "alert_date")


class StockLotCorrection(models.TransientModel):
    """Correct Serial Number: write the wrong serial off, receive the right one.

    A wrong serial (digits transposed, wrong number typed) is never renamed:
    its stock is written off and the same quantity is received under the
    right serial, in the same places, so quantities stay right and both
    serials' histories show what happened.
    """

    _name = "stock.lot.correction"
    _inherit = "stock.serial.guard.mixin"
    _description = "Correct Serial Number"
    _serial_guard_client_ids = True

    lot_id = fields.Many2one(
        "stock.lot",
        string="Wrong Serial Number",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(related="lot_id.product_id")
    product_qty = fields.Float(related="lot_id.product_qty")
    product_uom_id = fields.Many2one(related="lot_id.product_uom_id")
    use_expiration_date = fields.Boolean(related="lot_id.use_expiration_date")
    expiration_date = fields.Datetime(
        related="lot_id.expiration_date", string="Current Expiration Date"
    )
    # Required in the view; action_apply() refuses an empty one with a message.
    new_name = fields.Char(
        string="Right Serial Number",
        help="The serial number as it should have been received. An existing "
        "serial of this name without stock is reused.",
    )
    reason = fields.Text(
        required=True, help="Why the serial is wrong; kept in both serials' history."
    )
    new_expiration_date = fields.Datetime(
        help="Leave empty to keep the wrong serial's dates. When set, the other "
        "dates (best before, removal, alert) move by the same amount.",
    )

    def action_apply(self):
        """Write the wrong serial off and receive the right one, atomically.

        :return: a notification confirming the correction, then the right
            serial's enquiry.
        """
        self.ensure_one()
        self._check_correction_rights()
        # The wizard's own default_lot_id must not leak into the records made
        # here: the context is replaced, on purpose, by one without defaults.
        # Its stock moves are marked as a correction: the serials' history and
        # entry origin name them so, not as a write-off and an adjustment.
        # pylint: disable=context-overridden
        wizard = self.with_context(
            clean_context(self.env.context),
            **{SERIAL_OPERATION_CONTEXT_KEY: "correction"},
        )
        # A savepoint: whoever calls this, a failure leaves nothing half done.
        with wizard.env.cr.savepoint():
            new_lot = wizard._apply_correction()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Serial number corrected"),
                "message": self.env._(
                    "%(wrong)s was written off and its stock received again as "
                    "%(right)s.",
                    wrong=self.lot_id.name,
                    right=new_lot.name,
                ),
                "sticky": False,
                "next": new_lot.action_serial_enquiry(),
            },
        }

    @api.model
    def _check_correction_rights(self):
        self._check_serial_role(
            "stock.group_stock_manager",
            self.env._(
                "Only inventory administrators can correct serial numbers. "
                "Ask one of them to do it."
            ),
        )

    def _apply_correction(self):
        self.ensure_one()
        new_name = self._get_checked_new_name()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the correction."))
        lot = self.lot_id
        lot._lock_serials_for_stock_change()
        places = lot._get_places_or_refuse(self.env._("correct"))
        new_lot = self._get_new_lot(new_name)
        scraps = self._correction_write_off(places, new_lot)
        self._correction_receive(new_lot, scraps)
        lot._link_correction(new_lot, self.reason.strip())
        self._post_correction_messages(new_lot, scraps)
        return new_lot

    def _get_checked_new_name(self):
        """The right serial's name, cleaned; refuse an empty or unchanged one."""
        new_name = (self.new_name or "").strip()
        if not new_name:
            raise UserError(self.env._("Type the right serial number."))
        new_name = self.env["stock.lot"]._clean_serial_name(new_name)
        if new_name == self.lot_id.name:
            raise UserError(
                self.env._(
                    "The right serial number %(serial)s is the same as the wrong one.",
                    serial=new_name,
                )
            )
        return new_name

    def _get_new_lot(self, new_name):
        """The right serial: an existing one without stock, or a new one.

        It takes the wrong serial's expiry dates (shifted to the new expiry
        date when one is given), and its reference and notes when it has some.
        """
        lot = self.lot_id
        values = self._prepare_new_lot_values()
        domain = [("product_id", "=", lot.product_id.id), ("name", "=", new_name)]
        if lot.company_id:
            # A serial without company is shared by all companies.
            domain.append(("company_id", "in", [lot.company_id.id, False]))
        matches = self.env["stock.lot"].search(domain)
        existing = (
            matches.filtered(lambda match: match.company_id == lot.company_id)[:1]
            or matches[:1]
        )
        if not existing:
            return self.env["stock.lot"].create(
                dict(
                    values,
                    name=new_name,
                    product_id=lot.product_id.id,
                    company_id=lot.company_id.id,
                )
            )
        places = existing._get_internal_stock().get(existing)
        if places:
            raise UserError(
                self.env._(
                    "Serial %(serial)s of %(product)s is already in stock at "
                    "%(locations)s: it cannot be received again. Check the right "
                    "serial number, or correct that serial first.",
                    serial=existing.name,
                    product=existing.product_id.display_name,
                    locations=", ".join(
                        location.display_name for location, _p, _o, _q in places
                    ),
                )
            )
        existing.write(values)
        return existing

    def _prepare_new_lot_values(self):
        """Values the right serial takes from the wrong one (extension point)."""
        lot = self.lot_id
        values = {name: lot[name] for name in EXPIRY_DATE_FIELDS}
        if self.new_expiration_date:
            if lot.expiration_date:
                shift = self.new_expiration_date - lot.expiration_date
                values = {name: date and date + shift for name, date in values.items()}
            else:
                # No dates to shift: product_expiry computes them from the product.
                values = {}
            values["expiration_date"] = self.new_expiration_date
        for name in ("ref", "note"):
            if lot[name]:
                values[name] = lot[name]
        return values

    def _correction_write_off(self, places, new_lot):
        """Validated write-offs of the wrong serial, one per place it is in."""
        lot = self.lot_id
        origin = self._get_correction_origin(new_lot)
        scraps = self.env["stock.scrap"].create(
            [
                {
                    "company_id": (location.company_id or lot.company_id).id,
                    "origin": origin,
                    "product_id": lot.product_id.id,
                    "product_uom_id": lot.product_id.uom_id.id,
                    "lot_id": lot.id,
                    "location_id": location.id,
                    "package_id": package.id,
                    "owner_id": owner.id,
                    "scrap_qty": quantity,
                }
                for location, package, owner, quantity in places
            ]
        )
        scraps.do_scrap()
        for scrap in scraps:
            scrap.message_post(
                body=self.env._(
                    "Serial number correction by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=self.reason,
                )
            )
        return scraps

    def _correction_receive(self, new_lot, scraps):
        """Validated receipts of the right serial: what each write-off took out.

        Done as stock moves from the inventory adjustment location, not as a
        receipt transfer: nothing is bought, and the receipt's checks are for
        goods arriving from a vendor. The right serial is not in stock (checked
        before), so no unique serial is doubled.
        """
        moves = self.env["stock.move"].create(
            [self._prepare_correction_move_values(new_lot, scrap) for scrap in scraps]
        )
        moves._action_done()
        return moves

    def _prepare_correction_move_values(self, new_lot, scrap):
        product = new_lot.product_id
        source = product.with_company(scrap.company_id).property_stock_inventory
        origin = self._get_correction_origin(new_lot)
        return {
            "name": origin,
            "origin": origin,
            "company_id": scrap.company_id.id,
            "product_id": product.id,
            "product_uom": scrap.product_uom_id.id,
            "product_uom_qty": scrap.scrap_qty,
            "location_id": source.id,
            "location_dest_id": scrap.location_id.id,
            "price_unit": self._get_correction_price_unit(scrap),
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "company_id": scrap.company_id.id,
                        "product_id": product.id,
                        "product_uom_id": scrap.product_uom_id.id,
                        "quantity": scrap.scrap_qty,
                        "lot_id": new_lot.id,
                        "location_id": source.id,
                        "location_dest_id": scrap.location_id.id,
                        "result_package_id": scrap.package_id.id,
                        "owner_id": scrap.owner_id.id,
                    }
                )
            ],
        }

    def _get_correction_price_unit(self, scrap):
        """The unit value the write-off took out, so the stock value is unchanged.

        Without it the receipt would be valued at the product's cost, which
        differs from the written-off units' value under FIFO.
        """
        # sudo: a stock manager may not read valuation layers (accounting);
        # only the unit value of the units just written off is used.
        layers = scrap.move_ids.sudo().stock_valuation_layer_ids
        quantity = -sum(layers.mapped("quantity"))
        if not quantity:
            return 0.0
        return -sum(layers.mapped("value")) / quantity

    def _get_correction_origin(self, new_lot):
        return self.env._(
            "Serial correction %(wrong)s → %(right)s",
            wrong=self.lot_id.name,
            right=new_lot.name,
        )

    def _post_correction_messages(self, new_lot, scraps):
        lot = self.lot_id
        values = {
            "user": self.env.user.name,
            "write_offs": ", ".join(scraps.mapped("name")),
            "reason": self.reason,
        }
        lot.message_post(
            body=self.env._(
                "Corrected to serial %(serial)s by %(user)s: written off "
                "(%(write_offs)s) and received again as %(serial)s. Reason: %(reason)s",
                serial=new_lot._get_html_link(title=new_lot.name),
                **values,
            )
        )
        new_lot.message_post(
            body=self.env._(
                "Received as the correction of serial %(serial)s by %(user)s "
                "(%(serial)s written off: %(write_offs)s). Reason: %(reason)s",
                serial=lot._get_html_link(title=lot.name),
                **values,
            )
        )
