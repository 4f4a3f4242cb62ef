# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install, upgrade and uninstall the addon on a database with live data.

Run by ``make test`` (tools/odoo_tests.py, after the Odoo tests and pytest);
alone: ``python tools/live_data_check.py <env file> [--keep-db]``.

On a throw-away database made from the test template (the dependencies, no
addon), through ``odoo-bin shell`` scripts (tools/live_data_scenario.py) and
``odoo-bin`` commands:

a. Odoo's own data without the addon: serials and an expiring batch received,
   delivered, sold on a sale order delivered and invoiced, transferred,
   scrapped; a fingerprint of Odoo's tables (lots, moves, move lines, quants,
   pickings, invoices...);
b. ``-i``: the stored fields the addon adds are computed for every existing
   serial, as the stock says, batch by batch; Odoo's data unchanged;
c. the addon used (invoice of serials, typed-in serial, correction), then
   ``-u``: the addon's data and Odoo's unchanged;
d. uninstalled: Odoo's data unchanged, the addon's tables, columns, SQL view
   and indexes gone, and Odoo still receiving serials.

Prints ``[live] PASS <check>`` / ``[live] FAIL <check>: <why>``; ``run()``
returns the (name, ok, detail) list that tools/odoo_tests.py counts.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

SCENARIO = Path(__file__).resolve().parent / "live_data_scenario.py"
MARK = "@@LIVE "
# Small on purpose: the few dozen serials of the scenario go in several batches.
BATCH_SIZE = 3
BATCH_LOG = re.compile(r"Serial facts: batch (\d+)/(\d+) done \((\d+) serials\)")
TOTAL_LOG = re.compile(
    r"Serial facts of (\d+) serials computed in (\d+) batches of at most (\d+)"
)
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)


class Step(Exception):
    """A step that could not run: the later ones are meaningless."""


