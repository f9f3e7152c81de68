from datetime import date, timedelta

import pytest

from occe_bureau.coops.models import CoopKind
from occe_bureau.coops import register as svc
from occe_bureau.coops import uai_problem
from occe_bureau.validation import ValidationError
from occe_bureau import clock


def data(**kw):
    base = dict(number="92-0100", name="École maternelle Jean Jaurès", kind="maternelle",
                uai="0750654D", commune="Nanterre", mandataire_name="Élodie Martin",
                mandataire_email="elodie.martin@ac-versailles.fr")
    base.update(kw)
    return svc.CoopData(**base)


def test_uai_check_letter():
    assert uai_problem("0750654D") is None
    assert "lettre de contrôle" in uai_problem("0750654E")
    assert "8 caractères" in uai_problem("075065D")


def test_create_then_list_with_year_figures_and_totals(db):
    cid = svc.create_coop(db, data(), {2024: svc.YearData(classes=4, pupils=100, adults=8)})
    svc.create_coop(db, data(number="92-0101", name="Collège Paul Éluard", kind="Collège", uai=""))
    rows = svc.list_coops(db, svc.CoopFilter(year=2024))
    assert [r.number for r in rows] == ["92-0100", "92-0101"]
    assert rows[0].id == cid and rows[0].members == 108
    t = svc.totals(rows)
    assert (t.coops, t.classes, t.pupils, t.adults, t.members) == (2, 4, 100, 8, 108)
    assert t.by_kind == {CoopKind.MATERNELLE: 1, CoopKind.COLLEGE: 1}


def test_search_ignores_accents_and_case_over_every_searched_field(db):
    svc.create_coop(db, data())
    svc.create_coop(db, data(number="92-0200", name="École élémentaire Victor Hugo", uai="",
                             commune="Antony", mandataire_name="Łukasz Nowak"))
    rows = svc.list_coops(db, svc.CoopFilter(year=2024))
    assert [r.number for r in svc.search_rows(rows, "JAURES nant")] == ["92-0100"]
    assert [r.number for r in svc.search_rows(rows, "lukasz")] == ["92-0200"]
    assert [r.number for r in svc.search_rows(rows, "0750654")] == ["92-0100"]
    assert [r.number for r in svc.search_rows(rows, "92-02")] == ["92-0200"]
    assert svc.search_rows(rows, "introuvable") == []


def test_duplicates_are_refused_with_the_existing_coop_named(db):
    svc.create_coop(db, data())
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(name="Autre", uai=""))
    assert "École maternelle Jean Jaurès" in err.value.errors["number"]
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(number="92-0999", name="Autre"))
    assert "92-0100" in err.value.errors["uai"]
    assert len(svc.list_coops(db, svc.CoopFilter(year=2024))) == 1


@pytest.mark.parametrize("field,value,fragment", [
    ("name", "", "obligatoire"),
    ("name", "x" * 151, "150 au plus"),
    ("name", "<script>alert(1)</script>", "balises"),
    ("name", "=HYPERLINK(\"x\")", "formule"),
    ("uai", "0750654E", "lettre de contrôle"),
    ("mandataire_email", "pas-un-mail", "e-mail invalide"),
    ("kind", "fusée", "inconnu"),
    ("postal_code", "9200", "5 chiffres"),
])
def test_bad_input_gets_a_french_message_and_saves_nothing(db, field, value, fragment):
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(**{field: value}))
    assert fragment in err.value.errors[field]
    assert svc.list_coops(db, svc.CoopFilter(year=2024, status=svc.CoopStatus.ALL)) == []


def test_negative_counts_and_future_dates_are_refused(db):
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(), {2024: svc.YearData(
            pupils=-3, cra_received_on=clock.today() + timedelta(days=3))})
    assert "négatif" in err.value.errors["pupils"]
    assert "futur" in err.value.errors["cra_received_on"]
    assert svc.list_coops(db, svc.CoopFilter(year=2024, status=svc.CoopStatus.ALL)) == []


def test_missing_documents_filter(db):
    complete = svc.YearData(classes=1, pupils=20, adults=2, cotisation_due_cents=4180,
                            cotisation_paid_cents=4180, cotisation_paid_on=date(2024, 10, 1),
                            cra_received_on=date(2025, 9, 20), crf_received_on=date(2025, 9, 21))
    svc.create_coop(db, data(), {2024: complete})
    svc.create_coop(db, data(number="92-0300", uai=""), {2024: svc.YearData(classes=1, pupils=20)})
    svc.create_coop(db, data(number="92-0301", uai=""))
    rows = svc.list_coops(db, svc.CoopFilter(year=2024, missing_documents=True))
    assert [r.number for r in rows] == ["92-0300", "92-0301"]
    assert rows[0].missing_documents == ["CRA", "CRF", "cotisation"]


