# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Odoo side of tools/live_data_check.py, run under ``odoo-bin shell``.

tools/live_data_check.py sends this file on the shell's standard input,
followed by one call ``_main(env, step, params)``. Each step commits what it
did and prints one line, ``@@LIVE <json>``: named checks, fingerprints of
Odoo's own data and of the addon's, for the driver to compare between steps.

Steps: ``native`` (data made without the addon), ``installed`` (facts of the
existing serials, then the addon used), ``upgraded`` (the addon's footprint,
then its uninstallation), ``uninstalled`` (what is left, and Odoo working).
"""

import json
import traceback
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

MARK = "@@LIVE "
MODULE = "product_serial_tracking"
PREFIX = "LIVE-"
WARRANTY_MONTHS = 12

# Odoo's own data, as rows keyed by their first `key` columns. Quantities as
# text: the exact numeric value PostgreSQL holds.
NATIVE_QUERIES = {
    "lots": (
        1,
        "SELECT id, name, product_id, company_id, expiration_date::text, "
        "use_date::text FROM stock_lot",
    ),
    "moves": (
        1,
        "SELECT id, state, product_id, product_uom_qty::text, quantity::text, "
        "location_id, location_dest_id, picking_id, scrap_id, partner_id "
        "FROM stock_move",
    ),
    "move_lines": (
        1,
        "SELECT id, move_id, lot_id, state, quantity::text, location_id, "
        "location_dest_id, date::text FROM stock_move_line",
    ),
    "quants": (
        3,
        "SELECT product_id, COALESCE(lot_id, 0), location_id, SUM(quantity)::text, "
        "SUM(reserved_quantity)::text FROM stock_quant GROUP BY 1, 2, 3 "
        "HAVING SUM(quantity) <> 0 OR SUM(reserved_quantity) <> 0",
    ),
    "pickings": (1, "SELECT id, name, state, partner_id FROM stock_picking"),
    "scraps": (1, "SELECT id, name, state, lot_id FROM stock_scrap"),
    "invoices": (
        1,
        "SELECT id, name, state, move_type, amount_total::text, partner_id "
        "FROM account_move",
    ),
    "invoice_lines": (
        1,
        "SELECT id, move_id, product_id, quantity::text, balance::text "
        "FROM account_move_line",
    ),
    "sale_lines": (
        1,
        "SELECT id, order_id, product_uom_qty::text, qty_delivered::text, "
        "qty_invoiced::text FROM sale_order_line",
    ),
    "products": (1, "SELECT id, tracking, use_expiration_date FROM product_template"),
}
# The facts of 18.0.1, when they were columns of stock_lot (the upgrade from
# the previous release compares them with those of stock_serial_facts).
FACTS_OF_18_0_1 = (
    1,
    "SELECT id, serial_state, current_location_id, customer_id, "
    "last_move_date::text, warranty_start_date::text, warranty_end_date::text, "
    "COALESCE(to_investigate, FALSE), entry_origin, corrected_from_id, "
    "corrected_to_id FROM stock_lot",
)
# What only the addon keeps.
ADDON_QUERIES = {
    "lot_facts": (
        1,
        "SELECT lot.id, facts.serial_state, facts.current_location_id, "
        "facts.customer_id, facts.last_move_date::text, "
        "facts.warranty_start_date::text, facts.warranty_end_date::text, "
        "COALESCE(facts.to_investigate, FALSE), facts.entry_origin, "
        "lot.corrected_from_id, "
        "lot.corrected_to_id "
        "FROM stock_lot lot LEFT JOIN stock_serial_facts facts ON facts.id = lot.id",
    ),
    "invoice_serials": (
        2,
        "SELECT move_line_id, lot_id FROM account_move_line_stock_lot_rel",
    ),
    "invoice_pickings": (
        2,
        "SELECT move_id, picking_id FROM account_move_serial_picking_rel",
    ),
    "serial_operations": (
        1,
        "SELECT id, serial_operation FROM stock_move "
        "WHERE serial_operation IS NOT NULL",
    ),
    "warranty_months": (
        1,
        "SELECT id, serial_warranty_months FROM product_template "
        "WHERE serial_warranty_months <> 0",
    ),
    "history": (
        2,
        "SELECT lot_id, kind, COUNT(*) FROM stock_lot_history GROUP BY 1, 2",
    ),
    "activities": (
        2,
        "SELECT res_id, summary FROM mail_activity WHERE res_model = 'stock.lot'",
    ),
}


def _main(env, step, params):
    result = {"checks": []}
    try:
        globals()[f"_step_{step}"](env, params, result)
    except Exception:  # reported as a failed check, the driver goes on
        env.cr.rollback()
        _check(result, f"{step} step ran", False, traceback.format_exc())
    print(MARK + json.dumps(result, default=str), flush=True)


def _check(result, name, ok, detail=""):
    result["checks"].append([name, bool(ok), str(detail)])
    return ok


def _rows(env, queries):
    data = {}
    env.cr.execute("SELECT to_regclass('stock_serial_facts') IS NOT NULL")
    if queries is ADDON_QUERIES and not env.cr.fetchone()[0]:
        queries = dict(queries, lot_facts=FACTS_OF_18_0_1)
    for table, (key, query) in queries.items():
        env.cr.execute(query)
        data[table] = {
            "|".join(str(value) for value in row[:key]): [str(v) for v in row[key:]]
            for row in env.cr.fetchall()
        }
    return data


def _fingerprint(env):
    env.flush_all()
    return _rows(env, NATIVE_QUERIES)


# ---------------------------------------------------------------------------
# a. Native data, without the addon
# ---------------------------------------------------------------------------


def _step_native(env, params, result):
    env = env(context=dict(env.context, tracking_disable=True))
    company = env.ref("base.main_company")
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    stock = warehouse.lot_stock_id
    shelf = env["stock.location"].create(
        {"name": "Live Shelf", "location_id": stock.id, "usage": "internal"}
    )
    customer = env["res.partner"].create({"name": "Live Customer"})
    vendor = env["res.partner"].create({"name": "Live Vendor"})
    serial = env["product.product"].create(
        {
            "name": "Live Serial Product",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "invoice_policy": "delivery",
        }
    )
    batch = env["product.product"].create(
        {
            "name": "Live Batch Product",
            "type": "consu",
            "is_storable": True,
            "tracking": "lot",
            "use_expiration_date": True,
            "expiration_time": 30,
        }
    )
    names = [f"{PREFIX}S{index}" for index in range(1, 8)]
    receipt = _picking(
        env,
        warehouse.in_type_id,
        vendor,
        env.ref("stock.stock_location_suppliers"),
        stock,
        [(serial, [(name, 1) for name in names]), (batch, [(f"{PREFIX}B1", 20)])],
    )
    delivery = _picking(
        env,
        warehouse.out_type_id,
        customer,
        stock,
        env.ref("stock.stock_location_customers"),
        [(serial, 2), (batch, 5)],
    )
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create(
                    {"product_id": serial.id, "product_uom_qty": 1, "price_unit": 150}
                )
            ],
        }
    )
    order.action_confirm()
    _validate(order.picking_ids)
    invoice = order._create_invoices()
    invoice.action_post()
    transfer = _picking(env, warehouse.int_type_id, False, stock, shelf, [(serial, 1)])
    in_stock = env["stock.quant"].search(
        [
            ("product_id", "=", serial.id),
            ("location_id", "=", stock.id),
            ("quantity", ">", 0),
        ],
        order="id",
    )
    scrap = env["stock.scrap"].create(
        {
            "product_id": serial.id,
            "lot_id": in_stock[0].lot_id.id,
            "scrap_qty": 1,
            "location_id": stock.id,
            "product_uom_id": serial.uom_id.id,
        }
    )
    scrap.action_validate()
    never_moved = env["stock.lot"].create(
        {"name": f"{PREFIX}NEVER", "product_id": serial.id, "company_id": company.id}
    )
    # Delivered without ever having been received (Odoo lets the stock go
    # negative): the addon flags it for investigation.
    unreceived = env["stock.lot"].create(
        {
            "name": f"{PREFIX}UNRECEIVED",
            "product_id": serial.id,
            "company_id": company.id,
        }
    )
    unreceived_delivery = _picking(
        env,
        warehouse.out_type_id,
        customer,
        stock,
        env.ref("stock.stock_location_customers"),
        [(serial, [(unreceived, 1)])],
    )
    # A smaller batch than in production, so that the installation's batching
    # shows on a few dozen serials.
    env["ir.config_parameter"].set_param(
        f"{MODULE}.facts_batch_size", params["batch_size"]
    )
    env.cr.commit()
    done = [receipt, delivery, order.picking_ids, transfer, unreceived_delivery]
    _check(
        result,
        "native data made without the addon (receipt, delivery, sale order "
        "delivered and invoiced, internal transfer, scrap, delivery of a serial "
        "never received)",
        all(picking.state == "done" for picking in done)
        and scrap.state == "done"
        and invoice.state == "posted",
        f"pickings {[picking.state for picking in done]}, scrap {scrap.state}, "
        f"invoice {invoice.state}",
    )
    result["ids"] = {
        "serial": serial.id,
        "batch": batch.id,
        "customer": customer.id,
        "stock": stock.id,
        "shelf": shelf.id,
        "invoice": invoice.id,
        "scrap_lot": scrap.lot_id.id,
        "transfer_lot": transfer.move_line_ids.lot_id.id,
        "sold_lot": order.picking_ids.move_line_ids.lot_id.id,
        "never_moved": never_moved.id,
        "unreceived": unreceived.id,
        "batch_lot": env["stock.lot"].search([("name", "=", f"{PREFIX}B1")]).id,
    }
    result["fingerprint"] = _fingerprint(env)


def _picking(env, picking_type, partner, source, destination, lines):
    """A validated transfer; lines: [(product, quantity or [(lot name, qty)])]."""
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner and partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": quantity
                        if isinstance(quantity, int | float)
                        else sum(qty for _name, qty in quantity),
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
                for product, quantity in lines
            ],
        }
    )
    picking.action_confirm()
    for product, quantity in lines:
        if isinstance(quantity, int | float):
            continue
        move = picking.move_ids.filtered(lambda move, p=product: move.product_id == p)
        move.move_line_ids.unlink()
        env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    **(
                        {"lot_name": name}
                        if isinstance(name, str)
                        else {"lot_id": name.id}
                    ),
                    "quantity": qty,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
                for name, qty in quantity
            ]
        )
    _validate(picking)
    return picking


def _validate(picking):
    picking.action_assign()
    picking.move_ids.picked = True
    outcome = picking.button_validate()
    if outcome is not True or picking.state != "done":
        raise AssertionError(f"{picking.name} not validated: {outcome}")


# ---------------------------------------------------------------------------
# b. The addon installed on that data; c. then used
# ---------------------------------------------------------------------------


def _step_installed(env, params, result):
    ids = params["ids"]
    before = set(params["lot_ids"])
    lots = env["stock.lot"].browse(sorted(before))
    _check_facts(
        env,
        result,
        lots,
        f"install computes the stored fields of all {len(lots)} existing serials "
        "as the stock says",
        every_state=True,
    )
    _check_scenario_serials(env, result, ids)
    _check(
        result,
        "install gives the sale order's invoice line the serial delivered for it",
        _invoice_serials(env, ids["invoice"]) == {ids["sold_lot"]},
        f"invoice line serials {_invoice_serials(env, ids['invoice'])}, "
        f"delivered {ids['sold_lot']}",
    )
    result["fingerprint_installed"] = _fingerprint(env)
    _check_warranty_end(env, result, ids)
    _use_addon(env, result, ids)
    env.cr.commit()
    result["fingerprint"] = _fingerprint(env)
    result["addon"] = _rows(env, ADDON_QUERIES)


def _expected_facts(env, lots):
    """The facts of these serials, read from the stock through the ORM."""
    lines = (
        env["stock.move.line"]
        .sudo()
        .search([("lot_id", "in", lots.ids), ("state", "=", "done")])
        .sorted(lambda line: (line.date, line.id))
    )
    by_lot = defaultdict(list)
    for line in lines:
        by_lot[line.lot_id.id].append(line)
    quants = env["stock.quant"].sudo().search([("lot_id", "in", lots.ids)])
    stock = defaultdict(lambda: [0.0, set()])
    for quant in quants:
        location = quant.location_id
        held = location.usage == "internal" or (
            location.usage == "transit" and location.company_id
        )
        if held and quant.quantity > 0:
            stock[quant.lot_id.id][0] += quant.quantity
            stock[quant.lot_id.id][1].add(location.id)
    # The kind of document of each serial's first line, as the addon's one
    # definition (stock.move.line's _serial_entry_origin_sql) reads it.
    entry_origins = (
        env["stock.move.line"]
        .browse([moves[0].id for moves in by_lot.values()])
        ._get_serial_entry_origins()
    )
    expected = {}
    for lot in lots:
        moves = by_lot[lot.id]
        last = moves[-1] if moves else None
        customer_moves = [
            line
            for line in moves
            if "customer" in (line.location_id.usage, line.location_dest_id.usage)
        ]
        last_customer = customer_moves[-1] if customer_moves else None
        delivered = bool(
            last_customer and last_customer.location_dest_id.usage == "customer"
        )
        quantity, locations = stock[lot.id]
        if quantity > 0:
            state = "in_stock"
        elif last and (last.move_id.scrap_id or last.location_dest_id.scrap_location):
            state = "written_off"
        elif last and last.location_dest_id.usage == "customer":
            state = "delivered"
        else:
            state = "not_in_stock"
        first = moves[0] if moves else None
        start = last_customer.date.date() if delivered else False
        months = lot.product_id.serial_warranty_months
        expected[lot.id] = {
            "serial_state": state,
            "current_location_id": next(iter(locations)) if len(locations) == 1 else 0,
            "customer_id": (
                last_customer.picking_id.partner_id or last_customer.move_id.partner_id
            ).id
            if delivered
            else 0,
            "last_move_date": last.date if last else False,
            "warranty_start_date": start,
            "warranty_end_date": start + relativedelta(months=months)
            if start and months
            else False,
            "entry_origin": entry_origins[first.id][0] if first else False,
            "to_investigate": bool(first and entry_origins[first.id][1]),
        }
    return expected


def _actual_facts(lot):
    return {
        "serial_state": lot.serial_state,
        "current_location_id": lot.current_location_id.id or 0,
        "customer_id": lot.customer_id.id or 0,
        "last_move_date": lot.last_move_date,
        "warranty_start_date": lot.warranty_start_date,
        "warranty_end_date": lot.warranty_end_date,
        "entry_origin": lot.entry_origin,
        "to_investigate": lot.to_investigate,
    }


def _facts_differences(env, lots):
    env.invalidate_all()
    expected = _expected_facts(env, lots)
    differences = []
    for lot in lots:
        actual = _actual_facts(lot)
        for name, value in expected[lot.id].items():
            if actual[name] != value:
                differences.append(f"{lot.name}.{name}: {actual[name]!r} != {value!r}")
    return differences


def _check_facts(env, result, lots, name, every_state=False):
    """One check: the serials' stored facts are those their stock says."""
    differences = _facts_differences(env, lots)
    states = defaultdict(int)
    for lot in lots:
        states[lot.serial_state] += 1
    _check(
        result,
        f"{name} ({dict(states)})",
        bool(lots) and not differences and (len(states) == 4 or not every_state),
        "; ".join(differences[:10]),
    )


