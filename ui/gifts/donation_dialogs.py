"""Dialogs of the Dons et reçus tab: a coop's request (several gifts at once) and the import
of a request from a spreadsheet. (The batch issue: ui.gifts.receipt_batch_dialog; a donor:
ui.gifts.donor_dialog.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from occe_bureau.db import Database
from occe_bureau.formats import format_date, format_int, format_money
from occe_bureau.coops import register as coop_svc
from occe_bureau.gifts import request_import as import_svc
from occe_bureau.gifts import donations as svc
from occe_bureau.gifts import donors as donor_svc
from occe_bureau.validation import ValidationError
from ui.shell import dialogs
from ui.shell.forms import DateEdit
from ui.shell.table_model import Column, RowStyle, RowTableModel
from occe_bureau import clock

# (field, title, width) of the request grid
REQUEST_COLUMNS = [
    ("last_name", "Nom", 120), ("first_names", "Prénoms", 110),
    ("company_name", "ou Entreprise", 130), ("siren", "SIREN", 90),
    ("address", "Adresse", 180), ("postal_code", "Code postal", 80), ("city", "Commune", 110),
    ("email", "E-mail", 150), ("amount", "Montant (€)", 85), ("received_on", "Date du don", 85),
    ("method", "Mode", 80), ("cheque_number", "N° chèque", 85), ("project", "Projet", 120),
]
COLUMN_INDEX = {name: i for i, (name, _t, _w) in enumerate(REQUEST_COLUMNS)}
METHOD_CHOICES = [("cheque", "Chèque"), ("especes", "Espèces"), ("virement", "Virement / carte")]
ERROR_BRUSH = QBrush(QColor("#fdecee"))


def coop_combo(db: Database, *, all_label: str | None = None, placeholder: str | None = None,
               include_archived: bool = False) -> QComboBox:
    """Coops to choose from; archived ones (marked) only where their past gifts and receipts
    are looked at, not where a new gift is entered."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    combo.completer().setCompletionMode(combo.completer().CompletionMode.PopupCompletion)
    if all_label or placeholder:
        combo.addItem(all_label or placeholder, None)
    for cid, label in coop_svc.coop_choices(db, include_archived=include_archived):
        combo.addItem(label, cid)
    return combo


def resolve_warnings(parent, call):
    """Run `call(confirmed, new_donor_ok, chosen)` answering the service's questions:
    a gift that looks like a payment (confirm), a donor close to a known one (choose).
    `chosen` maps a row to (the known donor's id, whether to take the typed details: True
    for the same person who moved)."""
    confirmed = False
    new_rows: set[int] = set()
    chosen: dict[int | None, int] = {}
    for _ in range(200):
        try:
            return call(confirmed, new_rows, chosen)
        except svc.ConfirmationNeeded as warn:
            if not dialogs.ask_confirm(parent, "Est-ce bien un don ?", "\n\n".join(warn.warnings) +
                                       "\n\nEnregistrer quand même comme don ?",
                                       yes="C'est un don", no="Corriger"):
                return None
            confirmed = True
        except donor_svc.SimilarDonors as similar:
            best = similar.candidates[0]
            where = f"ligne {similar.row} : " if similar.row else ""
            if similar.moved:
                if dialogs.ask_confirm(
                        parent, "Quel donateur ?",
                        f"{where.capitalize()}un donateur du même nom existe déjà avec ce code "
                        f"postal, à une autre adresse : « {best.display_name} », "
                        f"{best.address.replace(chr(10), ', ')}, {best.town}.\n\n"
                        "Est-ce la même personne, qui a déménagé (son adresse sera mise à jour), "
                        "ou une autre personne (un nouveau donateur sera créé) ?",
                        yes="Même personne, nouvelle adresse", no="Une autre personne"):
                    chosen[similar.row] = (best.id, True)
                else:
                    new_rows.add(similar.row if similar.row is not None else 0)
                continue
            if dialogs.ask_confirm(
                    parent, "Donateur déjà connu ?",
                    f"{where.capitalize()}un donateur proche existe déjà : « {best.display_name} », "
                    f"{best.address.replace(chr(10), ', ')}, {best.town}.\n\n"
                    "Est-ce la même personne ?",
                    yes="Oui, même donateur", no="Non, nouveau donateur"):
                chosen[similar.row] = (best.id, False)
            else:
                new_rows.add(similar.row if similar.row is not None else 0)
    return None


