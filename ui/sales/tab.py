"""The Ventes tab: orders (ui/sales/orders_page.py), the catalogue and its stock
(catalogue_page.py), the payers (payers_page.py) and the year's figures (figures_page.py) —
four pages of one tab, each saying which domains it shows, as in the Prêts tab."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from occe_bureau.db import Database
from ui.sales.catalogue_page import CataloguePage
from ui.sales.dialogs import OrderDialog
from ui.sales.figures_page import FiguresPage
from ui.sales.orders_page import OrdersPage
from ui.sales.payers_page import PayersPage
from ui.shell import dialogs
from ui.shell.changes import Domain, StaleSet
from ui.shell.tab_base import BaseTab, turn_to


class SalesTab(BaseTab):
    shows = frozenset({Domain.COOPS, Domain.SALES, Domain.ASSOCIATION})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pages = QTabWidget()
        self.orders_page = OrdersPage(self)
        self.catalogue_page = CataloguePage(self)
        self.payers_page = PayersPage(self)
        self.figures_page = FiguresPage(self)
        self.stale = StaleSet()
        for page, title in ((self.orders_page, "Commandes"),
                            (self.catalogue_page, "Catalogue et stock"),
                            (self.payers_page, "Payeurs"), (self.figures_page, "Chiffres de l'année")):
            self.pages.addTab(page, title)
            self.stale.add(page, page.shows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.pages.currentChanged.connect(self._page_shown)

    def load(self) -> None:
        self._page_shown(self.pages.currentIndex())

    def refresh(self) -> None:
        self.note_changes(self.shows)
        self._page_shown(self.pages.currentIndex())

    def note_changes(self, domains: frozenset[Domain]) -> None:
        self.stale.note(frozenset(domains))

    def announce(self, *domains: Domain) -> None:
        self.note_changes(frozenset(domains))
        self.stale.fresh(self.pages.currentWidget())
        super().announce(*domains)

    def open_list(self, link) -> str:
        """The Bilan's orders of a school year, or its figures."""
        if link.view not in ("orders", "sales_figures"):
            return super().open_list(link)
        page = self.orders_page if link.view == "orders" else self.figures_page
        turn_to(self.pages, self.stale, page)
        if page is self.orders_page:
            page.show_year(link.school_year)
        else:
            page.open_year(link.school_year)
        self.status.emit(page.status_line())
        return ""

    def _page_shown(self, _index: int) -> None:
        page = self.pages.currentWidget()
        with dialogs.guarded(self, "l'affichage de la page"):
            self.stale.refresh(page)
        self.status.emit(page.status_line())

    def export_actions(self):
        return [("Chiffres des ventes (Excel)…", self._export_figures)]

    def _export_figures(self) -> None:
        if self.figures_page.figures is None:
            self.figures_page.reload()
        self.figures_page.export()

    def screenshot_dialogs(self):
        return [("nouvelle-commande", OrderDialog(self.db, None, self))]
