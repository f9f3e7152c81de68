"""No lost update: a form (or a list) opened on a record, the record changed from another
workstation, then the save: refused with the French message naming who changed it, and
nothing written. Each kind of record, on SQLite and on PostgreSQL, with two real
connections (two engines on the same database: this workstation and marie's on BUREAU-2)."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import select

from occe_bureau import gifts, lending, workstation
from occe_bureau.association import open_association, save_association_and_settings
from occe_bureau.coops import CoopData, YearData, create_coop, delete_coop, get_coop, list_coops
from occe_bureau.coops import CoopFilter, set_archived, update_coop
from occe_bureau.db import Database
from occe_bureau.coops import Coop
from occe_bureau.coops.register import claim_coop
from occe_bureau.gifts.models import Donation, TaxReceipt
from occe_bureau.validation import StaleRecord, ValidationError
from tests.core import donations_helpers as dh
from tests.core.loans_helpers import book, category_id, lend, make_item

TODAY = date(2026, 3, 12)  # the suite's day
YEAR = 2025


@pytest.fixture(params=["sqlite", "postgresql"])
def here(request):
    """This workstation's database: a fresh SQLite file, or a fresh database on the server."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db_migrated")


@pytest.fixture
def there(here):
    """The other workstation: its own engine, its own connections, on the same database."""
    other = Database(here.url)
    yield other
    other.dispose()


def elsewhere(action):
    """`action` made by marie on BUREAU-2."""
    with workstation.acting_as("marie", "BUREAU-2"):
        return action()


def refused(action) -> StaleRecord:
    with pytest.raises(StaleRecord) as caught:
        action()
    message = caught.value.message
    assert "par marie sur BUREAU-2 le 12/03/2026 à " in message, message
    return caught.value


def new_coop(db, number="92-0001", **kw) -> int:
    return create_coop(db, CoopData(number=number, name="École maternelle Jean Jaurès",
                                    kind="maternelle", commune="Nanterre", **kw),
                       {YEAR: YearData(classes=4, pupils=90, adults=8)})


# ---- coops and their years ---------------------------------------------------------------------

def test_a_coop_changed_elsewhere_is_not_overwritten(here, there):
    coop_id = new_coop(here, mandataire_name="Élodie Martin")
    mine = get_coop(here, coop_id)
    theirs = get_coop(there, coop_id)
    theirs.data.mandataire_name = "Karim Haddad"
    elsewhere(lambda: update_coop(there, coop_id, theirs.data, version=theirs.version))

    mine.data.notes = "Appeler en septembre."
    err = refused(lambda: update_coop(here, coop_id, mine.data, version=mine.version))
    assert err.message.startswith("Cette fiche a été modifiée par marie")
    now = get_coop(here, coop_id)
    assert now.data.mandataire_name == "Karim Haddad" and now.data.notes == ""
    assert now.version == mine.version + 1

    # Opened again, the save goes through, and keeps the other change.
    again = get_coop(here, coop_id)
    again.data.notes = "Appeler en septembre."
    update_coop(here, coop_id, again.data, version=again.version)
    assert get_coop(there, coop_id).data.mandataire_name == "Karim Haddad"


def test_a_year_s_figures_changed_elsewhere_are_not_overwritten(here, there):
    coop_id = new_coop(here)
    mine = get_coop(here, coop_id)
    theirs = get_coop(there, coop_id)
    theirs.years[YEAR].classes = 5
    elsewhere(lambda: update_coop(there, coop_id, theirs.data, {YEAR: theirs.years[YEAR]},
                                  version=theirs.version, year_versions=theirs.year_versions))
    mine.years[YEAR].pupils = 120
    refused(lambda: update_coop(here, coop_id, mine.data, {YEAR: mine.years[YEAR]},
                                version=mine.version, year_versions=mine.year_versions))
    year = get_coop(here, coop_id).years[YEAR]
    assert (year.classes, year.pupils) == (5, 90)