class RequestDialog(QDialog):
    """A coop's request: one line per gift, saved all together or not at all."""

    def __init__(self, db: Database, coop_id: int | None = None, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or clock.today()
        self.saved_ids: list[int] = []
        self.setWindowTitle("Demande de reçus d'une coopérative")
        self.coop = coop_combo(db, placeholder="— choisir la coopérative —")
        self.coop.setObjectName("request_coop")
        if coop_id:
            self.coop.setCurrentIndex(max(0, self.coop.findData(coop_id)))
        self.source = QComboBox()
        for key, label in svc.SOURCE_LABELS.items():
            self.source.addItem(label, key)
        self.form = QComboBox()
        for key, label in svc.FORM_LABELS.items():
            self.form.addItem(label, key)
        self.default_date = DateEdit(self.today)

        head = QFormLayout()
        head.addRow("Coopérative *", self.coop)
        head.addRow("Origine", self.source)
        head.addRow("Forme du don", self.form)
        head.addRow("Date proposée pour les nouvelles lignes", self.default_date)

        self.grid = QTableWidget(0, len(REQUEST_COLUMNS))
        self.grid.setObjectName("request_grid")
        self.grid.setHorizontalHeaderLabels([t for _n, t, _w in REQUEST_COLUMNS])
        for i, (_n, _t, width) in enumerate(REQUEST_COLUMNS):
            self.grid.setColumnWidth(i, width)
        self.grid.verticalHeader().setVisible(True)
        add = QPushButton("Ajouter une ligne")
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("Retirer la ligne")
        remove.clicked.connect(self.remove_row)
        self.total_label = QLabel()
        self.grid.itemChanged.connect(lambda _i: self._update_total())

        self.error_label = QLabel()
        self.error_label.setObjectName("request_errors")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Enregistrer les dons", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(dialogs.guard(self, "l'enregistrement de la demande", self.save))
        buttons.rejected.connect(self.reject)

        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(QLabel("Un don par ligne. Nom, prénoms (ou entreprise et SIREN), adresse "
                                "complète et montant sont obligatoires sur un reçu fiscal."))
        layout.addWidget(self.grid, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        for _ in range(3):
            self.add_row()
        self.resize(1400, 560)

    def add_row(self) -> int:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        for i in range(len(REQUEST_COLUMNS)):
            self.grid.setItem(row, i, QTableWidgetItem(""))
        self.grid.item(row, COLUMN_INDEX["received_on"]).setText(format_date(self.default_date.value()))
        method = QComboBox()
        for key, label in METHOD_CHOICES:
            method.addItem(label, key)
        self.grid.setCellWidget(row, COLUMN_INDEX["method"], method)
        return row

    def remove_row(self) -> None:
        row = self.grid.currentRow()
        if row >= 0:
            self.grid.removeRow(row)
            self._update_total()

    def set_cell(self, row: int, name: str, value: str) -> None:
        if name == "method":
            combo = self.grid.cellWidget(row, COLUMN_INDEX["method"])
            combo.setCurrentIndex(max(0, combo.findData(value)))
        else:
            self.grid.item(row, COLUMN_INDEX[name]).setText(value)

    def _cell(self, row: int, name: str) -> str:
        item = self.grid.item(row, COLUMN_INDEX[name])
        return item.text() if item is not None else ""

    def _filled_rows(self) -> list[int]:
        return [r for r in range(self.grid.rowCount())
                if any(self._cell(r, n).strip() for n in COLUMN_INDEX
                       if n not in ("method", "received_on"))]

    def _update_total(self) -> None:
        total = 0
        for r in range(self.grid.rowCount()):
            try:
                total += svc.parse_money(self._cell(r, "amount")) if self._cell(r, "amount").strip() else 0
            except ValueError:
                pass
        self.total_label.setText(f"Total : {format_money(total)}")

    def lines(self) -> tuple[list[int], list[svc.DonationData]]:
        rows = self._filled_rows()
        lines = []
        for r in rows:
            company = self._cell(r, "company_name").strip()
            donor = donor_svc.DonorData(
                kind=donor_svc.COMPANY if company else donor_svc.PERSON,
                **{n: self._cell(r, n) for n in ("last_name", "first_names", "company_name", "siren",
                                                 "address", "postal_code", "city", "email")})
            lines.append(svc.DonationData(
                amount=self._cell(r, "amount"), received_on=self._cell(r, "received_on"),
                method=self.grid.cellWidget(r, COLUMN_INDEX["method"]).currentData(),
                cheque_number=self._cell(r, "cheque_number"), project=self._cell(r, "project"),
                source=self.source.currentData(), form=self.form.currentData(), donor=donor))
        return rows, lines

    def _show_errors(self, rows: list[int], errors: dict[str, str]) -> None:
        for r in range(self.grid.rowCount()):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is not None:
                    item.setBackground(QBrush())
                    item.setToolTip("")
        messages = []
        for key, message in errors.items():
            if "." in key:
                number, field = key.split(".", 1)
                grid_row = rows[int(number) - 1]
                messages.append(f"Ligne {grid_row + 1} : {message}")
                column = COLUMN_INDEX.get(field, COLUMN_INDEX.get({"coop": "last_name"}.get(field, ""), None))
                if column is not None and self.grid.item(grid_row, column) is not None:
                    self.grid.item(grid_row, column).setBackground(ERROR_BRUSH)
                    self.grid.item(grid_row, column).setToolTip(message)
            else:
                messages.append(message)
        self.error_label.setText("\n".join(messages))
        self.error_label.setVisible(bool(messages))

    def save(self) -> None:
        coop_id = self.coop.currentData()
        if not coop_id or self.coop.currentText() != self.coop.itemText(self.coop.currentIndex()):
            self._show_errors([], {"coop": "Choisissez la coopérative qui a envoyé la demande."})
            return
        rows, lines = self.lines()

        def call(confirmed, new_rows, chosen):
            final = [replace(line, donor_id=chosen[i][0], donor=line.donor if chosen[i][1] else None)
                     if i in chosen else line for i, line in enumerate(lines, start=1)]
            return svc.enter_request(self.db, coop_id, final, confirmed=confirmed,
                                     new_donor_ok=set(new_rows), today=self.today)

        try:
            ids = resolve_warnings(self, call)
        except ValidationError as err:
            self._show_errors(rows, err.errors)
            return
        if ids is None:
            return
        self.saved_ids = ids
        self.accept()


IMPORT_COLUMNS = [
    Column("Ligne", lambda r: str(r.line), sort_key=lambda r: r.line),
    Column("Donateur", lambda r: r.data.donor.display_name if r.data.donor else ""),
    Column("Commune", lambda r: r.data.donor.city if r.data.donor else ""),
    Column("Montant", lambda r: format_money(r.data.amount) if isinstance(r.data.amount, int) else str(r.data.amount or "")),
    Column("Date", lambda r: format_date(r.data.received_on) if isinstance(r.data.received_on, date) else str(r.data.received_on or "")),
    Column("Contrôle", lambda r: r.error_text or (" ".join(r.warnings)) or (
        "Donateur connu" if r.same_donor_id else
        f"Proche de « {r.similar[0].display_name} »" if r.similar else "Nouveau donateur"),
        tooltip=lambda r: r.error_text or " ".join(r.warnings)),
]


class ImportRequestDialog(QDialog):
    """Preview of a request read from a spreadsheet; imported all together or not at all."""

    def __init__(self, db: Database, path: str, coop_id: int | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.today = today or clock.today()
        self.rows: list[import_svc.ImportRow] = []
        self.saved_ids: list[int] = []
        self.setWindowTitle("Importer une demande de reçus")
        self.coop = coop_combo(db, placeholder="— choisir la coopérative —")
        if coop_id:
            self.coop.setCurrentIndex(max(0, self.coop.findData(coop_id)))
        self.coop.currentIndexChanged.connect(lambda _i: self.read())
        self.model = RowTableModel(IMPORT_COLUMNS, self, style=lambda r: RowStyle(
            foreground="#b00020", background="#fdecee") if r.errors else (
            RowStyle(background="#fff6dd") if r.warnings or (r.similar and not r.same_donor_id) else None))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Importer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(dialogs.guard(self, "l'import de la demande", self.save))
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Coopérative *", self.coop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(1000, 600)
        self.read()

    def read(self) -> None:
        coop_id = self.coop.currentData()
        try:
            self.rows = import_svc.read_request_file(self.db, self.path, coop_id or 0, today=self.today)
        except ValidationError as err:
            self.rows = []
            self.summary.setText("\n".join(err.errors.values()))
            self.model.set_rows([])
            self.import_button.setEnabled(False)
            return
        self.model.set_rows(self.rows)
        bad = [r for r in self.rows if r.errors]
        total = sum(r.data.amount for r in self.rows if not r.errors)
        if bad:
            self.summary.setText(f"<span style='color:#b00020'><b>{len(bad)} ligne(s) en erreur</b> "
                                 "(en rouge) : corrigez le fichier puis importez-le à nouveau. "
                                 "Rien n'a été enregistré.</span>")
        else:
            self.summary.setText(f"{format_int(len(self.rows))} dons prêts à importer pour "
                                 f"{format_money(total)}.")
        self.import_button.setEnabled(bool(self.rows) and not bad and bool(coop_id))

    def save(self) -> None:
        coop_id = self.coop.currentData()
        if not coop_id:
            self.summary.setText("Choisissez la coopérative.")
            return

        def call(confirmed, new_rows, chosen):
            rows = []
            for i, r in enumerate(self.rows, start=1):
                if i in chosen:
                    donor_id, moved = chosen[i]
                    r = replace(r, data=replace(r.data, donor_id=donor_id,
                                                donor=r.data.donor if moved else None))
                rows.append(r)
            lines = {self.rows[i - 1].line for i in new_rows if i}
            return import_svc.import_request(self.db, coop_id, rows, new_donor_lines=lines,
                                      confirmed=confirmed, today=self.today)

        try:
            ids = resolve_warnings(self, call)
        except ValidationError as err:
            self.summary.setText("\n".join(err.errors.values()))
            return
        if ids is None:
            return
        self.saved_ids = ids
        self.accept()
