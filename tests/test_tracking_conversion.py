# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestTrackingConversion(SerialTrackingCase):
    """Rule 1: the tracking mode changes only at zero stock, in any direction."""

    def test_labels_read_as_users_say_them(self):
        labels = dict(
            self.env["product.template"]
            ._fields["tracking"]
            ._description_selection(self.env)
        )
        self.assertEqual(labels["serial"], "Unique serial number")
        self.assertEqual(labels["lot"], "Multiple quantity (batch) serial number")
        self.assertEqual(labels["none"], "No serial number")

    def test_change_allowed_without_stock_in_every_direction(self):
        template = self.laptop.product_tmpl_id
        for tracking in ("lot", "none", "serial", "none", "lot", "serial"):
            template.tracking = tracking
            self.assertEqual(template.tracking, tracking)

    def test_change_allowed_through_the_product_form(self):
        with Form(self.carpet.product_tmpl_id) as form:
            form.tracking = "serial"
        self.assertEqual(self.carpet.tracking, "serial")

    def test_change_allowed_once_stock_is_gone(self):
        self._receive(self.laptop, [("SN-GONE-1", 1)])
        lot = self.env["stock.lot"].search([("name", "=", "SN-GONE-1")])
        self._deliver(self.laptop, [(lot, 1)])
        self.laptop.product_tmpl_id.tracking = "none"
        self.assertEqual(self.laptop.tracking, "none")

    def test_refused_with_serial_stock_names_product_and_locations(self):
        self._receive(self.laptop, [("SN-A", 1), ("SN-B", 1)], location=self.shelf)
        self._receive(self.laptop, [("SN-C", 1)])
        before = self._quantities(self.laptop)
        for tracking in ("none", "lot"):
            with self.assertRaises(UserError) as caught:
                self.laptop.product_tmpl_id.tracking = tracking
            message = str(caught.exception)
            self.assertIn("only be changed when the product has no stock", message)
            self.assertIn("Test Laptop: 2 Units in WH/Stock/Shelf 1", message)
            self.assertIn("Test Laptop: 1 Units in WH/Stock", message)
            self.assertEqual(self.laptop.tracking, "serial")
        self.assertEqual(self._quantities(self.laptop), before)

    def test_refused_from_no_serial_to_serial(self):
        self.env["stock.quant"]._update_available_quantity(
            self.plain, self.stock_location, 7
        )
        for tracking in ("serial", "lot"):
            with self.assertRaises(UserError) as caught:
                self.plain.product_tmpl_id.write({"tracking": tracking})
            self.assertIn("Test Screws: 7 Units in WH/Stock", str(caught.exception))
        self.assertEqual(self.plain.tracking, "none")

    def test_refused_for_negative_stock(self):
        self.env["stock.quant"]._update_available_quantity(
            self.plain, self.stock_location, -3
        )
        with self.assertRaises(UserError) as caught:
            self.plain.product_tmpl_id.tracking = "lot"
        self.assertIn("-3 Units", str(caught.exception))

    def test_refused_for_stock_of_another_company(self):
        other = self.env["res.company"].create({"name": "Serial Company B"})
        other_stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", other.id)], limit=1)
            .lot_stock_id
        )
        self.env["stock.quant"].with_company(other)._update_available_quantity(
            self.plain, other_stock, 5
        )
        with self.assertRaises(UserError) as caught:
            self.plain.product_tmpl_id.tracking = "serial"
        self.assertIn(other_stock.display_name, str(caught.exception))
        self.assertEqual(self.plain.tracking, "none")

    def test_refused_through_the_variant(self):
        self.env["stock.quant"]._update_available_quantity(
            self.plain, self.stock_location, 2
        )
        with self.assertRaises(UserError):
            self.plain.write({"tracking": "serial"})
        self.assertEqual(self.plain.tracking, "none")

    def test_same_mode_written_again_is_no_change(self):
        self._receive(self.laptop, [("SN-SAME", 1)])
        self.laptop.product_tmpl_id.write({"tracking": "serial", "name": "Laptop 2"})
        self.assertEqual(self.laptop.name, "Laptop 2")
