"""Root test configuration: Qt offscreen before anything loads it; one fresh database per test."""

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from occe_bureau import clock  # noqa: E402
from occe_bureau.db import Database  # noqa: E402
from occe_bureau.migrate import prepare_database  # noqa: E402


# The day the whole suite runs on, whatever the calendar says (a Thursday in the middle of a
# school year). Set now, before the test modules are imported, since some of them compute
# dates at import; a test that needs another day sets it with `clock.fixed(...)`.
SUITE_DAY = date(2026, 3, 12)
clock.set_fixed(SUITE_DAY)


@pytest.fixture(autouse=True)
def suite_day():
    """Every test starts on SUITE_DAY, even if the one before moved the clock."""
    clock.set_fixed(SUITE_DAY)
    yield
    clock.set_fixed(SUITE_DAY)


def build_template(folder, fill=None):
    """A database file migrated to head (and filled by `fill(db)`), checkpointed for copying."""
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
    """A private copy of a template for one test (copying a file is much faster than migrating)."""
    path = tmp_path / "occe_bureau.sqlite3"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db(template_db, tmp_path):
    database = copy_database(template_db, tmp_path)
    yield database
    database.dispose()
