# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time

from odoo import Command
from odoo.tests import TransactionCase
from odoo.tools import SQL


def wait_until_blocked(registry, pid, timeout=10):
    """Wait until database backend `pid` waits on a lock held by another user.

    Concurrency tests use it to prove that the second transaction really met
    the first one's lock before the first is allowed to commit.
    """
    deadline = time.monotonic() + timeout
    with registry.cursor() as cr:
        while pid and time.monotonic() < deadline:
            cr.execute(
                SQL("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid)
            )
            row = cr.fetchone()
            if row and row[0] == "Lock":
                return True
            cr.rollback()
            time.sleep(0.05)
    return False


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

    def _picking(
        self,
        picking_type,
        product,
        source,
        destination,
        lines,
        validate=True,
        partner=None,
    ):
        """A transfer of one product whose move lines are `lines`.

        `lines` is a list of (serial, quantity): a serial is a lot record, or a
        name to receive. The picking is validated unless told not to.
        """
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": partner.id if partner else False,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": sum(q for _s, q in lines),
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
                    **(
                        {"lot_name": serial}
                        if isinstance(serial, str)
                        else {"lot_id": serial.id}
                    ),
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "picking_id": picking.id,
                }
            )
            for serial, quantity in lines
        ]
        move.picked = True
        if validate:
            picking.button_validate()
        return picking

    def _receive(self, product, lots_and_quantities, location=None, validate=True):
        """A receipt of (lot name, quantity) pairs, validated unless told not to."""
        return self._picking(
            self.warehouse.in_type_id,
            product,
            self.supplier_location,
            location or self.stock_location,
            lots_and_quantities,
            validate=validate,
            partner=self.partner,
        )

    def _deliver(self, product, lots_and_quantities, location=None):
        """A validated delivery of (lot record, quantity) pairs to the customer."""
        return self._picking(
            self.warehouse.out_type_id,
            product,
            location or self.stock_location,
            self.customer_location,
            lots_and_quantities,
            partner=self.partner,
        )

    def _quantities(self, product):
        """{(lot name, location): quantity} of the product's internal quants."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
        )
        return {
            (quant.lot_id.name, quant.location_id.id): quant.quantity
            for quant in quants
        }

    def _stock(self, product):
        """Like _quantities(), without the quants emptied by moves."""
        quantities = self._quantities(product)
        return {key: quantity for key, quantity in quantities.items() if quantity}

    def _lot(self, name, product=None):
        """The serial of that name (of the product, when given)."""
        domain = [("name", "=", name)]
        if product:
            domain.append(("product_id", "=", product.id))
        return self.env["stock.lot"].search(domain)

    def _db_snapshot(self, *counted):
        """What a refused operation must leave as it was, read from the database.

        Every quant (product, serial, location and its usage, package,
        quantity), every serial (name, company, reference, investigation flag,
        correction links, status), the serials of every invoice line, and the
        number of transfers, stock moves (done ones apart), move lines,
        write-offs, invoices (posted ones, and those allowed to sell expired
        serials, apart) and activities; all read as superuser, archived
        records included. `counted`: more models whose records are counted
        (the wizards, for tests that open none between the two snapshots).
        """
        self.env.flush_all()
        self.env.invalidate_all()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        env.cr.execute(
            SQL(
                "SELECT move_line_id, lot_id FROM account_move_line_stock_lot_rel"
                " ORDER BY move_line_id, lot_id"
            )
        )
        invoice_line_serials = env.cr.fetchall()
        moves, invoices = env["stock.move"], env["account.move"]
        return {
            "quants": sorted(
                (
                    quant.product_id.id,
                    quant.lot_id.id,
                    quant.lot_id.name or "",
                    quant.location_id.id,
                    quant.location_id.usage,
                    quant.package_id.id,
                    quant.quantity,
                )
                for quant in env["stock.quant"].search([])
            ),
            "lots": sorted(
                (
                    lot.id,
                    lot.name,
                    lot.company_id.id,
                    lot.ref or "",
                    lot.to_investigate,
                    lot.corrected_from_id.id,
                    lot.corrected_to_id.id,
                    lot.serial_state,
                )
                for lot in env["stock.lot"].search([])
            ),
            "invoice_line_serials": invoice_line_serials,
            "pickings": env["stock.picking"].search_count([]),
            "moves": moves.search_count([]),
            "moves_done": moves.search_count([("state", "=", "done")]),
            "move_lines": env["stock.move.line"].search_count([]),
            "scraps": env["stock.scrap"].search_count([]),
            "invoices": invoices.search_count([]),
            "posted": invoices.search_count([("state", "=", "posted")]),
            "allowed_expired": invoices.search_count(
                [("allow_expired_serials", "=", True)]
            ),
            "activities": env["mail.activity"].search_count([]),
            **{model: env[model].search_count([]) for model in counted},
        }

    def _return(self, picking, lots_and_quantities):
        """A validated return of a done transfer: (lot record, quantity) pairs."""
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = sum(
                quantity
                for lot, quantity in lots_and_quantities
                if lot.product_id == line.product_id
            )
        return_picking = wizard._create_return()
        for move in return_picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": move.product_id.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "picking_id": return_picking.id,
                    }
                )
                for lot, quantity in lots_and_quantities
                if lot.product_id == move.product_id
            ]
            move.picked = True
        return_picking.button_validate()
        return return_picking

    def _transfer(self, lots_and_quantities, source, destination):
        """A validated internal transfer of (lot record, quantity) pairs."""
        return self._picking(
            self.warehouse.int_type_id,
            lots_and_quantities[0][0].product_id,
            source,
            destination,
            lots_and_quantities,
        )

    def _scrap(self, lot, quantity, location=None):
        """A validated write-off of a quantity of the serial."""
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": lot.product_id.id,
                "product_uom_id": lot.product_id.uom_id.id,
                "lot_id": lot.id,
                "scrap_qty": quantity,
                "location_id": (location or self.stock_location).id,
            }
        )
        scrap.action_validate()
        return scrap

    def _count(self, lot, quantity, location=None):
        """An applied inventory count of the serial at the location."""
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "location_id": (location or self.stock_location).id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        return quant
