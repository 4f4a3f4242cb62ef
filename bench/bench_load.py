# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load run: invoices of serials posted while others search the enquiry.

Run by tools/bench.sh (``make bench``) with the environment file of
tools/bootstrap.sh as argument.

1. The streaming replica of tools/replica.sh is set up (started here when it
   is not running, and stopped again at the end); ``LOAD_REPLICA=0`` runs
   without it.
2. A throw-away database from the test template gets, before the addon,
   ``LOAD_BACKGROUND`` (200,000) serials of bench/serial_data.py in bulk (the
   formats, receipts and deliveries of the enquiry's bench; 0: none); then the
   addon is installed on them as a user would, and bench/load_data.py adds
   ``LOAD_SERIALS`` (3,000) serials of one product received in stock (named in
   the same formats), 50 customers, a stock user and an invoicing user.
3. Odoo serves it with ``--workers=2 --max-cron-threads=0``, its read-only
   requests on the replica. The read-only proof of bench/replica_check.py runs
   first on this server (every enquiry path on the replica, no write).
4. For ``LOAD_SECONDS`` (60) seconds, ``LOAD_WRITERS`` (3) clients each create a
   customer invoice of ``LOAD_SERIALS_PER_INVOICE`` (3) serials taken from their
   own pool (the pools are disjoint: no double sale is expected) and post it,
   over JSON-RPC as the web client does (``call_kw`` create, ``call_button``
   action_post); ``LOAD_READERS`` (3) clients search the enquiry list
   (``web_search_read`` with the domain its search view gives for what is
   typed: an exact serial, its start, 7 characters of its middle, 3
   characters; the In Stock filter; a customer).
   Every request's latency is recorded.
5. Afterwards the database is checked: each posted invoice's serials delivered
   exactly once (one done move line to the customer, none left in stock, one
   at the customer), no serial on two posted invoices, no serial lost (serials
   posted = serials at customers; in stock = initial - posted), invoices in
   the database = successful posts, and the enquiry's facts agree.

Prints a table (requests/s, p50/p95/p99 per kind, errors) and writes it in
the ``bench_load`` section of bench/README.md. Exits 1 on any error, lost or
duplicated serial, or request served again on the primary after a write.
"""

import datetime
import os
import random
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import replica_check  # noqa: E402
from common import harness, machine_line, write_section  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
SERIALS = int(os.environ.get("LOAD_SERIALS", "3000"))
WRITERS = int(os.environ.get("LOAD_WRITERS", "3"))
READERS = int(os.environ.get("LOAD_READERS", "3"))
PER_INVOICE = int(os.environ.get("LOAD_SERIALS_PER_INVOICE", "3"))
CUSTOMERS = 50
BACKGROUND = int(os.environ.get("LOAD_BACKGROUND", "200000"))
WORKERS = 2
USE_REPLICA = os.environ.get("LOAD_REPLICA", "1") != "0"

KINDS = [
    "invoice create",
    "invoice post",
    "search exact",
    "search prefix",
    "search 7 chars",
    "search 3 chars",
    "search in stock",
    "search customer",
]
SEARCHES = KINDS[2:]
SEARCH_VIEW = "product_serial_tracking.stock_lot_enquiry_view_search"


log = common.logger("bench load")


class Recorder:
    """Latencies and errors of every request, from every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(list)
        self.posted = {}  # invoice id: serial ids
        self.created_unposted = []

    def timed(self, kind, function):
        started = time.perf_counter()
        try:
            result = function()
        except Exception as exc:  # noqa: BLE001  (counted, the run fails)
            with self.lock:
                self.errors[kind].append(f"{type(exc).__name__}: {exc}"[:500])
            return None, False
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies[kind].append(elapsed)
        return result, True


def writer(odoo, data, pool, deadline, recorder, index):
    client = common.RpcClient(odoo.url, odoo.database, "pst_writer", "pst_writer")
    customers = data["customer_ids"]
    today = datetime.date.today().isoformat()
    position, round_index = 0, 0
    while time.monotonic() < deadline and position + PER_INVOICE <= len(pool):
        lots = pool[position : position + PER_INVOICE]
        position += PER_INVOICE
        partner = customers[(index + round_index * WRITERS) % len(customers)]
        round_index += 1
        vals = common.invoice_vals(partner, data["product_id"], lots, today)
        invoice_ids, ok = recorder.timed(
            "invoice create",
            lambda vals=vals: client.call(
                "account.move",
                "create",
                [vals],
                context={"default_move_type": "out_invoice"},
            ),
        )
        if not ok:
            continue
        (invoice_id,) = invoice_ids
        _result, ok = recorder.timed(
            "invoice post",
            lambda invoice_id=invoice_id: client.json(
                "/web/dataset/call_button/account.move/action_post",
                model="account.move",
                method="action_post",
                args=[[invoice_id]],
                kwargs={},
            ),
        )
        with recorder.lock:
            if ok:
                recorder.posted[invoice_id] = lots
            else:
                recorder.created_unposted.append(invoice_id)


def serial_domain(client):
    """What the enquiry's search view makes of a serial typed in its search
    box (its filter_domain), as a function of the text."""
    from lxml import etree  # noqa: PLC0415

    from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415

    loaded = client.call(
        "stock.lot",
        "get_views",
        [[False, "search"]],
        options={"action_id": False},
        context={"search_view_ref": SEARCH_VIEW},
    )
    arch = etree.fromstring(loaded["views"]["search"]["arch"])
    # The first serial field: what Enter searches for the text typed.
    node = arch.xpath("//field[@name='name']")[0]
    filter_domain = node.get("filter_domain") or "[('name', 'ilike', self)]"
    return lambda typed: safe_eval(filter_domain, {"self": typed})


def reader(odoo, data, deadline, recorder, index):
    client = common.RpcClient(odoo.url, odoo.database, "pst_reader", "pst_reader")
    rng = random.Random(index)
    typed = data["typed"]
    serial = serial_domain(client)
    searches = [
        ("search exact", lambda: serial(typed["exact"])),
        ("search prefix", lambda: serial(typed["prefix"])),
        ("search 7 chars", lambda: serial(typed["middle"])),
        ("search 3 chars", lambda: serial(typed["three"])),
        ("search in stock", lambda: [("serial_state", "=", "in_stock")]),
        (
            "search customer",
            lambda: [
                ("customer_id", "ilike", f"Load Customer {rng.randrange(50):03d}")
            ],
        ),
    ]
    turn = index
    while time.monotonic() < deadline:
        kind, make_domain = searches[turn % len(searches)]
        turn += 1
        domain = make_domain()
        recorder.timed(
            kind,
            lambda domain=domain: common.search_enquiry_list(client, domain),
        )


def run_load(odoo, data):
    recorder = Recorder()
    lots = data["lot_ids"]
    pools = [lots[index::WRITERS] for index in range(WRITERS)]  # disjoint
    started = time.monotonic()
    deadline = started + SECONDS
    threads = [
        threading.Thread(
            target=writer, args=(odoo, data, pools[index], deadline, recorder, index)
        )
        for index in range(WRITERS)
    ] + [
        threading.Thread(target=reader, args=(odoo, data, deadline, recorder, index))
        for index in range(READERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - started


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


# ---------------------------------------------------------------------------
# After the run: the database must agree with what the clients were told
# ---------------------------------------------------------------------------


def check_database(cfg, database, data, recorder):
    """[(check, ok, detail)] from the primary, after the run."""
    posted = recorder.posted
    sold = [lot for lots in posted.values() for lot in lots]
    pool = data["lot_ids"]
    connection = common.connect(cfg, database)
    try:
        with connection.cursor() as cr:

            def rows(sql, *params):
                cr.execute(sql, params)
                return cr.fetchall()

            invoices = rows(
                "SELECT id, state FROM account_move WHERE move_type = 'out_invoice' "
                "AND partner_id = ANY(%s) AND id <> %s",
                data["customer_ids"],
                data["examples"]["invoice"],
            )
            db_posted = {row[0] for row in invoices if row[1] == "posted"}
            invoice_lots = rows(
                "SELECT rel.lot_id, count(DISTINCT line.move_id) "
                "FROM account_move_line_stock_lot_rel rel "
                "JOIN account_move_line line ON line.id = rel.move_line_id "
                "JOIN account_move move ON move.id = line.move_id "
                "WHERE move.state = 'posted' AND rel.lot_id = ANY(%s) "
                "GROUP BY rel.lot_id",
                pool,
            )
            deliveries = dict(
                rows(
                    "SELECT line.lot_id, count(*) FROM stock_move_line line "
                    "JOIN stock_location destination "
                    "ON destination.id = line.location_dest_id "
                    "WHERE line.state = 'done' AND destination.usage = 'customer' "
                    "AND line.lot_id = ANY(%s) GROUP BY line.lot_id",
                    pool,
                )
            )
            quants = {
                lot: (internal, customer)
                for lot, internal, customer in rows(
                    "SELECT quant.lot_id, "
                    "COALESCE(SUM(quant.quantity) "
                    "FILTER (WHERE location.usage = 'internal'), 0), "
                    "COALESCE(SUM(quant.quantity) "
                    "FILTER (WHERE location.usage = 'customer'), 0) "
                    "FROM stock_quant quant JOIN stock_location location "
                    "ON location.id = quant.location_id "
                    "WHERE quant.lot_id = ANY(%s) GROUP BY quant.lot_id",
                    pool,
                )
            }
            # The facts on stock_lot, or in their own table (issue 14).
            (facts_table,) = rows("SELECT to_regclass('stock_serial_facts')")[0]
            facts = dict(
                rows(
                    "SELECT lot_id, serial_state FROM stock_serial_facts "
                    "WHERE lot_id = ANY(%s)"
                    if facts_table
                    else "SELECT id, serial_state FROM stock_lot WHERE id = ANY(%s)",
                    pool,
                )
            )
    finally:
        connection.close()

    sold_set = set(sold)
    at_customer = {lot for lot, (_i, customer) in quants.items() if customer == 1}
    in_stock = {lot for lot, (internal, _c) in quants.items() if internal == 1}
    bad_sold = [
        lot for lot in sold_set if deliveries.get(lot) != 1 or quants.get(lot) != (0, 1)
    ]
    on_two_invoices = [lot for lot, count in invoice_lots if count > 1]
    return [
        (
            "invoices posted in the database = successful posts",
            db_posted == set(posted),
            f"{len(db_posted)} in the database, {len(posted)} posts answered",
        ),
        (
            "no invoice left in draft by a failed post",
            not recorder.created_unposted and len(invoices) == len(db_posted),
            f"{len(invoices) - len(db_posted)} not posted",
        ),
        (
            "no serial sold twice by the clients",
            len(sold) == len(sold_set),
            f"{len(sold) - len(sold_set)} sold twice",
        ),
        (
            "no serial on two posted invoices",
            not on_two_invoices,
            f"{len(on_two_invoices)} on two",
        ),
        (
            "each sold serial delivered once: 1 done line to the customer, "
            "0 in stock, 1 at the customer",
            not bad_sold,
            f"{len(sold_set) - len(bad_sold)}/{len(sold_set)} right",
        ),
        (
            "serials posted = serials at customers",
            at_customer == sold_set,
            f"{len(sold_set)} posted, {len(at_customer)} at customers",
        ),
        (
            "serials in stock = initial - posted",
            in_stock == set(pool) - sold_set,
            f"{len(pool)} - {len(sold_set)} = {len(pool) - len(sold_set)}, "
            f"{len(in_stock)} in stock",
        ),
        (
            "enquiry facts: sold serials delivered, the others in stock",
            all(
                facts.get(lot) == ("delivered" if lot in sold_set else "in_stock")
                for lot in pool
            ),
            f"{sum(1 for lot in sold_set if facts.get(lot) == 'delivered')} "
            "delivered",
        ),
    ]


def main():
    cfg = common.pinned_cfg(harness.read_env(sys.argv[1]))
    sys.path.insert(0, cfg["ODOO_SRC"])  # safe_eval, for the read-only proof
    replica, started_replica = (None, False)
    if USE_REPLICA:
        replica, started_replica = common.ensure_replica(cfg)
    database = f"pst_bench_load_{os.getpid()}"
    port = harness.free_port()
    try:
        log(
            f"database {database}: {BACKGROUND:,} serials in bulk, the addon "
            f"installed, {SERIALS:,} serials received (minutes)"
        )
        prepared = time.monotonic()
        data = common.prepare_database(
            cfg, database, SERIALS, CUSTOMERS, port, background=BACKGROUND
        )
        log(f"ready in {time.monotonic() - prepared:.0f}s")
        if replica:
            common.wait_replayed(cfg, replica)
        log_file = Path(cfg["STATE"], "bench_load_odoo.log")
        with common.OdooServer(
            cfg, database, port, log_file, workers=WORKERS, replica=replica
        ) as odoo:
            proof_ok, proof = True, "no replica"
            probe = common.ReplicaProbe(cfg, replica, database) if replica else None
            try:
                if probe:
                    log("read-only proof on the replica (bench/replica_check.py)")
                    proof_ok, proof = replica_check.prove(cfg, odoo, probe, data)
                    print(proof, flush=True)
                    commits_before = probe.settled_xact_commit()
                log(
                    f"load: {WRITERS} writers, {READERS} readers, {SECONDS:.0f}s, "
                    f"odoo --workers={WORKERS} (log: {log_file})"
                )
                recorder, elapsed = run_load(odoo, data)
                replica_commits = None
                if probe:
                    replica_commits = probe.settled_xact_commit() - commits_before
                    refusals = probe.refusals()
                else:
                    refusals = []
            finally:
                if probe:
                    probe.close()
            retries = odoo.log_lines(common.RETRY_WARNING, common.FALLBACK_WARNING)
            conflicts, tracebacks = odoo.error_lines()
            retried = odoo.log_lines("tries left, try again")
        log("checking the database")
        checks = check_database(cfg, database, data, recorder)
    finally:
        harness.drop_database(cfg, database)
        if started_replica:
            log("stopping the replica this run started")
            common.stop_replica()

    output, verdict = report(
        recorder,
        elapsed,
        checks,
        replica,
        replica_commits,
        retries,
        refusals,
        (conflicts, retried, tracebacks),
        proof_ok,
        proof,
    )
    print(output, flush=True)
    replica_text = (
        [
            "- its read-only requests (searches, reads, the PDF) on a streaming",
            "  replica: tools/replica.sh (`make replica`), `pg_basebackup -R -X "
            "stream`, hot",
            f"  standby on {replica['REPLICA_HOST']}:{replica['REPLICA_PORT']}, "
            "`--db_replica_host/--db_replica_port`;",
        ]
        if replica
        else ["- no replica (`LOAD_REPLICA=0`);"]
    )
    text = [
        "# Load run: posting invoices of serials while others search the enquiry",
        "",
        "`make bench` ends with `bench/bench_load.py`:",
        "",
        "- a throw-away database from the test template: "
        f"{BACKGROUND:,} serials of bench/serial_data.py",
        "  in bulk (real formats, receipts, deliveries, one product of many "
        "serials in stock),",
        "  the addon installed on them, then "
        f"{SERIALS:,} serials of one product received in",
        f"  stock (the same formats), {CUSTOMERS} customers;",
        f"- Odoo with `--workers={WORKERS} --max-cron-threads=0`;",
        *replica_text,
        f"- for {SECONDS:.0f} s, {WRITERS} writer clients each create a customer "
        f"invoice of {PER_INVOICE}",
        "  serials from their own (disjoint) pool and post it (JSON-RPC `call_kw`",
        f"  create, `call_button` action_post), while {READERS} reader clients "
        "search the",
        "  Serial Numbers list (`web_search_read`, the search view's domain "
        "for what is typed:",
        "  an exact serial, its start, 7 characters of its middle, 3 "
        "characters; In Stock; a",
        "  customer); one session each, client threads on the same machine;",
        "- latency per request as the client sees it (queueing for the 2 workers",
        "  included); afterwards the database is checked serial by serial.",
        "",
        "Every sale consumes the oldest stock valuation layer of the product",
        "(Odoo's stock_account, FIFO even at standard cost): two posts at the same",
        "moment update the same row, PostgreSQL refuses the later one and Odoo plays",
        "the request again (counted below). These replays make the tail of the post",
        "latency; no request is lost.",
        "",
    ]
    readme = write_section(
        "bench_load",
        "\n".join(text)
        + "\n"
        + machine_line(
            f"; PostgreSQL 15 on {cfg['PGHOST']}:{cfg['PGPORT']}"
            + (f", replica on port {replica['REPLICA_PORT']}" if replica else "")
            + f"; addon {common.addon_revision(cfg)}"
        )
        + "```\n"
        + output
        + "\n```\n",
    )
    log(f"results written to {readme}")
    return 0 if verdict else 1


def report(
    recorder,
    elapsed,
    checks,
    replica,
    replica_commits,
    retries,
    refusals,
    server_log,
    proof_ok,
    proof,
):
    """The table of the run and its checks: (text, whether all went well)."""
    conflicts, retried, tracebacks = server_log
    lines = [
        f"{'requests':<18}{'count':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    ]
    total = 0
    for kind in KINDS:
        values = recorder.latencies.get(kind, [])
        errors = len(recorder.errors.get(kind, []))
        total += len(values)
        if values:
            lines.append(
                f"{kind:<18}{len(values):>7}{len(values) / elapsed:>8.1f}"
                f"{percentile(values, 0.50):>9.0f}{percentile(values, 0.95):>9.0f}"
                f"{percentile(values, 0.99):>9.0f}{max(values):>9.0f}{errors:>8}"
            )
        else:
            lines.append(
                f"{kind:<18}{0:>7}{'-':>8}{'-':>9}{'-':>9}{'-':>9}{'-':>9}"
                f"{errors:>8}"
            )
    errors = sum(len(values) for values in recorder.errors.values())
    sold = sum(len(lots) for lots in recorder.posted.values())
    lines += [
        f"{'all':<18}{total:>7}{total / elapsed:>8.1f}{'':>36}{errors:>8}",
        "",
        f"duration {elapsed:.1f}s: {len(recorder.posted)} invoices posted "
        f"({len(recorder.posted) / elapsed:.2f}/s), {sold} serials sold "
        f"({sold / elapsed:.1f}/s)",
    ]
    if replica:
        searches = sum(len(recorder.latencies.get(kind, [])) for kind in SEARCHES)
        lines.append(
            f"replica: transactions committed there for the database during the "
            f"load: {replica_commits} (searches answered: {searches})"
        )
        lines.append(
            "read-only proof before the load (bench/replica_check.py): "
            + proof.splitlines()[-1]
        )
    lines.append(
        f'Odoo log "{common.RETRY_WARNING}" / "{common.FALLBACK_WARNING}": '
        f"{len(retries)}; statements refused by the replica: {len(refusals)}"
    )
    lines.append(
        f"concurrent updates of one row refused by PostgreSQL and played again by "
        f"Odoo: {len(conflicts)} ({len(retried)} retries); other ERROR lines in "
        f"Odoo's log: {len(tracebacks)}"
    )
    lines.append("")
    lines += [
        f"{'ok' if ok else 'FAILED':<7}{check}: {detail}"
        for check, ok, detail in checks
    ]
    for kind, messages in recorder.errors.items():
        for message in messages[:3]:
            lines.append(f"error {kind}: {message}")
    for line in (retries + refusals + tracebacks + conflicts[:1])[:5]:
        lines.append(f"log: {line[:300]}")
    verdict = (
        errors == 0
        and all(ok for _c, ok, _d in checks)
        and not retries
        and not refusals
        and not tracebacks
        and proof_ok
    )
    lines.append(
        f"verdict: {'OK' if verdict else 'FAILED'} ({errors} errors, "
        f"{sum(1 for _c, ok, _d in checks if not ok)} failed checks)"
    )
    return "\n".join(lines), verdict


if __name__ == "__main__":
    sys.exit(main())
