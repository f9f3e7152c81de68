"""Fichier ▸ Sauvegardes… : where the backups go. Always the data folder; and, if chosen, a
second folder (a USB key, a synced folder) that receives a copy of each backup, thinned the
same way. The choice belongs to this workstation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from occe_bureau import safety
from occe_bureau.formats import counted
from occe_bureau.paths import DataPaths
from occe_bureau.validation import ValidationError
from ui.shell import dialogs


class BackupPlacesDialog(QDialog):
    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.setWindowTitle("Sauvegardes")
        self.resize(640, 260)
        held = len(safety.list_backups(paths.backups))
        main = QLabel(f"{paths.backups}\n("
                      + (counted(held, "sauvegarde", "sauvegardes") if held else "aucune sauvegarde")
                      + ")")
        main.setWordWrap(True)
        self.second = QLineEdit(str(safety.second_folder(paths) or ""))
        self.second.setObjectName("second_folder")
        self.second.setPlaceholderText("Aucun")
        self.choose_button = QPushButton("Choisir…")
        self.none_button = QPushButton("Aucun")
        self.choose_button.clicked.connect(self._choose)
        self.none_button.clicked.connect(self.second.clear)
        row = QHBoxLayout()
        row.addWidget(self.second, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.none_button)
        self.error = QLabel()
        self.error.setObjectName("second_folder_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        explain = QLabel("Les sauvegardes automatiques (au démarrage, à la fermeture, avant un lot "
                         "de reçus) et celles faites à la demande sont faites dans le dossier des "
                         "données, puis copiées dans le dossier supplémentaire s'il est choisi. Les deux gardent une sauvegarde par jour pendant deux semaines, "
                         "par semaine pendant deux mois, par mois pendant deux ans. Si le dossier "
                         "supplémentaire est absent (clé débranchée), vous en êtes averti et la "
                         "sauvegarde du dossier des données est faite quand même.")
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Dossier des données", main)
        form.addRow("Dossier supplémentaire", row)
        form.addRow("", self.error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Enregistrer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        folder = dialogs.ask_directory(self, "Dossier de sauvegarde supplémentaire")
        if folder:
            self.second.setText(folder)

    def save(self) -> None:
        try:
            safety.set_second_folder(self.paths, self.second.text())
        except ValidationError as err:
            self.error.setText(err.errors["second_folder"])
            self.error.show()
            self.second.setFocus()
            return
        self.accept()
