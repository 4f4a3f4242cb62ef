"""Run the addon's tests on real Odoo 18 and PostgreSQL and print one closing line.

Called by ``make test`` (through tools/test.sh, after tools/bootstrap.sh):

1. keeps a template database with the addon's dependencies installed (built
   once per Odoo source and dependency list), so a rerun only pays ``createdb -T``;
2. creates a fresh test database from it and installs the addon with
   ``--test-enable`` (at_install and post_install tests);
3. runs the pytest-odoo tests found under ``tests/pytest/`` on that database;
4. installs, upgrades and uninstalls the addon on another database holding
   Odoo data made without it (tools/live_data_check.py), each check counted;
   ``--no-live`` (or PST_SKIP_LIVE=1) skips that, for a quicker loop;
5. builds the addon's wheel, installs the addon from it on another database and
   checks that the wheel lost no file and no model class (tools/wheel_check.py),
   each check counted; ``--no-wheel`` (or PST_SKIP_WHEEL=1) skips that;
6. the apps phase: beside the Odoo apps it does not depend on (harness.APPS:
   Manufacturing, Point of Sale, Repairs, Dropshipping), on a database made from
   a second template (the addon's dependencies and those apps, built once):
   ``[apps]`` installs the addon with the tests tagged ``serial_apps`` (tagged
   ``post_install, -at_install, -standard``, so that step 2 skips them), then
   ``[pos-tours]`` runs Point of Sale's own tours that sell and refund serials
   (POS_TOURS) on that database, the addon installed; ``--no-apps`` (or
   PST_SKIP_APPS=1) skips that;
7. prints ``N passed, N failed`` (``, N skipped`` when some are) and exits 0
   only when nothing failed.

A browser test skipped because Chromium or websocket-client is missing counts
as a failure: Odoo would otherwise skip every tour silently.
"""

import argparse
import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from harness import (
    APPS,
    create_database,
    drop_database,
    ensure_template,
    free_port,
    odoo_cmd,
    psql,
    read_env,
)

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) \S+ (?P<logger>\S+): (?P<msg>.*)$"
)
# Odoo repeats the failures counted above in these loggers' closing lines.
SUMMARY_LOGGERS = {"odoo.modules.loading", "odoo.tests.result"}
BROWSER_SKIP = re.compile(r"websocket|chrom|devtools|browser", re.IGNORECASE)
# The tag of the addon's tests that need the apps (tests/test_apps_*.py).
APPS_TAG = "serial_apps"
# Point of Sale's own tours that sell serials, run with the addon installed. Run
# without -i/-u, Odoo runs the post_install tests of every loaded module that the
# tags select (odoo/service/server.py, preload_registries) and, while loading,
# their at_install tests that the tags select (odoo/modules/loading.py): these
# three TestUi tests are post_install only, so nothing else runs.
POS_TOURS = [
    "TestUi.test_lot",
    "TestUi.test_lot_refund",
    "TestUi.test_add_multiple_serials_at_once",
]


class LogCounter:
    """Count the addon's tests from Odoo's test log as it streams by."""

    def __init__(self, module):
        self.test_logger = f"odoo.addons.{module}."
        self.started = set()
        self.failed = {}
        self.skipped = {}
        self.foreign_errors = []
        self.in_traceback = False

    def feed(self, line):
        match = LOG_LINE.match(line)
        if not match:
            return self.in_traceback
        level, logger, msg = match["level"], match["logger"], match["msg"]
        self.in_traceback = False
        ours = logger.startswith(self.test_logger)
        if ours and level == "INFO" and msg.startswith("Starting "):
            self.started.add(msg[len("Starting ") :].rsplit(" ...", 1)[0])
            return True
        if ours and level == "INFO" and msg.startswith("skipped "):
            test, _, reason = msg[len("skipped ") :].partition(" : ")
            self.skipped[test] = reason
            return True
        if level in ("ERROR", "CRITICAL"):
            self.in_traceback = True
            failure = re.match(r"(FAIL|ERROR): (?:Subtest )?(\S+)", msg)
            if ours and failure:
                self.failed[failure[2]] = failure[1]
            elif ours:
                self.failed.setdefault(logger, "ERROR")
            elif logger not in SUMMARY_LOGGERS:
                self.foreign_errors.append(line.rstrip())
            return True
        return level == "WARNING" or (ours and level == "INFO")


