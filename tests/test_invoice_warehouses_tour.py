# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestInvoiceWarehousesTour(SerialTrackingCase, HttpCase):
    """A customer invoice sells a serial of its company's second warehouse, in
    a real browser."""

    def setUp(self):
        super().setUp()
        self.warehouse.name = "Main Tour Warehouse"
        self.second_warehouse = self.env["stock.warehouse"].create(
            {
                "name": "Second Tour Warehouse",
                "code": "WHT2",
                "company_id": self.company.id,
            }
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Warehouse Customer"}
        )
        self.product = self._create_product(
            "Tour Warehouse Laptop", "serial", list_price=899.0
        )
        self._receive(self.product, [("SN-WH1-TOUR", 1)])
        self._picking(
            self.second_warehouse.in_type_id,
            self.product,
            self.supplier_location,
            self.second_warehouse.lot_stock_id,
            [("SN-WH2-TOUR", 1)],
            partner=self.partner,
        )
        self.serial = self._lot("SN-WH2-TOUR", self.product)
        self.action = self.env.ref("account.action_move_out_invoice_type")

    def test_invoice_a_serial_of_the_second_warehouse(self):
        first_stock = self.stock_location
        second_stock = self.second_warehouse.lot_stock_id
        self.assertEqual(
            self._stock(self.product),
            {
                ("SN-WH1-TOUR", first_stock.id): 1.0,
                ("SN-WH2-TOUR", second_stock.id): 1.0,
            },
        )
        self.start_tour(
            f"/odoo/action-{self.action.id}/new",
            "product_serial_tracking_invoice_warehouses_tour",
            login="admin",
        )
        self.env.invalidate_all()
        invoice = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.serial_warehouse_id, self.warehouse)
        self.assertEqual(invoice.invoice_line_ids.lot_ids, self.serial)
        delivery = invoice.serial_picking_ids
        self.assertEqual(len(delivery), 1, "one delivery: one warehouse involved")
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.picking_type_id, self.second_warehouse.out_type_id)
        self.assertEqual(delivery.move_line_ids.lot_id, self.serial)
        self.assertEqual(delivery.move_line_ids.location_id, second_stock)
        # The serial left the second warehouse; the first one's stayed.
        self.assertEqual(
            self._stock(self.product), {("SN-WH1-TOUR", first_stock.id): 1.0}
        )
        self.assertEqual(self.serial.location_id, self.customer_location)
