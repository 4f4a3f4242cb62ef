# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Posting an invoice of N unique serials against Odoo's own delivery of N.

Run by tools/bench.sh under `odoo-bin shell` (which provides `env`), on a
throw-away database with the addon installed; PST_BENCH_DIR names bench/, whose
common.py builds the data. Nothing is committed.

Two measures, same run, one code path (measure()):
- one warehouse: the company has one warehouse, which holds every serial;
- two warehouses: a second warehouse is added to the company, and each
  document's N serials sit half in each (N/2 per warehouse). The native side
  is then the same two deliveries, one per warehouse, validated together; the
  invoice makes and validates those two itself.

Each measure: same product, same stock; every round delivers N serials through
native delivery (one per warehouse) and N others through a posted customer
invoice, alternating which goes first; round 0 warms the caches up.

Timed operations (flush included, caches cleared before each):
- native validate: button_validate() of the deliveries whose move lines (one
  serial each) are already set, as a user validates prepared deliveries;
- native create+validate: creating those deliveries with their lines, then
  validating them (what posting the invoice does in one go);
- invoice post: action_post() of a draft invoice whose line holds N serials.
"""

import os
import statistics
import sys
import time

from odoo import fields

sys.path.insert(0, os.environ["PST_BENCH_DIR"])
import common  # noqa: E402

N = int(os.environ.get("BENCH_SERIALS", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
LABELS = ("native validate", "native create+validate", "invoice post")

shell_env = env  # noqa: F821  (given by odoo-bin shell)
env = shell_env(user=shell_env.ref("base.user_admin"))
company = env.company
suppliers = env.ref("stock.stock_location_suppliers")
customers = env.ref("stock.stock_location_customers")
partner = env["res.partner"].create({"name": "Bench Customer"})


def timed(function):
    env.flush_all()
    env.invalidate_all()
    started = time.perf_counter()
    result = function()
    env.flush_all()
    return (time.perf_counter() - started) * 1000, result


def receive(product, warehouses, prefix):
    """{warehouse: its serials, by name}: one receipt per warehouse of every
    serial the rounds need (+1 warm-up round); not timed."""
    share = N // len(warehouses)
    lots = {}
    for index, warehouse in enumerate(warehouses):
        names = [
            f"{prefix}{index}-{number:06d}"
            for number in range(2 * share * (ROUNDS + 1))
        ]
        common.serial_picking(
            env,
            warehouse.in_type_id,
            product,
            suppliers,
            warehouse.lot_stock_id,
            names,
        ).button_validate()
        lots[warehouse] = env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "in", names)], order="name"
        )
        assert len(lots[warehouse]) == len(names), (len(lots[warehouse]), len(names))
    return lots


def deliveries_with_lines(product, batch):
    """Draft deliveries, one per warehouse of the batch ({warehouse: lots}),
    whose move lines already hold the serials."""
    pickings = env["stock.picking"]
    for warehouse, lots in batch.items():
        pickings |= common.serial_picking(
            env,
            warehouse.out_type_id,
            product,
            warehouse.lot_stock_id,
            customers,
            lots,
            partner=partner,
            confirm=False,
        )
    return pickings


def draft_invoice(product, batch):
    lot_ids = [lot_id for lots in batch.values() for lot_id in lots.ids]
    return env["account.move"].create(
        common.invoice_vals(partner.id, product.id, lot_ids, fields.Date.today())
    )


def measure(product, warehouses, prefix):
    """{label: [ms per round]} of the N serials of a document spread evenly
    over the warehouses."""
    assert N % len(warehouses) == 0, (N, len(warehouses))
    share = N // len(warehouses)
    lots = receive(product, warehouses, prefix)
    batches = [
        {warehouse: lots[warehouse][index : index + share] for warehouse in warehouses}
        for index in range(0, 2 * share * (ROUNDS + 1), share)
    ]
    results = {label: [] for label in LABELS}
    for round_index in range(ROUNDS + 1):
        native_batch = batches[2 * round_index]
        invoice_batch = batches[2 * round_index + 1]
        prepared = deliveries_with_lines(product, native_batch)
        invoice = draft_invoice(product, invoice_batch)
        steps = [
            ("native validate", prepared.button_validate),
            ("invoice post", invoice.action_post),
        ]
        if round_index % 2:
            steps.reverse()
        for label, function in steps:
            elapsed, _result = timed(function)
            if round_index:  # round 0 warms the caches up
                results[label].append(elapsed)
        assert set(prepared.mapped("state")) == {"done"}, prepared.mapped("state")
        delivered = invoice.serial_picking_ids
        assert invoice.state == "posted" and set(delivered.mapped("state")) == {"done"}
        assert delivered.picking_type_id == prepared.picking_type_id, "per warehouse"
        assert len(delivered) == len(warehouses)
        assert len(delivered.move_line_ids) == N
        # create+validate, on serials returned by the invoice being reset to
        # draft (same serials, back in stock in their warehouses): not timed
        # are the reset and its returns.
        invoice.button_draft()
        elapsed, _pickings = timed(
            lambda batch=invoice_batch: deliveries_with_lines(
                product, batch
            ).button_validate()
        )
        if round_index:
            results["native create+validate"].append(elapsed)
    negative = env["stock.quant"].search_count(
        [
            ("product_id", "=", product.id),
            ("location_id.usage", "=", "internal"),
            ("quantity", "<", 0),
        ]
    )
    assert not negative, f"{negative} negative quants"
    return results


def report(title, results):
    medians = {label: statistics.median(values) for label, values in results.items()}
    print(title)
    print(f"{'operation':<26}{'median ms':>11}{'min ms':>10}{'max ms':>10}")
    for label, values in results.items():
        print(
            f"{label:<26}{medians[label]:>11.0f}{min(values):>10.0f}{max(values):>10.0f}"
        )
    ratio = medians["invoice post"] / medians["native validate"]
    ratio_created = medians["invoice post"] / medians["native create+validate"]
    print(f"ratio invoice post / native validate: {ratio:.2f} (goal <= 1.20)")
    print(f"ratio invoice post / native create+validate: {ratio_created:.2f}")


first = env["stock.warehouse"].search([("company_id", "=", company.id)])
assert len(first) == 1, f"the company has {len(first)} warehouses, not one"
print(f"serials per document: {N}, rounds: {ROUNDS} (after 1 warm-up)")
one = measure(
    env["product.product"].create(
        common.serial_product_vals(
            "Bench Laptop", list_price=100.0, invoice_policy="order"
        )
    ),
    first,
    "BENCH-",
)
# The second measure, in the same company once it has a second warehouse.
second = env["stock.warehouse"].create(
    {"name": "Bench Second Warehouse", "code": "BWH2", "company_id": company.id}
)
two = measure(
    env["product.product"].create(
        common.serial_product_vals(
            "Bench Laptop Two Warehouses", list_price=100.0, invoice_policy="order"
        )
    ),
    first | second,
    "BENCH2W-",
)
report(f"\none warehouse ({first.name}), {N} serials there:", one)
report(
    f"\ntwo warehouses ({first.name}, {second.name}), {N // 2} serials in each:", two
)
env.cr.rollback()
