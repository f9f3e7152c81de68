"""The figures each domain gives the Bilan (the annual report): counted by the domain, through
its face, on small data built with the domains' own functions."""

from __future__ import annotations

from datetime import date, timedelta

from occe_bureau import clock
from occe_bureau.coops import (
    CoopData, CoopKind, CountedText, YearData, create_coop, documents_due_on, set_archived,
    year_figures as coop_year_figures,
)
from occe_bureau.formats import school_year_label, school_year_of


# ---- coops ----------------------------------------------------------------------------------

def _coop(db, number, kind, year, **figures):
    return create_coop(db, CoopData(number=number, name=f"École {number}", kind=kind),
                       {year: YearData(**figures)})


def test_coop_kind_degree():
    assert [k for k in CoopKind if k.degree == 1] == [
        CoopKind.MATERNELLE, CoopKind.ELEMENTAIRE, CoopKind.PRIMAIRE]
    assert CoopKind.COLLEGE.degree == CoopKind.AUTRE.degree == 2


def test_coop_year_figures_count_the_coops_with_that_years_row(db):
    year = school_year_of(clock.today()) - 1
    a = _coop(db, "92-0001", "maternelle", year, classes=3, pupils=70, adults=6,
              cotisation_due_cents=5000, cotisation_paid_cents=5000, cotisation_paid_on=clock.today(),
              cra_received_on=clock.today(), control_reason="Tirage au sort")
    _coop(db, "92-0002", "maternelle", year, classes=2, pupils=40, adults=3,
          cotisation_due_cents=5000, cotisation_paid_cents=2000,
          cotisation_paid_on=clock.today(), crf_received_on=clock.today(),
          control_reason="Tirage au sort")
    _coop(db, "92-0003", "college", year, classes=10, pupils=300, adults=20,
          control_on=clock.today(), control_reason="Signalement")
    _coop(db, "92-0004", "lycee", year, pupils=1)        # nothing due: not paid in full
    _coop(db, "92-0005", "primaire", year - 1, pupils=99)  # another year: not counted
    set_archived(db, a, True)                            # archived since: still counted

    f = coop_year_figures(db, year, today=documents_due_on(year) + timedelta(days=1))
    assert f.school_year == year and f.label == school_year_label(year)
    assert f.coops == 4
    assert list(f.by_kind) == list(CoopKind)
    assert f.by_kind[CoopKind.MATERNELLE] == 2 and f.by_kind[CoopKind.COLLEGE] == 1
    assert f.by_kind[CoopKind.LYCEE] == 1 and f.by_kind[CoopKind.PRIMAIRE] == 0
    assert (f.first_degree, f.second_degree) == (2, 2)
    assert (f.classes, f.pupils, f.adults, f.members) == (15, 411, 29, 440)
    assert (f.cotisations_due_cents, f.cotisations_paid_cents) == (10000, 7000)
    assert (f.cotisations_paid, f.cotisations_unpaid) == (1, 3)
    assert f.documents_due is True
    assert (f.cra_received, f.crf_received, f.cra_missing, f.crf_missing) == (1, 1, 3, 3)
    assert f.controls == 3
    assert f.control_reasons == (CountedText("Tirage au sort", 2), CountedText("Signalement", 1))


def test_coop_year_figures_documents_not_due_before_30_september(db):
    year = school_year_of(clock.today())
    f = coop_year_figures(db, year, today=documents_due_on(year))
    assert f.documents_due is False
    assert f.coops == 0 and sum(f.by_kind.values()) == 0 and f.control_reasons == ()
    assert coop_year_figures(db, year).documents_due is (clock.today() > documents_due_on(year))
