"""The application shell: menus, settings, state remembered, errors explained, start-up."""

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView

from occe_bureau.paths import DataPaths
from occe_bureau.association import settings as settings_svc
from ui.shell import app
from ui.shell import dialogs
from ui.shell.settings_dialog import SettingsDialog

from tests.ui.conftest import make_window
from tests.ui.typing import type_text


def menu_titles(menu):
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


def test_menus_are_french_and_complete(window):
    bar = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert bar == ["Fichier", "Aide"]
    file_menu = window.menuBar().actions()[0].menu()
    entries = menu_titles(file_menu)
    for expected in ("Paramètres de l'association…", "Importer", "Exporter", "Quitter"):
        assert expected in entries
    window.import_menu.aboutToShow.emit()
    assert "Coopératives (CSV ou Excel)…" in menu_titles(window.import_menu)
    assert "Liste des coopératives affichée (Excel ou CSV)…" in menu_titles(window.export_menu)
    about = window.about_text()
    assert str(window.paths.root) in about and window.db.describe() in about


def test_window_size_and_last_tab_are_remembered(qtbot, demo_db, tmp_path, monkeypatch):
    from ui.shell.main_window import MainWindow

    first = make_window(qtbot, demo_db, tmp_path)
    first.resize(1450, 870)
    last_tab = first.tabs.count() - 1
    first.tabs.setCurrentIndex(last_tab)
    saved = first.saveGeometry()
    first.close()
    restored = []
    real_restore = MainWindow.restoreGeometry
    monkeypatch.setattr(MainWindow, "restoreGeometry",
                        lambda self, g: restored.append(bytes(g)) or real_restore(self, g))
    second = make_window(qtbot, demo_db, tmp_path)
    # (The offscreen test screen is small and clamps the size; the saved geometry is what counts.)
    assert restored == [bytes(saved)]
    assert second.tabs.currentIndex() == last_tab


def test_settings_dialog_checks_fields_then_saves(qtbot, db):
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name, "OCCE – AD du Vaucluse")
    type_text(qtbot, dialog.siren_rna, "12345")
    type_text(qtbot, dialog.email, "ad84@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert "obligatoire" in dialog.errors.message("address")
    assert "9 chiffres" in dialog.errors.message("siren_rna")
    assert "e-mail invalide" in dialog.errors.message("email")
    assert settings_svc.get_association(db).name == ""

    for edit, text in ((dialog.address, "4 rue Pasteur"), (dialog.city, "Avignon"),
                       (dialog.postal_code, "84000"), (dialog.signatory_name, "Jeanne Œuvray"),
                       (dialog.signatory_title, "Présidente")):
        type_text(qtbot, edit, text)
    dialog.siren_rna.clear()
    type_text(qtbot, dialog.siren_rna, "W842000084")
    dialog.email.clear()
    png = (Path(__file__).parents[2] / "ressources" / "icons" / "occe_bureau.png").read_bytes()
    dialog.logo.set_data(png)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    saved = settings_svc.get_association(db)
    assert (saved.name, saved.city, saved.siren_rna, saved.signatory_name) == (
        "OCCE – AD du Vaucluse", "Avignon", "W842000084", "Jeanne Œuvray")
    assert saved.logo == png


def test_settings_dialog_refuses_a_file_that_is_not_an_image(qtbot, db):
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.signature.set_data(b"GIF89a not accepted")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "PNG ou JPEG" in dialog.errors.message("signature")


def test_an_unexpected_error_is_explained_in_french_and_logged(qtbot, window, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(dialogs, "show_unexpected_error", lambda parent, doing, exc: shown.append((doing, exc)))
    tab = window.tab_widgets[0]

    def broken(*_a, **_k):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(tab, "reload", broken)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    tab.table.selectRow(0)
    target = tab.selected()
    qtbot.mouseClick(tab.archive_button, Qt.MouseButton.LeftButton)
    assert shown and shown[0][0] == "l'archivage d'une coopérative"
    assert "disque plein" in str(shown[0][1])
    # What was saved before the failure stays saved.
    from occe_bureau.coops.register import get_coop

    assert get_coop(window.db, target.id).archived
    assert "disque plein" in caplog.text and "l'archivage" in caplog.text


def test_unexpected_error_text_says_what_and_where_the_log_is(monkeypatch, tmp_path):
    texts = []
    log_file = tmp_path / "journaux" / "occe_bureau.log"
    monkeypatch.setattr(dialogs, "LOG_FILE", log_file)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: texts.append(self.text()))
    real = dialogs.__dict__["_real_show_unexpected_error"]
    real(None, "l'import des coopératives", ValueError("x"))
    assert "pendant : l'import des coopératives" in texts[0]
    assert "n'est pas perdu" in texts[0]
    assert str(log_file) in texts[0]


def test_screenshots_command_renders_every_tab(tmp_path, qapp):
    out = tmp_path / "shots"
    code = app.main(["--data-dir", str(tmp_path / "data"), "--screenshots", str(out)])
    assert code == 0
    names = sorted(p.name for p in out.glob("*.png"))
    assert "onglet-1-cooperatives.png" in names and "parametres-association.png" in names
    assert all((out / n).stat().st_size > 10_000 for n in names)


def test_a_database_from_a_newer_version_is_refused_at_start(tmp_path, qapp, monkeypatch):
    paths = DataPaths(tmp_path / "data").ensure()
    app.open_database(paths, None).dispose()
    con = sqlite3.connect(paths.database)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    messages = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: messages.append(text))
    assert app.main(["--data-dir", str(paths.root)]) == 2
    assert "version plus récente" in messages[0]


