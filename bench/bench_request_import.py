"""A coop's request of N lines (default 10 000), every one a new donor, imported from a CSV
into the 10x data set (40 000 donors). A script, not a test.

    .venv/bin/python -m bench.bench_request_import [--lines 10000] [--scale 10]

Measures reading and planning the file (each line checked, its donor looked for among the
known donors and the file's earlier lines), then saving the plan, against the floor of the
bare stack: the csv module reading the same file and sqlite3 inserting the same donors and
gifts with executemany. Goal: the whole import under 10 s (off the interface thread, with
progress and cancel).
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import time
from pathlib import Path

from bench.common import OUT, copy_of, dataset, print_table

SYLLABLES = ["ba", "be", "bi", "bo", "ca", "ce", "da", "de", "do", "fa", "fe", "ga", "gu", "la",
             "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe", "ra", "re",
             "ri", "ro", "sa", "se", "so", "ta", "te", "ti", "to", "va", "ve", "vi", "za", "zo"]


def make_file(path: Path, lines: int, postal_codes: list[tuple[str, str]], seed: int = 8) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["Nom", "Prénom", "Adresse", "Code postal", "Commune", "Montant", "Date",
                      "Mode de paiement", "N° de chèque"])
        for i in range(lines):
            last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
            first = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            postal, city = rng.choice(postal_codes)
            out.writerow([last, first, f"{rng.randint(1, 200)} rue {rng.choice(SYLLABLES)}x",
                          postal, city, f"{rng.randint(5, 300)},00", "05/03/2026", "chèque",
                          f"{9000000 + i}"])


def floor(path: Path, db_file: Path) -> float:
    """csv reading the file, sqlite3 inserting its donors and gifts in one transaction."""
    started = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    con = sqlite3.connect(db_file)
    try:
        coop_id = con.execute("SELECT min(id) FROM coop").fetchone()[0]
        first = con.execute("SELECT coalesce(max(id), 0) FROM donor").fetchone()[0] + 1
        con.executemany(
            "INSERT INTO donor (kind, last_name, first_names, company_name, siren, legal_form, "
            "address, postal_code, city, country, email, name_key, search_key, created_at, "
            "updated_at) VALUES ('person', ?, ?, '', '', '', ?, ?, ?, '', '', ?, ?, "
            "'2026-03-12', '2026-03-12')",
            [(r[0], r[1], r[2], r[3], r[4], f"{r[0]} {r[1]}".lower(), r[0].lower()) for r in rows])
        con.executemany(
            "INSERT INTO donation (donor_id, coop_id, project, amount_cents, received_on, method, "
            "cheque_number, form, nature, source, notes, service_confirmed, withdrawn, "
            "withdrawn_reason, created_at) VALUES (?, ?, '', ?, '2026-03-05', 'cheque', ?, "
            "'manuel', 'numeraire', 'coop', '', 0, 0, '', '2026-03-12')",
            [(first + i, coop_id, int(r[5].split(",")[0]) * 100, r[8]) for i, r in enumerate(rows)])
        con.rollback()
    finally:
        con.close()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    from occe_bureau import gifts
    from occe_bureau.db import Database

    target = copy_of(dataset(args.scale), "import_request.sqlite3")
    con = sqlite3.connect(target)
    postal_codes = con.execute("SELECT DISTINCT postal_code, city FROM donor").fetchall()
    coop_id = con.execute("SELECT min(id) FROM coop").fetchone()[0]
    con.close()
    path = OUT / f"demande_{args.lines}.csv"
    make_file(path, args.lines, postal_codes)
    db = Database(f"sqlite:///{target}")

    steps = 0
    started = time.perf_counter()
    runner = gifts.plan_file_steps(db, path, coop_id)
    while True:
        try:
            next(runner)
            steps += 1
        except StopIteration as stop:
            plan = stop.value
            break
    plan_ms = (time.perf_counter() - started) * 1000
    questions = len(plan.questions)
    plan.all_new()
    started = time.perf_counter()
    runner = gifts.import_steps(db, plan)
    while True:
        try:
            next(runner)
            steps += 1
        except StopIteration as stop:
            saved = stop.value
            break
    save_ms = (time.perf_counter() - started) * 1000
    db.dispose()
    floor_ms = floor(path, copy_of(dataset(args.scale), "import_floor.sqlite3"))
    print(f"{args.lines} lines, {len(saved)} gifts saved, {questions} donor questions, "
          f"{steps} progress steps")
    print_table(f"Import of a request of {args.lines} lines with new donors (x{args.scale} data set)", [
        ("read and plan the file", plan_ms, "csv + sqlite3 executemany", None, "—"),
        ("save the plan", save_ms, "csv + sqlite3 executemany", None, "—"),
        ("whole import (plan + save)", plan_ms + save_ms, "csv + sqlite3 executemany", floor_ms,
         "< 10 000 ms"),
    ])


if __name__ == "__main__":
    main()
