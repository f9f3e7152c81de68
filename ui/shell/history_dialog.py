"""The Historique: a record's changes (from its list's right-click menu and its form's button)
and every change (Fichier ▸ Historique des modifications), read only.

Nothing here can change the history: the tables are not editable and the dialogs have no
action but closing; the database refuses any change to the trail anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHeaderView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMenu,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from occe_bureau import clock, safety
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_int
from ui.shell import dialogs
from ui.shell.table_model import Column, FillingTable, RowTableModel, selected_row

CHANGES = "Modifications"


def _changes(line: safety.HistoryLine) -> str:
    return "\n".join(line.changes)


RECORD_COLUMNS = [
    Column("Date", lambda r: r.when, width=120),
    Column("Utilisateur", lambda r: r.user, width=110),
    Column("Poste", lambda r: r.workstation, width=120),
    Column("Action", lambda r: r.action, width=110),
    Column(CHANGES, _changes, tooltip=_changes, width=520),
]
ALL_COLUMNS = RECORD_COLUMNS[:4] + [
    Column("Fiche", lambda r: r.kind, width=150),
    Column("Enregistrement", lambda r: r.title, width=200),
    RECORD_COLUMNS[4],
]


class HistoryModel(RowTableModel):
    """The lines of a history (safety.HistoryLine), newest or oldest first as given."""

    def __init__(self, parent=None, *, every_record: bool = False) -> None:
        super().__init__(ALL_COLUMNS if every_record else RECORD_COLUMNS, parent)


def _history_table(model: HistoryModel, name: str) -> QTableView:
    """The usual read-only list, in the history's own order (newest first, sorted by SQL:
    a page of the trail is not re-sorted on its own)."""
    table = FillingTable()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.fill_width()
    return table


def _fit_rows(table: QTableView) -> None:
    table.resizeRowsToContents()


class HistoryDialog(QDialog):
    """A record's history, newest change first. Read only."""

    def __init__(self, db: Database, table: str, record_id: int | str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Historique — {title}")
        self.model = HistoryModel(self)
        self.table = _history_table(self.model, "history_table")
        lines = safety.record_history(db, table, record_id)
        self.model.set_rows(lines)
        self.summary = QLabel(counted(len(lines), "modification enregistrée",
                                      "modifications enregistrées") + " — l'historique ne se "
                              "modifie pas." if lines else "Aucune modification enregistrée.")
        self.summary.setObjectName("history_summary")
        buttons = QDialogButtonBox()
        close = buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 520)
        _fit_rows(self.table)


