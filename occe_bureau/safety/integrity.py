"""The database file checked before anything is written to it: an empty file, a file that is
not SQLite, a damaged database, and the application's own checks (the receipt series have no
gap). A damaged file is set aside, never written to."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from occe_bureau import clock
from occe_bureau.formats import counted

SQLITE_HEADER = b"SQLite format 3\x00"


class Health(StrEnum):
    NEW = "new"  # no file yet: a new database will be made
    SOUND = "sound"
    EMPTY = "empty"  # a 0-byte file
    NOT_SQLITE = "not_sqlite"
    DAMAGED = "damaged"


@dataclass(frozen=True)
class FileCheck:
    health: Health
    detail: str = ""

    @property
    def usable(self) -> bool:
        return self.health in (Health.NEW, Health.SOUND)

    @property
    def message(self) -> str:
        """What the secretary is told, in French."""
        return {
            Health.NEW: "Nouvelle base de données.",
            Health.SOUND: "La base de données est saine.",
            Health.EMPTY: "Le fichier de la base de données est vide (0 octet) : il a "
                          "probablement été tronqué par un incident.",
            Health.NOT_SQLITE: "Le fichier de la base de données n'est pas une base OCCE Bureau "
                               "(ce n'est pas un fichier SQLite).",
            Health.DAMAGED: "La base de données est endommagée : "
                            + (self.detail or "le contrôle d'intégrité a échoué") + ".",
        }[self.health]


def check_file(path: Path) -> FileCheck:
    """The check at start: the file's header, SQLite's quick check and the application's own
    checks, before the database is written to."""
    header = check_header(path)
    return header if header.health != Health.SOUND else check_content(path)


def check_header(path: Path) -> FileCheck:
    """At once: a missing, empty or foreign file (SOUND here means only "looks like SQLite")."""
    if not path.exists():
        return FileCheck(Health.NEW)
    if path.stat().st_size == 0:
        return FileCheck(Health.EMPTY)
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            return FileCheck(Health.NOT_SQLITE)
    return FileCheck(Health.SOUND)


def check_content(path: Path) -> FileCheck:
    """SQLite's quick check of every page, then the receipt series (a few hundred ms on a
    large database: it can run while the window is being built)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                return FileCheck(Health.DAMAGED, "; ".join(rows[:2]))
            gap = receipt_series_gap(con)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return FileCheck(Health.DAMAGED, str(exc))
    if gap:
        return FileCheck(Health.DAMAGED, gap)
    return FileCheck(Health.SOUND)


def receipt_series_gap(con: sqlite3.Connection) -> str | None:
    """A financial year whose receipt numbers do not run 1, 2, 3… without a gap (a receipt
    deleted outside the application), in French; None when every series is whole."""
    has_table = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'tax_receipt'").fetchone()
    if not has_table:
        return None
    # The counter says how many numbers each year has given: the last ones count too.
    for year, count, top in con.execute(
            "SELECT c.year, count(r.seq), max(c.last_seq) FROM receipt_counter c "
            "LEFT JOIN tax_receipt r ON r.year = c.year GROUP BY c.year ORDER BY c.year"):
        if count != top:
            missing = top - count
            return (f"la série des reçus de l'exercice {year} a "
                    + counted(missing, "numéro manquant", "numéros manquants"))
    return None


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its journal files) so that nothing writes to it: it
    is kept, for an expert to look at."""
    stamp = clock.now().astimezone().strftime("%Y-%m-%d_%H%M%S")
    target = path.with_name(f"{path.stem}_endommagee_{stamp}{path.suffix}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            extra.replace(Path(f"{target}{suffix}"))
    return target
