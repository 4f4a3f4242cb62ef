# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from odoo.addons.product_serial_tracking.hooks import post_init_hook

from .common import SerialTrackingCase
from .common_invoice import SerialInvoiceCase

LIST_VIEW = "product_serial_tracking.stock_lot_enquiry_view_list"
SEARCH_VIEW = "product_serial_tracking.stock_lot_enquiry_view_search"
FORM_VIEW = "product_serial_tracking.stock_lot_enquiry_view_form"
ACTION = "product_serial_tracking.stock_lot_enquiry_action"


class EnquiryCase(SerialTrackingCase):
    """Helpers reading the enquiry as the web client does."""

    def _facts(self, lot):
        lot.invalidate_recordset()
        return {
            "state": lot.serial_state,
            "location": lot.current_location_id,
            "customer": lot.customer_id,
            "warranty": (lot.warranty_start_date, lot.warranty_end_date),
        }

    def _search_arch(self, env=None):
        env = env or self.env
        view = env.ref(SEARCH_VIEW)
        arch = env["stock.lot"].get_views([(view.id, "search")])["views"]["search"][
            "arch"
        ]
        return etree.fromstring(arch)

    def _filter_domain(self, name):
        """The domain of a filter of the enquiry's search view, as evaluated
        by the web client today."""
        node = self._search_arch().xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(
            node.get("domain"),
            {
                "datetime": safe_datetime,
                "relativedelta": relativedelta,
                "time": safe_time,
                "context_today": lambda: fields.Date.context_today(self.env.user),
            },
        )

    def _field_domain(self, name, value):
        """The domain of a search field of the enquiry's search view, typed in."""
        node = self._search_arch().xpath(f"//field[@name='{name}']")[0]
        if node.get("filter_domain"):
            return safe_eval(node.get("filter_domain"), {"self": value})
        return [(name, "ilike", value)]

    def _found(self, domain, lots=None):
        """The serials (among lots, when given) the list shows for domain."""
        found = self.env["stock.lot"].search(domain)
        return found & lots if lots is not None else found


