"""The Prêts tab: loans and bookings, the inventory, the planning of the coming weeks, and the
days-out figures of the annual report — four pages of one tab (ui/lending/loans_page.py,
inventory_page.py, planning_page.py, days_out_page.py).

Each page says which domains it shows (`shows`). After an action, a page announces what it
changed (`tab.announce`): the tab marks its pages out of date, the page on screen reloads
itself, the others reload when next shown; the main window tells the other tabs. A page
never calls a sibling: what one page asks of another goes through a signal the tab wires.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from occe_bureau import lending
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from ui.shell import dialogs
from ui.lending.days_out_page import StatsPage
from ui.lending.inventory_page import ItemsPage
from ui.lending.loan_dialogs import LoanDialog
from ui.lending.loans_page import LoansPage
from ui.lending.planning_page import PlanningPage
from ui.shell.changes import Domain, StaleSet
from ui.shell.tab_base import BaseTab, turn_to


class LoansTab(BaseTab):
    shows = frozenset({Domain.COOPS, Domain.LENDING})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pages = QTabWidget()
        self.loans_page = LoansPage(self)
        self.items_page = ItemsPage(self)
        self.planning_page = PlanningPage(self)
        self.stats_page = StatsPage(self)
        self.stale = StaleSet()
        for page, title in ((self.loans_page, "Prêts et réservations"),
                            (self.items_page, "Matériel"), (self.planning_page, "Planning"),
                            (self.stats_page, "Jours de sortie")):
            self.pages.addTab(page, title)
            self.stale.add(page, page.shows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.items_page.lend_requested.connect(self._lend)
        self.planning_page.book_requested.connect(self._book_days)
        self.pages.currentChanged.connect(self._page_shown)

    def load(self) -> None:
        self._page_shown(self.pages.currentIndex())

    def refresh(self) -> None:
        """Reload after a change made elsewhere: every page is out of date, the one on screen
        reloads now."""
        self.note_changes(self.shows)
        self._page_shown(self.pages.currentIndex())

    def note_changes(self, domains: frozenset[Domain]) -> None:
        self.stale.note(frozenset(domains))

    def announce(self, *domains: Domain) -> None:
        """An action of the page on screen changed these domains: the other pages reload when
        shown (the acting page reloads itself at once), and the other tabs are told."""
        self.note_changes(frozenset(domains))
        self.stale.fresh(self.pages.currentWidget())
        super().announce(*domains)

    def _page_shown(self, _index: int) -> None:
        page = self.pages.currentWidget()
        with dialogs.guarded(self, "l'affichage de la page"):
            self.stale.refresh(page)
        # Each page has its own line in the status bar (not the previous page's count).
        self.status.emit(page.status_line())

    def open_list(self, link) -> str:
        """The Bilan's days out of a period (the Jours de sortie page), or the loans of a period,
        an item or a category (the loans page, narrowed, with a button to show them all)."""
        if link.view == "days_out":
            turn_to(self.pages, self.stale, self.stats_page)
            self.stats_page.show_period(link.start, link.end)
            return ""
        if link.view != "loans":
            return super().open_list(link)
        what = "les prêts"
        if link.item_id is not None:
            what = f"les prêts de {lending.get_item(self.db, link.item_id).data.code}"
        elif link.category_id is not None:
            names = dict((c.id, c.name) for c in lending.list_categories(self.db, include_archived=True))
            what = f"les prêts de la catégorie « {names.get(link.category_id, '?')} »"
        turn_to(self.pages, self.stale, self.loans_page)
        self.loans_page.narrow(
            lending.LoanFilter(view=lending.VIEW_ALL, period=(link.start, link.end),
                               item_id=link.item_id, category_id=link.category_id),
            f"Depuis le bilan : {what} du {format_date(link.start)} au {format_date(link.end)}.")
        return ""

    def _lend(self, booking: bool, item_ids: list[int]) -> None:
        """The inventory asked to lend or book these items: the loans page takes it."""
        self.pages.setCurrentWidget(self.loans_page)
        self.loans_page.create(booking, item_ids)

    def _book_days(self, item_ids: list[int], start, due) -> None:
        """The planning asked to book these days of these items: the loans page takes it."""
        self.pages.setCurrentWidget(self.loans_page)
        self.loans_page.create(True, item_ids, start=start, due=due)

    def export_actions(self):
        return [("Jours de sortie du matériel (Excel)…", self._export_stats)]

    def _export_stats(self) -> None:
        if self.stats_page.report is None:
            self.stats_page.reload()
        self.stats_page.export()

    def screenshot_dialogs(self):
        return [("nouveau-pret", LoanDialog(self.db, parent=self))]
