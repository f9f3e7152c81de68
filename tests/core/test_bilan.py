"""The Bilan's own rules: periods and their previous one, how a figure and its change are
written, the free texts kept per period (versioned), the charts, the PDF and the workbook laid out
from plain data."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from occe_bureau import bilan
from occe_bureau.bilan import Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit
from occe_bureau.validation import StaleRecord, ValidationError
from tests.pdf import pdf_text

NBSP = "\u00a0"


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def test_a_school_year_its_previous_and_any_period():
    year = Period.school_year(2025)
    assert (year.start, year.end) == (date(2025, 9, 1), date(2026, 8, 31))
    assert year.is_school_year and year.label == "année scolaire 2025-2026"
    assert year.previous() == Period.school_year(2024)
    spring = Period(date(2026, 1, 1), date(2026, 6, 30))
    assert not spring.is_school_year and spring.start_year == 2025
    assert spring.label == "du 01/01/2026 au 30/06/2026"
    assert spring.previous() == Period(date(2025, 1, 1), date(2025, 6, 30))
    leap = Period(date(2028, 2, 29), date(2028, 3, 31))
    assert leap.previous().start == date(2027, 2, 28)
    assert len(year.months()) == 12 and year.months()[0] == date(2025, 9, 1)
    assert bilan.default_period(date(2026, 12, 2)) == Period.school_year(2025)
    assert bilan.default_period(date(2026, 8, 31)) == Period.school_year(2024)


def test_a_wrong_period_is_refused_in_french():
    with pytest.raises(ValidationError) as error:
        bilan.check_period(date(2026, 6, 30), date(2026, 1, 1))
    assert "avant la date de début" in error.value.errors["period"]
    with pytest.raises(ValidationError):
        bilan.check_period(None, date(2026, 1, 1))
    with pytest.raises(ValidationError):
        bilan.check_period(date(2000, 1, 1), date(2026, 1, 1))


def test_figures_are_written_as_the_reports_write_them():
    assert plain(Unit.CENTS.text(15_085_900)) == "150 859 €"
    assert plain(Unit.CENTS.text(12_345)) == "123,45 €"
    assert plain(Unit.DAYS.text(133)) == "133 jours" and plain(Unit.DAYS.text(1)) == "1 jour"
    assert plain(Unit.MINUTES.text(540)) == "9 h"
    up = ReportFigure("Prêts", 30, 24)
    assert plain(up.change_text) == "+6 (+25 %)"
    down = ReportFigure("Jours", 90, 120, Unit.DAYS)
    assert plain(down.change_text) == "−30 jours (−25 %)"
    assert ReportFigure("x", 5, 5).change_text == "="
    assert ReportFigure("x", 5, None).change_text == ""
    assert plain(ReportFigure("x", 5, 0).change_text) == "+5"


def test_a_section_text_is_kept_per_period_and_never_overwrites_a_newer_one(db):
    year, other = Period.school_year(2025), Period.school_year(2024)
    texts = bilan.section_texts(db, year)
    assert set(texts) == set(SectionKey) and texts[SectionKey.COOPS].text == ""
    saved = bilan.save_section_text(db, year, texts[SectionKey.COOPS], "Une année riche.\nMerci !")
    assert bilan.section_texts(db, year)[SectionKey.COOPS].text == "Une année riche.\nMerci !"
    assert bilan.section_texts(db, other)[SectionKey.COOPS].text == ""
    again = bilan.save_section_text(db, year, saved, "Deuxième version")
    assert again.version == saved.version + 1
    with pytest.raises(StaleRecord):  # a window still holding the first version
        bilan.save_section_text(db, year, saved, "écrase ?")
    with pytest.raises(StaleRecord):  # a second first text written elsewhere meanwhile
        bilan.save_section_text(db, year, texts[SectionKey.COOPS], "moi aussi")
    assert bilan.section_texts(db, year)[SectionKey.COOPS].text == "Deuxième version"


@pytest.mark.parametrize("bad", ["x" * 4001, "Bon\u202ejour", "Bonjour \U0001F600", "bip\x07"])
def test_a_text_that_cannot_be_kept_or_printed_is_refused_and_nothing_saved(db, bad):
    year = Period.school_year(2025)
    opened = bilan.section_texts(db, year)[SectionKey.GIFTS]
    with pytest.raises(ValidationError) as error:
        bilan.save_section_text(db, year, opened, bad)
    assert error.value.errors["text"].startswith("Texte : ")
    assert bilan.section_texts(db, year)[SectionKey.GIFTS].text == ""


def sample_report(text: str = "") -> bilan.Report:
    year = Period.school_year(2025)
    chart = Chart("days", "Jours de sortie par catégorie", ChartKind.BARS,
                  ("Matériel de prise de vue et de son", "Lotos"), (133, 84), (120, 90), Unit.DAYS,
                  ("2025-2026", "2024-2025"))
    months = Chart("months", "Prêts par mois", ChartKind.MONTHS, ("sept.", "oct."), (3, 0), (1, 2),
                   series=("2025-2026", "2024-2025"))
    empty = Chart("none", "Rien", ChartKind.MONTHS, ("sept.",), (0,), (0,))
    sections = tuple(
        Section(key, (f"Phrase de {key.short_title} (133 jours – 8 coops).",),
                (ReportFigure("Dons reçus", 508, 480), ReportFigure("Montant", 15_085_900, None, Unit.CENTS, 1)),
                (chart, months, empty) if key is SectionKey.LENDING else (), "", text)
        for key in SectionKey)
    return bilan.Report(year, year.previous(), sections, date(2026, 12, 2), "OCCE 92")


def test_a_chart_is_one_drawing_for_the_screen_and_the_pdf():
    report = sample_report()
    chart = report.section(SectionKey.LENDING).charts[0]
    svg = bilan.chart_svg(chart).decode()
    assert svg.startswith("<?xml") and "Lotos" in svg and "2024-2025" in svg
    width, height = bilan.chart_size(chart)
    assert width == pytest.approx(bilan.CHART_WIDTH) and height > 40
    assert "Rien sur la période" in bilan.chart_svg(report.section(SectionKey.LENDING).charts[2]).decode()


def test_the_pdf_and_the_workbook_lay_out_the_sections_and_the_texts(db):
    report = sample_report(text="<b>Merci</b> =SUM(A1) aux mandataires")
    text = plain(pdf_text(bilan.report_pdf(db, report)))
    assert "Rapport d'activité 2025-2026" in text
    for key in SectionKey:
        assert key.title.upper() in text
    assert "(133 jours – 8 coops)" in text and "150 859 €" in text
    assert "<b>Merci</b> =SUM(A1) aux mandataires" in text  # printed as typed
    assert "Prêts par mois" in text and "Matériel de prise de vue" in text  # the charts' words
    book = load_workbook(io.BytesIO(bilan.report_workbook(report)))
    assert book.sheetnames == [key.short_title for key in SectionKey]
    sheet = book["Prêts"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Phrase de Prêts (133 jours – 8 coops)." in cells
    assert "'=SUM(A1)" not in cells and any(str(c).startswith("<b>Merci</b>") for c in cells)
    assert 508 in cells and 480 in cells and 28 in cells
