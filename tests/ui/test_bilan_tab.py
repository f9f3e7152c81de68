"""The Bilan tab through its real widgets, on the demo département: the last closed school year
shown by default and another chosen, another period with its dates checked at the field, a figure
clicked opening the list behind it, a free text typed, kept and printed, the PDF and the workbook
exported and read back — and the scenario: every figure of the OCCE 92 report found in the tab, in
the PDF's text and in the workbook."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from occe_bureau import bilan, clock
from occe_bureau.formats import school_year_label, school_year_of
from tests.pdf import pdf_text
from tests.ui.typing import type_text
from ui.bilan import tab as tab_module
from ui.shell import dialogs

# The OCCE 92 report's figures, as the report writes them (tests/ui/conftest.py builds the demo
# on the suite's day: its last closed school year is the report's year).
REPORT_FIGURES = [
    "625 coopératives scolaires", "146 262 adhérents", "6 198 classes", "139 039 élèves",
    "7 223 adultes", "268 maternelles", "249 élémentaires", "71 primaires", "19 collèges et 1 SEGPA",
    "5 lycées", "12 établissements spécialisés", "13 contrôles de coopératives scolaires",
    "Matériel de prise de vue et de son (133 jours – 8 coops)", "Jeux coopératifs (53 jours – 4 coops)",
    "Lotos (84 jours – 6 coops)", "Théâtre, cinéma, poésie (222 jours – 2 coops)",
    "370 agendas cycle 2 vendus", "65 agendas cycle 3 vendus", "0 agenda cycle 1 vendu",
    "1 936 livres vendus",
    "Comptabilité et juridique pour les mandataires : 9 sessions de 2 h (18 h), 154 enseignants",
    "5 sessions de 2 h (10 h), 100 enseignants", "4 sessions de 2 h (8 h), 54 enseignants",
    "(9 h), 8 enseignants", "(6 h), 17 enseignants",
    "508 demandes transmises par les coopératives scolaires pour un total de 150 859 €",
    "166 demandes via la plateforme de la Trousse à projets pour un total de 14 721 €",
]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def open_bilan(window) -> tab_module.BilanTab:
    from ui.shell.main_window import TABS

    window.tabs.setCurrentIndex([t for t, *_ in TABS].index("Bilan"))
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.BilanTab))
    assert tab._loaded
    return tab


def page_text(tab, key) -> str:
    page = tab.section_pages[key]
    cells = [page.model.data(page.model.index(r, c))
             for r in range(page.model.rowCount()) for c in range(page.model.columnCount())]
    return plain(page.sentences.text() + "\n" + "\n".join(str(c) for c in cells))


def row_of(page, label: str) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.row_at(r).label == label)


def click_cell(qtbot, table, row: int, column: int) -> None:
    index = table.model().index(row, column)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def test_the_last_closed_year_beside_the_one_before_and_another_year(qtbot, window):
    tab = open_bilan(window)
    report_year = school_year_of(clock.today()) - 1
    assert tab.period_choice.currentData() == report_year
    coops = tab.section_pages[bilan.SectionKey.COOPS]
    assert coops.model.headerData(1, Qt.Orientation.Horizontal) == school_year_label(report_year)
    assert coops.model.headerData(2, Qt.Orientation.Horizontal) == school_year_label(report_year - 1)
    first = coops.model.row_at(0)
    assert (first.label, first.value) == ("Coopératives scolaires", 625) and first.previous
    assert "625 coopératives scolaires" in page_text(tab, bilan.SectionKey.COOPS)
    assert coops.charts.count() == 1  # coops by type, drawn from its SVG
    chart = coops.charts.itemAt(0).widget()
    assert chart.renderer.isValid() and not chart.pixmap().isNull()
    tab.period_choice.setCurrentIndex(tab.period_choice.findData(report_year - 1))
    assert coops.model.headerData(1, Qt.Orientation.Horizontal) == school_year_label(report_year - 1)
    assert "6 198 classes" not in page_text(tab, bilan.SectionKey.COOPS)
    assert tab.report.period == bilan.Period.school_year(report_year - 1)


def test_another_period_its_dates_checked_at_the_field(qtbot, window):
    tab = open_bilan(window)
    tab.period_choice.setCurrentIndex(tab.period_choice.findData(tab_module.OTHER_PERIOD))
    assert tab.dates.isVisible()
    year = school_year_of(clock.today()) - 1
    tab.start.setDate(QDate(year + 1, 6, 30))
    tab.end.setDate(QDate(year + 1, 1, 1))
    before = tab.report
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    assert "avant la date de début" in tab.period_error.text() and tab.report is before
    tab.start.setDate(QDate(year + 1, 1, 1))
    tab.end.setDate(QDate(year + 1, 6, 30))
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    assert tab.period_error.text() == ""
    assert tab.report.period == bilan.Period(date(year + 1, 1, 1), date(year + 1, 6, 30))
    lending = tab.section_pages[bilan.SectionKey.LENDING]
    assert lending.model.headerData(1, Qt.Orientation.Horizontal) == f"01/01/{year + 1} – 30/06/{year + 1}"
    months = next(c for c in tab.report.section(bilan.SectionKey.LENDING).charts if c.key == "loans_per_month")
    assert months.labels == ("janv.", "févr.", "mars", "avr.", "mai", "juin")


def test_a_figure_clicked_opens_the_list_behind_it_in_its_tab(qtbot, window):
    from ui.coops.tab import CoopsTab

    tab = open_bilan(window)
    coops = tab.section_pages[bilan.SectionKey.COOPS]
    click_cell(qtbot, coops.table, row_of(coops, "Maternelle"), 1)
    current = window.tabs.currentWidget()
    assert isinstance(current, CoopsTab)
    assert current.model.rowCount() == 268


def test_a_free_text_typed_kept_for_the_year_and_printed(qtbot, window, monkeypatch):
    tab = open_bilan(window)
    page = tab.section_pages[bilan.SectionKey.TRAININGS]
    type_text(qtbot, page.text, "Merci aux formatrices <b>et</b> formateurs !")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.text_error.text() == "" and "enregistré" in page.text_saved.text()
    kept = bilan.section_texts(window.db, tab.report.period)[bilan.SectionKey.TRAININGS]
    assert kept.text == "Merci aux formatrices <b>et</b> formateurs !"
    type_text(qtbot, page.text, " \U0001F600")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "ne peut pas être imprimé" in page.text_error.text()
    assert bilan.section_texts(window.db, tab.report.period)[bilan.SectionKey.TRAININGS].text == kept.text
    shown = []
    monkeypatch.setattr(tab_module, "show_pdf", lambda _p, pdf, title, name: shown.append(pdf))
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    assert "Merci aux formatrices <b>et</b> formateurs !" in plain(pdf_text(shown[0]))


def test_the_scenario_every_report_figure_in_the_tab_the_pdf_and_the_workbook(qtbot, window, monkeypatch,
                                                                            tmp_path):
    tab = open_bilan(window)
    screen = "\n".join(page_text(tab, key) for key in bilan.SectionKey)
    shown = []
    monkeypatch.setattr(tab_module, "show_pdf", lambda _p, pdf, title, name: shown.append((pdf, title)))
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    (pdf, title), = shown
    assert title == f"Rapport d'activité {school_year_label(school_year_of(clock.today()) - 1)}"
    printed = plain(pdf_text(pdf)).replace("\n", " ")
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(tmp_path / "bilan"))
    told = []
    monkeypatch.setattr(dialogs, "show_exported", lambda _p, title, text, path: told.append(path))
    qtbot.mouseClick(tab.xlsx_button, Qt.MouseButton.LeftButton)
    assert told == [str(tmp_path / "bilan.xlsx")]
    book = load_workbook(io.BytesIO((tmp_path / "bilan.xlsx").read_bytes()))
    assert book.sheetnames == ["Coopératives", "Prêts", "Ventes", "Formations", "Dons"]
    cells = plain("\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                            for c in row if c is not None))
    missing = {where: [f for f in REPORT_FIGURES if f not in text]
               for where, text in (("tab", screen), ("pdf", " ".join(printed.split())), ("xlsx", cells))}
    assert missing == {"tab": [], "pdf": [], "xlsx": []}
