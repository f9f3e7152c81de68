"""Benchmarks of the receipt chain on the 10× data set, each beside its floor.

    .venv/bin/python -m bench.bench_chain

- issuing a batch of receipts (numbers, frozen content, lines, gifts claimed, in one
  transaction; CPU time, so that other work on the machine counts less) with the chain,
  against the same issue with the chain step left out;
- verifying the whole chain over 50 000 receipts (the data set's, plus the batch), through
  the application's database and on a bare sqlite3 connection, against bare sqlite3 reading
  the same rows and hashing each with hashlib;
- the check at start (quick_check, receipt series, chain): the first start (whole chain) and
  the next ones (from the checkpoint, with a window of older receipts), against quick_check;
  and the chain's part of it alone, against sqlite3 reading and hashing as many rows.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.common import copy_of, dataset, measure, print_table
from occe_bureau import clock, gifts, safety
from occe_bureau.db import Database
from occe_bureau.gifts import chain, issuing
from occe_bureau.gifts.enums import ReceiptKind
from occe_bureau.gifts.models import Donation

TARGET = 50_000


def add_pending(db: Database, count: int) -> None:
    """`count` more gifts waiting for a receipt (copies of existing gifts)."""
    today = clock.today()
    with db.transaction() as s:
        rows = s.execute(select(Donation.donor_id, Donation.coop_id, Donation.amount_cents,
                                Donation.received_on, Donation.method).limit(count)).all()
        rows = [rows[i % len(rows)] for i in range(count)]  # the data set may hold fewer
        s.execute(insert(Donation), [dict(
            donor_id=r[0], coop_id=r[1], amount_cents=r[2], received_on=min(today, r[3]),
            method=r[4], cheque_number="", form="manuel", nature="numeraire", source="coop",
            project="", notes="", kind_description="", kind_valuation="", service_confirmed=False,
            withdrawn=False, withdrawn_reason="", receipt_id=None, created_at=clock.now())
            for r in rows])


class Unchained:
    """The chain step left out: the receipt inserted with no hash, no register."""

    @classmethod
    def locked(cls, conn):
        return cls()

    def extend(self, conn, values, lines, insert_receipt):
        values["chain_prev"] = values["chain_hash"] = None
        return insert_receipt(values)


def issue_batch(db: Database, count: int) -> float:
    """Issue `count` pending receipts in one transaction (no PDF); milliseconds."""
    groups = gifts.pending_groups(db, gifts.BatchSelection())[:count]
    started = time.perf_counter()
    with issuing.issuing_transaction(db) as session:
        ctx = issuing.issue_context(db, session)
        ctx.prefetch(session.connection(), [g[0] for g in groups])
        for group in groups:
            issuing.issue_gifts(session, ctx, group, kind=ReceiptKind.SINGLE, today=clock.today())
    return (time.perf_counter() - started) * 1000


def floor_read_and_hash(path: Path) -> int:
    """Bare sqlite3: the same rows and lines read, each receipt's row hashed with hashlib."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        lines = {}
        for row in con.execute(chain.LINES_SQL):
            lines.setdefault(row[0], []).append(row[1:])
        n = 0
        for row in con.execute(chain.RECEIPTS_SQL):
            hashlib.sha256(repr((row, lines.get(row[0]))).encode()).hexdigest()
            n += 1
        return n
    finally:
        con.close()


def sqlite_verify(path: Path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return gifts.receipt_chain_problem(con)
    finally:
        con.close()


def quick_check(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.execute("PRAGMA quick_check").fetchall()
    con.close()


def issue_costs(source: Path, batch: int) -> tuple[float, float]:
    """CPU milliseconds of issuing `batch` receipts with and without the chain step, each
    twice on fresh copies, alternated (the least of each)."""
    ours, floor = [], []
    for round_ in range(2):
        for chained in (True, False):
            path = copy_of(source, f"chain_issue_{round_}_{int(chained)}.sqlite3")
            db = Database(f"sqlite:///{path}")
            add_pending(db, batch)
            real = issuing.ChainHead
            if not chained:
                issuing.ChainHead = Unchained
            try:
                started = time.process_time()
                issue_batch(db, batch)
                (ours if chained else floor).append((time.process_time() - started) * 1000)
            finally:
                issuing.ChainHead = real
                db.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    return min(ours), min(floor)


def chain_at_start(path: Path) -> None:
    """The chain's part of the check at start alone (checkpoint, then a window)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert safety.integrity.receipt_chain_break(con, path) is None
    finally:
        con.close()


def floor_window(path: Path, size: int) -> None:
    """Bare sqlite3 reading `size` receipts and their lines, each hashed with hashlib."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(chain.RECEIPTS_SQL + f" LIMIT {size}").fetchall()
        last = rows[-1][0]
        lines = {}
        for row in con.execute(chain.LINES_SQL.replace(" ORDER BY", f" WHERE receipt_id <= {last} ORDER BY")):
            lines.setdefault(row[0], []).append(row[1:])
        for row in rows:
            hashlib.sha256(repr((row, lines.get(row[0]))).encode()).hexdigest()
    finally:
        con.close()


def main() -> None:
    import os

    source = dataset()
    ours_issue, floor_issue = issue_costs(source, 1000)
    path = copy_of(source, "chain.sqlite3")
    db = Database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM tax_receipt")).scalar()
    add_pending(db, TARGET - have)
    issue_batch(db, TARGET - have)
    with db.engine.connect() as conn:
        receipts = conn.execute(text("SELECT count(*) FROM tax_receipt")).scalar()
    report = gifts.verify_receipt_chain(db)
    assert report.ok and report.receipts == receipts, report.message
    db.engine.dispose()
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint = safety.integrity.checkpoint_path(path)

    def first_start():
        checkpoint.unlink(missing_ok=True)
        assert safety.check_file(path).usable

    sweep = safety.integrity.SWEEP
    floor_all = measure(lambda: floor_read_and_hash(path), repeat=3, warmup=1)
    rows = [
        ("issue 1 000 receipts in a batch (CPU), chained", ours_issue,
         "the same issue, chain step left out", floor_issue,
         f"the chain adds {(ours_issue - floor_issue):.0f} µs a receipt"),
        (f"verify the whole chain, {receipts} receipts (app)",
         measure(lambda: gifts.verify_receipt_chain(db), repeat=3, warmup=1),
         "sqlite3 reading the rows + hashlib", floor_all, "Vérifier les reçus, with progress"),
        (f"verify the whole chain, {receipts} receipts (sqlite3)",
         measure(lambda: sqlite_verify(path), repeat=3, warmup=1),
         "sqlite3 reading the rows + hashlib", floor_all, "first start, the move"),
        ("check at start, first start (whole chain)", measure(first_start, repeat=3, warmup=0),
         "PRAGMA quick_check alone", measure(lambda: quick_check(path), repeat=5), "once"),
    ]
    assert safety.check_file(path).usable  # the checkpoint recorded
    rows += [
        (f"chain at start: checkpoint + {sweep} older", measure(lambda: chain_at_start(path), repeat=7),
         f"sqlite3 reading {sweep} rows + hashlib", measure(lambda: floor_window(path, sweep), repeat=7), "—"),
        ("check at start, next starts (whole check)", measure(lambda: safety.check_file(path), repeat=7),
         "PRAGMA quick_check alone", measure(lambda: quick_check(path), repeat=7), "< 200 ms"),
    ]
    db.dispose()
    print_table(f"Receipt chain on {path.stat().st_size // 1_000_000} Mo", rows)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while measuring)")


if __name__ == "__main__":
    main()