class LiveCheck:
    def __init__(self, cfg, database, prefix="[live]"):
        self.cfg = cfg
        self.database = database
        self.prefix = prefix
        self.results = []
        # One folder per database: `make test` may run twice at the same time.
        self.log_dir = Path(cfg["STATE"], "live", database)
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def record(self, name, ok, detail=""):
        self.results.append((name, bool(ok), str(detail)))
        status = "PASS" if ok else "FAIL"
        line = f"{self.prefix} {status} {name}"
        if not ok and detail:
            line += f": {detail[:2000]}"
        print(line, flush=True)
        return ok

    def shell(self, step, params=None, no_error_check=None):
        """Run one step of the scenario in ``odoo-bin shell``; its JSON.

        no_error_check: the name of a check that no error was logged.
        """
        script = (
            SCENARIO.read_text("utf-8")
            + f"\n_main(env, {step!r}, json.loads({json.dumps(params or {})!r}))\n"
        )
        started = time.monotonic()
        run = subprocess.run(
            harness.odoo_shell_cmd(self.cfg, self.database),
            input=script,
            capture_output=True,
            text=True,
            check=False,
        )
        (self.log_dir / f"{step}.log").write_text(
            run.stdout + run.stderr, encoding="utf-8"
        )
        lines = [ln for ln in run.stdout.splitlines() if ln.startswith(MARK)]
        if run.returncode or not lines:
            self.record(
                f"{step}: odoo-bin shell step ran",
                False,
                (run.stdout + run.stderr)[-3000:],
            )
            raise Step(step)
        data = json.loads(lines[-1][len(MARK) :])
        for name, ok, detail in data["checks"]:
            self.record(name, ok, detail)
        if no_error_check:
            errors = _error_lines(run.stdout + run.stderr)
            self.record(no_error_check, not errors, "\n".join(errors))
        elapsed = time.monotonic() - started
        print(f"{self.prefix} ({step} step: {elapsed:.0f}s)", flush=True)
        return data

    def odoo(self, name, *args):
        """Run odoo-bin with these arguments; (ok, log text)."""
        log_file = self.log_dir / f"{name}.log"
        started = time.monotonic()
        with open(log_file, "w", encoding="utf-8") as log:
            run = subprocess.run(
                harness.odoo_cmd(
                    self.cfg,
                    self.database,
                    *args,
                    f"--http-port={harness.free_port()}",
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        text = log_file.read_text("utf-8", errors="replace")
        errors = [m.group(0) for m in LOG_ERROR.finditer(text)]
        ok = run.returncode == 0 and not errors
        print(f"{self.prefix} ({name}: {time.monotonic() - started:.0f}s)", flush=True)
        return (
            ok,
            text,
            f"exit code {run.returncode}, log {log_file}:\n"
            + ("\n".join(_error_lines(text)) or text[-2000:]),
        )

    def compare(self, name, before, after, only_existing=False):
        """Check that the fingerprint `after` holds `before` unchanged."""
        differences = []
        for table, rows in before.items():
            new_rows = after.get(table, {})
            for key, values in rows.items():
                if new_rows.get(key) != values:
                    differences.append(
                        f"{table} {key}: {values} -> {new_rows.get(key)}"
                    )
            if not only_existing:
                differences += [
                    f"{table} {key}: new {values}"
                    for key, values in new_rows.items()
                    if key not in rows
                ]
        counts = ", ".join(f"{len(rows)} {table}" for table, rows in before.items())
        return self.record(
            f"{name} ({counts})", not differences, "; ".join(differences[:15])
        )

    def run(self):
        module = self.cfg["MODULE"]
        # a. Odoo's own data, without the addon.
        native = self.shell("native", {"batch_size": BATCH_SIZE})
        if "fingerprint" not in native:
            raise Step("native")
        before_install = native["fingerprint"]
        lot_ids = sorted(int(key) for key in before_install["lots"])

        # b. Installation on that data.
        ok, log, detail = self.odoo("install", "-i", module, "--log-level=info")
        self.record(f"install on live data (-i {module}) without error", ok, detail)
        if not ok:
            raise Step("install")
        self.check_batches(log)
        installed = self.shell("installed", {"ids": native["ids"], "lot_ids": lot_ids})
        if "fingerprint_installed" in installed:
            self.compare(
                "install leaves Odoo's data of before unchanged",
                before_install,
                installed["fingerprint_installed"],
                only_existing=True,
            )
        if "addon" not in installed:
            raise Step("installed")

        # c. Upgrade.
        ok, _log, detail = self.odoo("upgrade", "-u", module, "--log-level=warn")
        self.record(f"upgrade (-u {module}) without error", ok, detail)
        if not ok:
            raise Step("upgrade")
        upgraded = self.shell("upgraded", no_error_check="uninstall logs no error")
        self.compare(
            "upgrade keeps Odoo's data",
            installed["fingerprint"],
            upgraded["fingerprint_upgraded"],
        )
        self.compare(
            "upgrade keeps the addon's data (serial facts, corrections, invoice "
            "serials, investigation flags and to-dos, warranties, history)",
            installed["addon"],
            upgraded["addon"],
        )
        footprint = upgraded.get("footprint")
        if not footprint:
            raise Step("upgraded")
        self.record(
            "the addon's footprint is known before its uninstallation",
            footprint["indexes"] == footprint["manual_indexes"]
            and "stock_lot_history" in footprint["tables"]
            and "stock_serial_facts" in footprint["tables"]
            and ["stock_lot", "corrected_from_id"] in footprint["columns"],
            json.dumps(footprint),
        )

        # d. Uninstallation.
        uninstalled = self.shell(
            "uninstalled",
            {
                "footprint": footprint,
                "ids": native["ids"],
                "addon_lots": installed["addon_lots"],
            },
        )
        self.compare(
            "uninstall keeps Odoo's lots, moves, quants, pickings and invoices",
            upgraded["fingerprint_upgraded"],
            uninstalled["fingerprint"],
        )

    def check_batches(self, log):
        batches = [tuple(map(int, m.groups())) for m in BATCH_LOG.finditer(log)]
        total = TOTAL_LOG.search(log)
        serials, count, size = map(int, total.groups()) if total else (0, 0, 0)
        self.record(
            f"install computes the existing serials' facts in batches "
            f"({serials} serials, {count} batches of at most {size})",
            total
            and size == BATCH_SIZE
            and count == math.ceil(serials / BATCH_SIZE) > 1
            and [number for number, _n, _s in batches] == list(range(1, count + 1))
            and sum(done for _n, _t, done in batches) == serials
            and all(done <= BATCH_SIZE for _n, _t, done in batches),
            f"log lines: {batches[:5]}... total {total and total.group(0)}",
        )


def _error_lines(text):
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        if LOG_ERROR.match(line):
            found += lines[index : index + 30]
    return found[:120]


def run(cfg, template, keep_db=False):
    """Run the scenario on a new database from `template`; the results."""
    database = f"pst_live_{os.getpid()}"
    harness.drop_database(cfg, database)
    harness.create_database(cfg, database, template)
    print(
        f"[live] install, upgrade and uninstall on live data ({database})", flush=True
    )
    started = time.monotonic()
    check = LiveCheck(cfg, database)
    try:
        check.run()
    except Step as step:
        print(f"[live] stopped after the {step} step", flush=True)
    finally:
        if keep_db:
            print(f"[live] kept database {database}")
        else:
            harness.drop_database(cfg, database)
    if harness.report_results("[live]", check.results, started) or keep_db:
        print(f"[live] logs in {check.log_dir}")
    else:
        shutil.rmtree(check.log_dir, ignore_errors=True)
    return check.results


def main():
    return harness.check_main(run, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    sys.exit(main())
