# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every Serial Number Enquiry path, served by a real PostgreSQL read replica.

Run by ``make replica`` (after tools/replica.sh has set the replica up) with
the environment file of tools/bootstrap.sh as argument; bench/bench_load.py
runs the same checks on its database before the load.

A throw-away database from the test template gets the addon and the data of
bench/load_data.py; Odoo (2 workers) serves it with ``--db_replica_host`` and
``--db_replica_port`` on the replica. Logged in as a stock user, this script
calls what the web client calls for the enquiry: the action, its views, every
filter of the search view and a few typed searches (``web_search_read``),
every group-by (``web_read_group``), ``name_search``, the enquiry form with
its timeline (``web_read``), the timeline list, and the PDF of the history.

Each call must succeed, run statements on the replica (its sessions on the
database, pg_stat_activity), and leave in Odoo's log no "retrying with a
read/write cursor" (odoo/http.py serving the request again on the primary
after a write on the read-only cursor) nor "Failed to open a readonly cursor";
the replica's log must show no statement refused as a write. Exits 1 if not.
"""

import os
import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import harness  # noqa: E402

ACTION = "product_serial_tracking.stock_lot_enquiry_action"
REPORT = "product_serial_tracking.report_serial_history_document"


log = common.logger("replica check")


# ---------------------------------------------------------------------------
# What the web client asks for, built from the views as it does
# ---------------------------------------------------------------------------


def field_spec(node, model, models):
    """The web client's specification of the fields of a view node."""
    fields_info = models[model]["fields"]
    spec = {}
    for field in node.iter("field"):
        # Fields of a sub-view belong to that view's own specification.
        parent = field.getparent()
        while parent is not None and parent is not node and parent.tag != "field":
            parent = parent.getparent()
        if parent is not None and parent is not node:
            continue
        name = field.get("name")
        info = fields_info.get(name, {})
        if info.get("type") == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info.get("type") in ("one2many", "many2many"):
            sub = next(iter(field.iterchildren("list")), None)
            spec[name] = {
                "fields": field_spec(sub, info["relation"], models)
                if sub is not None
                else {"display_name": {}}
            }
        else:
            spec[name] = {}
    return spec


def search_domains(arch):
    """{filter: domain} of a search view, evaluated as the web client does."""
    from odoo.tools.safe_eval import datetime, dateutil, safe_eval  # noqa: PLC0415

    context = {
        "datetime": datetime,
        "relativedelta": dateutil.relativedelta.relativedelta,
        "context_today": datetime.date.today,
    }
    return {
        node.get("name"): safe_eval(node.get("domain"), context)
        for node in etree.fromstring(arch).iter("filter")
        if node.get("domain")
    }


def group_bys(arch):
    from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415

    return [
        safe_eval(node.get("context"))["group_by"]
        for node in etree.fromstring(arch).iter("filter")
        if "group_by" in (node.get("context") or "")
    ]


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


class Checker:
    """Runs the calls one by one and records, for each, what proves it."""

    def __init__(self, odoo, probe):
        self.odoo, self.probe = odoo, probe
        self.rows = []

    def step(self, label, function):
        warnings_before = len(
            self.odoo.log_lines(common.RETRY_WARNING, common.FALLBACK_WARNING)
        )
        since = self.probe.now()
        started = time.perf_counter()
        error, result = None, None
        try:
            result = function()
        except Exception as exc:  # noqa: BLE001  (reported, then exit 1)
            error = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        # A worker writes its log line as the request ends, before replying.
        warnings = (
            len(self.odoo.log_lines(common.RETRY_WARNING, common.FALLBACK_WARNING))
            - warnings_before
        )
        on_replica = self.probe.sessions_active_since(since)
        ok = error is None and not warnings and on_replica > 0
        self.rows.append((label, ok, on_replica, warnings, elapsed, error))
        return result

    def failures(self):
        return [row for row in self.rows if not row[1]]

    def table(self):
        lines = [
            f"{'enquiry path':<52}{'ok':>4}{'replica sessions':>18}"
            f"{'retries':>9}{'ms':>8}"
        ]
        for label, ok, on_replica, warnings, elapsed, error in self.rows:
            lines.append(
                f"{label:<52}{'yes' if ok else 'NO':>4}{on_replica:>18}"
                f"{warnings:>9}{elapsed:>8.0f}"
            )
            if error:
                lines.append(f"    {error[:300]}")
        return "\n".join(lines)


