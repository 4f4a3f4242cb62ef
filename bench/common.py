# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmarks share: databases, a real Odoo server, its replica, a
client, the data they build, and their sections of bench/README.md.

Imported by every script of bench/ and by tools/bench.sh; the PostgreSQL and
odoo-bin commands themselves come from tools/harness.py (``harness``).

- ``log``/``logger``: progress lines ``[prefix] message``;
- ``run_checked``, ``run_odoo``, ``new_database``, ``shell_script``: odoo-bin
  runs, and a throw-away database made from the test template (the addon
  installed or not);
- ``prepare_database``: such a database with the addon and the data of
  bench/load_data.py;
- ``connect``: a psycopg2 connection to the primary or to the replica;
- ``ensure_replica``, ``wait_replayed``: the streaming replica of
  tools/replica.sh, started when not running (the caller learns whether it
  started it), and caught up with the primary;
- ``OdooServer``: ``odoo-bin`` serving HTTP on a free port, read-only requests
  sent to the replica (``--db_replica_host``/``--db_replica_port``), its log
  in a file; stopped (its own process group) on exit;
- ``RpcClient``: a web client's session (``/web/session/authenticate``, then
  ``/web/dataset/call_kw``, whose read-only methods Odoo serves on the replica),
  and ``search_enquiry_list``, the Serial Numbers list's search as it sends it;
- ``ReplicaProbe``: what the replica saw, read from its statistics;
- data builders run inside Odoo (``odoo-bin shell`` or an in-process
  registry): ``serial_product_vals``, ``serial_picking``, ``invoice_vals``;
- ``machine_line``, ``write_section``: each benchmark owns the text between
  its two markers ``<!-- <name>:start -->`` and ``<!-- <name>:end -->`` of
  bench/README.md and rewrites only that, so that running one benchmark never
  erases the figures of another.
