# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Move the serial facts out of stock_lot into stock_serial_facts.

Up to 18.0.1, the facts were columns of stock_lot, so that every move
rewrote the serial's row and every index of stock_lot grew with it. They are
copied into their own rows (nothing is recomputed: the investigation flags
and entry origins set by hand stay as they were), then the old columns and
their indexes are dropped.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

OLD_COLUMNS = (
    "serial_state",
    "current_location_id",
    "customer_id",
    "last_move_date",
    "warranty_start_date",
    "warranty_end_date",
    "entry_origin",
    "to_investigate",
)
OLD_INDEXES = (
    "stock_lot_serial_tracking_last_move_index",
    "stock_lot_serial_tracking_state_last_move_index",
)


def migrate(cr, version):
    if not all(column_exists(cr, "stock_lot", column) for column in OLD_COLUMNS):
        return
    cr.execute(
        SQL(
            """
            INSERT INTO stock_serial_facts AS facts
                   (id, lot_id, serial_state, current_location_id, customer_id,
                    last_move_date, warranty_start_date, warranty_end_date,
                    entry_origin, to_investigate)
            SELECT id, id, COALESCE(serial_state, 'not_in_stock'),
                   current_location_id, customer_id, last_move_date,
                   warranty_start_date, warranty_end_date, entry_origin,
                   COALESCE(to_investigate, FALSE)
              FROM stock_lot
            ON CONFLICT (id) DO UPDATE
               SET serial_state = EXCLUDED.serial_state,
                   current_location_id = EXCLUDED.current_location_id,
                   customer_id = EXCLUDED.customer_id,
                   last_move_date = EXCLUDED.last_move_date,
                   warranty_start_date = EXCLUDED.warranty_start_date,
                   warranty_end_date = EXCLUDED.warranty_end_date,
                   entry_origin = EXCLUDED.entry_origin,
                   to_investigate = EXCLUDED.to_investigate
            """
        )
    )
    _logger.info("Serial facts of %s serials moved to stock_serial_facts", cr.rowcount)
    for index in OLD_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    cr.execute(
        SQL(
            "ALTER TABLE stock_lot %s",
            SQL(", ").join(
                SQL("DROP COLUMN %s", SQL.identifier(column)) for column in OLD_COLUMNS
            ),
        )
    )
