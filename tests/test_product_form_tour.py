# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestProductFormTour(HttpCase):
    """The serial modes on the product form, in a real browser."""

    def test_choose_batch_serials_on_the_product_form(self):
        template = self.env["product.template"].create(
            {
                "name": "Tour Laptop",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        action = self.env.ref("stock.product_template_action_product")
        self.start_tour(
            f"/odoo/action-{action.id}/{template.id}",
            "product_serial_tracking_product_form",
            login="admin",
        )
        self.assertEqual(template.tracking, "lot")
