"""Qt's own texts in French: the standard buttons (OK, Annuler…), the right-click menus of
text fields (Annuler, Copier, Coller…) and Qt's file, print and colour dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []  # kept alive as long as the application


def install_french(app: QCoreApplication) -> bool:
    """Load Qt's French translations into the application (once); True if they were found."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    if _installed:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(QLocale.Language.French), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
