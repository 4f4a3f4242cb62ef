# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installing the addon on a database that already holds a million serials.

The database is the kept one of bench/serial_data.py, made without the addon
(``pst_bench_native_<scale>``: real serial formats, done receipts and
deliveries, one product of 200,000 serials in stock; ``SCALE`` serials,
1,000,000 by default). On a copy of it (``createdb -T``):

1. ``odoo-bin -i product_serial_tracking --stop-after-init`` is timed, as a
   user installs it: the whole installation, and within it the computation of
   the existing serials' facts (post_init_hook, read from its log line when it
   writes one);
2. the facts of a sample of serials are compared with their stock and moves
   read through the ORM (tools/live_data_scenario.py, step ``sample``).

bench/bench_enquiry.py calls ``install()`` on its own copy (then churns and
measures it) and writes this script's section of bench/README.md; run alone
(``bash tools/bench.sh install_live``) this script does the same on a
throw-away copy.
"""

import datetime
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import live_data_check  # noqa: E402  (tools/, on the path through common)
import serial_data  # noqa: E402
from common import harness, machine_line, write_section  # noqa: E402

SCALE = int(os.environ.get("SCALE") or 1_000_000)
SAMPLE = int(os.environ.get("BENCH_INSTALL_SAMPLE", "2000"))
# The goal of the installation on the 1M database; larger ones are timed only.
GOAL_SECONDS = 180
FACTS_LOG = re.compile(
    r"Serial facts of (\d+) serials computed in (\d+) batches of at most (\d+) "
    r"in ([\d.]+)s"
)
# Log lines around the creation of the addon's tables, columns and indexes.
SCHEMA_START = re.compile(
    r"^(\S+ \S+) .*module product_serial_tracking: creating or updating database "
    r"tables",
    re.MULTILINE,
)
SCHEMA_END = re.compile(r"^(\S+ \S+) .*loading product_serial_tracking/", re.MULTILINE)

log = common.logger("bench install")


def has_install_goal(lots):
    """Whether the installation on this many serials has GOAL_SECONDS."""
    return lots < common.LARGE_SERIALS


def native_database(serials=SCALE):
    return f"pst_bench_native_{serial_data.scale_label(serials)}"


def install(cfg, database):
    """Install the addon on the database (a copy of native data), timed, then
    check a sample of facts. Returns (figures, [(check, ok, detail)])."""
    check = live_data_check.LiveCheck(cfg, database, prefix="[bench install]")
    counts = harness.psql(
        cfg,
        "SELECT (SELECT COUNT(*) FROM stock_lot), "
        "(SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'), "
        "(SELECT COUNT(*) FROM stock_quant)",
        database=database,
    ).split("|")
    lots, lines, quants = (int(value) for value in counts)
    log(f"{database}: {lots:,} serials, {lines:,} done move lines, {quants:,} quants")
    log(f"installing {cfg['MODULE']} (odoo-bin -i, as a user would)")
    started = time.monotonic()
    ok, text, detail = check.odoo(
        "bench-install", "-i", cfg["MODULE"], "--log-level=info"
    )
    install_time = time.monotonic() - started
    log(f"installed in {install_time:.0f}s (log {check.log_dir}/bench-install.log)")
    check.record(f"installation on {lots:,} serials without error", ok, detail)
    if has_install_goal(lots):
        check.record(
            f"installation on {lots:,} serials within {GOAL_SECONDS} s",
            install_time <= GOAL_SECONDS,
            f"{install_time:.0f} s",
        )
    if not ok:
        return {"lots": lots, "install": install_time}, check.results
    facts = FACTS_LOG.search(text)
    figures = {
        "lots": lots,
        "lines": lines,
        "quants": quants,
        "install": install_time,
        "schema": elapsed(SCHEMA_START.search(text), SCHEMA_END.search(text)),
        "facts": facts.groups() if facts else None,
    }
    try:
        check.shell("sample", {"size": SAMPLE})
    except live_data_check.Step:
        pass  # recorded as a failed check
    # The facts on stock_lot, or in their own table (issue 14).
    facts_table = harness.psql(
        cfg, "SELECT to_regclass('stock_serial_facts')", database=database
    )
    figures["states"] = harness.psql(
        cfg,
        "SELECT string_agg(serial_state || ' ' || n, ', ' ORDER BY n DESC) FROM "
        "(SELECT serial_state, COUNT(*) n FROM "
        + ("stock_serial_facts" if facts_table else "stock_lot")
        + " GROUP BY 1) s",
        database=database,
        check=False,
    )
    return figures, check.results


def elapsed(start, end):
    """Seconds between the timestamps of two log line matches (0 if missing)."""
    if not start or not end:
        return 0.0
    stamp = "%Y-%m-%d %H:%M:%S,%f"
    return (
        datetime.datetime.strptime(end.group(1), stamp)
        - datetime.datetime.strptime(start.group(1), stamp)
    ).total_seconds()


def report(figures, results):
    lines = [
        f"Database: {figures['lots']:,} serials, {figures.get('lines', 0):,} done "
        f"move lines, {figures.get('quants', 0):,} quants (no addon)",
        f"install, odoo-bin -i ... --stop-after-init    {figures['install']:7.0f} s"
        + (f" (goal <= {GOAL_SECONDS} s)" if has_install_goal(figures["lots"]) else ""),
    ]
    if figures.get("schema"):
        lines.append(
            f"  of which the addon's tables, columns and indexes: "
            f"{figures['schema']:.0f} s"
        )
    if figures.get("facts"):
        serials, batches, batch_size, seconds = figures["facts"]
        lines.append(
            f"  of which the facts of {int(serials):,} existing serials "
            f"({batches} batches of at most {int(batch_size):,}): "
            f"{float(seconds):.0f} s"
        )
    if figures.get("states"):
        lines.append(f"serials per status after installation: {figures['states']}")
    lines += ["", "Checks:"]
    lines += [
        f"  [{'PASS' if ok else 'FAIL'}] {name}" + ("" if ok else f": {detail[:300]}")
        for name, ok, detail in results
    ]
    return "\n".join(lines)


def write_readme(cfg, text, source, section="bench_install_live"):
    readme = write_section(
        section,
        "# Benchmark: installing on a database with existing serials\n\n"
        "`make bench` runs it within `bench/bench_enquiry.py` "
        "(alone: `bash tools/bench.sh install_live`,\n"
        "`bench/bench_install_live.py`): on a copy (`createdb -T`) of "
        f"`{source}`, the kept\n"
        "database of bench/serial_data.py made WITHOUT the addon (real serial "
        "formats, done\n"
        "receipts and deliveries, one product of 200,000 serials in stock), "
        "`odoo-bin -i\n"
        "product_serial_tracking --stop-after-init` is timed as a user installs "
        "it: registry,\n"
        "tables, columns and indexes, data files, and the post_init_hook "
        "computing every\n"
        "existing serial's facts. Then the facts of "
        f"{SAMPLE:,} serials taken at random are\n"
        "compared with their stock and moves read through the ORM.\n\n"
        + machine_line(
            f"; PostgreSQL on {cfg['PGHOST']}:{cfg['PGPORT']}; addon "
            f"{common.addon_revision(cfg)}"
        )
        + "```\n"
        + text
        + "\n```\n",
    )
    log(f"results written to {readme}")


def main():
    cfg = common.pinned_cfg(harness.read_env(sys.argv[1]))
    import bench_enquiry  # noqa: PLC0415  (its Odoo set-up)

    odoo = bench_enquiry.odoo_env_setup(cfg)
    source = native_database()
    serial_data.ensure_native(odoo, common, cfg, source, SCALE, log=log)
    database = f"pst_bench_install_{os.getpid()}"
    started = time.monotonic()
    common.copy_database(cfg, source, database, prefix="bench install")
    log(f"copied {source} to {database} in {time.monotonic() - started:.0f}s")
    try:
        figures, results = install(cfg, database)
    finally:
        harness.drop_database(cfg, database)
    text = report(figures, results)
    print(text, flush=True)
    write_readme(cfg, text, source)
    return 1 if not all(ok for _name, ok, _detail in results) else 0


if __name__ == "__main__":
    sys.exit(main())
