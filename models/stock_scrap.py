# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class StockScrap(models.Model):
    _name = "stock.scrap"
    _inherit = ["stock.scrap", "stock.serial.guard.mixin"]
    # Never write off a serial of another company (see stock.move.line).
    _serial_guard_same_company = True

    @api.onchange("lot_id")
    def _onchange_lot_id_full_quantity(self):
        """Writing off a batch serial: all of it, where it is.

        The picker offers serials in stock under the source location; the
        write-off takes the child location holding the serial (the most of it)
        and defaults to the whole quantity there.
        """
        if not self.lot_id or self.product_id.tracking != "lot" or not self.location_id:
            return
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "=", self.lot_id.id),
                ("location_id", "child_of", self.location_id.id),
                ("quantity", ">", 0),
            ],
            ["location_id"],
            ["quantity:sum"],
        )
        if not groups:
            return
        quantities = dict(groups)
        location = (
            self.location_id
            if self.location_id in quantities
            else max(quantities, key=quantities.get)
        )
        self.location_id = location
        self.scrap_qty = self.product_id.uom_id._compute_quantity(
            quantities[location], self.product_uom_id or self.product_id.uom_id
        )

    def action_validate(self):
        """Write a serial off only where it is, one user at a time.

        Two users writing off the same serial at once would both see it in
        stock: the serial is locked first (see
        ``stock.lot._lock_serials_for_stock_change``). A serial that is not
        (or no longer) there is refused, where Odoo would offer to write off
        anyway and leave a negative serial quantity behind.
        """
        self.ensure_one()
        # A serial of another company, put there bypassing the check above.
        self._check_serials_company()
        if self.lot_id and self.product_id.is_storable:
            self.lot_id._lock_serials_for_stock_change()
            self._check_serial_available()
        result = super().action_validate()
        if result is True and self.env.context.get("serial_write_off_notify"):
            return self._get_serial_write_off_notification()
        return result

    def _check_serial_available(self):
        """Odoo's own availability check, turned into a refusal for serials."""
        if self.check_available_qty():
            return
        available = self.with_context(
            location=self.location_id.id,
            lot_id=self.lot_id.id,
            package_id=self.package_id.id,
            owner_id=self.owner_id.id,
            strict=True,
        ).product_id.qty_available
        wanted = self.product_uom_id._compute_quantity(
            self.scrap_qty, self.product_id.uom_id
        )
        raise UserError(
            self.env._(
                "Serial %(serial)s cannot be written off: %(location)s holds "
                "%(available)s of it, not %(wanted)s. Someone may "
                "have moved it meanwhile; open the serial again to see "
                "where it is.",
                serial=self.lot_id.name,
                location=self.location_id.display_name,
                available=self.product_id.uom_id._format_serial_quantity(available),
                wanted=self.product_id.uom_id._format_serial_number(wanted),
            )
        )

    def _get_serial_write_off_notification(self):
        """The notification confirming a write-off made from a serial (Write
        Off of the serial's enquiry), then closing the write-off's dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Serial number written off"),
                "message": self.env._(
                    "%(quantity)s of %(serial)s written off (%(write_off)s).",
                    quantity=self.product_uom_id._format_serial_quantity(
                        self.scrap_qty
                    ),
                    serial=self.lot_id.name,
                    write_off=self.name,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
