# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class StockLot(models.Model):
    """The serial pickers of invoice lines, transfers and write-offs: each
    serial shown with its quantity where it is picked, and its expiry."""

    _inherit = "stock.lot"

    # Odoo's colour index of a serial's tag on invoice lines: red once expired.
    serial_tag_color = fields.Integer(compute="_compute_serial_tag_color")
    # The pickers' condition: ('held_location_ids', 'child_of', locations).
    held_location_ids = fields.Many2many(
        "stock.location",
        string="Held In",
        compute="_compute_held_location_ids",
        search="_search_held_location_ids",
        help="The locations where the serial has stock.",
    )

    @api.depends("quant_ids.quantity", "quant_ids.location_id")
    def _compute_held_location_ids(self):
        for lot in self:
            quants = lot.quant_ids.filtered(lambda quant: quant.quantity > 0)
            lot.held_location_ids = quants.location_id

    def _search_held_location_ids(self, operator, value):
        """Serials with stock in these locations (in) or under them (child_of).

        Odoo stores on the serial its single location, where all its stock is
        (stock.lot.location_id): a serial held elsewhere is ruled out on its
        own row, and only the others have their quants read. A picker opened
        on a product whose first serials by name are long sold walks them
        without reading their quants.
        """
        if operator not in ("in", "child_of"):
            raise UserError(
                self.env._(
                    "Serials can be searched by where they are held only with "
                    "in or child_of, not %(operator)s.",
                    operator=operator,
                )
            )
        return [
            "|",
            ("location_id", "=", False),
            ("location_id", operator, value),
            (
                "quant_ids",
                "any",
                [("location_id", operator, value), ("quantity", ">", 0)],
            ),
        ]

    @api.depends("expiration_date")
    def _compute_serial_tag_color(self):
        now = fields.Datetime.now()
        for lot in self:
            expired = lot.expiration_date and lot.expiration_date <= now
            lot.serial_tag_color = 1 if expired else 0

    @api.depends("quant_ids.quantity", "expiration_date")
    @api.depends_context("serial_picker_location_id")
    def _compute_display_name(self):
        """In a serial picker: the serial, its quantity there and its expiry.

        Only under the context key serial_picker_location_id (a location id,
        or a list of them) set by the pickers' views; elsewhere the name stays.
        Picked from several places (the warehouses of an invoice's company),
        the label also says where the serial is.
        """
        location_ids = self._get_serial_picker_location_ids()
        if not location_ids:
            return super()._compute_display_name()
        stock = self._get_serial_picker_stock(location_ids)
        now = fields.Datetime.now()
        for lot in self:
            places = stock.get(lot._origin.id, {})
            quantity = lot.product_uom_id._format_serial_quantity(sum(places.values()))
            held = [place for place, held in places.items() if held > 0]
            if len(location_ids) > 1 and held:
                # One place: the warehouse's name; several: their short codes,
                # so that the label fits the picker (Odoo cuts it at 600 px).
                quantity = self.env._(
                    "%(quantity)s at %(places)s",
                    quantity=quantity,
                    places=held[0][1]
                    if len(held) == 1
                    else ", ".join(code for code, _name in held),
                )
            values = {"serial": lot.name, "quantity": quantity}
            if lot.expiration_date and lot.expiration_date <= now:
                lot.display_name = self.env._(
                    "%(serial)s (%(quantity)s, expired on %(date)s)",
                    date=format_date(self.env, lot.expiration_date),
                    **values,
                )
            elif lot.expiration_date:
                lot.display_name = self.env._(
                    "%(serial)s (%(quantity)s, expires %(date)s)",
                    date=format_date(self.env, lot.expiration_date),
                    **values,
                )
            else:
                lot.display_name = self.env._("%(serial)s (%(quantity)s)", **values)

    def _check_create(self):
        # A serial typed in a transfer's picker is added on the transaction,
        # even where the operation type doesn't create serials: it is flagged
        # for investigation when its stock leaves.
        if self._get_serial_picker_location_ids():
            return
        return super()._check_create()

    @api.model
    def _get_serial_picker_location_ids(self):
        value = self.env.context.get("serial_picker_location_id")
        if isinstance(value, list | tuple):
            return [
                item
                for item in value
                if isinstance(item, int) and not isinstance(item, bool)
            ]
        if isinstance(value, int) and not isinstance(value, bool) and value:
            return [value]
        return []

    def _get_serial_picker_stock(self, location_ids):
        """{lot id: {(code, name): quantity}} of self under the locations
        (children included), by warehouse (its code and name), or by location
        outside any warehouse."""
        lot_ids = [lot_id for lot_id in self._origin.ids if lot_id]
        if not lot_ids:
            return {}
        groups = self.env["stock.quant"]._read_group(
            [("lot_id", "in", lot_ids), ("location_id", "child_of", location_ids)],
            ["lot_id", "location_id"],
            ["quantity:sum"],
        )
        stock = {}
        for lot, location, quantity in groups:
            warehouse = location.warehouse_id
            place = (
                (warehouse.code, warehouse.name)
                if warehouse
                else (location.display_name, location.display_name)
            )
            places = stock.setdefault(lot.id, {})
            places[place] = places.get(place, 0.0) + quantity
        return stock
