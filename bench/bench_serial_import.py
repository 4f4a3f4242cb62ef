# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import Serials of N serials with expiry dates, against Odoo's own.

`python bench/bench_serial_import.py <env file>` (tools/bench.sh): makes a
throw-away database from the test template, installs the addon, runs this same
file under `odoo-bin shell` (which provides `env`), prints the table and writes
it to its section of bench/README.md. Nothing is committed.

Same product (unique serials, expiry dates), same run; each round receives N
serials through the addon's wizard and N others through Odoo's own Import
Serials, alternating which goes first, each side rolled back to the same
data once measured (validating serials costs more as a product's serials
grow); medians over the rounds after a warm-up round of WARM_UP serials each.
Timed (flush included, caches cleared before):

- native import: what the Import Serials dialog of a receipt's move does
  (Odoo 18: stock.move.action_generate_lot_line_vals(..., "import", ...) on the
  pasted lines `serial;1;expiry`, then the move's lines replaced by those
  values, as saving the receipt does);
- addon import: stock.serial.import with the same serials as a CSV file
  (header row Serial,Quantity,Expiration Date), action_import();
- validate: button_validate() of each receipt, the serials created there.

Goals: addon import + validate <= 1.1 x native import + validate; the addon's
import alone <= 10 s.
"""

import base64
import os
import statistics
import sys
import time

N = int(os.environ.get("BENCH_SERIALS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WARM_UP = int(os.environ.get("BENCH_WARM_UP", "500"))
LABELS = (
    "native import",
    "native validate",
    "native total",
    "addon import",
    "addon validate",
    "addon total",
)


def measure_in_odoo(shell_env):
    from odoo import Command  # noqa: PLC0415  (only where Odoo runs)
    from odoo.tools import SQL  # noqa: PLC0415

    env = shell_env(user=shell_env.ref("base.user_admin"))
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    suppliers = env.ref("stock.stock_location_suppliers")
    product = env["product.product"].create(
        common.serial_product_vals(
            "Bench Import Serial", use_expiration_date=True, expiration_time=365
        )
    )

    def timed(function):
        env.flush_all()
        env.invalidate_all()
        started = time.perf_counter()
        result = function()
        env.flush_all()
        return time.perf_counter() - started, result

    def receipt(count):
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": suppliers.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": count,
                            "location_id": suppliers.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def serials(prefix, count):
        return [
            (f"{prefix}-{number:06d}", f"2027-{number % 12 + 1:02d}-28")
            for number in range(count)
        ]

    def native_import(picking, lines):
        move = picking.move_ids
        context = {
            "default_company_id": picking.company_id.id,
            "default_picking_id": picking.id,
            "default_picking_type_id": picking.picking_type_id.id,
            "default_location_id": move.location_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_product_id": product.id,
            "default_tracking": "serial",
            "default_quantity": move.product_uom_qty,
            "default_move_id": move.id,
        }
        text = "\n".join(f"{name};1;{expiry}" for name, expiry in lines)
        vals_list = env["stock.move"].action_generate_lot_line_vals(
            context, "import", None, 0, text
        )
        # The web client turns {id, display_name} back into ids, deletes the
        # move's lines without serial and saves the new ones.
        creates = [
            Command.create(
                {
                    key: value["id"] if isinstance(value, dict) else value
                    for key, value in vals.items()
                }
            )
            for vals in vals_list
        ]
        move.write(
            {
                "move_line_ids": [
                    Command.delete(line.id) for line in move.move_line_ids
                ]
                + creates
            }
        )
        assert len(move.move_line_ids) == len(lines), len(move.move_line_ids)

    def addon_import(picking, lines):
        content = "Serial,Quantity,Expiration Date\n" + "".join(
            f"{name},1,{expiry}\n" for name, expiry in lines
        )
        wizard = env["stock.serial.import"].create(
            {
                "picking_id": picking.id,
                "file": base64.b64encode(content.encode()),
                "file_name": "serials.csv",
            }
        )
        wizard.action_import()
        assert len(picking.move_line_ids) == len(lines), len(picking.move_line_ids)

    def run_round(index, count, results):
        sides = [
            ("native", native_import, serials(f"NAT{index}", count)),
            ("addon", addon_import, serials(f"ADD{index}", count)),
        ]
        if index % 2:
            sides.reverse()
        for side, importer, lines in sides:
            # Each side on the same data: validating serials costs more as the
            # product's serials grow, so each side's serials are rolled back.
            env.flush_all()
            env.cr.execute(SQL("SAVEPOINT bench_side"))
            picking = receipt(count)
            elapsed_import, _r = timed(lambda p=picking, i=importer, s=lines: i(p, s))
            elapsed_validate, _r = timed(picking.button_validate)
            assert picking.state == "done", picking.state
            lots = env["stock.lot"].search(
                [("product_id", "=", product.id), ("name", "in", [lines[0][0]])]
            )
            assert lots.expiration_date and lots.expiration_date.month == 1, (
                side,
                lots.expiration_date,
            )
            env.flush_all()
            env.cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_side"))
            env.invalidate_all()
            if results is not None:
                results[f"{side} import"].append(elapsed_import)
                results[f"{side} validate"].append(elapsed_validate)
                results[f"{side} total"].append(elapsed_import + elapsed_validate)

    print(f"serials per receipt: {N}, rounds: {ROUNDS} (after a warm-up of {WARM_UP})")
    run_round(0, WARM_UP, None)
    results = {label: [] for label in LABELS}
    for index in range(1, ROUNDS + 1):
        run_round(index, N, results)
    medians = {label: statistics.median(values) for label, values in results.items()}
    print(f"{'operation':<18}{'median s':>10}{'min s':>9}{'max s':>9}")
    for label, values in results.items():
        print(
            f"{label:<18}{medians[label]:>10.2f}{min(values):>9.2f}{max(values):>9.2f}"
        )
    ratio = medians["addon total"] / medians["native total"]
    print(f"ratio addon / native (import + validate): {ratio:.2f} (goal <= 1.10)")
    print(f"addon import alone: {medians['addon import']:.2f} s (goal <= 10 s)")
    env.cr.rollback()


def main(cfg_path):
    import subprocess  # noqa: PLC0415

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import common  # noqa: PLC0415  (bench/common.py)
    from common import harness  # noqa: PLC0415

    cfg = harness.read_env(cfg_path)
    database = f"pst_bench_import_{os.getpid()}"
    common.new_database(cfg, database, with_addon=False)
    try:
        common.log("bench", f"installing {cfg['MODULE']} on {database}")
        common.run_odoo(cfg, database, "-i", cfg["MODULE"])
        common.log("bench", "running bench/bench_serial_import.py (a few minutes)")
        run = subprocess.run(
            harness.odoo_shell_cmd(cfg, database),
            capture_output=True,
            text=True,
            check=False,
            **common.shell_script("bench_serial_import.py"),
        )
        output = run.stdout.strip()
        print(output)
        if run.returncode or "ratio" not in output:
            sys.exit(run.stderr[-5000:])
    finally:
        harness.drop_database(cfg, database)
    readme = common.write_section(
        "bench_serial_import",
        "# Benchmark: Import Serials of 10,000 serials vs Odoo's own\n\n"
        "`bash tools/bench.sh serial_import` (part of `make bench`) runs\n"
        "`bench/bench_serial_import.py` under `odoo-bin shell` on a throw-away "
        "database made\nfrom the test template, with the addon installed, as the "
        "admin user. Same product\n(unique serials with expiry dates), same run; "
        "each round receives 10,000 serials\nthrough the addon's Import Serials (a "
        "CSV file: Serial,Quantity,Expiration Date)\nand 10,000 others through "
        "Odoo's own Import Serials (the same lines pasted as\n`serial;1;expiry`: "
        '`stock.move.action_generate_lot_line_vals(..., "import", ...)`,\n'
        "then the move's lines replaced, as saving the receipt does), alternating "
        "which\ngoes first, then validates each receipt, each side rolled back to "
        "the same data once\nmeasured (validating serials costs more as a "
        "product's serials grow); medians over\nthe rounds after a warm-up.\n\n"
        "Goals: addon import + validate <= 1.1 x native import + validate; the "
        "addon's\nimport alone <= 10 s.\n\n"
        + common.machine_line(f"; PostgreSQL on {cfg['PGHOST']}:{cfg['PGPORT']}")
        + "```\n"
        + output
        + "\n```\n",
    )
    common.log("bench", f"results written to {readme}")


if "env" in globals():  # under odoo-bin shell
    sys.path.insert(0, os.environ["PST_BENCH_DIR"])
    import common  # noqa: E402

    measure_in_odoo(env)  # noqa: F821  (given by odoo-bin shell)
elif __name__ == "__main__":
    main(sys.argv[1])
