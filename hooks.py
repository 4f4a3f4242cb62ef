# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo.tools import SQL

from .models.stock_lot import UNIQUE_SERIAL_INDEX
from .models.stock_lot_facts import FACTS_BATCH_SIZE
from .models.stock_lot_search import SERIAL_NAME_INDEX
from .models.stock_move_line import DONE_LOT_LINES_INDEX

_logger = logging.getLogger(__name__)

# System parameter: serials per batch when the installation computes the
# facts of existing serials (a smaller batch uses less memory per query).
FACTS_BATCH_SIZE_PARAM = "product_serial_tracking.facts_batch_size"
# The indexes init() creates by hand on Odoo's tables. Odoo drops the addon's
# columns, tables (the facts' indexes with them) and SQL view at
# uninstallation, but not indexes on columns it keeps.
MANUAL_INDEXES = (
    UNIQUE_SERIAL_INDEX,
    SERIAL_NAME_INDEX,
    DONE_LOT_LINES_INDEX,
)
# Stock the addon's demo data received: kept when the addon goes. Odoo would
# delete the done transfers (it deletes every record of a module's data) but
# not the products and serials they received, whose stock stays: quants
# without any history.
KEPT_DATA_MODELS = (
    "product.category",
    "product.template",
    "product.product",
    "stock.lot",
    "stock.picking",
    "stock.move",
    "stock.move.line",
)


def post_init_hook(env):
    """Fill the enquiry facts of the serials that exist before installation.

    Batch by batch (one UPDATE each), so that a database with a million
    serials is ready for the Serial Numbers list right after installation.
    """
    env["stock.lot"]._refresh_all_serial_facts(batch_size=_facts_batch_size(env))
    # The facts table was just filled: without statistics PostgreSQL would
    # plan the first enquiries as if it were empty until autovacuum passes.
    env.cr.execute(SQL("ANALYZE stock_serial_facts"))


def uninstall_hook(env):
    """Leave Odoo's tables as they were before the installation.

    Without this, the unique serial index would go on refusing serials that
    Odoo allows (the same serial in two companies), and the other indexes
    would slow down Odoo's writes for nothing. The stock documents of the
    demo data, and what they received, become ordinary records.
    """
    for index in MANUAL_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
        _logger.info("Dropped index %s", index)
    env.cr.execute(
        SQL(
            "DELETE FROM ir_model_data WHERE module = %s AND model IN %s",
            "product_serial_tracking",
            KEPT_DATA_MODELS,
        )
    )


def _facts_batch_size(env):
    value = env["ir.config_parameter"].sudo().get_param(FACTS_BATCH_SIZE_PARAM)
    try:
        batch_size = int(value or FACTS_BATCH_SIZE)
    except ValueError:
        batch_size = FACTS_BATCH_SIZE
    if batch_size <= 0:
        batch_size = FACTS_BATCH_SIZE
    return batch_size
