import shutil
import sqlite3
from pathlib import Path


import pytest
from sqlalchemy import text

from occe_bureau.db import Database
from occe_bureau.migrate import SCHEMA_HEAD, SchemaError, alembic_head, current_revision, prepare_database
from occe_bureau import clock

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_schema_head_constant_matches_alembic(db):
    assert alembic_head(db) == SCHEMA_HEAD
    assert current_revision(db) == SCHEMA_HEAD


def test_empty_database_goes_to_head_without_backup(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    report = prepare_database(db, tmp_path / "backups")
    assert report.before is None and report.after == SCHEMA_HEAD
    assert report.backup is None
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_database_from_first_release_upgrades_with_its_data_and_a_backup(tmp_path):
    """tests/fixtures/db-0001.sqlite3 was saved by revision 0001 with three coops in it."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "db-0001.sqlite3", path)
    db = Database(f"sqlite:///{path}")
    report = prepare_database(db, tmp_path / "backups")
    assert report.before == "0001_foundation"
    assert report.after == SCHEMA_HEAD
    with db.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM coop ORDER BY number"))]
    assert names == ["École maternelle Les Tilleuls", "École élémentaire Jean Jaurès",
                     "Collège Paul Éluard"]
    # The lending desk's tables exist after the upgrade, with the seeded categories, and work.
    from occe_bureau.lending import inventory
    from occe_bureau.lending import queries as loan_queries
    from occe_bureau.lending import loans

    categories = inventory.list_categories(db)
    assert "Matériel de prise de vue et de son" in [c.name for c in categories]
    with db.engine.connect() as conn:
        coop_id = conn.execute(text("SELECT MIN(id) FROM coop")).scalar()
    item = inventory.create_item(db, inventory.ItemData(code="CAM-01", name="Caméra",
                                                        category_id=categories[0].id))
    loan = loans.create_loan(db, loans.LoanData(coop_id=coop_id, borrower="Mme Martin",
                                                start_date=clock.today(), due_date=clock.today(),
                                                item_ids=[item]))
    assert loan_queries.get_loan(db, loan).slip_number == 1
    if report.before != report.after:
        assert report.backup is not None and report.backup.exists()
        backup = sqlite3.connect(report.backup)
        assert backup.execute("SELECT COUNT(*) FROM coop").fetchone()[0] == 3
        backup.close()


@pytest.mark.sqlite_only  # the file is copied and inspected as SQLite
def test_database_from_a_newer_version_is_refused_and_left_untouched(db, tmp_path):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    path = db.sqlite_file
    before = Path(path).read_bytes()
    with pytest.raises(SchemaError, match="plus récente"):
        prepare_database(db, tmp_path / "backups")
    assert current_revision(db) == "9999_future"
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
    assert Path(path).read_bytes() == before


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE something (x)")
    con.commit()
    con.close()
    with pytest.raises(SchemaError, match="ne viennent pas"):
        prepare_database(Database(f"sqlite:///{path}"), tmp_path / "b")


def test_first_release_database_gets_usable_donation_tables(tmp_path):
    """After the upgrade of the 0001 fixture, a gift can be recorded and receipted."""
    from datetime import date

    from occe_bureau import gifts
    from tests.core.donations_helpers import gift, person, setup_association

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "db-0001.sqlite3", path)
    db = Database(f"sqlite:///{path}")
    prepare_database(db, tmp_path / "backups")
    with db.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
        coop_id = conn.execute(text("SELECT id FROM coop ORDER BY number LIMIT 1")).scalar()
    assert {"donor", "donation", "tax_receipt", "receipt_line", "receipt_counter",
            "receipt_image"} <= tables
    setup_association(db)
    gid = gifts.create_donation(db, gift(coop_id=coop_id, donor=person("Nowak", "Łukasz")),
                               today=date(2025, 6, 1))
    rid = gifts.issue_receipt(db, gid, today=date(2025, 6, 1))
    assert gifts.receipt_doc(db, rid).number == "2024-00001"
    db.dispose()


def test_models_declared_match_the_migrated_schema(db):
    """Alembic's autogenerate finds nothing to do: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from occe_bureau.tables import load_all

    load_all()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
