# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Fill the enquiry facts of the serials that exist before installation.

    Batch by batch (one UPDATE each), so that a database with a million
    serials is ready for the Serial Numbers list right after installation.
    """
    env["stock.lot"]._refresh_all_serial_facts()
