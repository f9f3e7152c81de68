"""The Bilan tab: pick a school year (the last closed one by default) or any period; every
section's figures beside the previous period's, in the report's phrasing, with their charts; a
click on a figure opens the list behind it in its tab; the "Rapport d'activité" PDF and the
workbook of the same figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from occe_bureau import bilan, clock
from occe_bureau.db import Database
from occe_bureau.formats import format_date, school_year_label
from occe_bureau.validation import StaleRecord, ValidationError
from ui.bilan.section_page import SectionPage
from ui.shell import dialogs
from ui.shell.changes import Domain, EVERYTHING
from ui.shell.pdf_preview import show_pdf
from ui.shell.tab_base import BaseTab

OTHER_PERIOD = "other"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class BilanTab(BaseTab):
    shows = EVERYTHING
    # A figure clicked: the ListLink of the list behind it (the main window opens it).
    list_wanted = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.report: bilan.Report | None = None
        self.texts: dict[bilan.SectionKey, bilan.SectionText] = {}
        self.period_choice = QComboBox()
        self.period_choice.setObjectName("bilan_period")
        self.start = QDateEdit()
        self.end = QDateEdit()
        for name, edit in (("bilan_start", self.start), ("bilan_end", self.end)):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.show_button = QPushButton("Afficher")
        self.show_button.setObjectName("bilan_show")
        self.period_error = QLabel()
        self.period_error.setObjectName("bilan_period_error")
        self.period_error.setStyleSheet("color: #b00020;")
        self.pdf_button = QPushButton("Rapport d'activité (PDF)…")
        self.pdf_button.setObjectName("bilan_pdf")
        self.xlsx_button = QPushButton("Classeur Excel…")
        self.xlsx_button.setObjectName("bilan_xlsx")
        self.pages = QTabWidget()
        self.pages.setObjectName("bilan_pages")
        self.section_pages: dict[bilan.SectionKey, SectionPage] = {}
        for key in bilan.SectionKey:
            page = SectionPage(key, self.save_text, self)
            page.list_wanted.connect(self.list_wanted)
            self.section_pages[key] = page
            self.pages.addTab(page, key.short_title)
        self._lay_out()
        self.period_choice.currentIndexChanged.connect(
            lambda _i: dialogs.guard(self, "le bilan", self.period_chosen)())
        self.show_button.clicked.connect(dialogs.guard(self, "le bilan", self.show_period))
        self.pdf_button.clicked.connect(dialogs.guard(self, "le rapport d'activité", self.export_pdf))
        self.xlsx_button.clicked.connect(dialogs.guard(self, "le classeur du bilan", self.export_xlsx))

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Bilan de"))
        bar.addWidget(self.period_choice)
        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(QLabel("du"))
        dates.addWidget(self.start)
        dates.addWidget(QLabel("au"))
        dates.addWidget(self.end)
        dates.addWidget(self.show_button)
        bar.addWidget(self.dates)
        bar.addWidget(self.period_error, 1)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        self.dates.setVisible(False)

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        chosen = self.period_choice.currentData()
        self.period_choice.blockSignals(True)
        self.period_choice.clear()
        for year in bilan.school_years(self.db):
            self.period_choice.addItem(f"l'année scolaire {school_year_label(year)}", year)
        self.period_choice.addItem("une autre période…", OTHER_PERIOD)
        if chosen is None:
            chosen = bilan.default_period().start_year
            default = bilan.default_period()
            self.start.setDate(_qdate(default.start))
            self.end.setDate(_qdate(default.end))
        self.period_choice.setCurrentIndex(max(0, self.period_choice.findData(chosen)))
        self.period_choice.blockSignals(False)
        self.dates.setVisible(chosen == OTHER_PERIOD)
        self.show_period()

    def period_chosen(self) -> None:
        other = self.period_choice.currentData() == OTHER_PERIOD
        self.dates.setVisible(other)
        if not other:
            self.show_period()
        else:
            self.start.setFocus()

    def period(self) -> bilan.Period:
        choice = self.period_choice.currentData()
        if choice == OTHER_PERIOD:
            return bilan.check_period(_date(self.start.date()), _date(self.end.date()))
        return bilan.Period.school_year(choice)

    def show_period(self) -> None:
        self.period_error.clear()
        try:
            period = self.period()
        except ValidationError as error:
            self.period_error.setText(" ".join(error.errors.values()))
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.texts = bilan.section_texts(self.db, period)
            self.report = bilan.report(self.db, period, texts=self.texts)
        finally:
            QGuiApplication.restoreOverrideCursor()
        for section in self.report.sections:
            self.section_pages[section.key].show_section(section, self.report)
        self.status.emit(f"Bilan de l'{period.label}, comparé à l'{self.report.previous.label}."
                         if period.is_school_year else
                         f"Bilan {period.label}, comparé à la même période un an plus tôt.")

    # -- the free texts -----------------------------------------------------------------------
    def save_text(self, key: bilan.SectionKey, text: str) -> str:
        """Keep a section's text for the period shown; the line saying it is kept."""
        if self.report is None:
            return ""
        try:
            saved = bilan.save_section_text(self.db, self.report.period, self.texts[key], text)
        except StaleRecord:
            self.texts = bilan.section_texts(self.db, self.report.period)
            raise
        self.texts[key] = saved
        sections = tuple(s if s.key is not key else replace(s, text=saved.text)
                         for s in self.report.sections)
        self.report = replace(self.report, sections=sections)
        self.announce(Domain.BILAN)
        return f"Texte enregistré le {format_date(clock.today())}."

    # -- documents ----------------------------------------------------------------------------
    def export_pdf(self) -> None:
        if self.report is None:
            return
        pdf = bilan.report_pdf(self.db, self.report)
        show_pdf(self, pdf, self.report.title, f"{self.report.title}.pdf")

    def export_xlsx(self) -> None:
        if self.report is None:
            return
        path = dialogs.ask_save_workbook(self, "Enregistrer le classeur du bilan",
                                         f"{self.report.title}.xlsx")
        if not path:
            return
        with open(path, "wb") as handle:
            handle.write(bilan.report_workbook(self.report))
        dialogs.show_exported(self, "Classeur enregistré",
                              f"Les chiffres du bilan sont enregistrés :\n{path}", path)
