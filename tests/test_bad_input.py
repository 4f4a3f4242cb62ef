# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
