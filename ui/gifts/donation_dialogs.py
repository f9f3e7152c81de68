"""Dialogs of the Dons et reçus tab: a coop's request (several gifts at once) and the import
of a request from a spreadsheet. (The batch issue: ui.gifts.receipt_batch_dialog; a donor:
ui.gifts.donor_dialog.)"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from occe_bureau import gifts
from occe_bureau.coops import coop_choices
from occe_bureau.db import Database
from occe_bureau.formats import counted, fold, format_date, format_int, format_money, parse_money
from occe_bureau.gifts import DonorKind, DonorMatch, GiftForm, GiftNature, GiftSource, PaymentMethod
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
    ("kind_description", "En nature : biens donnés", 170),
    ("kind_valuation", "En nature : évaluation", 150),
]
COLUMN_INDEX = {name: i for i, (name, _t, _w) in enumerate(REQUEST_COLUMNS)}
# The default first: most gifts come by cheque, as a "déclaration de don manuel".
METHOD_CHOICES = (PaymentMethod.CHEQUE, PaymentMethod.ESPECES, PaymentMethod.VIREMENT)
# The last choice of the "Mode" column: a gift in kind (nature "Autres"), not money; its goods
# and their valuation go in the two "En nature" columns.
IN_KIND = "en-nature"
FORM_CHOICES = (GiftForm.MANUEL, GiftForm.AUTHENTIQUE, GiftForm.SEING_PRIVE, GiftForm.AUTRE)
ERROR_BRUSH = QBrush(QColor("#fdecee"))


class FoldedFilter(QSortFilterProxyModel):
    """The coops whose label holds every word typed, accents and case ignored ("emile zola"
    finds "École Émile Zola")."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.words = fold(text).split()
            self.endFilterChange()
        else:
            self.words = fold(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 (Qt's name)
        if not self.words:
            return True
        label = fold(self.sourceModel().index(row, 0, parent).data() or "")
        return all(word in label for word in self.words)


def coop_combo(db: Database, *, all_label: str | None = None, placeholder: str | None = None,
               include_archived: bool = False) -> QComboBox:
    """Coops to choose from; archived ones (marked) only where their past gifts and receipts
    are looked at, not where a new gift is entered. Typing filters them, accents ignored; a
    placeholder is only a hint in the empty field (no coop chosen), never a choice."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if all_label:
        combo.addItem(all_label, None)
    for cid, label in coop_choices(db, include_archived=include_archived):
        combo.addItem(label, cid)
    folded = FoldedFilter(combo)
    folded.setSourceModel(combo.model())
    completer = QCompleter(folded, combo)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    combo.lineEdit().textEdited.connect(lambda text: (folded.set_text(text), completer.complete()))
    if placeholder and not all_label:
        combo.lineEdit().setPlaceholderText(placeholder)
        combo.setCurrentIndex(-1)
    return combo


def choose_coop(combo: QComboBox, coop_id: int | None) -> None:
    """Select this coop, or none (the placeholder shows) when it is not in the list."""
    combo.setCurrentIndex(combo.findData(coop_id) if coop_id else -1)


class EnterGuard(QObject):
    """Enter pressed in the coop picker picks the coop there: it must not go on to press the
    dialog's default button ("Enregistrer les dons"). Watches the picker; the dialog asks
    `swallows(event)` in its keyPressEvent, where an Enter the picker left unhandled ends."""

    ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.pressed = False
        combo.installEventFilter(self)
        combo.lineEdit().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and event.key() in self.ENTER:
            self.pressed = True  # for the dialog, if the key reaches it now (propagated)
            QTimer.singleShot(0, self._forget)
        return False

    def _forget(self) -> None:
        self.pressed = False

    def swallows(self, event) -> bool:
        pressed, self.pressed = self.pressed, False
        return pressed and event.key() in self.ENTER


def _confirm_gifts(parent, plan: gifts.RequestPlan) -> bool:
    """A gift that looks like a payment for a service: the user confirms it is a gift."""
    if not plan.warnings or plan.confirmed:
        return True
    if not dialogs.ask_confirm(parent, "Est-ce bien un don ?", "\n\n".join(plan.warnings) +
                               "\n\nEnregistrer quand même comme don ?",
                               yes="C'est un don", no="Corriger"):
        return False
    plan.confirm()
    return True


def _ask_donor(parent, g: gifts.PlannedGift) -> None:
    """A donor close to a known one (or to another line's): the same person, or a new one?"""
    best = g.candidates[0]
    where = f"Ligne {g.line} : " if g.line else ""
    seen = f"« {best.display_name} », {best.address.replace(chr(10), ', ')}, {best.town}"
    if g.match == DonorMatch.NAMESAKE:
        if dialogs.ask_confirm(
                parent, "Quel donateur ?",
                f"{where}un donateur du même nom existe déjà avec ce code postal, à une autre "
                f"adresse : {seen}.\n\nEst-ce la même personne, qui a déménagé (son adresse sera "
                "mise à jour), ou une autre personne (un nouveau donateur sera créé) ?",
                yes="Même personne, nouvelle adresse", no="Une autre personne"):
            g.take(best, moved=True)
        else:
            g.take_new()
        return
    if dialogs.ask_confirm(parent, "Donateur déjà connu ?",
                           f"{where}un donateur proche existe déjà : {seen}.\n\n"
                           "Est-ce la même personne ?",
                           yes="Oui, même donateur", no="Non, nouveau donateur"):
        g.take(best)
    else:
        g.take_new()


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many.format(n=format_int(count))


def _confirm_duplicates(parent, plan: gifts.RequestPlan) -> bool:
    """Gifts that look entered twice (or a request already saved): the user confirms them."""
    twice = plan.duplicates
    if not twice or plan.duplicates_confirmed:
        return True
    listed = "\n".join(g.duplicate for g in twice[:10]) + (
        f"\n… et {format_int(len(twice) - 10)} autres." if len(twice) > 10 else "")
    if plan.already_imported:
        title = "Demande déjà enregistrée"
        text = (_plural(len(twice), "Ce don est déjà enregistré : cette demande a déjà été saisie "
                                    "ou importée.",
                        "Ces {n} dons sont déjà enregistrés : cette demande a déjà été saisie ou "
                        "importée.") + "\n\n" + listed + "\n\nL'enregistrer à nouveau créerait "
                + _plural(len(twice), "un don en double, et un second reçu fiscal.",
                          "{n} dons en double, et autant de reçus fiscaux en trop."))
    else:
        title = "Don en double ?"
        text = (_plural(len(twice), "Ce don ressemble à un don déjà saisi :",
                        "Ces {n} dons ressemblent à des dons déjà saisis :") + "\n\n" + listed
                + "\n\nChaque don enregistré recevra son propre reçu fiscal. Est-ce bien "
                + _plural(len(twice), "un don distinct ?", "des dons distincts ?"))
    if not dialogs.ask_confirm(parent, title, text, yes="Enregistrer quand même", no="Corriger"):
        return False
    plan.confirm_duplicates()
    return True


def answer_questions(parent, db: Database, plan: gifts.RequestPlan) -> bool:
    """Ask the plan's questions (a payment that looks like a service, donors close to known
    ones, then gifts that look entered twice) and record the answers on it; False if the user
    chose to correct the entry."""
    if not _confirm_gifts(parent, plan):
        return False
    for g in plan.questions:
        _ask_donor(parent, g)
    gifts.find_duplicates(db, plan)  # a donor answered may be a known one
    if not _confirm_duplicates(parent, plan):
        return False
    return plan.ready


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
        choose_coop(self.coop, coop_id)
        self.enter_guard = EnterGuard(self.coop)
        self.source = QComboBox()
        for source in GiftSource:
            self.source.addItem(source.label, source.value)
        self.form = QComboBox()
        for form in FORM_CHOICES:
            self.form.addItem(form.label, form.value)
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
        self.grid.itemChanged.connect(self._amount_changed)

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

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.enter_guard.swallows(event):
            return
        super().keyPressEvent(event)

    def add_row(self) -> int:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        for i in range(len(REQUEST_COLUMNS)):
            self.grid.setItem(row, i, QTableWidgetItem(""))
        self.grid.item(row, COLUMN_INDEX["received_on"]).setText(format_date(self.default_date.value()))
        method = QComboBox()
        for m in METHOD_CHOICES:
            method.addItem(m.short_label, m.value)
        method.addItem("En nature", IN_KIND)
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

    def _amount_changed(self, item: QTableWidgetItem) -> None:
        """An amount typed ("1234,5") shows as money ("1 234,50 €"); one that cannot be read
        stays as typed, for the check to name it. Then the total."""
        if item.column() == COLUMN_INDEX["amount"] and item.text().strip():
            try:
                shown = format_money(parse_money(item.text()))
            except ValueError:
                shown = item.text()
            if shown != item.text():
                item.setText(shown)  # itemChanged again, with the text already shown
                return
        self._update_total()

    def _update_total(self) -> None:
        total = 0
        for r in range(self.grid.rowCount()):
            try:
                total += parse_money(self._cell(r, "amount")) if self._cell(r, "amount").strip() else 0
            except ValueError:
                pass
        self.total_label.setText(f"Total : {format_money(total)}")

    def lines(self) -> tuple[list[int], list[gifts.DonationData]]:
        rows = self._filled_rows()
        lines = []
        for r in rows:
            company = self._cell(r, "company_name").strip()
            donor = gifts.DonorData(
                kind=DonorKind.COMPANY if company else DonorKind.PERSON,
                **{n: self._cell(r, n) for n in ("last_name", "first_names", "company_name", "siren",
                                                 "address", "postal_code", "city", "email")})
            method = self.grid.cellWidget(r, COLUMN_INDEX["method"]).currentData()
            in_kind = method == IN_KIND
            lines.append(gifts.DonationData(
                amount=self._cell(r, "amount"), received_on=self._cell(r, "received_on"),
                method=PaymentMethod.CHEQUE if in_kind else method,
                cheque_number="" if in_kind else self._cell(r, "cheque_number"),
                nature=GiftNature.AUTRE if in_kind else GiftNature.NUMERAIRE,
                kind_description=self._cell(r, "kind_description"),
                kind_valuation=self._cell(r, "kind_valuation"), project=self._cell(r, "project"),
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
        plan = gifts.plan_request(self.db, coop_id, lines, today=self.today)
        if plan.errors:
            self._show_errors(rows, plan.errors)
            return
        self._show_errors(rows, {})
        if not answer_questions(self, self.db, plan):
            return
        try:
            self.saved_ids = gifts.apply_request(self.db, plan)
        except ValidationError as err:
            self._show_errors(rows, err.errors)
            return
        self.accept()


IMPORT_COLUMNS = [
    Column("Ligne", lambda r: str(r.line), sort_key=lambda r: r.line),
    Column("Donateur", lambda r: r.data.donor.display_name if r.data.donor else ""),
    Column("Commune", lambda r: r.data.donor.city if r.data.donor else ""),
    Column("Montant", lambda r: format_money(r.data.amount) if isinstance(r.data.amount, int) else str(r.data.amount or "")),
    Column("Date", lambda r: format_date(r.data.received_on) if isinstance(r.data.received_on, date) else str(r.data.received_on or "")),
    Column("Contrôle", lambda r: r.error_text or r.duplicate or (" ".join(r.warnings)) or (
        f"Proche de « {r.candidates[0].display_name} »" if r.asks else
        DonorMatch.KNOWN.label if r.match == DonorMatch.CHOSEN else r.match.label),
        tooltip=lambda r: r.error_text or r.duplicate or " ".join(r.warnings)),
]


def stepped(steps, doing: str):
    """A core generator of (done, total) steps as a job of run_with_progress: its Progress
    between the steps, its result at the end; cancelled, the steps are closed (a transaction
    open in them is rolled back)."""
    from ui.shell.operations import Progress

    def job():
        try:
            while True:
                try:
                    done, total = next(steps)
                except StopIteration as stop:
                    return stop.value
                yield Progress(done, total, f"{doing} : {format_int(done)} lignes sur "
                                            f"{format_int(total)}")
        finally:
            steps.close()

    return job


class ImportRequestDialog(QDialog):
    """Preview of a request read from a spreadsheet; imported all together or not at all."""

    def __init__(self, db: Database, path: str, coop_id: int | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.today = today or clock.today()
        self.plan: gifts.RequestPlan | None = None
        self.fresh = False  # self.plan carries no answer yet
        self.saved_ids: list[int] = []
        self.setWindowTitle("Importer une demande de reçus")
        self.coop = coop_combo(db, placeholder="— choisir la coopérative —")
        choose_coop(self.coop, coop_id)
        self.enter_guard = EnterGuard(self.coop)
        self.coop.currentIndexChanged.connect(lambda _i: self.read())
        self.model = RowTableModel(IMPORT_COLUMNS, self, style=lambda r: RowStyle(
            foreground="#b00020", background="#fdecee") if r.errors else (
            RowStyle(background="#fff6dd") if r.warnings or r.asks or r.duplicate else None))
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

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.enter_guard.swallows(event):
            return
        super().keyPressEvent(event)

    @property
    def rows(self) -> list[gifts.PlannedGift]:
        return self.plan.lines if self.plan is not None else []

    def _plan(self) -> gifts.RequestPlan:
        """The file read and planned off the interface thread (thousands of lines take
        seconds), with its progress and Annuler (raises Cancelled)."""
        from ui.shell.operations import run_with_progress

        steps = gifts.plan_file_steps(self.db, self.path, self.coop.currentData(), today=self.today)
        return run_with_progress(self, "Importer une demande de reçus", "Lecture de la demande…",
                                 stepped(steps, "Lecture de la demande"))

    def read(self) -> None:
        from ui.shell.operations import Cancelled

        coop_id = self.coop.currentData()
        self.fresh = False
        try:
            self.plan = self._plan()
        except (ValidationError, Cancelled) as err:
            self.plan = None
            self.summary.setText("\n".join(err.errors.values()) if isinstance(err, ValidationError)
                                 else "Lecture interrompue : rien n'a été enregistré.")
            self.model.set_rows([])
            self.import_button.setEnabled(False)
            return
        self.fresh = True  # no answer recorded on it yet
        self.model.set_rows(self.rows)
        bad = [r for r in self.rows if r.errors]
        total = self.plan.total_cents
        if bad:
            self.summary.setText(f"<span style='color:#b00020'><b>{counted(len(bad), 'ligne en erreur', 'lignes en erreur')}</b> "
                                 "(en rouge) : corrigez le fichier puis importez-le à nouveau. "
                                 "Rien n'a été enregistré.</span>")
        elif self.plan.already_imported:
            count = len(self.rows)
            self.summary.setText(
                "<span style='color:#8a4b00'><b>Ce fichier a déjà été importé</b> : "
                + _plural(count, "son don est déjà enregistré",
                          "ses {n} dons sont déjà enregistrés")
                + " (même donateur, montant, date et n° de chèque). L'importer à nouveau créerait "
                + _plural(count, "un don en double.", "{n} dons en double.") + "</span>")
        else:
            twice = len(self.plan.duplicates)
            self.summary.setText(
                f"{format_int(len(self.rows))} dons prêts à importer pour {format_money(total)}."
                + (_plural(twice, " Un don ressemble à un don déjà saisi (en jaune).",
                           " {n} dons ressemblent à des dons déjà saisis (en jaune).")
                   if twice else ""))
        self.import_button.setEnabled(bool(self.rows) and not bad and bool(coop_id))

    def save(self) -> None:
        coop_id = self.coop.currentData()
        if not coop_id:
            self.summary.setText("Choisissez la coopérative.")
            return

        from ui.shell.operations import Cancelled, run_with_progress

        try:
            # the answers go on a fresh plan: the one read for the preview, or read again
            plan = self.plan if self.fresh and self.plan is not None else self._plan()
            self.fresh = False
            if not answer_questions(self, self.db, plan):
                return
            self.saved_ids = run_with_progress(
                self, "Importer une demande de reçus", "Enregistrement des dons…",
                stepped(gifts.import_steps(self.db, plan), "Enregistrement des dons"))
        except ValidationError as err:
            self.summary.setText("\n".join(err.errors.values()))
            return
        except Cancelled:
            self.summary.setText("Import interrompu : aucun don n'a été enregistré.")
            return
        self.accept()
