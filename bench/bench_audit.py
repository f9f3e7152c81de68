"""Benchmarks of the audit trail: writing it, and reading a grown one (the Historique).

    .venv/bin/python -m bench.bench_audit [--entries 300000]

The trail of the 10× data set is filled with `--entries` entries (a few years of an office's
changes, spread over three users and the audited tables), then:
- writing: 500 coop modifications through the ORM (one flush each, as the forms do), with
  and without the audited mixin's entry (the floor: the same updates with the trail off);
- reading: the first page of every change, filtered by kind, by user, by a month; a coop's
  history; each beside the bare sqlite3 query for the same rows.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300_000)
    args = parser.parse_args()
    path = copy_of(dataset(), "audit.sqlite3")
    db = Database(f"sqlite:///{path}")
    coop_id = fill(db, args.entries)
    with db.engine.connect() as conn:
        ids = [i for (i,) in conn.execute(select(Coop.id).limit(500))]
    rows = []

    ours = measure(lambda: edits(db, ids), repeat=3, warmup=1)
    event.remove(OrmSession, "after_flush", audit.after_flush)
    try:
        bare = measure(lambda: edits(db, ids), repeat=3, warmup=1)
    finally:
        event.listen(OrmSession, "after_flush", audit.after_flush)
    rows.append(("500 coop edits, one transaction each", ours, "the same, trail off", bare, "—"))

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
