"""The Ventes tab's payers: the town halls (SIRET, Chorus Pro service code) and other payers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from occe_bureau import sales
from occe_bureau.formats import counted
from ui.sales.dialogs import PayerDialog
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.table_model import Column, RowTableModel, make_table, select_row_id, selected_row

if TYPE_CHECKING:
    from ui.sales.tab import SalesTab

PAYER_COLUMNS = [
    Column("Nom", lambda r: r.name, sort_key=lambda r: r.name.casefold(), width=300),
    Column("Type", lambda r: r.kind.label, width=110),
    Column("Commune", lambda r: f"{r.postal_code} {r.city}".strip(), width=200),
    Column("SIRET", lambda r: r.siret, width=130),
    Column("Code service Chorus Pro", lambda r: r.service_code, width=170),
]


class PayersPage(QWidget):
    shows = frozenset({Domain.SALES})

    def __init__(self, tab: SalesTab) -> None:
        super().__init__(tab)
        self.tab, self.db = tab, tab.db
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher : nom, commune, SIRET…")
        self.search.setClearButtonEnabled(True)
        self.model = RowTableModel(PAYER_COLUMNS, self)
        self.table = make_table(self.model, "payer_table")
        self.summary = QLabel()
        self.new_button = QPushButton("Nouveau payeur…")
        self.edit_button = QPushButton("Modifier…")
        g = dialogs.guard
        self.new_button.clicked.connect(g(self, "la création d'un payeur", self.create))
        self.edit_button.clicked.connect(g(self, "la modification d'un payeur", self.edit))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.table.doubleClicked.connect(lambda _i: g(self, "la modification d'un payeur", self.edit)())
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.edit_button.setEnabled(self.selected() is not None))

    def reload(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = sales.list_payers(self.db, self.search.text())
        self.model.set_rows(rows)
        select_row_id(self.table, chosen)
        self.summary.setText(counted(len(rows), "payeur", "payeurs"))
        self.edit_button.setEnabled(self.selected() is not None)

    def status_line(self) -> str:
        return self.summary.text()

    def selected(self) -> sales.PayerRow | None:
        return selected_row(self.table)

    def create(self) -> None:
        dialog = PayerDialog(self.db, None, self)
        if dialog.exec():
            self.tab.announce(Domain.SALES)
            self.reload(select_id=dialog.saved_id)
            self.tab.status.emit("Payeur enregistré.")

    def edit(self) -> None:
        row = self.selected()
        if row is not None and PayerDialog(self.db, row.id, self).exec():
            self.tab.announce(Domain.SALES)
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Payeur « {row.name} » enregistré.")
