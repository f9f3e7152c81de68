"""The lending desk's forms: a loan or a booking, a return, an extension, a transfer to the
next school, an item of the inventory. Each saves through one service call, or nothing."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QRadioButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from occe_bureau.formats import fold, format_date
from occe_bureau.services import coops as coop_svc
from occe_bureau.services import inventory, loan_base, loan_queries
from occe_bureau.services import loans as svc
from occe_bureau.services.validation import ValidationError
from ui.forms import ERROR_STYLE, DateEdit, FieldErrors, MoneyEdit, add_row, line_edit, text_area


_DAY = timedelta(days=1)


class _FormDialog(QDialog):
    """A form with per-field errors, a general error line and Enregistrer / Annuler."""

    def __init__(self, title: str, parent: QWidget | None = None, save_text: str = "Enregistrer"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self._save_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.saved_id: int | None = None

    def _save_clicked(self) -> None:
        self.general_error.hide()
        self.errors.clear()
        try:
            self.save()
        except ValidationError as err:
            orphans = self.errors.show(err.errors)
            if orphans:
                self.general_error.setText("\n".join(orphans))
                self.general_error.show()
            return
        self.accept()

    def save(self) -> None:
        raise NotImplementedError

    def error_text(self, field: str) -> str:
        message = self.errors.message(field)
        if not message and not self.general_error.isHidden():
            return self.general_error.text()
        return message


def coop_combo(db, name: str = "coop") -> QComboBox:
    """The coops that can borrow (archived ones are left out), searchable by typing."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for cid, label in coop_svc.coop_choices(db):
        combo.addItem(label, cid)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setMinimumWidth(380)
    return combo


def combo_value(combo: QComboBox):
    """The chosen coop id, also when the name was typed in full rather than picked."""
    index = combo.findText(combo.currentText())
    return combo.itemData(index) if index >= 0 else None


class ItemPicker(QWidget):
    """The lendable items as a list of tick boxes, narrowed by a search field."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filtrer : code ou nom…")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("items")
        self.list.setMinimumHeight(170)
        for item_id, label in inventory.item_choices(db):
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, item_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._narrow)

    def _narrow(self, text: str) -> None:
        words = fold(text).split()
        for index in range(self.list.count()):
            entry = self.list.item(index)
            entry.setHidden(not all(w in fold(entry.text()) for w in words))

    def check(self, item_ids: list[int]) -> None:
        for index in range(self.list.count()):
            entry = self.list.item(index)
            if entry.data(Qt.ItemDataRole.UserRole) in item_ids:
                entry.setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class LoanDialog(_FormDialog):
    """A new loan (the items leave today or left earlier) or a new booking (later)."""

    def __init__(self, db, *, booking: bool = False, item_ids: list[int] | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__("Nouvelle réservation" if booking else "Nouveau prêt", parent)
        self.db = db
        self.booking = booking
        self.today = today or date.today()
        self._due_touched = False
        self._suggesting = False
        self.coop = coop_combo(db)
        self.borrower = line_edit(150, "Mme, M. Prénom Nom (enseignant·e)", "borrower")
        self.items = ItemPicker(db)
        start = self.today + (self._default_booking_offset() if booking else 0) * _DAY
        self.start_date = DateEdit(start)
        self.due_date = DateEdit(start)
        self.handed_over_by = line_edit(150, "qui remet le matériel", "handed_over_by")
        self.notes = text_area(60)
        self.show_slip = QCheckBox("Afficher le bon après l'enregistrement")
        self.show_slip.setChecked(True)

        form = QFormLayout()
        add_row(form, self.errors, "coop_id", "Coopérative", self.coop)
        add_row(form, self.errors, "borrower", "Enseignant(e) emprunteur", self.borrower)
        add_row(form, self.errors, "items", "Matériel", self.items)
        add_row(form, self.errors, "start_date",
                "Début de la réservation" if booking else "Date de départ", self.start_date)
        add_row(form, self.errors, "due_date", "Retour prévu le", self.due_date)
        add_row(form, self.errors, "handed_over_by", "Remis par", self.handed_over_by)
        add_row(form, self.errors, "notes", "Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.show_slip)
        layout.addWidget(self.buttons)
        self.items.list.itemChanged.connect(lambda _e: self._suggest_due())
        self.start_date.dateChanged.connect(lambda _d: self._suggest_due())
        self.due_date.dateChanged.connect(self._due_edited)
        if item_ids:
            self.items.check(item_ids)
        self._suggest_due()

    @staticmethod
    def _default_booking_offset() -> int:
        return 7

    def _due_edited(self, _date) -> None:
        if not self._suggesting:
            self._due_touched = True

    def _suggest_due(self) -> None:
        """The due date follows the items' default length until the secretary changes it."""
        if self._due_touched:
            return
        self._suggesting = True
        try:
            self.due_date.set_value(svc.default_due_date(self.db, self.items.checked(),
                                                         self.start_date.value()))
        finally:
            self._suggesting = False

    def data(self) -> svc.LoanData:
        return svc.LoanData(
            coop_id=combo_value(self.coop), borrower=self.borrower.text(),
            start_date=self.start_date.value(), due_date=self.due_date.value(),
            handed_over_by=self.handed_over_by.text(), notes=self.notes.toPlainText(),
            item_ids=self.items.checked())

    def save(self) -> None:
        create = svc.create_booking if self.booking else svc.create_loan
        self.saved_id = create(self.db, self.data(), today=self.today)