@tagged("post_install", "-at_install")
class TestSerialEnquiry(EnquiryCase):
    """Status, location, customer and warranty through a serial's life."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.serial_warranty_months = 24
        cls.stock_user = new_test_user(
            cls.env, login="enquiry_stock_user", groups="stock.group_stock_user"
        )
        cls.stock_manager = new_test_user(
            cls.env, login="enquiry_stock_manager", groups="stock.group_stock_manager"
        )

    def test_new_serial_is_not_in_stock(self):
        lot = self._create_lot(self.laptop, "SN-NEW")
        self.assertEqual(lot.serial_state, "not_in_stock")
        self.assertFalse(lot.last_move_date)
        self.assertFalse(lot.current_location_id)

    def test_receipt_delivery_return_write_off(self):
        with freeze_time("2026-03-10 09:00:00"):
            self._receive(self.laptop, [("SN-1", 1)], location=self.shelf)
        lot = self._lot("SN-1")
        self.assertEqual(
            self._facts(lot),
            {
                "state": "in_stock",
                "location": self.shelf,
                "customer": self.env["res.partner"],
                "warranty": (False, False),
            },
        )
        self.assertEqual(lot.last_move_date, datetime(2026, 3, 10, 9, 0))

        with freeze_time("2026-04-15 14:00:00"):
            delivery = self._deliver(self.laptop, [(lot, 1)], location=self.shelf)
        self.assertEqual(
            self._facts(lot),
            {
                "state": "delivered",
                "location": self.env["stock.location"],
                "customer": self.partner,
                "warranty": (date(2026, 4, 15), date(2028, 4, 15)),
            },
        )
        self.assertEqual(lot.last_move_date, datetime(2026, 4, 15, 14, 0))

        # A return to stock clears the customer and the warranty.
        with freeze_time("2026-05-02 08:00:00"):
            returned = self._return(delivery, [(lot, 1)])
        self.assertEqual(
            self._facts(lot),
            {
                "state": "in_stock",
                "location": returned.location_dest_id,
                "customer": self.env["res.partner"],
                "warranty": (False, False),
            },
        )

        with freeze_time("2026-05-20 08:00:00"):
            self._scrap(lot, 1, location=returned.location_dest_id)
        self.assertEqual(self._facts(lot)["state"], "written_off")
        self.assertFalse(lot.current_location_id)
        self.assertEqual(lot.last_move_date, datetime(2026, 5, 20, 8, 0))

    def test_correction_writes_off_the_wrong_serial(self):
        self._receive(self.laptop, [("SN-WRNG", 1)])
        wrong = self._lot("SN-WRNG")
        wizard = (
            self.env["stock.lot.correction"]
            .with_user(self.stock_manager)
            .with_context(default_lot_id=wrong.id)
            .create({"new_name": "SN-RIGHT", "reason": "Typo"})
        )
        wizard.action_apply()
        right = self._lot("SN-RIGHT")
        self.assertEqual(self._facts(wrong)["state"], "written_off")
        self.assertEqual(
            self._facts(right),
            {
                "state": "in_stock",
                "location": self.stock_location,
                "customer": self.env["res.partner"],
                "warranty": (False, False),
            },
        )

    def test_batch_serial_in_two_locations_has_no_single_location(self):
        self._receive(self.carpet, [("ROLL-1", 10)])
        roll = self._lot("ROLL-1")
        self.assertEqual(roll.current_location_id, self.stock_location)
        self._transfer([(roll, 4)], self.stock_location, self.shelf)
        self.assertEqual(self._facts(roll)["state"], "in_stock")
        self.assertFalse(roll.current_location_id)
        # Part delivered: still in stock, and the customer is known.
        self._deliver(self.carpet, [(roll, 6)])
        self.assertEqual(self._facts(roll)["state"], "in_stock")
        self.assertEqual(roll.current_location_id, self.shelf)
        self.assertEqual(roll.customer_id, self.partner)

    def test_inventory_adjustment_removes_serial_from_stock(self):
        self._receive(self.laptop, [("SN-LOST", 1)])
        lot = self._lot("SN-LOST")
        self._count(lot, 0)
        self.assertEqual(self._facts(lot)["state"], "not_in_stock")
        self._count(lot, 1, location=self.shelf)
        self.assertEqual(self._facts(lot)["state"], "in_stock")
        self.assertEqual(lot.current_location_id, self.shelf)

    def test_warranty_end_clamps_to_month_end_and_follows_the_product(self):
        self._receive(self.laptop, [("SN-W", 1)])
        lot = self._lot("SN-W")
        self.laptop.serial_warranty_months = 1
        with freeze_time("2026-01-31 12:00:00"):
            self._deliver(self.laptop, [(lot, 1)])
        self.assertEqual(lot.warranty_start_date, date(2026, 1, 31))
        self.assertEqual(lot.warranty_end_date, date(2026, 2, 28))  # SQL
        self.laptop.serial_warranty_months = 13
        self.assertEqual(lot.warranty_end_date, date(2027, 2, 28))  # ORM
        self.laptop.serial_warranty_months = 0
        self.assertFalse(lot.warranty_end_date)
        self.assertEqual(lot.warranty_start_date, date(2026, 1, 31))

    def test_days_left(self):
        self._receive(self.laptop, [("SN-D", 1)])
        lot = self._lot("SN-D")
        with freeze_time("2026-06-01 12:00:00"):
            self._deliver(self.laptop, [(lot, 1)])
            lot.invalidate_recordset()
            self.assertEqual(lot.warranty_end_date, date(2028, 6, 1))
            self.assertEqual(
                lot.warranty_days_left, (date(2028, 6, 1) - date(2026, 6, 1)).days
            )
            lot.expiration_date = datetime(2026, 6, 11, 12, 0)
            self.assertEqual(lot.expiry_days_left, 10)

    def test_installation_fills_the_facts_of_existing_serials(self):
        self._receive(self.laptop, [("SN-OLD-1", 1), ("SN-OLD-2", 1)])
        old_1, old_2 = self._lot("SN-OLD-1"), self._lot("SN-OLD-2")
        self._deliver(self.laptop, [(old_2, 1)])
        # As before installation: no facts rows.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM stock_serial_facts WHERE id IN %s",
                (old_1.id, old_2.id),
            )
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        self.assertEqual(self._facts(old_1)["state"], "in_stock")
        self.assertEqual(old_1.current_location_id, self.stock_location)
        self.assertEqual(self._facts(old_2)["state"], "delivered")
        self.assertEqual(old_2.customer_id, self.partner)
        self.assertTrue(old_2.warranty_end_date)
        self.assertTrue(old_2.last_move_date)

    def test_facts_refresh_is_batched(self):
        """The facts of many serials cost the same few queries as of one."""
        self._receive(self.laptop, [(f"SN-B{index}", 1) for index in range(30)])
        lots = self.env["stock.lot"].search([("name", "=like", "SN-B%")])
        self.assertEqual(len(lots), 30)
        self.env.flush_all()
        with self.assertQueryCount(1):
            lots._refresh_serial_facts()

    # Enquiry

    def test_action_serial_enquiry_opens_the_enquiry(self):
        self._receive(self.laptop, [("SN-E", 1)])
        lot = self._lot("SN-E").with_user(self.stock_user)
        action = lot.action_serial_enquiry()
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertEqual(action["res_id"], lot.id)
        self.assertEqual(action["views"], [(self.env.ref(FORM_VIEW).id, "form")])
        form = Form(lot, view=FORM_VIEW)
        self.assertEqual(form.serial_state, "in_stock")
        self.assertEqual(form.current_location_id, self.stock_location)
        self.assertEqual(len(form.history_ids), 1)

    def test_action_serial_enquiry_refused_without_access(self):
        self._receive(self.laptop, [("SN-X", 1)])
        outsider = new_test_user(
            self.env, login="enquiry_outsider", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self._lot("SN-X").with_user(outsider).action_serial_enquiry()

    def test_menu_and_action(self):
        action = self.env.ref(ACTION)
        menu = self.env.ref("product_serial_tracking.stock_lot_enquiry_menu")
        self.assertEqual(menu.action, action)
        self.assertEqual(
            menu.parent_id, self.env.ref("stock.menu_stock_inventory_control")
        )
        self.assertIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.stock_user)._visible_menu_ids(),
        )
        self.assertEqual(action.res_model, "stock.lot")

    def test_list_shows_the_most_recently_moved_first(self):
        with freeze_time("2026-01-01 10:00:00"):
            self._receive(self.laptop, [("SN-OLDEST", 1)])
        with freeze_time("2026-02-01 10:00:00"):
            self._receive(self.laptop, [("SN-NEWEST", 1)])
        never = self._create_lot(self.laptop, "SN-NEVER")
        arch = etree.fromstring(
            self.env["stock.lot"].get_views([(self.env.ref(LIST_VIEW).id, "list")])[
                "views"
            ]["list"]["arch"]
        )
        order = arch.get("default_order")
        self.assertEqual(order, "last_move_date desc, id desc")
        columns = [node.get("name") for node in arch.xpath("./field")]
        for column in (
            "name",
            "product_id",
            "product_tracking",
            "serial_state",
            "current_location_id",
            "product_qty",
            "expiration_date",
            "warranty_end_date",
            "customer_id",
            "to_investigate",
        ):
            self.assertIn(column, columns)
        self.assertTrue(arch.xpath("./widget[@name='serial_row_menu']"))
        result = (
            self.env["stock.lot"]
            .with_user(self.stock_user)
            .web_search_read(
                [("product_id", "=", self.laptop.id)],
                {"name": {}, "serial_state": {}},
                order=order,
                limit=80,
            )
        )
        names = [record["name"] for record in result["records"]]
        self.assertEqual(names, ["SN-NEWEST", "SN-OLDEST", "SN-NEVER"])
        self.assertTrue(never)


@tagged("post_install", "-at_install")
class TestSerialEnquirySearch(EnquiryCase):
    """The search bar, filters and group-bys of the enquiry list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.serial_warranty_months = 12
        cls.other_customer = cls.env["res.partner"].create({"name": "Другой Client"})

    def setUp(self):
        super().setUp()
        self._receive(
            self.laptop,
            [("ABC-1001", 1), ("ABC-1002", 1), ("XYZ-2001", 1), ("XYZ-2002", 1)],
        )
        self.lot_1001, self.lot_1002 = self._lot("ABC-1001"), self._lot("ABC-1002")
        self.lot_2001, self.lot_2002 = self._lot("XYZ-2001"), self._lot("XYZ-2002")
        self.all_lots = self.lot_1001 | self.lot_1002 | self.lot_2001 | self.lot_2002
        self.delivery = self._deliver(self.laptop, [(self.lot_1002, 1)])
        self._scrap(self.lot_2001, 1)

    def test_search_serial_name_partial_and_exact(self):
        self.assertEqual(self._found(self._field_domain("name", "1001")), self.lot_1001)
        self.assertEqual(
            self._found(self._field_domain("name", "abc-")),
            self.lot_1001 | self.lot_1002,
        )
        self.assertEqual(
            self._found(self._field_domain("name", "XYZ-2002")), self.lot_2002
        )
        self.assertFalse(self._found(self._field_domain("name", "NOPE-9")))

    def test_search_product_customer_reference(self):
        self.assertEqual(
            self._found(self._field_domain("product_id", "Test Laptop"), self.all_lots),
            self.all_lots,
        )
        self.assertEqual(
            self._found(
                self._field_domain("customer_id", "Serial Customer"), self.all_lots
            ),
            self.lot_1002,
        )
        self.lot_2002.ref = "VENDOR-77"
        self.assertEqual(
            self._found(self._field_domain("ref", "VENDOR-77")), self.lot_2002
        )
        # The reference of a document in the serial's history.
        self.assertEqual(
            self._found(self._field_domain("ref", self.delivery.name), self.all_lots),
            self.lot_1002,
        )

    def test_status_filters(self):
        self.assertEqual(
            self._found(self._filter_domain("in_stock"), self.all_lots),
            self.lot_1001 | self.lot_2002,
        )
        self.assertEqual(
            self._found(self._filter_domain("delivered"), self.all_lots), self.lot_1002
        )
        self.assertEqual(
            self._found(self._filter_domain("written_off"), self.all_lots),
            self.lot_2001,
        )

    def test_expiry_filters(self):
        now = fields.Datetime.now()
        self.lot_1001.expiration_date = now - timedelta(days=1)
        self.lot_2002.expiration_date = now + timedelta(days=10)
        self.lot_1002.expiration_date = now + timedelta(days=45)
        self.assertEqual(
            self._found(self._filter_domain("expired"), self.all_lots), self.lot_1001
        )
        self.assertEqual(
            self._found(self._filter_domain("expiring_soon"), self.all_lots),
            self.lot_2002,
        )

    def test_to_investigate_and_under_warranty_filters(self):
        self.lot_2002.sudo().to_investigate = True
        self.assertEqual(
            self._found(self._filter_domain("to_investigate"), self.all_lots),
            self.lot_2002,
        )
        self.assertEqual(
            self._found(self._filter_domain("under_warranty"), self.all_lots),
            self.lot_1002,
        )
        # A warranty that has ended is not "under warranty".
        self.lot_1002.serial_facts_id.warranty_end_date = date.today() - relativedelta(
            days=1
        )
        self.assertFalse(
            self._found(self._filter_domain("under_warranty"), self.all_lots)
        )

    def _filter_groups(self):
        """The names of the filters the web client OR-s together."""
        groups, current = [], set()
        for node in self._search_arch():
            if node.tag == "filter":
                current.add(node.get("name"))
            elif current:
                groups.append(current)
                current = set()
        if current:
            groups.append(current)
        return groups

    def test_filters_group_and_combine_as_in_the_web_client(self):
        self.assertEqual(
            self._filter_groups(),
            [
                {"in_stock", "delivered", "written_off", "consumed", "unbuilt"},
                {"expired", "expiring_soon"},
                {"to_investigate"},
                {"under_warranty"},
            ],
        )
        # In stock + Written off, as the web client combines them.
        domain = [
            "|",
            *self._filter_domain("in_stock"),
            *self._filter_domain("written_off"),
        ]
        self.assertEqual(
            self._found(domain, self.all_lots),
            self.lot_1001 | self.lot_2002 | self.lot_2001,
        )

    def test_group_by_product_status_location(self):
        arch = self._search_arch()
        group_bys = {
            safe_eval(node.get("context"))["group_by"]
            for node in arch.xpath("//group/filter")
        }
        self.assertEqual(
            group_bys,
            {
                "product_id",
                "serial_state",
                "current_location_id",
                "expiration_date:month",
                "warranty_end_date:month",
            },
        )
        groups = self.env["stock.lot"].web_read_group(
            [("id", "in", self.all_lots.ids)], ["serial_state"], ["serial_state"]
        )["groups"]
        counts = {
            group["serial_state"]: group["serial_state_count"] for group in groups
        }
        self.assertEqual(counts, {"in_stock": 2, "delivered": 1, "written_off": 1})
        groups = self.env["stock.lot"].web_read_group(
            [("id", "in", self.all_lots.ids)],
            ["current_location_id"],
            ["current_location_id"],
        )["groups"]
        counts = {
            group["current_location_id"] and group["current_location_id"][0]: group[
                "current_location_id_count"
            ]
            for group in groups
        }
        self.assertEqual(counts, {self.stock_location.id: 2, False: 2})