def test_a_year_entered_elsewhere_meanwhile_is_not_overwritten(here, there):
    coop_id = new_coop(here)
    mine = get_coop(here, coop_id)
    assert YEAR + 1 not in mine.year_versions
    theirs = get_coop(there, coop_id)
    # Entered over what is there (as an import does): the coop itself does not change.
    elsewhere(lambda: update_coop(there, coop_id, theirs.data, {YEAR + 1: YearData(classes=6)}))
    assert get_coop(here, coop_id).version == mine.version
    refused(lambda: update_coop(here, coop_id, mine.data, {YEAR + 1: YearData(classes=2)},
                                version=mine.version, year_versions=mine.year_versions))
    assert get_coop(here, coop_id).years[YEAR + 1].classes == 6


def test_archiving_from_a_list_shown_before_a_change_is_refused(here, there):
    coop_id = new_coop(here)
    listed = next(r for r in list_coops(here, CoopFilter(year=YEAR)) if r.id == coop_id)
    theirs = get_coop(there, coop_id)
    theirs.data.name = "École maternelle Jean Jaurès A"
    elsewhere(lambda: update_coop(there, coop_id, theirs.data, version=theirs.version))
    err = refused(lambda: set_archived(here, coop_id, True, version=listed.version))
    assert err.message.startswith("Cette coopérative a été modifiée")
    assert "depuis l'affichage de la liste" in err.message
    assert not get_coop(here, coop_id).archived


def test_a_coop_deleted_meanwhile_is_said_gone(db):
    coop_id = create_coop(db, CoopData(number="92-0002", name="École Paul Bert", kind="primaire"))
    mine = get_coop(db, coop_id)
    delete_coop(db, coop_id)
    with pytest.raises(StaleRecord) as caught:
        update_coop(db, coop_id, mine.data, version=mine.version)
    assert caught.value.gone
    assert caught.value.message.startswith("Cette fiche n'existe plus : supprimée depuis")


# ---- items, categories, loans and bookings ------------------------------------------------------

def test_an_item_changed_elsewhere_is_not_overwritten(here, there):
    item_id = make_item(here)
    mine = lending.get_item(here, item_id)
    theirs = lending.get_item(there, item_id)
    theirs.data.accessories = "caméra\ntrépied\n3 batteries"
    elsewhere(lambda: lending.update_item(there, item_id, theirs.data, version=theirs.version))
    mine.data.replacement_value_cents = 50000
    refused(lambda: lending.update_item(here, item_id, mine.data, version=mine.version))
    now = lending.get_item(here, item_id)
    assert now.data.accessories == "caméra\ntrépied\n3 batteries"
    assert now.data.replacement_value_cents == 45000


def test_a_category_renamed_elsewhere_is_not_renamed_over(here, there):
    cid = category_id(here)
    mine = next(c for c in lending.list_categories(here) if c.id == cid)
    theirs = next(c for c in lending.list_categories(there) if c.id == cid)
    elsewhere(lambda: lending.rename_category(there, cid, "Vidéo et son", version=theirs.version))
    err = refused(lambda: lending.rename_category(here, cid, "Prise de vue", version=mine.version))
    assert err.message.startswith("Cette catégorie a été modifiée")
    refused(lambda: lending.set_category_archived(here, cid, True, version=mine.version))
    now = next(c for c in lending.list_categories(here, include_archived=True) if c.id == cid)
    assert (now.name, now.archived) == ("Vidéo et son", False)


