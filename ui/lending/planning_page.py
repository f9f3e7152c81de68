"""The Prêts tab's planning page: the coming weeks, item by item."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTableView,
    QVBoxLayout, QWidget,
)

from occe_bureau.formats import format_date, format_int
from occe_bureau import lending
from occe_bureau.lending import ItemState, LineStatus
from ui.shell.changes import Domain
from ui.shell.forms import DateEdit
from ui.lending.loan_tables import fill_category_combo
from occe_bureau import clock

if TYPE_CHECKING:
    from ui.lending.tab import LoansTab

PLANNING_COLORS = {LineStatus.OUT: "#9ec5e8", LineStatus.BOOKED: "#f6d58e",
                   lending.SIT_OVERDUE: "#f19c9c"}
WEEKDAYS = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]


class PlanningModel(QAbstractTableModel):
    """Items down, days across; each cell coloured out / booked / overdue, white when free."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[lending.PlanningRow] = []
        self.days: list[date] = []
        self._brushes = {k: QBrush(QColor(v)) for k, v in PLANNING_COLORS.items()}
        self._weekend = QBrush(QColor("#f0f0f0"))

    def set_data(self, rows: list[lending.PlanningRow], days: list[date]) -> None:
        self.beginResetModel()
        self.rows, self.days = rows, days
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.days)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.days):
            day = self.days[section]
            return f"{WEEKDAYS[day.weekday()]}\n{day.day:02d}/{day.month:02d}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            row = self.rows[section]
            suffix = " (maintenance)" if row.state == ItemState.MAINTENANCE else ""
            return f"{row.code} – {row.name}{suffix}"
        return None

    def segment(self, index: QModelIndex) -> lending.Segment | None:
        if not index.isValid():
            return None
        return self.rows[index.row()].on(self.days[index.column()])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.days):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            segment = self.segment(index)
            if segment is not None:
                return self._brushes[segment.kind]
            if self.days[index.column()].weekday() >= 5:
                return self._weekend
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            segment = self.segment(index)
            row = self.rows[index.row()]
            if segment is None:
                return f"{row.code} : libre le {format_date(self.days[index.column()])}"
            what = {LineStatus.OUT: "En prêt", LineStatus.BOOKED: "Réservé",
                    lending.SIT_OVERDUE: "En retard"}[segment.kind]
            return (f"{row.code} – {what} : {segment.coop}\n"
                    f"du {format_date(segment.start)} au {format_date(segment.end)}")
        if role == Qt.ItemDataRole.DisplayRole:
            segment = self.segment(index)
            # The coop's number at the start of each bar, or at the left edge for a bar
            # begun before the first day shown (an overdue loan that left weeks ago).
            if segment is not None and (segment.start == self.days[index.column()]
                                        or index.column() == 0):
                return segment.coop.split(" – ")[0][-4:]
            return None
        return None


class PlanningPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.LENDING})
    # "Réserver ces jours…": (the item ids, first day, last day) for the loans page (the tab
    # wires it).
    book_requested = Signal(list, object, object)

    def __init__(self, tab: LoansTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        today = clock.today()
        self.start = DateEdit(today - timedelta(days=today.weekday()))
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 26)
        self.weeks.setValue(6)
        self.weeks.setSuffix(" semaines")
        self.category_combo = QComboBox()
        self.fill_categories()
        self.model = PlanningModel(self)
        self.table = QTableView()
        self.table.setObjectName("planning_table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setDefaultSectionSize(44)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.book_button = QPushButton("Réserver ces jours…")
        self.book_button.setToolTip("Sélectionnez les jours d'un matériel (ou de plusieurs) "
                                    "dans la grille, puis réservez-les.")
        self.book_button.setEnabled(False)
        legend = QLabel(
            f"<span style='background:{PLANNING_COLORS[LineStatus.OUT]}'>&nbsp;en prêt&nbsp;</span> "
            f"<span style='background:{PLANNING_COLORS[LineStatus.BOOKED]}'>&nbsp;réservé&nbsp;</span> "
            f"<span style='background:{PLANNING_COLORS[lending.SIT_OVERDUE]}'>&nbsp;en retard&nbsp;</span> "
            "&nbsp;blanc : libre — le numéro de la coopérative est écrit le premier jour ; "
            "survolez une case pour le détail ; sélectionnez des jours libres pour les réserver.")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("À partir du"))
        bar.addWidget(self.start)
        bar.addWidget(self.weeks)
        bar.addWidget(self.category_combo)
        bar.addStretch(1)
        bar.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.start.dateChanged.connect(lambda _d: self.reload())
        self.weeks.valueChanged.connect(lambda _v: self.reload())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.model.modelReset.connect(self._selection_changed)
        self.book_button.clicked.connect(self.book_selected)

    def selected_days(self) -> tuple[list[int], date, date] | None:
        """The items of the selected cells and the days from the first to the last selected."""
        cells = self.table.selectionModel().selectedIndexes()
        if not cells or not self.model.days:
            return None
        item_ids = list(dict.fromkeys(self.model.rows[c.row()].item_id
                                      for c in sorted(cells, key=lambda c: c.row())))
        columns = [c.column() for c in cells]
        return item_ids, self.model.days[min(columns)], self.model.days[max(columns)]

    def _selection_changed(self) -> None:
        self.book_button.setEnabled(self.selected_days() is not None)

    def book_selected(self) -> None:
        chosen = self.selected_days()
        if chosen is not None:
            self.book_requested.emit(*chosen)

    def fill_categories(self) -> None:
        fill_category_combo(self.category_combo, self.db, with_counts=False)

    def reload(self) -> None:
        self.fill_categories()  # a category added or hidden on the inventory page
        start = self.start.value()
        count = self.weeks.value() * 7
        rows = lending.planning_grid(self.db, start, count, self.category_combo.currentData())
        self.model.set_data(rows, [start + timedelta(days=i) for i in range(count)])

    def status_line(self) -> str:
        days = self.model.days
        if not days:
            return ""
        return (f"Planning : {format_int(len(self.model.rows))} matériels, du "
                f"{format_date(days[0])} au {format_date(days[-1])}")
