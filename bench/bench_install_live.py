# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installing the addon on a database that already holds 1,000,000 serials.

Run by tools/bench.sh (``make bench``) after bench/bench_enquiry.py, which
builds and keeps ``pst_bench_1m`` (1,000,000 serials with their moves and
quants, the addon installed). On a copy of it (``createdb -T``):

1. the serial facts the addon keeps are saved aside, then the addon is
   uninstalled (``button_immediate_uninstall``): the copy is a database with
   serial-tracked stock and no addon;
2. ``odoo-bin -i product_serial_tracking --stop-after-init`` is timed: the
   whole installation, and the computation of the existing serials' facts
   (post_init_hook, read from its log line);
3. the facts computed by the installation are compared with the saved ones
   for every serial, and with the stock and moves (through the ORM) for a
   sample of serials; the copy is dropped.

Writes its section of bench/README.md (bench/common.py).
"""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import live_data_check  # noqa: E402  (tools/, on the path through common)
from common import harness, machine_line, write_section  # noqa: E402

SOURCE_DB = os.environ.get("BENCH_ENQUIRY_DB", "pst_bench_1m")
SAMPLE = int(os.environ.get("BENCH_INSTALL_SAMPLE", "2000"))
FACTS_LOG = re.compile(
    r"Serial facts of (\d+) serials computed in (\d+) batches of at most (\d+) "
    r"in ([\d.]+)s"
)
# The facts kept while installed that a reinstallation must give again (the
# warranty end goes: the products' warranty months go with the addon).
# Log lines around the creation of the addon's columns and indexes (init()).
SCHEMA_START = re.compile(
    r"^(\S+ \S+) .*module product_serial_tracking: creating or updating database "
    r"tables",
    re.MULTILINE,
)
SCHEMA_END = re.compile(r"^(\S+ \S+) .*loading product_serial_tracking/", re.MULTILINE)
COMPARED = (
    "serial_state",
    "current_location_id",
    "customer_id",
    "last_move_date",
    "warranty_start_date",
)


log = common.logger("bench install")


def copy_database(cfg, database):
    for attempt in range(10):
        run = subprocess.run(
            ["createdb", "-T", SOURCE_DB, database],
            env=harness.pg_env(cfg),
            capture_output=True,
            text=True,
            check=False,
        )
        if not run.returncode:
            return
        if "being accessed by other users" not in run.stderr or attempt == 9:
            sys.exit(f"[bench install] cannot copy {SOURCE_DB}: {run.stderr}")
        log(f"{SOURCE_DB} is in use; waiting to copy it")
        time.sleep(30)


def main():
    cfg = harness.read_env(sys.argv[1])
    if not harness.database_exists(cfg, SOURCE_DB):
        log(
            f"skipped: database {SOURCE_DB} does not exist. It is built by "
            "bench/bench_enquiry.py (make bench runs it first)."
        )
        return 0
    database = f"pst_bench_install_{os.getpid()}"
    harness.drop_database(cfg, database)
    started = time.monotonic()
    copy_database(cfg, database)
    copy_time = time.monotonic() - started
    log(f"copied {SOURCE_DB} to {database} in {copy_time:.0f}s")
    check = live_data_check.LiveCheck(cfg, database, prefix="[bench install]")
    try:
        figures = measure(cfg, database, check)
    except live_data_check.Step as step:
        sys.exit(f"[bench install] the {step} step failed")
    finally:
        harness.drop_database(cfg, database)
    log(f"logs in {check.log_dir}")
    failed = [name for name, ok, _detail in check.results if not ok]
    write_readme(cfg, figures, check.results)
    return 1 if failed else 0


def measure(cfg, database, check):
    counts = harness.psql(
        cfg,
        "SELECT (SELECT COUNT(*) FROM stock_lot), "
        "(SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'), "
        "(SELECT COUNT(*) FROM stock_quant);"
        "CREATE TABLE bench_facts_before AS SELECT id, "
        + ", ".join(COMPARED)
        + " FROM stock_lot;",
        database=database,
    ).split("|")
    lots, lines, quants = (int(value) for value in counts)
    log(f"{lots:,} serials, {lines:,} done move lines, {quants:,} quants")

    started = time.monotonic()
    uninstalled = check.shell("uninstall", no_error_check="uninstall logs no error")
    uninstall_time = time.monotonic() - started
    if not all(ok for _name, ok, _detail in check.results):
        raise live_data_check.Step("uninstall")
    log(f"uninstalled in {uninstall_time:.0f}s {uninstalled.get('state')}")

    started = time.monotonic()
    ok, text, detail = check.odoo(
        "bench-install", "-i", cfg["MODULE"], "--log-level=info"
    )
    install_time = time.monotonic() - started
    check.record(f"installation on {lots:,} serials without error", ok, detail)
    facts = FACTS_LOG.search(text)
    check.record("the installation logged its facts computation", facts, "")
    if not ok or not facts:
        raise live_data_check.Step("install")
    serials, batches, batch_size, facts_time = facts.groups()
    schema_time = elapsed(SCHEMA_START.search(text), SCHEMA_END.search(text))

    different = harness.psql(
        cfg,
        "SELECT COUNT(*) FROM stock_lot lot "
        "JOIN bench_facts_before before ON before.id = lot.id "
        "WHERE ("
        + ", ".join(f"lot.{name}" for name in COMPARED)
        + ") IS DISTINCT FROM ("
        + ", ".join(f"before.{name}" for name in COMPARED)
        + ")",
        database=database,
    )
    check.record(
        f"facts of all {lots:,} serials after installation equal those the "
        "addon kept before its uninstallation",
        different == "0",
        f"{different} serials differ",
    )
    check.shell("sample", {"size": SAMPLE})
    return {
        "lots": lots,
        "lines": lines,
        "quants": quants,
        "uninstall": uninstall_time,
        "install": install_time,
        "serials": int(serials),
        "batches": int(batches),
        "batch_size": int(batch_size),
        "facts": float(facts_time),
        "schema": schema_time,
        "states": harness.psql(
            cfg,
            "SELECT string_agg(serial_state || ' ' || n, ', ' ORDER BY n DESC) "
            "FROM (SELECT serial_state, COUNT(*) n FROM stock_lot GROUP BY 1) s",
            database=database,
        ),
    }


def elapsed(start, end):
    """Seconds between the timestamps of two log line matches (0 if missing)."""
    if not start or not end:
        return 0.0
    stamp = "%Y-%m-%d %H:%M:%S,%f"
    return (
        datetime.datetime.strptime(end.group(1), stamp)
        - datetime.datetime.strptime(start.group(1), stamp)
    ).total_seconds()


def write_readme(cfg, figures, results):
    checks = "\n".join(
        f"  [{'PASS' if ok else 'FAIL'}] {name}" for name, ok, _detail in results
    )
    table = (
        f"Database: {figures['lots']:,} serials, {figures['lines']:,} done move "
        f"lines, {figures['quants']:,} quants\n"
        f"uninstall (button_immediate_uninstall)        {figures['uninstall']:7.0f} s\n"
        f"install, odoo-bin -i ... --stop-after-init    {figures['install']:7.0f} s\n"
        f"  of which the addon's columns and indexes (init): "
        f"{figures['schema']:.0f} s\n"
        f"  of which the facts of {figures['serials']:,} existing serials "
        f"({figures['batches']} batches of at most {figures['batch_size']:,}): "
        f"{figures['facts']:.0f} s\n"
        f"serials per status after installation: {figures['states']}\n\n"
        f"Checks:\n{checks}"
    )
    print(table)
    readme = write_section(
        "bench_install_live",
        "# Benchmark: installing on a database with 1,000,000 existing serials\n\n"
        "`make bench` runs `bench/bench_install_live.py` after `bench_enquiry.py`:\n"
        f"on a copy of `{SOURCE_DB}` (built by bench_enquiry.py: 1,000,000 serials\n"
        "over 1,000 products with their done receipt, delivery and write-off\n"
        "lines and their quants), the addon is uninstalled, then\n"
        "`odoo-bin -i product_serial_tracking --stop-after-init` is timed: the\n"
        "whole installation (registry, tables, columns and indexes, data files,\n"
        "the addon's demo data as the database has demo data), and within it\n"
        "the post_init_hook computing every stored field of the existing serials\n"
        "(status, location, customer, last move, warranty, entry origin, flag) in\n"
        "batches, as its log line reports: one UPDATE per batch of 50,000 for\n"
        "the facts (as timed from scratch by bench_enquiry.py) together with the\n"
        "entry origins and investigation flags. The facts are then compared with\n"
        "the ones the addon kept before it was uninstalled (every serial) and with\n"
        f"the stock and moves read through the ORM ({SAMPLE:,} serials at random).\n\n"
        + machine_line(f"; PostgreSQL on {cfg['PGHOST']}:{cfg['PGPORT']}")
        + "```\n"
        + table
        + "\n```\n",
    )
    log(f"results written to {readme}")


if __name__ == "__main__":
    sys.exit(main())