"""

import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import requests

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
README = BENCH / "README.md"
sys.path.insert(0, str(REPO / "tools"))
import harness  # noqa: E402

# How a hidden write shows: odoo/http.py serves the request again read/write,
# and the replica refuses the statement.
RETRY_WARNING = "retrying with a read/write cursor"
FALLBACK_WARNING = "Failed to open a readonly cursor"
REPLICA_REFUSAL = "read-only transaction"

# The addon's Serial Numbers list as the web client asks for it: its visible
# columns, its default order.
M2O = {"fields": {"display_name": {}}}
ENQUIRY_LIST_SPEC = {
    "name": {},
    "product_id": M2O,
    "product_tracking": {},
    "serial_state": {},
    "current_location_id": M2O,
    "product_qty": {},
    "expiration_date": {},
    "warranty_end_date": {},
    "customer_id": M2O,
    "to_investigate": {},
}
ENQUIRY_LIST_ORDER = "last_move_date desc, id desc"
# From this many serials the enquiry bench applies the 10M goals, not 1M's
# (the installation's 3 minutes among them).
LARGE_SERIALS = 5_000_000


def log(prefix, message):
    print(f"[{prefix}] {message}", flush=True)


def logger(prefix):
    """log() with this prefix."""
    return lambda message: log(prefix, message)


# ---------------------------------------------------------------------------
# odoo-bin and databases
# ---------------------------------------------------------------------------


def run_checked(cmd, quote_command=True, **kwargs):
    """Run cmd, its output captured; when it fails, exit with the output's tail
    (after the command's first words, unless quote_command is false)."""
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        sys.exit(
            (f"command failed: {' '.join(cmd[:6])}...\n" if quote_command else "")
            + result.stdout[-3000:]
            + result.stderr[-3000:]
        )
    return result


def run_odoo(cfg, database, *args, quote_command=False):
    """odoo-bin with these arguments on the database until init is done."""
    return run_checked(
        harness.odoo_cmd(
            cfg,
            database,
            *args,
            f"--http-port={harness.free_port()}",
            "--log-level=warn",
        ),
        quote_command=quote_command,
    )


def new_database(cfg, name, with_addon, quote_command=False):
    """A new database from the test template, with the addon installed or not."""
    harness.drop_database(cfg, name)
    harness.create_database(cfg, name, harness.ensure_template(cfg))
    if with_addon:
        run_odoo(cfg, name, "-i", cfg["MODULE"], quote_command=quote_command)


def copy_database(cfg, source, target, prefix="bench"):
    """createdb -T source target, waiting while the source is in use."""
    harness.drop_database(cfg, target)
    for attempt in range(10):
        run = subprocess.run(
            ["createdb", "-T", source, target],
            env=harness.pg_env(cfg),
            capture_output=True,
            text=True,
            check=False,
        )
        if not run.returncode:
            return
        if "being accessed by other users" not in run.stderr or attempt == 9:
            sys.exit(f"[{prefix}] cannot copy {source}: {run.stderr}")
        log(prefix, f"{source} is in use; waiting to copy it")
        time.sleep(30)


def pinned_cfg(cfg):
    """cfg running the addon as committed at ``BENCH_ADDON_REV`` (a git
    revision), unless that is unset: the working tree, as `make bench` does.

    The addon's files of that commit are extracted (git archive) into a folder
    of the temporary directory, and an odoo.conf copy puts that folder first
    in the addons path: a run measures one commit even while others edit the
    working tree. The benchmark scripts themselves come from the working tree.
    """
    rev = os.environ.get("BENCH_ADDON_REV")
    if not rev:
        return cfg
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    root = Path(tempfile.gettempdir(), f"pst_bench_addon_{sha[:12]}")
    addon = root / cfg["MODULE"]
    if not addon.exists():
        partial = root / (cfg["MODULE"] + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", sha],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        partial.rename(addon)
    lines = []
    for line in Path(cfg["ODOO_CONF"]).read_text("utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "addons_path":
            paths = [
                path.strip()
                for path in value.split(",")
                if not Path(path.strip(), cfg["MODULE"]).exists()
            ]
            line = "addons_path = " + ",".join([str(root), *paths])
        lines.append(line)
    conf = root / "odoo.conf"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dict(cfg, ODOO_CONF=str(conf), ADDON_REV=sha)


def addon_revision(cfg):
    """What a run measures: the pinned commit, or the working tree's HEAD
    and whether it has uncommitted changes."""
    if cfg.get("ADDON_REV"):
        return f"commit {cfg['ADDON_REV'][:10]}"
    head = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"working tree at {head[:60]}" + (
        " (with uncommitted changes)" if dirty else ""
    )


def shell_script(name, **environ):
    """subprocess arguments to run bench/<name> under ``odoo-bin shell``
    (harness.odoo_shell_cmd): its text on the standard input, the environment
    with ``environ`` and PST_BENCH_DIR, through which it imports this module."""
    return {
        "input": (BENCH / name).read_text("utf-8"),
        "env": dict(os.environ, PST_BENCH_DIR=str(BENCH), **environ),
    }


def prepare_database(cfg, database, serials, customers, report_port, background=0):
    """Template copy, addon installed, bench/load_data.py run: its JSON.

    background: first, before the addon, that many serials of
    bench/serial_data.py inserted in bulk (formats, receipts, deliveries);
    the addon is then installed on them as a user would.
    """
    new_database(cfg, database, with_addon=False, quote_command=True)
    if background:
        run_checked(
            harness.odoo_shell_cmd(cfg, database),
            input=(
                "import os, sys\n"
                "sys.path.insert(0, os.environ['PST_BENCH_DIR'])\n"
                "import serial_data\n"
                f"serial_data.fill(env, {int(background)})\n"
                "env.cr.commit()\n"
            ),
            env=dict(os.environ, PST_BENCH_DIR=str(BENCH)),
        )
    run_odoo(cfg, database, "-i", cfg["MODULE"], quote_command=True)
    result = run_checked(
        harness.odoo_shell_cmd(cfg, database),
        **shell_script(
            "load_data.py",
            PST_SERIALS=str(serials),
            PST_CUSTOMERS=str(customers),
            PST_REPORT_URL=f"http://127.0.0.1:{report_port}",
        ),
    )
    for line in result.stdout.splitlines():
        if line.startswith("PST_DATA "):
            return json.loads(line[len("PST_DATA ") :])
    sys.exit("bench/load_data.py printed no data:\n" + result.stdout[-3000:])


def connect(cfg, dbname="postgres", replica=None):
    """A psycopg2 connection to the primary, or to the replica when given."""
    return psycopg2.connect(
        host=replica["REPLICA_HOST"] if replica else cfg["PGHOST"],
        port=int(replica["REPLICA_PORT"] if replica else cfg["PGPORT"]),
        user=cfg["PGUSER"],
        password=cfg["PGPASSWORD"],
        dbname=dbname,
    )


# ---------------------------------------------------------------------------
# The replica
# ---------------------------------------------------------------------------


def read_replica_env(cfg):
    path = Path(cfg["STATE"], "replica.env")
    return harness.read_env(path) if path.exists() else None


def _replica_sh(command, check):
    """tools/replica.sh <command>, without the PG* variables tools/bench.sh
    exports: its superuser statements go to the local socket as postgres (peer
    authentication); exported, they would connect as the Odoo user instead."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")
    }
    return subprocess.run(
        ["bash", str(REPO / "tools" / "replica.sh"), command],
        capture_output=command == "status",
        text=True,
        check=check,
        env=environ,
    )


def ensure_replica(cfg):
    """(replica settings, whether this call started it)."""
    status = _replica_sh("status", check=False)
    running = status.returncode == 0 and read_replica_env(cfg) is not None
    _replica_sh("start", check=True)
    return read_replica_env(cfg), not running


def stop_replica():
    _replica_sh("stop", check=False)


def wait_replayed(cfg, replica, timeout=60):
    """Wait until the replica has replayed everything the primary wrote so far."""
    primary = connect(cfg)
    standby = connect(cfg, replica=replica)
    primary.autocommit = standby.autocommit = True
    try:
        with primary.cursor() as cr:
            cr.execute("SELECT pg_current_wal_lsn()")
            target = cr.fetchone()[0]
        deadline = time.monotonic() + timeout
        with standby.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                    (target,),
                )
                if cr.fetchone()[0]:
                    return
                time.sleep(0.2)
    finally:
        primary.close()
        standby.close()
    sys.exit(f"the replica did not replay up to {target} within {timeout}s")


# ---------------------------------------------------------------------------
# The server and its clients
# ---------------------------------------------------------------------------


class OdooServer:
    """odoo-bin serving one database over HTTP; use as a context manager."""

    def __init__(self, cfg, database, port, log_file, workers=0, replica=None):
        self.cfg, self.database, self.port = cfg, database, port
        self.log_file = Path(log_file)
        self.url = f"http://127.0.0.1:{port}"
        cmd = harness.odoo_cmd(cfg, database, f"--http-port={port}")
        cmd.remove("--stop-after-init")
        cmd.remove("--workers=0")
        cmd += [
            f"--workers={workers}",
            f"--gevent-port={harness.free_port()}",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=info",
            "--log-handler=werkzeug:WARNING",
            f"--logfile={self.log_file}",
        ]
        if replica:
            cmd += [
                f"--db_replica_host={replica['REPLICA_HOST']}",
                f"--db_replica_port={replica['REPLICA_PORT']}",
            ]
        self.cmd = cmd
        self.process = None

    def __enter__(self):
        self.log_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            self.cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"odoo stopped at start:\n{self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit(f"odoo did not answer on {self.url}:\n{self.log()[-3000:]}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Stop the server and its workers: the process group it leads."""
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Workers still finishing a request die with their master's group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log(self):
        if not self.log_file.exists():
            return ""
        return self.log_file.read_text("utf-8", errors="replace")

    def error_lines(self):
        """(ERROR lines of concurrency conflicts Odoo retried, other ERROR lines).

        Two transactions updating the same row: PostgreSQL refuses the second
        (could not serialize, deadlock), Odoo logs the query and plays the
        request again (odoo.service.model, up to 5 times).
        """
        lines = self.log().splitlines()
        conflicts, others = [], []
        for index, line in enumerate(lines):
            if " ERROR " not in line and " CRITICAL " not in line:
                continue
            following = "\n".join(lines[index : index + 8])
            if "odoo.sql_db: bad query" in line and (
                "could not serialize" in following or "deadlock detected" in following
            ):
                conflicts.append(line)
            else:
                others.append(line)
        return conflicts, others

    def log_lines(self, *needles):
        return [
            line
            for line in self.log().splitlines()
            if any(needle in line for needle in needles)
        ]


class RpcError(Exception):
    pass


class RpcClient:
    """A web client's session: JSON-RPC as the browser sends it."""

    def __init__(self, url, database, login, password, timeout=600):
        self.url, self.timeout = url, timeout
        self.session = requests.Session()
        self.uid = self._post(
            "/web/session/authenticate",
            {"db": database, "login": login, "password": password},
        )["uid"]

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=self.timeout,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RpcError(data.get("message") or body["error"].get("message"))
        return body["result"]

    def json(self, path, **params):
        return self._post(path, params)

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path):
        response = self.session.get(self.url + path, timeout=self.timeout)
        response.raise_for_status()
        return response


def search_enquiry_list(client, domain, specification=None):
    """One page of the Serial Numbers list, as the web client asks for it."""
    return client.call(
        "stock.lot",
        "web_search_read",
        domain=domain,
        specification=ENQUIRY_LIST_SPEC if specification is None else specification,
        limit=80,
        order=ENQUIRY_LIST_ORDER,
        count_limit=10001,
        context={"display_complete": True},
    )


class ReplicaProbe:
    """What the replica served to one database, from its own statistics.

    The standby's statistics count its own sessions only: transactions
    committed there were served by the replica. pg_stat_activity shows, as
    soon as it happens, which of its sessions on the database ran a statement.
    """

    def __init__(self, cfg, replica, database):
        self.database = database
        self.connection = connect(cfg, replica=replica)
        self.connection.autocommit = True
        self.log_path = Path(replica.get("REPLICA_LOG", "/nonexistent"))
        self.log_offset = self._log_size()

    def _query(self, sql, *params):
        with self.connection.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchone()

    def close(self):
        self.connection.close()

    def in_recovery(self):
        return self._query("SELECT pg_is_in_recovery()")[0]

    def now(self):
        return self._query("SELECT clock_timestamp()")[0]

    def xact_commit(self):
        return self._query(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s",
            self.database,
        )[0]

    def settled_xact_commit(self, timeout=15):
        """xact_commit once the sessions have reported theirs (idle sessions
        report at most every 10 s)."""
        value, stable_since = self.xact_commit(), time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(1)
            current = self.xact_commit()
            if current != value:
                value, stable_since = current, time.monotonic()
            elif time.monotonic() - stable_since >= 11:
                break
        return value

    def sessions_active_since(self, moment):
        """Replica sessions on the database that ran a statement since then."""
        return self._query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND backend_type = 'client backend' AND state_change >= %s",
            self.database,
            moment,
        )[0]

    def sessions(self):
        return self._query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND backend_type = 'client backend'",
            self.database,
        )[0]

    def _log_size(self):
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def refusals(self):
        """Statements the replica refused for this database since the start."""
        try:
            with open(self.log_path, "rb") as log_file:
                log_file.seek(self.log_offset)
                text = log_file.read().decode("utf-8", errors="replace")
        except OSError:
            return []
        return [
            line
            for line in text.splitlines()
            if REPLICA_REFUSAL in line and f"@{self.database} " in line
        ]


