# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Same technical values as Odoo (integrations keep working), in the words
    # warehouse staff use.
    tracking = fields.Selection(
        selection_add=[
            ("serial", "Unique serial number"),
            ("lot", "Multiple quantity (batch) serial number"),
            ("none", "No serial number"),
        ],
        help="Unique serial number: one unit per serial (computers, TVs), often "
        "tied to a warranty.\n"
        "Multiple quantity (batch) serial number: one serial covers several units "
        "(a roll of carpet, a pallet of tiles).\n"
        "No serial number: stock is counted by quantity only.\n"
        "The mode can only be changed while the product has no stock.",
    )
    serial_warranty_months = fields.Integer(
        string="Warranty",
        help="Months of warranty from the delivery (or invoice) of each serial "
        "number to its customer. 0: no warranty.",
    )

    _sql_constraints = [
        (
            "serial_warranty_months_positive",
            "CHECK(serial_warranty_months >= 0)",
            "The warranty cannot be a negative number of months.",
        ),
    ]

    def write(self, vals):
        if "tracking" in vals:
            self._check_tracking_change_at_zero_stock(vals["tracking"])
        result = super().write(vals)
        if "serial_warranty_months" in vals:
            self.env["stock.lot"]._refresh_warranty_end_dates(self)
        return result

    def _check_tracking_change_at_zero_stock(self, new_tracking):
        """Refuse a tracking change while stock exists anywhere.

        Stock received without serials cannot be given serials afterwards (and
        serials cannot be dropped from stock that has them) without falsifying
        quantities, so the mode may only change at zero stock. Quants of every
        company count: a product shared between companies has one mode.
        """
        changing = self.filtered(lambda template: template.tracking != new_tracking)
        if not changing:
            return
        variants = changing.with_context(active_test=False).product_variant_ids
        # sudo: the check must see the stock of every company, not only the
        # caller's, and only product names, locations and totals are reported.
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", variants.ids),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", "!=", 0),
                ],
                ["product_id", "location_id"],
                ["quantity:sum"],
            )
        )
        lines = [
            self.env._(
                "- %(product)s: %(quantity)s in %(location)s",
                product=product.display_name,
                quantity=product.uom_id._format_serial_quantity(quantity),
                location=location.display_name,
            )
            for product, location, quantity in groups
            if not float_is_zero(quantity, precision_rounding=product.uom_id.rounding)
        ]
        if lines:
            raise UserError(
                self.env._(
                    "The serial number mode can only be changed when the product has "
                    "no stock. Move, deliver or write off this stock first:\n%(lines)s",
                    lines="\n".join(lines),
                )
            )
