#!/usr/bin/env bash
# `make bench`: posting a customer invoice of 500 unique serials against
# validating Odoo's own delivery of 500 serials (the serials in one warehouse,
# then 250 in each of two), on a throw-away database made from the test
# template (see tools/harness.py), with the addon installed.
# Prints the tables and writes them, with the date and machine, to bench/README.md.
# Not part of `make test`. BENCH_SERIALS and BENCH_ROUNDS change the size.
# `bash tools/bench.sh invoice_post` runs only this first benchmark;
# `bash tools/bench.sh enquiry` only the serial search (bench/bench_enquiry.py,
# with the installation it measures), `install_live` only the installation,
# `load` only the load run, `serial_import` only Import Serials, `apps` only
# Point of Sale and dropshipping with the addon against without it
# (bench/bench_apps.py). SCALE (env; `make bench SCALE=10000000`) is the
# number of serials of the enquiry's data (1,000,000 by default).
set -euo pipefail
only="${1:-}"
export SCALE="${SCALE:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
export PGHOST PGPORT PGUSER PGPASSWORD
if [ -z "$only" ] || [ "$only" = invoice_post ]; then
"$VENV/bin/python" - "$env_file" "$here" <<'PY'
import os
import subprocess
import sys
from pathlib import Path

cfg_path, tools = sys.argv[1:3]
sys.path.insert(0, str(Path(tools).parent / "bench"))
import common  # noqa: E402  (bench/common.py: databases, odoo-bin, README sections)
from common import harness  # noqa: E402  (tools/harness.py: template, databases)

cfg = harness.read_env(cfg_path)
database = f"pst_bench_{os.getpid()}"
common.new_database(cfg, database, with_addon=False)
try:
    print(f"[bench] installing {cfg['MODULE']} on {database}", flush=True)
    common.run_odoo(cfg, database, "-i", cfg["MODULE"])
    print("[bench] running bench/bench_invoice_post.py (a few minutes)", flush=True)
    run = subprocess.run(
        harness.odoo_shell_cmd(cfg, database),
        capture_output=True, text=True, check=False,
        **common.shell_script("bench_invoice_post.py"),
    )
    output = run.stdout.strip()
    print(output)
    if run.returncode or "ratio" not in output:
        sys.exit(run.stderr[-5000:])
finally:
    harness.drop_database(cfg, database)

readme = common.write_section(
    "bench_invoice_post",
    "# Benchmark: posting an invoice of serials vs a native delivery\n\n"
    "`make bench` (tools/bench.sh) runs `bench/bench_invoice_post.py` under `odoo-bin shell`\n"
    "on a throw-away database made from the test template, with the addon installed, as\n"
    "the admin user. Same product, same stock, same run; each round delivers 500 serials\n"
    "through a native delivery and 500 others through a posted customer invoice\n"
    "(alternating which goes first); medians over the rounds after one warm-up round.\n"
    "Two measures, one code path: the company's one warehouse holding every serial;\n"
    "then, a second warehouse added, each document's 500 serials 250 in each warehouse,\n"
    "the native side being the same two deliveries (one per warehouse) validated\n"
    "together, and the invoice making and validating those two itself.\n\n"
    "- native validate: `button_validate()` of the deliveries whose 500 lines are already\n"
    "  set;\n"
    "- native create+validate: creating those deliveries with their lines, then\n"
    "  validating them;\n"
    "- invoice post: `action_post()` of a draft invoice whose line holds the 500 serials\n"
    "  (checks, the serial lock, accounting, and the deliveries it creates and validates).\n\n"
    "Goal: invoice post <= 1.2 x native validate, in both measures.\n\n"
    + common.machine_line(f"; PostgreSQL on {cfg['PGHOST']}:{cfg['PGPORT']}")
    + "```\n" + output + "\n```\n",
)
print(f"[bench] results written to {readme}")
PY
fi

# Serial search on data like real data (bench/serial_data.py: SCALE serials,
# built once without the addon and kept), the addon installed on a copy as a
# user would (its section of bench/README.md too), the same churn of moves on
# both, then addon against native, and a receipt of 1,000 serials.
if [ -z "$only" ] || [ "$only" = enquiry ]; then
  "$VENV/bin/python" "$here/../bench/bench_enquiry.py" "$env_file"
fi
# The installation alone, on a throw-away copy (bench_enquiry.py measures it already).
if [ "$only" = install_live ]; then
  "$VENV/bin/python" "$here/../bench/bench_install_live.py" "$env_file"
fi
if [ -z "$only" ] || [ "$only" = load ]; then
  "$VENV/bin/python" "$here/../bench/bench_load.py" "$env_file"  # load run on a read replica (bench/bench_load.py)
fi
if [ -z "$only" ] || [ "$only" = serial_import ]; then
  "$VENV/bin/python" "$here/../bench/bench_serial_import.py" "$env_file"  # Import Serials of 10,000 against Odoo's (bench/bench_serial_import.py)
fi
if [ -z "$only" ] || [ "$only" = apps ]; then
  "$VENV/bin/python" "$here/../bench/bench_apps.py" "$env_file"  # a POS invoiced order and a dropship of 500 serials, addon vs native (bench/bench_apps.py)
fi