def _check_scenario_serials(env, result, ids):
    Lot = env["stock.lot"]
    lots = Lot.search([("name", "=like", f"{PREFIX}S%")])
    delivered = lots.filtered(lambda lot: lot.serial_state == "delivered")
    _check(
        result,
        "delivered serials (delivery, sale order): Delivered, customer set, "
        "warranty from the delivery date, no location",
        len(delivered) == 3
        and Lot.browse(ids["sold_lot"]) in delivered
        and all(
            lot.customer_id.id == ids["customer"]
            and not lot.current_location_id
            and lot.warranty_start_date == lot.last_move_date.date()
            for lot in delivered
        ),
        [(lot.name, lot.customer_id.name, lot.warranty_start_date) for lot in lots],
    )
    in_stock = lots.filtered(lambda lot: lot.serial_state == "in_stock")
    transferred = Lot.browse(ids["transfer_lot"])
    _check(
        result,
        "in-stock serials: In stock at their location (the transferred one on "
        "the shelf), no customer",
        len(in_stock) == 3
        and transferred.current_location_id.id == ids["shelf"]
        and all(
            lot.current_location_id
            == lot.quant_ids.filtered(
                lambda quant: quant.quantity > 0
                and quant.location_id.usage == "internal"
            ).location_id
            and not lot.customer_id
            for lot in in_stock
        ),
        [(lot.name, lot.serial_state, lot.current_location_id.name) for lot in lots],
    )
    scrapped = Lot.browse(ids["scrap_lot"])
    never = Lot.browse(ids["never_moved"])
    _check(
        result,
        "scrapped serial Written off; never-moved serial Not in stock, no date",
        scrapped.serial_state == "written_off"
        and not scrapped.current_location_id
        and never.serial_state == "not_in_stock"
        and not never.last_move_date
        and not never.entry_origin,
        f"{scrapped.serial_state}, {never.serial_state} {never.last_move_date}",
    )
    batch = Lot.browse(ids["batch_lot"])
    received = batch.create_date
    _check(
        result,
        "batch serial: In stock (15 of 20) at the stock, expiry kept "
        "(received + 30 days), entry origin Receipt",
        batch.serial_state == "in_stock"
        and batch.product_qty == 15
        and batch.current_location_id.id == ids["stock"]
        and batch.expiration_date
        and abs((batch.expiration_date - received).days - 30) <= 1
        and batch.expiry_days_left in (29, 30)
        and batch.entry_origin == "receipt",
        f"{batch.serial_state} {batch.product_qty} {batch.expiration_date} "
        f"{batch.expiry_days_left} {batch.entry_origin}",
    )
    unreceived = Lot.browse(ids["unreceived"])
    _check(
        result,
        "entry origins of existing serials filled: received ones Receipt, the "
        "one delivered without a receipt flagged to investigate",
        all(lot.entry_origin == "receipt" and not lot.to_investigate for lot in lots)
        and unreceived.to_investigate
        and unreceived.entry_origin == "transfer"
        and unreceived.serial_state == "delivered",
        [(lot.name, lot.entry_origin, lot.to_investigate) for lot in lots | unreceived],
    )


