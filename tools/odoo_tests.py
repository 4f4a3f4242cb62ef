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
6. prints ``N passed, N failed`` (``, N skipped`` when some are) and exits 0
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
from pathlib import Path

from harness import (
    create_database,
    drop_database,
    ensure_template,
    free_port,
    odoo_cmd,
    read_env,
)

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) \S+ (?P<logger>\S+): (?P<msg>.*)$"
)
# Odoo repeats the failures counted above in these loggers' closing lines.
SUMMARY_LOGGERS = {"odoo.modules.loading", "odoo.tests.result"}
BROWSER_SKIP = re.compile(r"websocket|chrom|devtools|browser", re.IGNORECASE)


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


def run_odoo_tests(cfg, database, counter, tags):
    port = free_port()
    log_file = Path(cfg["STATE"]) / "last-test.log"
    extra = [
        "-i",
        cfg["MODULE"],
        "--test-enable",
        "--log-level=test",
        f"--http-port={port}",
    ]
    if tags:
        extra.append(f"--test-tags={tags}")
    print(
        f"[test] installing {cfg['MODULE']} with tests on {database} "
        f"(full log: {log_file})"
    )
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

    failed = dict(counter.failed)
    skipped = {}
    for test, reason in counter.skipped.items():
        if BROWSER_SKIP.search(reason):
            failed[test] = f"browser test skipped ({reason}): a tour must run"
        else:
            skipped[test] = reason
    problems = []
    if counter.foreign_errors:
        problems.append("errors logged outside the tests:")
        problems += ["  " + line for line in counter.foreign_errors[:20]]
    if returncode != 0 and not failed:
        problems.append(f"odoo exited with code {returncode}")
    if not counter.started:
        problems.append("no test of the addon ran")
    scripted_passed = 0
    for prefix, _module, label, _skip, why in scripted:
        if results[prefix] is None:
            skipped[label] = why
            continue
        failed.update(
            (f"{prefix} {name}", detail or "failed")
            for name, ok, detail in results[prefix]
            if not ok
        )
        scripted_passed += sum(1 for _name, ok, _detail in results[prefix] if ok)
    passed = (
        len(counter.started - set(failed) - set(skipped)) + py_passed + scripted_passed
    )
    n_failed = len(failed) + py_failed + (1 if problems else 0)
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
