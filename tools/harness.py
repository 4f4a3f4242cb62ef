"""What the tools and the benchmarks share: the environment, PostgreSQL, odoo-bin.

Imported as ``harness`` by tools/odoo_tests.py (``make test``),
tools/live_data_check.py, tools/wheel_check.py, tools/bench.sh and
bench/common.py:

- ``read_env``: the environment file of tools/bootstrap.sh, as a dict (cfg);
- ``pg_env``, ``psql``, ``database_exists``, ``create_database``,
  ``drop_database``: PostgreSQL through its command-line clients;
- ``free_port``: a TCP port nothing listens on;
- ``odoo_cmd``, ``odoo_shell_cmd``: odoo-bin on one database, stopping after
  init, or ``odoo-bin shell`` reading a script on its standard input;
- ``ensure_template``: the template database with the addon's dependencies
  installed (and, when asked, other modules beside them: ``APPS``), built once
  per Odoo source and module list;
- ``APPS``: the Odoo apps the addon does not depend on but must work beside
  (``make test``'s apps phase installs the addon on a database holding them);
- ``report_results``, ``check_main``: the closing line and the command line of
  the scripted checks (live data, wheel) that ``make test`` counts.
"""

import argparse
import ast
import fcntl
import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

# The apps the addon does not depend on but must work beside: the apps phase of
# ``make test`` installs the addon on a template holding them with its depends.
APPS = ["mrp", "point_of_sale", "repair", "stock_dropshipping"]


def read_env(path):
    env = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def pg_env(cfg):
    env = dict(os.environ)
    env.update(
        PGHOST=cfg["PGHOST"],
        PGPORT=cfg["PGPORT"],
        PGUSER=cfg["PGUSER"],
        PGPASSWORD=cfg["PGPASSWORD"],
    )
    return env


def psql(cfg, sql, *args, database="postgres", check=True):
    """Run statements on a database (the maintenance one unless told); their
    unaligned output. args become the psql variables a0, a1...

    check: raise when psql fails; when false, its output all the same.
    """
    cmd = ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", database]
    for index, value in enumerate(args):
        cmd += ["-v", f"a{index}={value}"]
    return subprocess.run(
        cmd, input=sql, env=pg_env(cfg), check=check, capture_output=True, text=True
    ).stdout.strip()


def database_exists(cfg, name):
    return psql(cfg, "SELECT 1 FROM pg_database WHERE datname = :'a0'", name) == "1"


def create_database(cfg, name, template):
    subprocess.run(["createdb", "-T", template, name], env=pg_env(cfg), check=True)


def drop_database(cfg, name):
    subprocess.run(
        ["dropdb", "--if-exists", "--force", name], env=pg_env(cfg), check=True
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manifest_depends(repo):
    manifest = ast.literal_eval((Path(repo) / "__manifest__.py").read_text("utf-8"))
    return sorted(manifest["depends"])


def odoo_cmd(cfg, database, *extra):
    return [
        f"{cfg['VENV']}/bin/python",
        f"{cfg['ODOO_SRC']}/odoo-bin",
        "-c",
        cfg["ODOO_CONF"],
        "-d",
        database,
        "--db-filter",
        f"^{database}$",
        "--max-cron-threads=0",
        "--workers=0",
        "--stop-after-init",
        *extra,
    ]


def odoo_shell_cmd(cfg, database):
    """``odoo-bin shell`` on the database, no HTTP, warnings only: it runs the
    script given on its standard input, with ``env`` defined."""
    return [
        f"{cfg['VENV']}/bin/python",
        f"{cfg['ODOO_SRC']}/odoo-bin",
        "shell",
        "-c",
        cfg["ODOO_CONF"],
        "-d",
        database,
        "--no-http",
        "--log-level=warn",
    ]


def template_name(cfg, extra_modules=()):
    """The template's name changes whenever Odoo's source or its module list
    (our dependencies, plus ``extra_modules``) does."""
    digest = hashlib.sha1()
    digest.update(cfg["ODOO_SRC"].encode())
    for relative in ("odoo/release.py", "odoo/addons/base/__manifest__.py"):
        path = Path(cfg["ODOO_SRC"], relative)
        if path.exists():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    digest.update(",".join(manifest_depends(cfg["REPO"])).encode())
    if not extra_modules:
        return "pst_template_" + digest.hexdigest()[:10]
    digest.update(("+" + ",".join(sorted(extra_modules))).encode())
    return "pst_template_apps_" + digest.hexdigest()[:10]


def ensure_template(cfg, extra_modules=()):
    """The template database with the addon's dependencies, and ``extra_modules``
    beside them, installed (demo data included); built once, then reused."""
    name = template_name(cfg, extra_modules)
    if database_exists(cfg, name):
        return name
    # Two runs of one clone (make test, a bench, a helper) build a template one
    # after the other: the second waits, then reuses what the first built.
    with open(Path(cfg["STATE"]) / f"{name}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if database_exists(cfg, name):
            return name
        return _build_template(cfg, name, extra_modules)


def _build_template(cfg, name, extra_modules):
    building = name + "_building"
    drop_database(cfg, building)
    modules = ",".join(sorted({*manifest_depends(cfg["REPO"]), *extra_modules}))
    print(f"[test] building template database {name} with {modules} (once)", flush=True)
    started = time.monotonic()
    log_file = Path(cfg["STATE"]) / (
        "template-apps.log" if extra_modules else "template.log"
    )
    with open(log_file, "w", encoding="utf-8") as log:
        result = subprocess.run(
            odoo_cmd(cfg, building, "-i", modules, f"--http-port={free_port()}"),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode != 0:
        print(log_file.read_text("utf-8")[-5000:])
        sys.exit(f"[test] building the template failed, see {log_file}")
    psql(cfg, 'ALTER DATABASE :"a0" RENAME TO :"a1"', building, name)
    print(f"[test] template ready in {time.monotonic() - started:.0f}s", flush=True)
    return name


def report_results(prefix, results, started):
    """Print the closing line of a scripted check ("[live] N passed, N failed")."""
    failed = sum(1 for _name, ok, _detail in results if not ok)
    print(
        f"{prefix} {len(results) - failed} passed, {failed} failed "
        f"in {time.monotonic() - started:.0f}s",
        flush=True,
    )
    return failed


def check_main(run, description):
    """The command line of a scripted check: ``python <check>.py <env file>
    [--keep-db]``; exit 1 when a check failed or none ran."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("env_file")
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    args = parser.parse_args()
    cfg = read_env(args.env_file)
    results = run(cfg, ensure_template(cfg), args.keep_db)
    return 1 if not results or any(not ok for _n, ok, _d in results) else 0
