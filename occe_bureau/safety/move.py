"""Moving an office from its SQLite file to a PostgreSQL server, for several workstations.

    occe-bureau-serveur --vers postgresql+psycopg://utilisateur:motdepasse@serveur/occe

The server's database is brought to this version's schema, must be empty, and receives every
row in one transaction; the counts of every table and the receipt series are then checked
against the file, and the receipt chain is verified on the server (every receipt's hash
recomputed there: the copy changed none). The file itself is not touched (keep it as the last backup of the office).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, func, insert, select, text

from occe_bureau.db import Database
from occe_bureau.gifts import ChainReport, verify_connection
from occe_bureau.migrate import prepare_database
from occe_bureau.paths import resolve_data_paths

BATCH = 2000
# Tables the migrations fill with their first rows (the six item categories): on the server
# they are replaced by the office's own.
SEEDED = ("item_category",)
# One-row registers the migrations make and guard (never deleted, never going back): on the
# server, their row takes the file's values.
REGISTERS = ("receipt_chain",)


class MoveError(Exception):
    """The move was refused or did not check out: said in French, nothing kept on the server."""


@dataclass(frozen=True)
class MoveReport:
    counts: dict[str, int]
    last_receipts: dict[int, int]  # financial year -> last number
    chain: ChainReport | None = None  # the receipt chain, verified on the server


def _tables(db: Database) -> list:
    meta = MetaData()
    meta.reflect(db.engine)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _counts(db: Database, tables) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in tables}


def _receipt_series(db: Database) -> dict[int, int]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT year, max(seq) FROM tax_receipt GROUP BY year")).all())


def _broken(where: str, chain) -> str:
    found = chain.message if not chain.ok else "elle ne finit pas sur le même reçu que le fichier."
    return f"La chaîne des reçus fiscaux est rompue {where} : {found[0].lower()}{found[1:]}"


def move_to_server(source: Database, target: Database, backups: Path) -> MoveReport:
    """Copy every row of the SQLite base to the (empty) server base, then check."""
    if target.is_sqlite:
        raise MoveError("La destination doit être un serveur PostgreSQL (postgresql+psycopg://…).")
    prepare_database(source, backups)
    prepare_database(target, backups)
    tables = _tables(source)
    if any(n for name, n in _counts(target, _tables(target)).items() if name not in SEEDED + REGISTERS):
        raise MoveError("La base du serveur n'est pas vide : rien n'a été copié, pour ne rien "
                        "mélanger. Choisissez une base neuve.")
    with source.engine.connect() as read:
        chain = verify_connection(read)
    if not chain.ok:
        raise MoveError(_broken("dans le fichier", chain) + " Rien n'a été copié : voyez d'abord "
                        "les reçus du fichier (onglet Dons, « Vérifier les reçus »).")
    with source.engine.connect() as read, target.engine.begin() as write:
        for table in reversed([t for t in tables if t.name in SEEDED]):
            write.execute(table.delete())
        for table in tables:
            if table.name in REGISTERS:
                for row in read.execute(select(table)).mappings():
                    write.execute(table.update().where(table.c.id == row["id"]).values(dict(row)))
                continue
            rows = read.execute(select(table)).mappings()
            while chunk := rows.fetchmany(BATCH):
                write.execute(insert(table), [dict(r) for r in chunk])
            if "id" in table.c:  # the server's counters go on after the copied ids
                write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                   f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
        copied = verify_connection(write)  # before the commit: a broken copy is not kept
        if not copied.ok or copied.last_hash != chain.last_hash:
            raise MoveError(_broken("sur le serveur après la copie", copied) + " Rien n'a été "
                            "gardé sur le serveur.")
    report = MoveReport(_counts(source, tables), _receipt_series(source))
    if _counts(target, tables) != report.counts or _receipt_series(target) != report.last_receipts:
        raise MoveError("Après la copie, le serveur ne contient pas exactement les mêmes données "
                        "que le fichier : vérifiez la base du serveur avant de l'utiliser.")
    return MoveReport(report.counts, report.last_receipts, chain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="occe-bureau-serveur",
        description="Copie la base SQLite du bureau vers un serveur PostgreSQL (plusieurs postes).")
    parser.add_argument("--vers", required=True, metavar="URL",
                        help="la base du serveur, ex. postgresql+psycopg://occe:motdepasse@serveur/occe")
    parser.add_argument("--data-dir", help="le dossier des données (par défaut celui de l'utilisateur)")
    args = parser.parse_args(argv)
    paths = resolve_data_paths(args.data_dir)
    if not paths.database.exists():
        print(f"Aucune base à copier dans {paths.root}.", file=sys.stderr)
        return 2
    source, target = Database(paths.sqlite_url), Database(args.vers)
    try:
        report = move_to_server(source, target, paths.backups)
    except MoveError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        source.dispose()
        target.dispose()
    print(f"Copie terminée et vérifiée : {sum(report.counts.values())} lignes dans "
          f"{len(report.counts)} tables.")
    for year, last in sorted(report.last_receipts.items()):
        print(f"  reçus de l'exercice {year} : 1 à {last}, sans trou")
    print(f"  chaîne des reçus : {report.chain.message}")
    print(f"Les postes se lancent maintenant avec : occe-bureau --db {target.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
