# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from unittest.mock import patch

import psycopg2.errors

import odoo
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.sql import index_exists

from .common import SerialTrackingCase, wait_until_blocked

INDEX = "stock_lot_unique_serial_per_product_company"


@tagged("post_install", "-at_install")
class TestSerialUniqueIndex(SerialTrackingCase):
    """Rule 2: PostgreSQL itself refuses a duplicate serial."""

    def _insert_raw(self, name, company_id):
        """Insert a lot as a concurrent transaction would: past the Python check."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_lot (name, product_id, company_id, product_uom_id,"
                " create_uid, write_uid, create_date, write_date)"
                " VALUES (%s, %s, %s, %s, 1, 1, now(), now())",
                name,
                self.laptop.id,
                company_id,
                self.laptop.uom_id.id,
            )
        )

    def test_index_exists(self):
        self.assertTrue(index_exists(self.env.cr, INDEX))

    def test_duplicate_in_this_transaction_named_to_the_user(self):
        self._create_lot(self.laptop, "SN-DB-0")
        count = self.env["stock.lot"].search_count([])
        with self.assertRaises(ValidationError) as caught:
            self._create_lot(self.laptop, "SN-DB-0")
        self.assertEqual(
            str(caught.exception),
            "This serial number already exists for this product: SN-DB-0 (Test Laptop)",
        )
        self.assertEqual(self.env["stock.lot"].search_count([]), count)
        other = self._create_lot(self.laptop, "SN-DB-00")
        with self.assertRaises(ValidationError):
            other.name = "SN-DB-0"
        self.assertEqual(other.name, "SN-DB-00")

    @mute_logger("odoo.sql_db")
    def test_database_refuses_duplicate_in_company(self):
        self._create_lot(self.laptop, "SN-DB-1")
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self._insert_raw("SN-DB-1", self.company.id)
        self.assertEqual(
            self.env["stock.lot"].search_count([("name", "=", "SN-DB-1")]), 1
        )

    @mute_logger("odoo.sql_db")
    def test_database_refuses_duplicate_without_company(self):
        self.env["stock.lot"].create({"name": "SN-DB-2", "product_id": self.laptop.id})
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self._insert_raw("SN-DB-2", None)

    def test_same_name_allowed_for_other_product_or_company(self):
        self._create_lot(self.laptop, "SN-DB-3")
        self._create_lot(self.carpet, "SN-DB-3")
        other = self.env["res.company"].create({"name": "Serial Company D"})
        self.env["stock.lot"].create(
            {"name": "SN-DB-3", "product_id": self.laptop.id, "company_id": other.id}
        )
        self.assertEqual(
            self.env["stock.lot"].sudo().search_count([("name", "=", "SN-DB-3")]), 3
        )

    @mute_logger("odoo.sql_db")
    def test_install_refused_on_duplicates_with_a_list(self):
        self._create_lot(self.laptop, "SN-TWICE")
        with self.env.cr.savepoint() as savepoint:
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(INDEX)))
            self._insert_raw("SN-TWICE", self.company.id)
            self._insert_raw("SN-TWICE", self.company.id)
            with self.assertRaises(UserError) as caught:
                self.env["stock.lot"].init()
            self.assertFalse(index_exists(self.env.cr, INDEX))
            savepoint.rollback()
        message = str(caught.exception)
        self.assertIn("cannot be installed", message)
        self.assertIn(
            f"- Test Laptop, serial SN-TWICE, company {self.company.name}: 3 times",
            message,
        )
        self.assertTrue(index_exists(self.env.cr, INDEX))

    def test_init_without_duplicates_creates_the_index(self):
        with self.env.cr.savepoint() as savepoint:
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(INDEX)))
            self.env["stock.lot"].init()
            self.assertTrue(index_exists(self.env.cr, INDEX))
            savepoint.rollback()


@tagged("post_install", "-at_install")
class TestSerialUniqueConcurrency(BaseCase):
    """Two users saving the same serial at the same moment: one row, one clear error.

    Runs on real, committed transactions (two cursors in two threads); the data
    it commits is removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cls.product_id = (
                env["product.product"]
                .create(
                    {
                        "name": "Concurrent Laptop",
                        "type": "consu",
                        "is_storable": True,
                        "tracking": "serial",
                    }
                )
                .id
            )
            cls.company_id = env.company.id
        cls.addClassCleanup(cls._remove_committed_data)

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["stock.lot"].search([("product_id", "=", cls.product_id)]).unlink()
            env["product.product"].browse(cls.product_id).product_tmpl_id.unlink()

    def _lots(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            return (
                env["stock.lot"]
                .search([("product_id", "=", self.product_id)])
                .mapped("name")
            )

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_users_create_the_same_serial(self):
        first_created = threading.Event()
        second_started = threading.Event()
        release_first = threading.Event()
        results = {}

        def first():
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["stock.lot"].create(
                    {
                        "name": "SN-RACE-1",
                        "product_id": self.product_id,
                        "company_id": self.company_id,
                    }
                )
                env.flush_all()
                first_created.set()
                release_first.wait(20)
                results["first"] = "created"

        def second():
            first_created.wait(20)
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                results["second_pid"] = cr._cnx.get_backend_pid()
                second_started.set()
                try:
                    # The RPC layer's own wrapper: retries, then turns the
                    # database error into the message users see.
                    retrying(
                        lambda: env["stock.lot"].create(
                            {
                                "name": "SN-RACE-1",
                                "product_id": self.product_id,
                                "company_id": self.company_id,
                            }
                        ),
                        env,
                    )
                    results["second"] = "created"
                except ValidationError as error:
                    results["second"] = error

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        # The test runner holds the registry lock for the whole run; a server
        # thread takes it only briefly. Give the users' threads their own.
        with patch.object(Registry, "_lock", threading.RLock()):
            for thread in threads:
                thread.start()
            second_started.wait(20)
            blocked = wait_until_blocked(self.registry, results.get("second_pid"))
            release_first.set()
            for thread in threads:
                thread.join(30)

        self.assertTrue(blocked, "the second insert must wait on the database index")
        self.assertEqual(results["first"], "created")
        self.assertIsInstance(results["second"], ValidationError)
        self.assertIn(
            "This serial number already exists for this product: SN-RACE-1 "
            "(Concurrent Laptop)",
            str(results["second"]),
        )
        self.assertEqual(self._lots(), ["SN-RACE-1"])
