"""What the main window expects of a tab."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from occe_bureau.db import Database
from ui.shell.changes import Domain


NOT_OPENED = "Cette liste ne peut pas être ouverte depuis le bilan."


def choose_year(combo, year: int, label: str) -> None:
    """Put a year picker on `year` without it reloading (the year added when it has none)."""
    combo.blockSignals(True)
    if combo.findData(year) < 0:
        combo.addItem(label, year)
    combo.setCurrentIndex(combo.findData(year))
    combo.blockSignals(False)


def turn_to(pages, stale, page) -> None:
    """Make `page` the current page of a tab's pages without it reloading on the way (the
    caller shows what it was asked for): it counts as up to date."""
    pages.blockSignals(True)
    pages.setCurrentWidget(page)
    pages.blockSignals(False)
    stale.fresh(page)


class BaseTab(QWidget):
    """A tab: built cheaply, loads its data when first shown, and reloads when it is shown
    and out of date (one of the domains it `shows` changed since it last loaded)."""

    # The domains whose changes this tab shows.
    shows: frozenset[Domain] = frozenset()
    # A line for the main window's status bar.
    status = Signal(str)
    # Emitted after an action of this tab: the frozenset of the domains it changed. The main
    # window tells every other tab through `on_changes` (this one reloads what it shows itself).
    changes_made = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._loaded = False
        self._stale = False

    def announce(self, *domains: Domain) -> None:
        """Tell the application that an action of this tab changed these domains."""
        self.changes_made.emit(frozenset(domains))

    def on_changes(self, domains: frozenset[Domain]) -> None:
        """Some domains changed: out of date if this tab shows one of them; reloaded at once
        when on screen, otherwise the next time it is shown."""
        if not self._loaded or not (domains & self.shows):
            return
        self._stale = True
        self.note_changes(domains)
        if self.isVisible():
            self._reload_now()

    def note_changes(self, domains: frozenset[Domain]) -> None:
        """For a tab of several pages: mark the pages that show these domains."""

    def on_shown(self) -> None:
        """Called by the main window each time the tab becomes the current one."""
        if not self._loaded:
            self._loaded = True
            self._stale = False
            self.load()
        elif self._stale:
            self._reload_now()

    def _reload_now(self) -> None:
        self._stale = False
        self.refresh()

    def load(self) -> None:
        """First load of the tab's data."""

    def refresh(self) -> None:
        """Reload after a change it shows."""
        self.load()

    def open_list(self, link) -> str:
        """Show the list behind a figure of the Bilan (an occe_bureau.bilan.ListLink), with its
        filters set in the widgets as the secretary would set them; "" when done, else a
        sentence saying what could not be applied (shown in the status bar)."""
        return NOT_OPENED

    def screenshot_dialogs(self) -> list:
        """(name, dialog) of the tab's main dialogs, for the screenshots and the French check."""
        return []

    def import_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """Entries for the Fichier ▸ Importer menu."""
        return []

    def export_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """Entries for the Fichier ▸ Exporter menu."""
        return []
