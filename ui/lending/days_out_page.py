"""The Prêts tab's days-out page: the figures of the annual report, by period."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from occe_bureau.formats import format_int, school_year_bounds, school_year_label, school_year_of
from occe_bureau import lending
from occe_bureau.validation import ValidationError
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.forms import DateEdit
from ui.shell.table_model import make_table
from ui.shell.table_model import RIGHT, Column, RowTableModel
from occe_bureau import clock

if TYPE_CHECKING:
    from ui.lending.tab import LoansTab

FIGURE_COLUMNS = [
    Column("", lambda f: f.label, sort_key=lambda f: f.label.casefold(), width=380),
    Column("Jours de sortie", lambda f: format_int(f.days), sort_key=lambda f: f.days, align=RIGHT,
           width=110),
    Column("Prêts", lambda f: format_int(f.loans), sort_key=lambda f: f.loans, align=RIGHT, width=70),
    Column("Coopératives", lambda f: "" if f.coops is None else format_int(f.coops),
           sort_key=lambda f: f.coops, align=RIGHT, width=100),
    Column("Ligne du rapport d'activité", lending.report_line, width=460),
]


class StatsPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.LENDING})
    GROUPS = [("Par catégorie", "by_category"), ("Par matériel", "by_item"),
              ("Par coopérative", "by_coop")]

    def __init__(self, tab: LoansTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.report: lending.UsageReport | None = None
        self.year_combo = QComboBox()
        current = school_year_of(clock.today())
        for year in range(current, current - 6, -1):
            self.year_combo.addItem(f"Année scolaire {school_year_label(year)}", year)
        self.free_period = QCheckBox("Autre période :")
        self.period_start = DateEdit(clock.today().replace(day=1))
        self.period_end = DateEdit(clock.today())
        self.group_combo = QComboBox()
        for label, key in self.GROUPS:
            self.group_combo.addItem(label, key)
        self.export_button = QPushButton("Exporter en Excel…")
        self.model = RowTableModel(FIGURE_COLUMNS, self)
        self.table = make_table(self.model, "stats_table")
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.total = QLabel()
        self.total.setObjectName("stats_total")
        self.total.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")
        self.total.setWordWrap(True)
        note = QLabel("Jours de sortie : du jour du départ au jour du retour, les deux comptés ; "
                      "un prêt en cours compte jusqu'à aujourd'hui ; seuls les jours de la période "
                      "comptent. Coopératives : nombre de coopératives différentes servies.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(self.year_combo)
        bar.addWidget(self.free_period)
        bar.addWidget(self.period_start)
        bar.addWidget(QLabel("au"))
        bar.addWidget(self.period_end)
        bar.addWidget(self.group_combo)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(note)
        for widget in (self.year_combo, self.group_combo):
            widget.currentIndexChanged.connect(lambda _i: self.reload())
        self.free_period.toggled.connect(lambda _c: self.reload())
        self.period_start.dateChanged.connect(lambda _d: self.free_period.isChecked() and self.reload())
        self.period_end.dateChanged.connect(lambda _d: self.free_period.isChecked() and self.reload())
        self.export_button.clicked.connect(dialogs.guard(self, "l'export des jours de sortie", self.export))

    def show_period(self, start: date, end: date) -> None:
        """Show these dates: their school year when they are one, else as another period."""
        year = school_year_of(start)
        whole_year = (start, end) == school_year_bounds(year) and self.year_combo.findData(year) >= 0
        for widget in (self.year_combo, self.free_period, self.period_start, self.period_end):
            widget.blockSignals(True)
        self.free_period.setChecked(not whole_year)
        if whole_year:
            self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        else:
            self.period_start.set_value(start)
            self.period_end.set_value(end)
        for widget in (self.year_combo, self.free_period, self.period_start, self.period_end):
            widget.blockSignals(False)
        self.reload()

    def period(self) -> tuple[date, date]:
        if self.free_period.isChecked():
            return self.period_start.value(), self.period_end.value()
        return school_year_bounds(self.year_combo.currentData())

    def reload(self) -> None:
        free = self.free_period.isChecked()
        self.year_combo.setEnabled(not free)
        self.period_start.setEnabled(free)
        self.period_end.setEnabled(free)
        start, end = self.period()
        try:
            self.report = lending.usage(self.db, start, end)
        except ValidationError as err:
            self.report = None
            self.model.set_rows([])
            self.total.setText("\n".join(err.errors.values()))
            return
        self.model.set_rows(getattr(self.report, self.group_combo.currentData()))
        self.total.setText(f"{self.report.period_label.capitalize()} — "
                           f"{lending.report_line(self.report.total)}, "
                           f"{format_int(self.report.total.loans)} prêts")
        if self.tab.pages.currentWidget() is self:  # the status bar follows the period shown
            self.tab.status.emit(self.status_line())

    def status_line(self) -> str:
        return self.total.text()

    def export(self) -> None:
        if self.report is None:
            return
        path = dialogs.ask_save_workbook(self, "Exporter les jours de sortie",
                                         f"jours-de-sortie-{self.report.period_label.replace(' ', '-')}.xlsx")
        if not path:
            return
        Path(path).write_bytes(lending.export_xlsx(self.report))
        dialogs.show_exported(self, "Export terminé", f"Les jours de sortie ont été exportés :\n{path}", path)
