"""The Prêts tab's inventory page: categories and items, with each item's situation today."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from occe_bureau.formats import format_int, format_money
from occe_bureau import lending
from occe_bureau.lending import ItemState
from ui.shell import dialogs
from ui.lending.inventory_dialogs import CategoriesDialog, ItemDialog
from ui.lending.loan_tables import (
    DONE_STYLE, OVERDUE_STYLE, fill_category_combo,
)
from ui.shell.changes import Domain
from ui.shell.history_dialog import add_history_menu
from ui.shell.table_model import make_table, RIGHT, Column, RowStyle, RowTableModel, select_row_id, selected_row

if TYPE_CHECKING:
    from ui.lending.tab import LoansTab

ITEM_COLUMNS = [
    Column("Code", lambda r: r.code, width=70),
    Column("Désignation", lambda r: r.name, sort_key=lambda r: r.name.casefold(), width=240,
           tooltip=lambda r: "Accessoires : " + (", ".join(r.accessories) or "aucun")),
    Column("Catégorie", lambda r: r.category, width=170),
    Column("Aujourd'hui", lambda r: r.situation_label, sort_key=lambda r: (r.situation, r.days_late),
           width=420, tooltip=lambda r: r.situation_label),
    Column("Prochaine réservation", lambda r: r.next_label, sort_key=lambda r: r.next_booking_start,
           width=300, tooltip=lambda r: r.next_label and "Réservé " + r.next_label[0].lower() + r.next_label[1:]),
    Column("Valeur", lambda r: format_money(r.replacement_value_cents),
           sort_key=lambda r: r.replacement_value_cents, align=RIGHT, width=90),
    Column("Durée", lambda r: f"{r.default_loan_days} j", sort_key=lambda r: r.default_loan_days,
           align=RIGHT, width=54),
]


def _item_style(row: lending.ItemRow) -> RowStyle | None:
    if row.situation == lending.SIT_OVERDUE:
        return OVERDUE_STYLE
    if row.state != ItemState.AVAILABLE:
        return DONE_STYLE
    return None


class ItemsPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.LENDING})
    # "Prêter…" / "Réserver…": (booking?, the item ids) for the loans page (the tab wires it).
    lend_requested = Signal(bool, list)

    def __init__(self, tab: LoansTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("item_category")
        self.situation_combo = QComboBox()
        self.situation_combo.setObjectName("item_situation")
        for key, label in lending.SITUATION_LABELS.items():
            self.situation_combo.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher : code, désignation…")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("Nouveau matériel…")
        self.edit_button = QPushButton("Modifier…")
        self.lend_button = QPushButton("Prêter…")
        self.book_button = QPushButton("Réserver…")
        self.category_button = QPushButton("Catégories…")
        self.model = RowTableModel(ITEM_COLUMNS, self, style=_item_style)
        self.table = make_table(self.model, "item_table")
        add_history_menu(self.table, self.db, [("Historique…", "item", lambda r: (r.id, f"{r.code} {r.name}"))])
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.summary = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.category_combo)
        filters.addWidget(self.situation_combo)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.lend_button, self.book_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.category_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        g = dialogs.guard
        self.new_button.clicked.connect(g(self, "la création d'un matériel", self.create))
        self.edit_button.clicked.connect(g(self, "la modification d'un matériel", self.edit))
        self.lend_button.clicked.connect(g(self, "la saisie d'un prêt", lambda: self._lend(False)))
        self.book_button.clicked.connect(g(self, "la saisie d'une réservation", lambda: self._lend(True)))
        self.category_button.clicked.connect(g(self, "les catégories de matériel", self.edit_categories))
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.situation_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        self.fill_categories()
        self._update()

    def fill_categories(self) -> None:
        fill_category_combo(self.category_combo, self.db, with_counts=True)

    def reload(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = lending.list_items(self.db, lending.ItemFilter(
            category_id=self.category_combo.currentData(),
            situation=self.situation_combo.currentData(), search=self.search.text()))
        self.model.set_rows(rows)
        select_row_id(self.table, chosen)
        out = sum(1 for r in rows if r.situation in (lending.SIT_OUT, lending.SIT_OVERDUE))
        late = sum(1 for r in rows if r.situation == lending.SIT_OVERDUE)
        self.summary.setText(f"{format_int(len(rows))} matériels affichés — {out} en prêt"
                             + (f", dont {late} en retard" if late else ""))
        self._update()

    def status_line(self) -> str:
        return self.summary.text()

    def selected(self) -> lending.ItemRow | None:
        return selected_row(self.table)

    def _update(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        lendable = row is not None and row.state == ItemState.AVAILABLE
        self.lend_button.setEnabled(lendable and row.situation == lending.SIT_FREE)
        self.book_button.setEnabled(row is not None
                                    and row.state in (ItemState.AVAILABLE, ItemState.MAINTENANCE))

    def create(self) -> None:
        dialog = ItemDialog(self.db, None, self)
        if dialog.exec():
            self.tab.announce(Domain.LENDING)
            self.fill_categories()
            self.reload(select_id=dialog.saved_id)
            self.tab.status.emit("Matériel ajouté à l'inventaire.")

    def edit(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ItemDialog(self.db, row.id, self)
        if dialog.exec():
            self.tab.announce(Domain.LENDING)
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Matériel {row.code} enregistré.")

    def _lend(self, booking: bool) -> None:
        row = self.selected()
        if row is not None:
            self.lend_requested.emit(booking, [row.id])

    def edit_categories(self) -> None:
        dialog = CategoriesDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self.tab.announce(Domain.LENDING)
            self.fill_categories()
            self.reload()
            self.tab.status.emit("Catégories de matériel enregistrées.")
