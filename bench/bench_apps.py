# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Beside the apps the addon does not depend on: a Point of Sale order of
serials, paid and invoiced, and a dropship of 500 serials, with the addon
against without it.

`python bench/bench_apps.py <env file> [--keep-db]` (tools/bench.sh, `bash
tools/bench.sh apps`): two throw-away databases made from the apps template
(tools/harness.py ``ensure_template(cfg, harness.APPS)``: the addon's
dependencies with Point of Sale, Dropshipping, Manufacturing and Repairs),
"native" as it is and "addon" with the addon installed, then both vacuumed and
analysed (autovacuum catching up on the installation while measuring slowed
the addon's side alone). This same file runs under `odoo-bin shell` (which
provides `env`) on each, both at once, and builds there the same data the same
way; then, round by round, the driver asks each database in turn to measure
one operation (alternating which goes first per round), each operation rolled
back once measured so that every round does the same work; medians over the
BENCH_APPS_ROUNDS rounds (15) after one warm-up round. Prints the table and
writes it to its section of bench/README.md. Nothing is committed; the
databases are dropped at the end unless --keep-db (or BENCH_KEEP_DB=1).
Sizes: BENCH_APPS_POS_SERIALS (50), BENCH_APPS_DROPSHIP_SERIALS (500).

Timed (flush included, caches cleared before):

- POS invoiced order: `pos.order.sync_from_ui([order])`, the call the till
  makes in Odoo 18 when an order is paid: an open session, one order line of
  POS_SERIALS units of a serial-tracked storable product whose pack lots name
  serials in stock, a customer, paid by the till's payment method, to_invoice
  True. It creates and validates the order's delivery and creates, posts and
  reconciles the invoice; the invoice's PDF (generate_pdf=False, the context
  key of Point of Sale for that) is not made: wkhtmltopdf would time itself;
- dropship validate: `button_validate()` of the dropship transfer of a sale
  order of DROPSHIP_SERIALS units (Dropship route, one vendor), confirmed, its
  purchase order confirmed, the transfer's move lines already set with new
  serial names (`lot_name`), as a user validates the vendor's delivery.

Goal: addon / native <= GOAL for each. When a goal is missed (or with
BENCH_APPS_PROFILE=1), one more round of that operation runs under cProfile on
the addon's database and the addon's functions are printed by cumulative time.
"""

import argparse
import cProfile
import json
import os
import pstats
import signal
import statistics
import subprocess
import sys
import time
import traceback
import uuid

POS_SERIALS = int(os.environ.get("BENCH_APPS_POS_SERIALS", "50"))
DROPSHIP_SERIALS = int(os.environ.get("BENCH_APPS_DROPSHIP_SERIALS", "500"))
ROUNDS = int(os.environ.get("BENCH_APPS_ROUNDS", "15"))
GOAL = 1.10
SIDES = ("native", "addon")
MEASURES = {
    "pos": f"POS order of {POS_SERIALS} serials, invoiced (sync_from_ui)",
    "dropship": f"dropship of {DROPSHIP_SERIALS} serials (button_validate)",
}
# The till's serials in stock: the order sells the first POS_SERIALS of them.
POS_STOCK = 10 * POS_SERIALS
# Serial names as bench/serial_data.py makes them: the manufacturer prefix SN
# and a running number for the till's phones, 15-digit IMEI-like numbers
# sharing their TAC (product index DROPSHIP_PIDX) for the dropshipped tablets.
POS_SN_START = 800_000_001
DROPSHIP_PIDX = 4242
REPLY = "PST_APPS "
README_TEXT = """\
# Benchmark: Point of Sale and dropshipping, with the addon vs without

`bash tools/bench.sh apps` (part of `make bench`) runs `bench/bench_apps.py`: two
throw-away databases made from the apps template (tools/harness.py: the addon's
dependencies with Point of Sale, Dropshipping, Manufacturing and Repairs), one
native, one with the addon installed, both then vacuumed and analysed (left to
autovacuum right after the installation, the addon's side measured up to 1.19x
on the same commit); the same data built the same way on both under `odoo-bin
shell`, as the admin user; each operation rolled back once measured,
alternating which database goes first per round; medians over the rounds after
one warm-up round.

- POS order: `pos.order.sync_from_ui([order])` as the till sends a paid order to
  invoice: one line of {pos} serials in stock (`SN{start:09d}-...`) in its pack
  lots, a customer, a session updating stock in real time: the order's delivery
  and its invoice, posted and reconciled (the invoice PDF not made:
  `generate_pdf=False`);