def _invoice_serials(env, invoice_id):
    invoice = env["account.move"].browse(invoice_id)
    return set(invoice.invoice_line_ids.lot_ids.ids)


def _check_warranty_end(env, result, ids):
    product = env["product.product"].browse(ids["serial"])
    product.product_tmpl_id.serial_warranty_months = WARRANTY_MONTHS
    delivered = env["stock.lot"].search(
        [("product_id", "=", product.id), ("serial_state", "=", "delivered")]
    )
    _check(
        result,
        f"warranty end follows the product's warranty ({WARRANTY_MONTHS} months "
        "after delivery)",
        delivered
        and all(
            lot.warranty_end_date
            == lot.warranty_start_date + relativedelta(months=WARRANTY_MONTHS)
            for lot in delivered
        ),
        [
            (lot.name, lot.warranty_start_date, lot.warranty_end_date)
            for lot in delivered
        ],
    )


def _use_addon(env, result, ids):
    """Sell a serial on an invoice, sell a typed-in serial, correct a serial."""
    admin = env.ref("base.user_admin")
    user_env = env(user=admin, su=False)
    Lot = user_env["stock.lot"]
    product = user_env["product.product"].browse(ids["serial"])
    sold = Lot.search(
        [
            ("product_id", "=", product.id),
            ("serial_state", "=", "in_stock"),
            ("current_location_id", "=", ids["stock"]),
        ],
        limit=1,
    )
    typed = Lot.create({"name": f"{PREFIX}TYPED", "product_id": product.id})
    invoice = user_env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": ids["customer"],
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 2,
                        "price_unit": 100.0,
                        "lot_ids": [Command.set((sold | typed).ids)],
                    }
                )
            ],
        }
    )
    invoice.action_post()
    wrong = Lot.browse(ids["transfer_lot"])
    correction = user_env["stock.lot.correction"].create(
        {"lot_id": wrong.id, "new_name": f"{PREFIX}FIXED", "reason": "digits swapped"}
    )
    correction.action_apply()
    env.invalidate_all()
    right = Lot.search([("name", "=", f"{PREFIX}FIXED")])
    _check(
        result,
        "addon used: invoice of an in-stock and a typed-in serial posted, "
        "serial corrected",
        invoice.state == "posted"
        and sold.serial_state == "delivered"
        and sold.customer_id.id == ids["customer"]
        and typed.to_investigate
        and wrong.corrected_to_id == right
        and right.corrected_from_id == wrong
        and right.current_location_id.id == ids["shelf"]
        and not _facts_differences(env, Lot.search([])),
        f"{invoice.state} {sold.serial_state} {typed.to_investigate} "
        f"{wrong.corrected_to_id.name} {right.current_location_id.name}",
    )
    result["addon_lots"] = (typed | right).ids