def test_data_dir_from_environment(tmp_path, monkeypatch):
    from occe_bureau.paths import resolve_data_paths

    monkeypatch.setenv("OCCE_BUREAU_DATA", str(tmp_path / "ailleurs"))
    assert resolve_data_paths().root == (tmp_path / "ailleurs").resolve()
    assert resolve_data_paths(tmp_path / "explicite").root == (tmp_path / "explicite").resolve()


def test_first_start_offers_the_demo_and_builds_it(db, monkeypatch, qapp):
    from occe_bureau.demo import database_is_empty
    from occe_bureau.association.settings import is_configured

    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda parent, title, text, **k: asked.append(text) or True)
    app.first_start(db, None)
    assert "démonstration" in asked[0]
    assert not database_is_empty(db) and is_configured(db)


def test_first_start_without_demo_asks_for_the_association(db, monkeypatch, qapp):
    opened = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: opened.append(self) or 0)
    app.first_start(db, None)
    assert len(opened) == 1
    from occe_bureau.demo import database_is_empty

    assert database_is_empty(db)


def test_db_option_points_at_any_database_url(tmp_path, qapp):
    target = tmp_path / "ailleurs.sqlite3"
    code = app.main(["--data-dir", str(tmp_path / "data"), "--db", f"sqlite:///{target}",
                     "--screenshots", str(tmp_path / "shots")])
    assert code == 0 and target.exists()
    assert not (tmp_path / "data" / "occe_bureau.sqlite3").exists()


def test_logging_goes_to_a_rotating_file_in_the_data_folder(tmp_path):
    import logging
    from logging.handlers import RotatingFileHandler

    from occe_bureau.logs import setup_logging

    paths = DataPaths(tmp_path / "data").ensure()
    setup_logging(paths)
    logging.getLogger("occe_bureau.test").warning("trace de test")
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    for handler in handlers:
        handler.flush()
    assert handlers and handlers[-1].maxBytes > 0 and handlers[-1].backupCount > 0
    assert "trace de test" in paths.log_file.read_text(encoding="utf-8")
    for handler in handlers:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_tabs_are_built_when_first_shown(tmp_path):
    """Start-up pays only for the tab on screen: the others (and ReportLab) load when opened."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from pathlib import Path\n"
        "from occe_bureau.paths import DataPaths\n"
        "from ui.shell.app import open_database\n"
        "from ui.shell.main_window import MainWindow\n"
        f"paths = DataPaths(Path({str(tmp_path)!r})).ensure()\n"
        "window = MainWindow(open_database(paths, None), paths)\n"
        "window.show(); app.processEvents(); app.processEvents()\n"
        "print(sorted(m for m in ('reportlab', 'ui.lending.tab', 'ui.gifts.tab', 'ui.coops.tab',"
        " 'ui.bilan.tab', 'occe_bureau.bilan.gathering') if m in sys.modules))\n"
        "window.tabs.setCurrentIndex(1); app.processEvents()\n"
        "print('ui.lending.tab' in sys.modules)\n"
        "window.tabs.setCurrentIndex(window.tabs.count() - 1); app.processEvents()\n"
        "print(window.tabs.tabText(window.tabs.currentIndex()), 'reportlab.graphics' in sys.modules)\n"
        "os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "['ui.coops.tab']"
    assert lines[1] == "True"
    assert lines[2] == "Bilan True"  # the charts' library, loaded with the Bilan (on an empty base)


def test_the_demo_built_at_first_start_shows_at_once_in_every_tab(qtbot, db, tmp_path, monkeypatch):
    """The register was empty when the window opened; once the demo is built (with its
    progress shown), the register lists it without switching tabs, and so do the others."""
    from ui.shell import operations
    from ui.shell.changes import EVERYTHING

    window = make_window(qtbot, db, tmp_path)
    coops_tab = window.tab(0)
    assert coops_tab.model.rowCount() == 0
    steps = []
    real_run = operations.run_with_progress

    def recording(parent, title, doing, job, **kwargs):
        def watched():
            for step in job():
                steps.append(step.text)
                yield step
        return real_run(parent, title, doing, watched, **kwargs)

    monkeypatch.setattr(operations, "run_with_progress", recording)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    assert app.first_start(db, window) is True
    window.announce(EVERYTHING)
    assert steps[0] == "Les coopératives et leurs années scolaires…" and steps[-1] == "Terminé."
    assert coops_tab.model.rowCount() > 600
    assert "0 coopératives" not in window.status_text.text()
    for index in range(1, window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        tables = [t for t in tab.findChildren(QTableView) if t.model() is not None]
        assert any(t.model().rowCount() > 0 for t in tables), window.tabs.tabText(index)
