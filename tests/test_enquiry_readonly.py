# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from contextlib import contextmanager
from unittest.mock import patch

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import datetime, dateutil, safe_eval

from .common import SerialTrackingCase

RETRY_WARNING = "retrying with a read/write cursor"


@tagged("post_install", "-at_install")
class TestEnquiryReadOnly(SerialTrackingCase, HttpCase):
    """Every enquiry path runs on a read-only cursor, as on a read replica.

    Odoo 18 serves the read-only requests of the web client (searches,
    reads, the PDF) on a read-only cursor: on a replica when one is set, in
    tests on a transaction made READ ONLY. A write hidden in a compute or a
    read makes Odoo silently serve the request again on the primary, logging
    "retrying with a read/write cursor": that log line is what these tests
    refuse. The load run of ``make bench`` repeats this on a real replica.
    """

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-RO-1", 1), ("SN-RO-2", 1), ("SN-RO-3", 1)])
        self._receive(self.carpet, [("ROLL-RO-1", 30)])
        self._deliver(self.laptop, [(self._lot("SN-RO-2"), 1)])
        self._scrap(self._lot("SN-RO-3"), 1)
        self.lots = self.env["stock.lot"].search([("name", "like", "-RO-")])
        self.user = new_test_user(
            self.env, login="readonly_stock_user", groups="stock.group_stock_user"
        )
        self.action = self.env.ref("product_serial_tracking.stock_lot_enquiry_action")
        self.authenticate("readonly_stock_user", "readonly_stock_user")

    @contextmanager
    def _no_hidden_write(self):
        """Fail when a read-only request had to be served again read/write."""
        with self.assertNoLogs("odoo.http", "WARNING"):
            yield

    def _call(self, model, method, *args, **kwargs):
        """A JSON-RPC call as the web client makes it; the server's error in full."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn(
            "error", body, body.get("error", {}).get("data", {}).get("debug")
        )
        return body["result"]

    def _views(self):
        views = [[view.view_id.id, view.view_mode] for view in self.action.view_ids]
        views.append([self.action.search_view_id.id, "search"])
        return self._call("stock.lot", "get_views", views=views, options={})

    def _list_spec(self, arch):
        return {
            node.get("name"): {}
            for node in etree.fromstring(arch).iter("field")
            if node.getparent().tag == "list"
        }

    def _search_domains(self, arch):
        """{filter: domain} of the search view, evaluated as the web client does."""
        context = {
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "context_today": datetime.date.today,
        }
        return {
            node.get("name"): safe_eval(node.get("domain"), context)
            for node in etree.fromstring(arch).iter("filter")
            if node.get("domain")
        }

    def _group_bys(self, arch):
        return [
            safe_eval(node.get("context"))["group_by"]
            for node in etree.fromstring(arch).iter("filter")
            if "group_by" in (node.get("context") or "")
        ]

    def test_list_search_filters_and_group_bys(self):
        with self._no_hidden_write():
            self.make_jsonrpc_request("/web/action/load", {"action_id": self.action.id})
            views = self._views()["views"]
            spec = self._list_spec(views["list"]["arch"])
            domains = self._search_domains(views["search"]["arch"])
            self.assertGreaterEqual(len(domains), 7, domains)
            domains |= {
                "partial": [("name", "ilike", "RO-1")],
                "customer": [("customer_id", "ilike", self.partner.name)],
                "invoice": [("invoice_number", "ilike", "INV")],
                "reference": [
                    "|",
                    ("ref", "ilike", "WH/"),
                    ("history_ids.reference", "ilike", "WH/"),
                ],
            }
            found = {}
            for name, domain in domains.items():
                result = self._call(
                    "stock.lot",
                    "web_search_read",
                    domain=domain + [("id", "in", self.lots.ids)],
                    specification=spec,
                    limit=80,
                    order="last_move_date desc, id desc",
                    count_limit=10001,
                )
                found[name] = {record["name"] for record in result["records"]}
            for group_by in self._group_bys(views["search"]["arch"]):
                groups = self._call(
                    "stock.lot",
                    "web_read_group",
                    domain=[("id", "in", self.lots.ids)],
                    fields=[],
                    groupby=[group_by],
                )
                self.assertTrue(groups["groups"], group_by)
            names = self._call("stock.lot", "name_search", name="SN-RO", limit=8)
        # The searches really ran and found what the data says.
        self.assertEqual(found["in_stock"], {"SN-RO-1", "ROLL-RO-1"})
        self.assertEqual(found["delivered"], {"SN-RO-2"})
        self.assertEqual(found["written_off"], {"SN-RO-3"})
        self.assertEqual(found["partial"], {"SN-RO-1", "ROLL-RO-1"})
        self.assertEqual(found["customer"], {"SN-RO-2"})
        self.assertEqual(len(names), 3)

    def test_enquiry_view_timeline_and_pdf(self):
        lot = self._lot("SN-RO-2")
        with self._no_hidden_write():
            form_view = self.env.ref(
                "product_serial_tracking.stock_lot_enquiry_view_form"
            )
            # The list's row menu opens the enquiry through a button: read-only
            # too (@api.readonly), so a replica serves it where one is set.
            opened = self.make_jsonrpc_request(
                "/web/dataset/call_button/stock.lot/action_serial_enquiry",
                {
                    "model": "stock.lot",
                    "method": "action_serial_enquiry",
                    "args": [[lot.id]],
                    "kwargs": {},
                },
            )
            form = self._call("stock.lot", "get_views", views=[[form_view.id, "form"]])
            history_list = self._call(
                "stock.lot.history", "get_views", views=[[False, "list"]]
            )["views"]["list"]
            spec = {name: {} for name in form["models"]["stock.lot"]["fields"]}
            spec["history_ids"] = {"fields": self._list_spec(history_list["arch"])}
            (record,) = self._call(
                "stock.lot", "web_read", [lot.id], specification=spec
            )
            timeline = self._call(
                "stock.lot.history",
                "web_search_read",
                domain=[("lot_id", "=", lot.id)],
                specification=self._list_spec(history_list["arch"]),
            )
            response = self.url_open(
                "/report/pdf/product_serial_tracking.report_serial_history_document/"
                + ",".join(str(lot_id) for lot_id in self.lots.ids)
            )
        self.assertEqual(opened["views"], [[form_view.id, "form"]])
        self.assertTrue(type(self.env["stock.lot"]).action_serial_enquiry._readonly)
        self.assertEqual(record["serial_state"], "delivered")
        self.assertEqual(record["customer_id"], self.partner.id)
        self.assertEqual(len(record["history_ids"]), 2)  # receipt, delivery
        self.assertEqual(timeline["length"], 2)
        self.assertEqual(response.status_code, 200)
        # Tests render the report's HTML (Odoo skips wkhtmltopdf when testing):
        # the same queries on the same read-only cursor.
        self.assertIn(b"SN-RO-2", response.content)

    @mute_logger("odoo.sql_db")
    def test_a_hidden_write_is_caught(self):
        """The check above can fail: a compute that writes is seen."""
        Lot = type(self.env["stock.lot"])
        original = Lot._compute_days_left

        def compute_and_write(records):
            records.env.cr.execute(
                SQL(
                    "UPDATE stock_lot SET write_date = write_date WHERE id IN %s",
                    tuple(records.ids),
                )
            )
            return original(records)

        with (
            patch.object(Lot, "_compute_days_left", compute_and_write),
            self.assertLogs("odoo.http", "WARNING") as logs,
        ):
            self._call(
                "stock.lot",
                "web_search_read",
                domain=[("id", "in", self.lots.ids)],
                specification={"name": {}, "warranty_days_left": {}},
            )
        self.assertIn(RETRY_WARNING, "\n".join(logs.output))