- dropship: `button_validate()` of the vendor-to-customer transfer of a sale
  order of {dropship} units (Dropship route), its purchase order confirmed, its
  move lines already set with new 15-digit IMEI-like serials (`lot_name`).

Goal: addon / native <= {goal:.2f} (wall-clock medians) for each. cpu ratio: the
same ratio of the Odoo process's CPU time (PostgreSQL's not counted: what a busy
machine disturbs least); q: SQL queries.

"""


# ---------------------------------------------------------------------------
# Inside Odoo (`odoo-bin shell`): the data, then the operations asked for
# ---------------------------------------------------------------------------


def serve(shell_env):
    """Build the data, then measure what the driver asks, one command a line
    on the file descriptor PST_APPS_FD, one JSON reply a line on stdout."""
    import common  # noqa: PLC0415  (bench/common.py)
    import serial_data  # noqa: PLC0415

    from odoo import Command, fields  # noqa: PLC0415  (only where Odoo runs)
    from odoo.modules.module import get_module_path  # noqa: PLC0415
    from odoo.tools import SQL  # noqa: PLC0415

    env = shell_env(user=shell_env.ref("base.user_admin"))
    company = env.company
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    suppliers = env.ref("stock.stock_location_suppliers")

    def reply(**values):
        print(REPLY + json.dumps(values), flush=True)

    def timed(function, profiler=None):
        """({ms, cpu_ms, queries}, result) of function(), flush included:
        wall-clock time, the CPU time of this Odoo process (PostgreSQL's not
        counted: the figure a busy machine disturbs least), SQL queries."""
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = function()
        env.flush_all()
        if profiler:
            profiler.disable()
        figures = {
            "ms": (time.perf_counter() - started) * 1000,
            "cpu_ms": (time.process_time() - cpu_started) * 1000,
            "queries": env.cr.sql_log_count - queries,
        }
        return figures, result

    # ---- The till: a session, a customer, serials in stock ----
    company.point_of_sale_update_stock_quantities = "real"
    till_customer = env["res.partner"].create({"name": "Bench Till Customer"})
    phone = env["product.product"].create(
        common.serial_product_vals(
            "Bench Phone",
            list_price=100.0,
            available_in_pos=True,
            taxes_id=[Command.clear()],
        )
    )
    phone_names = [serial_data.sn_name(POS_SN_START + n) for n in range(POS_STOCK)]
    receipt = common.serial_picking(
        env,
        warehouse.in_type_id,
        phone,
        suppliers,
        warehouse.lot_stock_id,
        phone_names,
    )
    receipt.button_validate()
    assert receipt.state == "done", receipt.state
    config = env["pos.config"].create(
        {"name": "Bench Till", "picking_type_id": warehouse.pos_type_id.id}
    )
    config.open_ui()
    session = config.current_session_id
    session.set_opening_control(0, "")
    payment_method = config.payment_method_ids.filtered(
        lambda method: not method.split_transactions
    )[:1]
    assert session.state == "opened" and payment_method, (session.state, config)
    sold = phone_names[:POS_SERIALS]

    def till_order():
        """The order as the till sends it once paid (Point of Sale's
        tests/common.py create_ui_order_data), one line of the sold serials."""
        total = phone.lst_price * len(sold)
        order_uuid = str(uuid.uuid4())
        return {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": config.pricelist_id.id,
            "name": f"Order {order_uuid}",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": phone.id,
                        "full_product_name": phone.display_name,
                        "qty": len(sold),
                        "price_unit": phone.lst_price,
                        "price_subtotal": total,
                        "price_subtotal_incl": total,
                        "discount": 0.0,
                        "tax_ids": [Command.set([])],
                        "pack_lot_ids": [
                            Command.create({"lot_name": name}) for name in sold
                        ],
                    }
                )
            ],
            "partner_id": till_customer.id,
            "session_id": session.id,
            "sequence_number": 1,
            "payment_ids": [
                Command.create(
                    {
                        "amount": total,
                        "name": fields.Datetime.now(),
                        "payment_method_id": payment_method.id,
                    }
                )
            ],
            "uuid": order_uuid,
            "user_id": env.uid,
            "to_invoice": True,
        }

    def measure_pos(profiler=None):
        order = till_order()
        figures, result = timed(
            lambda: env["pos.order"]
            .with_context(generate_pdf=False)
            .sync_from_ui([order]),
            profiler,
        )
        pos_order = env["pos.order"].browse(result["pos.order"][0]["id"])
        invoice = pos_order.account_move
        assert pos_order.state == "invoiced", pos_order.state
        assert invoice.state == "posted", invoice.state
        delivery = pos_order.picking_ids
        assert delivery.state == "done", delivery.mapped("state")
        assert sorted(delivery.move_line_ids.lot_id.mapped("name")) == sold
        assert delivery.location_dest_id.usage == "customer"
        line = invoice.invoice_line_ids.filtered(lambda ln: ln.product_id == phone)
        if "serial_picking_ids" in invoice._fields:  # the addon
            assert not invoice.serial_picking_ids, "the POS invoice moved stock"
            assert sorted(line.lot_ids.mapped("name")) == sold, line.lot_ids
        return figures

    # ---- The dropship: a sale, its purchase, the vendor's transfer ----
    vendor = env["res.partner"].create({"name": "Bench Vendor"})
    dropship_customer = env["res.partner"].create({"name": "Bench Dropship Customer"})
    tablet = env["product.product"].create(
        common.serial_product_vals(
            "Bench Tablet",
            list_price=300.0,
            route_ids=[
                Command.link(env.ref("stock_dropshipping.route_drop_shipping").id)
            ],
            seller_ids=[Command.create({"partner_id": vendor.id, "price": 200.0})],
        )
    )
    sale = env["sale.order"].create(
        {
            "partner_id": dropship_customer.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": tablet.id,
                        "product_uom_qty": DROPSHIP_SERIALS,
                        "price_unit": 300.0,
                    }
                )
            ],
        }
    )
    sale.action_confirm()
    purchase = env["purchase.order"].search(
        [("group_id", "=", sale.procurement_group_id.id)]
    )
    assert len(purchase) == 1 and purchase.partner_id == vendor, purchase
    purchase.button_confirm()
    # Browsed by id, as the web client's call reaches it: a record read from
    # the purchase's computed picking_ids prefetches nothing once the caches
    # are cleared (each line of it then read in a query of its own).
    dropship = env["stock.picking"].browse(purchase.picking_ids.ids)
    assert (
        len(dropship) == 1 and dropship.picking_type_id.code == "dropship"
    ), dropship.picking_type_id.mapped("code")
    move = dropship.move_ids
    assert len(move) == 1 and move.sale_line_id == sale.order_line, move
    move.move_line_ids.unlink()
    tablet_names = [
        serial_data.imei_name(DROPSHIP_PIDX, rank)
        for rank in range(1, DROPSHIP_SERIALS + 1)
    ]
    env["stock.move.line"].create(
        [
            {
                "picking_id": dropship.id,
                "move_id": move.id,
                "product_id": tablet.id,
                "lot_name": name,
                "quantity": 1,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "picked": True,
            }
            for name in tablet_names
        ]
    )

    def measure_dropship(profiler=None):
        figures, _result = timed(dropship.button_validate, profiler)
        assert dropship.state == "done", dropship.state
        lots = dropship.move_line_ids.lot_id
        assert sorted(lots.mapped("name")) == sorted(tablet_names), len(lots)
        assert sale.order_line.qty_delivered == DROPSHIP_SERIALS
        return figures

    measures = {"pos": measure_pos, "dropship": measure_dropship}

    def run(measure, profiler=None):
        """One operation, rolled back once measured."""
        env.flush_all()
        env.cr.execute(SQL("SAVEPOINT bench_apps"))
        try:
            return measures[measure](profiler)
        finally:
            env.cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_apps"))
            env.cr.execute(SQL("RELEASE SAVEPOINT bench_apps"))
            env.invalidate_all()

    def addon_profile(profiler, total_ms, limit=25):
        """The addon's functions of the profile, by cumulative time."""
        stats = pstats.Stats(profiler).stats
        addon = get_module_path(os.environ["PST_APPS_MODULE"]) + os.sep
        rows = [
            (cumulative, own, calls, f"{path[len(addon) :]}:{line}({name})")
            for (path, line, name), (_cc, calls, own, cumulative, _callers) in (
                stats.items()
            )
            if path.startswith(addon)
        ]
        rows.sort(reverse=True)
        own_total = sum(row[1] for row in rows)
        lines = [
            f"{total_ms:.0f} ms under cProfile; {own_total * 1000:.0f} ms spent in "
            "the addon's own code (tottime of its functions)",
            f"{'cumulative ms':>14}{'own ms':>9}{'calls':>8}  addon function",
        ]
        lines += [
            f"{cumulative * 1000:>14.0f}{own * 1000:>9.0f}{calls:>8}  {where}"
            for cumulative, own, calls, where in rows[:limit]
        ]
        return "\n".join(lines)

    reply(ready=True)
    with os.fdopen(int(os.environ["PST_APPS_FD"]), "r", encoding="utf-8") as commands:
        for command in commands:
            action, _sep, measure = command.strip().partition(" ")
            if action == "quit":
                break
            try:
                if action == "measure":
                    reply(**run(measure))
                elif action == "profile":
                    profiler = cProfile.Profile()
                    figures = run(measure, profiler)
                    reply(profile=addon_profile(profiler, figures["ms"]))
                else:
                    reply(error=f"unknown command {command!r}")
            except Exception:  # noqa: BLE001  (the driver reports it)
                reply(error=traceback.format_exc())
    env.cr.rollback()


