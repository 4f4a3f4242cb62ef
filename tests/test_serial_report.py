# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import SerialTrackingCase

REPORT = "product_serial_tracking.report_serial_history"


@tagged("post_install", "-at_install")
class TestSerialReport(SerialTrackingCase, HttpCase):
    """The "Serial history" PDF: facts and timeline, printed by wkhtmltopdf.

    An HttpCase: wkhtmltopdf loads the report's style sheets from the test
    server, as it does from a running Odoo.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.serial_warranty_months = 12
        cls.stock_user = new_test_user(
            cls.env, login="report_stock_user", groups="stock.group_stock_user"
        )

    def setUp(self):
        super().setUp()
        receipt = self._receive(self.laptop, [("SN-PDF-1", 1), ("SN-PDF-2", 1)])
        self.lot = self._lot("SN-PDF-1")
        self.other = self._lot("SN-PDF-2")
        self.delivery = self._deliver(self.laptop, [(self.lot, 1)])
        self.receipt = receipt

    def test_pdf_renders(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.stock_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.lot.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_pdf_of_several_serials(self):
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, (self.lot | self.other).ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        # One serial per page.
        self.assertEqual(PdfFileReader(io.BytesIO(pdf)).getNumPages(), 2)

    def test_content_has_facts_and_timeline_in_order(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.stock_user)
            ._render_qweb_html(REPORT, self.lot.ids)[0]
            .decode()
        )
        self.assertIn("SN-PDF-1", html)
        self.assertIn("Serial Customer", html)
        self.assertIn("Delivered", html)
        self.assertIn("days left", html)
        receipt_at = html.index(self.receipt.name)
        delivery_at = html.index(self.delivery.name)
        self.assertLess(receipt_at, delivery_at)

    def test_printable_from_the_list_and_the_enquiry(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "stock.lot")
        self.assertEqual(report.report_type, "qweb-pdf")
        form = self.env.ref("product_serial_tracking.stock_lot_enquiry_view_form")
        self.assertIn(f'name="{report.id}"', form.arch_db)
