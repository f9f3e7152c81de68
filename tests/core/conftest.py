"""Core fixtures: a throw-away PostgreSQL server (the multi-workstation setup) shared by the
tests that prove the same code runs there, and one fresh database on it per test."""

import os
import re

import pytest
from sqlalchemy import create_engine, text

from occe_bureau.db import Database
from occe_bureau.migrate import SCHEMA_HEAD, prepare_database

from tests.pg import shared_server


@pytest.fixture(scope="session")
def pg_server():
    pytest.importorskip("psycopg")
    url = shared_server()
    if url is None:
        # CI has PostgreSQL (the python machine image ships it): there a missing server fails.
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL (initdb, pg_ctl) is needed in CI for the PostgreSQL tests.")
        pytest.skip("PostgreSQL binaries not installed on this machine")
    yield url


@pytest.fixture
def pg_db(pg_server, request):
    """An empty database on the server, named after the test."""
    name = "t_" + re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:55]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    db = Database(pg_server.replace("/postgres?", f"/{name}?"))
    yield db
    db.dispose()


@pytest.fixture
def pg_db_migrated(pg_db, tmp_path):
    assert prepare_database(pg_db, tmp_path / "backups").after == SCHEMA_HEAD
    return pg_db