# ---------------------------------------------------------------------------
# The driver: databases, the two Odoo processes, the rounds, the table
# ---------------------------------------------------------------------------


class Side:
    """`odoo-bin shell` on one database running serve(), its commands sent on
    a pipe, its replies read from its stdout, its log in a file."""

    def __init__(self, cfg, name, database):
        self.name, self.database = name, database
        self.log_path = os.path.join(cfg["STATE"], f"bench-apps-{name}.log")
        read_end, write_end = os.pipe()
        run = common.shell_script(
            "bench_apps.py", PST_APPS_FD=str(read_end), PST_APPS_MODULE=cfg["MODULE"]
        )
        with open(self.log_path, "w", encoding="utf-8") as log_file:
            self.process = subprocess.Popen(
                harness.odoo_shell_cmd(cfg, database),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
                env=run["env"],
                pass_fds=(read_end,),
                start_new_session=True,
            )
        os.close(read_end)
        self.commands = os.fdopen(write_end, "w", encoding="utf-8", buffering=1)
        self.process.stdin.write(run["input"])
        self.process.stdin.close()

    def read_reply(self):
        for line in self.process.stdout:
            if line.startswith(REPLY):
                return json.loads(line[len(REPLY) :])
            print(f"[apps {self.name}] {line.rstrip()}", flush=True)
        self.process.wait()
        with open(self.log_path, encoding="utf-8", errors="replace") as log_file:
            tail = log_file.read()[-5000:]
        sys.exit(
            f"[bench apps] odoo on {self.database} stopped "
            f"(exit {self.process.returncode}):\n{tail}"
        )

    def ask(self, command):
        self.commands.write(command + "\n")
        return self.read_reply()

    def stop(self):
        if self.process.poll() is None:
            try:
                self.commands.write("quit\n")
                self.commands.close()
                self.process.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait()


