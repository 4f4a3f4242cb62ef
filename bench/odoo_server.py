# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real Odoo server on a throw-away database, its replica, and a client.

Shared by bench/replica_check.py and bench/bench_load.py:

- ``prepare_database``: a database made from the test template
  (tools/odoo_tests.py), the addon installed, data of bench/load_data.py;
- ``ensure_replica``: the streaming replica of tools/replica.sh, started when
  not running (the caller learns whether it started it);
- ``OdooServer``: ``odoo-bin`` serving HTTP on a free port, read-only requests
  sent to the replica (``--db_replica_host``/``--db_replica_port``), its log
  in a file; stopped (its own process group) on exit;
- ``RpcClient``: a web client's session (``/web/session/authenticate``, then
  ``/web/dataset/call_kw``, whose read-only methods Odoo serves on the replica);
- ``ReplicaProbe``: what the replica saw, read from its statistics.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import harness  # noqa: E402

# How a hidden write shows: odoo/http.py serves the request again read/write,
# and the replica refuses the statement.
RETRY_WARNING = "retrying with a read/write cursor"
FALLBACK_WARNING = "Failed to open a readonly cursor"
REPLICA_REFUSAL = "read-only transaction"


def log(prefix, message):
    print(f"[{prefix}] {message}", flush=True)


def run_checked(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        sys.exit(
            f"command failed: {' '.join(cmd[:6])}...\n"
            + result.stdout[-3000:]
            + result.stderr[-3000:]
        )
    return result


def prepare_database(cfg, database, serials, customers, report_port):
    """Template copy, addon installed, bench/load_data.py run: its JSON."""
    harness.drop_database(cfg, database)
    subprocess.run(
        ["createdb", "-T", harness.ensure_template(cfg), database],
        env=harness.pg_env(cfg),
        check=True,
    )
    run_checked(
        harness.odoo_cmd(
            cfg,
            database,
            "-i",
            cfg["MODULE"],
            f"--http-port={harness.free_port()}",
            "--log-level=warn",
        )
    )
    script = (REPO / "bench" / "load_data.py").read_text("utf-8")
    result = run_checked(
        [
            f"{cfg['VENV']}/bin/python",
            f"{cfg['ODOO_SRC']}/odoo-bin",
            "shell",
            "-c",
            cfg["ODOO_CONF"],
            "-d",
            database,
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        env=dict(
            os.environ,
            PST_SERIALS=str(serials),
            PST_CUSTOMERS=str(customers),
            PST_REPORT_URL=f"http://127.0.0.1:{report_port}",
        ),
    )
    for line in result.stdout.splitlines():
        if line.startswith("PST_DATA "):
            return json.loads(line[len("PST_DATA ") :])
    sys.exit("bench/load_data.py printed no data:\n" + result.stdout[-3000:])


def read_replica_env(cfg):
    path = Path(cfg["STATE"], "replica.env")
    return harness.read_env(path) if path.exists() else None


def ensure_replica(cfg):
    """(replica settings, whether this call started it)."""
    status = subprocess.run(
        ["bash", str(REPO / "tools" / "replica.sh"), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    running = status.returncode == 0 and read_replica_env(cfg) is not None
    subprocess.run(["bash", str(REPO / "tools" / "replica.sh"), "start"], check=True)
    return read_replica_env(cfg), not running


def stop_replica():
    subprocess.run(["bash", str(REPO / "tools" / "replica.sh"), "stop"], check=False)


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


class ReplicaProbe:
    """What the replica served to one database, from its own statistics.

    The standby's statistics count its own sessions only: transactions
    committed there were served by the replica. pg_stat_activity shows, as
    soon as it happens, which of its sessions on the database ran a statement.
    """

    def __init__(self, cfg, replica, database):
        self.database = database
        self.connection = psycopg2.connect(
            host=replica["REPLICA_HOST"],
            port=int(replica["REPLICA_PORT"]),
            user=cfg["PGUSER"],
            password=cfg["PGPASSWORD"],
            dbname="postgres",
        )
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
