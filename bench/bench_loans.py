"""Benchmarks of the lending desk on the 10× demo data set (about 900 loans, 500 items).

    .venv/bin/python bench/bench_loans.py [--scale 10] [--repeat 15]

Builds its own demo database in a temporary folder, then prints, for each measure, the
median time, the floor (the bare stack doing the least possible work for the same result)
and the goal from issue 3.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from occe_bureau.db import Database  # noqa: E402
from occe_bureau.demo import build_demo  # noqa: E402
from occe_bureau.formats import school_year_bounds, school_year_of  # noqa: E402
from occe_bureau.migrate import prepare_database  # noqa: E402
from occe_bureau import lending  # noqa: E402
from occe_bureau import clock  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up (caches, fonts, first connection)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench_loans_"))
    path = folder / "bench.sqlite3"
    db = Database(f"sqlite:///{path}")
    prepare_database(db, folder / "backups")
    today = clock.today()
    started = time.perf_counter()
    build_demo(db, scale=args.scale, today=today)
    built = time.perf_counter() - started
    with db.engine.connect() as conn:
        counts = {t: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar()
                  for t in ("coop", "item", "loan", "loan_line")}
    print(f"Demo scale {args.scale} built in {built:.1f} s: {counts['coop']} coops, "
          f"{counts['item']} items, {counts['loan']} loans, {counts['loan_line']} loan lines")

    year = school_year_of(today) - 1  # the last complete school year
    start, end = school_year_bounds(year)
    raw = sqlite3.connect(path)

    def floor_stats():
        raw.execute(
            "SELECT l.item_id, l.loan_id, n.coop_id, l.start_date, l.end_date, l.status "
            "FROM loan_line l JOIN loan n ON n.id = l.loan_id "
            "WHERE l.status IN ('out', 'returned', 'lost') AND l.start_date <= ? "
            "AND (l.end_date >= ? OR l.status = 'out')", (end.isoformat(), start.isoformat())
        ).fetchall()

    def floor_open():
        raw.execute("SELECT id, code, name, category_id, state FROM item ORDER BY code").fetchall()
        raw.execute("SELECT l.item_id, l.status, l.start_date, l.end_date, c.number, c.name "
                    "FROM loan_line l JOIN loan n ON n.id = l.loan_id JOIN coop c ON c.id = n.coop_id "
                    "WHERE l.status IN ('booked', 'out')").fetchall()
        raw.execute("SELECT n.id, c.number FROM loan n JOIN coop c ON c.id = n.coop_id "
                    "WHERE n.status IN ('booked', 'out')").fetchall()

    busy_items = [r[0] for r in raw.execute(
        "SELECT item_id FROM loan_line GROUP BY item_id ORDER BY COUNT(*) DESC LIMIT 3")]
    probe = today + timedelta(days=10)

    def floor_conflicts():
        for item_id in busy_items:
            raw.execute("SELECT id FROM loan_line WHERE item_id = ? AND start_date < ? "
                        "AND end_date > ? AND status != 'cancelled'",
                        (item_id, (probe + timedelta(days=14)).isoformat(), probe.isoformat())).fetchall()

    def floor_availability():
        raw.execute("SELECT id, category_id, state FROM item WHERE state IN ('available', "
                    "'maintenance') ORDER BY code").fetchall()
        raw.execute("SELECT l.item_id, l.status, l.start_date, l.end_date, c.number, c.name "
                    "FROM loan_line l JOIN loan n ON n.id = l.loan_id JOIN coop c ON c.id = n.coop_id "
                    "WHERE l.status != 'cancelled' AND l.start_date < ? AND l.end_date > ? "
                    "ORDER BY l.start_date",
                    ((probe + timedelta(days=14)).isoformat(), probe.isoformat())).fetchall()

    slip_loan = raw.execute("SELECT loan_id FROM loan_line GROUP BY loan_id "
                            "HAVING COUNT(*) > 1 ORDER BY loan_id DESC LIMIT 1").fetchone()[0]

    def floor_pdf():
        import io

        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        page.showPage()
        page.save()

    results = [
        ("Jours de sortie d'une année scolaire (par matériel, catégorie, coop)",
         median_ms(lambda: lending.usage(db, start, end, today), args.repeat),
         median_ms(floor_stats, args.repeat), 100),
        ("Données de l'onglet (inventaire + prêts en cours)",
         median_ms(lambda: (lending.list_items(db, today=today),
                            lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_OPEN),
                                               today)),
                   args.repeat),
         median_ms(floor_open, args.repeat), 150),
        ("Contrôle de chevauchement (3 matériels)",
         median_ms(lambda: lending.find_conflicts(db, busy_items, probe, probe + timedelta(days=14)),
                   args.repeat),
         median_ms(floor_conflicts, args.repeat), None),
        ("Disponibilité de tout le matériel sur 15 jours (dialogue de réservation)",
         median_ms(lambda: lending.availability(db, probe, probe + timedelta(days=14),
                                                leaving=False), args.repeat),
         median_ms(floor_availability, args.repeat), None),
        ("Un bon de prêt PDF (2 exemplaires)",
         median_ms(lambda: lending.loan_slip_pdf(db, slip_loan), args.repeat),
         median_ms(floor_pdf, args.repeat), 100),
    ]
    try:
        results.insert(2, ("Ouverture de l'onglet Prêts (widgets + données)",
                           *_tab_measure(db, args.repeat, floor_open), 150))
    except ImportError as exc:  # the tab is not there (core-only checkout)
        print(f"(onglet non mesuré : {exc})")

    width = max(len(r[0]) for r in results)
    print()
    print(f"{'measure':<{width}} | median ms | floor ms | goal ms")
    print(f"{'-' * width}-|-----------|----------|--------")
    for name, value, floor, goal in results:
        goal_text = f"< {goal}" if goal else "—"
        print(f"{name:<{width}} | {value:9.1f} | {floor:8.1f} | {goal_text}")
    raw.close()
    db.dispose()


def _tab_measure(db, repeat, floor_open):
    from PySide6.QtWidgets import QApplication

    from ui.lending.tab import LoansTab

    app = QApplication.instance() or QApplication([])

    def open_tab():
        tab = LoansTab(db)
        tab.on_shown()
        app.processEvents()
        tab.deleteLater()

    return median_ms(open_tab, repeat), median_ms(floor_open, repeat)


if __name__ == "__main__":
    main()
