# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common_invoice import (
    SerialInvoiceCase,
    eval_view_expression,
    invoice_picker_domain,
)

ADDON = "product_serial_tracking"
WIZARDS = (
    "stock.lot.correction",
    "stock.lot.write.off",
    "stock.lot.write.off.line",
    "stock.lot.retrospective.receipt",
)
ENQUIRY_ACTION = f"{ADDON}.stock_lot_enquiry_action"
ENQUIRY_MENU = f"{ADDON}.stock_lot_enquiry_menu"
OPERATIONS = "stock.view_stock_move_operations"
OPERATIONS_LIST = "stock.view_stock_move_line_operation_tree"
CORRECTION_REFUSED = "Only inventory administrators can correct serial numbers."
RETROSPECTIVE_REFUSED = "Only stock managers can record a retrospective receipt"
WRITE_OFF_REFUSED = "Only inventory users can write off serial numbers."


@tagged("post_install", "-at_install")
class TestAccessRights(SerialInvoiceCase):
    """The rights matrix: each group tried with a user holding only that group.

    Users are made by new_test_user with exactly the groups named; the groups
    they imply come with them (Invoicing and Inventory / User imply Internal
    User, which this addon makes imply Lots & Serial Numbers; Inventory /
    Administrator implies Inventory / User).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Invoicing only: implies base.group_user, no inventory group.
        cls.invoicer = cls._create_user("acl_invoicer", "account.group_account_invoice")
        # Inventory / User only: implies base.group_user, no accounting group.
        cls.storeman = cls._create_user("acl_storeman", "stock.group_stock_user")
        # Inventory / Administrator only (implies Inventory / User).
        cls.stock_admin = cls._create_user(
            "acl_stock_admin", "stock.group_stock_manager"
        )
        # Selling an expired serial is done on an invoice: the stock manager
        # also needs the Invoicing group to create and post it.
        cls.stock_admin_invoicing = cls._create_user(
            "acl_stock_admin_invoicing",
            "stock.group_stock_manager,account.group_account_invoice",
        )
        cls.portal = cls._create_user("acl_portal", "base.group_portal")
        cls.public = cls._create_user("acl_public", "base.group_public")
        # A product without stock: converting it is refused only for rights.
        cls.drill = cls._create_product("Test Unstocked Drill", "none")

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-1", 1), ("SN-2", 1), ("SN-3", 1)])
        self._receive(self.laptop, [("SN-4", 1)], location=self.shelf)
        # One batch serial in two places: its write-off asks where.
        self._receive(self.carpet, [("ROLL-A", 4.0)])
        self._receive(self.carpet, [("ROLL-A", 6.0)], location=self.shelf)
        self._receive(self.yoghurt, [("POT-OLD", 5.0)])
        self.pot = self._lots(self.yoghurt, "POT-OLD")
        self.pot.expiration_date = fields.Datetime.now() - timedelta(days=2)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _sn(self, *names):
        return self._lots(self.laptop, *names)

    def _db_state(self):
        """Everything a refused operation must leave as it was, from the database:
        the common snapshot with the wizards, and the tracking of the products."""
        state = self._db_snapshot(*WIZARDS)
        templates = (self.laptop | self.carpet | self.yoghurt | self.drill).mapped(
            "product_tmpl_id"
        )
        state["tracking"] = sorted(templates.mapped(lambda t: (t.id, t.tracking)))
        return state

    def _assert_refused(self, error_class, fragments, call, *args, **kwargs):
        """call(*args) raises exactly error_class naming each fragment, and the
        database is unchanged.

        The error is caught by hand, not by assertRaises(): that one rolls back
        a savepoint of its own, which would hide a write made before the
        refusal.
        """
        before = self._db_state()
        caught = None
        try:
            call(*args, **kwargs)
        except UserError as error:  # AccessError is a UserError too
            caught = error
        self.assertIsNotNone(caught, f"{call} was not refused")
        self.assertIs(type(caught), error_class, str(caught))
        for fragment in [fragments] if isinstance(fragments, str) else fragments:
            self.assertIn(fragment, str(caught))
        self.assertEqual(self._db_state(), before)
        return str(caught)

    def _view_arch(self, user, model, view_xmlid):
        """The view as the web client gets it for user (groups applied)."""
        view = self.env.ref(view_xmlid)
        view_type = "list" if view.type == "tree" else view.type
        views = self.env[model].with_user(user).get_views([(view.id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _view_fields(self, user, model, view_xmlid):
        """Names of the fields of the view as the web client gets it for user."""
        return set(self._view_arch(user, model, view_xmlid).xpath("//field/@name"))

    def _typed_and_delivered(self, name):
        """A serial typed in a picker and delivered: flagged, stock negative."""
        lot_id, _label = (
            self.env["stock.lot"]
            .with_context(
                default_product_id=self.laptop.id,
                serial_picker_location_id=self.stock_location.id,
            )
            .name_create(name)
        )
        lot = self.env["stock.lot"].browse(lot_id)
        self._deliver(self.laptop, [(lot, 1)])
        self.assertTrue(lot.to_investigate)
        return lot

    def _invoice_as(self, user, lines):
        """A draft customer invoice made through the form by user."""
        env = self.env(user=user)
        form = self._invoice_form(env=env)
        for product, quantity, lots in lines:
            with form.invoice_line_ids.new() as line:
                line.product_id = product
                line.quantity = quantity
                for lot in lots:
                    line.lot_ids.add(lot.with_user(user))
        return form.save()

    def _picker_names(self, user, line):
        """What the serial picker of an invoice line offers to user."""
        domain = invoice_picker_domain(line)
        Lot = (
            self.env["stock.lot"]
            .with_user(user)
            .with_context(serial_picker_location_id=line.serial_location_id.id)
        )
        return sorted(name for _id, name in Lot.name_search("", args=domain))

    def _refused_manager_tasks(self, user):
        """Convert tracking, correct, retrospective receipt: all refused."""
        # Convert tracking, at zero stock: refused by the access rights.
        template = self.drill.product_tmpl_id.with_user(user)
        self._assert_refused(
            AccessError,
            ["You are not allowed to modify", "(product.template)"],
            template.write,
            {"tracking": "serial"},
        )
        self._assert_refused(
            AccessError,
            ["You are not allowed to modify", "(product.product)"],
            self.drill.with_user(user).write,
            {"tracking": "lot"},
        )
        form = Form(template)
        form.tracking = "serial"
        self._assert_refused(AccessError, "(product.template)", form.save)
        self.assertEqual(self.drill.tracking, "none")

        # Correct a serial: the button, the wizard, and its apply over RPC.
        lot = self._sn("SN-1")
        self._assert_refused(
            AccessError, CORRECTION_REFUSED, lot.with_user(user).action_correct_serial
        )
        self._assert_refused(
            AccessError,
            ["not allowed to create", "(stock.lot.correction)"],
            self.env["stock.lot.correction"].with_user(user).create,
            {"lot_id": lot.id, "new_name": "SN-1-RIGHT", "reason": "Typo"},
        )
        wizard = self.env["stock.lot.correction"].create(
            {"lot_id": lot.id, "new_name": "SN-1-RIGHT", "reason": "Typo"}
        )
        self._assert_refused(
            AccessError, CORRECTION_REFUSED, wizard.with_user(user).action_apply
        )
        self.assertFalse(self._sn("SN-1-RIGHT"))

        # Retrospective receipt of a flagged serial.
        flagged = self._typed_and_delivered("SN-TYPED")
        self._assert_refused(
            AccessError,
            RETROSPECTIVE_REFUSED,
            flagged.with_user(user).action_retrospective_receipt,
        )
        self._assert_refused(
            AccessError,
            ["not allowed to create", "(stock.lot.retrospective.receipt)"],
            self.env["stock.lot.retrospective.receipt"].with_user(user).create,
            {"lot_id": flagged.id, "date": fields.Datetime.now()},
        )
        receipt = self.env["stock.lot.retrospective.receipt"].create(
            {"lot_id": flagged.id, "date": fields.Datetime.now()}
        )
        self._assert_refused(
            AccessError, RETROSPECTIVE_REFUSED, receipt.with_user(user).action_confirm
        )
        self.assertTrue(flagged.to_investigate)

    # ------------------------------------------------------------------
    # Invoicing users (no inventory group)
    # ------------------------------------------------------------------

    def test_invoicing_user_picks_a_serial_and_posts(self):
        self.assertFalse(self.invoicer.has_group("stock.group_stock_user"))
        self.assertIn(
            "lot_ids",
            self._view_fields(self.invoicer, "account.move", "account.view_move_form"),
        )
        form = self._invoice_form(env=self.env(user=self.invoicer))
        with form.invoice_line_ids.new() as line:
            line.product_id = self.laptop
            line.quantity = 1
            self.assertFalse(line._get_modifier("lot_ids", "readonly"))
            self.assertEqual(line.serial_location_id, self.stock_location)
            line.lot_ids.add(self._sn("SN-4").with_user(self.invoicer))
        invoice = form.save()
        self.assertEqual(
            self._picker_names(self.invoicer, invoice.invoice_line_ids),
            [
                "SN-1 (1 Units)",
                "SN-2 (1 Units)",
                "SN-3 (1 Units)",
                "SN-4 (1 Units)",
            ],
        )

        invoice.with_user(self.invoicer).action_post()

        self.assertEqual(invoice.state, "posted")
        delivery = invoice.serial_picking_ids
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(delivery.move_line_ids.lot_id, self._sn("SN-4"))
        self.assertNotIn(("SN-4", self.shelf.id), self._stock(self.laptop))
        self.assertEqual(self._sn("SN-4").serial_state, "delivered")

    def test_invoicing_user_resets_to_draft_and_cancels(self):
        invoice = self._invoice_as(self.invoicer, [(self.laptop, 1, self._sn("SN-1"))])
        clerk_invoice = invoice.with_user(self.invoicer)
        clerk_invoice.action_post()
        self.assertNotIn(("SN-1", self.stock_location.id), self._stock(self.laptop))

        clerk_invoice.button_draft()

        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._stock(self.laptop)[("SN-1", self.stock_location.id)], 1)
        returned = invoice.serial_picking_ids.filtered("return_id")
        self.assertEqual(returned.state, "done")

        clerk_invoice.action_post()
        self.assertNotIn(("SN-1", self.stock_location.id), self._stock(self.laptop))

        clerk_invoice.button_cancel()

        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(self._stock(self.laptop)[("SN-1", self.stock_location.id)], 1)
        self.assertEqual(len(invoice.serial_picking_ids), 4)
        self.assertEqual(set(invoice.serial_picking_ids.mapped("state")), {"done"})

    def test_invoicing_user_credit_note_receives_the_serial_back(self):
        invoice = self._invoice_as(self.invoicer, [(self.laptop, 1, self._sn("SN-2"))])
        invoice.with_user(self.invoicer).action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.invoicer)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Returned"})
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.invoice_line_ids.lot_ids, self._sn("SN-2"))

        refund.with_user(self.invoicer).action_post()

        self.assertEqual(refund.state, "posted")
        receipt = refund.serial_picking_ids
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.location_id, self.partner.property_stock_customer)
        self.assertEqual(receipt.location_dest_id, self.stock_location)
        self.assertEqual(self._stock(self.laptop)[("SN-2", self.stock_location.id)], 1)

    def test_invoicing_user_refused_manager_tasks(self):
        self._refused_manager_tasks(self.invoicer)

    def test_invoicing_user_cannot_sell_expired_serials(self):
        self.assertNotIn(
            "allow_expired_serials",
            self._view_fields(self.invoicer, "account.move", "account.view_move_form"),
        )
        invoice = self._invoice_as(self.invoicer, [(self.yoghurt, 2.0, self.pot)])
        clerk_invoice = invoice.with_user(self.invoicer)
        field_refused = [
            "You do not have enough rights to access the fields "
            '"allow_expired_serials"',
            "(account.move)",
        ]
        self._assert_refused(
            AccessError,
            field_refused,
            clerk_invoice.write,
            {"allow_expired_serials": True},
        )
        # Nor over RPC at creation, where the field's groups are not checked.
        Move = self.env["account.move"].with_user(self.invoicer)
        consent_refused = "Only stock managers can allow expired serials to be sold"
        vals = {"move_type": "out_invoice", "partner_id": self.partner.id}
        self._assert_refused(
            AccessError,
            consent_refused,
            Move.create,
            dict(vals, allow_expired_serials=True),
        )
        self._assert_refused(
            AccessError,
            consent_refused,
            Move.with_context(default_allow_expired_serials=True).create,
            vals,
        )
        self._assert_refused(
            UserError,
            ["serial POT-OLD expired on", "stock manager's confirmation"],
            clerk_invoice.action_post,
        )
        self.assertEqual(invoice.state, "draft")

    def test_invoicing_user_cannot_write_off(self):
        # Prepared by an inventory user: a write-off wizard and a draft scrap.
        places = self.env["stock.lot.write.off"].browse(
            self._lots(self.carpet, "ROLL-A").action_write_off()["res_id"]
        )
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": self._sn("SN-3").id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        for lot in (self._sn("SN-1"), self._lots(self.carpet, "ROLL-A")):
            with self.subTest(serial=lot.name):
                self._assert_refused(
                    AccessError,
                    WRITE_OFF_REFUSED,
                    lot.with_user(self.invoicer).action_write_off,
                )
        self._assert_refused(
            AccessError,
            ["not allowed to create", "(stock.lot.write.off)"],
            self.env["stock.lot.write.off"].with_user(self.invoicer).create,
            {"lot_id": self._sn("SN-1").id},
        )
        self._assert_refused(
            AccessError,
            "(stock.lot.write.off",
            places.line_ids[0].with_user(self.invoicer).action_write_off,
        )
        self._assert_refused(
            AccessError,
            ["not allowed to create", "(stock.scrap)"],
            self.env["stock.scrap"].with_user(self.invoicer).create,
            {
                "product_id": self.laptop.id,
                "lot_id": self._sn("SN-1").id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            },
        )
        self._assert_refused(
            AccessError, "(stock.scrap)", scrap.with_user(self.invoicer).action_validate
        )
        self.assertEqual(scrap.state, "draft")

    # ------------------------------------------------------------------
    # Inventory users
    # ------------------------------------------------------------------

    def test_inventory_user_transfers_a_serial(self):
        self.assertFalse(self.storeman.has_group("account.group_account_invoice"))
        Picking = self.env["stock.picking"].with_user(self.storeman)
        picking = Picking.create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.shelf.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.laptop.name,
                            "product_id": self.laptop.id,
                            "product_uom": self.laptop.uom_id.id,
                            "product_uom_qty": 1,
                            "location_id": self.shelf.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()  # the user picks the serial
        move = picking.move_ids
        # The serial picker of the move's operations, as the storeman sees it.
        node = self._view_arch(self.storeman, "stock.move.line", OPERATIONS_LIST)
        node = node.xpath("//field[@name='lot_id']")[0]
        parent = {
            "product_id": move.product_id.id,
            "location_id": move.location_id.id,
            "picking_code": move.picking_code,
            "has_tracking": move.has_tracking,
            "show_quant": move.show_quant,
            "show_lots_m2o": move.show_lots_m2o,
            "show_lots_text": move.show_lots_text,
            "picking_type_entire_packs": False,
        }
        values = {
            "company_id": move.company_id.id,
            "picking_id": picking.id,
            "state": "assigned",
            "package_level_id": False,
        }
        domain = eval_view_expression(node.get("domain"), parent=parent, **values)
        context = eval_view_expression(node.get("context"), parent=parent, **values)
        offered = (
            self.env["stock.lot"]
            .with_user(self.storeman)
            .with_context(**context)
            .name_search("", args=domain)
        )
        self.assertEqual([name for _id, name in offered], ["SN-4 (1 Units)"])

        form = Form(move.with_user(self.storeman), view=OPERATIONS)
        with form.move_line_ids.new() as line:
            line.lot_id = self._sn("SN-4").with_user(self.storeman)
            line.quantity = 1
        form.save()
        move.with_user(self.storeman).picked = True
        picking.with_user(self.storeman).button_validate()

        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, self._sn("SN-4"))
        stock = self._stock(self.laptop)
        self.assertNotIn(("SN-4", self.shelf.id), stock)
        self.assertEqual(stock[("SN-4", self.stock_location.id)], 1)

    def _write_off_as(self, user, action):
        """Save and validate the write-off the action opens, through its form."""
        self.assertEqual(action["res_model"], "stock.scrap")
        form = Form(
            self.env["stock.scrap"].with_user(user).with_context(**action["context"]),
            view=action["views"][0][0],
        )
        scrap = form.save()
        scrap.action_validate()
        return scrap

    def test_inventory_user_writes_off_a_serial_in_one_place(self):
        lot = self._sn("SN-1").with_user(self.storeman)
        scrap = self._write_off_as(self.storeman, lot.action_write_off())
        self.assertEqual(scrap.state, "done")
        self.assertEqual((scrap.lot_id, scrap.scrap_qty), (self._sn("SN-1"), 1))
        self.assertNotIn(("SN-1", self.stock_location.id), self._stock(self.laptop))
        self.assertEqual(self._sn("SN-1").serial_state, "written_off")

    def test_inventory_user_writes_off_a_serial_in_several_places(self):
        lot = self._lots(self.carpet, "ROLL-A").with_user(self.storeman)
        action = lot.action_write_off()
        self.assertEqual(action["res_model"], "stock.lot.write.off")
        wizard = self.env["stock.lot.write.off"].with_user(self.storeman)
        wizard = wizard.browse(action["res_id"])
        with Form(wizard) as form:
            self.assertEqual(len(form.line_ids), 2)
        shelf_line = wizard.line_ids.filtered(
            lambda line: line.location_id == self.shelf
        )
        scrap = self._write_off_as(self.storeman, shelf_line.action_write_off())
        self.assertEqual((scrap.location_id, scrap.scrap_qty), (self.shelf, 6.0))
        self.assertEqual(scrap.state, "done")
        self.assertEqual(
            self._stock(self.carpet), {("ROLL-A", self.stock_location.id): 4.0}
        )

    def test_inventory_user_refused_manager_tasks(self):
        self._refused_manager_tasks(self.storeman)

    def test_inventory_user_cannot_clear_the_investigation_flag(self):
        flagged = self._typed_and_delivered("SN-TYPED")
        self._assert_refused(
            AccessError,
            "Only inventory administrators can change",
            flagged.with_user(self.storeman).write,
            {"to_investigate": False},
        )
        self._assert_refused(
            AccessError,
            "Only inventory administrators can change",
            self._sn("SN-1").with_user(self.storeman).write,
            {"corrected_to_id": self._sn("SN-2").id},
        )
        self._assert_refused(
            AccessError,
            "Only inventory administrators can change",
            self._sn("SN-1").with_user(self.storeman).write,
            {"correction_reason": "made up"},
        )
        self.assertTrue(flagged.to_investigate)
        self.assertFalse(self._sn("SN-1").correction_reason)
        # Other fields stay editable for inventory users.
        self._sn("SN-1").with_user(self.storeman).write({"ref": "Shelf label"})
        self.assertEqual(self._sn("SN-1").ref, "Shelf label")

    def test_inventory_user_cannot_sell_expired_serials(self):
        # Inventory users have no right on invoices at all.
        invoice = self._invoice([(self.yoghurt, 2.0, self.pot)])
        self._assert_refused(
            AccessError,
            ["You are not allowed to", "(account.move)"],
            invoice.with_user(self.storeman).write,
            {"allow_expired_serials": True},
        )
        self._assert_refused(
            AccessError,
            ["You are not allowed to", "(account.move)"],
            invoice.with_user(self.storeman).action_post,
        )
        self._assert_refused(
            AccessError,
            "Only stock managers can allow expired serials to be sold",
            self.env["account.move"]
            .with_user(self.storeman)
            .with_context(default_allow_expired_serials=True)
            .create,
            {"move_type": "out_invoice", "partner_id": self.partner.id},
        )
        self.assertEqual(invoice.state, "draft")

    # ------------------------------------------------------------------
    # Inventory administrators
    # ------------------------------------------------------------------

    def test_stock_manager_converts_tracking_at_zero_stock(self):
        template = self.drill.product_tmpl_id.with_user(self.stock_admin)
        with Form(template) as form:
            form.tracking = "serial"
        self.assertEqual(self.drill.tracking, "serial")
        template.write({"tracking": "lot"})
        self.assertEqual(self.drill.tracking, "lot")
        # The rule holds for managers too: not while there is stock.
        self._assert_refused(
            UserError,
            "only be changed when the product has no stock",
            self.laptop.product_tmpl_id.with_user(self.stock_admin).write,
            {"tracking": "none"},
        )

    def test_stock_manager_corrects_a_serial(self):
        lot = self._sn("SN-1").with_user(self.stock_admin)
        action = lot.action_correct_serial()
        form = Form(
            self.env["stock.lot.correction"]
            .with_user(self.stock_admin)
            .with_context(**action["context"])
        )
        form.new_name = "SN-1-RIGHT"
        form.reason = "Digits transposed"
        result = form.save().action_apply()

        right = self._sn("SN-1-RIGHT")
        self.assertEqual(result["params"]["next"]["res_id"], right.id)
        self.assertEqual(self._sn("SN-1").corrected_to_id, right)
        stock = self._stock(self.laptop)
        self.assertNotIn(("SN-1", self.stock_location.id), stock)
        self.assertEqual(stock[("SN-1-RIGHT", self.stock_location.id)], 1)

    def test_stock_manager_records_a_retrospective_receipt(self):
        lot = self._typed_and_delivered("SN-TYPED")
        self.assertEqual(
            self._quantities(self.laptop)[("SN-TYPED", self.stock_location.id)], -1
        )
        action = lot.with_user(self.stock_admin).action_retrospective_receipt()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.stock_admin)
            .with_context(**action["context"])
        )
        form.date = fields.Datetime.now() - timedelta(days=3)
        form.save().action_confirm()

        self.assertFalse(lot.to_investigate)
        self.assertEqual(
            self._quantities(self.laptop)[("SN-TYPED", self.stock_location.id)], 0
        )
        receipt = self.env["stock.move"].search(
            [
                ("move_line_ids.lot_id", "=", lot.id),
                ("location_dest_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(receipt.state, "done")

    def test_stock_manager_sells_an_expired_serial(self):
        seller = self.stock_admin_invoicing
        self.assertIn(
            "allow_expired_serials",
            self._view_fields(seller, "account.move", "account.view_move_form"),
        )
        form = self._invoice_form(env=self.env(user=seller))
        with form.invoice_line_ids.new() as line:
            line.product_id = self.yoghurt
            line.quantity = 2.0
            line.lot_ids.add(self.pot.with_user(seller))
        form.allow_expired_serials = True
        invoice = form.save()

        invoice.with_user(seller).action_post()

        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.serial_picking_ids.state, "done")
        self.assertEqual(
            self._stock(self.yoghurt), {("POT-OLD", self.stock_location.id): 3.0}
        )

    # ------------------------------------------------------------------
    # Portal and public users
    # ------------------------------------------------------------------

    def test_portal_and_public_users_see_nothing(self):
        lot = self._sn("SN-1")
        self._typed_and_delivered("SN-TYPED")  # some history to hide
        history = self.env["stock.lot.history"].search([], limit=1)
        self.assertTrue(history)
        action = self.env.ref(ENQUIRY_ACTION)
        menu = self.env.ref(ENQUIRY_MENU)
        for user in (self.portal, self.public):
            with self.subTest(user=user.login):
                self.assertTrue(user.share)
                env = self.env(user=user)
                lots = env["stock.lot"]
                refused = ["You are not allowed to access", "(stock.lot)"]
                self._assert_refused(AccessError, refused, lots.search, [])
                self._assert_refused(
                    AccessError, refused, lot.with_user(user).read, ["name"]
                )
                self._assert_refused(
                    AccessError,
                    ["You are not allowed to access", "(stock.lot.history)"],
                    env["stock.lot.history"].search,
                    [],
                )
                self._assert_refused(
                    AccessError,
                    "(stock.lot.history)",
                    history.with_user(user).read,
                    ["reference"],
                )
                for model in WIZARDS:
                    self._assert_refused(
                        AccessError, f"({model})", env[model].search, []
                    )
                    self._assert_refused(
                        AccessError,
                        ["not allowed to create", f"({model})"],
                        env[model].create,
                        {"lot_id": lot.id},
                    )
                # The enquiry: no menu at all (Lots & Serial Numbers, the group
                # of the menu, is given to portal users by Odoo's setting)...
                self.assertIn(
                    self.env.ref("stock.group_production_lot"), menu.groups_id
                )
                self._assert_refused(
                    AccessError, "(ir.ui.menu)", env["ir.ui.menu"]._visible_menu_ids
                )
                # ... and the action loads, but not its list.
                action_dict = env["ir.actions.act_window"]._for_xml_id(ENQUIRY_ACTION)
                self.assertEqual(action_dict["res_model"], "stock.lot")
                self._assert_refused(
                    AccessError,
                    refused,
                    lots.with_context(**safe_eval(action.context)).web_search_read,
                    safe_eval(action.domain or "[]"),
                    {"name": {}, "serial_state": {}},
                )
                self._assert_refused(
                    AccessError, refused, lot.with_user(user).action_serial_enquiry
                )
                self._assert_refused(
                    AccessError, WRITE_OFF_REFUSED, lot.with_user(user).action_write_off
                )
                self._assert_refused(
                    AccessError,
                    CORRECTION_REFUSED,
                    lot.with_user(user).action_correct_serial,
                )

    # ------------------------------------------------------------------
    # Every model has access rules
    # ------------------------------------------------------------------

    def test_every_model_of_the_addon_has_access_rules(self):
        """Fails when a model is added without ir.model.access rows, or with
        rows letting portal, public or anyone (no group) in."""
        # Every model this addon defines or extends has an xml id of the addon.
        models = self.env["ir.model"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", ADDON), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        own = models.filtered(
            lambda model: getattr(self.env[model.model], "_original_module", None)
            == ADDON
            and not self.env[model.model]._abstract
        )
        self.assertLessEqual(
            {"stock.lot.history", *WIZARDS}, set(own.mapped("model")), own
        )
        outsiders = self.env.ref("base.group_portal") | self.env.ref(
            "base.group_public"
        )
        for model in models.filtered(lambda model: not self.env[model.model]._abstract):
            with self.subTest(model=model.model):
                rows = self.env["ir.model.access"].search([("model_id", "=", model.id)])
                self.assertTrue(rows, f"{model.model} has no access rules")
                if model in own:
                    open_rows = rows.filtered(
                        lambda row: not row.group_id or row.group_id in outsiders
                    )
                    self.assertFalse(
                        open_rows,
                        f"{model.model} is open to portal, public or everyone",
                    )
