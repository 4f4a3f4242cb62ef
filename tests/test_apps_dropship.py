# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_apps import SerialAppsMixin
from .common_invoice import SerialInvoiceCase, invoice_picker_domain


@tagged("post_install", "-at_install", "-standard", "serial_apps")
class TestAppsDropship(SerialAppsMixin, SerialInvoiceCase):
    """A dropshipped serial goes from the vendor straight to the sale order's
    customer: the customer is the sale order's delivery address, never the
    vendor the transfer names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Serial Vendor"})
        cls.site = cls.env["res.partner"].create(
            {"name": "Building Site", "parent_id": cls.partner.id, "type": "delivery"}
        )
        cls.camera = cls._create_product(
            "Test Dropship Camera",
            "serial",
            lst_price=100.0,
            route_ids=[
                Command.set(cls.env.ref("stock_dropshipping.route_drop_shipping").ids)
            ],
            seller_ids=[Command.create({"partner_id": cls.vendor.id, "price": 60.0})],
        )

    def setUp(self):
        super().setUp()
        self.order, self.purchase, self.dropship = self._dropship("CAM-1")
        self.serial = self._lot("CAM-1", self.camera)

    def _dropship(self, serial_name):
        """A confirmed sale of one camera to the customer's site, its purchase
        order confirmed, and the vendor's dropship validated with the serial."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "partner_shipping_id": self.site.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.camera.id,
                            "product_uom_qty": 1,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        purchase = self.env["purchase.order"].search(
            [("group_id", "=", order.procurement_group_id.id)]
        )
        self.assertEqual(purchase.partner_id, self.vendor)
        purchase.button_confirm()
        dropship = order.picking_ids
        self.assertEqual(len(dropship), 1)
        self.assertTrue(dropship.is_dropship)
        dropship.move_ids.move_line_ids.lot_name = serial_name
        dropship.move_ids.picked = True
        dropship.button_validate()
        self.assertEqual(dropship.state, "done")
        return order, purchase, dropship

    def _credit_note(self, partner):
        return self._invoice(
            [(self.camera, 1, self.serial)], move_type="out_refund", partner=partner
        )

    def test_dropship_delivers_to_the_sale_customer(self):
        serial = self._fresh(self.serial)
        # Odoo names the vendor on the dropship; the customer is the order's.
        self.assertEqual(self.dropship.partner_id, self.vendor)
        self.assertEqual(serial.customer_id, self.order.partner_shipping_id)
        self.assertNotEqual(serial.customer_id, self.vendor)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.warranty_start_date, fields.Date.today())
        self.assertEqual(serial.entry_origin, "dropship")
        self.assertEqual(self._events(serial), [("dropship", self.dropship.name)])

    def test_sale_invoice_moves_no_stock(self):
        invoice = self.order._create_invoices()
        line = invoice.invoice_line_ids.filtered("product_id")
        self.assertTrue(line.serial_delivered_elsewhere)
        self.assertFalse(line._is_serial_line())
        self.assertEqual(line.lot_ids, self.serial)
        stock = self._quantities(self.camera)

        invoice.action_post()

        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.serial_picking_ids)
        self.assertEqual(self._quantities(self.camera), stock)
        self.assertEqual(self._fresh(self.serial).customer_id, self.site)

    def test_customer_credit_note_takes_the_serial_back(self):
        credit_note = self._credit_note(self.partner)
        line = credit_note.invoice_line_ids
        self.assertIn(
            self.serial, self.env["stock.lot"].search(invoice_picker_domain(line))
        )

        credit_note.action_post()

        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(len(credit_note.serial_picking_ids), 1)
        self.assertEqual(
            [name for name, _location in self._stock(self.camera)], ["CAM-1"]
        )
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "in_stock")
        self.assertFalse(serial.customer_id)
        self.assertEqual(serial.history_ids[-1].kind, "credit_note")

    def test_refused_vendor_credit_note(self):
        credit_note = self._credit_note(self.vendor)
        line = credit_note.invoice_line_ids
        self.assertNotIn(
            self.serial, self.env["stock.lot"].search(invoice_picker_domain(line))
        )
        before = self._db_snapshot()

        with self.assertRaises(UserError) as caught:
            credit_note.action_post()

        self.assertIn(
            f"was delivered to {self.site.display_name}", str(caught.exception)
        )
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(self._db_snapshot(), before)
        serial = self._fresh(self.serial)
        self.assertEqual(serial.serial_state, "delivered")
        self.assertEqual(serial.customer_id, self.site)

    def test_return_to_the_vendor_leaves_no_customer(self):
        returned = self._return(self.dropship, [(self.serial, 1)])

        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.location_dest_id, self.supplier_location)
        serial = self._fresh(self.serial)
        self.assertFalse(serial.customer_id)
        self.assertNotEqual(serial.serial_state, "delivered")
        self.assertFalse(serial.warranty_start_date)
        self.assertEqual(serial.history_ids[-1].kind, "return")