# ---------------------------------------------------------------------------
# Data builders, run inside Odoo: `env` is an odoo.api.Environment
# ---------------------------------------------------------------------------


def serial_product_vals(name, **values):
    """The values of a storable product tracked by unique serial."""
    return {
        "name": name,
        "type": "consu",
        "is_storable": True,
        "tracking": "serial",
        **values,
    }


def serial_picking(
    env, picking_type, product, source, destination, serials, partner=None, confirm=True
):
    """A transfer of one product, not validated: one move, one picked move line
    of one unit per serial (a name to receive, or a stock.lot record).

    confirm: the transfer is confirmed first and the move lines Odoo made for
    it replaced; otherwise it stays a draft holding only these lines.
    """
    from odoo import Command  # noqa: PLC0415  (only where Odoo runs)

    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            **({"partner_id": partner.id} if partner else {}),
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": len(serials),
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )
    if confirm:
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
    env["stock.move.line"].create(
        [
            {
                "picking_id": picking.id,
                "move_id": picking.move_ids.id,
                "product_id": product.id,
                **(
                    {"lot_name": serial}
                    if isinstance(serial, str)
                    else {"lot_id": serial.id}
                ),
                "quantity": 1,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "picked": True,
            }
            for serial in serials
        ]
    )
    return picking


