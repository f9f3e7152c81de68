"""Root test configuration: Qt offscreen before anything loads it; one fresh database per test."""

import os
import shutil
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from occe_bureau import clock  # noqa: E402
from occe_bureau.db import Database  # noqa: E402
from occe_bureau.migrate import prepare_database  # noqa: E402


# The day the whole suite runs on, whatever the calendar says (a Thursday in the middle of a
# school year; OCCE_SUITE_DAY=2026-09-02 runs it on another day). Set now, before the test
# modules are imported, since some of them compute dates at import; a test that needs another
# day sets it with `clock.fixed(...)`.
SUITE_DAY = date.fromisoformat(os.environ.get("OCCE_SUITE_DAY", "2026-03-12"))
clock.set_fixed(SUITE_DAY)


@pytest.fixture(autouse=True)
def suite_day():
    """Every test starts on SUITE_DAY, even if the one before moved the clock."""
    clock.set_fixed(SUITE_DAY)
    yield
    clock.set_fixed(SUITE_DAY)


# The whole suite runs on SQLite, and again on PostgreSQL with OCCE_TEST_DB=postgresql (the
# multi-workstation setup): every test that takes a database fixture then gets a fresh
# database on a throw-away server; the tests of the SQLite file itself (backups, kills, a
# damaged file, the lock) are marked `sqlite_only` and run on SQLite only.
ON_POSTGRESQL = os.environ.get("OCCE_TEST_DB", "").lower() in ("postgresql", "postgres", "pg")
DATABASE_FIXTURES = {"db", "demo_db", "template_db", "demo_template"}


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: tests the SQLite file itself (not run on PostgreSQL)")


def pytest_collection_modifyitems(config, items):
    if not ON_POSTGRESQL:
        return
    kept, left = [], []
    for item in items:
        uses_db = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if uses_db and not item.get_closest_marker("sqlite_only") else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


@dataclass(frozen=True)
class PgTemplate:
    server: str
    name: str


def build_template(folder, fill=None):
    """A database migrated to head (and filled by `fill(db)`), to copy for each test: a file
    checkpointed for copying on SQLite, a template database on PostgreSQL."""
    if ON_POSTGRESQL:
        from tests.pg import create_database, new_database_name, shared_server

        server = shared_server()
        if server is None:
            pytest.fail("OCCE_TEST_DB=postgresql needs PostgreSQL's binaries (initdb, pg_ctl).")
        name = new_database_name("tpl")
        db = Database(create_database(server, name))
        prepare_database(db, folder / "backups")
        if fill is not None:
            fill(db)
        db.dispose()
        return PgTemplate(server, name)
    path = folder / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    prepare_database(db, folder / "backups")
    if fill is not None:
        fill(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def copy_database(template, tmp_path):
    """A private copy of a template for one test (copying is much faster than migrating)."""
    if isinstance(template, PgTemplate):
        from tests.pg import create_database, new_database_name

        return Database(create_database(template.server, new_database_name(), template.name))
    path = tmp_path / "occe_bureau.sqlite3"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


def dispose_copy(database) -> None:
    """Close a test's database (and drop it, on PostgreSQL)."""
    url = database.engine.url
    database.dispose()
    if url.get_backend_name() == "postgresql":
        from tests.pg import drop_database, shared_server

        drop_database(shared_server(), url.database)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db(template_db, tmp_path):
    database = copy_database(template_db, tmp_path)
    yield database
    dispose_copy(database)