# ---------------------------------------------------------------------------
# c. After the upgrade; d. the uninstallation
# ---------------------------------------------------------------------------


def _step_upgraded(env, params, result):
    result["fingerprint_upgraded"] = _fingerprint(env)
    result["addon"] = _rows(env, ADDON_QUERIES)
    _check(
        result,
        "upgrade: the stored facts still match the stock",
        not _facts_differences(env, env["stock.lot"].search([])),
    )
    result["footprint"] = _footprint(env)
    _step_uninstall(env, params, result)


def _step_uninstall(env, params, result):
    module = env["ir.module.module"].search([("name", "=", MODULE)])
    module.button_immediate_uninstall()
    env.cr.commit()
    env.cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [MODULE])
    result["state"] = env.cr.fetchone()[0]
    _check(
        result,
        "uninstall runs (button_immediate_uninstall)",
        result["state"] == "uninstalled",
        result["state"],
    )


def _footprint(env):
    """The addon's tables, columns, SQL view and indexes, while installed."""
    from odoo.addons.product_serial_tracking.hooks import MANUAL_INDEXES

    cr = env.cr
    # Fields and models that only this addon defines.
    cr.execute(
        """
        SELECT data.model, data.res_id
          FROM ir_model_data data
         WHERE data.model IN ('ir.model', 'ir.model.fields') AND data.module = %s
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data other
                WHERE other.model = data.model AND other.res_id = data.res_id
                  AND other.module <> data.module)
        """,
        [MODULE],
    )
    owned = defaultdict(list)
    for model, res_id in cr.fetchall():
        owned[model].append(res_id)
    models = env["ir.model"].browse(owned["ir.model"])
    tables = sorted(env[model.model]._table for model in models if model.model in env)
    columns = []
    for field in env["ir.model.fields"].browse(owned["ir.model.fields"]):
        if field.model_id in models or not field.store:
            continue
        if field.ttype in ("one2many", "many2many"):
            continue
        columns.append([env[field.model]._table, field.name])
    cr.execute(
        "SELECT relation.name FROM ir_model_relation relation "
        "JOIN ir_module_module module ON module.id = relation.module "
        "WHERE module.name = %s",
        [MODULE],
    )
    tables += sorted({row[0] for row in cr.fetchall()})
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
        [list(MANUAL_INDEXES)],
    )
    indexes = sorted(row[0] for row in cr.fetchall())
    return {
        "tables": tables,
        "columns": sorted(columns),
        "indexes": indexes,
        "models": sorted(models.mapped("model")),
        "manual_indexes": sorted(MANUAL_INDEXES),
    }


