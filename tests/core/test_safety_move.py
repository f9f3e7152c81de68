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
    assert report.chain.ok and report.chain.receipts == report.counts["tax_receipt"]
    from occe_bureau import gifts

    assert gifts.verify_receipt_chain(pg_db).last_hash == report.chain.last_hash
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


def test_a_file_whose_receipt_chain_is_broken_is_not_moved(office_file, pg_db, tmp_path):
    import sqlite3

    office_file.dispose()
    con = sqlite3.connect(office_file.sqlite_file, isolation_level=None)
    con.execute("DROP TRIGGER tax_receipt_frozen")
    number = con.execute("SELECT number FROM tax_receipt ORDER BY id LIMIT 1 OFFSET 40").fetchone()[0]
    con.execute("UPDATE tax_receipt SET amount_cents = amount_cents + 100 WHERE number = ?", (number,))
    con.close()
    with pytest.raises(MoveError, match=f"rompue dans le fichier : le reçu n° {number} a été modifié"):
        move_to_server(office_file, pg_db, tmp_path / "sauvegardes")
    with pg_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM tax_receipt")) == 0


def test_the_server_copy_is_verified_before_it_is_kept(office_file, pg_db, tmp_path, monkeypatch):
    """A copy that would not verify on the server (here: a receipt's amount changed on its
    way) is rolled back: nothing stays on the server."""
    from sqlalchemy import event

    def altering(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO tax_receipt") and executemany:
            parameters[3] = dict(parameters[3], amount_cents=parameters[3]["amount_cents"] + 1)
        return statement, parameters

    event.listen(pg_db.engine, "before_cursor_execute", altering, retval=True)
    with pytest.raises(MoveError, match="rompue sur le serveur après la copie : le reçu n° "):
        move_to_server(office_file, pg_db, tmp_path / "sauvegardes")
    with pg_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM tax_receipt")) == 0
