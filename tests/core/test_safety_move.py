"""Moving an office from its SQLite file to a PostgreSQL server: every row copied, the counts
and the receipt series checked after, and the server then works (numbering goes on)."""

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from occe_bureau import safety
from occe_bureau.coops import CoopData, CoopKind, create_coop
from occe_bureau.db import Database
from occe_bureau.demo import build_demo
from occe_bureau.migrate import prepare_database
from occe_bureau.safety.move import MoveError, main, move_to_server


@pytest.fixture
def office_file(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'occe_bureau.sqlite3'}")
    prepare_database(db, tmp_path / "sauvegardes")
    build_demo(db)
    yield db
    db.dispose()


def test_the_whole_office_moves_to_the_server_and_checks_out(office_file, pg_db, tmp_path):
    report = move_to_server(office_file, pg_db, tmp_path / "sauvegardes")
    assert report.counts["coop"] == 625 and report.counts["tax_receipt"] > 1000
    assert report.last_receipts  # a series per financial year, checked on both sides
    with pg_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM loan_line")) == report.counts["loan_line"]
    # The server goes on where the file stopped: a new coop gets a fresh id.
    new_id = create_coop(pg_db, CoopData(number="92-9999", name="Nouvelle", kind=CoopKind.LYCEE))
    with pg_db.engine.connect() as conn:
        assert new_id == conn.scalar(text("SELECT max(id) FROM coop"))
    assert safety.check_file(Path(office_file.sqlite_file)).usable  # the file is untouched


def test_a_server_base_that_is_not_empty_is_refused(office_file, pg_db_migrated, tmp_path):
    create_coop(pg_db_migrated, CoopData(number="92-0001", name="Déjà là", kind=CoopKind.LYCEE))
    with pytest.raises(MoveError, match="pas vide"):
        move_to_server(office_file, pg_db_migrated, tmp_path / "sauvegardes")
    with pg_db_migrated.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(text("coop"))) == 1


def test_the_command_says_what_it_did(tmp_path, pg_db, capsys):
    data = tmp_path / "donnees"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'occe_bureau.sqlite3'}")
    prepare_database(db, data / "sauvegardes")
    create_coop(db, CoopData(number="92-0001", name="École", kind=CoopKind.PRIMAIRE))
    db.dispose()
    assert main(["--data-dir", str(data), "--vers", pg_db.url]) == 0
    said = capsys.readouterr().out
    assert "Copie terminée et vérifiée" in said and "occe-bureau --db" in said
    assert main(["--data-dir", str(tmp_path / "rien"), "--vers", pg_db.url]) == 2