def test_a_booking_changed_elsewhere_is_not_overwritten(here, there):
    coop_id = new_coop(here)
    cam, mic = make_item(here), make_item(here, code="MIC-01", name="Micro")
    loan_id = book(here, coop_id, [cam], date(2026, 4, 1), date(2026, 4, 10), today=TODAY)
    mine = lending.get_loan(here, loan_id)
    theirs = lending.get_loan(there, loan_id)

    def their_change():
        lending.update_booking(there, loan_id, lending.LoanData(
            coop_id=coop_id, borrower="M. Karim Haddad", start_date=theirs.start_date,
            due_date=date(2026, 4, 15), item_ids=[cam]), today=TODAY, version=theirs.version)

    elsewhere(their_change)
    err = refused(lambda: lending.update_booking(here, loan_id, lending.LoanData(
        coop_id=coop_id, borrower="M. Karim Haddad", start_date=mine.start_date,
        due_date=mine.due_date, item_ids=[cam, mic]), today=TODAY, version=mine.version))
    assert err.message.startswith("Ce prêt a été modifié par marie")
    now = lending.get_loan(here, loan_id)
    assert now.due_date == date(2026, 4, 15)
    assert [line.item_id for line in now.open_lines] == [cam]


def test_returning_a_loan_changed_elsewhere_is_refused_and_its_items_stay_out(here, there):
    coop_id = new_coop(here)
    cam = make_item(here)
    loan_id = lend(here, coop_id, [cam], date(2026, 3, 2), date(2026, 3, 13), today=TODAY)
    listed = next(r for r in lending.list_loans(here) if r.id == loan_id)
    elsewhere(lambda: lending.extend_loan(there, loan_id, date(2026, 3, 20), today=TODAY))
    refused(lambda: lending.return_items(here, loan_id, [lending.ReturnData(
        item_id=cam, returned_on=TODAY)], today=TODAY, version=listed.version))
    now = lending.get_loan(here, loan_id)
    assert now.due_date == date(2026, 3, 20)
    assert [line.status for line in now.lines] == [lending.LineStatus.OUT]


def test_a_change_of_a_loan_s_lines_alone_moves_its_version_on(here, there):
    """A return of one item of two (the loan stays out): a form opened before is refused."""
    coop_id = new_coop(here)
    cam, mic = make_item(here), make_item(here, code="MIC-01", name="Micro")
    loan_id = lend(here, coop_id, [cam, mic], date(2026, 3, 2), date(2026, 3, 13), today=TODAY)
    mine = lending.get_loan(here, loan_id)
    elsewhere(lambda: lending.return_items(there, loan_id, [lending.ReturnData(
        item_id=cam, returned_on=TODAY)], today=TODAY))
    assert lending.get_loan(here, loan_id).status == lending.LoanStatus.OUT
    refused(lambda: lending.extend_loan(here, loan_id, date(2026, 3, 20), today=TODAY,
                                        version=mine.version))
    assert lending.get_loan(here, loan_id).due_date == date(2026, 3, 13)


def test_cancelling_a_booking_changed_elsewhere_is_refused(here, there):
    coop_id = new_coop(here)
    cam = make_item(here)
    loan_id = book(here, coop_id, [cam], date(2026, 4, 1), date(2026, 4, 10), today=TODAY)
    listed = next(r for r in lending.list_loans(here) if r.id == loan_id)
    elsewhere(lambda: lending.check_out_booking(there, loan_id, on=TODAY, today=TODAY))
    refused(lambda: lending.cancel_booking(here, loan_id, version=listed.version))
    assert lending.get_loan(here, loan_id).status == lending.LoanStatus.OUT


# ---- donors, gifts and the association -----------------------------------------------------------

def donor_and_gift(db) -> tuple[int, int]:
    dh.setup_association(db)
    coop_id = dh.make_coop(db)
    gift_id = gifts.create_donation(db, dh.gift(coop_id=coop_id), today=dh.TODAY)
    donor_id = next(r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())
                    if r.id == gift_id)
    return donor_id, gift_id


