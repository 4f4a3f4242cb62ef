# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What Import Serials reads: pasted lines and CSV/XLSX files, as rows.

Pure reading, no database: a row is the line (or file row) number, its text as
the user gave it, and its fields as strings. Files are read by Odoo's own
readers (base_import, with openpyxl for XLSX); the wizard checks the rows.
"""

import math
import re
from collections import namedtuple
from datetime import date, datetime

# A row of the import: number (1-based, the header is row 1 of a file), the
# value shown in messages, and its fields as given (strings, "" when absent).
# too_many: a pasted line of more fields than serial;qty;expiry;product.
Row = namedtuple("Row", "number value serial quantity expiry product too_many")

# At most this many lines, serials or bytes in one import: beyond, the user is
# asked to split the file (a receipt of more is no longer readable either).
MAX_LINES = 100_000
MAX_BYTES = 20 * 1024 * 1024
# A range "PREFIX-0001..PREFIX-0250": the same prefix, a number at the end.
RANGE_SEPARATOR = ".."
RANGE_END = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
# The separators of a pasted line, in the order they are looked for.
SEPARATORS = ("\t", ";", ",")
# A file's header names (lower case, letters and digits only) per column.
HEADERS = {
    "serial": {
        "serial",
        "serials",
        "serialnumber",
        "serialno",
        "sn",
        "lot",
        "lotnumber",
        "lotserialnumber",
        "batch",
        "batchnumber",
        "name",
    },
    "quantity": {"quantity", "qty", "units", "quantities"},
    "expiry": {
        "expirationdate",
        "expirydate",
        "expiry",
        "expiration",
        "expires",
        "expirationdatetime",
    },
    "product": {
        "product",
        "productcode",
        "internalreference",
        "defaultcode",
        "reference",
        "barcode",
        "gtin",
        "sku",
    },
}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def split_text(text, is_gs1):
    """Rows of pasted text: `serial`, `serial;qty`, `serial;qty;expiry` or
    `serial;qty;expiry;product` (tab, `;` or `,`), a GS1 code (`is_gs1(line)`)
    whole. Blank lines are skipped."""
    rows = []
    # Not splitlines(): it also breaks at the GS separator (\x1d) of raw GS1.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        rows.append(split_line(number, line, is_gs1))
    return rows


def split_line(number, line, is_gs1):
    value = line.strip()
    if is_gs1(value):
        return Row(number, value, value, "", "", "", False)
    separator = next((sep for sep in SEPARATORS if sep in value), None)
    fields = (
        [field.strip() for field in value.split(separator)] if separator else [value]
    )
    fields += [""] * (4 - len(fields))
    return Row(number, value, *fields[:4], len(fields) > 4)


def count_lines(text):
    return text.count("\n") + 1 if text else 0


def header_columns(header):
    """{column name: index} of a header row; unknown columns are ignored."""
    columns = {}
    for index, cell in enumerate(header):
        key = re.sub(r"[^0-9a-z]", "", str(cell).lower())
        for column, names in HEADERS.items():
            if key in names and column not in columns:
                columns[column] = index
    return columns


def rows_of_table(table, columns):
    """Rows of a file's table (lists of strings, header first)."""
    rows = []
    for number, cells in enumerate(table[1:], 2):
        cells = ["" if cell is None else str(cell) for cell in cells]

        def cell(column, cells=cells):
            index = columns.get(column)
            return (
                cells[index].strip() if index is not None and index < len(cells) else ""
            )

        if not any(cell.strip() for cell in cells):
            continue
        value = "; ".join(cell.strip() for cell in cells if cell.strip())
        rows.append(
            Row(
                number,
                value,
                cell("serial"),
                cell("quantity"),
                cell("expiry"),
                cell("product"),
                False,
            )
        )
    return rows


def expand_range(serial):
    """The serials of a range `PREFIX-0001..PREFIX-0250` (zero padding kept),
    None when serial is not a range, or a string saying why the range is
    wrong ("prefix", "order", "size")."""
    if RANGE_SEPARATOR not in serial:
        return None
    first, _sep, last = serial.partition(RANGE_SEPARATOR)
    start, end = RANGE_END.match(first.strip()), RANGE_END.match(last.strip())
    if not start or not end or start["prefix"] != end["prefix"]:
        return "prefix"
    low, high = int(start["number"]), int(end["number"])
    if high < low:
        return "order"
    if high - low + 1 > MAX_LINES:
        return "size"
    padding = len(start["number"])
    prefix = start["prefix"]
    return [f"{prefix}{number:0{padding}d}" for number in range(low, high + 1)]


def parse_quantity(text, decimal_point="."):
    """The positive quantity of text ("" is 1), or None."""
    if not text:
        return 1.0
    candidates = [text]
    if decimal_point != ".":
        candidates.append(text.replace(decimal_point, "."))
    for candidate in candidates:
        try:
            quantity = float(candidate)
        except ValueError:
            continue
        if math.isfinite(quantity) and quantity > 0:
            return quantity
        return None
    return None


def parse_date(text, date_format):
    """The date of text in ISO form (2026-12-31, time allowed) or in the
    user's language format; None when it is not a date."""
    match = ISO_DATE.match(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        return datetime.strptime(text, date_format).date()
    except ValueError:
        return None
