# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase


class SerialTrackingCase(TransactionCase):
    """Products, locations and helpers shared by the addon's tests.

    Builds its own data (no reliance on demo records) in the main company's
    warehouse.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": cls.stock_location.id}
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.partner = cls.env["res.partner"].create({"name": "Serial Customer"})
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.laptop = cls._create_product("Test Laptop", "serial")
        cls.carpet = cls._create_product("Test Carpet Roll", "lot")
        cls.plain = cls._create_product("Test Screws", "none")

    @classmethod
    def _create_product(cls, name, tracking, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "tracking": tracking,
                **values,
            }
        )

    @classmethod
    def _create_lot(cls, product, name, **values):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": product.id,
                "company_id": cls.company.id,
                **values,
            }
        )

    def _receive(self, product, lots_and_quantities, location=None, validate=True):
        """A receipt of (lot name, quantity) pairs, validated unless told not to."""
        location = location or self.stock_location
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": location.id,
                "partner_id": self.partner.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": sum(q for _n, q in lots_and_quantities),
                            "location_id": self.supplier_location.id,
                            "location_dest_id": location.id,
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
                    "lot_name": name,
                    "quantity": quantity,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": location.id,
                    "picking_id": picking.id,
                }
            )
            for name, quantity in lots_and_quantities
        ]
        move.picked = True
        if validate:
            picking.button_validate()
        return picking

    def _deliver(self, product, lots_and_quantities, location=None):
        """A validated delivery of (lot record, quantity) pairs to the customer."""
        location = location or self.stock_location
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": location.id,
                "location_dest_id": self.customer_location.id,
                "partner_id": self.partner.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": sum(q for _l, q in lots_and_quantities),
                            "location_id": location.id,
                            "location_dest_id": self.customer_location.id,
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
                    "location_id": location.id,
                    "location_dest_id": self.customer_location.id,
                    "picking_id": picking.id,
                }
            )
            for lot, quantity in lots_and_quantities
        ]
        move.picked = True
        picking.button_validate()
        return picking

    def _quantities(self, product):
        """{(lot name, location): quantity} of the product's internal quants."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
        )
        return {
            (quant.lot_id.name, quant.location_id.id): quant.quantity for quant in quants
        }
