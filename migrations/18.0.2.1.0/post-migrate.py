# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read again the serials that the apps beside the addon moved.

Up to 18.0.2.0, a component consumed by a manufacturing order read "Not in
stock", a dropshipped serial was delivered to the vendor, and a repair done
where the product stands made a sold serial "Not in stock": their facts are
computed anew with the rules of 18.0.2.1 (stock.lot's
_refresh_serial_facts_of_other_apps). The history is an SQL view, made anew
by the upgrade itself.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["stock.lot"]._refresh_serial_facts_of_other_apps()
