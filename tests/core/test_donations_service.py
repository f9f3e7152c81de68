from datetime import date, timedelta

import pytest

from occe_bureau import gifts


from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person


def test_request_for_three_donors_is_saved_and_listed(db):
    coop = make_coop(db)
    ids = gifts.enter_request(db, coop, [
        gift("80", donor=person("Nowak", "Łukasz")),
        gift("201,50", donor=person("Nguyễn", "Thị Lan", postal_code="92100", city="Boulogne")),
        gift("15", method="especes", donor=person("Hansen", "Øyvind", postal_code="92200")),
    ], today=TODAY)
    assert len(ids) == 3
    rows = gifts.list_donations(db, gifts.DonationFilter())
    assert sorted(r.amount_cents for r in rows) == [1500, 8000, 20150]
    assert {r.donor_name for r in rows} == {"Nowak Łukasz", "Nguyễn Thị Lan", "Hansen Øyvind"}
    assert all(r.receipt_id is None and r.status_label == "Reçu à établir" for r in rows)
    assert [r.donor_name for r in gifts.search_rows(rows, "lukasz")] == ["Nowak Łukasz"]
    assert [r.donor_name for r in gifts.search_rows(rows, "NGUYEN")] == ["Nguyễn Thị Lan"]


def test_request_is_all_or_nothing_with_errors_per_row(db):
    coop = make_coop(db)
    with pytest.raises(ValidationError) as err:
        gifts.enter_request(db, coop, [
            gift("80"),
            gift("0", donor=person("Durand")),
            gift("-5", donor=person("Petit")),
            gift("10", on=TODAY + timedelta(days=1), donor=person("Roux")),
            gift("10", donor=person("Sans", "Adresse", address="", city="")),
        ], today=TODAY)
    errors = err.value.errors
    assert "supérieur à zéro" in errors["2.amount"]
    assert "supérieur à zéro" in errors["3.amount"] or "illisible" in errors["3.amount"]
    assert "futur" in errors["4.received_on"]
    assert "obligatoire" in errors["5.address"] and "obligatoire" in errors["5.city"]
    assert "1.amount" not in errors
    assert gifts.list_donations(db, gifts.DonationFilter()) == []


def test_names_with_markup_and_foreign_letters_are_kept_exactly(db):
    coop = make_coop(db)
    gifts.create_donation(db, gift(donor=person("<b>Dupont</b>", "Jean-Œil"), coop_id=coop), today=TODAY)
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    assert gifts.get_donor(db, donor_id).last_name == "<b>Dupont</b>"


def test_a_gift_that_looks_like_a_payment_for_a_service_asks_for_confirmation(db):
    coop = make_coop(db)
    data = gift(coop_id=coop, project="Sortie au zoo", notes="participation photos de classe")
    plan = gifts.plan_request(db, coop, [data], today=TODAY)
    assert not plan.ready and not plan.errors
    assert "sortie" in plan.warnings[0] and "photo" in plan.warnings[0]
    with pytest.raises(ValidationError):  # not confirmed: nothing saved
        gifts.apply_request(db, plan)
    with pytest.raises(ValidationError, match="sortie"):
        gifts.create_donation(db, data, today=TODAY)
    assert gifts.list_donations(db, gifts.DonationFilter()) == []
    plan.confirm()
    gifts.apply_request(db, plan)
    assert len(gifts.list_donations(db, gifts.DonationFilter())) == 1


def test_donor_found_again_and_typo_level_duplicates_need_a_choice(db):
    coop = make_coop(db)
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Lefèvre", "Hélène")), today=TODAY)
    # same name, accents typed differently, same postal code: same donor, no question
    gifts.create_donation(db, gift(coop_id=coop, donor=person("LEFEVRE", "helene")), today=TODAY,
                          twice_ok=True)  # the same gift again: confirmed as another gift
    rows = gifts.list_donations(db, gifts.DonationFilter())
    assert len({r.donor_id for r in rows}) == 1
    # a typo: the user is asked
    typo = gift(coop_id=coop, donor=person("Lefèbvre", "Hélène"))
    plan = gifts.plan_request(db, coop, [typo], today=TODAY)
    asked = plan.questions[0]
    assert asked.match == gifts.DonorMatch.SIMILAR
    assert asked.candidates[0].display_name == "Lefèvre Hélène"
    with pytest.raises(ValidationError, match="Lefèvre Hélène"):
        gifts.create_donation(db, typo, today=TODAY)
    assert len(gifts.list_donations(db, gifts.DonationFilter())) == 2
    # …chooses the existing one
    asked.take(asked.candidates[0])
    gifts.apply_request(db, plan)
    # …or confirms a new donor
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Lefèbvre", "Hélène")),
                         new_donor_ok=True, today=TODAY)
    rows = gifts.list_donations(db, gifts.DonationFilter())
    assert len(rows) == 4 and len({r.donor_id for r in rows}) == 2