def report(results, errors):
    """The table: medians of each side (wall-clock ms, the Odoo process's CPU
    ms, SQL queries), the ratio and its verdict; then each side's spread."""
    lines = [
        f"POS order: {POS_SERIALS} serials; dropship: {DROPSHIP_SERIALS} serials; "
        f"{ROUNDS} rounds after 1 warm-up, alternating which database goes first",
        "",
        f"{'operation':<50}{'native ms':>10}{'addon ms':>9}{'ratio':>6}"
        f"{'goal':>8}{'met':>4}{'cpu ratio':>10}{'native q':>9}{'addon q':>8}",
    ]
    ratios = {}

    def median(measure, side, key):
        return statistics.median(round_[key] for round_ in results[measure][side])

    for measure, label in MEASURES.items():
        if measure in errors:
            lines.append(f"{label:<50}  error: see below")
            continue
        ms = {side: median(measure, side, "ms") for side in SIDES}
        cpu = {side: median(measure, side, "cpu_ms") for side in SIDES}
        ratio = ratios[measure] = ms["addon"] / ms["native"]
        lines.append(
            f"{label:<50}{ms['native']:>10.0f}{ms['addon']:>9.0f}{ratio:>6.2f}"
            f"{'<= ' + format(GOAL, '.2f'):>8}{'yes' if ratio <= GOAL else 'NO':>4}"
            f"{cpu['addon'] / cpu['native']:>10.2f}"
            f"{median(measure, 'native', 'queries'):>9.0f}"
            f"{median(measure, 'addon', 'queries'):>8.0f}"
        )
    lines += ["", "per round, min-max: wall-clock ms (Odoo process CPU ms)"]
    for measure, label in MEASURES.items():
        if measure in errors:
            continue
        spans = []
        for side in SIDES:
            rounds = results[measure][side]
            spans.append(
                f"{side} {min(r['ms'] for r in rounds):.0f}-"
                f"{max(r['ms'] for r in rounds):.0f} "
                f"({min(r['cpu_ms'] for r in rounds):.0f}-"
                f"{max(r['cpu_ms'] for r in rounds):.0f})"
            )
        lines.append(f"  {label}: {', '.join(spans)}")
    return "\n".join(lines), ratios


