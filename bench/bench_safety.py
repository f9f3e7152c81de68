"""Benchmarks of data safety on the 10× data set (6 250 coops, ~900 loans, ~25 000 gifts).

    .venv/bin/python -m bench.bench_safety

Each measure beside its floor: the bare SQLite doing the least for the same result.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from bench.common import copy_of, dataset, measure, print_table
from occe_bureau import safety


def raw_backup(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def raw_quick_check(source: Path) -> None:
    con = sqlite3.connect(source)
    con.execute("PRAGMA quick_check").fetchall()
    con.close()


def main() -> None:
    path = copy_of(dataset(), "safety.sqlite3")
    folder = Path(tempfile.mkdtemp(prefix="occe-bench-backups-"))
    try:
        def ours_backup():
            info = safety.take_backup(path, folder, "bench")
            info.path.unlink()

        def floor_backup():
            target = folder / "raw.sqlite3"
            raw_backup(path, target)
            target.unlink()

        rows = [
            ("backup of the 10x base, checked (integrity, counts)", measure(ours_backup, repeat=5, warmup=1),
             "sqlite3 backup API, no check", measure(floor_backup, repeat=5, warmup=1), "< 2 000 ms, off the UI thread"),
            ("check at start (quick_check + receipt series)", measure(lambda: safety.check_file(path), repeat=7),
             "PRAGMA quick_check alone", measure(lambda: raw_quick_check(path), repeat=7), "< 200 ms"),
        ]
        print_table(f"Data safety on {path.stat().st_size // 1_000_000} Mo", rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
