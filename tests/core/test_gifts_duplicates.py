"""The same gift twice: two identical lines (same donor, amount, date and cheque number), or a
line identical to a gift already saved, are probable duplicates that must be confirmed; a
request or a file entered again is recognised as such."""

from datetime import date

import pytest

from occe_bureau import gifts
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association


@pytest.fixture
def coop(db):
    setup_association(db)
    return make_coop(db)


def line(**kw):
    return gift(amount="30", on=date(2025, 3, 5), cheque_number="7654321", **kw)


def saved(db) -> int:
    return len(gifts.list_donations(db, gifts.DonationFilter()))


def test_two_identical_lines_ask_and_save_nothing_until_confirmed(db, coop):
    plan = gifts.plan_request(db, coop, [line(), line()], today=TODAY)
    assert [g.line for g in plan.duplicates] == [2]
    assert "identique à la ligne 1" in plan.duplicates[0].duplicate
    assert not plan.already_imported and not plan.ready
    with pytest.raises(ValidationError) as err:
        gifts.apply_request(db, plan)
    assert "dons distincts" in err.value.errors["duplicates"] and saved(db) == 0
    plan.confirm_duplicates()
    assert len(gifts.apply_request(db, plan)) == 2 and saved(db) == 2


def test_another_cheque_number_or_amount_is_not_a_duplicate(db, coop):
    plan = gifts.plan_request(db, coop, [line(), gift(amount="30", on=date(2025, 3, 5),
                                                      cheque_number="7654322"),
                                         gift(amount="31", on=date(2025, 3, 5),
                                              cheque_number="7654321")], today=TODAY)
    assert not plan.duplicates and plan.ready


def test_a_gift_already_saved_is_a_duplicate_the_same_request_again_is_already_saved(db, coop):
    first = gifts.enter_request(db, coop, [line(), gift(amount="12", donor=person("Durand", "Paul"))],
                                today=TODAY)
    gifts.issue_receipt(db, first[0], today=TODAY)
    again = gifts.plan_request(db, coop, [line(), gift(amount="12", donor=person("Durand", "Paul"))],
                               today=TODAY)
    assert [g.line for g in again.duplicates] == [1, 2] and again.already_imported
    assert "déjà enregistré" in again.duplicates[0].duplicate and "reçu n° " in again.duplicates[0].duplicate
    assert "reçu à établir" in again.duplicates[1].duplicate
    with pytest.raises(ValidationError):
        gifts.enter_request(db, coop, [line()], today=TODAY)
    assert saved(db) == 2
    partly = gifts.plan_request(db, coop, [line(), gift(amount="99")], today=TODAY)
    assert [g.line for g in partly.duplicates] == [1] and not partly.already_imported


def test_a_withdrawn_gift_is_not_a_duplicate(db, coop):
    (gid,) = gifts.enter_request(db, coop, [line()], today=TODAY)
    gifts.withdraw_donation(db, gid, "Chèque jamais reçu")
    assert not gifts.plan_request(db, coop, [line()], today=TODAY).duplicates


def test_a_file_imported_twice_says_so(db, coop, tmp_path):
    path = tmp_path / "demande.csv"
    path.write_text("Nom;Prénom;Adresse;Code postal;Commune;Montant;Date;Mode;N° de chèque\n"
                    "Martin;Claire;3 rue des Lilas;92000;Nanterre;30;05/03/2025;chèque;7654321\n"
                    "Durand;Paul;8 rue Haute;92000;Nanterre;12;05/03/2025;espèces;\n",
                    encoding="utf-8")
    plan = gifts.plan_request_file(db, path, coop, today=TODAY)
    assert not plan.duplicates
    gifts.import_request(db, plan)
    again = gifts.plan_request_file(db, path, coop, today=TODAY)
    assert again.already_imported and [g.line for g in again.duplicates] == [2, 3]
    with pytest.raises(ValidationError):
        gifts.import_request(db, again)
    assert saved(db) == 2
