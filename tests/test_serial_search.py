# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import Command
from odoo.osv import expression
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..models.stock_lot import UNIQUE_SERIAL_INDEX
from ..models.stock_lot_search import SERIAL_NAME_INDEX, SERIAL_SEARCH_MAX_IDS
from .common import SerialTrackingCase

SEARCH_VIEW = "product_serial_tracking.stock_lot_enquiry_view_search"
LIST_SPEC = {"name": {}, "serial_state": {}, "last_move_date": {}}
LIST_ORDER = "last_move_date desc, id desc"


@tagged("post_install", "-at_install")
class TestSerialSearch(SerialTrackingCase):
    """A whole serial, the start of one, a part of one: each found the way
    that fits, in the enquiry's search box and in every picker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        names = ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100", "XSN-ABC-1", "SN_ABC-7"]
        cls.lots = {name: cls._create_lot(cls.laptop, name) for name in names}
        cls.other_company = cls.env["res.company"].create({"name": "Other Serials"})
        cls.user = new_test_user(
            cls.env,
            "serial.searcher",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.foreign = cls.env["stock.lot"].create(
            {
                "name": "ABC-10",
                "product_id": cls.laptop.id,
                "company_id": cls.other_company.id,
            }
        )

    def setUp(self):
        super().setUp()
        # A stock user of the test company: record rules apply.
        self.env = self.env(user=self.user)

    def _names(self, domain):
        return sorted(self.env["stock.lot"].search(domain).mapped("name"))

    def _fitted(self, text):
        domain = [("product_id", "=", self.laptop.id), ("serial_search", "ilike", text)]
        return self._names(domain)

    def test_a_whole_serial_finds_that_serial_only(self):
        """A scan: the serial of that name, not the longer ones holding it."""
        self.assertEqual(self._fitted("SN-ABC-1"), ["SN-ABC-1"])
        self.assertEqual(self._fitted("  sn-abc-1 "), ["SN-ABC-1"])

    def test_the_start_of_a_serial_finds_those_starting_with_it(self):
        self.assertEqual(
            self._fitted("sn-abc"), ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100"]
        )

    def test_a_few_characters_are_a_part_not_a_start(self):
        """Under four characters a text is a part of a serial: SN- finds the
        serials containing it, XSN-ABC-1 too."""
        self.assertEqual(
            self._fitted("sn-"),
            ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100", "XSN-ABC-1"],
        )
        self.assertEqual(self._fitted("SN-A"), ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100"])

    def test_a_part_of_a_serial_finds_those_containing_it(self):
        self.assertEqual(
            self._fitted("ABC-1"),
            ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100", "XSN-ABC-1"],
        )
        self.assertEqual(self._fitted("abc-10"), ["SN-ABC-10", "SN-ABC-100"])

    def test_wildcards_typed_are_plain_characters(self):
        self.assertEqual(self._fitted("SN_ABC"), ["SN_ABC-7"])
        self.assertEqual(self._fitted("%"), [])
        self.assertEqual(self._fitted("SN-ABC-%"), [])
        self.assertEqual(self._fitted("no such serial"), [])

    def test_an_empty_search_finds_every_serial(self):
        self.assertEqual(len(self._fitted("  ")), len(self.lots))

    def test_another_companys_serial_does_not_hide_ours(self):
        """ABC-10 is a whole serial of another company only: ours containing
        it are found, theirs is not shown."""
        self.assertEqual(
            self._names([("serial_search", "ilike", "ABC-10")]),
            ["SN-ABC-10", "SN-ABC-100"],
        )
        other = self.env["stock.lot"].sudo().with_company(self.other_company)
        self.assertEqual(
            other.search([("serial_search", "ilike", "abc-10")]).mapped("name"),
            ["ABC-10"],
        )

    def test_pickers_search_the_fitted_way(self):
        """name_search (the Many2one autocomplete of every serial picker)."""
        Lot = self.env["stock.lot"]
        domain = [("product_id", "=", self.laptop.id)]
        for text, expected in (
            ("SN-ABC-1", ["SN-ABC-1"]),
            ("sn-abc-1", ["SN-ABC-1"]),
            ("SN-ABC", ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100"]),
            ("ABC-10", ["SN-ABC-10", "SN-ABC-100"]),
        ):
            found = [name for _id, name in Lot.name_search(text, domain, limit=8)]
            self.assertEqual(sorted(found), expected, text)
        # Other operators keep Odoo's meaning.
        found = Lot.name_search("SN-ABC-1", domain, operator="not ilike", limit=8)
        self.assertEqual(sorted(name for _id, name in found), ["SN_ABC-7"])
        self.assertEqual(Lot.name_search("sn-abc", domain, operator="=ilike"), [])
        found = Lot.name_search("sn-abc-1_", domain, operator="=ilike")
        self.assertEqual(sorted(name for _id, name in found), ["SN-ABC-10"])

    def test_the_search_box_offers_the_fitted_search_and_contains(self):
        arch = etree.fromstring(
            self.env["stock.lot"].get_view(self.env.ref(SEARCH_VIEW).id, "search")[
                "arch"
            ]
        )
        domains = [node.get("filter_domain") for node in arch.iter("field")]
        self.assertIn("[('serial_search', 'ilike', self)]", domains)
        self.assertIn("[('name', 'ilike', self)]", domains)

    def _text_searches(self, call):
        """The names searches (the three of _find_serial_search_matches) made
        while running `call`, read from Odoo's query log."""
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logged:
            call()
        return [
            line
            for line in logged.output
            if "FROM stock_lot WHERE" in line
            and ("upper(name)" in line or "name ILIKE" in line)
        ]

    def test_the_count_does_not_search_the_names_again(self):
        """web_search_read fetches a page, then counts: the names are searched
        once, the count reuses the matches."""
        Lot = self.env["stock.lot"]
        many = [
            {"name": f"SN-PAGE-{index:03d}", "product_id": self.laptop.id}
            for index in range(12)
        ]
        Lot.create(many)
        self.env.flush_all()
        result = {}

        def search():
            result.update(
                Lot.web_search_read(
                    [("serial_search", "ilike", "sn-page")],
                    LIST_SPEC,
                    limit=10,
                    order=LIST_ORDER,
                    count_limit=10001,
                )
            )

        searches = self._text_searches(search)
        self.assertEqual(result["length"], 12)
        self.assertEqual(len(result["records"]), 10)
        # Exact (none), then the prefix: two probes, once.
        self.assertEqual(len(searches), 2, searches)

    def test_many_matches_stay_a_subquery(self):
        """More matches than SERIAL_SEARCH_MAX_IDS are not read into memory:
        the search stays a subquery, with the same results."""
        matches = self.env["stock.lot"]._find_serial_search_matches("SN-ABC")
        self.assertEqual(
            sorted(matches),
            sorted(
                lot.id for name, lot in self.lots.items() if name.startswith("SN-ABC")
            ),
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_lot (name, product_id, company_id, product_uom_id) "
                "SELECT 'SN-BULK-' || n, %s, %s, %s FROM generate_series(1, %s) n",
                self.laptop.id,
                self.company.id,
                self.laptop.uom_id.id,
                SERIAL_SEARCH_MAX_IDS + 1,
            )
        )
        matches = self.env["stock.lot"]._find_serial_search_matches("sn-bulk-")
        self.assertIsInstance(matches, SQL)
        self.assertEqual(
            self.env["stock.lot"].search_count(
                [("serial_search", "ilike", "sn-bulk-")]
            ),
            SERIAL_SEARCH_MAX_IDS + 1,
        )

    def test_several_matches_are_joined_as_rows(self):
        """Several matches go to the rest of the search as a set of rows (one
        probe per matched serial), one match as a value; same serials."""
        Lot = self.env["stock.lot"]
        ((_field, _operator, several),) = Lot._search_serial_search("ilike", "SN-ABC")
        self.assertIsInstance(several, SQL)
        self.assertIn("unnest", several.code)
        self.assertEqual(
            self._fitted("SN-ABC"), ["SN-ABC-1", "SN-ABC-10", "SN-ABC-100"]
        )
        ((_field, _operator, one),) = Lot._search_serial_search("ilike", "SN-ABC-10")
        self.assertEqual(one, [self.lots["SN-ABC-10"].id])

    def test_each_question_uses_the_index_that_fits(self):
        """EXPLAIN of the very queries the search makes, in their order
        (sequential scans off: the test database is too small for the planner
        to prefer an index)."""
        self.assertTrue(index_exists(self.env.cr, SERIAL_NAME_INDEX))
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [SERIAL_NAME_INDEX]
        )
        self.assertIn("upper((name)::text) text_pattern_ops", self.env.cr.fetchone()[0])
        Lot = self.env["stock.lot"]
        queries = [
            Lot._serial_search_probe(condition)
            for condition in Lot._serial_search_conditions("ABC-1")
        ]
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        for query, index in zip(
            queries,
            [SERIAL_NAME_INDEX, SERIAL_NAME_INDEX, "stock_lot__name_index"],
            strict=True,
        ):
            self.env.cr.execute(SQL("EXPLAIN %s", query))
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn(index, plan, plan)

    def test_a_picker_lists_a_products_serials_from_the_unique_index(self):
        """A serial picker opened on a product of many serials: its first
        names come in order from the unique index (product, name, company),
        no sort of all the product's serials. EXPLAIN after 3,000 serials of
        the product and an ANALYZE (both rolled back), sequential scans and
        sorts off: the planner must show the ordered path exists."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_lot (name, product_id, company_id, product_uom_id) "
                "SELECT 'SN-MANY-' || n, %s, %s, %s FROM generate_series(1, 3000) n",
                self.laptop.id,
                self.company.id,
                self.laptop.uom_id.id,
            )
        )
        self.env.cr.execute("ANALYZE stock_lot")
        Lot = self.env["stock.lot"]
        domain = expression.AND(
            [
                Lot._search_display_name("ilike", ""),
                [("product_id", "=", self.laptop.id)],
                ["|", ("company_id", "=", self.company.id), ("company_id", "=", False)],
            ]
        )
        # As name_search() fetches: the model's order.
        query = Lot._search(domain, limit=8, order=Lot._order)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_sort = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn(UNIQUE_SERIAL_INDEX, plan, plan)
        # At most an incremental sort of the ids of one name, never a sort.
        self.assertNotRegex(plan, r"(^|->\s+)Sort\b", plan)

    def test_the_unique_index_of_18_0_1_is_made_again(self):
        """18.0.1 made it on (product, company, name): an upgrade re-makes it
        with the name second, still refusing the same duplicates."""
        cr = self.env.cr
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(UNIQUE_SERIAL_INDEX)))
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON stock_lot "
                "(product_id, COALESCE(company_id, 0), name)",
                SQL.identifier(UNIQUE_SERIAL_INDEX),
            )
        )
        self.env["stock.lot"]._create_unique_serial_index()
        cr.execute(SQL("SELECT pg_get_indexdef(%s::regclass)", UNIQUE_SERIAL_INDEX))
        definition = cr.fetchone()[0]
        self.assertIn("UNIQUE INDEX", definition)
        self.assertTrue(
            definition.endswith("(product_id, name, COALESCE(company_id, 0))"),
            definition,
        )
