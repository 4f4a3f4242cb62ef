# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, time

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.barcode import get_barcode_check_digit

# The GS separator (FNC1) ending a variable-length element of a raw scan, and
# the symbology identifiers scanners put before a GS1 code (as Odoo strips them).
FNC1 = "\x1d"
SYMBOLOGY_IDENTIFIERS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
# "(01)09501101530003(17)270131(21)SN-1": the form printed under a barcode.
HUMAN_READABLE_AI = re.compile(r"\((\d{2,4})\)")
# A raw scan without any marker is taken as GS1 only when it starts with a GTIN.
RAW_GTIN_START = re.compile(r"01(\d{14})")
# The application identifiers read: serial, batch, expiry, quantities.
AI_GTIN, AI_SERIAL, AI_BATCH, AI_EXPIRY = "01", "21", "10", "17"
QUANTITY_AIS = ("30", "37")


class StockLot(models.Model):
    """GS1 scans in serial fields: a scanned GS1 element string (human-readable
    or raw) finds or creates the serial it carries, with its expiry date.

    The decomposition is Odoo's own (barcodes_gs1_nomenclature); a string that
    only looks like GS1 but does not decode stays a plain serial name.
    """

    _inherit = "stock.lot"

    def _search_display_name(self, operator, value):
        """A GS1 scan typed in a serial picker also finds the serial it
        carries, of the product its GTIN names (when a product has it)."""
        domain = super()._search_display_name(operator, value)
        if operator in expression.NEGATIVE_TERM_OPERATORS:
            return domain
        scan = self._decode_gs1_scan(value)
        if not scan or not scan["serial"]:
            return domain
        decoded = super()._search_display_name(operator, scan["serial"])
        products = self._get_products_by_gtin([scan["gtin"]]).get(scan["gtin"])
        if products:
            decoded = expression.AND([decoded, [("product_id", "in", products.ids)]])
        return expression.OR([domain, decoded])

    @api.model
    def name_create(self, name):
        """Create from a scan: the serial part is the name, AI 17 the expiry."""
        scan = self._decode_gs1_scan(name)
        if not scan or not scan["serial"]:
            return super().name_create(name)
        product = self.env["product.product"].browse(
            self.env.context.get("default_product_id")
        )
        scanned = self._get_products_by_gtin([scan["gtin"]]).get(scan["gtin"])
        if scanned and product and product not in scanned:
            raise UserError(
                self.env._(
                    "The scanned code %(code)s is for %(scanned)s, not %(product)s.",
                    code=name,
                    scanned=", ".join(scanned.mapped("display_name")),
                    product=product.display_name,
                )
            )
        if not product and scanned and len(scanned) == 1:
            product = scanned
        vals = {"name": scan["serial"]}
        if not self.env.context.get("default_product_id") and product:
            vals["product_id"] = product.id
        if scan["expiration_date"] and product.use_expiration_date:
            vals["expiration_date"] = scan["expiration_date"]
        lot = self.create(vals)
        return lot.id, lot.display_name

    # ---- Decoding ----

    @api.model
    def _decode_gs1_scan(self, value):
        """What a scan tells of a serial, or None when it is no GS1 code.

        {"serial": AI 21, else AI 10, "batch": AI 10, "expiration_date": AI 17
        as a datetime, "gtin": AI 01, "quantity": AI 30 or 37, "error": why it
        does not decode (then None is returned for scans: a plain name)}.
        """
        decoded = self._decode_gs1(value)
        if not decoded or decoded["error"]:
            return None
        return decoded

    @api.model
    def _decode_gs1(self, value):
        """Decode a GS1 element string with Odoo's GS1 nomenclature.

        None when `value` is not shaped as a GS1 code (no "(AI)" start, no GS
        separator or symbology identifier, no leading GTIN); otherwise the
        values of _decode_gs1_scan(), whose "error" says why a code shaped as
        GS1 does not decode (a raw code without marker that does not decode is
        a plain name: None).
        """
        raw, marked, human_parts = self._get_gs1_raw(value)
        if raw is None:
            return None
        nomenclature = self._get_gs1_nomenclature()
        error = False
        results = None
        if nomenclature:
            try:
                results = nomenclature.gs1_decompose_extanded(raw)
            except ValueError:
                # A date Odoo cannot read (month 13...): raised by strptime.
                error = self.env._("its date is not a date")
            except ValidationError:
                error = self.env._("it is not a GS1 code Odoo can read")
        else:
            error = self.env._("the GS1 nomenclature is not installed")
        if not marked and (error or results is None):
            return None
        if results is None and not error:
            error = self._get_gs1_error(raw, human_parts, nomenclature)
        decoded = {
            "serial": False,
            "batch": False,
            "expiration_date": False,
            "gtin": False,
            "quantity": False,
            "error": error,
        }
        for item in results or []:
            ai = item["ai"]
            if ai == AI_GTIN:
                decoded["gtin"] = item["value"]
            elif ai == AI_SERIAL:
                decoded["serial"] = item["value"]
            elif ai == AI_BATCH:
                decoded["batch"] = item["value"]
            elif ai == AI_EXPIRY:
                decoded["expiration_date"] = datetime.combine(item["value"], time())
            elif ai in QUANTITY_AIS:
                decoded["quantity"] = item["value"]
        decoded["serial"] = decoded["serial"] or decoded["batch"]
        if not error and not decoded["serial"]:
            decoded["error"] = self.env._(
                "it holds no serial (AI 21) nor batch (AI 10)"
            )
        return decoded

    @api.model
    def _get_gs1_raw(self, value):
        """(raw element string, marked, human-readable [(ai, data)]) of value:
        raw None when value is not shaped as GS1; marked when its shape leaves
        no doubt (a "(AI)" start, a GS separator, a symbology identifier)."""
        if not isinstance(value, str):
            return None, False, []
        text = value.strip()
        if text.startswith("("):
            parts = HUMAN_READABLE_AI.split(text)
            if parts[0] or len(parts) < 3:
                return None, False, []
            pairs = [
                (ai, data.strip())
                for ai, data in zip(parts[1::2], parts[2::2], strict=True)
            ]
            return FNC1.join(ai + data for ai, data in pairs), True, pairs
        if text.startswith((*SYMBOLOGY_IDENTIFIERS, FNC1)) or FNC1 in text:
            return text, True, []
        if RAW_GTIN_START.match(text):
            return text, False, []
        return None, False, []

    @api.model
    def _get_gs1_error(self, raw, human_parts, nomenclature):
        """Why a code shaped as GS1 did not decode, in the user's words."""
        for prefix in SYMBOLOGY_IDENTIFIERS:
            raw = raw.removeprefix(prefix)
        pairs = human_parts or []
        if not pairs:
            gtin = RAW_GTIN_START.match(raw.lstrip(FNC1))
            if gtin:
                pairs = [(AI_GTIN, gtin.group(1))]
        for ai, data in pairs:
            if ai == AI_GTIN and not self._is_gtin_valid(data):
                return self.env._(
                    "its GTIN %(gtin)s has a wrong check digit", gtin=data
                )
        rules = nomenclature.rule_ids.filtered(lambda rule: rule.encoding == "gs1-128")
        for ai, data in human_parts:
            matches = (re.match(rule.pattern, ai + data) for rule in rules)
            if not any(match and match.group(1) == ai for match in matches):
                return self.env._(
                    "its application identifier (%(ai)s) is unknown or its value "
                    "%(value)s does not fit it",
                    ai=ai,
                    value=data,
                )
        return self.env._("it is not a GS1 code Odoo can read")

    @api.model
    def _is_gtin_valid(self, gtin):
        return (
            isinstance(gtin, str)
            and gtin.isdigit()
            and len(gtin) in (8, 12, 13, 14)
            and gtin[-1] == str(get_barcode_check_digit(gtin.zfill(18)))
        )

    @api.model
    def _get_gs1_nomenclature(self):
        """The company's nomenclature when it is GS1, else Odoo's default GS1
        nomenclature: a GS1 scan is read whatever the company scans with."""
        nomenclature = self.env.company.nomenclature_id
        if nomenclature.is_gs1_nomenclature:
            return nomenclature
        return self.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature",
            raise_if_not_found=False,
        )

    @api.model
    def _get_products_by_gtin(self, gtins):
        """{GTIN-14: products whose barcode is that GTIN}: an EAN-13, UPC-A or
        EAN-8 barcode is the GTIN-14 with leading zeros. One search."""
        gtins = {gtin for gtin in gtins if gtin}
        if not gtins:
            return {}
        candidates = set()
        for gtin in gtins:
            candidates.update(
                gtin[len(gtin) - length :]
                for length in (14, 13, 12, 8)
                if not gtin[: len(gtin) - length].strip("0")
            )
        products = self.env["product.product"].search(
            [("barcode", "in", list(candidates))]
        )
        found = {}
        for product in products:
            key = product.barcode.zfill(14)
            if key in gtins:
                found[key] = found.get(key, products.browse()) | product
        return found
