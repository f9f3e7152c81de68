"""Fichier ▸ Restaurer une sauvegarde : the backups by date, what each holds, and the restore
after confirmation (the current state is backed up first, so a restore can be undone)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from occe_bureau import safety
from occe_bureau.formats import format_int

TABLE_NAMES = {"coop": "coopératives", "loan": "prêts", "item": "matériels",
               "donation": "dons", "tax_receipt": "reçus fiscaux", "donor": "donateurs"}


def held_text(held: safety.BackupContents) -> str:
    parts = [f"{format_int(held.counts[t])} {name}" for t, name in TABLE_NAMES.items()
             if t in held.counts]
    last = f" — dernier reçu n° {held.last_receipt}" if held.last_receipt else ""
    return ", ".join(parts) + last


class RestoreDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None,
                 second: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restaurer une sauvegarde")
        self.resize(640, 420)
        # The second folder's copies too (the data folder's disk may be the one that failed).
        self.backups = sorted(safety.list_backups(folder) + (safety.list_backups(second)
                                                             if second else []),
                              key=lambda b: b.taken_at, reverse=True)
        self.list = QListWidget()
        for info in self.backups:
            where = f" (dans {second})" if second and info.path.parent == second else ""
            item = QListWidgetItem(f"{info.taken_at:%d/%m/%Y à %H:%M} — {info.reason}{where}")
            self.list.addItem(item)
        self.details = QLabel("Choisissez une sauvegarde pour voir ce qu'elle contient."
                              if self.backups else "Aucune sauvegarde dans ce dossier.")
        self.details.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Restaurer…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Sauvegardes, de la plus récente à la plus ancienne :"))
        layout.addWidget(self.list)
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    def chosen(self) -> safety.BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _show(self, _row: int) -> None:
        info = self.chosen()
        self.restore_button.setEnabled(info is not None)
        if info is None:
            return
        problem = safety.integrity_problem(info.path)
        if problem:
            self.details.setText("Cette sauvegarde est abîmée : elle ne peut pas être restaurée.")
            self.restore_button.setEnabled(False)
            return
        self.details.setText(f"Contient : {held_text(safety.contents(info.path))}.")
