"""Benchmarks of the audit trail: writing it, and reading a grown one (the Historique).

    .venv/bin/python -m bench.bench_audit [--entries 300000] [--no-writing]

The trail of the 10× data set is filled with `--entries` entries (a few years of an office's
changes, spread over three users and the audited tables), then:
- writing, each beside the same work with the trail off (no session event, no entry written
  by the core statements), interleaved so that the machine's noise hits both alike:
  500 coop modifications through the ORM (one transaction each, as the forms do), a batch
  of 500 tax receipts (issue + one PDF), the import of the 6 250-coop register;
- reading: the first page of every change, filtered by kind, by user, by a month; a coop's
  history; each beside the bare sqlite3 query for the same rows.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session as OrmSession

from bench.common import copy_of, dataset, measure, print_table
from occe_bureau import audit, safety
from occe_bureau.audit import AuditEntry
from occe_bureau.coops import Coop
from occe_bureau.db import Database

TABLES = ("coop", "coop_year", "item", "loan", "loan_line", "donor", "donation", "tax_receipt")


def fill(db: Database, count: int) -> int:
    rng = random.Random(9)
    start = datetime(2023, 9, 1, tzinfo=UTC)
    with db.engine.begin() as conn:
        coop_ids = [i for (i,) in conn.execute(select(Coop.id))]
        rows = []
        for n in range(count):
            table = rng.choice(TABLES)
            rows.append({
                "at": start + timedelta(minutes=5 * n), "user_name": rng.choice(("secretariat",
                                                                                  "animatrice", "tresorier")),
                "workstation": "POSTE-1", "table_name": table,
                "record_id": str(rng.choice(coop_ids) if table == "coop" else rng.randint(1, 50000)),
                "owner_table": None, "owner_id": None, "action": "modification",
                "title": f"Fiche {n}", "before": json.dumps({"name": "Avant"}),
                "after": json.dumps({"name": "Après"})})
            if len(rows) == 5000:
                conn.execute(insert(AuditEntry.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(AuditEntry.__table__), rows)
    return coop_ids[0]


def edits(db: Database, ids: list[int]) -> None:
    for n, cid in enumerate(ids):
        with db.transaction() as session:
            coop = session.get(Coop, cid)
            coop.notes = f"note {n} {random.random()}"


@contextmanager
def trail_off():
    """The same code with no audit trail: no session event, core entries not written."""
    event.remove(OrmSession, "after_flush", audit.after_flush)
    kept = audit.record_many
    audit.record_many = lambda *_a, **_k: None
    try:
        yield
    finally:
        audit.record_many = kept
        event.listen(OrmSession, "after_flush", audit.after_flush)


def receipt_batch(count: int) -> float:
    """A batch of `count` receipts on a fresh copy of the data set (issue + one PDF), in ms."""
    from bench.bench_receipts import add_pending
    from occe_bureau import clock, gifts

    path = copy_of(dataset(), "audit_batch.sqlite3")
    db = Database(f"sqlite:///{path}")
    today = clock.today()
    add_pending(db, count, today)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=today)
    batch.groups = batch.groups[:count]
    batch.total = len(batch.groups)
    started = time.perf_counter()
    batch.run()
    elapsed = (time.perf_counter() - started) * 1000
    db.dispose()
    return elapsed


def on_and_off(fn, rounds: int = 3) -> tuple[float, float]:
    """Median of fn() with the trail, and without it, alternated."""
    on, off = [], []
    for _ in range(rounds):
        on.append(fn())
        with trail_off():
            off.append(fn())
    return statistics.median(on), statistics.median(off)


def writing_rows() -> list:
    from bench.bench_coops import import_rows

    rows = []
    batch_on, batch_off = on_and_off(lambda: receipt_batch(500))
    rows.append(("batch of 500 receipts (issue + one PDF)", batch_on, "the same, trail off",
                 batch_off, "not noticeably slower"))
    import_on, import_off = on_and_off(lambda: import_rows(dataset())[0], rounds=1)
    rows.append(("import of the 6 250-coop register", import_on, "the same, trail off",
                 import_off, "not noticeably slower"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--no-writing", dest="writing", action="store_false",
                        help="skip the receipts batch and the register import (slow)")
    args = parser.parse_args()
    path = copy_of(dataset(), "audit.sqlite3")
    db = Database(f"sqlite:///{path}")
    coop_id = fill(db, args.entries)
    with db.engine.connect() as conn:
        ids = [i for (i,) in conn.execute(select(Coop.id).limit(500))]
    rows = []

    ours, bare = on_and_off(lambda: measure(lambda: edits(db, ids), repeat=1, warmup=0))
    rows.append(("500 coop edits, one transaction each", ours, "the same, trail off", bare,
                 "not noticeably slower"))
    if args.writing:
        rows += writing_rows()

    def raw(sql: str, *params) -> float:
        def run():
            con = sqlite3.connect(path)
            try:
                con.execute(sql, params).fetchall()
            finally:
                con.close()
        return measure(run, repeat=9)

    columns = "id, at, user_name, workstation, table_name, record_id, action, title, before, after"
    flt = safety.HistoryFilter
    month = (date(2025, 3, 1), date(2025, 3, 31))
    cases = [
        ("every change, first page", flt(), f"SELECT {columns} FROM audit_entry ORDER BY at DESC, "
                                             "id DESC LIMIT 200", ()),
        ("kind « Reçu fiscal », first page", flt(kind="tax_receipt"),
         f"SELECT {columns} FROM audit_entry WHERE table_name = ? ORDER BY at DESC, id DESC LIMIT 200",
         ("tax_receipt",)),
        ("one user, first page", flt(user="tresorier"),
         f"SELECT {columns} FROM audit_entry WHERE user_name = ? ORDER BY at DESC, id DESC LIMIT 200",
         ("tresorier",)),
        ("one month, first page", flt(start=month[0], end=month[1]),
         f"SELECT {columns} FROM audit_entry WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC "
         "LIMIT 200", ("2025-03-01", "2025-04-01")),
    ]
    for name, f, sql, params in cases:
        rows.append((name, measure(lambda f=f: safety.history_page(db, f), repeat=9), "sqlite3, same rows",
                     raw(sql, *params), "< 100 ms"))
    rows.append(("a coop's history", measure(lambda: safety.record_history(db, "coop", coop_id), repeat=9),
                 "sqlite3, same rows", raw(f"SELECT {columns} FROM audit_entry WHERE (table_name = 'coop' "
                                           "AND record_id = ?) OR (owner_table = 'coop' AND owner_id = ?) "
                                           "ORDER BY id", str(coop_id), str(coop_id)), "< 50 ms"))
    print_table(f"Audit trail ({args.entries:,} entries on the 10× data set)".replace(",", " "), rows)
    db.dispose()


if __name__ == "__main__":
    main()
