"""The receipt chain: each receipt's hash covers its frozen content and the previous
receipt's hash. Tampering with the file directly (the sqlite3 module on the file, the guard
triggers dropped first as an attacker would) is found, and the first receipt concerned is
named; the triggers refuse to change the hashes; the check at start and the move see it."""

import sqlite3
from datetime import date

import pytest
from sqlalchemy import text

from occe_bureau import gifts, safety
from occe_bureau.gifts import ChainBreak, chain
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association

NAMES = [("Nowak", "Ewa"), ("Dupont", "Jean"), ("Bernard", "Luc"), ("Leroy", "Anne"),
         ("Petit", "Zoé")]


@pytest.fixture
def issued(db):
    """Five receipts 2024-00001 … 2024-00005, one of them a summary of two gifts."""
    setup_association(db)
    coop = make_coop(db)
    ids = [gifts.create_donation(db, gift(str(10 * (i + 1)), coop_id=coop,
                                          donor=person(last, first, postal_code=f"9200{i}")),
                                 today=TODAY) for i, (last, first) in enumerate(NAMES[:4])]
    for gid in ids[:3]:
        gifts.issue_receipt(db, gid, today=TODAY)
    petit = person(*NAMES[4])
    gifts.create_donation(db, gift("7", on=date(2025, 1, 3), coop_id=coop, donor=petit), today=TODAY)
    gifts.create_donation(db, gift("8", on=date(2025, 1, 9), coop_id=coop, donor=petit), today=TODAY)
    donor = next(d.donor_id for d in gifts.list_donations(db, gifts.DonationFilter(search="petit")))
    gifts.issue_summary(db, donor, date(2025, 1, 1), date(2025, 5, 31), today=TODAY)
    gifts.issue_receipt(db, ids[3], today=TODAY)
    return db


tampering = pytest.mark.sqlite_only  # the sqlite3 module on the file itself


def attacker(db) -> sqlite3.Connection:
    """The file opened with the sqlite3 module, the guard triggers dropped."""
    db.dispose()
    con = sqlite3.connect(db.sqlite_file, isolation_level=None)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    return con


def numbers(db) -> list[str]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT number FROM tax_receipt ORDER BY id"))]


def test_an_intact_chain_verifies_with_every_receipt_counted(issued):
    report = gifts.verify_receipt_chain(issued)
    assert report.ok and report.receipts == 5
    assert report.message == ("5 reçus fiscaux vérifiés : aucun n'a été modifié, supprimé, "
                              "ajouté ni déplacé en dehors de l'application.")
    with issued.engine.connect() as conn:
        rows = conn.execute(text("SELECT chain_prev, chain_hash FROM tax_receipt ORDER BY id")).all()
        register = conn.execute(text("SELECT receipts, last_hash FROM receipt_chain")).one()
    assert rows[0][0] == chain.GENESIS
    assert all(rows[i][0] == rows[i - 1][1] for i in range(1, 5))
    assert tuple(register) == (5, rows[-1][1])


def test_cancelling_and_printing_keep_the_chain(issued):
    receipts = gifts.list_receipts(issued, gifts.ReceiptFilter())
    gifts.mark_printed(issued, [r.id for r in receipts])
    first = min(receipts, key=lambda r: r.id)
    replacement = gifts.cancel_receipt(issued, first.id, "Erreur sur le nom", replace=True, today=TODAY)
    assert gifts.receipt_doc(issued, replacement).number == "2024-00006"
    assert gifts.verify_receipt_chain(issued).ok


def test_the_triggers_refuse_to_change_a_hash_or_the_register(issued):
    with pytest.raises(Exception, match="figé"):
        with issued.engine.begin() as conn:
            conn.execute(text("UPDATE tax_receipt SET chain_hash = 'x' WHERE seq = 2"))
    with pytest.raises(Exception, match="registre"):
        with issued.engine.begin() as conn:
            conn.execute(text("UPDATE receipt_chain SET receipts = 0"))
    with pytest.raises(Exception, match="registre"):
        with issued.engine.begin() as conn:
            conn.execute(text("DELETE FROM receipt_chain"))
    assert gifts.verify_receipt_chain(issued).ok


