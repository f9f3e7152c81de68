"""The database's safety at start and at close: one copy of the application per file, the
file checked before anything writes to it (a damaged one set aside and a backup offered),
an automatic backup at start and at close when something changed, thinned, and a failed
backup said loudly."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from occe_bureau import safety
from occe_bureau.formats import counted
from occe_bureau.paths import DataPaths
from ui.shell import dialogs

log = logging.getLogger("occe_bureau")


class ContentCheck:
    """SQLite's quick check of the file and the receipt series, run once the window is on
    screen (so that start-up does not wait for it), or at once when a migration is about to
    write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._result: safety.FileCheck | None = None

    def result(self) -> safety.FileCheck:
        if self._result is None:
            self._result = safety.check_content(self.path)
        return self._result


def backup_summary(info: safety.BackupInfo) -> str:
    held = safety.contents(info.path)
    coops = held.counts.get("coop", 0)
    receipt = f", dernier reçu n° {held.last_receipt}" if held.last_receipt else ""
    return (f"la sauvegarde du {info.taken_at:%d/%m/%Y à %H:%M} "
            f"({counted(coops, 'coopérative', 'coopératives')}{receipt})")


def newest_sound_backup(folder: Path) -> safety.BackupInfo | None:
    for info in safety.list_backups(folder):
        if safety.integrity_problem(info.path) is None:
            return info
    return None


def recover(paths: DataPaths, found: safety.FileCheck, parent=None) -> bool:
    """A database that cannot be used: it is set aside (kept, never written to) and the newest
    sound backup is offered. True when the application can go on (a backup restored, or a new
    empty database chosen), False to quit."""
    database = paths.database
    kept = safety.set_aside(database)
    log.error("Base inutilisable (%s), mise de côté : %s", found.message, kept)
    backup = newest_sound_backup(paths.backups)
    text = (f"{found.message}\n\nPour ne rien abîmer, elle n'a pas été ouverte : elle est gardée "
            f"telle quelle dans\n{kept}\n\n")
    if backup is not None:
        if dialogs.ask_confirm(parent, "Base de données endommagée",
                               text + f"Voulez-vous reprendre {backup_summary(backup)} ?",
                               yes="Restaurer cette sauvegarde", no="Quitter"):
            safety.restore_backup(database, backup.path, paths.backups)
            log.info("Sauvegarde restaurée après incident : %s", backup.path)
            return True
        return False
    return dialogs.ask_confirm(
        parent, "Base de données endommagée",
        text + "Aucune sauvegarde saine n'a été trouvée. Vous pouvez commencer avec une base "
               "vide (le fichier endommagé reste disponible pour un dépannage) ou quitter.",
        yes="Commencer avec une base vide", no="Quitter")


def _backup_if_changed(paths: DataPaths, reason: str) -> safety.BackupOutcome | None:
    database = paths.database
    if not database.exists() or not safety.changed_since_last_backup(database, paths.backups):
        return None
    outcome = safety.back_up(paths, reason)
    log.info("Sauvegarde automatique (%s) : %s", reason, outcome.main.path)
    return outcome


def _say_failure(parent, exc: Exception) -> None:
    log.error("Sauvegarde automatique impossible : %s", exc)
    dialogs.show_warning(parent, "Sauvegarde impossible", f"{exc}\n\nVos données ne sont pas "
                         "sauvegardées : prévenez la personne qui s'occupe du poste.")


def say_second_problem(parent, outcome: safety.BackupOutcome | None) -> None:
    """The second folder missing (a key unplugged) or failing: said in a box, not only logged."""
    if outcome is not None and outcome.second_problem:
        log.warning("Sauvegarde supplémentaire non faite : %s", outcome.second_problem)
        dialogs.show_warning(parent, "Sauvegarde supplémentaire non faite", outcome.second_problem)


def automatic_backup(paths: DataPaths, reason: str, parent=None) -> safety.BackupInfo | None:
    """A backup when the database changed since the last one, then the thinning; a failure
    is said in a box, not only in the log."""
    try:
        outcome = _backup_if_changed(paths, reason)
    except (safety.BackupError, OSError) as exc:
        _say_failure(parent, exc)
        return None
    say_second_problem(parent, outcome)
    return outcome.main if outcome else None


def paths_of(widget) -> DataPaths | None:
    """The data folder of the main window a widget is in (None outside one)."""
    window = widget.window() if widget is not None else None
    return getattr(window, "paths", None)


def backup_before(widget, db, reason: str) -> bool:
    """A backup before a batch of legal documents (receipts): in the data folder and the
    second folder. A failure is said and the secretary chooses to go on or not; True to go
    on. A server (PostgreSQL) has its own backups: nothing to do here."""
    paths = paths_of(widget)
    if db.sqlite_file is None or paths is None:
        return True
    try:
        outcome = safety.back_up(paths, reason, source=Path(db.sqlite_file))
    except (safety.BackupError, OSError) as exc:
        log.error("Sauvegarde avant %s impossible : %s", reason, exc)
        return dialogs.ask_confirm(widget, "Sauvegarde impossible",
                                   f"{exc}\n\nLa base n'a pas pu être sauvegardée avant "
                                   "l'opération. Continuer quand même ?",
                                   yes="Continuer sans sauvegarde", no="Annuler")
    log.info("Sauvegarde (%s) : %s", reason, outcome.main.path)
    say_second_problem(widget, outcome)
    return True


def backup_in_background(paths: DataPaths, reason: str, parent) -> threading.Thread:
    """The same, in a thread (the window stays usable); a failure is said once it is known."""
    from PySide6.QtCore import QTimer

    failures: list[Exception] = []
    outcomes: list[safety.BackupOutcome | None] = []

    def work() -> None:
        try:
            outcomes.append(_backup_if_changed(paths, reason))
        except (safety.BackupError, OSError) as exc:
            failures.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    timer = QTimer(parent)

    def look() -> None:
        if not thread.is_alive():
            timer.stop()
            if failures:
                _say_failure(parent, failures[0])
            elif outcomes:
                say_second_problem(parent, outcomes[0])

    timer.timeout.connect(look)
    timer.start(200)
    return thread