def test_archive_keeps_history_and_delete_is_refused_with_history(db):
    cid = svc.create_coop(db, data(), {2024: svc.YearData(classes=3, pupils=60)})
    with pytest.raises(ValidationError, match="Archivez-la"):
        svc.delete_coop(db, cid)
    svc.set_archived(db, cid, True, date(2025, 8, 31))
    assert svc.list_coops(db, svc.CoopFilter(year=2024)) == []
    archived = svc.list_coops(db, svc.CoopFilter(year=2024, status=svc.CoopStatus.ARCHIVED))
    assert [r.pupils for r in archived] == [60]
    detail = svc.get_coop(db, cid)
    assert detail.archived and detail.archived_on == date(2025, 8, 31) and 2024 in detail.years


def test_coop_without_history_can_be_deleted(db):
    cid = svc.create_coop(db, data())
    svc.delete_coop(db, cid)
    assert svc.list_coops(db, svc.CoopFilter(year=2024, status=svc.CoopStatus.ALL)) == []


def test_edit_updates_search_and_year(db):
    cid = svc.create_coop(db, data())
    svc.update_coop(db, cid, data(name="École maternelle Louise Michel"),
                    {2025: svc.YearData(classes=5, pupils=120, adults=10)})
    rows = svc.list_coops(db, svc.CoopFilter(year=2025, search="louise"))
    assert [(r.name, r.classes) for r in rows] == [("École maternelle Louise Michel", 5)]


def test_cotisation_has_a_sensible_maximum(db):
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(), {2024: svc.YearData(cotisation_due_cents=10**20)})
    assert "trop élevé" in err.value.errors["cotisation_due"]


def test_non_latin_digits_are_not_an_uai_or_a_postal_code(db):
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(uai="٠٩٢٠٠٠١X", postal_code="٩٢٠٠٠"))
    assert "uai" in err.value.errors and "postal_code" in err.value.errors


def test_documents_are_due_on_30_september_after_the_year(db):
    from occe_bureau.coops import documents_due_on, year_being_chased

    assert documents_due_on(2024) == date(2025, 9, 30)
    assert year_being_chased(date(2025, 9, 1)) == 2024
    assert year_being_chased(date(2026, 8, 31)) == 2024
    cid = svc.create_coop(db, svc.CoopData(number="92-0001", name="École A", kind=CoopKind.MATERNELLE),
                          {2024: svc.YearData(classes=3, pupils=70, adults=4)})
    flt = svc.CoopFilter(year=2024, missing_documents=True)
    with clock.fixed(date(2025, 9, 30)):  # the due day itself: not late yet
        (row,) = svc.list_coops(db, flt)
        assert row.id == cid and "CRA" not in row.missing_documents
        assert row.document_text(row.cra_received_on) == "à venir"
    with clock.fixed(date(2025, 10, 1)):
        (row,) = svc.list_coops(db, flt)
        assert row.missing_documents[:2] == ["CRA", "CRF"]
        assert row.document_text(row.cra_received_on) == "manquant"


def test_a_taken_number_is_reported_with_the_other_mistakes_at_the_first_save(db):
    svc.create_coop(db, svc.CoopData(number="92-0001", name="École A", kind=CoopKind.MATERNELLE))
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, svc.CoopData(number="92-0001", name="", kind=CoopKind.MATERNELLE))
    assert "École A" in err.value.errors["number"] and "name" in err.value.errors


# ---- issue 8: the coop number follows the association's pattern --------------------------------

def test_a_number_is_digits_until_the_association_sets_a_pattern(db):
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(number="abc"))
    assert "« abc » n'est pas un numéro" in err.value.errors["number"]
    assert svc.list_coops(db, svc.CoopFilter(year=2025, status=svc.CoopStatus.ALL)) == []
    for number in ("92-0001", "92-1", "112", "1234567", "0012", "92 777"):
        svc.create_coop(db, data(number=number, uai=""))
    assert svc.create_coop(db, data(number="92  778", uai=""))  # inner spaces folded
    assert "92 778" in [r.number for r in svc.list_coops(db, svc.CoopFilter(year=2025))]


def test_the_pattern_set_in_reglages_is_followed_by_the_form_and_the_import(db, tmp_path):
    from occe_bureau.association.settings import save_settings
    from occe_bureau.coops import exchange as ex
    from occe_bureau.tabular import read_table

    with pytest.raises(ValidationError) as err:
        save_settings(db, {"coops.number_pattern": "92-0000"})
    assert "#" in err.value.errors["coops.number_pattern"]
    save_settings(db, {"coops.number_pattern": "92-####"})
    with pytest.raises(ValidationError) as err:
        svc.create_coop(db, data(number="92-42"))
    assert "« 92-#### »" in err.value.errors["number"] and "92-0042" in err.value.errors["number"]
    assert svc.create_coop(db, data(number="92-0042"))
    path = tmp_path / "r.csv"
    path.write_text("Numéro;Nom;Type\n92-0043;École A;primaire\nabc;École B;primaire\n"
                    "93-0001;École C;primaire\n", encoding="utf-8")
    table = read_table(path)
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2025)
    assert [r.action for r in plan.rows] == [ex.RowAction.CREATE, ex.RowAction.ERROR,
                                              ex.RowAction.ERROR]
    assert "modèle" in plan.rows[1].errors["number"] and "modèle" in plan.rows[2].errors["number"]