def run_checks(odoo, client, probe, data):
    """Call every enquiry path as the web client does; return the Checker."""
    check = Checker(odoo, probe)
    examples = data["examples"]
    action = check.step(
        "/web/action/load (enquiry action)",
        lambda: client.json("/web/action/load", action_id=ACTION),
    )
    views = [[view_id, mode] for view_id, mode in (action or {}).get("views", [])]
    search_view = (action or {}).get("search_view_id") or [False]
    views.append([search_view[0], "search"])
    loaded = check.step(
        "get_views (list, form, search)",
        lambda: client.call(
            "stock.lot",
            "get_views",
            views=views,
            options={"action_id": (action or {}).get("id"), "load_filters": True},
        ),
    )
    if not loaded:
        return check
    models = loaded["models"]
    list_arch = etree.fromstring(loaded["views"]["list"]["arch"])
    list_spec = field_spec(list_arch, "stock.lot", models)
    search_arch = loaded["views"]["search"]["arch"]
    domains = search_domains(search_arch)
    customer = client.call("res.partner", "read", [data["customer_ids"][0]], ["name"])[
        0
    ]["name"]
    domains |= {
        "typed: part of a serial": [("name", "ilike", "LOAD-0000")],
        "typed: customer": [("customer_id", "ilike", customer)],
        "typed: invoice number": [("invoice_number", "ilike", "INV")],
        "typed: reference": [
            "|",
            ("ref", "ilike", "WH/"),
            ("history_ids.reference", "ilike", "WH/"),
        ],
        "typed: product": [("product_id", "ilike", "Load Laptop")],
    }
    found = {}
    for name, domain in domains.items():
        result = check.step(
            f"web_search_read {name}",
            lambda domain=domain: common.search_enquiry_list(client, domain, list_spec),
        )
        found[name] = {record["id"] for record in (result or {}).get("records", [])}
    for group_by in group_bys(search_arch):
        check.step(
            f"web_read_group by {group_by}",
            lambda group_by=group_by: client.call(
                "stock.lot",
                "web_read_group",
                domain=[],
                fields=[],
                groupby=[group_by],
                lazy=True,
            ),
        )
    check.step(
        "name_search LOAD-0000",
        lambda: client.call("stock.lot", "name_search", name="LOAD-0000", limit=8),
    )
    opened = check.step(
        "call_button action_serial_enquiry (row menu)",
        lambda: client.json(
            "/web/dataset/call_button/stock.lot/action_serial_enquiry",
            model="stock.lot",
            method="action_serial_enquiry",
            args=[[examples["invoiced"]]],
            kwargs={},
        ),
    )
    enquiry_form = dict((mode, vid) for vid, mode in (opened or {}).get("views", []))
    for label, view_id in (
        ("enquiry form", enquiry_form.get("form")),
        ("action's form", dict((mode, vid) for vid, mode in views).get("form")),
    ):
        form = check.step(
            f"get_views {label}",
            lambda view_id=view_id: client.call(
                "stock.lot", "get_views", views=[[view_id, "form"]], options={}
            ),
        )
        if not form:
            continue
        spec = field_spec(
            etree.fromstring(form["views"]["form"]["arch"]), "stock.lot", form["models"]
        )
        records = check.step(
            f"web_read {label} (with its timeline)",
            lambda spec=spec: client.call(
                "stock.lot", "web_read", [examples["invoiced"]], specification=spec
            ),
        )
        if records and "history_ids" in spec:
            kinds = [event.get("kind") for event in records[0]["history_ids"]]
            found[f"{label} timeline"] = kinds
    history = check.step(
        "get_views timeline list (stock.lot.history)",
        lambda: client.call(
            "stock.lot.history", "get_views", views=[[False, "list"]], options={}
        ),
    )
    if history:
        history_spec = field_spec(
            etree.fromstring(history["views"]["list"]["arch"]),
            "stock.lot.history",
            history["models"],
        )
        check.step(
            "web_search_read timeline",
            lambda: client.call(
                "stock.lot.history",
                "web_search_read",
                domain=[("lot_id", "=", examples["invoiced"])],
                specification=history_spec,
            ),
        )
    pdf_ids = [examples[key] for key in ("invoiced", "written_off", "expiring")]
    pdf = check.step(
        "PDF /report/pdf/...report_serial_history_document",
        lambda: client.get(f"/report/pdf/{REPORT}/{','.join(map(str, pdf_ids))}"),
    )
    # The calls must also have found what the data holds (among the serials
    # of the data: the template's demo data has its own).
    ours = set(data["lot_ids"]) | {
        examples[key]
        for key in ("invoiced", "written_off", "expiring", "to_investigate")
    }
    found = {
        name: ids & ours if isinstance(ids, set) else ids for name, ids in found.items()
    }
    expected = {
        "in_stock": lambda ids: ids
        and not ids & {examples["invoiced"], examples["written_off"]},
        "delivered": lambda ids: ids == {examples["invoiced"]},
        "written_off": lambda ids: ids == {examples["written_off"]},
        "to_investigate": lambda ids: ids == {examples["to_investigate"]},
        "expiring_soon": lambda ids: ids == {examples["expiring"]},
        "typed: customer": lambda ids: ids == {examples["invoiced"]},
        "typed: invoice number": lambda ids: ids == {examples["invoiced"]},
        "enquiry form timeline": lambda kinds: kinds == ["receipt", "invoice"],
    }
    for name, holds in expected.items():
        if name not in found or not holds(found[name]):
            check.rows.append((f"found: {name}", False, 0, 0, 0, str(found.get(name))))
    if pdf is not None and not pdf.content.startswith(b"%PDF"):
        check.rows.append(("PDF is a PDF", False, 0, 0, 0, pdf.content[:200]))
    return check


