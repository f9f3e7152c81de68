"""Shared by the benchmarks: the 10× data set, timing, and the table printed beside floors."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from occe_bureau import clock

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent / "out"
SCALE = 10


def dataset(scale: int = SCALE, fresh: bool = False) -> Path:
    """A database of `scale` times the demo département (built once, then reused)."""
    from occe_bureau.db import Database
    from occe_bureau.demo import build_demo
    from occe_bureau.migrate import SCHEMA_HEAD, current_revision, prepare_database

    OUT.mkdir(exist_ok=True)
    path = OUT / f"departement_x{scale}.sqlite3"
    if path.exists() and not fresh:
        db = Database(f"sqlite:///{path}")
        up_to_date = current_revision(db) == SCHEMA_HEAD
        db.dispose()
        if up_to_date:
            return path
        path.unlink()
    tmp = path.with_suffix(".building")
    for leftover in OUT.glob(tmp.name + "*"):
        leftover.unlink()
    db = Database(f"sqlite:///{tmp}")
    prepare_database(db, OUT / "backups")
    started = time.perf_counter()
    build_demo(db, scale=scale, today=clock.today())
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    shutil.move(tmp, path)
    print(f"(data set ×{scale} built in {time.perf_counter() - started:.1f} s: {path})")
    return path


def copy_of(path: Path, name: str) -> Path:
    target = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(path, target)
    return target


def measure(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of fn() in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def print_table(title: str, rows: list[tuple[str, float, str, float | None, str]]) -> None:
    """rows: (measure, ours ms, floor name, floor ms, goal)."""
    print(f"\n{title}")
    header = f"{'measure':44} {'ours (ms)':>10} {'floor (ms)':>11} {'ratio':>6}  goal / floor"
    print(header)
    print("-" * (len(header) + 30))
    for name, ours, floor_name, floor, goal in rows:
        ratio = f"{ours / floor:5.2f}x" if floor else "   -  "
        floor_text = f"{floor:11.1f}" if floor is not None else f"{'-':>11}"
        print(f"{name:44} {ours:10.1f} {floor_text} {ratio}  {goal}; floor = {floor_name}")
