# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from .common_invoice import SerialInvoiceCase

# ValidationError and AccessError are UserErrors: what the user is shown.
REFUSED = UserError


@tagged("post_install", "-at_install")
class TestBadInput(SerialInvoiceCase):
    """Malformed input on every entry point: a clear message, nothing changed.

    Each input is a subTest; each checks the error's class and a meaningful
    part of its message, and that stock and documents are as they were.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Bad Input Co"})
        cls.other_lot = cls.env["stock.lot"].create(
            {
                "name": "SN-OTHER-CO",
                "product_id": cls.laptop.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.stock_user = cls._create_user(
            "bad_input_stock_user", "stock.group_stock_user"
        )

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-BAD-1", 1), ("SN-BAD-2", 1)])
        self._receive(self.carpet, [("ROLL-BAD", 5.0)])
        self.sn1 = self._lot("SN-BAD-1", self.laptop)
        self.sn2 = self._lot("SN-BAD-2", self.laptop)
        self.gone = self._create_lot(self.laptop, "SN-BAD-GONE")

    def _assert_refused(self, label, call, fragment, error=REFUSED):
        """call() raises `error` whose message holds `fragment`; DB unchanged."""
        with self.subTest(input=label):
            before = self._db_snapshot()
            with self.assertRaises(error) as caught:
                call()
            self.assertIn(fragment, str(caught.exception))
            self.assertEqual(self._db_snapshot(), before)

    # ------------------------------------------------------------------
    # stock.lot names
    # ------------------------------------------------------------------

    def test_lot_create_bad_names(self):
        corpus = [
            ("empty", "", "cannot be empty"),
            ("spaces", "   ", "cannot be empty"),
            ("tab only", "\t", "cannot be empty"),
            ("newline only", "\n", "cannot be empty"),
            ("CRLF and spaces", " \r\n ", "cannot be empty"),
            ("False", False, "cannot be empty"),
            ("None", None, "cannot be empty"),
            ("inner tab", "SN\tX", "control characters"),
            ("inner newline", "SN\nX", "control characters"),
            ("NUL", "SN\x00X", "control characters"),
            ("SOH", "SN\x01X", "control characters"),
            ("escape sequence", "SN\x1b[0mX", "control characters"),
            ("DEL", "SN\x7fX", "control characters"),
            ("C1 NEL", "SN\x85X", "control characters"),
            ("duplicate", "SN-BAD-1", "already exists"),
            ("duplicate with spaces", "  SN-BAD-1 ", "already exists"),
            (
                "huge string",
                "X" * 100_000,
                "at most 128 characters; this one has 100000",
            ),
            ("one character too many", "9" * 129, "this one has 129"),
        ]
        for label, name, fragment in corpus:
            self._assert_refused(
                f"create {label}",
                lambda name=name: self.env["stock.lot"].create(
                    {
                        "name": name,
                        "product_id": self.laptop.id,
                        "company_id": self.company.id,
                    }
                ),
                fragment,
                ValidationError,
            )

    def test_longest_serial_name_accepted(self):
        """128 characters, spaces around trimmed: the longest name allowed."""
        lot = self.env["stock.lot"].create(
            {
                "name": "  " + "7" * 128 + " ",
                "product_id": self.laptop.id,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(lot.name, "7" * 128)

    def test_lot_write_bad_names(self):
        corpus = [
            ("empty", "", "cannot be empty"),
            ("spaces", "  ", "cannot be empty"),
            ("tab", "\t", "cannot be empty"),
            ("newline", "\n", "cannot be empty"),
            ("False", False, "cannot be empty"),
            ("NUL", "SN\x00", "control characters"),
            ("unit separator", "SN\x1fX", "control characters"),
            ("duplicate", "SN-BAD-1", "already exists"),
            ("huge string", "SN-" * 50_000, "at most 128 characters"),
        ]
        for label, name, fragment in corpus:
            self._assert_refused(
                f"write {label}",
                lambda name=name: self.gone.write({"name": name}),
                fragment,
                ValidationError,
            )
        self.assertEqual(self.gone.name, "SN-BAD-GONE")

    def test_receipt_bad_pasted_lines(self):
        """Serial lines pasted or scanned into a receipt, refused at validation."""
        corpus = [
            ("huge serial", self.laptop, [("N" * 5_000, 1)], "at most 128"),
            ("tab inside", self.laptop, [("SN\tNEW", 1)], "control characters"),
            (
                "two units of one serial",
                self.laptop,
                [("SN-NEW-2", 2)],
                "exactly one unit. These lines say otherwise:\n"
                "- SN-NEW-2 (Test Laptop): 2 Units",
            ),
            (
                "half a unit",
                self.laptop,
                [("SN-NEW-H", 0.5)],
                "SN-NEW-H (Test Laptop): 0.5",
            ),
            (
                "same serial twice",
                self.laptop,
                [("SN-TWICE", 1), ("SN-TWICE", 1)],
                "SN-TWICE",
            ),
            ("serial in stock", self.laptop, [("SN-BAD-1", 1)], "already in stock"),
            ("huge batch name", self.carpet, [("R" * 300, 3)], "at most 128"),
        ]
        for label, product, lines, fragment in corpus:
            receipt = self._receive(product, lines, validate=False)
            self._assert_refused(
                f"receipt {label}",
                receipt.button_validate,
                fragment,
                UserError,  # ValidationError is one
            )
            self.assertEqual(receipt.state, "assigned")

    # ------------------------------------------------------------------
    # Correct Serial Number
    # ------------------------------------------------------------------

    def _correct(self, lot_id, new_name, reason="Digits transposed", env=None):
        env = env or self.env
        return (
            env["stock.lot.correction"]
            .create({"lot_id": lot_id, "new_name": new_name, "reason": reason})
            .action_apply()
        )

    def test_correction_bad_input(self):
        corpus = [
            ("empty new name", self.sn1.id, "", None, "Type the right serial"),
            ("spaces new name", self.sn1.id, "   ", None, "Type the right serial"),
            ("no new name", self.sn1.id, False, None, "Type the right serial"),
            ("same name", self.sn1.id, "SN-BAD-1", None, "the same as the wrong"),
            ("same name spaced", self.sn1.id, " SN-BAD-1\t", None, "the same as"),
            ("name in stock", self.sn1.id, "SN-BAD-2", None, "already in stock"),
            ("control char", self.sn1.id, "SN\x02X", None, "control characters"),
            ("huge new name", self.sn1.id, "S" * 10_000, None, "at most 128"),
            ("empty reason", self.sn1.id, "SN-NEW", "", "Give the reason"),
            ("blank reason", self.sn1.id, "SN-NEW", " \n ", "Give the reason"),
            ("lot not in stock", self.gone.id, "SN-NEW", None, "nothing to correct"),
            ("missing lot", 999999999, "SN-NEW", None, "no longer exist"),
        ]
        for label, lot_id, new_name, reason, fragment in corpus:
            self._assert_refused(
                f"correction {label}",
                lambda lot_id=lot_id, new_name=new_name, reason=reason: self._correct(
                    lot_id, new_name, "Typo" if reason is None else reason
                ),
                fragment,
            )

    def test_correction_refused_to_users(self):
        manager = self.env(user=self.stock_manager)
        self._assert_refused(
            "correction of another company's serial",
            lambda: self._correct(self.other_lot.id, "SN-NEW", env=manager),
            "belong to a company you are not working in",
            AccessError,
        )
        self._assert_refused(
            "correction by a stock user",
            lambda: self._correct(
                self.sn1.id, "SN-NEW", env=self.env(user=self.stock_user)
            ),
            "not allowed to create 'Correct Serial Number'",
            AccessError,
        )

    # ------------------------------------------------------------------
    # Retrospective receipt
    # ------------------------------------------------------------------

    def _retro(self, lot, env=None, **values):
        env = env or self.env
        return (
            env["stock.lot.retrospective.receipt"]
            .create({"lot_id": lot.id, **values})
            .action_confirm()
        )

    def test_retrospective_receipt_bad_input(self):
        customers = self.customer_location
        future = fields.Datetime.now() + timedelta(days=3)
        corpus = [
            ("negative quantity", self.gone, {"quantity": -1.0}, "must be positive"),
            ("zero quantity", self.gone, {"quantity": 0.0}, "must be positive"),
            ("fraction of a serial", self.gone, {"quantity": 0.5}, "one unit"),
            ("two of a serial", self.gone, {"quantity": 2.0}, "one unit"),
            (
                "customer location",
                self.gone,
                {"location_dest_id": customers.id},
                "is not a stock location",
            ),
            ("future date", self.gone, {"date": future}, "in the future"),
            ("malformed date", self.gone, {"date": "31/12/2025"}, "not a valid date"),
            ("date words", self.gone, {"date": "yesterday"}, "not a valid date"),
            ("serial in stock", self.sn1, {"quantity": 1.0}, "already in stock"),
        ]
        for label, lot, values, fragment in corpus:
            self._assert_refused(
                f"retrospective receipt {label}",
                lambda lot=lot, values=values: self._retro(lot, **values),
                fragment,
            )
        self._assert_refused(
            "retrospective receipt by a stock user",
            lambda: self._retro(self.gone, env=self.env(user=self.stock_user)),
            "not allowed to create 'Retrospective Receipt of a Serial'",
            AccessError,
        )

    # ------------------------------------------------------------------
    # Invoice lines
    # ------------------------------------------------------------------

    def test_invoice_bad_serials(self):
        other_product_lot = self._lot("ROLL-BAD", self.carpet)
        corpus = [
            ("two serials for one unit", 1.0, self.sn1 | self.sn2, "exactly one"),
            ("no serial for one unit", 1.0, self.sn1.browse(), "exactly one"),
            ("fraction of a serial", 0.5, self.sn1, "quantity of 0.5"),
            ("negative quantity", -1.0, self.sn1, "quantity of -1"),
            ("serial of another product", 1.0, other_product_lot, "is not a serial"),
        ]
        for label, quantity, lots, fragment in corpus:
            invoice = self._invoice([(self.laptop, quantity, lots)])
            self._assert_refused(
                f"invoice {label}", invoice.action_post, fragment, UserError
            )
            self.assertEqual(invoice.state, "draft")
        # A serial of another company is refused on the line already.
        self._assert_refused(
            "invoice serial of another company",
            lambda: self._invoice([(self.laptop, 1.0, self.other_lot)]),
            "Incompatible companies on records",
            UserError,
        )
        # A serial deleted while on a draft invoice leaves the line without it.
        invoice = self._invoice([(self.laptop, 1.0, self.gone)])
        self.gone.unlink()
        self._assert_refused(
            "invoice deleted serial", invoice.action_post, "exactly one", UserError
        )

    # ------------------------------------------------------------------
    # Write-off
    # ------------------------------------------------------------------

    def test_write_off_bad_input(self):
        self._assert_refused(
            "write-off of a serial not in stock",
            self.gone.action_write_off,
            "nothing to write off",
            UserError,
        )
        self._assert_refused(
            "write-off of a missing serial",
            self.env["stock.lot"].browse(999999999).action_write_off,
            "does not exist",
            MissingError,
        )

    def test_invoice_lot_ids_command_of_missing_serial(self):
        """lot_ids given as ids of serials that no longer exist (stale client)."""
        self._assert_refused(
            "invoice line with a missing serial id",
            lambda: self._invoice(
                [(self.laptop, 1.0, self.env["stock.lot"].browse(999999999))]
            ).action_post(),
            "no longer exist",
        )
        self._assert_refused(
            "invoice line with serial names instead of ids",
            lambda: self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.laptop.id,
                                "lot_ids": [Command.set(["SN-BAD-1"])],
                            }
                        )
                    ],
                }
            ),
            "given by their id",
        )

    # ------------------------------------------------------------------
    # Import Serials and GS1 scans
    # ------------------------------------------------------------------

    def _import_receipt(self):
        """A confirmed receipt of 3 laptops (barcode an EAN-13) and a carpet."""
        self.laptop.barcode = "4006381333931"
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": 3,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                    for product in (self.laptop, self.carpet)
                ],
            }
        )
        receipt.action_confirm()
        return receipt

    def _serial_import(self, receipt, **values):
        action = receipt.action_import_serials()
        return (
            self.env["stock.serial.import"]
            .with_context(**action["context"])
            .create(values)
        )

    def test_serial_import_bad_input(self):
        receipt = self._import_receipt()
        self.laptop.default_code = "BAD-LAP"
        lap = ";1;;BAD-LAP"
        junk = bytes(range(1, 256)).decode("latin-1")
        text_corpus = [
            ("1,000,000-line text", "SN\n" * 1_000_000, "too large (1000001 lines"),
            ("21 MB of text", "S" * (21 * 1024 * 1024), "too large"),
            ("binary junk text", junk * 4, "control characters"),
            ("bell inside", f"SN\x07X{lap}", "control characters"),
            ("escape sequence", f"SN\x1b[31mX{lap}", "control characters"),
            ("10,000-char serial", "X" * 10_000 + lap, "10000 characters"),
            ("date 2026-13-45", "SN-D;1;2026-13-45;BAD-LAP", "2026-13-45 is not"),
            ("date 2026-02-30", "SN-D;1;2026-02-30;BAD-LAP", "2026-02-30 is not"),
            ("date 31/31/2026", "SN-D;1;31/31/2026;BAD-LAP", "31/31/2026 is not"),
            ("date in words", "SN-D;1;tomorrow;BAD-LAP", "tomorrow is not a date"),
            ("quantity inf", "ROLL-I;1e309;;" + self.carpet.name, "not a number"),
            ("quantity nan", "ROLL-N;nan;;" + self.carpet.name, "not a number"),
            ("quantity -1", "ROLL-M;-1;;" + self.carpet.name, "not a number"),
            ("two units unique", "SN-2;2;;BAD-LAP", "exactly one unit"),
            ("GS1 unknown AI", "(01)04006381333931(99)X(21)S", "identifier (99)"),
            ("GS1 unknown AI 4 digits", "(01)04006381333931(7777)X", "(7777)"),
            (
                "raw GS1 unknown AI",
                "\x1d0104006381333931\x1d99XYZ",
                "not a GS1 code Odoo can read",
            ),
            ("GS1 month 13", "(01)04006381333931(17)261345(21)S", "not a date"),
            ("GS1 day 45", "(01)04006381333931(17)260245(21)S", "not a date"),
            ("GS1 wrong check", "(01)04006381333932(21)S", "wrong check digit"),
            ("GS1 GTIN of 13", "(01)4006381333931(21)S", "(01) is unknown"),
            ("GS1 serial of 25", "(01)04006381333931(21)" + "S" * 25, "not a GS1"),
            ("GS1 empty serial", "(01)04006381333931(21)", "holds no serial"),
            ("range reversed", "SN-9..SN-1;1;;BAD-LAP", "ends before it starts"),
            ("range of 100 million", "SN-0..SN-99999999;1;;BAD-LAP", "more than"),
            ("range two prefixes", "A1..B9;1;;BAD-LAP", "same prefix"),
            ("five fields", "SN;1;2027-01-01;BAD-LAP;x", "more fields"),
        ]
        for label, data, fragment in text_corpus:
            wizard = self._serial_import(receipt, data=data)
            self._assert_refused(f"import {label}", wizard.action_import, fragment)
        # Text PostgreSQL cannot store: refused when the wizard is saved.
        for label, data in [
            ("binary junk with NUL", bytes(range(256)).decode("latin-1")),
            ("NUL inside", "SN\x00X"),
        ]:
            self._assert_refused(
                f"import {label}",
                lambda data=data: self._serial_import(receipt, data=data),
                "binary data (NUL characters)",
            )
        file_corpus = [
            (
                "25 MB CSV",
                b"serial\n" + b"SN-HUGE-0000\n" * 2_000_000,
                "s.csv",
                "large",
            ),
            ("binary junk csv", bytes(range(256)) * 64, "junk.csv", "junk.csv"),
            ("PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "s.pdf", "not a CSV or XLSX"),
            ("exe named xlsx", b"MZ\x90\x00" * 100, "s.xlsx", "not a CSV or XLSX"),
            ("broken zip xlsx", b"PK\x03\x04" + b"\x00" * 500, "s.xlsx", "not a CSV"),
            ("path as name", b"serial\nSN\n", "../../etc/passwd", "not a CSV"),
            ("header only", b"serial,quantity\n", "s.csv", "nothing to import"),
            ("no header", b"SN-1;1\nSN-2;1\n", "s.csv", "must name its columns"),
            ("UTF-16 junk", "s\x00\x00e".encode("utf-16"), "s.csv", "s.csv"),
        ]
        for label, content, name, fragment in file_corpus:
            wizard = self._serial_import(
                receipt, file=base64.b64encode(content), file_name=name
            )
            self._assert_refused(f"import {label}", wizard.action_import, fragment)
        self.assertFalse(receipt.move_line_ids.filtered("lot_name"))

    def test_gs1_scans_bad_input(self):
        self.laptop.barcode = "4006381333931"
        Lot = self.env["stock.lot"].with_context(default_product_id=self.laptop.id)
        receipt = self._import_receipt()
        line = receipt.move_ids.filtered(
            lambda move: move.product_id == self.laptop
        ).move_line_ids
        refused = [
            (
                "create from a scan with a control character",
                lambda: Lot.name_create("(21)SN\x07X"),
                "control characters",
            ),
            (
                "create from a scan of 200 characters",
                lambda: Lot.name_create("(21)" + "S" * 200),
                "at most 128",
            ),
            (
                "create from another product's GTIN",
                lambda: Lot.with_context(default_product_id=self.carpet.id).name_create(
                    "(01)04006381333931(21)SN-X"
                ),
                "is for",
            ),
            (
                "receipt line scan of another product's GTIN",
                lambda: line.write(
                    {
                        "lot_name": "(01)04006381333931(21)ROLL-X",
                        "product_id": self.carpet.id,
                    }
                ),
                "is for",
            ),
        ]
        for label, call, fragment in refused:
            self._assert_refused(f"scan {label}", call, fragment)
        # Searches never fail: a junk scan finds nothing, or the plain name.
        for label, scan in [
            ("100,000 characters", "(21)" + "S" * 100_000),
            ("binary junk", bytes(range(1, 256)).decode("latin-1")),
            ("unknown AI only", "(99)ZZZ"),
            ("GS only", "\x1d\x1d\x1d"),
            ("symbology identifier only", "]C1"),
            ("unclosed parenthesis", "(01"),
        ]:
            with self.subTest(input=f"search {label}"):
                self.assertEqual(Lot.name_search(scan), [])
