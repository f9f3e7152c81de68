"""Start-up: options, data folder, logging, database (migrated, with backup), main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

_T0 = time.perf_counter()

# The core (SQLAlchemy, SQLModel, the models) is imported before Qt on purpose: once
# shiboken is loaded its import hook makes every later import slower (about 100 ms here).
from occe_bureau import APP_NAME, __version__  # noqa: E402
from occe_bureau.db import Database  # noqa: E402
from occe_bureau.logs import setup_logging  # noqa: E402
from occe_bureau.paths import DataPaths, ressources_dir, resolve_data_paths  # noqa: E402
import occe_bureau.coops  # noqa: E402,F401,I001

from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

log = logging.getLogger("occe_bureau")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="occe-bureau", description="OCCE Bureau : le bureau de l'association départementale.")
    parser.add_argument("--data-dir", help="dossier des données, sauvegardes et journaux "
                        "(sinon OCCE_BUREAU_DATA, sinon le dossier de données de l'utilisateur)")
    parser.add_argument("--db", help="URL SQLAlchemy d'une autre base (ex. postgresql://…)")
    parser.add_argument("--demo", action="store_true",
                        help="remplir une base vide avec le département de démonstration")
    parser.add_argument("--screenshots", metavar="DOSSIER",
                        help="enregistrer une image PNG de chaque onglet dans DOSSIER, puis quitter")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_args(argv)


def open_database(paths: DataPaths, url: str | None) -> Database:
    """The database, migrated to this version (a dated backup is taken before a migration)."""
    from occe_bureau.migrate import prepare_database

    db = Database(url or paths.sqlite_url)
    report = prepare_database(db, paths.backups)
    if report.backup:
        log.info("Base sauvegardée avant mise à jour : %s", report.backup)
    return db


def install_excepthook() -> None:
    from ui.shell import dialogs

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        dialogs.report_unexpected_error(QApplication.activeWindow(), "une action", value)

    sys.excepthook = hook


def first_start(db: Database, parent, offer_demo: bool = True) -> bool:
    """On an empty database: ask for the association's details and offer the demo data.
    True when the demo was built (every tab then has new data to show)."""
    from occe_bureau.demo import database_is_empty
    from occe_bureau.association import is_configured
    from ui.shell import dialogs
    from ui.shell.settings_dialog import SettingsDialog

    if is_configured(db):
        return False
    if offer_demo and database_is_empty(db) and dialogs.ask_confirm(
        parent, "Bienvenue dans OCCE Bureau",
        "La base de données est vide.\n\nVoulez-vous la remplir avec le département de "
        "démonstration (625 coopératives fictives) pour découvrir le logiciel ?\n\n"
        "Choisissez « Non, base vide » pour commencer avec vos propres données.",
        yes="Oui, données de démonstration", no="Non, base vide",
    ):
        build_demo_with_progress(db, parent)
        return True
    dialogs.show_info(parent, "Bienvenue dans OCCE Bureau",
                      "Commencez par les paramètres de l'association : ils figurent en tête "
                      "de chaque document imprimé (bons de prêt, reçus fiscaux…).")
    SettingsDialog(db, parent).exec()
    return False


def build_demo_with_progress(db: Database, parent) -> None:
    """The demo built off the interface thread, the window showing what is being made."""
    from occe_bureau.demo import demo_steps
    from ui.shell.operations import Progress, run_with_progress

    def job():
        for done, total, text in demo_steps(db):
            yield Progress(done, total, text)

    run_with_progress(parent, "Département de démonstration",
                      "Construction du département de démonstration…", job, cancellable=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = resolve_data_paths(args.data_dir).ensure()
    setup_logging(paths)
    from ui.shell import dialogs

    dialogs.LOG_FILE = paths.log_file
    if args.screenshots:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("OCCE")
    from ui.shell.french import install_french

    if not install_french(app):
        log.warning("Traductions françaises de Qt introuvables : boutons standard en anglais.")
    icon = ressources_dir() / "icons" / "occe_bureau.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_excepthook()

    from occe_bureau.migrate import SchemaError

    try:
        db = open_database(paths, args.db)
    except SchemaError as exc:
        log.error("Base refusée : %s", exc)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001 (unreadable file, server down…)
        log.exception("Impossible d'ouvrir la base")
        QMessageBox.critical(None, APP_NAME, "La base de données n'a pas pu être ouverte.\n\n"
                             f"{exc}\n\nDétails dans le journal : {paths.log_file}")
        return 2

    if args.demo or args.screenshots:
        from occe_bureau.demo import build_demo, database_is_empty

        if database_is_empty(db):
            build_demo(db)

    from ui.shell.main_window import MainWindow

    window = MainWindow(db, paths)
    if args.screenshots:
        from ui.shell.screenshots import save_screenshots

        for path in save_screenshots(window, args.screenshots):
            print(path)
        return 0
    window.show()
    if os.environ.get("OCCE_BUREAU_EXIT_AFTER_SHOW"):  # start-up benchmark (bench/bench_coops.py)
        app.processEvents()
        print(f"shown {time.perf_counter() - _T0:.4f}", flush=True)
        app.processEvents()
        print(f"ready {time.perf_counter() - _T0:.4f}", flush=True)
        os._exit(0)
    if not args.demo and first_start(db, window):
        from ui.shell.changes import EVERYTHING

        window.announce(EVERYTHING)
    log.info("%s %s démarré, données : %s", APP_NAME, __version__, db.describe())
    code = app.exec()
    db.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
