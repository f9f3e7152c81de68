"""Start-up: options, data folder, logging, database (migrated, with backup), main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

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


def open_database(paths: DataPaths, url: str | None, content=None) -> Database:
    """The database, migrated to this version (a dated backup is taken before a migration,
    and a migration waits for the file's content check)."""
    from occe_bureau.migrate import SCHEMA_HEAD, SchemaError, current_revision, prepare_database

    db = Database(url or paths.sqlite_url)
    if content is not None and current_revision(db) not in (None, SCHEMA_HEAD):
        found = content.result()
        if not found.usable:
            raise SchemaError(found.message + " Elle n'a pas été mise à jour.")
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

    database = Database(args.db or paths.sqlite_url).sqlite_file
    database = Path(database) if database else None  # None: a server (PostgreSQL)
    lock = None
    if database is not None and not args.screenshots:
        from occe_bureau import safety

        lock = safety.DatabaseLock(database)
        try:
            lock.acquire()
        except safety.AlreadyOpen as exc:
            log.warning("Deuxième exemplaire refusé : %s", exc)
            QMessageBox.critical(None, APP_NAME, str(exc))
            return 2
    try:
        return run(app, args, paths, database)
    finally:
        if lock is not None:
            lock.release()


def run(app, args, paths: DataPaths, database: Path | None) -> int:
    """Check, open and show the database; at the end, back it up if something changed."""
    from ui.shell import safekeeping

    # The file-level safety (check, set aside, automatic backups) is for the office's own
    # database file in its data folder; a server has its own.
    checking = database is not None and database == paths.database and not args.screenshots
    if checking:
        from occe_bureau import safety

        found = safety.check_header(database)
        if not found.usable and not safekeeping.recover(paths, found):
            return 2
    content = safekeeping.ContentCheck(database) if checking and database.exists() else None
    db = open_checked(paths, args.db, content)
    if db is None:
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
    if content is not None:
        app.processEvents()  # the window painted first; then the file is checked
        found = content.result()
        if not found.usable:  # damaged: nothing has been written; set it aside, start again
            window.close()
            db.dispose()
            if not safekeeping.recover(paths, found, None):
                return 2
            return run(app, args, paths, database)
        safekeeping.backup_in_background(paths, "demarrage", window)
    if not args.demo and first_start(db, window):
        from ui.shell.changes import EVERYTHING

        window.announce(EVERYTHING)
    offer_purge(db, window)
    stop_on_sigterm(app)
    log.info("%s %s démarré, données : %s", APP_NAME, __version__, db.describe())
    code = app.exec()
    db.dispose()
    if checking:
        safekeeping.automatic_backup(paths, "fermeture")
    return code


def offer_purge(db: Database, window) -> None:
    """Once a year, the purge of personal data past its keeping time (see privacy_dialog)."""
    from ui.shell import dialogs
    from ui.shell.changes import EVERYTHING
    from ui.shell.privacy_dialog import offer_yearly_purge

    with dialogs.guarded(window, "la purge annuelle des données personnelles"):
        if offer_yearly_purge(db, window):
            window.announce(EVERYTHING)


def open_checked(paths: DataPaths, url: str | None, content) -> Database | None:
    """The database migrated to this version; a migration waits for the content check (a
    damaged file is never migrated)."""
    from occe_bureau.migrate import SchemaError

    try:
        return open_database(paths, url, content)
    except SchemaError as exc:
        log.error("Base refusée : %s", exc)
        QMessageBox.critical(None, APP_NAME, str(exc))
    except Exception as exc:  # noqa: BLE001 (unreadable file, server down…)
        log.exception("Impossible d'ouvrir la base")
        QMessageBox.critical(None, APP_NAME, "La base de données n'a pas pu être ouverte.\n\n"
                             f"{exc}\n\nDétails dans le journal : {paths.log_file}")
    return None


def stop_on_sigterm(app) -> None:
    """A close by the system (logout, shutdown: SIGTERM) is a normal close, with its backup.
    (A timer gives Python a moment now and then to run its signal handler.)"""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(500)


if __name__ == "__main__":
    sys.exit(main())