def run_odoo(cfg, database, counter, extra, log_name, what):
    """Run odoo-bin on the database with Odoo's test log, feeding the counter and
    echoing what it keeps; the exit code."""
    log_file = Path(cfg["STATE"]) / log_name
    print(f"[test] {what} on {database} (full log: {log_file})", flush=True)
    extra = [*extra, "--log-level=test", f"--http-port={free_port()}"]
    with open(log_file, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            odoo_cmd(cfg, database, *extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        for line in proc.stdout:
            log.write(line)
            if counter.feed(line):
                sys.stdout.write(line)
                sys.stdout.flush()
        return proc.wait()


def run_odoo_tests(cfg, database, counter, tags):
    extra = ["-i", cfg["MODULE"], "--test-enable"]
    if tags:
        extra.append(f"--test-tags={tags}")
    what = f"installing {cfg['MODULE']} with tests"
    return run_odoo(cfg, database, counter, extra, "last-test.log", what)


def run_pytest(cfg, database):
    """Run the pytest-odoo tests of tests/pytest/; return (passed, failed, skipped)."""
    files = sorted(Path(cfg["REPO"], "tests", "pytest").glob("test_*.py"))
    if not files:
        return 0, 0, 0
    report = Path(cfg["STATE"]) / "pytest-report.txt"
    env = dict(os.environ, PYTHONPATH=cfg["ODOO_SRC"], ODOO_RC=cfg["ODOO_CONF"])
    addon = Path(cfg["STATE"], "addons", cfg["MODULE"])
    cmd = [
        f"{cfg['VENV']}/bin/python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--odoo-config={cfg['ODOO_CONF']}",
        f"--odoo-database={database}",
        "-rA",
        "--junitxml",
        str(report.with_suffix(".xml")),
        *(str(addon / "tests" / "pytest" / f.name) for f in files),
    ]
    print("[test] running pytest-odoo tests", flush=True)
    subprocess.run(cmd, env=env, cwd=cfg["STATE"], check=False)
    xml = report.with_suffix(".xml").read_text("utf-8")
    suite = re.search(r"<testsuite [^>]*>", xml)[0]
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', suite))
    total, failures = int(attrs["tests"]), int(attrs["failures"]) + int(attrs["errors"])
    skipped = int(attrs["skipped"])
    return total - failures - skipped, failures, skipped


def export_pot(cfg, target):
    """Install the addon on a scratch database and export its translation template."""
    database = f"pst_pot_{os.getpid()}"
    drop_database(cfg, database)
    create_database(cfg, database, ensure_template(cfg))
    try:
        for extra in (
            ["-i", cfg["MODULE"], f"--http-port={free_port()}"],
            [
                f"--i18n-export={target}",
                f"--modules={cfg['MODULE']}",
                f"--http-port={free_port()}",
            ],
        ):
            subprocess.run(
                odoo_cmd(cfg, database, "--log-level=warn", *extra), check=True
            )
    finally:
        drop_database(cfg, database)
    print(f"[pot] wrote {target}")
    return 0


def run_scripted_check(module, label, cfg, template, keep_db):
    """The checks of tools/<module>.py: [(name, ok, detail)], one failure
    when it could not run or ran none."""
    check = importlib.import_module(module)
    try:
        results = check.run(cfg, template, keep_db)
    except Exception as error:  # noqa: BLE001  (counted as a failure)
        results = [(f"{label} ran", False, repr(error))]
    return results or [(f"{label} ran", False, "no check ran")]


def tally(counter, returncode, prefix="", expected=(), must_run=False):
    """One odoo-bin run's counts: (passed, failed, skipped, problems), test names
    and problems prefixed. A browser test skipped fails; so does every skipped
    or missing test of ``expected`` (tests that must run, tours), and
    ``must_run``: a run where none of the counter's tests started."""
    failed = {prefix + test: why for test, why in counter.failed.items()}
    skipped = {}
    for test, reason in counter.skipped.items():
        if BROWSER_SKIP.search(reason):
            failed[prefix + test] = f"browser test skipped ({reason}): a tour must run"
        elif test in expected:
            failed[prefix + test] = f"skipped ({reason}): it must run"
        else:
            skipped[prefix + test] = reason
    for test in expected:
        if test not in counter.started:
            failed.setdefault(prefix + test, "did not run")
    problems = []
    if counter.foreign_errors:
        problems.append("errors logged outside the tests:")
        problems += ["  " + line for line in counter.foreign_errors[:20]]
    if returncode != 0 and not failed:
        problems.append(f"odoo exited with code {returncode}")
    if must_run and not counter.started:
        problems.append("no test of the addon ran")
    problems = [prefix + line for line in problems]
    passed = {prefix + test for test in counter.started} - set(failed) - set(skipped)
    return passed, failed, skipped, problems


def print_phase(prefix, counts, started):
    passed, failed, skipped, problems = counts
    n_failed = len(failed) + (1 if problems else 0)
    line = f"{prefix} {len(passed)} passed, {n_failed} failed"
    if skipped:
        line += f", {len(skipped)} skipped"
    print(f"{line} in {time.monotonic() - started:.0f}s", flush=True)


def run_apps_phase(cfg, keep_db):
    """The addon beside the apps it does not depend on: its tests tagged
    serial_apps ([apps]), then Point of Sale's serial tours ([pos-tours]) on the
    same database; the tally of each."""
    started = time.monotonic()
    template = ensure_template(cfg, APPS)
    database = f"pst_test_apps_{os.getpid()}"
    drop_database(cfg, database)
    create_database(cfg, database, template)
    apps, tours = LogCounter(cfg["MODULE"]), LogCounter("point_of_sale")
    tours_tags = ",".join(f"/point_of_sale:{test}" for test in POS_TOURS)
    try:
        returncode = run_odoo(
            cfg,
            database,
            apps,
            ["-i", cfg["MODULE"], "--test-enable", f"--test-tags={APPS_TAG}"],
            "apps-test.log",
            f"[apps] installing {cfg['MODULE']} beside {', '.join(APPS)} "
            f"with the tests tagged {APPS_TAG}",
        )
        apps_counts = tally(apps, returncode, "[apps] ")
        print_phase("[apps]", apps_counts, started)
        state = psql(
            cfg,
            "SELECT state FROM ir_module_module WHERE name = :'a0'",
            cfg["MODULE"],
            database=database,
        )
        tours_started = time.monotonic()
        if state == "installed":
            # No -i/-u: the registry as it is, the addon installed.
            returncode = run_odoo(
                cfg,
                database,
                tours,
                ["--test-enable", f"--test-tags={tours_tags}"],
                "pos-tours.log",
                f"[pos-tours] Point of Sale's serial tours with {cfg['MODULE']}",
            )
        else:
            returncode = 0
            tours.failed.update(
                (test, f"not run: {cfg['MODULE']} is {state or 'absent'} there")
                for test in POS_TOURS
            )
        tours_counts = tally(tours, returncode, "[pos-tours] ", expected=POS_TOURS)
        print_phase("[pos-tours]", tours_counts, tours_started)
    finally:
        if keep_db:
            print(f"[test] kept database {database}")
        else:
            drop_database(cfg, database)
    print(f"[apps] phase done in {time.monotonic() - started:.0f}s", flush=True)
    return [apps_counts, tours_counts]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("env_file")
    parser.add_argument("--keep-db", action="store_true", help="keep the test database")
    parser.add_argument("--tags", default="", help="passed to Odoo's --test-tags")
    parser.add_argument("--export-pot", metavar="FILE", help="write the .pot and stop")
    parser.add_argument(
        "--no-live",
        action="store_true",
        default=os.environ.get("PST_SKIP_LIVE") == "1",
        help="skip the install/upgrade/uninstall check on live data "
        "(tools/live_data_check.py; also PST_SKIP_LIVE=1)",
    )
    parser.add_argument(
        "--no-wheel",
        action="store_true",
        default=os.environ.get("PST_SKIP_WHEEL") == "1",
        help="skip installing the addon from its built wheel "
        "(tools/wheel_check.py; also PST_SKIP_WHEEL=1)",
    )
    parser.add_argument(
        "--no-apps",
        action="store_true",
        default=os.environ.get("PST_SKIP_APPS") == "1",
        help="skip the phase beside Manufacturing, Point of Sale, Repairs and "
        "Dropshipping (the tests tagged serial_apps, Point of Sale's serial "
        "tours; also PST_SKIP_APPS=1)",
    )
    args = parser.parse_args()
    cfg = read_env(args.env_file)
    if args.export_pot:
        return export_pot(cfg, args.export_pot)

    template = ensure_template(cfg)
    database = f"pst_test_{os.getpid()}"
    drop_database(cfg, database)
    create_database(cfg, database, template)
    counter = LogCounter(cfg["MODULE"])
    try:
        returncode = run_odoo_tests(cfg, database, counter, args.tags)
        py_passed, py_failed, py_skipped = run_pytest(cfg, database)
    finally:
        if args.keep_db:
            print(f"[test] kept database {database}")
        else:
            drop_database(cfg, database)
    scripted = [
        (
            "[live]",
            "live_data_check",
            "live-data check",
            args.no_live,
            "--no-live or PST_SKIP_LIVE=1",
        ),
        (
            "[wheel]",
            "wheel_check",
            "wheel check",
            args.no_wheel,
            "--no-wheel or PST_SKIP_WHEEL=1",
        ),
    ]
    results = {
        prefix: None
        if skip
        else run_scripted_check(module, label, cfg, template, args.keep_db)
        for prefix, module, label, skip, _why in scripted
    }
    phases = [tally(counter, returncode, must_run=True)]
    if args.no_apps:
        phases.append((set(), {}, {"apps phase": "--no-apps or PST_SKIP_APPS=1"}, []))
    else:
        try:
            phases += run_apps_phase(cfg, args.keep_db)
        except (Exception, SystemExit) as error:  # noqa: BLE001  (counted as a failure)
            phases.append((set(), {"[apps] phase ran": repr(error)}, {}, []))

    passed, failed, skipped, problems, n_problem_runs = 0, {}, {}, [], 0
    for phase_passed, phase_failed, phase_skipped, phase_problems in phases:
        passed += len(phase_passed)
        failed.update(phase_failed)
        skipped.update(phase_skipped)
        problems += phase_problems
        n_problem_runs += 1 if phase_problems else 0
    for prefix, _module, label, _skip, why in scripted:
        if results[prefix] is None:
            skipped[label] = why
            continue
        failed.update(
            (f"{prefix} {name}", detail or "failed")
            for name, ok, detail in results[prefix]
            if not ok
        )
        passed += sum(1 for _name, ok, _detail in results[prefix] if ok)
    passed += py_passed
    n_failed = len(failed) + py_failed + n_problem_runs
    n_skipped = len(skipped) + py_skipped

    print()
    for test, why in sorted(failed.items()):
        print(f"[test] FAILED {test}: {why}")
    for test, why in sorted(skipped.items()):
        print(f"[test] skipped {test}: {why}")
    for line in problems:
        print(f"[test] {line}")
    summary = f"{passed} passed, {n_failed} failed"
    if n_skipped:
        summary += f", {n_skipped} skipped"
    print(summary)
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
