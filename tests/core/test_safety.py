"""Data safety: backups taken, checked, thinned and restored; damaged files found before
anything writes to them; one copy of the application per database file."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from occe_bureau import clock, safety
from occe_bureau.coops import CoopData, CoopKind, create_coop
from occe_bureau.db import Database
from occe_bureau.migrate import prepare_database


@pytest.fixture
def office(tmp_path):
    """A real database file with a few coops, and its backups folder."""
    path = tmp_path / "occe_bureau.sqlite3"
    db = Database(f"sqlite:///{path}")
    prepare_database(db, tmp_path / "sauvegardes")
    for n in range(1, 6):
        create_coop(db, CoopData(number=f"92-000{n}", name=f"École {n}", kind=CoopKind.MATERNELLE))
    yield db, path, tmp_path / "sauvegardes"
    db.dispose()


def checksum_rows(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT group_concat(number || name, ',') FROM coop").fetchone()[0]
    finally:
        con.close()


def test_a_backup_round_trip_gives_back_the_same_rows_and_can_be_undone(office):
    db, path, folder = office
    backup = safety.take_backup(path, folder, "manuelle")
    assert backup.path.exists() and backup.reason == "manuelle"
    assert safety.integrity_problem(backup.path) is None
    assert safety.contents(backup.path).counts == safety.contents(path).counts
    before = checksum_rows(path)
    create_coop(db, CoopData(number="92-0099", name="Ajoutée après", kind=CoopKind.PRIMAIRE))
    after = checksum_rows(path)
    db.dispose()
    undo = safety.restore_backup(path, backup.path, folder)
    assert checksum_rows(path) == before  # the backup's state is back
    assert undo is not None and undo.reason == "avant-restauration"
    safety.restore_backup(path, undo.path, folder)  # and the restore itself can be undone
    assert checksum_rows(path) == after


def test_what_a_backup_holds_is_shown_before_restoring(office):
    _db, path, folder = office
    held = safety.contents(safety.take_backup(path, folder, "manuelle").path)
    assert held.counts["coop"] == 5 and held.last_receipt is None


def test_thinning_keeps_days_then_weeks_then_months():
    today = date(2026, 12, 1)
    made = [safety.BackupInfo(Path(f"b{i}"), datetime(2026, 12, 1, 8) - timedelta(hours=12 * i),
                              "auto", 1) for i in range(2 * 800)]
    kept = safety.to_keep(made, today)
    days = {b.taken_at.date() for b in made if b.path in kept}
    recent = [d for d in days if (today - d).days < 14]
    assert len(recent) == 14  # one a day for two weeks (the newest of each day)
    weeks = {d.isocalendar()[:2] for d in days if 14 <= (today - d).days < 61}
    assert len(weeks) == len([d for d in days if 14 <= (today - d).days < 61])
    months = [d for d in days if 61 <= (today - d).days < 731]
    assert len(months) == len({(d.year, d.month) for d in months}) and len(months) >= 20
    assert all((today - d).days < 731 for d in days)


def test_thin_backups_removes_only_what_the_thinning_drops(office):
    _db, path, folder = office
    with clock.fixed(datetime(2026, 11, 30, 9, 0)):
        first = safety.take_backup(path, folder, "auto")
    with clock.fixed(datetime(2026, 11, 30, 18, 0)):
        second = safety.take_backup(path, folder, "auto")
    removed = safety.thin_backups(folder, date(2026, 12, 1))
    assert removed == [first.path] and second.path.exists()


def damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    if how == "empty":
        path.write_bytes(b"")
    elif how == "not sqlite":
        path.write_text("Nom;Prénom\nDupont;Jean\n", encoding="utf-8")
    elif how == "truncated":
        with path.open("r+b") as handle:
            handle.truncate(size // 2)
    else:
        with path.open("r+b") as handle:
            page = (size // 2 if how == "zeroed" else size // 3) // 4096 * 4096
            handle.seek(page)  # the start of a page: its b-tree header
            handle.write(b"\0" * 64 if how == "zeroed" else os.urandom(4096))


@pytest.mark.parametrize("how, health", [
    ("empty", safety.Health.EMPTY), ("not sqlite", safety.Health.NOT_SQLITE),
    ("truncated", safety.Health.DAMAGED), ("zeroed", safety.Health.DAMAGED),
    ("random", safety.Health.DAMAGED),
])
def test_each_kind_of_damaged_file_is_found_and_backups_refuse_it(office, how, health):
    db, path, folder = office
    for _ in range(40):  # enough pages that the damage lands inside the data
        create_coop(db, CoopData(number=f"93-{_:04d}", name="x" * 140, kind=CoopKind.LYCEE))
    db.dispose()
    assert safety.check_file(path).usable
    damage(path, how)
    found = safety.check_file(path)
    assert found.health == health and not found.usable and found.message
    if health == safety.Health.DAMAGED:
        with pytest.raises(safety.BackupError):
            safety.take_backup(path, folder, "manuelle")
        assert not list(folder.glob("*manuelle*"))  # no damaged copy kept


def test_a_receipt_deleted_outside_the_application_is_a_gap(office):
    from occe_bureau import gifts
    from tests.core.donations_helpers import PNG_1PX, gift, make_coop, person, setup_association

    db, path, _folder = office
    setup_association(db, signature=PNG_1PX)
    coop = make_coop(db, number="92-0500")
    day = date(2025, 3, 12)
    ids = gifts.enter_request(db, coop, [gift("20", donor=person(n, "Anne"), on=day)
                                         for n in ("Martin", "Nowak", "Hansen")], today=day)
    for gift_id in ids:
        gifts.issue_receipt(db, gift_id, today=day)
    db.dispose()
    assert safety.check_file(path).usable
    con = sqlite3.connect(path)
    for trigger in ("tax_receipt_kept", "receipt_line_kept"):  # a tamperer removes the guards
        con.execute(f"DROP TRIGGER {trigger}")
    con.execute("UPDATE donation SET receipt_id = NULL")
    con.execute("DELETE FROM receipt_line")
    con.execute("DELETE FROM tax_receipt WHERE seq = 3")  # the last one: no hole to see
    con.commit()
    found = safety.check_file(path)
    assert found.health == safety.Health.DAMAGED and "1 numéro manquant" in found.message
    con.execute("DELETE FROM tax_receipt WHERE seq = 1")
    con.commit()
    con.close()
    assert "2 numéros manquants" in safety.check_file(path).message


def test_a_damaged_file_is_set_aside_and_kept(office):
    db, path, _folder = office
    db.dispose()
    damage(path, "empty")
    kept = safety.set_aside(path)
    assert kept.exists() and not path.exists() and "endommagee" in kept.name


HOLD = """
import sys, time
from pathlib import Path
from occe_bureau.safety import DatabaseLock
lock = DatabaseLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_copy_is_refused_with_who_holds_it_and_a_crashed_one_is_taken_over(office):
    _db, path, _folder = office
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout.readline().strip() == "held"
        second = safety.DatabaseLock(path)
        with pytest.raises(safety.AlreadyOpen) as refused:
            second.acquire()
        message = str(refused.value)
        assert "déjà ouverte" in message and safety.Holder.me().computer in message
    finally:
        holder.kill()  # a crash: SIGKILL, nothing cleaned up
        holder.wait()
    assert Path(f"{path}.poste").exists()  # the crashed copy's note is still there…
    taken = safety.DatabaseLock(path)
    taken.acquire()  # …and the lock is taken over
    assert taken.holder().pid == os.getpid()
    taken.release()