def _step_uninstalled(env, params, result):
    footprint = params["footprint"]
    cr = env.cr
    result["fingerprint"] = _fingerprint(env)
    cr.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_name = ANY(%s)",
        [footprint["tables"]],
    )
    tables_left = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name || '.' || column_name = ANY(%s)",
        [[f"{table}.{column}" for table, column in footprint["columns"]]],
    )
    columns_left = sorted(f"{table}.{column}" for table, column in cr.fetchall())
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s) "
        "OR indexname LIKE %s",
        [footprint["manual_indexes"], "%serial_tracking%"],
    )
    indexes_left = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        "SELECT model FROM ir_model WHERE model = ANY(%s)", [footprint["models"]]
    )
    models_left = sorted(row[0] for row in cr.fetchall())
    cr.execute("SELECT COUNT(*) FROM ir_model_data WHERE module = %s", [MODULE])
    data_left = cr.fetchone()[0]
    _check(
        result,
        f"uninstall removes the addon's {len(footprint['tables'])} tables and "
        f"view, {len(footprint['columns'])} columns, "
        f"{len(footprint['indexes'])} hand-made indexes, "
        f"{len(footprint['models'])} models",
        not (tables_left or columns_left or indexes_left or models_left or data_left),
        f"tables {tables_left}, columns {columns_left}, indexes {indexes_left}, "
        f"models {models_left}, ir.model.data rows {data_left}",
    )
    addon_lots = env["stock.lot"].browse(params["addon_lots"]).exists()
    _check(
        result,
        "uninstall keeps the serials created through the addon as stock.lot",
        len(addon_lots) == len(params["addon_lots"]),
        addon_lots.mapped("name"),
    )
    _check_odoo_works(env, result, params["ids"])