def test_company_donor_needs_a_siren(db):
    coop = make_coop(db)
    company = gifts.DonorData(kind="company", company_name="Boulangerie du Parc", address="1 rue X",
                             postal_code="92000", city="Nanterre")
    with pytest.raises(ValidationError) as err:
        gifts.create_donation(db, gift(coop_id=coop, donor=company), today=TODAY)
    assert "SIREN" in err.value.errors["siren"]
    company.siren = "123 456 789"
    gifts.create_donation(db, gift(coop_id=coop, donor=company), today=TODAY)


def test_withdrawn_gift_is_kept_but_not_listed(db):
    coop = make_coop(db)
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    with pytest.raises(ValidationError):
        gifts.withdraw_donation(db, gid, "")
    gifts.withdraw_donation(db, gid, "Saisi deux fois")
    assert gifts.list_donations(db, gifts.DonationFilter()) == []
    assert gifts.list_donations(db, gifts.DonationFilter(include_withdrawn=True))[0].withdrawn


def test_import_csv_preview_then_all_or_nothing(db, tmp_path):
    coop = make_coop(db)
    path = tmp_path / "demande.csv"
    path.write_text(
        "Nom;Prénom;Adresse;Code postal;Commune;Montant;Date;Mode de paiement;N° de chèque\n"
        "Nowak;Łukasz;1 rue A;92000;Nanterre;80;05/03/2025;chèque;1234567\n"
        "Nguyễn;Lan;2 rue B;92100;Boulogne;20,50;06/03/2025;espèces;\n"
        "Durand;Paul;;92000;Nanterre;0;07/03/2025;chèque;\n", encoding="utf-8")
    plan = gifts.plan_request_file(db, path, coop, today=TODAY)
    rows = plan.lines
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[0].errors == {} and rows[0].data.amount == 8000
    assert rows[1].data.method == "especes"
    assert "amount" in rows[2].errors and "address" in rows[2].errors
    with pytest.raises(ValidationError) as err:
        gifts.import_request(db, plan)
    assert "Ligne 4" in err.value.errors["4"]
    assert gifts.list_donations(db, gifts.DonationFilter()) == []
    plan.lines = rows[:2]
    gifts.import_request(db, plan)
    assert len(gifts.list_donations(db, gifts.DonationFilter())) == 2


def test_import_xlsx(db, tmp_path):
    from openpyxl import Workbook

    coop = make_coop(db)
    wb = Workbook()
    ws = wb.active
    ws.append(["Nom", "Prénom", "Adresse", "Code postal", "Commune", "Montant", "Date", "Mode"])
    ws.append(["Hansen", "Øyvind", "4 rue C", 92000, "Nanterre", 35.5, date(2025, 2, 1), "virement"])
    path = tmp_path / "demande.xlsx"
    wb.save(path)
    rows = gifts.plan_request_file(db, path, coop, today=TODAY).lines
    assert rows[0].errors == {}
    assert (rows[0].data.amount, rows[0].data.received_on, rows[0].data.donor.postal_code) == (
        3550, date(2025, 2, 1), "92000")


def test_same_name_and_postal_code_at_another_address_asks_which_donor(db):
    coop = make_coop(db)
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Dupont", "Marie", address="1 rue A")),
                         today=TODAY)
    first = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    plan = gifts.plan_request(db, coop, [gift(donor=person("Dupont", "Marie", address="200 bd B"))],
                              today=TODAY)
    asked = plan.questions[0]
    assert asked.match == gifts.DonorMatch.NAMESAKE and asked.candidates[0].donor_id == first
    assert gifts.get_donor(db, first).address == "1 rue A"  # nothing overwritten silently
    # a different person: a new donor, the first one untouched
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Dupont", "Marie", address="200 bd B")),
                         new_donor_ok=True, today=TODAY)
    donors = {r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())}
    assert len(donors) == 2 and gifts.get_donor(db, first).address == "1 rue A"
    # the same address again (typed differently) is the same donor, no question
    gifts.create_donation(db, gift(coop_id=coop, donor=person("DUPONT", "marie", address="1, Rue A")),
                         today=TODAY, twice_ok=True)  # the same gift again: confirmed
    assert len({r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())}) == 2
    # the same person who moved: the user chose her, her address is updated
    gifts.create_donation(db, gift(coop_id=coop, donor_id=first,
                                  donor=person("Dupont", "Marie", address="5 rue C")), today=TODAY,
                          twice_ok=True)
    assert gifts.get_donor(db, first).address == "5 rue C"


@pytest.mark.parametrize("project, found", [
    ("Plantation d'arbustes", None), ("Cartes de vœux", None), ("Bibliothèque de classe", None),
    ("Caractère coopératif", None), ("Abus de confiance", None),
    ("Car scolaire", "car"), ("Classe de découverte en Bretagne", "classe de decouverte"),
    ("Excursion au zoo", "excursion"), ("Photos de classe", "photos"),
    ("Classes vertes", "classes vertes"), ("Sorties au musée", "sorties"),
    ("Kermesse de juin", "kermesse"), ("Transport en bus", "transport"),
])
def test_service_words_match_whole_words(project, found):
    warnings = gifts.service_warnings(gifts.DonationData(project=project))
    if found is None:
        assert warnings == [], project
    else:
        assert warnings, project
        listed = warnings[0].split("service (", 1)[1].split(")", 1)[0].split(", ")
        assert found in listed, (project, listed)
