"""The audit trail: an entry for each kind of change, in every domain, written by the ORM's
session events or beside the core statements; append-only (triggers); who and where."""

import dataclasses
import json
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from occe_bureau import audit, clock, coops, gifts, lending, safety
from occe_bureau.association import (
    AssociationData, get_association, save_association, save_association_and_settings,
)
from occe_bureau.coops import register as coop_register
from occe_bureau.tabular import Table
from occe_bureau.validation import ValidationError
from tests.core import donations_helpers as dh
from tests.core import loans_helpers as lh


def entries(db, table=None, record_id=None):
    query = "SELECT table_name, record_id, action, before, after, title, user_name, workstation, " \
            "owner_table, owner_id, at FROM audit_entry"
    where, params = [], {}
    if table:
        where.append("table_name = :t")
        params["t"] = table
    if record_id is not None:
        where.append("record_id = :r")
        params["r"] = str(record_id)
    if where:
        query += " WHERE " + " AND ".join(where)
    with db.engine.connect() as conn:
        rows = conn.execute(text(query + " ORDER BY id"), params).mappings().all()
    return [dict(r, before=json.loads(r["before"]) if r["before"] else None,
                 after=json.loads(r["after"]) if r["after"] else None) for r in rows]


def actions(db, table, record_id=None):
    return [e["action"] for e in entries(db, table, record_id)]


@pytest.fixture
def someone(monkeypatch):
    """The computer's user and workstation, as the operating system names them."""
    monkeypatch.setattr("getpass.getuser", lambda: "secretariat")
    monkeypatch.setattr("socket.gethostname", lambda: "POSTE-ACCUEIL")
    audit.operator.cache_clear()
    yield
    audit.operator.cache_clear()


# ---- coops -------------------------------------------------------------------------------------

def test_a_coop_s_life_is_recorded_with_who_where_when_and_the_changed_fields(db, someone):
    moment = datetime(2026, 3, 12, 14, 30)
    with clock.fixed(moment):
        cid = coops.create_coop(db, coops.CoopData(number="92-0001", name="École A",
                                                   kind="maternelle", commune="Nanterre"))
    detail = coops.get_coop(db, cid)
    coops.update_coop(db, cid, dataclasses.replace(detail.data, name="École B"),
                      {2025: coops.YearData(classes=4, pupils=90, adults=6)})
    coops.set_archived(db, cid, True)
    coops.set_archived(db, cid, False)

    found = entries(db, "coop", cid)
    assert [e["action"] for e in found] == ["creation", "modification", "archivage", "reactivation"]
    created, renamed = found[0], found[1]
    assert created["user_name"] == "secretariat" and created["workstation"] == "POSTE-ACCUEIL"
    assert str(created["at"]).startswith("2026-03-12 14:30")
    assert created["before"] is None and created["after"]["name"] == "École A"
    assert created["after"]["kind"] == "maternelle" and "search_key" not in created["after"]
    # A modification keeps the changed fields only, before and after.
    assert renamed["before"] == {"name": "École A"} and renamed["after"] == {"name": "École B"}
    assert renamed["title"] == "92-0001 École B"
    # The year belongs to the coop: its history shows it.
    year = entries(db, "coop_year")[0]
    assert (year["owner_table"], year["owner_id"]) == ("coop", str(cid))
    assert year["after"]["pupils"] == 90
    lines = safety.record_history(db, "coop", cid)[::-1]  # newest first: read it from the start
    assert [line.action for line in lines] == ["Création", "Modification", "Création",
                                               "Archivage", "Réactivation"]
    assert "Nom : « École A » → « École B »" in lines[1].changes
    assert "Année 2025-2026 — Élèves : « 90 »" in lines[2].changes
    assert not any("Cotisation" in c for c in lines[2].changes)  # nothing said of what is 0
    assert "Archivée : « non » → « oui »" in lines[3].changes
    assert lines[0].user == "secretariat" and lines[0].workstation == "POSTE-ACCUEIL"


