# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StockLot(models.Model):
    """Where a serial's stock goes: write-off, correction, and the lock that
    makes two users changing the same serial's stock take turns."""

    _inherit = "stock.lot"

    # Serial correction: the wrong serial is written off and its stock received
    # again under the right one; these link the two.
    corrected_from_id = fields.Many2one(
        "stock.lot",
        string="Correction Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The wrong serial number this one replaced (Correct Serial Number).",
    )
    corrected_to_id = fields.Many2one(
        "stock.lot",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The right serial number that replaced this one (Correct Serial "
        "Number): this serial was written off and its stock received under it.",
    )
    correction_reason = fields.Text(
        readonly=True,
        copy=False,
        help="Why this serial was wrong, as given when it was corrected.",
    )
    corrected_from_reason = fields.Text(
        related="corrected_from_id.correction_reason",
        string="Reason of the Correction",
        help="Why the serial this one replaced was wrong.",
    )

    def action_correct_serial(self):
        """Open Correct Serial Number for this serial (stock managers only)."""
        self.ensure_one()
        self.env["stock.lot.correction"]._check_correction_rights()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct Serial Number"),
            "res_model": "stock.lot.correction",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lot_id": self.id},
        }

    def action_write_off(self):
        """Open a write-off (stock.scrap) of this serial's stock, prefilled.

        Where the serial is in stock in several places (locations, packages,
        owners), the user chooses the place first: one write-off per place.
        """
        self.ensure_one()
        self.env["stock.serial.guard.mixin"]._check_serial_role(
            "stock.group_stock_user",
            self.env._(
                "Only inventory users can write off serial numbers. Ask one of "
                "them to do it."
            ),
        )
        self.check_access("read")
        places = self._get_places_or_refuse(self.env._("write off"))
        if len(places) == 1:
            return self._get_write_off_action(*places[0])
        wizard = self.env["stock.lot.write.off"].create(
            {
                "lot_id": self.id,
                "line_ids": [
                    Command.create(
                        {
                            "location_id": location.id,
                            "package_id": package.id,
                            "owner_id": owner.id,
                            "quantity": quantity,
                        }
                    )
                    for location, package, owner, quantity in places
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off %(serial)s", serial=self.name),
            "res_model": "stock.lot.write.off",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _link_correction(self, new_lot, reason):
        """Link this wrong serial to the right one that replaced it, with the
        reason given (Correct Serial Number)."""
        self.ensure_one()
        self.write({"corrected_to_id": new_lot.id, "correction_reason": reason})
        new_lot.corrected_from_id = self

    def _lock_serials_for_stock_change(self):
        """Make a concurrent stock change of these serials wait its turn.

        Selling, correcting, writing off or taking back a serial reads its
        stock, then moves it. Two users doing so at the same moment would both
        see it in stock (Odoo's quant update skips locked quants and makes a
        negative one). The serials' facts rows are locked first, in id order
        (no deadlock), and touched by an empty update: the second transaction
        waits, and once the first commits PostgreSQL makes it start again
        (serialization failure, retried by the RPC layer) even when the first
        changed nothing else on the serial, so that it sees the serial gone and
        gets the usual message.
        """
        ids = sorted({lot_id for lot_id in self.ids if isinstance(lot_id, int)})
        if ids:
            # The serials' facts rows carry the lock: touching them rewrites
            # no serial's row (stock_lot and its indexes do not grow).
            Facts = self.env["stock.serial.facts"]
            Facts._insert_missing_rows(ids)
            Facts.flush_model()
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_serial_facts SET lot_id = lot_id WHERE id IN "
                    "(SELECT id FROM stock_serial_facts WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE)",
                    ids,
                )
            )

    def _get_places_or_refuse(self, action):
        """Where this serial is in stock (see _get_internal_stock); refused,
        saying where it went, when it is nowhere in stock.

        :param action: what the caller would do, in words ("write off").
        """
        self.ensure_one()
        places = self._get_internal_stock().get(self)
        if not places:
            raise UserError(
                self.env._(
                    "Serial %(serial)s (%(product)s) is not in stock, so there is "
                    "nothing to %(action)s: %(whereabouts)s.",
                    serial=self.name,
                    product=self.product_id.display_name,
                    action=action,
                    whereabouts=self._get_whereabouts(),
                )
            )
        return places

    def _get_internal_stock(self):
        """Where the serials of self are in stock.

        :return: {lot: [(location, package, owner, quantity)]}, one entry per
            internal location, package and owner holding a positive quantity
            (a write-off takes from exactly one of them).
        """
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", self.ids),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ],
            ["lot_id", "location_id", "package_id", "owner_id"],
            ["quantity:sum"],
        )
        stock = defaultdict(list)
        for lot, location, package, owner, quantity in groups:
            stock[lot].append((location, package, owner, quantity))
        return dict(stock)

    def _get_whereabouts(self):
        """Where a serial out of stock went, in words, from its last done move."""
        self.ensure_one()
        # A repair done where the product stands moved nothing.
        last_line = (
            self.env["stock.move.line"]
            .search(
                [("lot_id", "=", self.id), ("state", "=", "done")],
                order="date desc, id desc",
            )
            .filtered(lambda line: line.location_id != line.location_dest_id)[:1]
        )
        location = last_line.location_dest_id
        if not location:
            return self.env._("it has never been received")
        if location.usage == "production":
            return self.env._(
                "it was used in manufacturing (%(document)s)",
                document=last_line._get_serial_document_name(),
            )
        if location.usage == "customer":
            return self.env._(
                "it was delivered to a customer (%(location)s)",
                location=location.display_name,
            )
        if location.scrap_location:
            return self.env._(
                "it was written off (%(location)s)", location=location.display_name
            )
        if location.usage == "supplier":
            return self.env._(
                "it was returned to the vendor (%(location)s)",
                location=location.display_name,
            )
        if location.usage == "inventory":
            return self.env._(
                "it was removed by an inventory adjustment (%(location)s)",
                location=location.display_name,
            )
        return self.env._("it is at %(location)s", location=location.display_name)

    def _get_write_off_action(self, location, package, owner, quantity):
        """The action opening a new write-off of this serial, prefilled."""
        self.ensure_one()
        view = self.env.ref("stock.stock_scrap_form_view2")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off %(serial)s", serial=self.name),
            "res_model": "stock.scrap",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "product_ids": self.product_id.ids,
                "default_company_id": (location.company_id or self.company_id).id,
                "default_product_id": self.product_id.id,
                "default_product_uom_id": self.product_id.uom_id.id,
                "default_lot_id": self.id,
                "default_location_id": location.id,
                "default_package_id": package.id,
                "default_owner_id": owner.id,
                "default_scrap_qty": quantity,
                # stock.scrap.action_validate() confirms the write-off.
                "serial_write_off_notify": True,
            },
        }