class ReturnDialog(_FormDialog):
    """The items still out on a loan: tick what came back, its date, condition, what is missing."""

    COL_BACK, COL_ITEM, COL_CONDITION, COL_DAMAGED, COL_MISSING = range(5)

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Retour du matériel", parent, "Enregistrer le retour")
        self.db = db
        self.loan_id = loan_id
        self.today = today or date.today()
        self.loan = loan_queries.get_loan(db, loan_id)
        self.lines = [l for l in self.loan.lines if l.status == loan_base.OUT]
        intro = QLabel(f"Bon n° {self.loan.slip_label} – {self.loan.coop_number} – "
                       f"{self.loan.coop_name}, parti le {format_date(self.loan.start_date)}, "
                       f"retour prévu le {format_date(self.loan.due_date)}.")
        intro.setWordWrap(True)
        self.returned_on = DateEdit(self.today)
        self.table = QTableWidget(len(self.lines), 5)
        self.table.setObjectName("return_table")
        self.table.setHorizontalHeaderLabels(["Rendu", "Matériel", "État au retour", "Abîmé",
                                              "Accessoires manquants"])
        self.table.verticalHeader().setVisible(False)
        self.back_checks: list[QCheckBox] = []
        self.conditions: list[QComboBox] = []
        self.damaged: list[QCheckBox] = []
        self.missing: list[QLineEdit] = []
        for row, line in enumerate(self.lines):
            back = QCheckBox()
            back.setChecked(True)
            self.table.setCellWidget(row, self.COL_BACK, back)
            label = QTableWidgetItem(f"{line.code} – {line.name}")
            label.setToolTip("Accessoires : " + ", ".join(line.accessories))
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, self.COL_ITEM, label)
            condition = QComboBox()
            condition.setEditable(True)
            condition.addItems([svc.CONDITION_GOOD, "Usure normale", "Abîmé", "Sale"])
            self.table.setCellWidget(row, self.COL_CONDITION, condition)
            damaged = QCheckBox("→ maintenance")
            self.table.setCellWidget(row, self.COL_DAMAGED, damaged)
            missing = QLineEdit()
            missing.setPlaceholderText("rien (ou ex. : 1 batterie)")
            missing.setToolTip("À vérifier : " + ", ".join(line.accessories))
            self.table.setCellWidget(row, self.COL_MISSING, missing)
            self.back_checks.append(back)
            self.conditions.append(condition)
            self.damaged.append(damaged)
            self.missing.append(missing)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(self.COL_MISSING, 220)
        self.table.setMinimumWidth(760)
        self.print_receipt = QCheckBox("Afficher le reçu de retour après l'enregistrement")
        self.print_receipt.setChecked(True)
        form = QFormLayout()
        add_row(form, self.errors, "returned_on", "Rendu le", self.returned_on)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.wrap("items", self.table))
        layout.addWidget(self.general_error)
        layout.addWidget(self.print_receipt)
        layout.addWidget(self.buttons)

    def set_returned(self, item_ids: list[int]) -> None:
        for check, line in zip(self.back_checks, self.lines, strict=True):
            check.setChecked(line.item_id in item_ids)

    def save(self) -> None:
        returns = [
            svc.ReturnData(item_id=line.item_id, returned_on=self.returned_on.value(),
                           condition=self.conditions[i].currentText(),
                           missing_accessories=self.missing[i].text(),
                           damaged=self.damaged[i].isChecked())
            for i, line in enumerate(self.lines) if self.back_checks[i].isChecked()
        ]
        svc.return_items(self.db, self.loan_id, returns, today=self.today)
        self.saved_id = self.loan_id


