# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

# A b-tree on the upper-cased name: a whole serial (a scan) and the start of
# one are found in it case-insensitively; Odoo's trigram index on the name
# answers the searches for a part of a serial.
SERIAL_NAME_INDEX = "stock_lot_serial_tracking_name_upper_index"
# A shorter text is a part of a serial, never taken as its start: two or
# three characters begin too many serials of other formats to mean one.
SERIAL_PREFIX_MIN_LENGTH = 4
# Matches kept as a list of ids: beyond, the search stays a subquery.
SERIAL_SEARCH_MAX_IDS = 5000
# Context key of the matches kept during one list search (web_search_read):
# the web client's count after its fetch reuses the search's matches.
SERIAL_SEARCH_MEMO_KEY = "serial_search_memo"


def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


class SerialSearchMemo(dict):
    """{(text, companies): matches} of one list search; hashable by identity,
    as context values must be."""

    __hash__ = object.__hash__


class StockLot(models.Model):
    """The serial search fitted to each question.

    A whole serial (scanned or typed) is found by equality, the start of a
    serial by a prefix range, both in the b-tree SERIAL_NAME_INDEX; only a
    part from the middle goes to Odoo's trigram index. The enquiry's search
    box and every serial picker (name search) search this way.
    """

    _inherit = "stock.lot"

    serial_search = fields.Char(
        string="Serial Number",
        compute="_compute_serial_search",
        search="_search_serial_search",
        help="Finds the serial of that exact name, else the serials starting "
        "with the text (of four characters or more), else those containing it "
        "(case ignored).",
    )

    def init(self):
        result = super().init()
        create_index(
            self.env.cr,
            SERIAL_NAME_INDEX,
            self._table,
            ["upper(name) text_pattern_ops"],
        )
        return result

    def _compute_serial_search(self):
        for lot in self:
            lot.serial_search = lot.name

    def _search_serial_search(self, operator, value):
        # Only "ilike" (what the search box and the pickers send) is fitted;
        # the other operators keep Odoo's meaning on the name.
        if operator != "ilike" or not isinstance(value, str):
            return [("name", operator, value)]
        # Blanks a scanner or a paste adds around a serial, not other
        # characters (Python's strip() would also take GS separators).
        text = value.strip(" \t\r\n")
        if not text:
            return expression.TRUE_DOMAIN
        matches = self._get_serial_search_matches(text)
        if isinstance(matches, list) and len(matches) > 1:
            # As a set of rows, not a list of values: PostgreSQL probes the
            # matched serials one by one (the rest of the search joined to
            # them), where a long IN list is planned as a scan of stock_lot
            # by bitmap, parallel workers and all, for a page of 80.
            matches = SQL("(SELECT unnest(%s::int[]))", matches)
        return [("id", "in", matches)]

    @api.model
    def _search_display_name(self, operator, value):
        # Every serial picker (invoice lines, transfers, write-offs, Odoo's own
        # lot fields) searches the fitted way: the same domain, its name
        # conditions answered by the indexes that suit them.
        domain = super()._search_display_name(operator, value)
        return [
            ("serial_search", leaf[1], leaf[2])
            if expression.is_leaf(leaf) and leaf[0] == "name" and leaf[1] == "ilike"
            else leaf
            for leaf in domain
        ]

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # The count the web client asks for after the page reuses the matches
        # of the page's search instead of searching the names again.
        if not isinstance(
            self.env.context.get(SERIAL_SEARCH_MEMO_KEY), SerialSearchMemo
        ):
            self = self.with_context(**{SERIAL_SEARCH_MEMO_KEY: SerialSearchMemo()})
        return super().web_search_read(
            domain,
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )

    @api.model
    def _get_serial_search_matches(self, text):
        """Ids of the serials of the user's companies this text finds: the
        serial of that exact name, else the serials starting with it, else
        those containing it (case ignored); an SQL subquery instead when
        there are more than SERIAL_SEARCH_MAX_IDS."""
        memo = self.env.context.get(SERIAL_SEARCH_MEMO_KEY)
        if not isinstance(memo, SerialSearchMemo):
            return self._find_serial_search_matches(text)
        key = (text, tuple(self.env.companies.ids))
        if key not in memo:
            memo[key] = self._find_serial_search_matches(text)
        return memo[key]

    @api.model
    def _find_serial_search_matches(self, text):
        self.flush_model(["name", "company_id"])
        for condition in self._serial_search_conditions(text):
            self.env.cr.execute(self._serial_search_probe(condition))
            ids = [row[0] for row in self.env.cr.fetchall()]
            if len(ids) > SERIAL_SEARCH_MAX_IDS:
                # Left to PostgreSQL to join with the rest of the search (it
                # probes each serial the page needs instead of listing all).
                return SQL("(SELECT id FROM stock_lot WHERE %s)", condition)
            if ids:
                return ids
        return []

    @api.model
    def _serial_search_conditions(self, text):
        """The conditions on the name this text is tried with, in this order:
        a whole serial (equality in the b-tree), the start of one (a range of
        the b-tree, from SERIAL_PREFIX_MIN_LENGTH characters), a part of one
        (the trigram index)."""
        pattern = _like_escape(text)
        whole = SQL("upper(name) = upper(%s)", text)
        start = SQL("upper(name) LIKE upper(%s)", f"{pattern}%")
        part = SQL("name ILIKE %s", f"%{pattern}%")
        if len(text) < SERIAL_PREFIX_MIN_LENGTH:
            return (whole, part)
        return (whole, start, part)

    @api.model
    def _serial_search_probe(self, condition):
        """At most SERIAL_SEARCH_MAX_IDS + 1 serials of the user's companies
        meeting the condition. The name's condition alone picks the rows
        (OFFSET 0 keeps PostgreSQL from mixing in the companies' indexes),
        then the companies filter them."""
        return SQL(
            "SELECT id FROM (SELECT id, company_id FROM stock_lot WHERE %s "
            "OFFSET 0) AS named WHERE named.company_id IS NULL "
            "OR named.company_id = ANY(%s) LIMIT %s",
            condition,
            self.env.companies.ids,
            SERIAL_SEARCH_MAX_IDS + 1,
        )
