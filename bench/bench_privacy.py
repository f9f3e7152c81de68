"""Benchmarks of personal data (RGPD) on the 10× data set: what is held about one donor (every
domain asked), and the yearly purge's proposals.

    .venv/bin/python -m bench.bench_privacy

Each measure beside its floor: the bare SQLite reading the same rows.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from bench.common import copy_of, dataset, measure, print_table
from occe_bureau import safety
from occe_bureau.db import Database

PURGE_DAY = date(2026, 3, 12)


def main() -> None:
    path = copy_of(dataset(), "privacy.sqlite3")
    db = Database(f"sqlite:///{path}")
    con = sqlite3.connect(path)
    donor_id, name, email = con.execute(
        "SELECT d.id, d.last_name || ' ' || d.first_names, d.email FROM donor d "
        "JOIN donation g ON g.donor_id = d.id GROUP BY d.id ORDER BY count(*) DESC LIMIT 1").fetchone()
    person = safety.Person(name, email, {"gifts": donor_id})

    def floor_held():
        con.execute("SELECT * FROM donor WHERE id = ?", (donor_id,)).fetchall()
        con.execute("SELECT * FROM donation WHERE donor_id = ?", (donor_id,)).fetchall()
        con.execute("SELECT * FROM tax_receipt WHERE donor_id = ?", (donor_id,)).fetchall()
        con.execute("SELECT id, mandataire_name, mandataire_email, director FROM coop").fetchall()
        con.execute("SELECT id, borrower, handed_over_by FROM loan").fetchall()

    def floor_purge():
        con.execute("SELECT donor_id, max(received_on) FROM donation GROUP BY donor_id").fetchall()
        con.execute("SELECT donor_id, max(issued_on) FROM tax_receipt GROUP BY donor_id").fetchall()

    found = safety.held_about(db, person)
    proposals = safety.purge_proposals(db, PURGE_DAY)
    rows = [
        (f"held about one donor ({len(found)} records, every domain)",
         measure(lambda: safety.held_about(db, person), repeat=7),
         "the same rows read bare (donor, gifts, receipts, coops, loans)", measure(floor_held, repeat=7),
         "a dialog that opens at once"),
        (f"purge proposals ({len(proposals)} found)",
         measure(lambda: safety.purge_proposals(db, PURGE_DAY), repeat=5),
         "last gift and last receipt per donor, bare", measure(floor_purge, repeat=5),
         "once a year, a dialog"),
    ]
    con.close()
    db.dispose()
    print_table(f"Personal data on {path.stat().st_size // 1_000_000} Mo", rows)


if __name__ == "__main__":
    main()