class ExtendDialog(_FormDialog):
    def __init__(self, db, loan_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Prolonger le prêt", parent, "Prolonger")
        self.db = db
        self.loan_id = loan_id
        loan = loan_queries.get_loan(db, loan_id)
        intro = QLabel(f"Bon n° {loan.slip_label} – {loan.coop_number} – {loan.coop_name}\n"
                       f"Retour prévu actuellement le {format_date(loan.due_date)}.")
        self.due_date = DateEdit(loan.due_date + 7 * _DAY)
        form = QFormLayout()
        add_row(form, self.errors, "due_date", "Nouvelle date de retour", self.due_date)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.wrap("items", QLabel("")))
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        svc.extend_loan(self.db, self.loan_id, self.due_date.value())
        self.saved_id = self.loan_id


class TransferDialog(_FormDialog):
    """A box handed straight to the next school: the first loan closes, the next one opens."""

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Transmettre à l'école suivante", parent, "Transmettre")
        self.db = db
        self.loan_id = loan_id
        self.today = today or date.today()
        self.loan = loan_queries.get_loan(db, loan_id)
        out = [l for l in self.loan.lines if l.status == loan_base.OUT]
        intro = QLabel(
            f"Le matériel du bon n° {self.loan.slip_label} ({self.loan.coop_number} – "
            f"{self.loan.coop_name}) passe directement à une autre école. Le prêt en cours est "
            "clos à la date choisie et le nouveau commence le même jour, avec son bon de prêt.")
        intro.setWordWrap(True)
        self.items = QListWidget()
        self.items.setObjectName("transfer_items")
        for line in out:
            entry = QListWidgetItem(f"{line.code} – {line.name}")
            entry.setData(Qt.ItemDataRole.UserRole, line.item_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.items.addItem(entry)
        self.items.setMaximumHeight(90)
        self.on = DateEdit(self.today)
        self.use_booking = QRadioButton("Une réservation existante")
        self.new_loan = QRadioButton("Un nouveau prêt")
        self.bookings = QComboBox()
        self.bookings.setObjectName("bookings")
        # The next school's booking, if one starts around now (a fortnight either side).
        for row in loan_queries.bookings_for_items(db, [l.item_id for l in out], self.today - 14 * _DAY):
            if row.start_date > self.today + 14 * _DAY:
                continue
            self.bookings.addItem(f"Bon n° {row.slip_label} – {row.coop_number} – {row.coop_name} "
                                  f"(du {format_date(row.start_date)} au "
                                  f"{format_date(row.due_date)})", row.id)
        has_booking = self.bookings.count() > 0
        self.use_booking.setEnabled(has_booking)
        (self.use_booking if has_booking else self.new_loan).setChecked(True)
        self.coop = coop_combo(db)
        self.borrower = line_edit(150, "Mme, M. Prénom Nom", "borrower")
        self.due_date = DateEdit(svc.default_due_date(db, [l.item_id for l in out], self.today))
        self.handed_over_by = line_edit(150, "", "handed_over_by")

        form = QFormLayout()
        form.addRow("Matériel transmis", self.errors.wrap("items", self.items))
        add_row(form, self.errors, "on", "Transmis le", self.on)
        choice = QHBoxLayout()
        choice.addWidget(self.use_booking)
        choice.addWidget(self.new_loan)
        choice.addStretch(1)
        form.addRow("Vers", choice)
        add_row(form, self.errors, "booking_id", "Réservation", self.bookings)
        add_row(form, self.errors, "coop_id", "Coopérative suivante", self.coop)
        add_row(form, self.errors, "borrower", "Enseignant(e) emprunteur", self.borrower)
        add_row(form, self.errors, "due_date", "Retour prévu le", self.due_date)
        add_row(form, self.errors, "handed_over_by", "Remis par", self.handed_over_by)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.use_booking.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        booking = self.use_booking.isChecked()
        self.bookings.setEnabled(booking)
        for widget in (self.coop, self.borrower, self.due_date):
            widget.setEnabled(not booking)

    def save(self) -> None:
        item_ids = [self.items.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(self.items.count())
                    if self.items.item(i).checkState() == Qt.CheckState.Checked]
        data = svc.TransferData(on=self.on.value(), item_ids=item_ids,
                                handed_over_by=self.handed_over_by.text())
        if self.use_booking.isChecked():
            data.booking_id = self.bookings.currentData()
        else:
            data.coop_id = combo_value(self.coop)
            data.borrower = self.borrower.text()
            data.due_date = self.due_date.value()
        self.saved_id = svc.transfer(self.db, self.loan_id, data, today=self.today)


class ItemDialog(_FormDialog):
    """An item of the inventory: code, name, category, accessories, value, loan length, state."""

    def __init__(self, db, item_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le matériel" if item_id else "Nouveau matériel", parent)
        self.db = db
        self.item_id = item_id
        self.code = line_edit(20, "ex. CAM-05", "code")
        self.name = line_edit(150, "ex. Caméra HD", "name")
        self.category = QComboBox()
        self.category.addItem("— choisir —", None)
        for category in inventory.list_categories(db):
            self.category.addItem(category.name, category.id)
        self.description = text_area(50)
        self.accessories = text_area(80)
        self.accessories.setPlaceholderText("Un accessoire par ligne (caméra, trépied, 2 batteries…)")
        self.value = MoneyEdit()
        self.days = line_edit(3, "14", "default_loan_days")
        self.state = QComboBox()
        for key, label in loan_base.ITEM_STATE_LABELS.items():
            self.state.addItem(label, key)
        self.notes = text_area(50)
        form = QFormLayout()
        add_row(form, self.errors, "code", "Code d'inventaire", self.code)
        add_row(form, self.errors, "name", "Désignation", self.name)
        add_row(form, self.errors, "category_id", "Catégorie", self.category)
        add_row(form, self.errors, "description", "Description", self.description)
        add_row(form, self.errors, "accessories", "Accessoires à vérifier", self.accessories)
        add_row(form, self.errors, "replacement_value_cents", "Valeur de remplacement (€)", self.value)
        add_row(form, self.errors, "default_loan_days", "Durée de prêt par défaut (jours)", self.days)
        add_row(form, self.errors, "state", "État", self.state)
        add_row(form, self.errors, "notes", "Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        if item_id:
            detail = inventory.get_item(db, item_id)
            d = detail.data
            self.code.setText(d.code)
            self.name.setText(d.name)
            self.category.setCurrentIndex(max(0, self.category.findData(d.category_id)))
            self.description.setPlainText(d.description)
            self.accessories.setPlainText(d.accessories)
            self.value.set_cents(d.replacement_value_cents)
            self.days.setText(str(d.default_loan_days))
            self.state.setCurrentIndex(self.state.findData(d.state))
            self.notes.setPlainText(d.notes)
        else:
            self.days.setText("14")

    def save(self) -> None:
        try:
            cents = self.value.cents()
        except ValueError as exc:
            raise ValidationError({"replacement_value_cents": f"Valeur de remplacement : {exc}"}) from exc
        data = inventory.ItemData(
            code=self.code.text(), name=self.name.text(), category_id=self.category.currentData(),
            description=self.description.toPlainText(), accessories=self.accessories.toPlainText(),
            replacement_value_cents=cents, default_loan_days=self.days.text(),
            state=self.state.currentData(), notes=self.notes.toPlainText())
        if self.item_id:
            inventory.update_item(self.db, self.item_id, data)
            self.saved_id = self.item_id
        else:
            self.saved_id = inventory.create_item(self.db, data)


def ask_item(parent: QWidget | None, title: str, label: str,
             choices: list[tuple[int, str]]) -> int | None:
    """Pick one of a few things (tests replace this function, like ui.dialogs' ask_…)."""
    from PySide6.QtWidgets import QInputDialog

    if not choices:
        return None
    labels = [text for _id, text in choices]
    text, ok = QInputDialog.getItem(parent, title, label, labels, 0, False)
    if not ok:
        return None
    return choices[labels.index(text)][0]


class CategoriesDialog(QDialog):
    """The editable list of kinds of material: add, rename, hide (never delete: past figures
    use them)."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QPushButton

        from ui import dialogs

        self.dialogs = dialogs
        self.db = db
        self.changed = False
        self.setWindowTitle("Catégories de matériel")
        self.list = QListWidget()
        self.list.setObjectName("categories")
        self.add_button = QPushButton("Ajouter…")
        self.rename_button = QPushButton("Renommer…")
        self.hide_button = QPushButton("Masquer")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        close = QPushButton("Fermer")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.hide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Les catégories servent aux filtres et aux jours de sortie du "
                                "rapport d'activité. Une catégorie masquée garde son historique."))
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.hide_button.clicked.connect(self.toggle_hidden)
        close.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.rows = inventory.list_categories(self.db, include_archived=True)
        self.list.clear()
        for row in self.rows:
            text = f"{row.name} ({row.items} matériel{'s' if row.items > 1 else ''})"
            entry = QListWidgetItem(text + (" — masquée" if row.archived else ""))
            if row.archived:
                entry.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(entry)
            if row.id == select_id:
                self.list.setCurrentItem(entry)
        self._update()

    def current(self) -> inventory.CategoryRow | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _update(self) -> None:
        row = self.current()
        self.rename_button.setEnabled(row is not None)
        self.hide_button.setEnabled(row is not None)
        self.hide_button.setText("Afficher" if row is not None and row.archived else "Masquer")

    def _run(self, action) -> None:
        self.message.clear()
        try:
            result = action()
        except ValidationError as err:
            self.message.setText("\n".join(err.errors.values()))
            return
        self.changed = True
        self.reload(result)

    def add(self) -> None:
        name = self.dialogs.ask_text(self, "Nouvelle catégorie", "Nom de la catégorie :")
        if name and name.strip():
            self._run(lambda: inventory.add_category(self.db, name))

    def rename(self) -> None:
        row = self.current()
        if row is None:
            return
        name = self.dialogs.ask_text(self, "Renommer la catégorie", "Nouveau nom :", row.name)
        if name and name.strip():
            self._run(lambda: (inventory.rename_category(self.db, row.id, name), row.id)[1])

    def toggle_hidden(self) -> None:
        row = self.current()
        if row is not None:
            self._run(lambda: (inventory.set_category_archived(self.db, row.id, not row.archived), row.id)[1])
