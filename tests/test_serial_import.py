# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_serial_import import SerialImportCase

FNC1 = "\x1d"
LAPTOP_GTIN_14 = "04006381333931"
# An EAN-13 of no other test product, for the medicine.
MEDICINE_EAN = "9501101530010"


@tagged("post_install", "-at_install")
class TestSerialImportFormats(SerialImportCase):
    """Import Serials: every accepted format adds move lines to the receipt."""

    def test_button_opens_the_wizard_on_the_receipt(self):
        receipt = self._draft_receipt((self.laptop, 2))
        action = receipt.action_import_serials()
        self.assertEqual(action["res_model"], "stock.serial.import")
        self.assertEqual(action["target"], "new")
        form = Form(self.env["stock.serial.import"].with_context(**action["context"]))
        self.assertEqual(form.picking_id, receipt)
        form.data = "SN-FORM-1\nSN-FORM-2"
        result = form.save().action_import()
        self.assertEqual(
            result["params"]["next"]["type"], "ir.actions.act_window_close"
        )
        self.assertEqual(
            set(self._serials(receipt)),
            {(self.laptop, "SN-FORM-1"), (self.laptop, "SN-FORM-2")},
        )
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            self._stock(self.laptop),
            {
                ("SN-FORM-1", self.stock_location.id): 1.0,
                ("SN-FORM-2", self.stock_location.id): 1.0,
            },
        )

    def test_lines_with_each_separator_and_date_form(self):
        receipt = self._draft_receipt((self.medicine, 5))
        self.env["res.lang"]._activate_lang("fr_FR")
        lang = self.env["res.lang"]._lang_get("fr_FR")
        self.assertEqual(lang.date_format, "%d/%m/%Y")
        self._import(
            receipt.with_context(lang="fr_FR"),
            "MED-1\nMED-2;1\nMED-3,1,2027-03-31\nMED-4\t1\t2027-04-30\n"
            "MED-5;1;31/05/2027\n\n   \n",
            env=self.env(context=dict(self.env.context, lang="fr_FR")),
        )
        serials = self._serials(receipt)
        self.assertEqual(len(serials), 5)
        self.assertEqual(serials[self.medicine, "MED-3"], (1.0, date(2027, 3, 31)))
        self.assertEqual(serials[self.medicine, "MED-4"], (1.0, date(2027, 4, 30)))
        self.assertEqual(serials[self.medicine, "MED-5"], (1.0, date(2027, 5, 31)))
        receipt.button_validate()
        self.assertEqual(
            self._lot("MED-5", self.medicine).expiration_date.date(), date(2027, 5, 31)
        )

    def test_batch_quantities(self):
        receipt = self._draft_receipt((self.carpet, 12))
        self._import(receipt, "ROLL-IMP-A;5\nROLL-IMP-B;7.5")
        self.assertEqual(
            self._serials(receipt),
            {
                (self.carpet, "ROLL-IMP-A"): (5.0, False),
                (self.carpet, "ROLL-IMP-B"): (7.5, False),
            },
        )

    def test_range_keeps_zero_padding(self):
        receipt = self._draft_receipt((self.laptop, 250))
        self._import(receipt, "PREFIX-0001..PREFIX-0250")
        names = sorted(name for _p, name in self._serials(receipt))
        self.assertEqual(len(names), 250)
        self.assertEqual(names[0], "PREFIX-0001")
        self.assertEqual(names[9], "PREFIX-0010")
        self.assertEqual(names[-1], "PREFIX-0250")
        # The receipt's own line without serial was replaced, not kept.
        self.assertFalse(receipt.move_line_ids.filtered(lambda line: not line.lot_name))
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")

    def test_gs1_human_readable_and_raw(self):
        receipt = self._draft_receipt((self.laptop, 2), (self.carpet, 8))
        self._import(
            receipt,
            "(01)04006381333931(17)271231(21)SN-GS1-1\n"
            f"0104006381333931{FNC1}21SN-GS1-2{FNC1}17280131\n"
            "(01)09501101530003(10)ROLL-GS1(37)8\n",
        )
        serials = self._serials(receipt)
        self.assertEqual(
            set(serials),
            {
                (self.laptop, "SN-GS1-1"),
                (self.laptop, "SN-GS1-2"),
                (self.carpet, "ROLL-GS1"),
            },
        )
        self.assertEqual(serials[self.carpet, "ROLL-GS1"][0], 8.0)

    def test_gs1_expiry_stored_for_products_with_expiry(self):
        self.medicine.barcode = MEDICINE_EAN
        receipt = self._draft_receipt((self.medicine, 1))
        self._import(receipt, f"]C1010{MEDICINE_EAN}17270615{FNC1}21MED-GS1")
        self.assertEqual(
            self._serials(receipt)[self.medicine, "MED-GS1"], (1.0, date(2027, 6, 15))
        )
        receipt.button_validate()
        self.assertEqual(
            self._lot("MED-GS1", self.medicine).expiration_date.date(),
            date(2027, 6, 15),
        )

    def test_mixed_formats_and_existing_serials_reused(self):
        gone = self._create_lot(self.laptop, "SN-KNOWN")
        receipt = self._draft_receipt((self.laptop, 4), (self.carpet, 3))
        self._receive(self.carpet, [("ROLL-MIX", 2.0)])
        self._import(
            receipt,
            "SN-KNOWN;1;;LAP-1\nSN-MIX-01..SN-MIX-02;1;;4006381333931\n"
            "(01)04006381333931(21)SN-MIX-GS1\n"
            "ROLL-MIX;3;;CARPET-1",
        )
        lines = receipt.move_line_ids
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines.filtered(lambda line: line.lot_id == gone).quantity, 1)
        roll = lines.filtered(lambda line: line.product_id == self.carpet)
        self.assertEqual(roll.lot_id, self._lot("ROLL-MIX", self.carpet))
        self.assertEqual(roll.quantity, 3.0)
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")

    def test_csv_file_with_header(self):
        receipt = self._draft_receipt((self.medicine, 2), (self.laptop, 1))
        self._import(
            receipt,
            file=self._csv(
                "Serial,Quantity,Expiration Date,Product\n"
                "MED-CSV-1,1,2027-01-31,MED-1\n"
                "MED-CSV-2,1,2027-02-28,Test Medicine\n"
                f"SN-CSV-1,1,,{LAPTOP_GTIN_14}\n"
            ),
            file_name="serials.csv",
        )
        serials = self._serials(receipt)
        self.assertEqual(serials[self.medicine, "MED-CSV-2"], (1.0, date(2027, 2, 28)))
        self.assertIn((self.laptop, "SN-CSV-1"), serials)

    def test_csv_file_semicolons_latin1(self):
        receipt = self._draft_receipt((self.laptop, 2))
        self._import(
            receipt,
            file=self._csv("serial number;qty\nSN-LAT-\xe9;1\nSN-LAT-2;1\n", "latin-1"),
            file_name="serials.csv",
        )
        self.assertEqual(
            set(self._serials(receipt)),
            {(self.laptop, "SN-LAT-\xe9"), (self.laptop, "SN-LAT-2")},
        )

    def test_xlsx_file_with_dates(self):
        receipt = self._draft_receipt((self.medicine, 2))
        self._import(
            receipt,
            file=self._xlsx(
                [
                    ["Serial", "Quantity", "Expiry"],
                    ["MED-XLS-1", 1, date(2027, 7, 31)],
                    ["MED-XLS-2", 1, "2027-08-31"],
                ]
            ),
            file_name="serials.xlsx",
        )
        serials = self._serials(receipt)
        self.assertEqual(serials[self.medicine, "MED-XLS-1"], (1.0, date(2027, 7, 31)))
        self.assertEqual(serials[self.medicine, "MED-XLS-2"], (1.0, date(2027, 8, 31)))

    def test_draft_receipt_is_confirmed_by_the_import(self):
        receipt = self._draft_receipt((self.laptop, 1), confirm=False)
        self._import(receipt, "SN-DRAFT-1")
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(set(self._serials(receipt)), {(self.laptop, "SN-DRAFT-1")})


