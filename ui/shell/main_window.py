"""The main window: one tab per capability, the Fichier and Aide menus, a status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from occe_bureau import APP_NAME, __version__
from occe_bureau.db import Database
from occe_bureau.formats import counted
from occe_bureau.paths import DataPaths
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.tab_base import BaseTab

TabFactory = Callable[[Database, QWidget | None], BaseTab]


def lazy(module: str, name: str) -> TabFactory:
    """A factory that imports the tab's module only when the tab is first needed, so that
    start-up does not pay for the modules (and ReportLab) of tabs not yet opened."""

    def factory(db: Database, parent: QWidget | None) -> BaseTab:
        return getattr(importlib.import_module(module), name)(db, parent)

    return factory


# (French title, factory). Each capability adds its tab here when it is built.
TABS: list[tuple[str, TabFactory]] = [
    ("Coopératives", lazy("ui.coops.tab", "CoopsTab")),
    ("Prêts", lazy("ui.lending.tab", "LoansTab")),
    ("Dons et reçus", lazy("ui.gifts.tab", "DonationsTab")),
    ("Ventes", lazy("ui.sales.tab", "SalesTab")),
    ("Formations", lazy("ui.trainings.tab", "TrainingsTab")),
    ("Bilan", lazy("ui.bilan.tab", "BilanTab")),
]
# The domain each tab lists (where the Bilan sends a figure's list).
TAB_DOMAINS = {"Coopératives": Domain.COOPS, "Prêts": Domain.LENDING, "Dons et reçus": Domain.GIFTS,
               "Ventes": Domain.SALES, "Formations": Domain.TRAININGS, "Bilan": Domain.BILAN}


class MainWindow(QMainWindow):
    def __init__(self, db: Database, paths: DataPaths, parent: QWidget | None = None) -> None:
        self._first_paint_done = False
        super().__init__(parent)
        self.db = db
        self.paths = paths
        self.ui_state = QSettings(str(paths.root / "interface.ini"), QSettings.Format.IniFormat)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)

        # Each tab page starts as an empty placeholder; the tab itself takes its place the
        # first time it is shown (or when a menu needs it).
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._built: dict[int, BaseTab] = {}
        for title, _factory in TABS:
            self.tabs.addTab(QWidget(), title)
        self.setCentralWidget(self.tabs)

        self.status_text = QLabel()
        self.statusBar().addWidget(self.status_text, 1)
        where = QLabel(f"Données : {db.describe()}")
        where.setStyleSheet("color: #555;")
        self.statusBar().addPermanentWidget(where)

        self._build_menus()
        self._restore_state()
        self.tabs.currentChanged.connect(self._tab_changed)
        # The current tab loads its data once the window has been painted, so that the
        # window appears at once and the list fills in the next turn of the event loop.

    # -- menus --------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Fichier")
        settings = QAction("&Paramètres de l'association…", self)
        settings.triggered.connect(dialogs.guard(self, "l'ouverture des paramètres", self.open_settings))
        file_menu.addAction(settings)
        file_menu.addSeparator()
        self.import_menu = file_menu.addMenu("&Importer")
        self.export_menu = file_menu.addMenu("&Exporter")
        self.import_menu.aboutToShow.connect(self._fill_exchange_menus)
        self.export_menu.aboutToShow.connect(self._fill_exchange_menus)
        backup = QAction("&Sauvegarder la base maintenant", self)
        backup.triggered.connect(dialogs.guard(self, "la sauvegarde de la base", self.backup_now))
        backup.setEnabled(self.db.sqlite_file is not None)
        file_menu.addAction(backup)
        restore = QAction("&Restaurer une sauvegarde…", self)
        restore.triggered.connect(dialogs.guard(self, "la restauration d'une sauvegarde", self.restore))
        restore.setEnabled(self.db.sqlite_file is not None)
        file_menu.addAction(restore)
        changes = QAction("&Historique des modifications…", self)
        changes.triggered.connect(dialogs.guard(self, "l'ouverture de l'historique", self.show_changes))
        file_menu.addAction(changes)
        places = QAction("Sau&vegardes (dossier supplémentaire)…", self)
        places.triggered.connect(dialogs.guard(self, "le choix des dossiers de sauvegarde",
                                               self.backup_places))
        places.setEnabled(self.db.sqlite_file is not None)
        file_menu.addAction(places)
        file_menu.addSeparator()
        person = QAction("&Données personnelles d'une personne…", self)
        person.triggered.connect(dialogs.guard(self, "les données personnelles", self.personal_data))
        file_menu.addAction(person)
        purge = QAction("P&urge annuelle des données personnelles…", self)
        purge.triggered.connect(dialogs.guard(self, "la purge des données personnelles", self.purge))
        file_menu.addAction(purge)
        file_menu.addSeparator()
        quit_action = QAction("&Quitter", self)
        self.quit_action = quit_action
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu("&Aide")
        about = QAction("À &propos d'OCCE Bureau", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def tab(self, index: int) -> BaseTab:
        """The tab at `index`, built on first use."""
        if index not in self._built:
            tab = TABS[index][1](self.db, self)
            tab.status.connect(self._set_status)
            tab.changes_made.connect(lambda domains, source=tab: self.announce(domains, source))
            wanted = getattr(tab, "list_wanted", None)
            if wanted is not None:  # the Bilan: a figure clicked opens its list
                wanted.connect(self.open_list)
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, TABS[index][0])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            placeholder.deleteLater()
            self._built[index] = tab
        return self._built[index]

    def open_list(self, link) -> None:
        """Show the list behind a figure (an occe_bureau.bilan.ListLink) in its tab, filtered."""
        index = next(i for i, (title, _f) in enumerate(TABS) if TAB_DOMAINS[title] == link.domain)
        tab = self.tab(index)
        self.tabs.setCurrentIndex(index)
        with dialogs.guarded(self, "l'ouverture de la liste"):
            said = tab.open_list(link)
            if said:
                self._set_status(said)

    @property
    def tab_widgets(self) -> list[BaseTab]:
        """Every tab (building those not built yet)."""
        return [self.tab(index) for index in range(len(TABS))]

    def _fill_exchange_menus(self) -> None:
        """Fichier ▸ Importer / Exporter list what every tab offers."""
        if self.import_menu.actions() or self.export_menu.actions():
            return
        for tab in self.tab_widgets:
            self._add_entries(self.import_menu, tab.import_actions(), "l'import")
            self._add_entries(self.export_menu, tab.export_actions(), "l'export")

    def _add_entries(self, menu: QMenu, entries, doing: str) -> None:
        for label, callback in entries:
            action = QAction(label, self)
            action.triggered.connect(dialogs.guard(self, f"{doing} : {label.rstrip('…')}", callback))
            menu.addAction(action)

    # -- change notices -----------------------------------------------------------------------
    def announce(self, domains, source: BaseTab | None = None) -> None:
        """Some domains changed (after an action, an import, the demo): every tab built so far
        is told; each reloads now if on screen, or when next shown, if it shows one of them.
        The tab whose action it was (`source`) has reloaded what it shows already."""
        for tab in list(self._built.values()):
            if tab is source:
                continue
            with dialogs.guarded(self, "la mise à jour de l'affichage"):
                tab.on_changes(frozenset(domains))

    # -- actions ------------------------------------------------------------------------------
    def open_settings(self) -> None:
        from ui.shell.changes import Domain
        from ui.shell.settings_dialog import SettingsDialog

        if SettingsDialog(self.db, self).exec():
            self._set_status("Paramètres enregistrés.")
            self.announce({Domain.ASSOCIATION})

    def backup_now(self) -> None:
        from pathlib import Path

        from occe_bureau import safety

        from ui.shell.safekeeping import say_second_problem

        try:
            outcome = safety.back_up(self.paths, "manuelle", source=Path(self.db.sqlite_file))
        except safety.BackupError as exc:
            dialogs.show_warning(self, "Sauvegarde impossible", str(exc))
            return
        say_second_problem(self, outcome)
        also = f"\net copiée dans :\n{outcome.second.path}" if outcome.second else ""
        dialogs.show_info(self, "Sauvegarde", "La base a été sauvegardée, puis la copie "
                          f"vérifiée :\n{outcome.main.path}{also}")

    def backup_places(self) -> None:
        from ui.shell.backups_dialog import BackupPlacesDialog

        if BackupPlacesDialog(self.paths, self).exec():
            self._set_status("Dossiers de sauvegarde enregistrés.")

    def personal_data(self) -> None:
        """What is held about someone found by name or e-mail (a mandataire, a teacher, a
        donor): every record to tick when it is that person, then export or erase."""
        from occe_bureau import safety
        from ui.shell.changes import EVERYTHING
        from ui.shell.privacy_dialog import PersonalDataDialog

        typed = dialogs.ask_line(self, "Données personnelles d'une personne",
                                 "Nom et prénom, ou adresse e-mail :")
        if not typed or not typed.strip():
            return
        typed = typed.strip()
        person = safety.Person(typed, typed if "@" in typed else "")
        dialog = PersonalDataDialog(self.db, person, self)
        dialog.exec()
        if dialog.erased:
            self.announce(EVERYTHING)
            self._set_status(f"Données personnelles de {typed} effacées.")

    def purge(self) -> None:
        from ui.shell.changes import EVERYTHING
        from ui.shell.privacy_dialog import PurgeDialog

        dialog = PurgeDialog(self.db, self)
        if dialog.exec() and dialog.erased:
            self.announce(EVERYTHING)
            self._set_status("Données personnelles effacées : "
                             + counted(dialog.erased, "élément", "éléments") + ".")

    def restore(self) -> None:
        """Fichier ▸ Restaurer une sauvegarde : after confirmation, the chosen backup replaces
        the database (the current state backed up first); every tab then reloads."""
        from pathlib import Path

        from occe_bureau import safety
        from ui.shell.changes import EVERYTHING
        from ui.shell.restore_dialog import RestoreDialog, held_text

        dialog = RestoreDialog(self.paths.backups, self, second=safety.second_folder(self.paths))
        if not dialog.exec() or dialog.chosen() is None:
            return
        info = dialog.chosen()
        if not dialogs.ask_confirm(
                self, "Restaurer une sauvegarde",
                "Remplacer les données actuelles par la sauvegarde du "
                f"{info.taken_at:%d/%m/%Y à %H:%M} ?\n\nElle contient : {held_text(safety.contents(info.path))}.\n\n"
                "L'état actuel est d'abord sauvegardé : la restauration pourra être annulée.",
                yes="Restaurer"):
            return
        self.db.dispose()
        undo = safety.restore_backup(Path(self.db.sqlite_file), info.path, self.paths.backups)
        self.announce(EVERYTHING)
        dialogs.show_info(self, "Sauvegarde restaurée", "Les données de la sauvegarde sont en "
                          "place. L'état d'avant est gardé dans :\n" + str(undo.path if undo else ""))

    def show_changes(self) -> None:
        """Fichier ▸ Historique des modifications : every change, read only."""
        from ui.shell.history_dialog import ChangesWindow

        window = ChangesWindow(self.db, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self.changes_window = window

    def about_text(self) -> str:
        return (
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Le bureau de l'association départementale OCCE : coopératives, prêts de matériel, "
            "dons et reçus fiscaux.</p>"
            f"<p><b>Base de données :</b> {self.db.describe()}<br>"
            f"<b>Dossier des données :</b> {self.paths.root}<br>"
            f"<b>Sauvegardes :</b> {self.paths.backups}<br>"
            f"<b>Journal :</b> {self.paths.log_file}</p>"
        )

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, f"À propos d'{APP_NAME}", self.about_text())

    def event(self, event: QEvent) -> bool:  # noqa: D102
        handled = super().event(event)
        if not getattr(self, "_first_paint_done", True) and event.type() == QEvent.Type.UpdateRequest:
            self._first_paint_done = True
            QTimer.singleShot(0, self._after_first_paint)
        return handled

    def _after_first_paint(self) -> None:
        # Setting a shortcut makes PySide6 build about a hundred enum classes (some 40 ms):
        # done once the window is on screen rather than before.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self._tab_changed(self.tabs.currentIndex())

    # -- state --------------------------------------------------------------------------------
    def _set_status(self, text: str) -> None:
        self.status_text.setText(text)

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(TABS):
            with dialogs.guarded(self, f"l'ouverture de l'onglet {self.tabs.tabText(index)}"):
                self.tab(index).on_shown()

    def _restore_state(self) -> None:
        geometry = self.ui_state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        last = self.ui_state.value("window/tab")
        if last is not None:
            for index in range(self.tabs.count()):
                if self.tabs.tabText(index) == last:
                    self.tabs.setCurrentIndex(index)
                    break

    def save_state(self) -> None:
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/tab", self.tabs.tabText(self.tabs.currentIndex()))
        self.ui_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        super().closeEvent(event)