def show_history(parent: QWidget | None, db: Database, table: str, record_id: int | str | None,
                 title: str) -> HistoryDialog | None:
    """Open a record's Historique (not modal: it can stay beside the form)."""
    if record_id is None:
        return None
    dialog = HistoryDialog(db, table, record_id, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def history_button(parent: QWidget, buttons: QDialogButtonBox, db: Database, table: str,
                   record_id: int | str | None, title: Callable[[], str] | str) -> QPushButton | None:
    """An « Historique… » button on a record's form, in its button box (none for a record
    not saved yet)."""
    if record_id is None:
        return None
    button = buttons.addButton("Historique…", QDialogButtonBox.ButtonRole.HelpRole)
    button.setObjectName("history_button")
    button.setAutoDefault(False)
    button.clicked.connect(dialogs.guard(parent, "l'ouverture de l'historique", lambda: show_history(
        parent, db, table, record_id, title() if callable(title) else title)))
    return button


def popup(menu: QMenu, position: QPoint) -> None:
    """Show a right-click menu (tests replace this, as they replace dialogs' questions)."""
    menu.exec(position)


# (menu text, audited table, row -> (record id, title) or None)
MenuEntry = tuple[str, str, Callable[[Any], "tuple[int | str, str] | None"]]


def add_history_menu(view: QTableView, db: Database, entries: list[MenuEntry],
                     more: Callable[[QMenu], None] | None = None) -> None:
    """A right-click menu on a list: for the row under the mouse, « Historique… » (and, say,
    « Historique du donateur… »), each opening that record's history. `more(menu)` puts the
    list's own entries first (one menu per list: two menus on one right-click would open one
    after the other)."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def requested(position: QPoint) -> None:
        index = view.indexAt(position)
        if index.isValid():
            view.selectRow(index.row())
        row = selected_row(view)
        if row is None and more is None:
            return
        menu = QMenu(view)
        if more is not None:
            more(menu)
            if row is not None and menu.actions():
                menu.addSeparator()
        for text, table, record_of in entries if row is not None else ():
            record = record_of(row)
            if record is None:
                continue
            action = menu.addAction(text)
            action.triggered.connect(dialogs.guard(
                view, "l'ouverture de l'historique",
                lambda _checked=False, t=table, r=record: show_history(view.window(), db, t, *r)))
        if any(not a.isSeparator() for a in menu.actions()):
            popup(menu, view.viewport().mapToGlobal(position))

    view.customContextMenuRequested.connect(requested)


class ChangesWindow(QDialog):
    """Fichier ▸ Historique des modifications: every change, newest first, by pages, with
    filters by period, kind of record and user (all done by SQL)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.page = 0
        self.setWindowTitle("Historique des modifications")
        self.model = HistoryModel(self, every_record=True)
        self.table = _history_table(self.model, "changes_table")

        self.period = QCheckBox("Du")
        self.start = QDateEdit(QDate(clock.today().replace(day=1)))
        self.end = QDateEdit(QDate(clock.today()))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.dateChanged.connect(self.first_page)
        self.period.toggled.connect(self._period_toggled)
        self.kind = QComboBox()
        self.kind.setObjectName("changes_kind")
        self.kind.addItem("Toutes les fiches", None)
        for table, label in safety.history_kinds():
            self.kind.addItem(label, table)
        self.user = QComboBox()
        self.user.setObjectName("changes_user")
        self.user.addItem("Tous les utilisateurs", None)
        for user in safety.history_users(db):
            self.user.addItem(user, user)
        self.kind.currentIndexChanged.connect(self.first_page)
        self.user.currentIndexChanged.connect(self.first_page)

        self.previous_button = QPushButton("◀ Page précédente")
        self.next_button = QPushButton("Page suivante ▶")
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_label = QLabel()
        self.page_label.setObjectName("changes_page")

        filters = QHBoxLayout()
        filters.addWidget(self.period)
        filters.addWidget(self.start)
        filters.addWidget(QLabel("au"))
        filters.addWidget(self.end)
        filters.addWidget(self.kind)
        filters.addWidget(self.user)
        filters.addStretch(1)
        paging = QHBoxLayout()
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        buttons = QDialogButtonBox()
        close = buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        layout.addWidget(buttons)
        self.resize(1250, 700)
        self.show_page(0)

    def _period_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.first_page()

    def current_filter(self) -> safety.HistoryFilter:
        on = self.period.isChecked()
        return safety.HistoryFilter(
            start=self.start.date().toPython() if on else None,
            end=self.end.date().toPython() if on else None,
            kind=self.kind.currentData(), user=self.user.currentData())

    def first_page(self, *_args) -> None:
        self.show_page(0)

    def show_page(self, page: int) -> None:
        flt = self.current_filter()
        if flt.start and flt.end and flt.start > flt.end:
            self.model.set_rows([])
            self.previous_button.setEnabled(False)
            self.next_button.setEnabled(False)
            self.page_label.setText("Période : la date de début est après la date de fin.")
            return
        found = safety.history_page(self.db, flt, page)
        self.page = found.page
        self.model.set_rows(found.lines)
        _fit_rows(self.table)
        self.previous_button.setEnabled(found.page > 0)
        self.next_button.setEnabled(found.page < found.pages - 1)
        if not found.total:
            self.page_label.setText("Aucune modification pour ces critères.")
        else:
            self.page_label.setText(
                f"{counted(found.total, 'modification', 'modifications')} — page "
                f"{format_int(found.page + 1)} sur {format_int(found.pages)}")
