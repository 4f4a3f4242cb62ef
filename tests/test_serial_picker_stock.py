# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.stock_lot import UNIQUE_SERIAL_INDEX
from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialPickerStock(SerialTrackingCase):
    """The pickers' condition, held_location_ids: the serials with stock in
    (in) or under (child_of) the locations, sold ones ruled out on their own
    row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_stock = cls.env["stock.location"].create(
            {"name": "Back Room", "location_id": cls.stock_location.location_id.id}
        )

    def _held(self, operator, locations, product):
        return sorted(
            self.env["stock.lot"]
            .search(
                [
                    ("product_id", "=", product.id),
                    ("held_location_ids", operator, locations.ids),
                ]
            )
            .mapped("name")
        )

    def test_serials_held_in_or_under_the_locations(self):
        self._receive(self.laptop, [("PK-1", 1), ("PK-2", 1)])
        self._receive(self.laptop, [("PK-3", 1)], location=self.shelf)
        self._receive(self.laptop, [("PK-4", 1)], location=self.other_stock)
        self._deliver(self.laptop, [(self._lot("PK-2", self.laptop), 1)])
        # A batch in two places: Odoo stores no single location for it.
        self._receive(self.carpet, [("ROLL-1", 5)])
        self._picking(
            self.warehouse.int_type_id,
            self.carpet,
            self.stock_location,
            self.other_stock,
            [(self._lot("ROLL-1", self.carpet), 2)],
        )
        self.assertFalse(self._lot("ROLL-1", self.carpet).location_id)

        stock, shelf = self.stock_location, self.shelf
        self.assertEqual(self._held("child_of", stock, self.laptop), ["PK-1", "PK-3"])
        self.assertEqual(self._held("in", stock, self.laptop), ["PK-1"])
        self.assertEqual(self._held("in", shelf, self.laptop), ["PK-3"])
        self.assertEqual(
            self._held("child_of", self.customer_location, self.laptop), ["PK-2"]
        )
        self.assertEqual(self._held("child_of", stock, self.carpet), ["ROLL-1"])
        self.assertEqual(self._held("in", self.other_stock, self.carpet), ["ROLL-1"])
        self.assertEqual(self._held("in", shelf, self.carpet), [])
        # What the serial shows: where its stock is.
        self.assertEqual(
            self._lot("ROLL-1", self.carpet).held_location_ids,
            self.stock_location | self.other_stock,
        )
        self.assertFalse(self._lot("PK-2", self.laptop).held_location_ids & stock)

    def test_another_operator_is_refused(self):
        self._receive(self.laptop, [("PK-9", 1)])
        lots_before = self.env["stock.lot"].search_count([])
        with self.assertRaisesRegex(UserError, "held only with in or child_of, not ="):
            self.env["stock.lot"].search(
                [("held_location_ids", "=", self.stock_location.id)]
            )
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)
        self.assertEqual(self._held("in", self.stock_location, self.laptop), ["PK-9"])

    def test_sold_serials_are_ruled_out_on_their_own_row(self):
        """A picker opened on a product whose first serials by name are sold:
        its walk of the unique index filters them on the serial's stored
        location, before any quant is read. EXPLAIN after 3,000 sold serials
        and an ANALYZE (rolled back), sequential scans and sorts off."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_lot (name, product_id, company_id, product_uom_id,"
                " location_id) SELECT 'PK-SOLD-' || lpad(n::text, 4, '0'), %s, %s,"
                " %s, %s FROM generate_series(1, 3000) n",
                self.laptop.id,
                self.company.id,
                self.laptop.uom_id.id,
                self.customer_location.id,
            )
        )
        self._receive(self.laptop, [("PK-UNSOLD", 1)])
        self.env.cr.execute("ANALYZE stock_lot")
        Lot = self.env["stock.lot"].with_context(
            serial_picker_location_id=self.stock_location.id
        )
        domain = [
            ("product_id", "=", self.laptop.id),
            ("held_location_ids", "child_of", self.stock_location.id),
        ]
        self.assertEqual(
            [name for _id, name in Lot.name_search("", domain, limit=8)],
            ["PK-UNSOLD (1 Units)"],
        )
        query = Lot._search(domain, limit=8, order=Lot._order)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_sort = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = [row[0] for row in self.env.cr.fetchall()]
        (scan,) = [
            index for index, line in enumerate(plan) if UNIQUE_SERIAL_INDEX in line
        ]
        # The lines of the serials' scan: its index condition, then its filter.
        scan_filter = " ".join(plan[scan + 1 : scan + 3])
        self.assertIn("location_id IS NULL", scan_filter, "\n".join(plan))
