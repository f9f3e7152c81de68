"""SQLite files copied safely: the online backup API (never a copy of the live file), and the
dated name of a backup. Used before a migration (migrate.py) and by the backups of the
safety domain."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from occe_bureau import clock


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included), by the backup API, as one
    self-contained file (the application turns WAL back on when it opens it)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def backup_name(folder: Path, reason: str) -> Path:
    """`occe_bureau_<date>_<heure>_<raison>.sqlite3` in the folder, not taken yet."""
    stamp = clock.now().astimezone().strftime("%Y-%m-%d_%H%M%S")
    target = folder / f"occe_bureau_{stamp}_{reason}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"occe_bureau_{stamp}_{reason}-{counter}.sqlite3"
    return target