def issued_receipt(db):
    from occe_bureau import gifts
    from tests.core.donations_helpers import PNG_1PX, gift, make_coop, person, setup_association

    setup_association(db, signature=PNG_1PX)
    coop = make_coop(db, number="92-0600")
    day = date(2025, 3, 12)
    (gift_id,) = gifts.enter_request(db, coop, [gift("20", donor=person("Martin", "Anne"), on=day)],
                                     today=day)
    return gifts.issue_receipt(db, gift_id, today=day)


def assert_guarded(db, receipt_id):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for statement in (f"DELETE FROM tax_receipt WHERE id = {receipt_id}",
                      f"UPDATE tax_receipt SET amount_cents = 1 WHERE id = {receipt_id}",
                      f"UPDATE tax_receipt SET donor_name = 'Autre' WHERE id = {receipt_id}",
                      f"DELETE FROM receipt_line WHERE receipt_id = {receipt_id}",
                      f"UPDATE receipt_line SET amount_cents = 1 WHERE receipt_id = {receipt_id}"):
        with pytest.raises(DBAPIError) as refused:
            with db.engine.begin() as conn:
                conn.execute(text(statement))
        assert "reçu fiscal émis" in str(refused.value)
    with db.engine.begin() as conn:  # printing and cancelling stay possible
        conn.execute(text(f"UPDATE tax_receipt SET printed_at = issued_at WHERE id = {receipt_id}"))


def test_the_database_refuses_to_delete_or_alter_an_issued_receipt(office):
    db, _path, _folder = office
    receipt_id = issued_receipt(db)
    assert_guarded(db, receipt_id)
    from occe_bureau import gifts

    gifts.cancel_receipt(db, receipt_id, "Erreur sur le prénom", today=date(2025, 3, 13))


def test_the_guards_hold_on_postgresql_too(pg_db_migrated):
    assert_guarded(pg_db_migrated, issued_receipt(pg_db_migrated))
