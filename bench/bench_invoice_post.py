# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Posting an invoice of N unique serials against Odoo's own delivery of N.

Run by tools/bench.sh under `odoo-bin shell` (which provides `env`), on a
throw-away database with the addon installed; PST_BENCH_DIR names bench/, whose
common.py builds the data. Same product, same stock, same run: every round
delivers N serials through a native delivery and N others through a posted
customer invoice, alternating which goes first. Nothing is committed.

Timed operations (flush included, caches cleared before each):
- native validate: button_validate() of a delivery whose N move lines (one
  serial each) are already set, as a user validates a prepared delivery;
- native create+validate: creating that delivery with its N lines, then
  validating it (what posting the invoice does in one go);
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

shell_env = env  # noqa: F821  (given by odoo-bin shell)
env = shell_env(user=shell_env.ref("base.user_admin"))
company = env.company
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
stock = warehouse.lot_stock_id
customers = env.ref("stock.stock_location_customers")
partner = env["res.partner"].create({"name": "Bench Customer"})
product = env["product.product"].create(
    common.serial_product_vals("Bench Laptop", list_price=100.0, invoice_policy="order")
)

# One receipt of every serial the rounds need (+1 warm-up round): not timed.
names = [f"BENCH-{index:06d}" for index in range(2 * N * (ROUNDS + 1))]
receipt = common.serial_picking(
    env,
    warehouse.in_type_id,
    product,
    env.ref("stock.stock_location_suppliers"),
    stock,
    names,
)
receipt.button_validate()
lots = env["stock.lot"].search([("product_id", "=", product.id)], order="name")
assert len(lots) == len(names), (len(lots), len(names))


def delivery_with_lines(batch):
    """A draft delivery whose move lines already hold the serials."""
    return common.serial_picking(
        env,
        warehouse.out_type_id,
        product,
        stock,
        customers,
        batch,
        partner=partner,
        confirm=False,
    )


def draft_invoice(batch):
    return env["account.move"].create(
        common.invoice_vals(partner.id, product.id, batch.ids, fields.Date.today())
    )


def timed(function):
    env.flush_all()
    env.invalidate_all()
    started = time.perf_counter()
    result = function()
    env.flush_all()
    return (time.perf_counter() - started) * 1000, result


results = {"native validate": [], "native create+validate": [], "invoice post": []}
batches = [lots[index : index + N] for index in range(0, len(lots), N)]
for round_index in range(ROUNDS + 1):
    native_batch, invoice_batch = batches[2 * round_index], batches[2 * round_index + 1]
    prepared = delivery_with_lines(native_batch)
    invoice = draft_invoice(invoice_batch)
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
    assert prepared.state == "done", prepared.state
    assert invoice.state == "posted" and invoice.serial_picking_ids.state == "done"
    assert len(invoice.serial_picking_ids.move_line_ids) == N
    # create+validate, on serials returned by the invoice being reset to draft
    # (same serials, back in stock): not timed are the reset and its return.
    invoice.button_draft()
    elapsed, picking = timed(
        lambda batch=invoice_batch: delivery_with_lines(batch).button_validate()
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

medians = {label: statistics.median(values) for label, values in results.items()}
print(f"serials per document: {N}, rounds: {ROUNDS} (after 1 warm-up)")
print(f"{'operation':<26}{'median ms':>11}{'min ms':>10}{'max ms':>10}")
for label, values in results.items():
    print(f"{label:<26}{medians[label]:>11.0f}{min(values):>10.0f}{max(values):>10.0f}")
ratio = medians["invoice post"] / medians["native validate"]
ratio_created = medians["invoice post"] / medians["native create+validate"]
print(f"ratio invoice post / native validate: {ratio:.2f} (goal <= 1.20)")
print(f"ratio invoice post / native create+validate: {ratio_created:.2f}")
env.cr.rollback()