def prove(cfg, odoo, probe, data, prefix="replica check"):
    """Run the checks and the replica-wide proofs; (ok, report text)."""
    commits_before = probe.settled_xact_commit()
    client = common.RpcClient(odoo.url, odoo.database, "pst_reader", "pst_reader")
    check = run_checks(odoo, client, probe, data)
    commits_after = probe.settled_xact_commit()
    retries = odoo.log_lines(common.RETRY_WARNING, common.FALLBACK_WARNING)
    refusals = probe.refusals()
    served = commits_after - commits_before
    lines = [
        check.table(),
        "",
        f"replica in recovery (hot standby): {probe.in_recovery()}",
        f"transactions committed on the replica for {odoo.database} during the "
        f"checks: {served} (pg_stat_database.xact_commit {commits_before} -> "
        f"{commits_after})",
        f'Odoo log lines "{common.RETRY_WARNING}" or '
        f'"{common.FALLBACK_WARNING}": {len(retries)}',
        f'replica log statements refused ("{common.REPLICA_REFUSAL}"): '
        f"{len(refusals)}",
    ]
    lines += [f"  {line[:300]}" for line in (retries + refusals)[:10]]
    ok = not check.failures() and served > 0 and not retries and not refusals
    lines.append(
        f"{len(check.rows) - len(check.failures())}/{len(check.rows)} enquiry paths "
        "served by the replica without a write: " + ("OK" if ok else "FAILED")
    )
    return ok, "\n".join(lines)


def main():
    cfg = harness.read_env(sys.argv[1])
    sys.path.insert(0, cfg["ODOO_SRC"])  # safe_eval, as the web client evaluates
    replica, _started = common.ensure_replica(cfg)
    database = f"pst_replica_check_{os.getpid()}"
    port = harness.free_port()
    log(f"database {database}: addon and data (a minute)")
    try:
        data = common.prepare_database(cfg, database, 40, 5, port)
        common.wait_replayed(cfg, replica)
        log_file = Path(cfg["STATE"], "replica_check_odoo.log")
        log(
            f"odoo --workers=2 on port {port}, replica "
            f"{replica['REPLICA_HOST']}:{replica['REPLICA_PORT']} (log: {log_file})"
        )
        with common.OdooServer(
            cfg, database, port, log_file, workers=2, replica=replica
        ) as odoo:
            probe = common.ReplicaProbe(cfg, replica, database)
            try:
                ok, report = prove(cfg, odoo, probe, data)
            finally:
                probe.close()
    finally:
        harness.drop_database(cfg, database)
    print(report, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