@tagged("post_install", "-at_install")
class TestSerialEnquiryInvoices(SerialInvoiceCase, EnquiryCase):
    """Serials sold and taken back by invoices and credit notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.serial_warranty_months = 12
        cls.invoicing_user = cls._create_user(
            "enquiry_invoicing_user", "base.group_user,account.group_account_invoice"
        )

    def setUp(self):
        super().setUp()
        with freeze_time("2026-01-05 09:00:00"):
            self._receive(
                self.laptop, [("INV-SN-1", 1), ("INV-SN-2", 1), ("INV-SN-3", 1)]
            )
        self.sn_1, self.sn_2, self.sn_3 = (
            self._lot("INV-SN-1"),
            self._lot("INV-SN-2"),
            self._lot("INV-SN-3"),
        )

    def test_invoice_sets_customer_and_warranty_reset_clears_them(self):
        with freeze_time("2026-07-01 10:00:00"):
            invoice = self._invoice([(self.laptop, 1, self.sn_1)], post=True)
        self.assertEqual(
            self._facts(self.sn_1),
            {
                "state": "delivered",
                "location": self.env["stock.location"],
                "customer": self.partner,
                "warranty": (date(2026, 7, 1), date(2027, 7, 1)),
            },
        )
        self.assertEqual(self.sn_1.invoice_number, invoice.name)
        invoice.button_draft()
        # Reset to draft returns the serial: a return in its history.
        self.assertEqual(
            self.sn_1.history_ids.mapped("kind"), ["receipt", "invoice", "return"]
        )
        self.assertEqual(
            self._facts(self.sn_1),
            {
                "state": "in_stock",
                "location": self.stock_location,
                "customer": self.env["res.partner"],
                "warranty": (False, False),
            },
        )

    def test_credit_note_takes_the_serial_back(self):
        invoice = self._invoice([(self.laptop, 1, self.sn_2)], post=True)
        self.assertEqual(self.sn_2.customer_id, self.partner)
        refund = self._invoice(
            [(self.laptop, 1, self.sn_2)], move_type="out_refund", post=True
        )
        self.assertTrue(refund.serial_picking_ids)
        self.assertEqual(
            self._facts(self.sn_2),
            {
                "state": "in_stock",
                "location": self.stock_location,
                "customer": self.env["res.partner"],
                "warranty": (False, False),
            },
        )
        self.assertEqual(
            set(self.sn_2.invoice_number.split(", ")), {invoice.name, refund.name}
        )
        events = self.sn_2.history_ids
        self.assertEqual(events.mapped("kind"), ["receipt", "invoice", "credit_note"])
        self.assertEqual(events[1].invoice_id, invoice)
        self.assertEqual(events[2].invoice_id, refund)
        self.assertEqual(events[2].action_open_document()["res_id"], refund.id)

    def test_search_by_invoice_number(self):
        invoice = self._invoice([(self.laptop, 2, self.sn_1 | self.sn_3)], post=True)
        domain = self._field_domain("invoice_number", invoice.name)
        self.assertEqual(self._found(domain), self.sn_1 | self.sn_3)
        # Part of the number, as typed in the search bar.
        self.assertEqual(
            self._found(self._field_domain("invoice_number", invoice.name[-4:])),
            self.sn_1 | self.sn_3,
        )
        # A stock user without accounting rights finds them too.
        stock_user = self._create_user("enquiry_stock_only", "stock.group_stock_user")
        self.assertEqual(
            self.env["stock.lot"].with_user(stock_user).search(domain),
            self.sn_1 | self.sn_3,
        )
        self.assertFalse(self._found(self._field_domain("invoice_number", "NO/SUCH/1")))

    def test_invoicing_user_sees_the_serials_of_his_invoices(self):
        self._invoice([(self.laptop, 1, self.sn_1)], post=True)
        lot = self.sn_1.with_user(self.invoicing_user)
        action = lot.action_serial_enquiry()
        self.assertEqual(action["res_id"], self.sn_1.id)
        form = Form(lot, view=FORM_VIEW)
        self.assertEqual(form.customer_id, self.partner)
        self.assertEqual(form.serial_state, "delivered")
        self.assertEqual(len(form.history_ids), 2)
        self.assertEqual(lot.history_ids.mapped("kind"), ["receipt", "invoice"])
        # The PDF too.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.invoicing_user)
            ._render_qweb_html(
                "product_serial_tracking.report_serial_history", self.sn_1.ids
            )[0]
            .decode()
        )
        self.assertIn("INV-SN-1", html)

    def test_invoicing_user_does_not_see_the_history_of_other_serials(self):
        self._invoice([(self.laptop, 1, self.sn_1)], post=True)
        History = self.env["stock.lot.history"].with_user(self.invoicing_user)
        self.assertEqual(History.search([]).lot_id, self.sn_1)
        self.assertFalse(self.sn_3.with_user(self.invoicing_user).history_ids)
        other_event = self.env["stock.lot.history"].search(
            [("lot_id", "=", self.sn_3.id)]
        )
        self.assertTrue(other_event)
        with self.assertRaises(AccessError):
            other_event.with_user(self.invoicing_user).read(["kind"])

    def test_open_the_invoice_from_its_event(self):
        invoice = self._invoice([(self.laptop, 1, self.sn_1)], post=True)
        event = self.env["stock.lot.history"].search(
            [("lot_id", "=", self.sn_1.id), ("kind", "=", "invoice")]
        )
        self.assertEqual(event.invoice_id, invoice)
        action = event.with_user(self.invoicing_user).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
