"""Benchmarks of the foundation and the Coopératives tab, on 10× a real département.

Run: .venv/bin/python -m bench.bench_coops   (prints a table; nothing is asserted)
"""

from __future__ import annotations

import csv
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import OUT, copy_of, dataset, measure, print_table

ROOT = Path(__file__).resolve().parent.parent


def startup(db_path: Path, runs: int = 9) -> tuple[float, float, float]:
    """From the first line of the program to the main window shown (and to its list filled),
    as each program measures it; the floor is the bare stack showing an empty window."""
    data_dir = OUT / "startup_data"
    data_dir.mkdir(exist_ok=True)
    copy_of(db_path, "startup_data/occe_bureau.sqlite3")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OCCE_BUREAU_EXIT_AFTER_SHOW": "1"}

    def run(cmd: list[str]) -> dict[str, float]:
        out = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        return {line.split()[0]: float(line.split()[1]) * 1000 for line in out.splitlines()
                if line.startswith(("shown", "ready"))}

    ours_cmd = [sys.executable, "-m", "ui", "--data-dir", str(data_dir)]
    floor_cmd = [sys.executable, str(ROOT / "bench" / "floor_startup.py")]
    run(ours_cmd), run(floor_cmd)  # warm the file cache
    shown, ready, floor = [], [], []
    for _ in range(runs):  # interleaved, so that machine noise hits both alike
        ours = run(ours_cmd)
        shown.append(ours["shown"])
        ready.append(ours["ready"])
        floor.append(run(floor_cmd)["shown"])
    return statistics.median(shown), statistics.median(ready), statistics.median(floor)


def search_keystroke(db_path: Path) -> tuple[float, float, int]:
    """One keystroke in the search box (filter + table + totals + repaint) vs the bare floor."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex
    from PySide6.QtWidgets import QApplication, QTableView

    from occe_bureau.db import Database
    from occe_bureau.coops import CoopFilter, CoopStatus, list_coops
    from ui.coops.tab import CoopsTab

    app = QApplication.instance() or QApplication([])
    db = Database(f"sqlite:///{db_path}")
    tab = CoopsTab(db)
    tab.resize(1400, 800)
    tab.show()
    tab.on_shown()
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(CoopStatus.ALL))
    rows_total = tab.model.rowCount()
    words = ["j", "ja", "jau", "jaur", "jaure", "jaures", "jaures n", "jaures na", "jaures nan"]

    def type_word() -> None:
        for text in words:
            tab.search.setText(text)
            app.processEvents()
        tab.search.setText("")
        app.processEvents()

    ours = measure(type_word, repeat=9) / (len(words) + 1)

    keys = [r.search_key for r in list_coops(db, CoopFilter(year=tab.year, status=CoopStatus.ALL))]

    class Bare(QAbstractTableModel):
        rows: list = []

        def rowCount(self, parent=QModelIndex()):  # noqa: N802,B008
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802,B008
            return 1

        def data(self, index, role=0):
            return self.rows[index.row()] if role == 0 else None

    bare = Bare()
    view = QTableView()
    view.setModel(bare)
    view.resize(1400, 800)
    view.show()

    def floor_word() -> None:
        for text in words + [""]:
            parts = text.split()
            bare.beginResetModel()
            bare.rows = [k for k in keys if all(p in k for p in parts)]
            bare.endResetModel()
            app.processEvents()

    floor = measure(floor_word, repeat=9) / (len(words) + 1)
    tab.close()
    view.close()
    db.dispose()
    return ours, floor, rows_total


def import_rows(db_path: Path) -> tuple[float, float, int]:
    """Import of the whole register (6 250 rows) into an empty database vs raw sqlite3."""
    from occe_bureau.db import Database
    from occe_bureau.migrate import prepare_database
    from occe_bureau.coops import apply_import, export_coops, guess_mapping, plan_import
    from occe_bureau.coops import CoopFilter, CoopStatus, list_coops
    from occe_bureau.tabular import read_table

    source = Database(f"sqlite:///{db_path}")
    rows = list_coops(source, CoopFilter(year=2025, status=CoopStatus.ALL))
    source.dispose()
    csv_path = OUT / "registre_x10.csv"
    export_coops(rows, 2025, csv_path)

    def ours_once() -> float:
        target = OUT / "import_target.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        db = Database(f"sqlite:///{target}")
        prepare_database(db, OUT / "backups")
        started = time.perf_counter()
        table = read_table(csv_path)
        plan = plan_import(db, table, guess_mapping(table.headers), 2025)
        result = apply_import(db, plan)
        elapsed = (time.perf_counter() - started) * 1000
        assert result.created == len(rows), result
        db.dispose()
        return elapsed

    def floor_once() -> float:
        target = OUT / "import_floor.sqlite3"
        target.unlink(missing_ok=True)
        con = sqlite3.connect(target)
        con.execute("CREATE TABLE coop (number TEXT UNIQUE, name TEXT, kind TEXT, uai TEXT UNIQUE, "
                    "commune TEXT, circonscription TEXT, mandataire TEXT)")
        started = time.perf_counter()
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=";")
            next(reader)
            data = [(r[0], r[1], r[2], r[3] or None, r[4], r[5], r[6]) for r in reader]
        with con:
            con.executemany("INSERT INTO coop VALUES (?,?,?,?,?,?,?)", data)
        elapsed = (time.perf_counter() - started) * 1000
        con.close()
        return elapsed

    ours = statistics.median(ours_once() for _ in range(3))
    floor = statistics.median(floor_once() for _ in range(3))
    return ours, floor, len(rows)


def main() -> None:
    path = dataset()
    start_ours, start_ready, start_floor = startup(path)
    key_ours, key_floor, shown = search_keystroke(path)
    imp_ours, imp_floor, imported = import_rows(path)
    print_table(
        f"Coopératives on ×10 data ({shown} coops shown, {imported} rows imported)",
        [
            ("start-up to main window shown", start_ours, "PySide6+SQLModel empty window",
             start_floor, f"≤ 1.3× floor ({1.3 * start_floor:.0f} ms)"),
            ("start-up to the list of 6 250 coops painted", start_ready, "same floor", start_floor,
             "(for information)"),
            ("search keystroke (filter, table, totals)", key_ours, "list filter + bare model reset",
             key_floor, "< 30 ms median"),
            (f"import {imported} rows (read, check, write)", imp_ours, "csv.reader + executemany",
             imp_floor, "< 3 000 ms"),
        ],
    )


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown of the benchmark's widgets