def test_saving_a_form_unchanged_records_nothing(db):
    cid = dh.make_coop(db)
    detail = coops.get_coop(db, cid)
    coops.update_coop(db, cid, detail.data)
    assert actions(db, "coop", cid) == ["creation"]


def test_a_refused_change_leaves_no_entry(db):
    cid = dh.make_coop(db)
    dh.make_coop(db, number="92-0002", name="École B")
    detail = coops.get_coop(db, cid)
    with pytest.raises(ValidationError):
        coops.update_coop(db, cid, dataclasses.replace(detail.data, number="92-0002"))
    assert actions(db, "coop", cid) == ["creation"]


def test_deleting_a_coop_entered_by_mistake_keeps_its_values(db):
    cid = dh.make_coop(db, name="École en double")
    coops.delete_coop(db, cid)
    deleted = entries(db, "coop", cid)[-1]
    assert deleted["action"] == "suppression"
    assert deleted["before"]["name"] == "École en double" and deleted["after"] is None


def test_the_register_import_records_each_coop_created_or_updated(db):
    cid = dh.make_coop(db, number="92-0001", name="École A")
    table = Table(["Numéro", "Nom", "Type", "Commune", "Élèves"], [
        ["92-0001", "École A renommée", "maternelle", "Nanterre", "120"],
        ["92-0002", "École neuve", "elementaire", "Sceaux", "80"],
    ])
    plan = coops.plan_import(db, table, coops.guess_mapping(table.headers), 2025)
    coops.apply_import(db, plan)
    updated = entries(db, "coop", cid)[-1]
    assert updated["action"] == "modification"
    assert updated["before"] == {"name": "École A"} and updated["after"] == {"name": "École A renommée"}
    new = [e for e in entries(db, "coop") if e["record_id"] != str(cid)]
    assert [(e["action"], e["after"]["name"]) for e in new] == [("creation", "École neuve")]
    years = entries(db, "coop_year")
    assert sorted(e["after"]["pupils"] for e in years) == [80, 120]
    assert {e["owner_id"] for e in years} == {str(cid), new[0]["record_id"]}
    # A second import of the same file changes nothing, and records nothing.
    before = len(entries(db))
    coops.apply_import(db, coops.plan_import(db, table, coops.guess_mapping(table.headers), 2025))
    assert len(entries(db)) == before


# ---- lending -----------------------------------------------------------------------------------

def test_material_and_loans_are_recorded(db):
    coop = lh.make_coop(db)
    item = lh.make_item(db)
    data = lending.get_item(db, item).data
    lending.update_item(db, item, dataclasses.replace(data, name="Caméra 4K"))
    assert actions(db, "item", item) == ["creation", "modification"]
    assert entries(db, "item", item)[1]["after"] == {"name": "Caméra 4K"}

    loan = lh.lend(db, coop, [item], lh.d(3), lh.d(14))
    lending.return_items(db, loan, [lending.ReturnData(item, lh.d(7), "Bon état")], today=lh.TODAY)
    booking = lh.book(db, coop, [item], lh.d(20), lh.d(25))
    lending.cancel_booking(db, booking, "Sortie annulée")

    assert actions(db, "loan", loan) == ["creation", "modification"]
    assert entries(db, "loan", loan)[1]["after"]["status"] == "closed"
    assert actions(db, "loan", booking)[-1] == "annulation"
    history = safety.record_history(db, "loan", loan)
    assert any("Statut : « En prêt » → « Rendu »" in c for line in history for c in line.changes)
    assert any("Rendu le" in c and "07/03/2025" in c for line in history for c in line.changes)


# ---- gifts and receipts ------------------------------------------------------------------------

@pytest.fixture
def office(db):
    dh.setup_association(db)
    return db, dh.make_coop(db)


