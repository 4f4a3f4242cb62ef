# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import Form, tagged

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
