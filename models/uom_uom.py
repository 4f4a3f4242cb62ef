# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import formatLang
from odoo.tools.misc import get_lang


class UomUom(models.Model):
    _inherit = "uom.uom"

    def _format_serial_quantity(self, quantity):
        """`quantity` of this unit as people write it: "4 Units", "24.5 m"."""
        if not self:
            return self._format_serial_number(quantity)
        self.ensure_one()
        return self.env._(
            "%(quantity)s %(unit)s",
            quantity=self._format_serial_number(quantity),
            unit=self.name,
        )

    def _format_serial_number(self, quantity):
        """The number alone, as people write it: "4", "24.5", never "4.0".

        No trailing zeros, in the user's language, to the precision of
        Product Unit of Measure (so that half a unit still reads 0.5).
        """
        text = formatLang(self.env, quantity, dp="Product Unit of Measure")
        decimal_point = get_lang(self.env).decimal_point
        if decimal_point in text:
            text = text.rstrip("0").rstrip(decimal_point)
        return text