def test_a_donor_changed_elsewhere_is_not_overwritten(here, there):
    donor_id, _gift = donor_and_gift(here)
    mine, my_version = gifts.open_donor(here, donor_id)
    theirs, their_version = gifts.open_donor(there, donor_id)
    theirs.address = "8 avenue Foch"
    elsewhere(lambda: gifts.update_donor(there, donor_id, theirs, version=their_version))
    mine.email = "claire.martin@example.fr"
    refused(lambda: gifts.update_donor(here, donor_id, mine, version=my_version))
    now = gifts.get_donor(here, donor_id)
    assert (now.address, now.email) == ("8 avenue Foch", "")


def test_withdrawing_a_gift_changed_elsewhere_is_refused(here, there):
    _donor, gift_id = donor_and_gift(here)
    listed = next(r for r in gifts.list_donations(here, gifts.DonationFilter()) if r.id == gift_id)
    theirs = next(r for r in gifts.list_donations(there, gifts.DonationFilter()) if r.id == gift_id)
    elsewhere(lambda: gifts.withdraw_donation(there, gift_id, "Saisi deux fois",
                                              version=theirs.version))
    err = refused(lambda: gifts.withdraw_donation(here, gift_id, "Pas un don",
                                                  version=listed.version))
    assert err.message.startswith("Ce don a été modifié")
    row = next(r for r in gifts.list_donations(here, gifts.DonationFilter(include_withdrawn=True))
               if r.id == gift_id)
    assert row.withdrawn
    with here.session() as s:
        assert s.get(Donation, gift_id).withdrawn_reason == "Saisi deux fois"


def test_correcting_a_receipt_s_donor_changed_elsewhere_is_refused(here, there):
    donor_id, gift_id = donor_and_gift(here)
    receipt_id = gifts.issue_receipt(here, gift_id, today=dh.TODAY)
    draft = gifts.replacement_draft(here, receipt_id)
    theirs, their_version = gifts.open_donor(there, donor_id)
    theirs.city = "Puteaux"
    theirs.postal_code = "92800"
    elsewhere(lambda: gifts.update_donor(there, donor_id, theirs, version=their_version))
    corrected = draft.donor
    corrected.first_names = "Claire-Marie"
    refused(lambda: gifts.cancel_and_replace(here, receipt_id, "Erreur sur le prénom", corrected,
                                             draft.gift, today=dh.TODAY, opened=draft))
    with here.session() as s:
        assert not s.get(TaxReceipt, receipt_id).cancelled
        assert s.scalar(select(TaxReceipt.id).where(TaxReceipt.replaces_id == receipt_id)) is None
    assert gifts.get_donor(here, donor_id).first_names == "Claire"


def test_a_new_signatory_entered_elsewhere_is_not_reverted(here, there):
    """The finding: a newly entered signatory reverted by a form opened before, so that later
    receipts printed the old one."""
    donor_id, gift_id = donor_and_gift(here)
    mine, my_version = open_association(here)
    theirs, their_version = open_association(there)
    theirs.signatory_name = "Nadia Benali"
    elsewhere(lambda: save_association_and_settings(there, theirs, {}, version=their_version))
    mine.phone = "01 47 21 00 00"
    err = refused(lambda: save_association_and_settings(here, mine, {}, version=my_version))
    assert err.message.startswith("Les paramètres de l'association ont été modifiés par marie")
    assert open_association(here)[0].signatory_name == "Nadia Benali"
    assert open_association(here)[0].phone == ""
    receipt_id = gifts.issue_receipt(here, gift_id, today=dh.TODAY)
    with here.session() as s:
        assert s.get(TaxReceipt, receipt_id).signatory_name == "Nadia Benali"


def test_the_first_save_of_the_association_is_refused_over_one_made_meanwhile(db):
    mine, version = open_association(db)
    assert version == 0
    elsewhere(lambda: dh.setup_association(db, signatory_name="Nadia Benali"))
    mine.name, mine.address, mine.city = "OCCE 92", "1 rue de Paris", "Nanterre"
    mine.signatory_name = "Marie-Claude Lefèvre"
    refused(lambda: save_association_and_settings(db, mine, {}, version=version))
    assert open_association(db)[0].signatory_name == "Nadia Benali"


