# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from odoo import Command

from .common import SerialTrackingCase

# Valid EAN-13 barcodes (their GTIN-14 is the same with a leading zero).
LAPTOP_EAN = "4006381333931"
CARPET_EAN = "9501101530003"
ELSEWHERE_EAN = "7612345678900"


class SerialImportCase(SerialTrackingCase):
    """Products with barcodes and expiry dates, draft receipts, the wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.write({"barcode": LAPTOP_EAN, "default_code": "LAP-1"})
        cls.carpet.write({"barcode": CARPET_EAN, "default_code": "CARPET-1"})
        cls.phone = cls._create_product(
            "Test Phone", "serial", barcode=ELSEWHERE_EAN, default_code="PHONE-1"
        )
        cls.medicine = cls._create_product(
            "Test Medicine",
            "serial",
            default_code="MED-1",
            use_expiration_date=True,
            expiration_time=30,
        )

    def _draft_receipt(self, *products_quantities, confirm=True):
        """A receipt of (product, quantity) moves, confirmed unless told not."""
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
                "partner_id": self.partner.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                    for product, quantity in products_quantities
                ],
            }
        )
        if confirm:
            receipt.action_confirm()
        return receipt

    def _wizard(self, receipt, env=None, **values):
        action = receipt.with_env(env or self.env).action_import_serials()
        return (
            (env or self.env)["stock.serial.import"]
            .with_context(**action["context"])
            .create(values)
        )

    def _import(self, receipt, data=None, env=None, **values):
        if data is not None:
            values["data"] = data
        return self._wizard(receipt, env=env, **values).action_import()

    @staticmethod
    def _csv(text, encoding="utf-8"):
        return base64.b64encode(text.encode(encoding))

    @staticmethod
    def _xlsx(rows):
        import openpyxl  # noqa: PLC0415  (a dependency of base_import's XLSX)

        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        stream = io.BytesIO()
        book.save(stream)
        return base64.b64encode(stream.getvalue())

    def _serials(self, receipt):
        """{(product, serial name): (quantity, expiry date or False)} of the
        receipt's move lines."""
        return {
            (line.product_id, line.lot_id.name or line.lot_name): (
                line.quantity,
                line.expiration_date and line.expiration_date.date(),
            )
            for line in receipt.move_line_ids
        }
