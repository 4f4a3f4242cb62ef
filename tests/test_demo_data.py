# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data `make run` shows: received serials and batches, with expiry."""

    def _lots(self, xmlid):
        return self.env["stock.lot"].search(
            [("product_id", "=", self.env.ref(xmlid).id)]
        )

    def test_demo_products_received_with_serials(self):
        if not self.env.ref("product_serial_tracking.product_laptop_demo", False):
            self.skipTest("database installed without demo data")
        laptops = self._lots("product_serial_tracking.product_laptop_demo")
        self.assertEqual(len(laptops), 4)
        self.assertEqual(set(laptops.mapped("product_qty")), {1.0})
        self.assertEqual(
            self.env.ref("product_serial_tracking.product_tv_demo").tracking, "serial"
        )
        carpet = self._lots("product_serial_tracking.product_carpet_demo")
        self.assertEqual(sorted(carpet.mapped("product_qty")), [25.0, 30.0])
        self.assertEqual(
            self.env.ref("product_serial_tracking.receipt_batches_demo").state, "done"
        )

    def test_demo_yoghurt_expiry(self):
        if not self.env.ref("product_serial_tracking.product_yoghurt_demo", False):
            self.skipTest("database installed without demo data")
        yoghurt = self._lots("product_serial_tracking.product_yoghurt_demo")
        now = fields.Datetime.now()
        expired = yoghurt.filtered(lambda lot: lot.expiration_date < now)
        soon = yoghurt.filtered(
            lambda lot: now < lot.expiration_date < fields.Datetime.add(now, days=7)
        )
        self.assertEqual(expired.mapped("name"), ["YG-2611-A"])
        self.assertEqual(soon.mapped("name"), ["YG-2612-B"])
        self.assertTrue(all(lot.product_qty > 0 for lot in yoghurt))