def run_rounds(sides, results, errors, log):
    """The warm-up round, then ROUNDS rounds: each operation on one database,
    then on the other, the first one alternating per round. An operation that
    raised is reported (errors) and left out of the next rounds."""
    for round_index in range(ROUNDS + 1):
        order = SIDES if round_index % 2 == 0 else SIDES[::-1]
        for measure in MEASURES:
            if measure in errors:
                continue
            for side in order:
                answer = sides[side].ask(f"measure {measure}")
                if "error" in answer:
                    errors[measure] = f"{side}: {answer['error']}"
                    break
                if round_index:  # round 0 warms the caches up
                    results[measure][side].append(answer)
        log(f"round {round_index}/{ROUNDS}{'' if round_index else ' (warm-up)'} done")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("env_file")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        default=os.environ.get("BENCH_KEEP_DB") == "1",
        help="keep the two databases (also BENCH_KEEP_DB=1)",
    )
    args = parser.parse_args()
    cfg = common.pinned_cfg(harness.read_env(args.env_file))
    log = common.logger("bench apps")
    started = time.monotonic()
    revision = common.addon_revision(cfg)
    log(f"addon {revision}")
    template = harness.ensure_template(cfg, harness.APPS)
    databases = {side: f"pst_bench_apps_{side}_{os.getpid()}" for side in SIDES}
    for database in databases.values():
        harness.drop_database(cfg, database)
        harness.create_database(cfg, database, template)
    sides = {}
    results = {measure: {side: [] for side in SIDES} for measure in MEASURES}
    errors, profiles = {}, {}
    try:
        log(f"installing {cfg['MODULE']} on {databases['addon']}")
        common.run_odoo(cfg, databases["addon"], "-i", cfg["MODULE"])
        # Both settled alike: the installation's writes vacuumed and every
        # table analysed, not left to autovacuum to do while measuring.
        for database in databases.values():
            harness.psql(cfg, "VACUUM ANALYZE", database=database)
        log("building the same data on both databases")
        for side in SIDES:
            sides[side] = Side(cfg, side, databases[side])
        for side in SIDES:
            sides[side].read_reply()
        run_rounds(sides, results, errors, log)
        table, ratios = report(results, errors)
        for measure, ratio in ratios.items():
            if ratio > GOAL or os.environ.get("BENCH_APPS_PROFILE") == "1":
                answer = sides["addon"].ask(f"profile {measure}")
                profiles[measure] = answer.get("profile") or answer.get("error")
    finally:
        for side in sides.values():
            side.stop()
        if args.keep_db:
            log(f"kept {', '.join(databases.values())}")
        else:
            for database in databases.values():
                harness.drop_database(cfg, database)
    elapsed = time.monotonic() - started
    output = table + f"\n\nbenchmark run time: {elapsed / 60:.1f} min"
    for measure, error in errors.items():
        output += f"\n\n{MEASURES[measure]} failed on {error}"
    for measure, profile in profiles.items():
        output += (
            f"\n\nprofile of one more round on the addon's database: "
            f"{MEASURES[measure]}\n{profile}"
        )
    print(output, flush=True)
    readme = common.write_section(
        "bench_apps",
        README_TEXT.format(
            pos=POS_SERIALS, dropship=DROPSHIP_SERIALS, goal=GOAL, start=POS_SN_START
        )
        + common.machine_line(
            f"; PostgreSQL on {cfg['PGHOST']}:{cfg['PGPORT']}; addon {revision}"
        )
        + f"```\n{output}\n```\n",
    )
    log(f"results written to {readme}")
    return 1 if errors else 0


if "env" in globals():  # under odoo-bin shell
    sys.path.insert(0, os.environ["PST_BENCH_DIR"])
    serve(env)  # noqa: F821  (given by odoo-bin shell)
elif __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import common  # noqa: E402  (bench/common.py)
    from common import harness  # noqa: E402

    sys.exit(main())
