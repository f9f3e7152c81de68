"""Every modal question the application asks goes through a small ask_… function here,
so that tests replace them (monkeypatch) instead of clicking in a modal loop."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

log = logging.getLogger("occe_bureau.ui")

# Where the log is written, set at start-up, so that error dialogs can say it.
LOG_FILE: Path | None = None


def ask_confirm(parent: QWidget | None, title: str, text: str, *, yes: str = "Oui",
                no: str = "Annuler") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def show_warning(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


OPEN_FILE, OPEN_FOLDER = "file", "folder"


def ask_open_exported(parent: QWidget | None, title: str, text: str) -> str:
    """After a file is written: OPEN_FILE, OPEN_FOLDER, or "" (Fermer)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    open_file = box.addButton("Ouvrir le fichier", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("Ouvrir le dossier", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(box.addButton("Fermer", QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return {open_file: OPEN_FILE, open_folder: OPEN_FOLDER}.get(box.clickedButton(), "")


def open_path(path: str | Path) -> bool:
    """Open a file or a folder with the program the system chooses (Excel, the explorer…)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_exported(parent: QWidget | None, title: str, text: str, path: str | Path) -> None:
    """Say that a file was written and offer to open it, or the folder it is in."""
    choice = ask_open_exported(parent, title, text)
    target = Path(path) if choice == OPEN_FILE else Path(path).parent if choice else None
    if target is not None and not open_path(target):
        show_warning(parent, title, f"Le système n'a pas pu ouvrir :\n{target}")


def ask_open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), filters)
    return path or None


def ask_save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filters)
    return path or None


def ask_save_workbook(parent: QWidget | None, title: str, suggested: str) -> str | None:
    """Where to save an Excel workbook (".xlsx" added when the name has none), or None."""
    path = ask_save_file(parent, title, suggested, "Classeurs Excel (*.xlsx)")
    if path and not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    return path


def ask_directory(parent: QWidget | None, title: str) -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
    return path or None


def ask_line(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    return value if ok else None


def show_unexpected_error(parent: QWidget | None, doing: str, exc: BaseException) -> None:
    """The French dialog for an error nobody foresaw: what was being done, where the log is."""
    where = str(LOG_FILE) if LOG_FILE else "le dossier des journaux"
    text = (
        f"Une erreur inattendue s'est produite pendant : {doing}.\n\n"
        "Ce qui était déjà enregistré n'est pas perdu ; l'opération en cours a été annulée.\n\n"
        f"Le détail technique est dans le journal :\n{where}\n\n"
        f"({type(exc).__name__} : {exc})"
    )
    box = QMessageBox(QMessageBox.Icon.Critical, "Erreur inattendue", text, parent=parent)
    box.exec()


def report_unexpected_error(parent: QWidget | None, doing: str, exc: BaseException) -> None:
    log.error("Erreur pendant « %s » :\n%s", doing,
              "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    show_unexpected_error(parent, doing, exc)


def file_error_text(exc: OSError) -> str:
    """What to tell the user when a file cannot be written or read."""
    where = f"\n\n{exc.filename}" if getattr(exc, "filename", None) else ""
    if isinstance(exc, PermissionError):
        return ("Le fichier est ouvert dans un autre programme (Excel, un lecteur PDF…) ou "
                "le dossier est protégé : fermez-le ou choisissez un autre dossier, puis "
                "recommencez." + where)
    if isinstance(exc, FileNotFoundError):
        return "Le fichier ou le dossier n'existe plus." + where
    return f"Le fichier n'a pas pu être écrit ou lu ({exc.strerror or exc})." + where


@contextmanager
def guarded(parent: QWidget | None, doing: str) -> Iterator[None]:
    """Run a user action; nothing that goes wrong in it ends in a crash.

    A refusal by the rules (ValidationError) that the form did not show at a field is
    shown in a warning; a file that cannot be written (open in Excel…) gets a plain French
    explanation; anything else is logged and explained as an unexpected error.
    """
    from occe_bureau.validation import ValidationError

    try:
        yield
    except ValidationError as exc:
        show_warning(parent, "Action impossible", "\n".join(exc.errors.values()))
    except OSError as exc:
        log.warning("Fichier inaccessible pendant « %s » : %s", doing, exc)
        show_warning(parent, "Fichier inaccessible", file_error_text(exc))
    except Exception as exc:  # noqa: BLE001 (the last line of defence of an action)
        report_unexpected_error(parent, doing, exc)


def guard(parent: QWidget | None, doing: str, action: Callable[[], object]) -> Callable[[], None]:
    """A slot that runs `action` under `guarded` (for connecting buttons and menus)."""

    def slot(*_args) -> None:
        with guarded(parent, doing):
            action()

    return slot


# Kept under a second name so that tests can check the real text while the public name is
# replaced by a stub that fails on any unexpected dialog.
_real_show_unexpected_error = show_unexpected_error
