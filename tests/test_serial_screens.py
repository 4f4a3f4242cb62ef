# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import etree

from odoo.tests import tagged

from .common_invoice import SerialInvoiceCase

ACTION = "product_serial_tracking.stock_lot_enquiry_action"
INVOICING_ACTION = "product_serial_tracking.stock_lot_enquiry_action_invoicing"
INVOICING_MENU = "product_serial_tracking.stock_lot_enquiry_menu_invoicing"
LIST_VIEW = "product_serial_tracking.stock_lot_enquiry_view_list"
FORM_VIEW = "product_serial_tracking.stock_lot_enquiry_view_form"


class SerialScreensCase(SerialInvoiceCase):
    """Users of each role, and the views as the web client gets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._create_user(
            "screens_clerk", "base.group_user,stock.group_stock_user"
        )
        cls.invoicer = cls._create_user(
            "screens_invoicer", "base.group_user,account.group_account_invoice"
        )

    def _arch(self, view_xmlid, view_type, user=None):
        env = self.env(user=user) if user else self.env
        view = env.ref(view_xmlid)
        result = env["stock.lot"].get_views([(view.id, view_type)])
        return etree.fromstring(result["views"][view_type]["arch"])

    def _header_buttons(self, user):
        arch = self._arch(FORM_VIEW, "form", user=user)
        return {button.get("name") for button in arch.xpath("//header/button")}

    def _invoiced_serial(self, name="SN-SCREEN-INV"):
        self._receive(self.laptop, [(name, 1)])
        lot = self._lot(name)
        invoice = self._invoice([(self.laptop, 1, lot)], post=True)
        return lot, invoice


@tagged("post_install", "-at_install")
class TestSerialScreens(SerialScreensCase):
    """The serial's one screen: the enquiry, its actions and links."""

    # ---- The serial's one screen ----

    def test_serial_numbers_open_the_enquiry(self):
        action = self.env.ref(ACTION)
        views = {view.view_mode: view.view_id for view in action.view_ids}
        self.assertEqual(views["form"], self.env.ref(FORM_VIEW))
        self.assertEqual(views["list"], self.env.ref(LIST_VIEW))