def _check_odoo_works(env, result, ids):
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.ref("base.main_company").id)], limit=1
    )
    product = env["product.product"].browse(ids["serial"])
    receipt = _picking(
        env,
        warehouse.in_type_id,
        False,
        env.ref("stock.stock_location_suppliers"),
        warehouse.lot_stock_id,
        [(product, [(f"{PREFIX}AFTER", 1)])],
    )
    lot = env["stock.lot"].search([("name", "=", f"{PREFIX}AFTER")])
    lots = env["stock.lot"].search_read([("product_id", "=", product.id)], ["name"])
    _check(
        result,
        "Odoo works after the uninstall (receipt of a new serial validated, "
        "serials listed)",
        receipt.state == "done" and lot.product_qty == 1 and len(lots) >= 9,
        f"{receipt.state} {lot.product_qty} {len(lots)}",
    )
    env.cr.rollback()


# ---------------------------------------------------------------------------
# bench/bench_install_live.py: the facts of a sample of serials
# ---------------------------------------------------------------------------


def _step_sample(env, params, result):
    env.cr.execute(
        "SELECT id FROM stock_lot ORDER BY md5(id::text) LIMIT %s", [params["size"]]
    )
    lots = env["stock.lot"].browse(sorted(row[0] for row in env.cr.fetchall()))
    _check_facts(
        env,
        result,
        lots,
        f"facts of {len(lots)} serials taken at random match their stock and moves",
    )
