"""What the main window expects of a tab."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from occe_bureau.db import Database


class BaseTab(QWidget):
    """A tab: built cheaply, loads its data when first shown, refreshes when shown again."""

    # A line for the main window's status bar.
    status = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._loaded = False

    def on_shown(self) -> None:
        """Called by the main window each time the tab becomes the current one."""
        if not self._loaded:
            self._loaded = True
            self.load()
        else:
            self.refresh()

    def load(self) -> None:
        """First load of the tab's data."""

    def refresh(self) -> None:
        """Reload after something may have changed elsewhere."""
        self.load()

    def import_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """Entries for the Fichier ▸ Importer menu."""
        return []

    def export_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """Entries for the Fichier ▸ Exporter menu."""
        return []