@tampering
def test_an_amount_and_a_donor_changed_on_the_file_name_the_receipt(issued):
    con = attacker(issued)
    con.execute("UPDATE tax_receipt SET amount_cents = 90000, amount_words = 'neuf cents euros', "
                "donor_name = 'Escroc' WHERE number = '2024-00002'")
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert report.problem == ChainBreak.ALTERED and report.number == "2024-00002"
    assert report.message.startswith("Le reçu n° 2024-00002 a été modifié en dehors de l'application")


@tampering
def test_a_line_of_a_summary_changed_on_the_file_names_its_receipt(issued):
    con = attacker(issued)
    rid = con.execute("SELECT id FROM tax_receipt WHERE number = '2024-00004'").fetchone()[0]
    con.execute("UPDATE receipt_line SET amount_cents = 800000 WHERE receipt_id = ? "
                "AND amount_cents = 800", (rid,))
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert (report.problem, report.number) == (ChainBreak.ALTERED, "2024-00004")


@tampering
def test_a_receipt_deleted_on_the_file_is_found_between_its_neighbours(issued):
    con = attacker(issued)
    con.execute("DELETE FROM tax_receipt WHERE number = '2024-00003'")
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert report.problem == ChainBreak.DELETED and report.number == "2024-00004"
    assert ("Un reçu émis entre le reçu n° 2024-00002 et le reçu n° 2024-00004 a été supprimé"
            in report.message)


@tampering
def test_the_last_receipt_deleted_on_the_file_is_found_by_the_register(issued):
    con = attacker(issued)
    con.execute("DELETE FROM tax_receipt WHERE number = '2024-00005'")
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert report.problem == ChainBreak.DELETED
    assert "après le reçu n° 2024-00004, le dernier restant" in report.message


def _forge(con, number: str, seq: int, receipt_id: int | None = None, chain_hash=None,
           chain_prev=None) -> None:
    """A copy of receipt 2024-00001 under another number and donor, as a forger would add."""
    columns = [r[1] for r in con.execute("PRAGMA table_info(tax_receipt)")]
    copied = [c for c in columns if c not in ("id", "number", "seq", "donor_name", "chain_prev",
                                              "chain_hash")]
    con.execute(f"INSERT INTO tax_receipt (id, number, seq, donor_name, chain_prev, chain_hash, "
                f"{', '.join(copied)}) SELECT ?, ?, ?, 'Faussaire', ?, ?, {', '.join(copied)} "
                "FROM tax_receipt WHERE number = '2024-00001'",
                (receipt_id, number, seq, chain_prev, chain_hash))


@tampering
def test_a_forged_receipt_inserted_on_the_file_is_named(issued):
    con = attacker(issued)
    _forge(con, "2024-00006", 6)
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert report.problem == ChainBreak.INSERTED and report.number == "2024-00006"
    assert report.message.startswith("Le reçu n° 2024-00006 a été ajouté en dehors de l'application")


@tampering
def test_a_forged_receipt_with_a_computed_hash_slipped_into_a_gap_of_ids_is_named(issued):
    """The forger knows the encoding and chains the forgery to receipt 2 in a free id
    between 2 and 3: the receipt after it still points over it."""
    con = attacker(issued)
    ids = [r[0] for r in con.execute("SELECT id FROM tax_receipt ORDER BY id")]
    con.execute("UPDATE receipt_line SET receipt_id = receipt_id + 100 WHERE receipt_id > ?", (ids[1],))
    con.execute("UPDATE donation SET receipt_id = receipt_id + 100 WHERE receipt_id > ?", (ids[1],))
    con.execute("UPDATE tax_receipt SET id = id + 100 WHERE id > ?", (ids[1],))
    prev = con.execute("SELECT chain_hash FROM tax_receipt WHERE id = ?", (ids[1],)).fetchone()[0]
    _forge(con, "2024-00099", 99, receipt_id=ids[1] + 1, chain_prev=prev)
    row = con.execute(chain.RECEIPTS_SQL.replace(" ORDER BY", " WHERE number = '2024-00099' ORDER BY")).fetchone()
    con.execute("UPDATE tax_receipt SET chain_hash = ? WHERE number = '2024-00099'",
                (chain.link_hash(prev, list(row[3:]), []),))
    con.close()
    report = gifts.verify_receipt_chain(issued)
    assert (report.problem, report.number) == (ChainBreak.INSERTED, "2024-00099")


