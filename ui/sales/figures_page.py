"""The Ventes tab's figures of a school year: quantities and amounts per product and per agenda
cycle ("370 agendas cycle 2 vendus"), per coop, paid and still due; exported to Excel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from occe_bureau import sales
from occe_bureau.formats import counted, format_int, format_money, school_year_label
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.tab_base import choose_year
from ui.shell.table_model import RIGHT, Column, RowTableModel, make_table

if TYPE_CHECKING:
    from ui.sales.tab import SalesTab

PRODUCT_COLUMNS = [
    Column("Produit", lambda p: p.name, width=380),
    Column("Quantité", lambda p: format_int(p.quantity), sort_key=lambda p: p.quantity, align=RIGHT, width=90),
    Column("Montant", lambda p: format_money(p.amount_cents), sort_key=lambda p: p.amount_cents,
           align=RIGHT, width=110),
]
COOP_COLUMNS = [
    Column("Numéro", lambda c: c.coop_number, width=80),
    Column("Coopérative", lambda c: c.coop_name, width=300),
    Column("Commandes", lambda c: format_int(c.orders), sort_key=lambda c: c.orders, align=RIGHT, width=90),
    Column("Agendas", lambda c: format_int(c.agendas), sort_key=lambda c: c.agendas, align=RIGHT, width=80),
    Column("Livres", lambda c: format_int(c.books), sort_key=lambda c: c.books, align=RIGHT, width=70),
    Column("Montant", lambda c: format_money(c.amount_cents), sort_key=lambda c: c.amount_cents, align=RIGHT, width=100),
    Column("Payé", lambda c: format_money(c.paid_cents), sort_key=lambda c: c.paid_cents, align=RIGHT, width=100),
    Column("Reste dû", lambda c: format_money(c.unpaid_cents), sort_key=lambda c: c.unpaid_cents, align=RIGHT, width=100),
]


class FiguresPage(QWidget):
    shows = frozenset({Domain.SALES, Domain.COOPS})

    def __init__(self, tab: SalesTab) -> None:
        super().__init__(tab)
        self.tab, self.db = tab, tab.db
        self.figures: sales.YearFigures | None = None
        self.year = QComboBox()
        self.year.setObjectName("figures_year")
        self.cycles = QLabel()
        self.cycles.setObjectName("figures_cycles")
        self.totals = QLabel()
        self.totals.setObjectName("figures_totals")
        self.products = RowTableModel(PRODUCT_COLUMNS, self)
        self.product_table = make_table(self.products, "figures_products")
        self.coops = RowTableModel(COOP_COLUMNS, self)
        self.coop_table = make_table(self.coops, "figures_coops")
        for table in (self.product_table, self.coop_table):
            table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        export = QPushButton("Exporter (Excel)…")
        export.clicked.connect(dialogs.guard(self, "l'export des chiffres des ventes", self.export))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Année scolaire"))
        bar.addWidget(self.year)
        bar.addStretch(1)
        bar.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.cycles)
        layout.addWidget(self.totals)
        layout.addWidget(self.product_table, 1)
        layout.addWidget(self.coop_table, 2)
        self.year.currentIndexChanged.connect(
            lambda _i: dialogs.guard(self, "les chiffres des ventes", self.show_year)())

    def reload(self) -> None:
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in sales.order_years(self.db):
            self.year.addItem(school_year_label(year), year)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))
        self.year.blockSignals(False)
        self.show_year()

    def open_year(self, year: int) -> None:
        """The figures of school year `year` (from the Bilan)."""
        if self.year.count() == 0:
            self.reload()
        choose_year(self.year, year, school_year_label(year))
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        f = self.figures = sales.year_figures(self.db, year)
        self.cycles.setText(" — ".join(c.text for c in f.cycles)
                            + f" — {counted(f.quantity_of(sales.ProductKind.BOOK), 'livre vendu', 'livres vendus')}")
        self.totals.setText(f"{counted(f.orders, 'commande', 'commandes')} pour "
                            f"{format_money(f.amount_cents)} : {format_money(f.paid_cents)} payés, "
                            f"{format_money(f.unpaid_cents)} restant dus")
        self.products.set_rows(f.products)
        self.coops.set_rows(f.coops)

    def status_line(self) -> str:
        return self.totals.text()

    def export(self) -> None:
        if self.figures is None:
            self.reload()
        label = self.figures.label
        path = dialogs.ask_save_workbook(self, "Exporter les chiffres des ventes",
                                         f"Ventes {label}.xlsx")
        if not path:
            return
        sales.export_year_figures(self.db, self.figures.school_year, path)
        dialogs.show_exported(self, "Export terminé", f"Les chiffres des ventes {label} sont enregistrés :\n{path}", path)