@tagged("post_install", "-at_install")
class TestSerialImportRefusals(SerialImportCase):
    """One bad line refuses the whole import: every bad line listed (its
    number, its value, why), and nothing written."""

    def setUp(self):
        super().setUp()
        self._receive(self.laptop, [("SN-IN-STOCK", 1)])
        self.receipt = self._draft_receipt((self.laptop, 3), (self.carpet, 5))

    def _assert_refused(self, data=None, fragments=(), receipt=None, **values):
        wizard = self._wizard(receipt or self.receipt, **values, data=data)
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(self._db_snapshot(), before)
        return message

    def test_every_bad_line_listed_nothing_written(self):
        message = self._assert_refused(
            "SN-OK-1;1;;LAP-1\n"
            "SN-OK-1;1;;LAP-1\n"  # 2: duplicate
            "SN-IN-STOCK;1;;LAP-1\n"  # 3: in stock
            "SN-DATE;1;2026-13-45;LAP-1\n"  # 4: bad date
            "SN-TWO;2;;LAP-1\n"  # 5: two units of a unique serial
            ";1;;LAP-1\n"  # 6: empty
            "SN\x1bX;1;;LAP-1\n"  # 7: control character
            + "L"
            * 200
            + ";1;;LAP-1\n"  # 8: too long
            "(01)07612345678917(21)SN-GTIN\n"  # 9: unknown GTIN
            "(01)04006381333932(21)SN-CHECK\n"  # 10: wrong check digit
            "(01)07612345678900(21)SN-PHONE\n"  # 11: product not on the receipt
            "SN-NOPRODUCT\n",  # 12: which product
            [
                "Nothing was imported: 11 lines are wrong.",
                "- line 2 (SN-OK-1;1;;LAP-1): SN-OK-1 is also on line 1",
                "- line 4 (SN-DATE;1;2026-13-45;LAP-1): its expiration date "
                "2026-13-45 is not a date",
                "- line 5 (SN-TWO;2;;LAP-1): a unique serial number is exactly one "
                "unit, not 2 Units",
                "- line 6 (;1;;LAP-1): the serial number is empty",
                "- line 7 (SN\\x1bX;1;;LAP-1): it contains invisible control "
                "characters",
                "- line 8 (" + "L" * 60 + "...): its serial number has 200 "
                "characters, more than 128",
                "- line 9 ((01)07612345678917(21)SN-GTIN): its GTIN 07612345678917 "
                "is the barcode of no product",
                "- line 10 ((01)04006381333932(21)SN-CHECK): its GTIN "
                "04006381333932 has a wrong check digit",
                "- line 11 ((01)07612345678900(21)SN-PHONE): its GTIN "
                "07612345678900 is the product [PHONE-1] Test Phone, which is not "
                "on this receipt",
                "- line 12 (SN-NOPRODUCT): which product?",
            ],
        )
        self.assertIn(
            "- line 3 (SN-IN-STOCK;1;;LAP-1): SN-IN-STOCK is already in", message
        )
        message = self._assert_refused(
            "SN-OK-1;1;;LAP-1\nSN-IN-STOCK;1;;LAP-1\nSN-OK-1;1;;LAP-1",
            [
                "Nothing was imported: 2 lines are wrong.",
                "- line 2 (SN-IN-STOCK;1;;LAP-1): SN-IN-STOCK is already in stock "
                "at WH/Stock",
                "- line 3 (SN-OK-1;1;;LAP-1): SN-OK-1 is also on line 1",
            ],
        )

    def test_each_refusal(self):
        corpus = [
            ("duplicate", "SN-D;1;;LAP-1\nSN-D;1;;LAP-1", "SN-D is also on line 1"),
            ("in stock", "SN-IN-STOCK;1;;LAP-1", "already in stock at WH/Stock"),
            ("bad date", "SN-B;1;2026-13-45;LAP-1", "2026-13-45 is not a date"),
            ("bad user date", "SN-B;1;45/13/2026;LAP-1", "45/13/2026 is not a date"),
            ("unique of 3", "SN-3;3;;LAP-1", "exactly one unit, not 3 Units"),
            ("half unique", "SN-H;0.5;;LAP-1", "exactly one unit, not 0.5"),
            ("zero", "ROLL-0;0;;CARPET-1", "quantity 0 is not a number greater"),
            ("negative", "ROLL-N;-2;;CARPET-1", "quantity -2 is not a number"),
            ("words", "ROLL-W;two;;CARPET-1", "quantity two is not a number"),
            ("empty", " ;1;;LAP-1", "the serial number is empty"),
            ("control", "SN\x07;1;;LAP-1", "invisible control characters"),
            ("too long", "S" * 129 + ";1;;LAP-1", "129 characters, more than 128"),
            (
                "unknown GTIN",
                "(01)07612345678917(21)X",
                "GTIN 07612345678917 is the barcode of no product",
            ),
            (
                "wrong check digit",
                "(01)04006381333930(21)X",
                "GTIN 04006381333930 has a wrong check digit",
            ),
            (
                "wrong check digit raw",
                "\x1d0104006381333930\x1d21X",
                "GTIN 04006381333930 has a wrong check digit",
            ),
            (
                "product not on the receipt",
                "(01)07612345678900(21)X",
                "is the product [PHONE-1] Test Phone, which is not on this receipt",
            ),
            (
                "product column not on the receipt",
                "SN-P;1;;PHONE-1",
                "the product PHONE-1 is not on this receipt",
            ),
            ("which product", "SN-WHICH", "which product? This receipt has several"),
            (
                "unknown AI",
                "(01)04006381333931(99)X(21)SN",
                "application identifier (99) is unknown",
            ),
            ("GS1 bad date", "(01)04006381333931(17)261345(21)SN", "not a date"),
            ("GS1 no serial", "(01)04006381333931(17)271231", "holds no serial"),
            ("range prefixes", "A-01..B-05;1;;LAP-1", "with the same prefix"),
            ("range order", "SN-09..SN-01;1;;LAP-1", "ends before it starts"),
            ("range size", "SN-0..SN-999999;1;;LAP-1", "more than 100000"),
            ("too many fields", "SN;1;2027-01-01;LAP-1;extra", "more fields than"),
        ]
        for label, data, fragment in corpus:
            with self.subTest(label):
                self._assert_refused(
                    data, ["Nothing was imported: one line is wrong.", fragment]
                )

    def test_already_on_the_receipt(self):
        self._import(self.receipt, "SN-FIRST;1;;LAP-1")
        self._assert_refused(
            "SN-FIRST;1;;LAP-1", ["SN-FIRST is already on this receipt"]
        )

    def test_operation_type_without_new_serials(self):
        self.warehouse.in_type_id.use_create_lots = False
        self._create_lot(self.laptop, "SN-EXISTS")
        self._assert_refused(
            "SN-EXISTS;1;;LAP-1\nSN-NEW;1;;LAP-1",
            [
                "- line 2 (SN-NEW;1;;LAP-1): SN-NEW does not exist, and the operation "
                "type"
            ],
        )

    def test_receipt_done_or_not_a_receipt(self):
        done = self._receive(self.laptop, [("SN-DONE-R", 1)])
        self._assert_refused("SN-X", ["The receipt", "is Done"], receipt=done)
        delivery = self._picking(
            self.warehouse.out_type_id,
            self.laptop,
            self.stock_location,
            self.customer_location,
            [],
            validate=False,
        )
        self._assert_refused("SN-X", ["onto receipts only"], receipt=delivery)

    def test_nothing_both_or_too_much(self):
        self._assert_refused("", ["There is nothing to import"])
        self._assert_refused("\n \n\t\n", ["There is nothing to import"])
        self._assert_refused(
            "SN-1",
            ["not both at once"],
            file=self._csv("serial\nSN-2\n"),
            file_name="s.csv",
        )
        self._assert_refused("SN\n" * 100_001, ["too large (100002 lines"])

    def test_files_that_are_not_csv_or_xlsx(self):
        pdf = base64.b64encode(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
        corpus = [
            ("pdf", pdf, "serials.pdf", "serials.pdf is not a CSV or XLSX file"),
            ("xls named", pdf, "serials.xls", "is not a CSV or XLSX file"),
            ("no extension", pdf, "serials", "is not a CSV or XLSX file"),
            ("junk xlsx", self._csv("serial\nSN\n"), "s.xlsx", "not a CSV or XLSX"),
            (
                "zip named xlsx",
                base64.b64encode(b"PK\x03\x04" + b"\x00" * 200),
                "s.xlsx",
                "not a CSV or XLSX",
            ),
            (
                "binary csv",
                base64.b64encode(bytes(range(256)) * 40),
                "s.csv",
                "s.csv",
            ),
            ("no header", self._csv("SN-1,1\nSN-2,1\n"), "s.csv", "must name its"),
            ("empty csv", self._csv(""), "s.csv", "There is nothing to import"),
        ]
        for label, content, name, fragment in corpus:
            with self.subTest(label):
                self._assert_refused(None, [fragment], file=content, file_name=name)

    def test_bad_file_rows_listed_with_file_row_numbers(self):
        self._assert_refused(
            None,
            [
                "Nothing was imported: 2 lines are wrong.",
                "- line 3 (SN-F2; 1; 2027-02-30): its expiration date 2027-02-30",
                "- line 4 (SN-F1; 1): SN-F1 is also on line 2",
            ],
            file=self._csv(
                "Serial,Quantity,Expiration Date\nSN-F1,1\nSN-F2,1,2027-02-30\n"
                "SN-F1,1\n"
            ),
            file_name="serials.csv",
            receipt=self._draft_receipt((self.laptop, 3)),
        )


@tagged("post_install", "-at_install")
class TestSerialImportCompaniesAndRights(SerialImportCase):
    """The receipt's company decides; users without stock rights or without
    the receipt's company are refused, nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Import Company B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.user_ab = new_test_user(
            cls.env,
            "import_user_ab",
            groups="stock.group_stock_user,stock.group_production_lot",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        cls.user_a = new_test_user(
            cls.env,
            "import_user_a",
            groups="stock.group_stock_user,stock.group_production_lot",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.sales_user = new_test_user(
            cls.env, "import_sales_user", groups="sales_team.group_sale_salesman"
        )

    def _receipt_b(self):
        receipt = (
            self.env["stock.picking"]
            .with_company(self.company_b)
            .create(
                {
                    "picking_type_id": self.warehouse_b.in_type_id.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.warehouse_b.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.laptop.name,
                                "product_id": self.laptop.id,
                                "product_uom_qty": 2,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": self.warehouse_b.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        receipt.action_confirm()
        return receipt

    def test_receipt_of_the_other_company(self):
        self._receive(self.laptop, [("SN-MC-1", 1)])  # in stock in company A
        receipt = self._receipt_b()
        env = self.env(
            user=self.user_ab,
            context=dict(
                self.env.context,
                allowed_company_ids=[self.company.id, self.company_b.id],
            ),
        )
        self._import(receipt, "SN-MC-1\nSN-MC-2", env=env)
        receipt.with_env(env).button_validate()
        self.assertEqual(receipt.state, "done")
        # Odoo gives a received serial its product's company (none here): the
        # serial of company A's stock is received in company B too.
        self.assertEqual(
            sorted(receipt.move_line_ids.lot_id.mapped("name")), ["SN-MC-1", "SN-MC-2"]
        )
        self.assertIn(self._lot("SN-MC-1", self.laptop), receipt.move_line_ids.lot_id)
        # Already in stock in company B now: refused there.
        receipt_2 = self._receipt_b()
        wizard = self._wizard(receipt_2, env=env, data="SN-MC-2")
        before = self._db_snapshot()
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("SN-MC-2 is already in stock", str(caught.exception))
        self.assertEqual(self._db_snapshot(), before)

    def test_user_without_the_receipts_company_refused(self):
        receipt = self._receipt_b()
        env = self.env(user=self.user_a)
        before = self._db_snapshot()
        with self.assertRaises(AccessError):
            env["stock.serial.import"].create(
                {"picking_id": receipt.id, "data": "SN-MC-X"}
            ).action_import()
        self.assertEqual(self._db_snapshot(), before)

    def test_user_without_stock_rights_refused(self):
        receipt = self._draft_receipt((self.laptop, 1))
        before = self._db_snapshot()
        with self.assertRaises(AccessError):
            self.env(user=self.sales_user)["stock.serial.import"].create(
                {"picking_id": receipt.id, "data": "SN-SALES"}
            )
        self.assertEqual(self._db_snapshot(), before)

    def test_stock_user_imports(self):
        receipt = self._draft_receipt((self.laptop, 1))
        self._import(receipt, "SN-USER-1", env=self.env(user=self.user_a))
        self.assertEqual(set(self._serials(receipt)), {(self.laptop, "SN-USER-1")})
