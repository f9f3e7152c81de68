"""Import coops from a spreadsheet: map the columns, check every row, then import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
    QVBoxLayout, QWidget,
)

from occe_bureau.db import Database
from occe_bureau.formats import counted, format_int, school_year_label
from occe_bureau import coops as svc
from occe_bureau.validation import ValidationError
from occe_bureau.tabular import OutColumn, TableError, read_table, write_table
from ui.shell import dialogs
from ui.shell.table_model import RIGHT, Column, RowStyle, RowTableModel, make_table

PREVIEW_COLUMNS = [
    Column("Ligne", lambda r: str(r.line), sort_key=lambda r: r.line, align=RIGHT, width=50),
    Column("Action", lambda r: r.action.label, width=110),
    Column("Numéro", lambda r: r.data.number, width=80),
    Column("Nom", lambda r: r.data.name, width=180),
    Column("Commune", lambda r: r.data.commune, width=100),
    Column("Message", lambda r: r.message, width=260),
]
ERROR_ROW = RowStyle(foreground="#b00020", background="#fdecee")


class CoopImportDialog(QDialog):
    def __init__(self, db: Database, path: str, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path = Path(path)
        self.plan: svc.ImportPlan | None = None
        self.summary = ""
        self.load_failed = False
        self.setWindowTitle(f"Importer des coopératives – {self.path.name}")
        try:
            self.table = read_table(self.path)
        except TableError as err:
            self.load_failed = True
            dialogs.show_warning(parent, "Import impossible", str(err))
            return

        mapping = svc.guess_mapping(self.table.headers)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for f in svc.IMPORT_FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"map_{f.key}")
            combo.addItem("— aucune colonne —", None)
            for index, header in enumerate(self.table.headers):
                combo.addItem(header or f"(colonne {index + 1} sans titre)", index)
            if mapping[f.key] is not None:
                combo.setCurrentIndex(combo.findData(mapping[f.key]))
            combo.currentIndexChanged.connect(self._invalidate)
            self.combos[f.key] = combo
            form.addRow(f.label + (" *" if f.required else ""), combo)
        self.year_combo = QComboBox()
        for y in range(year + 1, year - 4, -1):
            self.year_combo.addItem(school_year_label(y), y)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        self.year_combo.currentIndexChanged.connect(self._invalidate)
        form.addRow("Année des classes, élèves, adultes", self.year_combo)
        mapping_box = QGroupBox(f"Colonnes du fichier ({counted(len(self.table.rows), 'ligne lue', 'lignes lues')})")
        mapping_box.setLayout(form)

        self.mapping_error = QLabel()
        self.mapping_error.setObjectName("mapping_error")
        self.mapping_error.setStyleSheet("color: #b00020;")
        self.mapping_error.setWordWrap(True)
        self.mapping_error.hide()

        self.check_button = QPushButton("Vérifier les lignes")
        self.check_button.clicked.connect(dialogs.guard(self, "la vérification du fichier", self.check))
        self.only_errors = QCheckBox("Seulement les erreurs")
        self.only_errors.toggled.connect(self._show_plan)
        self.report_button = QPushButton("Enregistrer le rapport d'erreurs…")
        self.report_button.clicked.connect(dialogs.guard(self, "l'enregistrement du rapport", self.save_report))
        self.report_button.setEnabled(False)
        self.plan_label = QLabel("Associez les colonnes, puis cliquez sur « Vérifier les lignes ». "
                                 "Rien n'est enregistré avant « Importer ».")
        self.plan_label.setObjectName("plan_label")
        self.plan_label.setWordWrap(True)

        self.model = RowTableModel(PREVIEW_COLUMNS, self,
                                   style=lambda r: ERROR_ROW if r.action == svc.RowAction.ERROR else None)
        self.preview = make_table(self.model, "import_preview")
        # In the file's order, under an arrow that says so (Qt's default is descending).
        self.preview.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.preview.selectionModel().currentRowChanged.connect(self._show_message)
        # The selected row's message in full, however narrow the window.
        self.row_message = QLabel()
        self.row_message.setObjectName("row_message")
        self.row_message.setWordWrap(True)
        self.row_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.import_button = QPushButton("Importer")
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(dialogs.guard(self, "l'import des coopératives", self.do_import))
        cancel = QPushButton("Annuler")
        cancel.clicked.connect(self.reject)

        checks = QHBoxLayout()
        checks.addWidget(self.check_button)
        checks.addWidget(self.only_errors)
        checks.addStretch(1)
        checks.addWidget(self.report_button)
        right = QVBoxLayout()
        right.addLayout(checks)
        right.addWidget(self.plan_label)
        right.addWidget(self.preview, 1)
        right.addWidget(self.row_message)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(mapping_box)
        left.addWidget(self.mapping_error)
        left.addStretch(1)
        top.addLayout(left, 2)
        top.addLayout(right, 3)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(bottom)
        self.resize(1200, 720)

    def _show_message(self, current, _previous=None) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.row_message.setText(f"Ligne {row.line} : {row.message}" if row and row.message else "")

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def _invalidate(self, *_args) -> None:
        self.plan = None
        self.import_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.model.set_rows([])
        self.row_message.clear()
        self.plan_label.setText("Les colonnes ont changé : vérifiez de nouveau les lignes.")

    def check(self) -> None:
        self.mapping_error.hide()
        try:
            self.plan = svc.plan_import(self.db, self.table, self.mapping(), self.year_combo.currentData())
        except ValidationError as err:
            self.plan = None
            self.mapping_error.setText("\n".join(err.errors.values()))
            self.mapping_error.show()
            self.import_button.setEnabled(False)
            return
        creates, updates, errors = (self.plan.count(a) for a in svc.RowAction)
        text = (f"{format_int(creates)} à créer, {format_int(updates)} à mettre à jour, "
                f"<b>{format_int(errors)} en erreur</b>.")
        if errors:
            text += " Les lignes en erreur ne seront pas importées : corrigez le fichier ou importez les autres."
        self.plan_label.setText(text)
        self.import_button.setEnabled(bool(creates or updates))
        self.report_button.setEnabled(bool(errors))
        self._show_plan()

    def _show_plan(self, *_args) -> None:
        if self.plan is None:
            return
        rows = self.plan.rows
        if self.only_errors.isChecked():
            rows = [r for r in rows if r.action == svc.RowAction.ERROR]
        self.model.set_rows(rows)
        self.row_message.clear()

    def save_report(self) -> None:
        if self.plan is None:
            return
        path = dialogs.ask_save_file(self, "Rapport d'erreurs", f"erreurs_{self.path.stem}.csv",
                                     "Texte CSV (*.csv)")
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        columns = [OutColumn("Ligne", "int"), OutColumn("Numéro"), OutColumn("Nom"), OutColumn("Erreur", width=80)]
        write_table(path, columns, ([r.line, r.data.number, r.data.name, r.message]
                                    for r in self.plan.rows if r.action == svc.RowAction.ERROR))

    def do_import(self) -> None:
        if self.plan is None:
            return
        valid = len(self.plan.valid_rows)
        errors = self.plan.count(svc.RowAction.ERROR)
        question = f"Importer {counted(valid, 'coopérative', 'coopératives')} ?"
        if errors:
            question += "\n\n" + counted(errors, "ligne en erreur ne sera pas importée.",
                                        "lignes en erreur ne seront pas importées.")
        if not dialogs.ask_confirm(self, "Confirmer l'import", question, yes="Importer"):
            return
        try:
            result = svc.apply_import(self.db, self.plan)
        except ValidationError as err:
            dialogs.show_warning(self, "Import annulé", "\n".join(err.errors.values()))
            self._invalidate()
            return
        self.summary = result.summary
        self.accept()