def invoice_vals(partner_id, product_id, lot_ids, invoice_date):
    """A customer invoice of one line selling these serials, 100.0 each unit.

    Commands as lists, as JSON-RPC carries them (the ORM takes them alike):
    used in Odoo and by the load run's clients.
    """
    return {
        "move_type": "out_invoice",
        "partner_id": partner_id,
        "invoice_date": invoice_date,
        "invoice_line_ids": [
            [
                0,
                0,
                {
                    "product_id": product_id,
                    "quantity": len(lot_ids),
                    "price_unit": 100.0,
                    "lot_ids": [[6, 0, lot_ids]],
                },
            ]
        ],
    }


# ---------------------------------------------------------------------------
# bench/README.md: one section per benchmark
# ---------------------------------------------------------------------------


def machine_line(extra=""):
    """Date, CPU and Python of this run, for the reader of the figures."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"## Last run: {now}\n\n"
        f"Machine: nproc {os.cpu_count()}, {cpu}; Python {platform.python_version()}"
        f"{extra}.\n\n"
    )


def write_section(name, text):
    """Replace (or append) the section ``name`` of bench/README.md with ``text``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{text.strip()}\n{end}\n"
    current = README.read_text("utf-8") if README.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = (current.rstrip("\n") + "\n\n" if current else "") + section
    README.write_text(current, encoding="utf-8")
    return README
