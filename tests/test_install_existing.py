# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math

from odoo.tests import tagged
from odoo.tools import SQL

from ..hooks import FACTS_BATCH_SIZE_PARAM, post_init_hook
from ..models.stock_lot_facts import FACTS_BATCH_SIZE, SERIAL_FACT_FIELDS
from .common import SerialTrackingCase

FACTS_LOGGER = "odoo.addons.product_serial_tracking.models.stock_lot_facts"
# Every stored field the installation fills for existing serials.
FILLED_FIELDS = [*SERIAL_FACT_FIELDS, "entry_origin", "to_investigate"]


@tagged("post_install", "-at_install")
class TestInstallOnExistingSerials(SerialTrackingCase):
    """The installation on serials Odoo moved before the addon was there.

    tools/live_data_check.py (run by `make test`) installs the addon on such
    a database for real; these tests pin the hook's rules.
    """

    def setUp(self):
        super().setUp()
        self.laptop.product_tmpl_id.serial_warranty_months = 24
        self._receive(self.laptop, [(f"EX-{index}", 1) for index in range(1, 5)])
        self.delivered, self.moved, self.scrapped, self.kept = (
            self._lot(f"EX-{index}", self.laptop) for index in range(1, 5)
        )
        self.never_moved = self._create_lot(self.laptop, "EX-NEVER")
        # Delivered without ever having been received: flagged.
        self.unreceived = self._create_lot(self.laptop, "EX-UNRECEIVED")
        self.lots = (
            self.delivered
            | self.moved
            | self.scrapped
            | self.kept
            | self.never_moved
            | self.unreceived
        )
        self._deliver(self.laptop, [(self.delivered, 1), (self.unreceived, 1)])
        self._picking(
            self.warehouse.int_type_id,
            self.laptop,
            self.stock_location,
            self.shelf,
            [(self.moved, 1)],
        )
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": self.scrapped.id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()

    def _run_hook(self):
        """The installation's hook; its log lines."""
        # Odoo names its level 25 "INFO": the number, not the name.
        with self.assertLogs(FACTS_LOGGER, logging.INFO) as logs:
            post_init_hook(self.env)
        return logs.output

    def _facts(self):
        self.env.invalidate_all()
        return {
            lot.name: {name: lot[name] for name in FILLED_FIELDS} for lot in self.lots
        }

    def _forget_facts(self):
        """Put the serials back as they were before the addon was installed:
        without facts rows."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("DELETE FROM stock_serial_facts WHERE id = ANY(%s)", self.lots.ids)
        )
        self.env.invalidate_all()

    def test_hook_fills_the_facts_of_existing_serials(self):
        """The hook gives existing serials what the addon would have given."""
        expected = self._facts()
        self.assertEqual(
            {name: facts["serial_state"] for name, facts in expected.items()},
            {
                "EX-1": "delivered",
                "EX-2": "in_stock",
                "EX-3": "written_off",
                "EX-4": "in_stock",
                "EX-NEVER": "not_in_stock",
                "EX-UNRECEIVED": "delivered",
            },
        )
        self._forget_facts()
        self.assertFalse(self.delivered.customer_id)

        self._run_hook()

        self.assertEqual(self._facts(), expected)
        self.assertEqual(self.delivered.customer_id, self.partner)
        self.assertEqual(self.moved.current_location_id, self.shelf)
        self.assertTrue(self.delivered.warranty_end_date)
        self.assertEqual(self.delivered.entry_origin, "receipt")
        self.assertFalse(self.delivered.to_investigate)
        self.assertTrue(self.unreceived.to_investigate)
        self.assertEqual(self.unreceived.entry_origin, "transfer")
        self.assertFalse(self.never_moved.entry_origin)

    def test_hook_batch_size_from_system_parameter(self):
        """Batches of the size set in the system parameter, logged one by one."""
        self.env["ir.config_parameter"].set_param(FACTS_BATCH_SIZE_PARAM, "2")
        expected = self._facts()
        self._forget_facts()
        total = self.env["stock.lot"].search_count([])
        batches = math.ceil(total / 2)

        output = self._run_hook()

        self.assertEqual(self._facts(), expected)
        done = [line for line in output if "Serial facts: batch" in line]
        self.assertEqual(len(done), batches)
        self.assertIn(f"batch {batches}/{batches} done", done[-1])
        self.assertIn(
            f"Serial facts of {total} serials computed in {batches} batches of at "
            "most 2",
            output[-1],
        )

    def test_hook_ignores_a_wrong_batch_size(self):
        """A batch size that is not a positive number: the default one."""
        for value in ("many", "-5", "0"):
            self.env["ir.config_parameter"].set_param(FACTS_BATCH_SIZE_PARAM, value)
            output = self._run_hook()
            self.assertIn(f"batches of at most {FACTS_BATCH_SIZE} ", output[-1])

    def test_hook_keeps_entry_origins_already_known(self):
        """Serials the addon already saw keep their origin and their flag."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_serial_facts SET entry_origin = 'correction', "
                "to_investigate = FALSE WHERE id = %s",
                self.unreceived.id,
            )
        )
        self.env.invalidate_all()

        self._run_hook()

        self.assertEqual(self.unreceived.entry_origin, "correction")
        self.assertFalse(self.unreceived.to_investigate)
