"""Schema upgrades at start-up: Alembic is the only thing that makes the schema.

Before any migration touches an existing database, the file is copied to a dated
backup. A database written by a newer version of OCCE Bureau is refused, never opened.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from occe_bureau.db import Database
from occe_bureau.sqlite_files import backup_name, copy_sqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision this version knows. A test checks it against Alembic's head,
# so that the common start (database already up to date) needs no Alembic at all.
SCHEMA_HEAD = "0013_report_texts"


class SchemaError(Exception):
    """The database cannot be opened by this version; the message is for the user."""


@dataclass
class MigrationReport:
    before: str | None
    after: str
    backup: Path | None


def current_revision(db: Database) -> str | None:
    """The schema revision stored in the database; None for a database Alembic never touched."""
    if db.sqlite_file:
        # The standard library answers in a couple of milliseconds at start-up, before
        # SQLAlchemy's first connection (which the first screen makes after it is painted).
        if not Path(db.sqlite_file).exists():
            return None
        conn = sqlite3.connect(f"file:{Path(db.sqlite_file).as_posix()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except (sqlite3.OperationalError, TypeError):
            return None
        finally:
            conn.close()
    with db.engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            # No such table (asking is cheaper than reflecting, and this runs at every start).
            return None


def _alembic_config(db: Database):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def known_revisions(db: Database) -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(db))
    return {rev.revision for rev in script.walk_revisions()}


def alembic_head(db: Database) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(db)).get_current_head()


def backup_sqlite(db: Database, backups_dir: Path, reason: str) -> Path | None:
    """Copy the SQLite file (consistently, WAL included) to a dated file in backups_dir."""
    source = db.sqlite_file
    if not source or not Path(source).exists():
        return None
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = backup_name(backups_dir, reason)
    copy_sqlite(Path(source), target)
    log.info("Sauvegarde de la base avant migration : %s", target)
    return target


def prepare_database(db: Database, backups_dir: Path) -> MigrationReport:
    """Bring the schema to this version's head, with a backup first; refuse newer schemas."""
    before = current_revision(db)
    if before == SCHEMA_HEAD:
        return MigrationReport(before, before, None)

    known = known_revisions(db)
    if before is not None and before not in known:
        raise SchemaError(
            "Cette base de données a été écrite par une version plus récente d'OCCE Bureau "
            f"(schéma « {before} »). Elle n'a pas été ouverte, pour ne rien abîmer. "
            "Installez la dernière version du logiciel pour l'utiliser."
        )
    if before is None:
        with db.engine.connect() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        if tables:
            raise SchemaError(
                "Ce fichier contient des tables qui ne viennent pas d'OCCE Bureau. "
                "Il n'a pas été modifié. Choisissez un autre dossier de données."
            )

    backup = backup_sqlite(db, backups_dir, f"avant-migration-{before}") if before else None

    from alembic import command

    cfg = _alembic_config(db)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    after = current_revision(db)
    log.info("Schéma de la base : %s -> %s", before, after)
    return MigrationReport(before, after or "", backup)
