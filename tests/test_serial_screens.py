# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

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

    def test_enquiry_opened_from_anywhere_keeps_its_address(self):
        # The row menu, the correction and the invoice lines' serial tags open
        # the enquiry through action_serial_enquiry(): as the Serial Numbers
        # action's form, so that a reload shows the enquiry again.
        self._receive(self.laptop, [("SN-SCREEN-URL", 1)])
        lot = self._lot("SN-SCREEN-URL")
        for user, xmlid in (
            (self.clerk, ACTION),
            (self.stock_manager, ACTION),
            (self.invoicer, INVOICING_ACTION),
        ):
            action = lot.with_user(user).action_serial_enquiry()
            expected = self.env.ref(xmlid)
            self.assertEqual(
                (action["id"], action["path"]), (expected.id, expected.path)
            )
            self.assertEqual(action["res_id"], lot.id)
            self.assertEqual(action["views"], [(self.env.ref(FORM_VIEW).id, "form")])

    def test_enquiry_actions_for_who_may_run_them(self):
        self.assertLessEqual(
            {
                "action_write_off",
                "action_correct_serial",
                "action_retrospective_receipt",
            },
            self._header_buttons(self.stock_manager),
        )
        clerk_buttons = self._header_buttons(self.clerk)
        self.assertIn("action_write_off", clerk_buttons)
        self.assertNotIn("action_correct_serial", clerk_buttons)
        self.assertNotIn("action_retrospective_receipt", clerk_buttons)
        invoicer_buttons = self._header_buttons(self.invoicer)
        self.assertFalse(
            invoicer_buttons
            & {
                "action_write_off",
                "action_correct_serial",
                "action_retrospective_receipt",
            }
        )

    def test_refused_actions_say_why_and_change_nothing(self):
        self._receive(self.laptop, [("SN-SCREEN-NO", 1)])
        lot = self._lot("SN-SCREEN-NO")
        before = self._db_snapshot()
        with self.assertRaisesRegex(AccessError, "Only inventory administrators"):
            lot.with_user(self.clerk).action_correct_serial()
        with self.assertRaisesRegex(AccessError, "Only inventory users"):
            lot.with_user(self.invoicer).action_write_off()
        self.assertEqual(self._db_snapshot(), before)

    def test_correction_notified_and_its_reason_shown(self):
        self._receive(self.laptop, [("SN-SCREEN-WRONG", 1)])
        wrong = self._lot("SN-SCREEN-WRONG").with_user(self.stock_manager)
        action = wrong.action_correct_serial()
        form = Form(
            self.env["stock.lot.correction"]
            .with_user(self.stock_manager)
            .with_context(**action["context"])
        )
        form.new_name = "SN-SCREEN-RIGHT"
        form.reason = "  Digits swapped at receipt "
        result = form.save().action_apply()

        right = self._lot("SN-SCREEN-RIGHT")
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(
            result["params"]["message"],
            "SN-SCREEN-WRONG was written off and its stock received again as "
            "SN-SCREEN-RIGHT.",
        )
        # Then the right serial's enquiry opens.
        following = result["params"]["next"]
        self.assertEqual(
            (following["res_model"], following["res_id"]), ("stock.lot", right.id)
        )
        self.assertEqual(following["views"], [(self.env.ref(FORM_VIEW).id, "form")])
        # Both serials show the reason beside their link.
        self.assertEqual(wrong.correction_reason, "Digits swapped at receipt")
        self.assertEqual(right.corrected_from_reason, "Digits swapped at receipt")
        enquiry = Form(right.with_user(self.clerk), view=FORM_VIEW)
        self.assertEqual(enquiry.corrected_from_id, wrong)
        self.assertEqual(enquiry.corrected_from_reason, "Digits swapped at receipt")
        # The links open the other serial's enquiry.
        self.assertEqual(
            right.with_context(serial_enquiry=True).get_formview_id(),
            self.env.ref(FORM_VIEW).id,
        )
        self.assertNotEqual(right.get_formview_id(), self.env.ref(FORM_VIEW).id)

    def test_write_off_notified(self):
        self._receive(self.laptop, [("SN-SCREEN-OFF", 1)])
        lot = self._lot("SN-SCREEN-OFF").with_user(self.clerk)
        action = lot.action_write_off()
        form = Form(
            self.env["stock.scrap"]
            .with_user(self.clerk)
            .with_context(**action["context"]),
            view=action["views"][0][0],
        )
        scrap = form.save()
        result = scrap.action_validate()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["message"],
            f"1 Units of SN-SCREEN-OFF written off ({scrap.name}).",
        )
        self.assertEqual(
            result["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        self.assertEqual(lot.serial_state, "written_off")

    def test_write_off_elsewhere_keeps_odoo_answer(self):
        self._receive(self.laptop, [("SN-SCREEN-PLAIN", 1)])
        scrap = self._scrap(self._lot("SN-SCREEN-PLAIN"), 1)
        self.assertEqual(scrap.state, "done")

    def test_invoice_numbers_open_the_invoices(self):
        lot, invoice = self._invoiced_serial()
        action = lot.with_user(self.invoicer).action_open_invoices()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
        # The numbers are a link for invoicing users, text for the others.
        invoicer_arch = self._arch(FORM_VIEW, "form", user=self.invoicer)
        self.assertTrue(invoicer_arch.xpath("//button[@name='action_open_invoices']"))
        clerk_arch = self._arch(FORM_VIEW, "form", user=self.clerk)
        self.assertFalse(clerk_arch.xpath("//button[@name='action_open_invoices']"))
        self.assertTrue(clerk_arch.xpath("//field[@name='invoice_number']"))
        self.assertEqual(lot.with_user(self.clerk).invoice_number, invoice.name)

    def test_invoice_link_refused_to_who_cannot_read_invoices(self):
        lot, _invoice = self._invoiced_serial()
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            lot.with_user(self.clerk).action_open_invoices()
        self.assertEqual(
            str(caught.exception),
            "Serial SN-SCREEN-INV is on no customer invoice or credit note you "
            "may open.",
        )
        self.assertEqual(self._db_snapshot(), before)