def test_donors_gifts_and_their_withdrawal_are_recorded(office):
    db, coop = office
    (gid,) = gifts.enter_request(db, coop, [dh.gift("80")], today=dh.TODAY)
    donor_id = entries(db, "donor")[0]["record_id"]
    assert entries(db, "donor")[0]["after"]["last_name"] == "Martin"
    assert entries(db, "donation", gid)[0]["after"]["amount_cents"] == 8000
    gifts.update_donor(db, int(donor_id), dh.person(city="Suresnes", postal_code="92150"))
    moved = entries(db, "donor", donor_id)[-1]
    assert moved["before"] == {"postal_code": "92000", "city": "Nanterre"}
    gifts.withdraw_donation(db, gid, "Saisi deux fois")
    assert actions(db, "donation", gid)[-1] == "retrait"
    lines = safety.record_history(db, "donation", gid)
    assert "Montant : « 80,00\u00a0€ »" in lines[-1].changes  # the oldest: its creation


def test_receipts_issue_print_cancel_and_replacement_are_recorded(office):
    db, coop = office
    (gid,) = gifts.enter_request(db, coop, [dh.gift("80")], today=dh.TODAY)
    rid = gifts.issue_receipt(db, gid, today=dh.TODAY)
    issued = entries(db, "tax_receipt", rid)[0]
    assert issued["action"] == "emission"
    assert issued["after"]["amount_cents"] == 8000 and issued["after"]["gifts"] == [gid]
    number = issued["after"]["number"]
    assert issued["title"] == f"Reçu {number}"
    assert entries(db, "donation", gid)[-1]["after"] == {"receipt": number}

    gifts.mark_printed(db, [rid])
    gifts.mark_printed(db, [rid])  # a duplicate is not a first print
    assert actions(db, "tax_receipt", rid) == ["emission", "impression"]

    new = gifts.cancel_receipt(db, rid, "Erreur de nom", replace=True, today=dh.TODAY)
    assert actions(db, "tax_receipt", rid) == ["emission", "impression", "annulation"]
    cancelled = entries(db, "tax_receipt", rid)[-1]
    assert cancelled["after"]["cancel_reason"] == "Erreur de nom"
    replacement = entries(db, "tax_receipt", new)[0]
    assert replacement["action"] == "remplacement"
    assert replacement["after"]["replaces_numbers"] == number
    assert [e["action"] for e in entries(db, "donation", gid)][-2:] == ["annulation", "remplacement"]
    history = safety.record_history(db, "tax_receipt", new)
    assert f"Remplace le reçu : « {number} »" in history[0].changes


def test_a_batch_of_receipts_records_one_entry_per_receipt(office):
    db, coop = office
    names = ["Martin", "Bernard", "Lefebvre", "Moreau", "Garnier"]
    ids = gifts.enter_request(db, coop, [dh.gift("10", donor=dh.person(n, postal_code=f"9210{i}"))
                                         for i, n in enumerate(names)], today=dh.TODAY)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=dh.TODAY)
    result = batch.run()
    assert len(result.receipt_ids) == 5
    assert sorted(int(e["record_id"]) for e in entries(db, "tax_receipt")
                  if e["action"] == "emission") == sorted(result.receipt_ids)
    assert all(entries(db, "donation", g)[-1]["action"] == "emission" for g in ids)


# ---- the association's settings ---------------------------------------------------------------

def test_the_association_and_its_settings_are_recorded(db):
    dh.setup_association(db)
    first = entries(db, "association")
    assert first[0]["action"] == "creation" and first[0]["after"]["name"].startswith("OCCE")
    data = get_association(db)
    save_association_and_settings(db, dataclasses.replace(data, signatory_name="Jean Dupont",
                                                          signature=dh.PNG_1PX),
                                  {"receipts.note": "Merci pour votre don."})
    changed = entries(db, "association")[-1]
    assert changed["before"]["signatory_name"] == "Marie-Claude Lefèvre"
    assert changed["after"]["signatory_name"] == "Jean Dupont"
    assert changed["after"]["signature"] == {"octets": len(dh.PNG_1PX)}
    setting = entries(db, "app_setting", "receipts.note")[-1]
    assert setting["after"] == {"value": "Merci pour votre don."}
    lines = safety.record_history(db, "association", 1)
    assert any(c.startswith("Signature : (vide) → « image de") for c in lines[0].changes)


# ---- append-only --------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET after = '{}'",
                                       "UPDATE audit_entry SET user_name = 'quelqu''un'",
                                       "DELETE FROM audit_entry"])
