"""The Prêts tab: loans and bookings, the inventory, the planning of the coming weeks, and the
days-out figures of the annual report — four pages of one tab (ui/loans_page.py,
ui/inventory_page.py, ui/planning_page.py, ui/days_out_page.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from occe_bureau.db import Database
from ui.shell import dialogs
from ui.lending.days_out_page import StatsPage
from ui.lending.inventory_page import ItemsPage
from ui.lending.loan_dialogs import LoanDialog
from ui.lending.loans_page import LoansPage
from ui.lending.planning_page import PlanningPage
from ui.shell.changes import Domain
from ui.shell.tab_base import BaseTab
from occe_bureau import clock


class LoansTab(BaseTab):
    shows = frozenset({Domain.COOPS, Domain.LENDING})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pages = QTabWidget()
        self.loans_page = LoansPage(self)
        self.items_page = ItemsPage(self)
        self.planning_page = PlanningPage(self)
        self.stats_page = StatsPage(self)
        self.pages.addTab(self.loans_page, "Prêts et réservations")
        self.pages.addTab(self.items_page, "Matériel")
        self.pages.addTab(self.planning_page, "Planning")
        self.pages.addTab(self.stats_page, "Jours de sortie")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._stale: set[QWidget] = set()
        # The day the pages count from (overdue, days out so far, the planning's "today");
        # tests set a fixed day here so they do not depend on the calendar.
        self.today_override: date | None = None
        self.pages.currentChanged.connect(self._page_shown)

    def today(self) -> date:
        return self.today_override or clock.today()

    def load(self) -> None:
        self.loans_page.reload()
        self.items_page.reload()
        self._stale = {self.planning_page, self.stats_page}

    def refresh(self) -> None:
        self.load()
        self._page_shown(self.pages.currentIndex())

    def categories_changed(self) -> None:
        self.planning_page.fill_categories()
        self._stale |= {self.planning_page, self.stats_page}

    def lending_changed(self) -> None:
        """Something was saved: the other pages reload when next shown, and the other tabs
        are told."""
        self.items_page.reload()
        self._stale |= {self.planning_page, self.stats_page}
        self.announce(Domain.LENDING)

    def _page_shown(self, _index: int) -> None:
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            with dialogs.guarded(self, "l'affichage de la page"):
                page.reload()
        # Each page has its own line in the status bar (not the previous page's count).
        self.status.emit(page.status_line())

    def export_actions(self):
        return [("Jours de sortie du matériel (Excel)…", self._export_stats)]

    def _export_stats(self) -> None:
        if self.stats_page.report is None:
            self.stats_page.reload()
        self.stats_page.export()

    def screenshot_dialogs(self):
        return [("nouveau-pret", LoanDialog(self.db, parent=self))]
