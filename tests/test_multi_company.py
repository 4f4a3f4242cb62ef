# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common_invoice import (
    SerialInvoiceCase,
    eval_view_expression,
    invoice_picker_domain,
    view_field,
)

REPORT = "product_serial_tracking.report_serial_history"
OPERATIONS = "stock.view_stock_move_line_operation_tree"
SCRAP_FORM = "stock.stock_scrap_form_view"
# What a refused call says.
OTHER_COMPANY = "belong to a company you are not working in"
INCOMPATIBLE = "Incompatible companies on records"
SERIAL_OF_OTHER_COMPANY = "A serial number of one company cannot be used by another"
# Odoo's refusal by the multi-company record rules (read or write).
NO_LOT_ACCESS = "access to:\n- Lot/Serial (stock.lot)"
NO_HISTORY_ACCESS = "'read' access to:\n- Serial Number History (stock.lot.history)"


@tagged("post_install", "-at_install")
class TestMultiCompanyEntryPoints(SerialInvoiceCase, HttpCase):
    """A serial of company B is never offered, accepted or shown in company A.

    Every entry point a user or an RPC client reaches: the pickers of invoices,
    transfers and write-offs, the documents themselves, the enquiry and its
    report, the wizards, and the public methods called with B's ids (in
    process and through the JSON-RPC layer). Two users: one allowed only in
    company A, one allowed in A and B working with only A active.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        # A chart of accounts for B: B invoices its own serials.
        cls.company_b = cls.setup_other_company(name="Serial Company B")["company"]
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.stock_b = cls.warehouse_b.lot_stock_id
        groups = "base.group_user,account.group_account_invoice"
        cls.user_a = new_test_user(
            cls.env,
            "mc_user_a",
            groups=f"{groups},stock.group_stock_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.manager_a = new_test_user(
            cls.env,
            "mc_manager_a",
            groups=f"{groups},stock.group_stock_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.user_ab = new_test_user(
            cls.env,
            "mc_user_ab",
            groups=f"{groups},stock.group_stock_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        # Serials of A and of B (company set: Odoo 18 leaves the serials of a
        # product without company shared), the same name in both companies
        # (allowed: unique per company), and a shared serial in B's stock.
        cls.a_lots = cls._receive_in(cls.warehouse, cls.laptop, ["SN-A1", "SN-A2"])
        cls.a_lots |= cls._receive_in(cls.warehouse, cls.laptop, ["SN-TWIN"])
        cls.a_lots |= cls._receive_in(cls.warehouse, cls.carpet, [("ROLL-A", 10.0)])
        cls.sn_b1, cls.sn_b2, cls.twin_b = cls._receive_in(
            cls.warehouse_b, cls.laptop, ["SN-B1", "SN-B2", "SN-TWIN"]
        )
        cls.roll_b = cls._receive_in(cls.warehouse_b, cls.carpet, [("ROLL-B", 10.0)])
        cls.b_lots = cls.sn_b1 | cls.sn_b2 | cls.twin_b | cls.roll_b
        cls.shared = cls._receive_in(
            cls.warehouse_b, cls.laptop, ["SN-SHARED"], company=False
        )
        cls.twin_a = cls.a_lots.filtered(lambda lot: lot.name == "SN-TWIN")
        cls.a_laptops = cls.a_lots.filtered(lambda lot: lot.product_id == cls.laptop)
        # B sells SN-B2 on a B invoice: B's history holds an invoice event.
        env_b = cls._company_env(cls.company_b, cls.company_a)
        cls.invoice_b = env_b["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.laptop.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "lot_ids": [Command.set(cls.sn_b2.ids)],
                        }
                    )
                ],
            }
        )
        cls.invoice_b.action_post()

    @classmethod
    def _company_env(cls, *companies, user=None):
        """The environment of `user` (the accountant) with these companies active."""
        return cls.env(
            user=user or cls.env.user,
            context=dict(
                cls.env.context, allowed_company_ids=[c.id for c in companies]
            ),
        )

    @classmethod
    def _receive_in(cls, warehouse, product, lines, company=None):
        """A validated receipt into the warehouse's stock, in its company.

        `lines`: serial names (one unit each) or (name, quantity) pairs; the
        serials are created in `company` (the warehouse's by default).
        :return: the serials, in the order of `lines`
        """
        env = cls._company_env(warehouse.company_id)
        lines = [line if isinstance(line, tuple) else (line, 1.0) for line in lines]
        if company is None:
            company = warehouse.company_id
        lots = env["stock.lot"].create(
            [
                {
                    "name": name,
                    "product_id": product.id,
                    "company_id": company.id if company else False,
                }
                for name, _quantity in lines
            ]
        )
        source = cls.supplier_location
        destination = warehouse.lot_stock_id
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": sum(q for _n, q in lines),
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "picking_id": picking.id,
                }
            )
            for lot, (_name, quantity) in zip(lots, lines, strict=True)
        ]
        move.picked = True
        picking.button_validate()
        return lots

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _envs_in_a(self):
        """(label, environment) of the two users working in company A."""
        return [
            ("user of A only", self._company_env(self.company_a, user=self.user_a)),
            (
                "user of A and B, A active",
                self._company_env(self.company_a, user=self.user_ab),
            ),
        ]

    def _envs_everywhere(self):
        """_envs_in_a(), and users seeing B too: the check is not only the
        record rules'."""
        return [
            *self._envs_in_a(),
            (
                "user of A and B, both active",
                self._company_env(self.company_a, self.company_b, user=self.user_ab),
            ),
            ("accountant of A and B", self.env),
        ]

    def _db_state(self):
        """What a refused call must leave as it was: the common snapshot with
        the wizards, and the stock in B's warehouse."""
        state = self._db_snapshot(
            "stock.lot.correction",
            "stock.lot.retrospective.receipt",
            "stock.lot.write.off",
        )
        state["stock_of_b"] = sum(
            self.env["stock.quant"]
            .sudo()
            .search([("location_id", "child_of", self.stock_b.id)])
            .mapped("quantity")
        )
        return state

    def _assert_refused(self, error, fragment, call):
        """call() raises `error` saying `fragment`, and changes nothing."""
        before = self._db_state()
        with self.assertRaises(error) as caught:
            call()
        self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self._db_state(), before)
        return caught.exception

    def _internal_locations(self, lot):
        """Where the serial is in stock."""
        return (
            lot.sudo()
            .quant_ids.filtered(
                lambda quant: quant.location_id.usage == "internal"
                and quant.quantity > 0
            )
            .location_id
        )

    def _draft_invoice(self, product=None):
        """A draft customer invoice of company A, its line without serials."""
        return self._invoice([(product or self.laptop, 1, self.env["stock.lot"])])

    def _invoice_picker(self, line):
        """The lot_ids domain of the invoice form, evaluated for this line."""
        return invoice_picker_domain(line)

    def _offered(self, env, domain, search, location):
        """Ids the picker offers: name_search and web_search_read, as the client."""
        Lot = env["stock.lot"].with_context(serial_picker_location_id=location.id)
        by_name = {lot_id for lot_id, _name in Lot.name_search(search, args=domain)}
        listed = Lot.web_search_read(
            domain + [("name", "ilike", search)], {"display_name": {}}
        )
        self.assertEqual({record["id"] for record in listed["records"]}, by_name)
        return by_name

    def _delivery_a(self):
        """A confirmed delivery of company A, one laptop, no serial chosen yet."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.laptop.name,
                            "product_id": self.laptop.id,
                            "product_uom": self.laptop.uom_id.id,
                            "product_uom_qty": 1,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        return picking

    # ------------------------------------------------------------------
    # The data: B's serials exist, in B's stock, with B's history
    # ------------------------------------------------------------------

    def test_company_b_serials_are_in_b_stock(self):
        self.assertEqual(
            sorted(self.b_lots.mapped("name")),
            ["ROLL-B", "SN-B1", "SN-B2", "SN-TWIN"],
        )
        self.assertEqual(self.twin_a.company_id, self.company_a)
        self.assertEqual(self._internal_locations(self.sn_b1), self.stock_b)
        self.assertEqual(self.sn_b1.serial_state, "in_stock")
        self.assertEqual(self.sn_b2.serial_state, "delivered")
        self.assertEqual(self.sn_b2.history_ids.mapped("kind"), ["receipt", "invoice"])
        self.assertEqual(self.invoice_b.company_id, self.company_b)
        # Odoo's own rule, kept: a serial without company is shared.
        self.assertFalse(self.shared.company_id)
        for _label, env in self._envs_in_a():
            self.assertEqual(
                env["stock.lot"].search([("name", "=", "SN-SHARED")]), self.shared
            )
        # Seen by the user of A and B once B is active: the refusals below are
        # the work of the company, not of missing data or rights.
        env = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        self.assertEqual(
            env["stock.lot"].search([("id", "in", self.b_lots.ids)]), self.b_lots
        )

    # ------------------------------------------------------------------
    # 1. Invoices
    # ------------------------------------------------------------------

    def test_invoice_picker_offers_no_serial_of_company_b(self):
        line = self._draft_invoice().invoice_line_ids
        domain = self._invoice_picker(line)
        in_stock_a = set(self.a_laptops.ids)
        envs = self._envs_in_a() + [
            (
                "user of A and B, both active",
                self._company_env(self.company_a, self.company_b, user=self.user_ab),
            )
        ]
        for label, env in envs:
            with self.subTest(user=label):
                self.assertEqual(
                    self._offered(env, domain, "SN-", line.serial_location_id),
                    in_stock_a,
                )
                self.assertEqual(
                    self._offered(env, domain, "SN-TWIN", line.serial_location_id),
                    set(self.twin_a.ids),
                )
        # Without the picker's domain, B's serials would be there.
        both = envs[-1][1]["stock.lot"]
        self.assertIn(self.sn_b1.id, [i for i, _n in both.name_search("SN-B")])

    def test_invoice_line_write_of_company_b_serial_refused(self):
        line = self._draft_invoice().invoice_line_ids
        both = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        cases = [
            *(
                (label, env, AccessError, OTHER_COMPANY)
                for label, env in self._envs_in_a()
            ),
            ("user of A and B, both active", both, UserError, INCOMPATIBLE),
            ("accountant of A and B", self.env, UserError, INCOMPATIBLE),
        ]
        for label, env, error, fragment in cases:
            for commands in (
                [Command.set(self.sn_b1.ids)],
                [Command.link(self.sn_b1.id)],
                [Command.set((self.twin_a | self.twin_b).ids)],
            ):
                with self.subTest(user=label, commands=commands):
                    self._assert_refused(
                        error,
                        fragment,
                        lambda env=env, commands=commands: line.with_env(env).write(
                            {"lot_ids": commands}
                        ),
                    )
                    self.assertFalse(line.lot_ids)
        # A's own serial is accepted: the refusal is about the company.
        line.with_env(self._envs_in_a()[0][1]).write(
            {"lot_ids": [Command.set(self.twin_a.ids)]}
        )
        self.assertEqual(line.lot_ids, self.twin_a)

    def test_invoice_created_with_company_b_serial_refused(self):
        both = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        cases = [
            *(
                (label, env, AccessError, OTHER_COMPANY)
                for label, env in self._envs_in_a()
            ),
            ("user of A and B, both active", both, UserError, INCOMPATIBLE),
        ]
        for label, env, error, fragment in cases:
            with self.subTest(user=label):
                self._assert_refused(
                    error,
                    fragment,
                    lambda env=env: self._invoice(
                        [(self.laptop, 1, self.sn_b1)], env=env
                    ),
                )

    def test_invoice_form_refuses_company_b_serial(self):
        """A user with both companies active edits A's invoice: B's serial,
        added anyway (a stale client), is refused on save."""
        invoice = self._draft_invoice()
        env = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        form = Form(invoice.with_env(env), view="account.view_move_form")
        with form.invoice_line_ids.edit(0) as line:
            line.lot_ids.add(self.sn_b1.with_env(env))
        self._assert_refused(UserError, INCOMPATIBLE, form.save)
        invoice.invalidate_recordset()
        self.assertFalse(invoice.invoice_line_ids.lot_ids)

    def test_invoice_posting_refused_for_company_b_serial(self):
        """B's serial linked before the company check existed (or by SQL):
        posting in A refuses it and moves nothing in B."""
        invoice = self._draft_invoice()
        line = invoice.invoice_line_ids
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO account_move_line_stock_lot_rel (move_line_id, lot_id) "
                "VALUES (%s, %s)",
                line.id,
                self.sn_b1.id,
            )
        )
        self.env.invalidate_all()
        self.assertEqual(line.lot_ids, self.sn_b1)
        both = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        for label, env, fragment in [
            (
                "user of A and B, both active",
                both,
                f"serial SN-B1 is not a serial of Test Laptop in {self.company_a.name}",
            ),
            # B's serial is not even read: the line has no serial for them.
            *(
                (label, env, "0 unique serials chosen")
                for label, env in self._envs_in_a()
            ),
        ]:
            with self.subTest(user=label):
                self._assert_refused(
                    UserError, fragment, invoice.with_env(env).action_post
                )
                self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._internal_locations(self.sn_b1), self.stock_b)

    # ------------------------------------------------------------------
    # 2. Transfers
    # ------------------------------------------------------------------

    def test_transfer_picker_offers_no_serial_of_company_b(self):
        picking = self._delivery_a()
        move = picking.move_ids
        node = view_field(self.env, OPERATIONS, "lot_id")
        parent = {
            "product_id": move.product_id.id,
            "location_id": move.location_id.id,
            "picking_code": move.picking_code,
        }
        domain = eval_view_expression(
            node.get("domain"), parent=parent, company_id=move.company_id.id
        )
        envs = self._envs_in_a() + [
            (
                "user of A and B, both active",
                self._company_env(self.company_a, self.company_b, user=self.user_ab),
            )
        ]
        for label, env in envs:
            with self.subTest(user=label):
                self.assertEqual(
                    self._offered(env, domain, "SN-", self.stock_location),
                    set(self.a_laptops.ids),
                )

    def test_transfer_with_company_b_serial_refused(self):
        picking = self._delivery_a()
        move = picking.move_ids
        line_values = {
            "product_id": self.laptop.id,
            "lot_id": self.sn_b1.id,
            "quantity": 1,
            "location_id": self.stock_location.id,
            "location_dest_id": self.customer_location.id,
            "picking_id": picking.id,
        }
        for label, env in self._envs_everywhere():
            with self.subTest(user=label):
                self._assert_refused(
                    ValidationError,
                    f"SN-B1 belongs to {self.company_b.name}, not to "
                    f"{self.company_a.name}",
                    lambda env=env: move.with_env(env).write(
                        {"move_line_ids": [Command.create(line_values)]}
                    ),
                )
        # Forced in by SQL on a line of A's transfer: validating refuses it.
        move.move_line_ids = [Command.create(dict(line_values, lot_id=self.twin_a.id))]
        move.picked = True
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_move_line SET lot_id = %s WHERE id = %s",
                self.sn_b1.id,
                move.move_line_ids.id,
            )
        )
        self.env.invalidate_all()
        for label, env in self._envs_everywhere():
            with self.subTest(user=label, validate=True):
                self._assert_refused(
                    ValidationError,
                    SERIAL_OF_OTHER_COMPANY,
                    picking.with_env(env).button_validate,
                )
        self.assertEqual(picking.state, "assigned")

    # ------------------------------------------------------------------
    # 3. Write-offs
    # ------------------------------------------------------------------

    def test_write_off_of_company_b_serial_refused(self):
        for label, env in self._envs_in_a():
            with self.subTest(user=label):
                self._assert_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    self.sn_b1.with_env(env).action_write_off,
                )

    def test_write_off_wizard_with_company_b_serial_refused(self):
        vals = {
            "lot_id": self.roll_b.id,
            "line_ids": [
                Command.create({"location_id": self.stock_b.id, "quantity": 10.0})
            ],
        }
        for label, env in self._envs_in_a():
            with self.subTest(user=label):
                self._assert_refused(
                    AccessError,
                    OTHER_COMPANY,
                    lambda env=env: env["stock.lot.write.off"].create(vals),
                )

    def test_scrap_with_company_b_serial_refused(self):
        vals = {
            "company_id": self.company_a.id,
            "product_id": self.laptop.id,
            "product_uom_id": self.laptop.uom_id.id,
            "lot_id": self.sn_b1.id,
            "scrap_qty": 1,
            "location_id": self.stock_location.id,
        }
        for label, env in self._envs_everywhere():
            with self.subTest(user=label):
                self._assert_refused(
                    ValidationError,
                    f"SN-B1 belongs to {self.company_b.name}, not to "
                    f"{self.company_a.name}",
                    lambda env=env: env["stock.scrap"].create(vals),
                )
        for label, env in self._envs_in_a():
            with self.subTest(user=label, company="B"):
                # A write-off of B, in B's stock: not a company the user works in.
                self._assert_refused(
                    AccessError,
                    "access to:\n- ",
                    lambda env=env: env["stock.scrap"].create(
                        dict(
                            vals,
                            company_id=self.company_b.id,
                            location_id=self.stock_b.id,
                        )
                    ),
                )
        # Forced in by SQL on A's write-off: validating refuses it.
        scrap = self.env["stock.scrap"].create(dict(vals, lot_id=self.twin_a.id))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_scrap SET lot_id = %s WHERE id = %s",
                self.sn_b1.id,
                scrap.id,
            )
        )
        self.env.invalidate_all()
        for label, env in self._envs_everywhere():
            with self.subTest(user=label, validate=True):
                self._assert_refused(
                    ValidationError,
                    SERIAL_OF_OTHER_COMPANY,
                    scrap.with_env(env).action_validate,
                )
        self.assertEqual(scrap.state, "draft")
        # The write-off's serial picker offers none of B's serials.
        node = view_field(self.env, SCRAP_FORM, "lot_id")
        domain = eval_view_expression(
            node.get("domain"),
            product_id=self.laptop.id,
            company_id=self.company_a.id,
            location_id=self.stock_location.id,
        )
        for label, env in self._envs_in_a():
            with self.subTest(user=label, picker=True):
                self.assertFalse(
                    self._offered(env, domain, "SN-", self.stock_location)
                    & set(self.b_lots.ids)
                )
                self.assertEqual(
                    self._offered(env, domain, "SN-TWIN", self.stock_location),
                    set(self.twin_a.ids),
                )

    # ------------------------------------------------------------------
    # 4. Enquiry and report
    # ------------------------------------------------------------------

    def test_enquiry_shows_no_serial_or_history_of_company_b(self):
        b_history = self.env["stock.lot.history"].search(
            [("lot_id", "in", self.b_lots.ids)]
        )
        self.assertEqual(b_history.company_id, self.company_b)
        for label, env in self._envs_in_a():
            with self.subTest(user=label):
                Lot = env["stock.lot"]
                self.assertFalse(Lot.search([("id", "in", self.b_lots.ids)]))
                self.assertEqual(Lot.search([("name", "=", "SN-TWIN")]), self.twin_a)
                listed = Lot.web_search_read(
                    [("product_id", "in", (self.laptop | self.carpet).ids)],
                    {"name": {}, "company_id": {"fields": {"display_name": {}}}},
                    limit=80,
                )
                self.assertEqual(
                    {record["id"] for record in listed["records"]},
                    set((self.a_lots | self.shared).ids),
                )
                self.assertFalse(
                    Lot.search([("invoice_number", "=", self.invoice_b.name)])
                )
                History = env["stock.lot.history"]
                self.assertFalse(History.search([("lot_id", "in", self.b_lots.ids)]))
                # The shared serial's events in B stay in B.
                self.assertTrue(self.shared.history_ids)
                self.assertFalse(History.search([("lot_id", "=", self.shared.id)]))
                self.env.invalidate_all()
                self.assertFalse(self.shared.with_env(env).history_ids)
                self.assertFalse(History.search([("id", "in", b_history.ids)]))
                events = History.web_search_read([], {"lot_id": {}}, limit=200)
                self.assertFalse(
                    {record["id"] for record in events["records"]} & set(b_history.ids)
                )
                self.assertTrue(events["records"])
                for lot in self.b_lots:
                    self._assert_refused(
                        AccessError,
                        NO_LOT_ACCESS,
                        lot.with_env(env).action_serial_enquiry,
                    )
                self._assert_refused(
                    AccessError,
                    NO_HISTORY_ACCESS,
                    lambda env=env: b_history.with_env(env).read(["kind", "reference"]),
                )
                self._assert_refused(
                    AccessError,
                    NO_HISTORY_ACCESS,
                    b_history[:1].with_env(env).action_open_document,
                )

    def test_report_shows_no_serial_or_history_of_company_b(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for label, env in self._envs_in_a():
            with self.subTest(user=label):
                self._assert_refused(
                    AccessError,
                    "'read' " + NO_LOT_ACCESS,
                    lambda env=env: Report.with_env(env)
                    .with_context(force_report_rendering=True)
                    ._render_qweb_pdf(REPORT, self.sn_b1.ids),
                )
                self._assert_refused(
                    AccessError,
                    "'read' " + NO_LOT_ACCESS,
                    lambda env=env: Report.with_env(env)._render_qweb_html(
                        REPORT, (self.twin_a | self.twin_b).ids
                    ),
                )
                html = (
                    Report.with_env(env)
                    ._render_qweb_html(REPORT, self.twin_a.ids)[0]
                    .decode()
                )
                self.assertIn("SN-TWIN", html)
                for reference in self.twin_a.history_ids.mapped("reference"):
                    self.assertIn(reference, html)
                for reference in self.twin_b.history_ids.mapped("reference"):
                    self.assertNotIn(reference, html)
                self.assertNotIn(self.company_b.name, html)

    # ------------------------------------------------------------------
    # 5. Wizards
    # ------------------------------------------------------------------

    def test_correction_of_company_b_serial_refused(self):
        envs = [
            (
                "manager of A only",
                self._company_env(self.company_a, user=self.manager_a),
            ),
            self._envs_in_a()[1],
        ]
        for label, env in envs:
            with self.subTest(user=label):
                self._assert_refused(
                    AccessError,
                    OTHER_COMPANY,
                    lambda env=env: env["stock.lot.correction"]
                    .create(
                        {
                            "lot_id": self.sn_b1.id,
                            "new_name": "SN-B1-RIGHT",
                            "reason": "Digits transposed",
                        }
                    )
                    .action_apply(),
                )
                self._assert_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    self.sn_b1.with_env(env).action_correct_serial,
                )
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "SN-B1-RIGHT")]))

    def test_retrospective_receipt_with_company_b_ids_refused(self):
        envs = [
            (
                "manager of A only",
                self._company_env(self.company_a, user=self.manager_a),
            ),
            self._envs_in_a()[1],
        ]
        vals = {
            "lot_id": self.sn_b1.id,
            "location_dest_id": self.stock_b.id,
            "quantity": 1.0,
        }
        for label, env in envs:
            with self.subTest(user=label):
                Wizard = env["stock.lot.retrospective.receipt"]
                self._assert_refused(
                    AccessError,
                    OTHER_COMPANY,
                    lambda Wizard=Wizard: Wizard.create(vals).action_confirm(),
                )
                self._assert_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    self.sn_b1.with_env(env).action_retrospective_receipt,
                )
                # A's serial received into B's stock.
                wizard = Wizard.create(
                    dict(
                        vals,
                        lot_id=self.twin_a.id,
                        location_dest_id=self.stock_location.id,
                    )
                )
                self._assert_refused(
                    AccessError,
                    OTHER_COMPANY,
                    lambda wizard=wizard: wizard.write({"lot_id": self.sn_b1.id}),
                )
                wizard.location_dest_id = self.stock_b
                self._assert_refused(
                    AccessError,
                    "access to:\n- Inventory Locations (stock.location)",
                    wizard.action_confirm,
                )
        # Even for a user of both companies: a serial of A is received in A.
        env = self._company_env(self.company_a, self.company_b, user=self.user_ab)
        wizard = env["stock.lot.retrospective.receipt"].create(
            dict(vals, lot_id=self.twin_a.id)
        )
        self.assertEqual(wizard.location_dest_id, self.stock_b)
        self._assert_refused(
            UserError,
            f"is not a location of {self.company_a.name}",
            wizard.action_confirm,
        )

    # ------------------------------------------------------------------
    # 6. Public methods called with B's ids, as an RPC client would
    # ------------------------------------------------------------------

    def test_public_methods_with_company_b_ids_refused(self):
        line = self._draft_invoice().invoice_line_ids
        b_history = self.env["stock.lot.history"].search(
            [("lot_id", "in", self.b_lots.ids)]
        )
        envs = [
            *self._envs_in_a(),
            (
                "manager of A only",
                self._company_env(self.company_a, user=self.manager_a),
            ),
        ]
        for label, env in envs:
            lots = self.b_lots.with_env(env)
            lot = lots[:1]
            manager = env.user.has_group("stock.group_stock_manager")
            calls = [
                ("read", lambda lots=lots: lots.read(["name", "serial_state"])),
                ("write", lambda lots=lots: lots.write({"ref": "forged"})),
                ("unlink", lots.unlink),
                ("message_post", lambda lot=lot: lot.message_post(body="forged")),
                ("action_write_off", lot.action_write_off),
                ("action_serial_enquiry", lot.action_serial_enquiry),
                ("action_correct_serial", lot.action_correct_serial),
                ("action_retrospective_receipt", lot.action_retrospective_receipt),
            ]
            for name, call in calls:
                fragment = NO_LOT_ACCESS
                if not manager and name == "action_correct_serial":
                    fragment = "Only inventory administrators can correct"
                elif not manager and name == "action_retrospective_receipt":
                    fragment = "Only stock managers can record"
                elif name == "message_post":
                    fragment = "security restrictions"
                with self.subTest(user=label, call=name):
                    self._assert_refused(AccessError, fragment, call)
            with self.subTest(user=label, call="history"):
                self._assert_refused(
                    AccessError,
                    NO_HISTORY_ACCESS,
                    b_history[:1].with_env(env).action_open_document,
                )
            with self.subTest(user=label, call="invoice line write"):
                self._assert_refused(
                    AccessError,
                    OTHER_COMPANY,
                    lambda env=env: line.with_env(env).write(
                        {"lot_ids": [Command.set(self.b_lots.ids)]}
                    ),
                )

    def _call_kw(self, model, method, args, kwargs=None):
        """POST /web/dataset/call_kw as the web client does; the decoded reply."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def _assert_rpc_refused(self, error, fragment, *call):
        before = self._db_state()
        reply = self._call_kw(*call)
        self.assertIn("error", reply, f"{call[:2]} was accepted: {reply}")
        data = reply["error"]["data"]
        self.assertEqual(data["name"], f"odoo.exceptions.{error.__name__}")
        self.assertIn(fragment, data["message"])
        self.assertEqual(self._db_state(), before)

    def test_json_rpc_refuses_company_b_ids(self):
        line = self._draft_invoice().invoice_line_ids
        b_ids = self.b_lots.ids
        b_history = self.env["stock.lot.history"].search([("lot_id", "in", b_ids)])
        only_a = {"context": {"allowed_company_ids": self.company_a.ids}}
        for login, kwargs in (("mc_user_a", {}), ("mc_user_ab", only_a)):
            with self.subTest(user=login):
                self.authenticate(login, login)
                # What the lists and pickers receive: none of B's serials.
                listed = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "stock.lot",
                        "method": "web_search_read",
                        "args": [[["name", "ilike", "SN-"]]],
                        "kwargs": {"specification": {"name": {}}, **kwargs},
                    },
                )
                self.assertTrue(listed["records"])
                self.assertFalse({r["id"] for r in listed["records"]} & set(b_ids))
                found = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "stock.lot",
                        "method": "name_search",
                        "args": [],
                        "kwargs": {"name": "SN-TWIN", **kwargs},
                    },
                )
                self.assertEqual([i for i, _n in found], self.twin_a.ids)
                events = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "stock.lot.history",
                        "method": "web_search_read",
                        "args": [[]],
                        "kwargs": {"specification": {"lot_id": {}}, **kwargs},
                    },
                )
                self.assertFalse(
                    {r["id"] for r in events["records"]} & set(b_history.ids)
                )
                # Calls with B's ids.
                self._assert_rpc_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    "stock.lot",
                    "read",
                    [b_ids, ["name"]],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    "",
                    "stock.lot",
                    "write",
                    [b_ids, {"ref": "forged"}],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    "stock.lot",
                    "action_write_off",
                    [self.sn_b1.ids],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    NO_LOT_ACCESS,
                    "stock.lot",
                    "action_serial_enquiry",
                    [self.sn_b1.ids],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    NO_HISTORY_ACCESS,
                    "stock.lot.history",
                    "read",
                    [b_history.ids, ["kind"]],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    OTHER_COMPANY,
                    "account.move.line",
                    "write",
                    [line.ids, {"lot_ids": [[6, 0, b_ids]]}],
                    kwargs,
                )
                self._assert_rpc_refused(
                    AccessError,
                    OTHER_COMPANY,
                    "stock.lot.write.off",
                    "create",
                    [{"lot_id": self.roll_b.id}],
                    kwargs,
                )
        # A stock manager of A only: the wizards.
        self.authenticate("mc_manager_a", "mc_manager_a")
        self._assert_rpc_refused(
            AccessError,
            OTHER_COMPANY,
            "stock.lot.correction",
            "create",
            [{"lot_id": self.sn_b1.id, "new_name": "SN-X", "reason": "RPC"}],
        )
        self._assert_rpc_refused(
            AccessError,
            OTHER_COMPANY,
            "stock.lot.retrospective.receipt",
            "create",
            [{"lot_id": self.sn_b1.id, "location_dest_id": self.stock_b.id}],
        )
        self._assert_rpc_refused(
            AccessError,
            NO_LOT_ACCESS,
            "stock.lot",
            "action_correct_serial",
            [self.sn_b1.ids],
        )
        # The report's HTTP route refuses B's serial too.
        response = self.url_open(
            f"/report/pdf/product_serial_tracking.report_serial_history_document/"
            f"{self.sn_b1.id}"
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"SN-B1", response.content)
