# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .test_serial_screens import (
    ACTION,
    FORM_VIEW,
    INVOICING_ACTION,
    INVOICING_MENU,
    LIST_VIEW,
    SerialScreensCase,
)


@tagged("post_install", "-at_install")
class TestSerialScreensList(SerialScreensCase):
    """The Serial Numbers list: its columns, pivot and graph, and the
    invoicing users' menu."""

    def test_list_columns(self):
        arch = self._arch(LIST_VIEW, "list")
        self.assertEqual(
            arch.xpath("//field[@name='product_tracking']")[0].get("optional"), "hide"
        )
        self.assertEqual(
            arch.xpath("//field[@name='expiration_date']")[0].get("options"),
            "{'show_time': False}",
        )

    def test_pivot_and_graph_group_serials(self):
        pivot = self._arch(
            "product_serial_tracking.stock_lot_enquiry_view_pivot", "pivot"
        )
        self.assertEqual(
            [(f.get("name"), f.get("type")) for f in pivot.xpath("//field")],
            [("product_id", "row"), ("serial_state", "col")],
        )
        search = self._arch(
            "product_serial_tracking.stock_lot_enquiry_view_search", "search"
        )
        contexts = {f.get("name"): f.get("context") for f in search.xpath("//filter")}
        self.assertIn("expiration_date:month", contexts["group_by_expiry_month"])
        self.assertIn(
            "warranty_end_date:month", contexts["group_by_warranty_end_month"]
        )
        views = self.env.ref(ACTION).view_ids.mapped("view_mode")
        self.assertEqual(views, ["list", "form", "pivot", "graph"])
        lot, _invoice = self._invoiced_serial()
        groups = self.env["stock.lot"]._read_group(
            [("id", "=", lot.id)],
            ["warranty_end_date:month", "serial_state"],
            ["__count"],
        )
        self.assertEqual(len(groups), 1)

    def test_invoicing_users_reach_invoiced_serials(self):
        lot, _invoice = self._invoiced_serial()
        self._receive(self.laptop, [("SN-SCREEN-STOCK", 1)])
        menu = self.env.ref(INVOICING_MENU)
        self.assertEqual(
            menu.parent_id, self.env.ref("account.menu_finance_receivables")
        )
        visible = self.env["ir.ui.menu"].with_user(self.invoicer)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids()
        )
        action = self.env.ref(INVOICING_ACTION)
        self.assertEqual(
            action.view_ids.mapped("view_id"),
            self.env.ref(ACTION).view_ids.mapped("view_id"),
        )
        self.assertIn(FORM_VIEW, action.view_ids.view_id.get_external_id().values())
        domain = safe_eval(action.domain)
        found = (
            self.env["stock.lot"]
            .with_user(self.invoicer)
            .search(domain + [("product_id", "=", self.laptop.id)])
        )
        self.assertEqual(found, lot)
        # Its enquiry reads as the form shows it, with its history.
        enquiry = Form(lot.with_user(self.invoicer), view=FORM_VIEW)
        self.assertEqual(enquiry.serial_state, "delivered")
        self.assertEqual(
            lot.with_user(self.invoicer).history_ids.mapped("kind"),
            ["receipt", "invoice"],
        )
