# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from types import SimpleNamespace

from lxml import etree

from odoo import Command, fields
from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import SerialTrackingCase


def view_field(env, view_xmlid, field_name):
    """The <field> node of a view, as the web client receives the view."""
    view = env.ref(view_xmlid)
    view_type = "list" if view.type == "tree" else view.type
    arch = env[view.model].get_views([(view.id, view_type)])["views"][view_type]["arch"]
    return etree.fromstring(arch).xpath(f"//field[@name='{field_name}']")[0]


def eval_view_expression(expression, parent=None, context=None, **values):
    """Evaluate a view expression (domain, context, modifier) like the client.

    Values are the record's (many2one as ids); `parent` is a dict of the
    parent record's values.
    """
    evaluation = {"context": context or {}, **values}
    if parent is not None:
        evaluation["parent"] = SimpleNamespace(**parent)
    return safe_eval(expression, evaluation)


def invoice_picker_domain(line):
    """The invoice line serial picker's domain, evaluated for the line as the
    web client does (the field's own domain; the form adds none)."""
    return safe_eval(
        line._fields["lot_ids"].domain,
        {
            "product_id": line.product_id.id,
            "company_id": line.company_id.id,
            "serial_location_ids": line.serial_location_ids.ids,
            "serial_customer_id": line.serial_customer_id.id,
        },
    )


class SerialDocumentsMixin:
    """Helpers for tests going through documents (invoices, transfers, scraps)."""

    @classmethod
    def _create_user(cls, login, groups):
        """A user of the test company with exactly these groups (xml ids)."""
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _lots(self, product, *names):
        return self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "in", names)]
        )


class SerialInvoiceCase(
    SerialDocumentsMixin, SerialTrackingCase, AccountTestInvoicingCommon
):
    """SerialTrackingCase in a company with a chart of accounts.

    AccountTestInvoicingCommon creates the company (generic chart, taxes,
    journals; Odoo gives it a warehouse) and an accountant as environment
    user; SerialTrackingCase then builds its products and locations there.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoghurt = cls._create_product(
            "Test Yoghurt", "lot", use_expiration_date=True
        )
        cls.stock_manager = cls._create_user(
            "serial_stock_manager",
            "base.group_user,stock.group_stock_manager,account.group_account_invoice",
        )

    @classmethod
    def _create_product(cls, name=None, tracking=None, **values):
        """Both parents' product builders in one.

        Called as SerialTrackingCase does (name, tracking) or as
        AccountTestInvoicingCommon does (keywords only); products get the
        company's income account and sale tax either way.
        """
        if tracking:
            values.update(type="consu", is_storable=True, tracking=tracking)
        if name:
            values["name"] = name
        return super(SerialTrackingCase, cls)._create_product(**values)

    def _invoice(
        self, lines, move_type="out_invoice", partner=None, post=False, env=None
    ):
        """A customer invoice (or credit note) of [(product, quantity, lots)]."""
        env = env or self.env
        invoice = env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.partner).id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": 100.0,
                            "lot_ids": [Command.set(lots.ids)],
                        }
                    )
                    for product, quantity, lots in lines
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def _invoice_form(self, move_type="out_invoice", env=None):
        env = env or self.env
        form = Form(
            env["account.move"].with_context(default_move_type=move_type),
            view="account.view_move_form",
        )
        form.partner_id = self.partner
        form.invoice_date = fields.Date.today()
        return form
