"""Root test configuration: Qt offscreen before anything loads it; one fresh database per test."""

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

from occe_bureau.db import Database  # noqa: E402
from occe_bureau.migrate import prepare_database  # noqa: E402


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database migrated to head once; each test gets a copy of the file (fast)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    prepare_database(db, folder / "backups")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def db(template_db, tmp_path):
    path = tmp_path / "occe_bureau.sqlite3"
    shutil.copyfile(template_db, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()
