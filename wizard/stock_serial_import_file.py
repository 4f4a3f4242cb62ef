# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import Serials: the rows of a CSV or XLSX file, read by Odoo's own import
readers (base_import, openpyxl for XLSX), never by a parser of ours."""

import base64
import binascii
import logging
import os

from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

from . import stock_serial_import_parser as parser

_logger = logging.getLogger(__name__)


def read_file_rows(wizard):
    """Rows of the CSV or XLSX file, read by Odoo's import readers."""
    try:
        content = base64.b64decode(wizard.file, validate=False)
    except (binascii.Error, ValueError):
        content = b""
    name = wizard.file_name or wizard.env._("The file")
    extension = os.path.splitext(wizard.file_name or "")[1].lower()
    is_xlsx = guess_mimetype(content) == parser.XLSX_MIMETYPE
    if not is_xlsx and extension not in (".csv", ".txt"):
        raise UserError(
            wizard.env._(
                "%(file)s is not a CSV or XLSX file. Save it as CSV or as an "
                "Excel workbook (.xlsx), with a header row naming its columns: "
                "Serial, Quantity, Expiration Date, Product.",
                file=name,
            )
        )
    wizard._check_size(len(content), content.count(b"\n") + 1)
    table = read_table(wizard, content, is_xlsx)
    if not table:
        raise UserError(wizard.env._("%(file)s is empty.", file=name))
    wizard._check_size(len(content), len(table))
    columns = parser.header_columns(table[0])
    if "serial" not in columns:
        raise UserError(
            wizard.env._(
                "The first row of %(file)s must name its columns: Serial, and "
                "optionally Quantity, Expiration Date and Product. It reads: "
                "%(header)s",
                file=name,
                header=wizard._shown(", ".join(str(cell) for cell in table[0])),
            )
        )
    return parser.rows_of_table(table, columns)


def read_table(wizard, content, is_xlsx):
    """The file's rows as lists of strings, by base_import's readers (CSV,
    XLSX with openpyxl); a file they cannot read gets a message."""
    encoding = ""
    if not is_xlsx:
        try:
            content.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = ""  # base_import guesses it (chardet)
    importer = wizard.env["base_import.import"].new(
        {
            "res_model": "stock.move.line",
            "file": content,
            "file_name": wizard.file_name,
            "file_type": parser.XLSX_MIMETYPE if is_xlsx else "text/csv",
        }
    )
    options = {"quoting": '"', "separator": "", "encoding": encoding}
    try:
        _length, table = importer._read_file(options)
    # The readers raise whatever their libraries do on a damaged file
    # (csv.Error, zipfile.BadZipFile, KeyError, LookupError...): the user
    # gets one plain message, the details go to the log.
    except Exception as error:  # pylint: disable=broad-except
        _logger.info("Import Serials: unreadable file: %s", error)
        raise UserError(
            wizard.env._(
                "%(file)s could not be read as a %(kind)s file. Check that it "
                "is one, saved with a header row (Serial, Quantity, Expiration "
                "Date, Product).",
                file=wizard.file_name or wizard.env._("The file"),
                kind="XLSX" if is_xlsx else "CSV",
            )
        ) from None
    return list(table or [])