@tampering
def test_two_receipts_swapped_on_the_file_are_named(issued):
    """Receipts 2 and 3 exchange their places in the issue order (ids, with their lines)."""
    con = attacker(issued)
    a, b = (r[0] for r in con.execute("SELECT id FROM tax_receipt WHERE seq IN (2, 3) ORDER BY id"))
    for table, column in (("tax_receipt", "id"), ("receipt_line", "receipt_id"),
                          ("donation", "receipt_id")):
        con.execute(f"UPDATE {table} SET {column} = -1 WHERE {column} = ?", (a,))
        con.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (a, b))
        con.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = -1", (b,))
    con.close()
    assert numbers(issued)[1:3] == ["2024-00003", "2024-00002"]
    report = gifts.verify_receipt_chain(issued)
    assert report.problem == ChainBreak.MOVED and report.number == "2024-00003"
    assert ("L'ordre des reçus a été modifié en dehors de l'application : le reçu n° 2024-00003 "
            "est placé avant le reçu n° 2024-00002, émis avant lui") in report.message


@tampering
def test_a_chain_recomputed_whole_by_the_forger_is_not_found_by_the_database_alone(issued):
    """What the chain cannot prove (said in its docstring): whoever rewrites every hash and
    the register makes a chain that verifies; only a hash kept elsewhere tells."""
    before = gifts.verify_receipt_chain(issued)
    con = attacker(issued)
    con.execute("UPDATE tax_receipt SET amount_cents = 1 WHERE seq = 1")
    prev = chain.GENESIS
    for row in con.execute(chain.RECEIPTS_SQL).fetchall():
        lines = [list(r[1:]) for r in con.execute(chain.LINES_SQL.replace(
            " ORDER BY", f" WHERE receipt_id = {row[0]} ORDER BY"))]
        digest = chain.link_hash(prev, list(row[3:]), lines)
        con.execute("UPDATE tax_receipt SET chain_prev = ?, chain_hash = ? WHERE id = ?",
                    (prev, digest, row[0]))
        prev = digest
    con.execute("UPDATE receipt_chain SET last_hash = ?", (prev,))
    con.close()
    after = gifts.verify_receipt_chain(issued)
    assert after.ok and after.last_hash != before.last_hash


def test_receipts_issued_before_the_chain_are_chained_by_the_migration(tmp_path):
    from tests.core.test_gifts_frozen import test_receipts_issued_before_the_upgrade_get_the_logo_of_the_day as old

    old(tmp_path)  # a receipt written at revision 0003, then the upgrade to the head
    from occe_bureau.db import Database

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    report = gifts.verify_receipt_chain(db)
    assert report.ok and report.receipts == 1
    db.dispose()


