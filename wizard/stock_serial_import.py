# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every
from odoo.tools.misc import get_lang

from ..models.stock_lot import CONTROL_CHARACTERS, SERIAL_NAME_MAX_LENGTH
from . import stock_serial_import_file
from . import stock_serial_import_parser as parser

# Existing serials and their stock are read this many names at a time.
READ_BATCH = 10_000
# A refusal lists this many bad lines, then counts the others.
MAX_LISTED = 1_000
# How much of a line a message shows.
SHOWN_LENGTH = 60


class StockSerialImport(models.TransientModel):
    """Import Serials onto a receipt: pasted lines, ranges, GS1 codes, or a
    CSV/XLSX file, all checked first: one bad line refuses the whole import
    with every bad line listed, and nothing is written."""

    _name = "stock.serial.import"
    _description = "Import Serial Numbers"

    picking_id = fields.Many2one(
        "stock.picking", string="Receipt", required=True, readonly=True
    )
    company_id = fields.Many2one(related="picking_id.company_id")
    data = fields.Text(
        string="Serials",
        help="One serial a line: serial, serial;quantity or "
        "serial;quantity;expiration date (separated by ; , or a tab); ranges "
        "such as SN-0001..SN-0250; GS1 codes such as "
        "(01)09501101530003(17)271231(21)SN-1.",
    )
    file = fields.Binary(
        attachment=False,
        help="A CSV or XLSX file whose first row names its columns: Serial, "
        "Quantity, Expiration Date, Product (optional).",
    )
    file_name = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_nul(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_no_nul(vals)
        return super().write(vals)

    def action_import(self):
        """Check every line, then add them all to the receipt's moves."""
        self.ensure_one()
        self.picking_id.check_access("write")
        # The receipt's company decides: its nomenclature, serials and stock.
        return self.with_company(self.picking_id.company_id)._import()

    # ---- Reading ----

    def _import(self):
        picking = self.picking_id
        self._check_picking(picking)
        rows = self._read_rows()
        items, errors = self._check_rows(picking, rows)
        if errors:
            raise UserError(self._get_refusal_message(errors))
        self._create_move_lines(picking, items)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s serial numbers imported onto %(receipt)s.",
                    count=len(items),
                    receipt=picking.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _check_no_nul(self, vals):
        """Text holding NUL characters (binary data pasted) cannot even be
        stored: say so instead of the database's error."""
        for field in ("data", "file_name"):
            if isinstance(vals.get(field), str) and "\x00" in vals[field]:
                raise UserError(
                    self.env._(
                        "The pasted text holds binary data (NUL characters). "
                        "Paste serial numbers as text, one a line, or choose the "
                        "file instead."
                    )
                )

    def _check_picking(self, picking):
        if picking.picking_type_code != "incoming":
            raise UserError(
                self.env._("Serial numbers are imported onto receipts only.")
            )
        if picking.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "The receipt %(receipt)s is %(state)s: serial numbers can no "
                    "longer be imported onto it.",
                    receipt=picking.name,
                    state=dict(
                        picking._fields["state"]._description_selection(self.env)
                    )[picking.state],
                )
            )

    def _read_rows(self):
        if self.data and self.file:
            raise UserError(
                self.env._("Paste serial numbers or choose a file, not both at once.")
            )
        if self.file:
            rows = stock_serial_import_file.read_file_rows(self)
        else:
            rows = self._read_text_rows(self.data or "")
        if not rows:
            raise UserError(
                self.env._(
                    "There is nothing to import: paste serial numbers, one a line, "
                    "or choose a CSV or XLSX file."
                )
            )
        return rows

    def _read_text_rows(self, text):
        self._check_size(len(text.encode()), parser.count_lines(text))
        return parser.split_text(text, self._is_gs1_line)

    def _is_gs1_line(self, line):
        Lot = self.env["stock.lot"]
        raw, marked, _pairs = Lot._get_gs1_raw(line)
        return raw is not None and (marked or Lot._decode_gs1(line) is not None)

    def _check_size(self, size, lines):
        if size > parser.MAX_BYTES or lines > parser.MAX_LINES:
            raise UserError(
                self.env._(
                    "This import is too large (%(lines)s lines, %(size)s MB): at "
                    "most %(max_lines)s lines and %(max_size)s MB at a time. Split "
                    "it into several imports.",
                    lines=lines,
                    size=round(size / 1024 / 1024, 1),
                    max_lines=parser.MAX_LINES,
                    max_size=parser.MAX_BYTES // 1024 // 1024,
                )
            )

    # ---- Checking ----

    def _check_rows(self, picking, rows):
        """([the serials to add], [(line number, value, why)])."""
        Lot = self.env["stock.lot"]
        moves = picking.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel")
        )
        products = moves.product_id
        tracked = products.filtered(lambda product: product.tracking != "none")
        lang = get_lang(self.env)
        errors = []
        decoded_rows = [
            (
                row,
                Lot._decode_gs1(row.serial) if self._is_gs1_line(row.serial) else None,
            )
            for row in rows
        ]
        by_gtin = {
            product.barcode.zfill(14): product
            for product in products
            if product.barcode and product.barcode.isdigit()
        }
        unknown_gtins = {
            decoded["gtin"]
            for _row, decoded in decoded_rows
            if decoded and decoded["gtin"] and decoded["gtin"] not in by_gtin
        }
        elsewhere = Lot._get_products_by_gtin(unknown_gtins)
        by_reference = self._get_products_by_reference(products)
        items = []
        for row, decoded in decoded_rows:
            if row.too_many:
                errors.append(
                    (row, self.env._("more fields than serial;quantity;expiry;product"))
                )
                continue
            if decoded and decoded["error"]:
                errors.append((row, decoded["error"]))
                continue
            why = not decoded and self._get_name_error(row.serial)
            if why:
                errors.append((row, why))
                continue
            product, why = self._get_row_product(
                row, decoded, tracked, by_gtin, elsewhere, by_reference
            )
            if why:
                errors.append((row, why))
                continue
            names, quantity, expiry, why = self._get_row_values(
                row, decoded, product, lang
            )
            if why:
                errors.append((row, why))
                continue
            items += [
                {
                    "row": row,
                    "product": product,
                    "name": name,
                    "quantity": quantity,
                    "expiry": expiry,
                }
                for name in names
            ]
        errors += self._check_duplicates(picking, items)
        errors += self._check_existing_serials(picking, items)
        return items, errors

    def _get_products_by_reference(self, products):
        """{lower-case reference, barcode, GTIN-14 or name: product} of the
        receipt's products, for a file's Product column."""
        references = {}
        for product in products:
            keys = [product.default_code, product.barcode, product.name]
            keys.append(product.display_name)
            if product.barcode and product.barcode.isdigit():
                keys.append(product.barcode.zfill(14))
            for key in keys:
                if key:
                    references.setdefault(key.strip().lower(), product)
        return references

    def _get_row_product(self, row, decoded, tracked, by_gtin, elsewhere, by_reference):
        """(product, False) of a row, or (False, why)."""
        if decoded and decoded["gtin"]:
            gtin = decoded["gtin"]
            product = by_gtin.get(gtin)
            if not product:
                if gtin in elsewhere:
                    return False, self.env._(
                        "its GTIN %(gtin)s is the product %(product)s, which is not "
                        "on this receipt",
                        gtin=gtin,
                        product=", ".join(elsewhere[gtin].mapped("display_name")),
                    )
                return False, self.env._(
                    "its GTIN %(gtin)s is the barcode of no product", gtin=gtin
                )
        elif row.product:
            product = by_reference.get(row.product.lower())
            if not product:
                return False, self.env._(
                    "the product %(product)s is not on this receipt",
                    product=row.product,
                )
        elif len(tracked) == 1:
            product = tracked
        elif not tracked:
            return False, self.env._(
                "this receipt has no product tracked by serial numbers"
            )
        else:
            return False, self.env._(
                "which product? This receipt has several (%(products)s): add the "
                "product (its reference or barcode) or scan a GS1 code with its "
                "GTIN",
                products=", ".join(tracked.mapped("display_name")),
            )
        if product.tracking == "none":
            return False, self.env._(
                "the product %(product)s is not tracked by serial numbers",
                product=product.display_name,
            )
        return product, False

    def _get_row_values(self, row, decoded, product, lang):
        """(serial names, quantity, expiry datetime or False, why or False)."""
        if decoded:
            name = (
                decoded["batch"] or decoded["serial"]
                if product.tracking == "lot"
                else decoded["serial"]
            )
            quantity = float(decoded["quantity"] or 1)
            expiry = decoded["expiration_date"]
        else:
            name = row.serial
            quantity_text, expiry_text = row.quantity, row.expiry
            quantity = parser.parse_quantity(quantity_text, lang.decimal_point)
            if (
                quantity is None
                and not expiry_text
                and parser.parse_date(quantity_text, lang.date_format)
            ):
                # "serial;2026-12-31": a date where the quantity would be.
                quantity, expiry_text = 1.0, quantity_text
            if quantity is None:
                return (
                    [],
                    0,
                    False,
                    self.env._(
                        "its quantity %(quantity)s is not a number greater than zero",
                        quantity=quantity_text,
                    ),
                )
            expiry = False
            if expiry_text:
                day = parser.parse_date(expiry_text, lang.date_format)
                if not day:
                    return (
                        [],
                        0,
                        False,
                        self.env._(
                            "its expiration date %(date)s is not a date (write it "
                            "2026-12-31 or as %(example)s)",
                            date=expiry_text,
                            example=fields.Date.today().strftime(lang.date_format),
                        ),
                    )
                expiry = fields.Datetime.to_datetime(day)
        if product.tracking == "serial" and quantity != 1:
            return (
                [],
                0,
                False,
                self.env._(
                    "a unique serial number is exactly one unit, not %(quantity)s "
                    "(track the product by batch for several units under one number)",
                    quantity=product.uom_id._format_serial_quantity(quantity),
                ),
            )
        names = parser.expand_range(name or "")
        if isinstance(names, str):
            return (
                [],
                0,
                False,
                {
                    "prefix": self.env._(
                        "a range is written PREFIX-0001..PREFIX-0250, with the same "
                        "prefix on both sides"
                    ),
                    "order": self.env._("its range ends before it starts"),
                    "size": self.env._(
                        "its range holds more than %(max)s serial numbers",
                        max=parser.MAX_LINES,
                    ),
                }[names],
            )
        names = names or [name or ""]
        for serial in names:
            why = self._get_name_error(serial)
            if why:
                return [], 0, False, why
        if not product.use_expiration_date:
            expiry = False  # as Odoo's own import: no expiry for this product
        return names, quantity, expiry, False

    def _get_name_error(self, name):
        if not name.strip():
            return self.env._("the serial number is empty")
        if CONTROL_CHARACTERS.search(name):
            return self.env._(
                "it contains invisible control characters (tab, line break...)"
            )
        if len(name.strip()) > SERIAL_NAME_MAX_LENGTH:
            return self.env._(
                "its serial number has %(length)s characters, more than %(max)s",
                length=len(name.strip()),
                max=SERIAL_NAME_MAX_LENGTH,
            )
        return False

    def _check_duplicates(self, picking, items):
        """Serials twice in the input, or already on the receipt."""
        errors = []
        on_receipt = {
            (line.product_id.id, line.lot_id.name or (line.lot_name or "").strip())
            for line in picking.move_line_ids
            if line.lot_id or line.lot_name
        }
        seen = {}
        for item in items:
            item["name"] = item["name"].strip()
            key = (item["product"].id, item["name"])
            if key in seen:
                errors.append(
                    (
                        item["row"],
                        self.env._(
                            "%(serial)s is also on line %(line)s",
                            serial=item["name"],
                            line=seen[key],
                        ),
                    )
                )
                continue
            seen[key] = item["row"].number
            if key in on_receipt:
                errors.append(
                    (
                        item["row"],
                        self.env._(
                            "%(serial)s is already on this receipt", serial=item["name"]
                        ),
                    )
                )
        return errors

    def _check_existing_serials(self, picking, items):
        """Find the serials that exist (one read per batch of names): a unique
        serial in stock is refused; a new one needs an operation type that
        creates serials. Sets item["lot"] to the existing serial."""
        errors = []
        lots, in_stock = self._get_existing_serials(picking, items)
        can_create = picking.picking_type_id.use_create_lots
        for item in items:
            key = (item["product"].id, item["name"])
            lot = lots.get(key)
            item["lot"] = lot
            if lot and item["product"].tracking == "serial" and lot.id in in_stock:
                errors.append(
                    (
                        item["row"],
                        self.env._(
                            "%(serial)s is already in stock at %(location)s",
                            serial=item["name"],
                            location=in_stock[lot.id],
                        ),
                    )
                )
            elif not lot and not can_create:
                errors.append(
                    (
                        item["row"],
                        self.env._(
                            "%(serial)s does not exist, and the operation type "
                            "%(type)s does not create new serial numbers",
                            serial=item["name"],
                            type=picking.picking_type_id.display_name,
                        ),
                    )
                )
        return errors

    def _get_existing_serials(self, picking, items):
        """({(product id, name): lot} of the receipt's company or of none,
        {lot id: location name} of the unique ones in stock)."""
        # sudo: a serial the user cannot read still blocks a duplicate, and
        # its stock anywhere in the company counts; only ids and names leave.
        Lot = self.env["stock.lot"].sudo().with_context(active_test=False)
        product_ids = list({item["product"].id for item in items})
        lots = {}
        in_stock = {}
        names = sorted({item["name"] for item in items})
        for batch in split_every(READ_BATCH, names, list):
            found = Lot.search_fetch(
                [
                    ("product_id", "in", product_ids),
                    ("name", "in", batch),
                    ("company_id", "in", [picking.company_id.id, False]),
                ],
                ["name", "product_id", "company_id"],
            )
            for lot in found:
                lots.setdefault((lot.product_id.id, lot.name), lot)
            unique = found.filtered(lambda lot: lot.product_id.tracking == "serial")
            groups = (
                self.env["stock.quant"]
                .sudo()
                ._read_group(
                    [
                        ("lot_id", "in", unique.ids),
                        ("location_id.usage", "=", "internal"),
                        ("company_id", "=", picking.company_id.id),
                        ("quantity", ">", 0),
                    ],
                    ["lot_id", "location_id"],
                )
            )
            for lot, location in groups:
                in_stock.setdefault(lot.id, location.display_name)
        return {key: lot.with_env(self.env) for key, lot in lots.items()}, in_stock

    def _get_refusal_message(self, errors):
        errors = sorted(errors, key=lambda error: error[0].number)
        lines = [
            self.env._(
                "- line %(line)s (%(value)s): %(why)s",
                line=row.number,
                value=self._shown(row.value),
                why=why,
            )
            for row, why in errors[:MAX_LISTED]
        ]
        if len(errors) > MAX_LISTED:
            lines.append(
                self.env._(
                    "... and %(count)s more lines.", count=len(errors) - MAX_LISTED
                )
            )
        if len(errors) == 1:
            return self.env._(
                "Nothing was imported: one line is wrong. Correct it and import "
                "again.\n%(lines)s",
                lines="\n".join(lines),
            )
        return self.env._(
            "Nothing was imported: %(count)s lines are wrong. Correct them and "
            "import again.\n%(lines)s",
            count=len(errors),
            lines="\n".join(lines),
        )

    def _shown(self, value):
        """A line as a message shows it: control characters made visible
        (\\x1d), long lines cut."""
        value = CONTROL_CHARACTERS.sub(
            lambda match: f"\\x{ord(match[0]):02x}", str(value)
        )
        if len(value) > SHOWN_LENGTH:
            value = value[:SHOWN_LENGTH] + "..."
        return value

    # ---- Writing ----

    def _create_move_lines(self, picking, items):
        """One move line per serial on the receipt's move of its product (the
        move's lines without serial replaced); one create for all."""
        if picking.state == "draft":
            picking.action_confirm()
        moves = {}
        for move in picking.move_ids:
            if move.state not in ("done", "cancel"):
                moves.setdefault(move.product_id, move)
        used = self.env["stock.move"].concat(
            *{moves[item["product"]] for item in items}
        )
        used.move_line_ids.filtered(
            lambda line: not line.lot_id and not line.lot_name
        ).unlink()
        destinations = {
            move.product_id: move.location_dest_id._get_putaway_strategy(
                move.product_id, quantity=1
            )
            for move in used
        }
        vals_list = [
            self._prepare_move_line_vals(moves, destinations, item) for item in items
        ]
        return self.env["stock.move.line"].create(vals_list)

    def _prepare_move_line_vals(self, moves, destinations, item):
        product = item["product"]
        move = moves[product]
        vals = {
            "move_id": move.id,
            "picking_id": move.picking_id.id,
            "product_id": product.id,
            "product_uom_id": product.uom_id.id,
            "location_id": move.location_id.id,
            "location_dest_id": destinations[product].id,
            "quantity": item["quantity"],
            "picked": True,
        }
        if item["lot"]:
            vals["lot_id"] = item["lot"].id
        else:
            vals["lot_name"] = item["name"]
            if item["expiry"]:
                vals["expiration_date"] = item["expiry"]
        return vals
