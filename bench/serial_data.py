# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bench data shaped like real serials, in the state users have it.

Used by bench/bench_enquiry.py, bench/bench_install_live.py and (through
bench/load_data.py) bench/bench_load.py. Two halves:

- ``fill(env, serials)``: inserts, in bulk SQL (psycopg2 parameters, no
  string formatting of values), ``serials`` serials into a database WITHOUT
  the addon (Odoo and the addon's dependencies only), with their done
  receipts and deliveries as pickings, moves, move lines and quants:

  * one product holding ``BIG_SERIALS`` (200,000) serials, all in stock, named
    by a manufacturer prefix and a sequence (``PX000123456-1a2b3c``);
  * the other serials over products of ``PER_PRODUCT`` (1,000) each, one
    format per product, cycling over ten products: four of
    ``SN000123456-e10adc`` (the manufacturer prefix ``SN`` and one sequence
    over all those products, so that a product's run shares its prefix, and
    six hex characters), two of 15-digit IMEI-like numbers sharing their
    product's first 8 digits (the TAC), two of random hex, one of a vendor's
    prefix (``HP5CGABA000123``), one of batches (tracked by lot, ``BATCH_QTY``
    units each, ``CR-GREY-2026-0042``);
  * each received by a done receipt (one picking per 1,000 serials of a
    product) over two years; 70% delivered (10 serials of a product per
    delivery) to ``CUSTOMERS`` (1,000) customers, a few days to months later;
  * each serial's stored location (``stock.lot.location_id``) where its
    quant is, as Odoo's own compute keeps it.

  Products and customers go through the ORM, the rest in SQL.
- ``churn(env, moves, batch)``: further moves through the ORM, as users make
  them (pickings of ``batch`` lines, ``button_validate``): receipts of new
  serials (40%), deliveries of serials in stock (40%), returns of delivered
  serials (20%); identical on two copies of the same database.

The Python name functions (``sn_name`` ...) are the SQL's: ``fill`` checks
they agree, and the benches build the values a user types from them.
"""

import hashlib
import json
import time

# change when the data changes: kept databases are built again (3: each
# serial's stored location, as Odoo's _compute_single_location sets it)
VERSION = 3
MARK = "product_serial_tracking.bench_data"
IDS = "product_serial_tracking.bench_data_ids"
BIG_SERIALS = 200_000
PER_PRODUCT = 1000
CUSTOMERS = 1000
DELIVERED_TENTHS = 7
BATCH_QTY = 20
RECEIPT_SIZE = 1000
DELIVERY_SIZE = 10
KINDS = ("sn", "sn", "sn", "sn", "imei", "imei", "hex", "hex", "vendor", "batch")
VENDORS = ("HP5CG", "C02", "DLX", "5CD")
COLOURS = ("GREY", "BLUE", "RED", "BLACK", "WHITE", "GREEN", "CREAM", "SAND")
# New serials received by the churn: a sequence far above the data's.
CHURN_SN_START = 900_000_000


def scale_label(serials):
    """1m, 10m, 250k: the suffix of the kept databases."""
    for unit, size in (("m", 1_000_000), ("k", 1000)):
        if serials >= size and serials % (size // 10) == 0:
            value = serials / size
            return f"{value:g}".replace(".", "_") + unit
    return str(serials)


def shape(serials):
    """(big product's serials, [(kind, serials)] of the other products)."""
    big = min(BIG_SERIALS, serials // 5)
    rest = serials - big
    count = max(1, rest // PER_PRODUCT)
    base, extra = divmod(rest, count)
    return big, [
        (KINDS[index % len(KINDS)], base + (1 if index < extra else 0))
        for index in range(count)
    ]


# ---------------------------------------------------------------------------
# Names, as the SQL of fill() builds them
# ---------------------------------------------------------------------------


def _md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def sn_name(seq):
    return f"SN{seq:09d}-{_md5(str(seq))[:6]}"


def big_name(rank):
    return f"PX{rank:09d}-{_md5('px' + str(rank))[:6]}"


def tac(pidx):
    return f"{35_000_000 + pidx * 7_919 % 65_000_000:08d}"


def imei_name(pidx, rank):
    return f"{tac(pidx)}{rank:06d}{(rank * 7 + pidx) % 10}"


def hex_name(g):
    return _md5(f"hex{g}")[:16]


def _code(pidx, letters):
    return "".join(chr(65 + pidx // 26**power % 26) for power in range(letters))


def vendor_name(pidx, rank):
    return f"{VENDORS[pidx % len(VENDORS)]}{_code(pidx, 3)}{rank:06d}"


def batch_name(pidx, rank):
    code = _code(pidx // len(COLOURS), 2)
    colour = COLOURS[pidx % len(COLOURS)]
    return f"{code}-{colour}-{2025 + rank // 500}-{rank % 500:04d}"


# SQL of the same names; the columns of bench_plan: g (global row), pidx,
# rank (1-based within the product), seq (the SN sequence).
NAME_SQL = """
CASE plan.kind
  WHEN 'big' THEN 'PX' || lpad(plan.rank::text, 9, '0') || '-'
                  || substr(md5('px' || plan.rank), 1, 6)
  WHEN 'sn' THEN 'SN' || lpad(plan.seq::text, 9, '0') || '-'
                 || substr(md5(plan.seq::text), 1, 6)
  WHEN 'imei' THEN lpad((35000000 + mod(plan.pidx * 7919, 65000000))::text, 8, '0')
                   || lpad(plan.rank::text, 6, '0')
                   || mod(plan.rank * 7 + plan.pidx, 10)
  WHEN 'hex' THEN substr(md5('hex' || plan.g), 1, 16)
  WHEN 'vendor' THEN (%(vendors)s::text[])[1 + mod(plan.pidx, %(n_vendors)s)]
                     || chr(65 + mod(plan.pidx, 26))
                     || chr(65 + mod(plan.pidx / 26, 26))
                     || chr(65 + mod(plan.pidx / 676, 26))
                     || lpad(plan.rank::text, 6, '0')
  ELSE chr(65 + mod(plan.pidx / %(n_colours)s, 26))
       || chr(65 + mod(plan.pidx / %(n_colours)s / 26, 26)) || '-'
       || (%(colours)s::text[])[1 + mod(plan.pidx, %(n_colours)s)] || '-'
       || (2025 + plan.rank / 500) || '-' || lpad(mod(plan.rank, 500)::text, 4, '0')
END
"""


def python_name(kind, pidx, rank, seq, g):
    if kind == "big":
        return big_name(rank)
    if kind == "sn":
        return sn_name(seq)
    if kind == "imei":
        return imei_name(pidx, rank)
    if kind == "hex":
        return hex_name(g)
    if kind == "vendor":
        return vendor_name(pidx, rank)
    return batch_name(pidx, rank)


# ---------------------------------------------------------------------------
# The data, in bulk
# ---------------------------------------------------------------------------


def fill(env, serials, log=print):
    """Insert the data (see the module's docstring); returns its ids (JSON
    also kept in the ir.config_parameter IDS, for churn())."""
    cr = env.cr
    big, products_shape = shape(serials)
    company = env.ref("base.main_company")
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    stock = warehouse.lot_stock_id
    supplier = env.ref("stock.stock_location_suppliers")
    customer = env.ref("stock.stock_location_customers")
    unit = env.ref("uom.product_uom_unit")
    started = time.monotonic()
    vals = [
        {
            "name": "Bench Stock Product (200,000 in stock)",
            "default_code": "BENCH-BIG",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
        }
    ] + [
        {
            "name": f"Bench {kind.upper()} Product {pidx:05d}",
            "default_code": f"BENCH-{kind.upper()}-{pidx:05d}",
            "type": "consu",
            "is_storable": True,
            "tracking": "lot" if kind == "batch" else "serial",
        }
        for pidx, (kind, _count) in enumerate(products_shape)
    ]
    products = env["product.product"].create(vals)
    customers = env["res.partner"].create(
        [{"name": f"Bench Customer {index:04d}"} for index in range(CUSTOMERS)]
    )
    env.flush_all()
    log(f"{len(products):,} products, {len(customers):,} customers (ORM)")

    # One row per product: where its serials start in the global row number
    # g and in the SN sequence.
    rows, g_first, seq_first = [], 1, 1
    for pidx, (kind, count) in [(-1, ("big", big))] + list(enumerate(products_shape)):
        rows.append(
            (
                pidx,
                products[pidx + 1].id,
                kind,
                count,
                g_first,
                seq_first,
                kind == "batch",
            )
        )
        g_first += count
        if kind == "sn":
            seq_first += count
    columns = [list(column) for column in zip(*rows, strict=True)]
    cr.execute(
        """
        CREATE TEMP TABLE bench_product AS
        SELECT * FROM unnest(%s::int[], %s::int[], %s::text[], %s::int[],
                             %s::bigint[], %s::bigint[], %s::bool[])
            AS p(pidx, product_id, kind, serials, g_first, seq_first, batch)
        """,
        columns,
    )
    params = {
        "n": serials,
        "customers": customers.ids,
        "n_customers": len(customers),
        "company": company.id,
        "unit": unit.id,
        "stock": stock.id,
        "supplier": supplier.id,
        "customer": customer.id,
        "receipt_type": warehouse.in_type_id.id,
        "delivery_type": warehouse.out_type_id.id,
        "vendors": list(VENDORS),
        "n_vendors": len(VENDORS),
        "colours": list(COLOURS),
        "n_colours": len(COLOURS),
        "tenths": DELIVERED_TENTHS,
        "batch_qty": BATCH_QTY,
        "receipt_size": RECEIPT_SIZE,
        "delivery_size": DELIVERY_SIZE,
    }
    # Lot ids in the order of reception, reserved from the sequence.
    cr.execute("SELECT nextval('stock_lot_id_seq')")
    params["first_lot"] = cr.fetchone()[0]
    cr.execute(
        "SELECT setval('stock_lot_id_seq', %s)", [params["first_lot"] + serials - 1]
    )
    # The plan: one row per serial, received over two years in g order (on
    # the date of its receipt of 1,000), the delivered ones numbered per
    # product to make deliveries of 10, later than their receipts.
    cr.execute(
        "CREATE TEMP TABLE bench_plan AS"
        f" SELECT plan.*, {NAME_SQL} AS name,"  # noqa: S608 (constant SQL)
        """
               %(first_lot)s + plan.g - 1 AS lot_id,
               (plan.rank - 1) / %(receipt_size)s AS receipt,
               CASE WHEN plan.delivered THEN
                   (row_number() OVER (PARTITION BY plan.product_id, plan.delivered
                                       ORDER BY plan.g) - 1) / %(delivery_size)s
               END AS delivery
          FROM (SELECT p.product_id, p.pidx, p.kind, g, g - p.g_first + 1 AS rank,
                       p.seq_first + g - p.g_first AS seq,
                       CASE WHEN p.batch THEN %(batch_qty)s ELSE 1 END AS qty,
                       p.kind <> 'big' AND mod(g * 7, 10) < %(tenths)s AS delivered,
                       timestamp '2024-01-01'
                           + ((g - mod(g - p.g_first, %(receipt_size)s))::float
                              / %(n)s) * interval '700 days' AS received
                  FROM bench_product p,
                       generate_series(p.g_first, p.g_first + p.serials - 1) g) plan;
        CREATE INDEX ON bench_plan (product_id, receipt);
        CREATE INDEX ON bench_plan (product_id, delivery);
        ANALYZE bench_plan;
        """,
        params,
    )
    cr.execute(
        "SELECT kind, pidx, rank, seq, g, name FROM bench_plan "
        "WHERE rank IN (1, 2, 777) OR g = %s",
        [serials // 2],
    )
    for kind, pidx, rank, seq, g, name in cr.fetchall():
        expected = python_name(kind, pidx, rank, seq, g)
        assert name == expected, (kind, pidx, rank, name, expected)
    log(f"plan of {serials:,} serials in {time.monotonic() - started:.0f}s")

    # Receipts: one picking and one move per 1,000 serials of a product.
    cr.execute(
        """
        CREATE TEMP TABLE bench_receipt AS
        SELECT product_id, receipt, nextval('stock_picking_id_seq') AS picking_id,
               nextval('stock_move_id_seq') AS move_id, sum(qty) AS qty,
               max(received) AS date
          FROM bench_plan GROUP BY product_id, receipt;
        CREATE TEMP TABLE bench_delivery AS
        SELECT product_id, delivery, nextval('stock_picking_id_seq') AS picking_id,
               nextval('stock_move_id_seq') AS move_id, sum(qty) AS qty,
               max(received) + (1 + mod(delivery * 13 + product_id, 120))
                   * interval '1 day' AS date,
               (%(customers)s::int[])[1 + mod((product_id * 7919 + delivery * 104729),
                                              %(n_customers)s)] AS partner_id
          FROM bench_plan WHERE delivered GROUP BY product_id, delivery;
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO stock_lot (id, name, product_id, company_id, product_uom_id,
                               location_id, create_uid, write_uid, create_date,
                               write_date)
        SELECT lot_id, name, product_id, %(company)s, %(unit)s,
               CASE WHEN delivered THEN %(customer)s ELSE %(stock)s END,
               1, 1, received, received
          FROM bench_plan ORDER BY g;

        INSERT INTO stock_picking (id, name, origin, picking_type_id, location_id,
                                   location_dest_id, company_id, move_type, state,
                                   priority, scheduled_date, date, date_done,
                                   create_uid, write_uid, create_date, write_date)
        SELECT picking_id, 'WH/IN/B' || lpad(picking_id::text, 7, '0'), 'Bench',
               %(receipt_type)s, %(supplier)s, %(stock)s, %(company)s, 'direct',
               'done', '0', date, date, date, 1, 1, date, date
          FROM bench_receipt;
        INSERT INTO stock_picking (id, name, origin, picking_type_id, location_id,
                                   location_dest_id, partner_id, company_id,
                                   move_type, state, priority, scheduled_date, date,
                                   date_done, create_uid, write_uid, create_date,
                                   write_date)
        SELECT picking_id, 'WH/OUT/B' || lpad(picking_id::text, 7, '0'), 'Bench',
               %(delivery_type)s, %(stock)s, %(customer)s, partner_id, %(company)s,
               'direct', 'done', '0', date, date, date, 1, 1, date, date
          FROM bench_delivery;

        INSERT INTO stock_move (id, name, reference, picking_id, product_id,
                                product_uom, product_uom_qty, product_qty, quantity,
                                location_id, location_dest_id, location_final_id,
                                company_id, procure_method, state, date, picked,
                                picking_type_id, create_uid, write_uid, create_date,
                                write_date)
        SELECT move_id, 'Bench receipt', 'WH/IN/B' || lpad(picking_id::text, 7, '0'),
               picking_id, product_id, %(unit)s, qty, qty, qty, %(supplier)s,
               %(stock)s, %(stock)s, %(company)s, 'make_to_stock', 'done', date,
               TRUE, %(receipt_type)s, 1, 1, date, date
          FROM bench_receipt;
        INSERT INTO stock_move (id, name, reference, picking_id, product_id,
                                product_uom, product_uom_qty, product_qty, quantity,
                                location_id, location_dest_id, company_id,
                                procure_method, state, date, picked, partner_id,
                                picking_type_id, create_uid, write_uid, create_date,
                                write_date)
        SELECT move_id, 'Bench delivery', 'WH/OUT/B' || lpad(picking_id::text, 7, '0'),
               picking_id, product_id, %(unit)s, qty, qty, qty, %(stock)s,
               %(customer)s, %(company)s, 'make_to_stock', 'done', date, TRUE,
               partner_id, %(delivery_type)s, 1, 1, date, date
          FROM bench_delivery;

        INSERT INTO stock_move_line (picking_id, move_id, reference, product_id,
                                     product_uom_id, lot_id, location_id,
                                     location_dest_id, company_id, date, state,
                                     quantity, quantity_product_uom, picked,
                                     create_uid, write_uid, create_date, write_date)
        SELECT receipt.picking_id, receipt.move_id,
               'WH/IN/B' || lpad(receipt.picking_id::text, 7, '0'), plan.product_id,
               %(unit)s, plan.lot_id, %(supplier)s, %(stock)s, %(company)s,
               receipt.date, 'done', plan.qty, plan.qty, TRUE, 1, 1, receipt.date,
               receipt.date
          FROM bench_plan plan
          JOIN bench_receipt receipt USING (product_id, receipt)
         ORDER BY plan.g;
        INSERT INTO stock_move_line (picking_id, move_id, reference, product_id,
                                     product_uom_id, lot_id, location_id,
                                     location_dest_id, company_id, date, state,
                                     quantity, quantity_product_uom, picked,
                                     create_uid, write_uid, create_date, write_date)
        SELECT delivery.picking_id, delivery.move_id,
               'WH/OUT/B' || lpad(delivery.picking_id::text, 7, '0'), plan.product_id,
               %(unit)s, plan.lot_id, %(stock)s, %(customer)s, %(company)s,
               delivery.date, 'done', plan.qty, plan.qty, TRUE, 1, 1, delivery.date,
               delivery.date
          FROM bench_plan plan
          JOIN bench_delivery delivery USING (product_id, delivery)
         ORDER BY plan.g;

        INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, quantity,
                                 reserved_quantity, in_date, create_uid, write_uid,
                                 create_date, write_date)
        SELECT product_id,
               CASE WHEN delivered THEN %(customer)s ELSE %(stock)s END,
               lot_id, %(company)s, qty, 0, received, 1, 1, received, received
          FROM bench_plan ORDER BY g;
        """,
        params,
    )
    cr.execute(
        "SELECT (SELECT count(*) FROM bench_receipt),"
        " (SELECT count(*) FROM bench_delivery),"
        " (SELECT count(*) FROM bench_plan WHERE delivered)"
    )
    receipts, deliveries, delivered = cr.fetchone()
    cr.execute("DROP TABLE bench_plan, bench_receipt, bench_delivery, bench_product")
    ids = {
        "serials": serials,
        "big_product": products[0].id,
        "big_serials": big,
        "sn_serials": sum(count for kind, count in products_shape if kind == "sn"),
        # The products of single serials other than the big one, for the churn.
        "serial_products": [
            product.id
            for product, (kind, _count) in zip(
                products[1:], products_shape, strict=True
            )
            if kind != "batch"
        ],
        "customers": customers.ids,
        "stock": stock.id,
        "customer_location": customer.id,
        "supplier_location": supplier.id,
        "receipt_type": warehouse.in_type_id.id,
        "delivery_type": warehouse.out_type_id.id,
    }
    env["ir.config_parameter"].set_param(IDS, json.dumps(ids))
    env["ir.config_parameter"].set_param(MARK, mark(serials))
    log(
        f"{serials:,} serials inserted in {time.monotonic() - started:.0f}s: "
        f"{receipts:,} receipts, {deliveries:,} deliveries ({delivered:,} serials "
        f"delivered to {len(customers):,} customers)"
    )
    return ids


def mark(serials):
    return f"v{VERSION}:{serials}"


def data_ids(env):
    return json.loads(env["ir.config_parameter"].sudo().get_param(IDS))


# ---------------------------------------------------------------------------
# The churn: moves as users make them, through the ORM
# ---------------------------------------------------------------------------

CHURN_PATTERN = ("receipt", "delivery", "delivery", "receipt", "return")
PRODUCTS_PER_PICKING = 10


def churn(env, moves, batch=1000, log=print, commit=True):
    """``moves`` move lines in pickings of ``batch`` lines, validated one by one
    (committed after each when commit). The same calls on two copies of one
    database make the same moves. Returns {kind: [seconds per picking]}."""
    ids = data_ids(env)
    env = env(context=dict(env.context, tracking_disable=True))
    Product = env["product.product"]
    Location = env["stock.location"]
    Type = env["stock.picking.type"]
    stock, customers_location = (
        Location.browse(ids["stock"]),
        Location.browse(ids["customer_location"]),
    )
    supplier = Location.browse(ids["supplier_location"])
    receipt_type, delivery_type = (
        Type.browse(ids["receipt_type"]),
        Type.browse(ids["delivery_type"]),
    )
    big = Product.browse(ids["big_product"])
    products = ids["serial_products"]
    customers = env["res.partner"].browse(ids["customers"])
    counters = {"receipt": 0, "delivery": 0, "return": 0}
    times = {kind: [] for kind in counters}
    next_big, next_sn = ids["big_serials"] + 1, CHURN_SN_START
    sn_products = (
        Product.browse(products)
        .filtered(lambda product: product.default_code.startswith("BENCH-SN-"))
        .ids
    )
    pickings = (moves + batch - 1) // batch
    started = time.monotonic()
    for index in range(pickings):
        kind = CHURN_PATTERN[index % len(CHURN_PATTERN)]
        count = counters[kind]
        counters[kind] += 1
        size = min(batch, moves - index * batch)
        partner = customers[(index * 37) % len(customers)]
        rotating = [
            products[(count * PRODUCTS_PER_PICKING + offset) % len(products)]
            for offset in range(PRODUCTS_PER_PICKING)
        ]
        if kind == "receipt":
            if count % 2 == 0:
                lines = [(big.id, big_name(next_big + rank)) for rank in range(size)]
                next_big += size
            else:
                chosen = [
                    sn_products[
                        (count * PRODUCTS_PER_PICKING + offset) % len(sn_products)
                    ]
                    for offset in range(PRODUCTS_PER_PICKING)
                ]
                lines = [
                    (chosen[rank % len(chosen)], sn_name(next_sn + rank))
                    for rank in range(size)
                ]
                next_sn += size
            source, destination, picking_type, partner = (
                supplier,
                stock,
                receipt_type,
                None,
            )
        elif kind == "delivery":
            lines = _held(
                env,
                [big.id] if count % 2 == 0 else rotating,
                stock.id,
                size,
            )
            source, destination, picking_type = stock, customers_location, delivery_type
        else:
            lines = _held(env, rotating, customers_location.id, size)
            source, destination, picking_type = customers_location, stock, receipt_type
        if not lines:
            continue
        moment = time.monotonic()
        picking = transfer(
            env, picking_type, source, destination, lines, partner=partner
        )
        picking.button_validate()
        if picking.state != "done":
            raise RuntimeError(f"churn picking {picking.name} is {picking.state}")
        env.flush_all()
        if commit:
            env.cr.commit()
        env.invalidate_all()
        times[kind].append(time.monotonic() - moment)
        if (index + 1) % 10 == 0 or index + 1 == pickings:
            log(
                f"churn: {index + 1}/{pickings} pickings "
                f"({(index + 1) * batch:,} lines) in {time.monotonic() - started:.0f}s"
            )
    return times


def _held(env, product_ids, location_id, size):
    """(product id, lot id) of single serials held at the location, about
    size of them spread over the products, lowest ids first."""
    per_product = max(1, size // len(product_ids))
    env.cr.execute(
        """
        SELECT quant.product_id, quant.lot_id
          FROM unnest(%s::int[]) AS product(id)
          CROSS JOIN LATERAL (
                SELECT product_id, lot_id FROM stock_quant
                 WHERE product_id = product.id AND location_id = %s
                   AND quantity = 1 AND reserved_quantity = 0
                   AND lot_id IS NOT NULL
                 ORDER BY lot_id LIMIT %s) quant
        """,
        [product_ids, location_id, per_product],
    )
    return env.cr.fetchall()[:size]


def transfer(env, picking_type, source, destination, lines, partner=None):
    """A draft transfer of (product id, serial name or lot id) lines, one move
    per product and one picked line of one unit per serial, not validated
    (button_validate confirms it; its lines already cover the demand)."""
    from odoo import Command  # noqa: PLC0415  (only where Odoo runs)

    by_product = {}
    for product_id, serial in lines:
        by_product.setdefault(product_id, []).append(serial)
    products = env["product.product"].browse(list(by_product))
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            **({"partner_id": partner.id} if partner else {}),
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": len(by_product[product.id]),
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
                for product in products
            ],
        }
    )
    move_of = {move.product_id.id: move for move in picking.move_ids}
    env["stock.move.line"].create(
        [
            {
                "picking_id": picking.id,
                "move_id": move_of[product_id].id,
                "product_id": product_id,
                **(
                    {"lot_name": serial}
                    if isinstance(serial, str)
                    else {"lot_id": serial}
                ),
                "quantity": 1,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "picked": True,
            }
            for product_id, serials in by_product.items()
            for serial in serials
        ]
    )
    return picking


# ---------------------------------------------------------------------------
# What a user types, taken from the data
# ---------------------------------------------------------------------------


def examples(ids):
    """Values to search: an SN serial in the middle of its sequence, a big
    product's serial, and the parts of them a user types."""
    serial = sn_name(max(1, int(ids["sn_serials"] * 0.654321)))
    big_serial = big_name(max(1, int(ids["big_serials"] * 0.4321)))
    return {
        "exact": serial,
        "prefix": serial[:9],
        "middle": serial[4:11],
        "three": "a3f",
        "big_exact": big_serial,
        "big_prefix": big_serial[:9],
        "big_middle": big_serial[5:12],
        "customer": "Bench Customer 0042",
    }


# ---------------------------------------------------------------------------
# Kept databases (run outside Odoo's registry: odoo, cfg from the bench)
# ---------------------------------------------------------------------------


def database_mark(harness, cfg, database, key=MARK):
    """The mark a kept database holds (empty if none or no database)."""
    if not harness.database_exists(cfg, database):
        return ""
    return harness.psql(
        cfg,
        "SELECT value FROM ir_config_parameter WHERE key = :'a0'",
        key,
        database=database,
        check=False,
    )


def ensure_native(odoo, common, cfg, database, serials, log=print):
    """The kept database of ``serials`` serials without the addon: built
    (from the test template, then fill()) unless it holds this data's mark
    (``BENCH_REBUILD=1`` builds it again). Returns the seconds it took to
    build, or None when reused."""
    import os  # noqa: PLC0415

    harness = common.harness
    if not os.environ.get("BENCH_REBUILD") and database_mark(
        harness, cfg, database
    ) == mark(serials):
        log(f"reusing {database} ({serials:,} serials, {mark(serials)})")
        return None
    started = time.monotonic()
    log(f"building {database}: {serials:,} serials without the addon (bulk SQL)")
    common.new_database(cfg, database, with_addon=False)
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        fill(env, serials, log=log)
        cr.commit()
    release(odoo, database)
    log("VACUUM ANALYZE")
    harness.psql(
        cfg,
        "VACUUM ANALYZE stock_lot; VACUUM ANALYZE stock_move;"
        " VACUUM ANALYZE stock_move_line; VACUUM ANALYZE stock_quant;"
        " VACUUM ANALYZE stock_picking; VACUUM ANALYZE res_partner;"
        " VACUUM ANALYZE product_product; VACUUM ANALYZE product_template;",
        database=database,
    )
    elapsed = time.monotonic() - started
    log(f"{database} built in {elapsed:.0f}s")
    return elapsed


def release(odoo, database):
    """Forget the database's registry and close its connections (createdb -T
    refuses a source in use)."""
    odoo.modules.registry.Registry.delete(database)
    odoo.sql_db.close_db(database)