def test_the_encoding_is_the_documented_one_and_stable():
    """A receipt's hash computed by hand from the encoding of the docstring, and a fixed
    value: a change of the encoding breaks every chain already issued."""
    import hashlib
    import json

    fields = [f"v{i}" for i in range(len(chain.FIELDS))]
    fields[chain.FIELDS.index("issued_on")] = date(2025, 6, 15)
    fields[chain.FIELDS.index("issued_at")] = "2025-06-15 08:30:00"
    fields[chain.FIELDS.index("amount_cents")] = 8000
    fields[chain.FIELDS.index("gift_date")] = None
    fields[chain.FIELDS.index("donor_name")] = "Łukasz « Ø » \"q\"\n"
    lines = [[3, date(2025, 6, 1), 8000, "cheque", "123"]]
    expected = json.dumps(
        ["occe-bureau/receipt-chain/1", chain.GENESIS,
         [("2025-06-15" if f == "issued_on" else "2025-06-15 08:30:00.000000" if f == "issued_at"
           else v) for f, v in zip(chain.FIELDS, fields)], [[3, "2025-06-01", 8000, "cheque", "123"]]],
        ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = chain.link_hash(chain.GENESIS, list(fields), [list(x) for x in lines])
    assert digest == hashlib.sha256(expected).hexdigest()
    assert digest == "76259eabe666224a242b30a57070826fd63f8a27163dc8cfe8a218b683ab688c"


def test_the_chain_covers_the_columns_migration_0006_freezes():
    import importlib.util
    from pathlib import Path

    import occe_bureau

    path = Path(occe_bureau.__file__).parent / "migrations" / "versions" / "0006_receipt_guards.py"
    spec = importlib.util.spec_from_file_location("m0006", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert chain.FIELDS == module.FROZEN
    assert ("receipt_id",) + chain.LINE_FIELDS == module.LINE_FROZEN


# ---- the check at start ---------------------------------------------------------------------

@tampering
def test_the_check_at_start_names_the_receipt_altered(issued):
    path = issued.sqlite_file
    from pathlib import Path

    assert safety.check_content(Path(path)).usable
    con = attacker(issued)
    con.execute("UPDATE tax_receipt SET donor_name = 'Escroc' WHERE seq = 5")
    con.close()
    found = safety.check_content(Path(path))
    assert found.health == safety.Health.DAMAGED
    assert found.message == ("La base de données est endommagée : le reçu n° 2024-00005 a été "
                             "modifié en dehors de l'application (son contenu ne correspond plus "
                             "à l'empreinte enregistrée à son émission).")


@tampering
def test_the_check_at_start_reads_only_the_receipts_after_its_checkpoint(issued, monkeypatch):
    from pathlib import Path

    path = Path(issued.sqlite_file)
    assert safety.check_content(path).usable  # the whole chain: the checkpoint recorded
    read = []
    real = chain.verify_steps

    def spy(execute, since=None):
        read.append(since)
        return (yield from real(execute, since=since))

    monkeypatch.setattr(chain, "verify_steps", spy)
    coop = make_coop(issued, "92-0002", "École B")
    gid = gifts.create_donation(issued, gift("12", coop_id=coop, donor=person("Roux", "Eva")), today=TODAY)
    gifts.issue_receipt(issued, gid, today=TODAY)
    issued.dispose()
    assert safety.check_content(path).usable
    assert read and read[-1] is not None  # from the checkpoint, not from the first receipt
    con = attacker(issued)
    con.execute("UPDATE tax_receipt SET amount_cents = 5 WHERE seq = 6")
    con.close()
    found = safety.check_content(path)
    assert not found.usable and "2024-00006" in found.message


@tampering
def test_the_check_at_start_sweeps_the_older_receipts_a_window_per_start(issued, monkeypatch):
    """An old receipt, already behind the checkpoint, changed on the file: found by the
    sweep within a few starts (windows of 2 receipts here)."""
    from pathlib import Path

    from occe_bureau.safety import integrity

    monkeypatch.setattr(integrity, "SWEEP", 2)
    path = Path(issued.sqlite_file)
    assert safety.check_content(path).usable  # the whole chain, checkpoint on receipt 5
    con = attacker(issued)
    con.execute("UPDATE tax_receipt SET donor_name = 'Escroc' WHERE seq = 3")
    con.close()
    results = [safety.check_content(path) for _ in range(3)]
    assert [r.usable for r in results] == [True, False, False]  # receipts 1-2, then 2-4: found
    assert "le reçu n° 2024-00003 a été modifié" in results[1].message
