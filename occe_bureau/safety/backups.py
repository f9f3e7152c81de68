"""Backups of the SQLite database: taken with SQLite's online backup API (never a copy of
the live file), checked once written, listed with what they hold, thinned, and restored.

A backup is a file `occe_bureau_<date>_<heure>_<raison>.sqlite3` in the backups folder (and,
if the secretary chose one, a second folder: a USB key, a synced folder).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from occe_bureau import clock
from occe_bureau.sqlite_files import backup_name, copy_sqlite

NAME_RE = re.compile(r"^occe_bureau_(\d{4}-\d{2}-\d{2})_(\d{6})_(.+?)\.sqlite3$")


class BackupError(Exception):
    """A backup that could not be made, or that is not sound: said in French."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds: rows per table, and the last receipt number issued."""

    counts: dict[str, int]
    last_receipt: str | None


def integrity_problem(path: Path) -> str | None:
    """None when SQLite finds the file sound (full integrity check), else its words."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def contents(path: Path) -> BackupContents:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        last = None
        if "tax_receipt" in tables:
            row = con.execute("SELECT number FROM tax_receipt ORDER BY year DESC, seq DESC "
                              "LIMIT 1").fetchone()
            last = row[0] if row else None
    finally:
        con.close()
    return BackupContents(counts, last)


def _remove(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        name.unlink(missing_ok=True)


def take_backup(source: Path, folder: Path, reason: str) -> BackupInfo:
    """Back the database up into `folder`, then check the copy (integrity, same row counts
    as the database): a copy that is not sound is removed and the failure said."""
    folder.mkdir(parents=True, exist_ok=True)
    target = backup_name(folder, reason)
    partial = target.with_suffix(".partiel")
    try:
        copy_sqlite(source, partial)
    except (sqlite3.Error, OSError) as exc:
        _remove(partial)
        raise BackupError(f"La sauvegarde n'a pas pu être écrite dans {folder} : {exc}") from exc
    problem = integrity_problem(partial)
    if problem is None and contents(partial).counts != contents(source).counts:
        problem = "le nombre de lignes de la copie diffère de celui de la base"
    if problem is not None:
        _remove(partial)
        raise BackupError("La sauvegarde a été refusée : la base copiée n'est pas saine "
                          f"({problem}). Aucune copie abîmée n'a été gardée.")
    partial.replace(target)
    return info_of(target)


def info_of(path: Path) -> BackupInfo:
    match = NAME_RE.match(path.name)
    if match:
        taken = datetime.strptime(match[1] + match[2], "%Y-%m-%d%H%M%S")
        reason = match[3]
    else:
        taken, reason = datetime.fromtimestamp(path.stat().st_mtime), "copie"
    return BackupInfo(path, taken, reason, path.stat().st_size)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups of the folder, newest first."""
    if not folder.is_dir():
        return []
    found = [info_of(p) for p in folder.glob("occe_bureau_*.sqlite3") if NAME_RE.match(p.name)]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def to_keep(backups: list[BackupInfo], today: date) -> set[Path]:
    """Thinning: the newest backup of each day of the last two weeks, of each week of the
    last two months, of each month of the last two years; older ones go."""
    keep: dict[tuple, Path] = {}
    for b in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        day = b.taken_at.date()
        age = (today - day).days
        if age < 14:
            bucket = ("day", day)
        elif age < 61:
            bucket = ("week", day.isocalendar()[:2])
        elif age < 731:
            bucket = ("month", (day.year, day.month))
        else:
            continue
        keep.setdefault(bucket, b.path)
    return set(keep.values())


def thin_backups(folder: Path, today: date | None = None) -> list[Path]:
    """Remove the backups the thinning does not keep; returns the removed files."""
    backups = list_backups(folder)
    kept = to_keep(backups, today or clock.today())
    removed = [b.path for b in backups if b.path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def changed_since_last_backup(source: Path, folder: Path) -> bool:
    """Whether the database was written after the newest backup of the folder."""
    backups = list_backups(folder)
    if not backups:
        return True
    newest = max(b.path.stat().st_mtime for b in backups[:1])
    written = max((p.stat().st_mtime for p in (source, Path(f"{source}-wal")) if p.exists()),
                  default=0)
    return written > newest


def restore_backup(live: Path, backup: Path, folder: Path) -> BackupInfo | None:
    """Put a backup in place of the database. The current state is backed up first (so the
    restore can be undone), and the backup is checked before anything is replaced. Every
    connection to the database must be closed."""
    problem = integrity_problem(backup)
    if problem is not None:
        raise BackupError(f"Cette sauvegarde est abîmée ({problem}) : elle n'a pas été restaurée.")
    before = take_backup(live, folder, "avant-restauration") if live.exists() else None
    copy_sqlite(backup, live)
    return before
