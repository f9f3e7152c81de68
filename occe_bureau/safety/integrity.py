"""The database file checked before anything is written to it: an empty file, a file that is
not SQLite, a damaged database, and the application's own checks (the receipt series have no
gap; the receipt chain is whole). A damaged file is set aside, never written to.

The receipt chain at start is verified from a checkpoint: the last receipt found intact at
the previous start, kept beside the file (`<file>.chain`). The receipts issued since are
hashed again, and a window of SWEEP older receipts, the next one at each start, so that the
check stays short however many receipts the office keeps while every receipt is hashed again
every few starts (a 10x office, some 46 000 receipts: every 23 starts). The first start, or
one whose checkpoint no longer matches the file (another file, a restored backup), verifies
the whole chain. "Vérifier les reçus" (Dons tab) verifies every receipt at once."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from occe_bureau import clock
from occe_bureau.formats import counted

SQLITE_HEADER = b"SQLite format 3\x00"
SWEEP = 2000  # older receipts hashed again at each start


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
            broken = None if gap else receipt_chain_break(con, path)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return FileCheck(Health.DAMAGED, str(exc))
    if gap or broken:
        return FileCheck(Health.DAMAGED, gap or broken)
    return FileCheck(Health.SOUND)


def checkpoint_path(path: Path) -> Path:
    return path.with_name(path.name + ".chain")


def receipt_chain_break(con: sqlite3.Connection, path: Path) -> str | None:
    """The first receipt altered, deleted, added or moved outside the application since the
    checkpoint, in French (None when the chain is whole); the checkpoint then moves on."""
    from occe_bureau.gifts import receipt_chain_problem

    has_table = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'receipt_chain'").fetchone()
    if not has_table:  # a database from before the chain: its migration chains it
        return None
    kept = _checkpoint(con, path)
    since = (kept["id"], kept["hash"]) if kept else None
    report = receipt_chain_problem(con, since)
    if report is None:
        return None
    swept = 0
    if report.ok and since:  # and the next window of older receipts
        from occe_bureau.gifts import verify_receipt_window

        window, swept = verify_receipt_window(con, kept.get("swept", 0), SWEEP)
        report = report if window.ok else window
    if not report.ok:
        detail = report.message.rstrip(".")
        return detail[0].lower() + detail[1:]
    if report.last_id is not None:
        try:
            checkpoint_path(path).write_text(json.dumps({"id": report.last_id, "swept": swept,
                                                         "hash": report.last_hash}))
        except OSError:  # a read-only folder: the next start verifies the whole chain again
            pass
    return None


def _checkpoint(con: sqlite3.Connection, path: Path) -> dict | None:
    """The last receipt found intact at a previous start ({"id", "hash", "swept"}), if this
    file still holds it as it was then; None: verify from the first receipt."""
    try:
        kept = json.loads(checkpoint_path(path).read_text())
        kept = {"id": int(kept["id"]), "hash": str(kept["hash"]), "swept": int(kept.get("swept", 0))}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    row = con.execute("SELECT chain_hash FROM tax_receipt WHERE id = ?", (kept["id"],)).fetchone()
    return kept if row and row[0] == kept["hash"] else None


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
