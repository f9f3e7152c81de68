"""Where backups go: always the data folder's backups folder and, if the secretary chose one,
a second folder (a USB key, a synced folder), thinned the same way.

The second folder is a setting of the workstation, not of the database: it is kept in a small
file of the data folder (`sauvegarde_supplementaire.json`), so that it is known before the
database is opened or when it is damaged, and a key's drive letter belongs to one computer.
A second folder that is missing (the key unplugged) does not stop the backup in the data
folder: the outcome says it, for the interface to say loudly.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from occe_bureau.paths import DataPaths
from occe_bureau.safety.backups import BackupError, BackupInfo, take_backup, thin_backups
from occe_bureau.validation import ValidationError

SECOND_FOLDER_FILE = "sauvegarde_supplementaire.json"


@dataclass(frozen=True)
class BackupOutcome:
    """A backup made in the data folder, and what became of the second folder's copy."""

    main: BackupInfo
    second: BackupInfo | None = None
    second_problem: str | None = None  # French, to be shown: the second copy was not made


def second_folder(paths: DataPaths) -> Path | None:
    """The second backup folder chosen on this workstation, or None."""
    try:
        chosen = json.loads((paths.root / SECOND_FOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = chosen.get("dossier") if isinstance(chosen, dict) else None
    return Path(folder) if isinstance(folder, str) and folder else None


def set_second_folder(paths: DataPaths, folder: str | Path | None) -> Path | None:
    """Choose (or, with None or "", forget) the second backup folder; it must exist, be
    writable, and not be the data folder's own backups folder."""
    target = paths.root / SECOND_FOLDER_FILE
    if not folder or not str(folder).strip():
        target.unlink(missing_ok=True)
        return None
    chosen = Path(str(folder).strip()).expanduser()
    problem = None
    if not chosen.is_absolute():
        problem = "indiquez un dossier complet (par exemple E:\\Sauvegardes OCCE)."
    elif not chosen.is_dir():
        problem = f"le dossier « {chosen} » est introuvable (la clé USB est-elle branchée ?)."
    elif chosen.resolve() in (paths.backups.resolve(), paths.root.resolve()):
        problem = ("c'est déjà le dossier des données : choisissez un autre support (une clé "
                   "USB, un dossier synchronisé).")
    elif not os.access(chosen, os.W_OK):
        problem = f"le dossier « {chosen} » est protégé en écriture."
    if problem:
        raise ValidationError({"second_folder": f"Dossier de sauvegarde supplémentaire : {problem}"})
    paths.root.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"dossier": str(chosen)}, ensure_ascii=False), encoding="utf-8")
    return chosen


def missing_text(folder: Path) -> str:
    return (f"Le dossier de sauvegarde supplémentaire « {folder} » est introuvable (clé USB "
            "débranchée, disque réseau absent ?) : la sauvegarde n'a été faite que dans le "
            "dossier des données. Rebranchez le support, puis sauvegardez à nouveau "
            "(Fichier ▸ Sauvegarder la base maintenant).")


def back_up(paths: DataPaths, reason: str, source: Path | None = None) -> BackupOutcome:
    """Back the database up in the data folder (a failure raises BackupError), then copy that
    checked backup to the second folder if one is chosen; each folder thinned."""
    main = take_backup(source or paths.database, paths.backups, reason)
    thin_backups(paths.backups)
    folder = second_folder(paths)
    if folder is None:
        return BackupOutcome(main)
    if not folder.is_dir():
        return BackupOutcome(main, second_problem=missing_text(folder))
    try:
        second = take_backup(main.path, folder, reason)
        thin_backups(folder)
    except (BackupError, OSError) as exc:
        return BackupOutcome(main, second_problem=(
            f"La copie dans le dossier de sauvegarde supplémentaire « {folder} » a échoué : "
            f"{exc}. La sauvegarde du dossier des données est faite."))
    return BackupOutcome(main, second)