def test_the_database_refuses_to_alter_the_trail(db, statement):
    dh.make_coop(db)
    before = entries(db)
    with pytest.raises(DBAPIError, match="ne se modifie pas"):
        with db.engine.begin() as conn:
            conn.execute(text(statement))
    assert entries(db) == before


def test_the_server_refuses_to_alter_the_trail(pg_db_migrated):
    db = pg_db_migrated
    dh.make_coop(db)
    assert actions(db, "coop") == ["creation"]
    for statement in ("UPDATE audit_entry SET title = 'x'", "DELETE FROM audit_entry",
                      "TRUNCATE audit_entry"):
        with pytest.raises(DBAPIError, match="ne se modifie pas"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    assert len(entries(db)) == 1


def test_the_lock_and_the_trail_name_the_same_user_and_workstation(db, someone):
    holder = safety.Holder.me()
    dh.make_coop(db)
    e = entries(db, "coop")[0]
    assert (holder.user, holder.computer) == (e["user_name"], e["workstation"])
    assert (holder.user, holder.computer) == ("secretariat", "POSTE-ACCUEIL")


# ---- reading all changes ----------------------------------------------------------------------

def test_every_change_listed_newest_first_filtered_and_paged(db, someone):
    with clock.fixed(datetime(2026, 1, 5, 9)):
        a = dh.make_coop(db, number="92-0001", name="École A")
    with clock.fixed(datetime(2026, 2, 5, 9)):
        dh.make_coop(db, number="92-0002", name="École B")
        lh.make_item(db)
    audit.operator.cache_clear()
    with clock.fixed(datetime(2026, 3, 1, 9)):
        coops.set_archived(db, a, True)

    everything = safety.history_page(db, safety.HistoryFilter())
    assert everything.total == 4 and everything.pages == 1
    assert [line.title for line in everything.lines] == ["92-0001 École A", "CAM-01 Caméra HD",
                                                         "92-0002 École B", "92-0001 École A"]
    february = safety.history_page(db, safety.HistoryFilter(start=date(2026, 2, 1),
                                                            end=date(2026, 2, 28)))
    assert february.total == 2
    only_coops = safety.history_page(db, safety.HistoryFilter(kind="coop"))
    assert {line.kind for line in only_coops.lines} == {"Coopérative"} and only_coops.total == 3
    assert safety.history_users(db) == ["secretariat"]
    assert safety.history_page(db, safety.HistoryFilter(user="secretariat")).total == 4
    assert safety.history_page(db, safety.HistoryFilter(user="personne")).total == 0
    pages = [safety.history_page(db, safety.HistoryFilter(), page=p, size=3) for p in (0, 1, 5)]
    assert [len(p.lines) for p in pages] == [3, 1, 1] and pages[0].pages == 2
    assert pages[2].page == 1  # past the end: the last page
    kinds = dict(safety.history_kinds())
    assert kinds["coop"] == "Coopérative" and kinds["tax_receipt"] == "Reçu fiscal"
    assert "coop_year" not in kinds  # listed with its coop


def test_a_core_write_can_record_itself(db):
    with db.transaction() as session:
        audit.record(session, "coop", 7, audit.Action.UPDATED, before={"name": "A"},
                     after={"name": "B"})
    (e,) = entries(db)
    assert (e["record_id"], e["before"], e["after"]) == ("7", {"name": "A"}, {"name": "B"})
    assert audit.change_lines("coop", "modification", json.dumps(e["before"]),
                              json.dumps(e["after"])) == ["Nom : « A » → « B »"]


def test_values_are_shown_in_french():
    described = audit.description("coop_year")
    assert audit.shown(described, "cotisation_due_cents", 123450) == "1\u00a0234,50\u00a0€"
    assert audit.shown(described, "cra_received_on", "2025-09-30") == "30/09/2025"
    assert audit.shown(audit.description("coop"), "kind", "elementaire") == "Élémentaire"
    assert audit.shown(described, "control_reason", "") == "(vide)"
