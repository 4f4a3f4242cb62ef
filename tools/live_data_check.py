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

Then the upgrade from the previous release (PREVIOUS_VERSION, taken from the
repository's history): a. and b. with that release's code, c. with the
checkout's, whose migration must keep every fact of the addon.

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
import tempfile
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


# The release an upgrade is checked from: the last commit of the repository
# whose manifest says this version.
PREVIOUS_VERSION = "18.0.1.0.0"


class Step(Exception):
    """A step that could not run: the later ones are meaningless."""


class LiveCheck:
    def __init__(self, cfg, database, prefix="[live]", addons_path=None):
        self.cfg = cfg
        self.database = database
        self.prefix = prefix
        # Another release's code for the steps before the upgrade, when set.
        self.addons_path = addons_path
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
            harness.odoo_shell_cmd(self.cfg, self.database) + self._addons_args(),
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
                    *self._addons_args(),
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

    def _addons_args(self):
        return [f"--addons-path={self.addons_path}"] if self.addons_path else []

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

    def run_upgrade_from_previous(self):
        """Install the previous release on live data, use it, then upgrade to
        the checkout: the migration keeps Odoo's data and the addon's."""
        module = self.cfg["MODULE"]
        native = self.shell("native", {"batch_size": BATCH_SIZE})
        if "fingerprint" not in native:
            raise Step("native")
        lot_ids = sorted(int(key) for key in native["fingerprint"]["lots"])
        ok, _log, detail = self.odoo("install", "-i", module, "--log-level=warn")
        self.record(f"install {PREVIOUS_VERSION} on live data", ok, detail)
        if not ok:
            raise Step("install")
        installed = self.shell("installed", {"ids": native["ids"], "lot_ids": lot_ids})
        if "addon" not in installed:
            raise Step("installed")
        self.addons_path = None
        ok, _log, detail = self.odoo("upgrade", "-u", module, "--log-level=warn")
        self.record(
            f"upgrade from {PREVIOUS_VERSION} (-u {module}) without error", ok, detail
        )
        if not ok:
            raise Step("upgrade")
        upgraded = self.shell("upgraded", no_error_check="upgraded step logs no error")
        self.compare(
            f"upgrade from {PREVIOUS_VERSION} keeps Odoo's data",
            installed["fingerprint"],
            upgraded["fingerprint_upgraded"],
        )
        self.compare(
            f"upgrade from {PREVIOUS_VERSION} keeps the addon's data (serial facts "
            "moved to stock_serial_facts, corrections, invoice serials, "
            "investigation flags and to-dos, warranties, history)",
            installed["addon"],
            upgraded["addon"],
        )
        footprint = upgraded.get("footprint") or {}
        self.record(
            f"upgrade from {PREVIOUS_VERSION} drops the facts' old columns",
            "stock_serial_facts" in footprint.get("tables", [])
            and ["stock_lot", "serial_state"] not in footprint.get("columns", []),
            json.dumps(footprint),
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
    """Run the scenario on a new database from `template`, then the upgrade
    from the previous release on another; the results."""
    database = f"pst_live_{os.getpid()}"
    print(
        f"[live] install, upgrade and uninstall on live data ({database})", flush=True
    )
    started = time.monotonic()
    check = LiveCheck(cfg, database)
    _run_on_new_database(check, check.run, template, keep_db)
    results = check.results + _run_upgrade_from_previous(cfg, template, keep_db)
    if harness.report_results("[live]", results, started) or keep_db:
        print(f"[live] logs in {check.log_dir}")
    else:
        shutil.rmtree(check.log_dir, ignore_errors=True)
    return results


def _run_upgrade_from_previous(cfg, template, keep_db):
    database = f"pst_live_previous_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="pst_previous_") as folder:
        addon = Path(folder, cfg["MODULE"])
        revision = _previous_release(addon)
        check = LiveCheck(cfg, database, addons_path=_addons_path(cfg, folder))
        if not revision:
            check.record(
                f"the repository's history holds release {PREVIOUS_VERSION}",
                False,
                "no commit of __manifest__.py with that version (a shallow clone?)",
            )
            return check.results
        print(
            f"[live] upgrade from {PREVIOUS_VERSION} ({revision[:10]}) on live data "
            f"({database})",
            flush=True,
        )
        _run_on_new_database(check, check.run_upgrade_from_previous, template, keep_db)
        if not keep_db and all(ok for _name, ok, _detail in check.results):
            shutil.rmtree(check.log_dir, ignore_errors=True)
        return check.results


def _run_on_new_database(check, steps, template, keep_db):
    """Run `steps` (a LiveCheck method) on check's database, made anew from
    `template`, dropped afterwards unless kept."""
    cfg, database = check.cfg, check.database
    harness.drop_database(cfg, database)
    harness.create_database(cfg, database, template)
    try:
        steps()
    except Step as step:
        print(f"[live] stopped after the {step} step", flush=True)
    finally:
        if keep_db:
            print(f"[live] kept database {database}")
        else:
            harness.drop_database(cfg, database)


def _previous_release(target):
    """Extract into `target` the last commit whose manifest has
    PREVIOUS_VERSION; its revision, or None."""
    repo = Path(__file__).resolve().parent.parent
    found = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "log",
            "-1",
            "--format=%H",
            f'-G"version": "{re.escape(PREVIOUS_VERSION)}"',
            "--",
            "__manifest__.py",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not found:
        return None
    # The commit found changed that line: the release is the commit itself
    # when it set the version, its parent when it replaced it.
    for revision in (found, f"{found}^"):
        manifest = subprocess.run(
            ["git", "-C", str(repo), "show", f"{revision}:__manifest__.py"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if f'"version": "{PREVIOUS_VERSION}"' in manifest:
            target.mkdir(parents=True)
            archive = subprocess.run(
                ["git", "-C", str(repo), "archive", revision],
                capture_output=True,
                check=True,
            )
            subprocess.run(
                ["tar", "-x", "-C", str(target)], input=archive.stdout, check=True
            )
            return subprocess.run(
                ["git", "-C", str(repo), "rev-parse", revision],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
    return None


def _addons_path(cfg, folder):
    """The configured addons path with `folder` first (the previous release
    of the addon instead of the checkout's)."""
    configured = re.search(
        r"^addons_path\s*=\s*(.+)$",
        Path(cfg["ODOO_CONF"]).read_text("utf-8"),
        re.MULTILINE,
    )
    others = [
        path.strip()
        for path in (configured.group(1).split(",") if configured else [])
        if not Path(path.strip(), cfg["MODULE"]).exists()
    ]
    return ",".join([folder, *others])


def main():
    return harness.check_main(run, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    sys.exit(main())
