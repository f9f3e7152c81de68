"""Render every tab (and the main forms) to PNG files, for looking at what we build."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from occe_bureau.formats import fold


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _grab(widget: QWidget, path: Path) -> Path:
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def save_screenshots(window, folder: str | Path) -> list[Path]:
    """One PNG per tab of the main window, plus the forms a secretary opens most."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(1500, 900)
    window.show()
    saved = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        saved.append(_grab(window, folder / f"onglet-{index + 1}-{_slug(window.tabs.tabText(index))}.png"))
        for name, dialog in getattr(window.tab(index), "screenshot_dialogs", lambda: [])():
            saved.append(_grab(dialog, folder / f"onglet-{index + 1}-{_slug(name)}.png"))
            dialog.close()
    from ui.shell.settings_dialog import SettingsDialog

    settings = SettingsDialog(window.db, window)
    saved.append(_grab(settings, folder / "parametres-association.png"))
    settings.close()
    return saved