# ---- who and when; saves made at the same instant -------------------------------------------------

def test_a_record_says_who_changed_it_last_and_its_version_moves_on_each_change(db):
    coop_id = new_coop(db)
    assert get_coop(db, coop_id).version == 1
    with db.session() as s:
        row = s.get(Coop, coop_id)
        assert (row.changed_by, row.changed_from) == (workstation.me().user, workstation.me().computer)
    detail = get_coop(db, coop_id)
    detail.data.director = "Mme Lambert"
    elsewhere(lambda: update_coop(db, coop_id, detail.data))  # no version: made over what is there
    with db.session() as s:
        row = s.get(Coop, coop_id)
        assert (row.version, row.changed_by, row.changed_from) == (2, "marie", "BUREAU-2")
        assert row.changed_at is not None


def test_two_saves_of_the_same_version_at_once_one_is_kept_the_other_refused(here, there):
    """The other workstation's save is under way (its UPDATE done, not yet committed): mine,
    of the same version, waits for its end (the row's lock on PostgreSQL, the write lock on
    SQLite), then finds the version moved on."""
    coop_id = new_coop(here, mandataire_name="Élodie Martin")
    mine = get_coop(here, coop_id)
    theirs = get_coop(there, coop_id)
    theirs.data.mandataire_name = "Karim Haddad"
    mine.data.mandataire_name = "Nadia Benali"
    outcome = []

    def my_save():
        try:
            update_coop(here, coop_id, mine.data, version=mine.version)
            outcome.append("saved")
        except ValidationError as err:
            outcome.append(err)

    with workstation.acting_as("marie", "BUREAU-2"), there.transaction() as session:
        claim_coop(session, coop_id, theirs.version, {}, {})
        saver = threading.Thread(target=my_save)
        saver.start()
        # It waits for the lock (if it has not started yet, it is refused after). Slept, not
        # `join(0.3)`: a timed wait on a thread reads the wall clock, which a test run under a
        # shifted or frozen date (faketime) breaks — the join then waits for the thread itself,
        # whose busy timeout runs out while this transaction holds the lock.
        for _ in range(30):
            if not saver.is_alive():
                break
            time.sleep(0.01)
        session.get(Coop, coop_id).mandataire_name = "Karim Haddad"
    saver.join()
    assert len(outcome) == 1 and isinstance(outcome[0], StaleRecord), outcome
    assert "par marie sur BUREAU-2" in outcome[0].message
    assert get_coop(here, coop_id).data.mandataire_name == "Karim Haddad"


def test_deleting_a_coop_changed_since_it_was_listed_is_refused(db):
    coop_id = create_coop(db, CoopData(number="92-0003", name="École Paul Bert", kind="primaire"))
    listed = next(r for r in list_coops(db, CoopFilter(year=YEAR)) if r.id == coop_id)
    detail = get_coop(db, coop_id)
    detail.data.name = "École élémentaire Paul Bert"
    elsewhere(lambda: update_coop(db, coop_id, detail.data, version=detail.version))
    refused(lambda: delete_coop(db, coop_id, version=listed.version))
    assert get_coop(db, coop_id).data.name == "École élémentaire Paul Bert"


def test_renaming_a_category_leaves_its_items_versions_alone(db):
    """An item's search key follows its category's name: that is no change of the item, and a
    form open on it still saves."""
    item_id = make_item(db)
    mine = lending.get_item(db, item_id)
    cid = category_id(db)
    elsewhere(lambda: lending.rename_category(db, cid, "Vidéo et son"))
    mine.data.notes = "Objectif rayé."
    lending.update_item(db, item_id, mine.data, version=mine.version)
    assert [r.code for r in lending.list_items(db, lending.ItemFilter(search="video"))] == ["CAM-01"]
