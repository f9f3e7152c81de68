"""The Ventes tab's catalogue: products with their stock (the sum of their movements) and the
low-stock warning; the movements of the product chosen; goods received, returns, corrections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from occe_bureau import sales
from occe_bureau.formats import counted, format_date, format_int, format_money
from ui.sales.dialogs import MovementDialog, ProductDialog
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.table_model import (
    RIGHT, Column, RowStyle, RowTableModel, make_table, select_row_id, selected_row,
)

if TYPE_CHECKING:
    from ui.sales.tab import SalesTab

PRODUCT_COLUMNS = [
    Column("Désignation", lambda r: r.name, sort_key=lambda r: r.name.casefold(), width=360),
    Column("Type", lambda r: r.kind_label, width=120),
    Column("Édition", lambda r: r.edition_label, width=85),
    Column("Prix", lambda r: format_money(r.unit_price_cents), sort_key=lambda r: r.unit_price_cents,
           align=RIGHT, width=80),
    Column("Stock", lambda r: format_int(r.stock), sort_key=lambda r: r.stock, align=RIGHT, width=70,
           tooltip=lambda r: r.stock_warning or None),
    Column("Seuil bas", lambda r: format_int(r.low_stock), sort_key=lambda r: r.low_stock,
           align=RIGHT, width=75),
    Column("Au catalogue", lambda r: "oui" if r.active else "non", width=90),
    Column("Alerte", lambda r: r.stock_warning, width=220),
]
MOVEMENT_COLUMNS = [
    Column("Date", lambda m: format_date(m.moved_on), sort_key=lambda m: m.moved_on, width=90),
    Column("Motif", lambda m: m.reason.label, width=160),
    Column("Quantité", lambda m: f"{m.quantity:+d}".replace("-", "−"), sort_key=lambda m: m.quantity,
           align=RIGHT, width=80),
    Column("Commande", lambda m: m.order_number, width=100),
    Column("Commentaire", lambda m: m.note, width=300),
]


def _style(row: sales.ProductRow) -> RowStyle | None:
    if not row.active:
        return RowStyle(foreground="#8a8a8a")
    if row.is_low:
        return RowStyle(foreground="#b3261e", bold=row.stock < 0)
    return None


class CataloguePage(QWidget):
    shows = frozenset({Domain.SALES})

    def __init__(self, tab: SalesTab) -> None:
        super().__init__(tab)
        self.tab, self.db = tab, tab.db
        self.model = RowTableModel(PRODUCT_COLUMNS, self, style=_style)
        self.table = make_table(self.model, "product_table")
        self.movements = RowTableModel(MOVEMENT_COLUMNS, self)
        self.movement_table = make_table(self.movements, "movement_table")
        self.movement_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.summary = QLabel()
        bar = QHBoxLayout()
        self.new_button = QPushButton("Nouveau produit…")
        self.edit_button = QPushButton("Modifier…")
        self.move_button = QPushButton("Mouvement de stock…")
        g = dialogs.guard
        self.new_button.clicked.connect(g(self, "la création d'un produit", self.create))
        self.edit_button.clicked.connect(g(self, "la modification d'un produit", self.edit))
        self.move_button.clicked.connect(g(self, "un mouvement de stock", self.move))
        for button in (self.new_button, self.edit_button, self.move_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("Mouvements du produit choisi (le stock est leur somme)"))
        layout.addWidget(self.movement_table, 2)
        layout.addWidget(self.summary)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.table.doubleClicked.connect(lambda _i: g(self, "la modification d'un produit", self.edit)())

    def reload(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = sales.list_products(self.db)
        self.model.set_rows(rows)
        select_row_id(self.table, chosen)
        low = sum(1 for r in rows if r.active and r.is_low)
        self.summary.setText(f"{counted(len(rows), 'produit', 'produits')}"
                             + (f" — {counted(low, 'produit', 'produits')} en stock bas" if low else ""))
        self._selected_changed()

    def status_line(self) -> str:
        return self.summary.text()

    def selected(self) -> sales.ProductRow | None:
        return selected_row(self.table)

    def _selected_changed(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.move_button.setEnabled(row is not None)
        self.movements.set_rows(sales.list_movements(self.db, row.id) if row else [])

    def _done(self, product_id: int | None, message: str) -> None:
        self.tab.announce(Domain.SALES)
        self.reload(select_id=product_id)
        self.tab.status.emit(message)

    def create(self) -> None:
        dialog = ProductDialog(self.db, None, self)
        if dialog.exec():
            self._done(dialog.saved_id, "Produit ajouté au catalogue.")

    def edit(self) -> None:
        row = self.selected()
        if row is not None and ProductDialog(self.db, row.id, self).exec():
            self._done(row.id, f"Produit « {row.name} » enregistré.")

    def move(self) -> None:
        row = self.selected()
        if row is not None and MovementDialog(self.db, row, self).exec():
            self._done(row.id, "Mouvement de stock enregistré.")
