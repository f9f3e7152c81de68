"""The lending desk's forms: a loan or a booking, a return, an extension, a transfer to the
next school, the choice of an item. Each saves through one service call, or nothing (the
inventory's forms are in ui/inventory_dialogs.py)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from occe_bureau.formats import fold, format_date
from occe_bureau import coops, lending
from occe_bureau.lending import LineStatus
from ui.shell.history_dialog import history_button
from ui.shell.forms import DateEdit, FormDialog, add_row, line_edit, text_area
from occe_bureau import clock

_DAY = timedelta(days=1)
BUSY_BRUSH = QBrush(QColor("#b3261e"))


def coop_combo(db, name: str = "coop") -> QComboBox:
    """The coops that can borrow (archived ones are left out), searchable by typing."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for cid, label in coops.coop_choices(db):
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
    """The lendable items as a list of tick boxes, narrowed by a search field; beside each
    item, whether it is free for the chosen dates (`show_availability`), and under the list,
    for an item chosen that is not free, the free items of its category to take instead
    (`show_offers`)."""

    MAX_OFFERS = 4

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filtrer : code ou nom…")
        self.filter.setClearButtonEnabled(True)
        self.only_free = QCheckBox("Seulement le matériel libre à ces dates")
        self.list = QListWidget()
        self.list.setObjectName("items")
        self.list.setMinimumHeight(170)
        self.labels: dict[int, str] = {}
        self.found: dict[int, lending.Availability] = {}
        for item_id, label in lending.item_choices(db):
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, item_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(entry)
            self.labels[item_id] = label
        self.offers = QWidget()
        self.offers.setObjectName("offers")
        self.offers_layout = QVBoxLayout(self.offers)
        self.offers_layout.setContentsMargins(0, 0, 0, 0)
        self.offer_buttons: list[QPushButton] = []
        self.offers.hide()
        # Wide enough for "CODE – name  —  prêté à 92-0100 – École … du … au …".
        self.list.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.only_free)
        layout.addWidget(self.offers)
        self.filter.textChanged.connect(lambda _text: self._narrow())
        self.only_free.toggled.connect(lambda _on: self._narrow())

    def _narrow(self) -> None:
        words = fold(self.filter.text()).split()
        only_free = self.only_free.isChecked()
        for index in range(self.list.count()):
            entry = self.list.item(index)
            found = self.found.get(entry.data(Qt.ItemDataRole.UserRole))
            busy = only_free and found is not None and not found.free
            entry.setHidden(not all(w in fold(entry.text()) for w in words)
                            or (busy and entry.checkState() != Qt.CheckState.Checked))

    def show_availability(self, found: dict[int, lending.Availability]) -> None:
        """Each item's availability for the chosen dates beside it (red when not free)."""
        self.found = found
        self.list.blockSignals(True)  # a new text is not a new choice
        try:
            for index in range(self.list.count()):
                entry = self.list.item(index)
                item_id = entry.data(Qt.ItemDataRole.UserRole)
                this = found.get(item_id)
                label = self.labels[item_id]
                entry.setText(label if this is None else f"{label}  —  {this.label}")
                entry.setForeground(QBrush() if this is None or this.free else BUSY_BRUSH)
                entry.setToolTip("" if this is None else this.label)
        finally:
            self.list.blockSignals(False)
        self.list.viewport().update()
        self._narrow()

    def show_offers(self, offers: dict[int, list[int]]) -> None:
        """For each item chosen that is not free, buttons taking a free one of its category
        in its place (or a line saying none is free)."""
        while self.offers_layout.count():
            widget = self.offers_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.offer_buttons = []
        for busy_id, free_ids in offers.items():
            code = self.labels[busy_id].split(" – ")[0]
            if not free_ids:
                note = QLabel(f"Aucun autre matériel de la même catégorie n'est libre à ces "
                              f"dates pour remplacer {code}.")
                note.setWordWrap(True)
                self.offers_layout.addWidget(note)
                continue
            note = QLabel(f"{code} n'est pas libre à ces dates. Libres dans la même catégorie :")
            note.setWordWrap(True)
            self.offers_layout.addWidget(note)
            for free_id in free_ids[:self.MAX_OFFERS]:
                button = QPushButton(f"Prendre {self.labels[free_id]} à la place de {code}")
                button.setObjectName("offer")
                button.clicked.connect(lambda _c=False, b=busy_id, f=free_id: self.swap(b, f))
                self.offers_layout.addWidget(button)
                self.offer_buttons.append(button)
        self.offers.setVisible(bool(offers))

    def swap(self, busy_id: int, free_id: int) -> None:
        """Take the free item instead of the busy one."""
        for index in range(self.list.count()):
            entry = self.list.item(index)
            item_id = entry.data(Qt.ItemDataRole.UserRole)
            if item_id == busy_id:
                entry.setCheckState(Qt.CheckState.Unchecked)
            elif item_id == free_id:
                entry.setCheckState(Qt.CheckState.Checked)
        self._narrow()

    def check(self, item_ids: list[int]) -> None:
        for index in range(self.list.count()):
            entry = self.list.item(index)
            if entry.data(Qt.ItemDataRole.UserRole) in item_ids:
                entry.setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class LoanDialog(FormDialog):
    """A new loan (the items leave today or left earlier) or a new booking (later); each item
    says whether it is free for the dates chosen, and a busy one chosen is offered the free
    items of its category instead. `start` and `due`: days already chosen (on the planning)."""

    def __init__(self, db, *, booking: bool = False, item_ids: list[int] | None = None,
                 parent: QWidget | None = None, today: date | None = None,
                 loan_id: int | None = None, start: date | None = None,
                 due: date | None = None) -> None:
        title = ("Modifier la réservation" if loan_id is not None
                 else "Nouvelle réservation" if booking else "Nouveau prêt")
        super().__init__(title, parent)
        self.db = db
        self.loan_id = loan_id  # a booking being changed before it leaves
        booking = booking or loan_id is not None
        self.booking = booking
        self.today = today or clock.today()
        self._due_touched = False
        self._suggesting = False
        self.coop = coop_combo(db)
        self.borrower = line_edit(150, "Mme, M. Prénom Nom (enseignant·e)", "borrower")
        self.items = ItemPicker(db)
        first_day = self.today + (self._default_booking_offset() if booking else 0) * _DAY
        self.start_date = DateEdit(first_day)
        self.due_date = DateEdit(first_day)
        self.handed_over_by = line_edit(150, "qui remet le matériel", "handed_over_by")
        self.notes = text_area(60)
        self.show_slip = QCheckBox("Afficher le bon après l'enregistrement")
        self.show_slip.setChecked(True)

        form = QFormLayout()
        add_row(form, self.errors, "coop_id", "Coopérative", self.coop)
        add_row(form, self.errors, "borrower", "Enseignant(e) emprunteur", self.borrower)
        # The dates before the items: each item then says whether it is free for them.
        add_row(form, self.errors, "start_date",
                "Début de la réservation" if booking else "Date de départ", self.start_date)
        add_row(form, self.errors, "due_date", "Retour prévu le", self.due_date)
        add_row(form, self.errors, "items", "Matériel", self.items)
        add_row(form, self.errors, "handed_over_by", "Remis par", self.handed_over_by)
        add_row(form, self.errors, "notes", "Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.show_slip)
        history_button(self, self.buttons, db, "loan", loan_id, self.windowTitle)
        layout.addWidget(self.buttons)
        self.items.list.itemChanged.connect(lambda _e: self._items_changed())
        self.start_date.dateChanged.connect(lambda _d: self._start_changed())
        self.due_date.dateChanged.connect(self._due_edited)
        if item_ids:
            self.items.check(item_ids)
        if loan_id is not None:
            self._fill(lending.get_loan(db, loan_id))
        if start is not None:
            self.start_date.set_value(start)
        if due is not None:
            self.due_date.set_value(due)
            self._due_touched = True
        self._suggest_due()
        self._show_availability()

    def reload(self) -> None:
        """The booking as saved now (its items, dates and notes), and its version."""
        if self.loan_id is not None:
            self._fill(lending.get_loan(self.db, self.loan_id))
            self._show_availability()

    def _fill(self, loan) -> None:
        self.version = loan.version
        self.coop.setCurrentIndex(max(0, self.coop.findData(loan.coop_id)))
        self.borrower.setText(loan.borrower)
        self.items.check([line.item_id for line in loan.open_lines])
        self.start_date.set_value(loan.start_date)
        self.due_date.set_value(loan.due_date)
        self._due_touched = True  # the booked dates stay unless the secretary changes them
        self.handed_over_by.setText(loan.handed_over_by)
        self.notes.setPlainText(loan.notes)
        self.show_slip.setText("Afficher le bon de réservation après l'enregistrement")

    @staticmethod
    def _default_booking_offset() -> int:
        return 7

    def _due_edited(self, _date) -> None:
        if not self._suggesting:
            self._due_touched = True
        self._show_availability()

    def _start_changed(self) -> None:
        self._suggest_due()
        self._show_availability()

    def _items_changed(self) -> None:
        due = self.due_date.value()
        self._suggest_due()
        if self.due_date.value() != due:
            self._show_availability()  # new dates: new availability, and the offers with it
        else:
            self._show_offers()

    def _show_availability(self) -> None:
        """Each item free or not for the dates chosen, as the core sees it."""
        if self._suggesting:
            return  # the due date is being suggested: shown once it is set
        self.items.show_availability(lending.availability(
            self.db, self.start_date.value(), self.due_date.value(), leaving=not self.booking,
            exclude_loan_id=self.loan_id))
        self._show_offers()

    def _show_offers(self) -> None:
        self.items.show_offers(lending.free_instead(self.items.found, self.items.checked()))

    def _suggest_due(self) -> None:
        """The due date follows the items' default length until the secretary changes it."""
        if self._due_touched:
            return
        self._suggesting = True
        try:
            self.due_date.set_value(lending.default_due_date(self.db, self.items.checked(),
                                                             self.start_date.value()))
        finally:
            self._suggesting = False

    def data(self) -> lending.LoanData:
        return lending.LoanData(
            coop_id=combo_value(self.coop), borrower=self.borrower.text(),
            start_date=self.start_date.value(), due_date=self.due_date.value(),
            handed_over_by=self.handed_over_by.text(), notes=self.notes.toPlainText(),
            item_ids=self.items.checked())

    def save(self) -> None:
        if self.loan_id is not None:
            lending.update_booking(self.db, self.loan_id, self.data(), today=self.today,
                                   version=self.version)
            self.saved_id = self.loan_id
            return
        create = lending.create_booking if self.booking else lending.create_loan
        self.saved_id = create(self.db, self.data(), today=self.today)


class LoanActionDialog(FormDialog):
    """A form acting on one loan: the loan read once, an intro line, the fields, the buttons."""

    def __init__(self, title: str, save_text: str, db, loan_id: int,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(title, parent, save_text)
        self.db = db
        self.loan_id = loan_id
        self.today = today or clock.today()
        self.loan = lending.get_loan(db, loan_id)

    def lay_out(self, intro: str, form: QFormLayout, items_errors: bool = False) -> None:
        label = QLabel(intro)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        if items_errors:  # the item refusals (overlaps…) have no field of their own here
            layout.addWidget(self.errors.wrap("items", QLabel("")))
        layout.addWidget(self.general_error)
        history_button(self, self.buttons, self.db, "loan", self.loan_id, f"bon n° {self.loan.slip_number}")
        layout.addWidget(self.buttons)


class ReturnDialog(LoanActionDialog):
    """The items still out on a loan: tick what came back, its date, condition, what is
    missing, and any remark (printed on the return receipt)."""

    COL_BACK, COL_ITEM, COL_CONDITION, COL_DAMAGED, COL_MISSING, COL_NOTES = range(6)

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Retour du matériel", "Enregistrer le retour", db, loan_id, parent, today)
        self.lines = [l for l in self.loan.lines if l.status == LineStatus.OUT]
        intro = QLabel(f"Bon n° {self.loan.slip_label} – {self.loan.coop_number} – "
                       f"{self.loan.coop_name}, parti le {format_date(self.loan.start_date)}, "
                       f"retour prévu le {format_date(self.loan.due_date)}.")
        intro.setWordWrap(True)
        self.returned_on = DateEdit(self.today)
        self.table = QTableWidget(len(self.lines), 6)
        self.table.setObjectName("return_table")
        self.table.setHorizontalHeaderLabels(["Rendu", "Matériel", "État au retour", "Abîmé",
                                              "Accessoires manquants", "Remarques"])
        self.table.verticalHeader().setVisible(False)
        self.back_checks: list[QCheckBox] = []
        self.conditions: list[QComboBox] = []
        self.damaged: list[QCheckBox] = []
        self.missing: list[QLineEdit] = []
        self.notes: list[QLineEdit] = []
        for row, line in enumerate(self.lines):
            back = QCheckBox()
            back.setChecked(True)
            self.table.setCellWidget(row, self.COL_BACK, back)
            # The accessories to check are written under the item, not hidden in a tooltip.
            label = QTableWidgetItem(f"{line.code} – {line.name}\nÀ vérifier : "
                                     + (", ".join(line.accessories) or "aucun accessoire"))
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, self.COL_ITEM, label)
            condition = QComboBox()
            condition.setEditable(True)
            condition.addItems([lending.CONDITION_GOOD, "Usure normale", lending.CONDITION_DAMAGED,
                                "Sale"])
            self.table.setCellWidget(row, self.COL_CONDITION, condition)
            damaged = QCheckBox("→ maintenance")
            self.table.setCellWidget(row, self.COL_DAMAGED, damaged)
            missing = QLineEdit()
            missing.setPlaceholderText("rien (ou ex. : 1 batterie)")
            missing.setToolTip("À vérifier : " + ", ".join(line.accessories))
            self.table.setCellWidget(row, self.COL_MISSING, missing)
            notes = QLineEdit()
            notes.setMaxLength(2000)
            notes.setPlaceholderText("ex. : rendu sans sa housse")
            self.table.setCellWidget(row, self.COL_NOTES, notes)
            self.back_checks.append(back)
            self.conditions.append(condition)
            self.damaged.append(damaged)
            self.missing.append(missing)
            self.notes.append(notes)
        # Every column in view: the item's text wraps, "Remarques" takes the rest.
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column, width in ((self.COL_BACK, 50), (self.COL_ITEM, 280), (self.COL_CONDITION, 150),
                              (self.COL_DAMAGED, 125), (self.COL_MISSING, 210)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(50)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setMinimumWidth(50 + 280 + 150 + 125 + 210 + 220 + 4)
        self.table.resizeRowsToContents()
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
            lending.ReturnData(item_id=line.item_id, returned_on=self.returned_on.value(),
                           condition=self.conditions[i].currentText(),
                           missing_accessories=self.missing[i].text(),
                           damaged=self.damaged[i].isChecked(), notes=self.notes[i].text())
            for i, line in enumerate(self.lines) if self.back_checks[i].isChecked()
        ]
        lending.return_items(self.db, self.loan_id, returns, today=self.today,
                             version=self.loan.version)
        self.saved_id = self.loan_id


class ExtendDialog(LoanActionDialog):
    def __init__(self, db, loan_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Prolonger le prêt", "Prolonger", db, loan_id, parent)
        loan = self.loan
        self.due_date = DateEdit(loan.due_date + 7 * _DAY)
        form = QFormLayout()
        add_row(form, self.errors, "due_date", "Nouvelle date de retour", self.due_date)
        self.lay_out(f"Bon n° {loan.slip_label} – {loan.coop_number} – {loan.coop_name}\n"
                     f"Retour prévu actuellement le {format_date(loan.due_date)}.", form,
                     items_errors=True)

    def save(self) -> None:
        lending.extend_loan(self.db, self.loan_id, self.due_date.value(), version=self.loan.version)
        self.saved_id = self.loan_id


class TransferDialog(LoanActionDialog):
    """A box handed straight to the next school: the first loan closes, the next one opens."""

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Transmettre à l'école suivante", "Transmettre", db, loan_id, parent, today)
        out = [l for l in self.loan.lines if l.status == LineStatus.OUT]
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
        self.coop = coop_combo(db)
        self.borrower = line_edit(150, "Mme, M. Prénom Nom", "borrower")
        self.due_date = DateEdit(lending.default_due_date(db, [l.item_id for l in out], self.today))
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
        self.items.itemChanged.connect(lambda _entry: self._offer_bookings())
        self._offer_bookings()

    def _checked_items(self) -> list[int]:
        return [self.items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def _offer_bookings(self) -> None:
        """The bookings the core says the items handed over can go to; none chosen when none fits."""
        self.bookings.clear()
        for row in lending.transfer_bookings(self.db, self.loan_id, self._checked_items(), self.today):
            self.bookings.addItem(f"Bon n° {row.slip_label} – {row.coop_number} – "
                                  f"{row.coop_name} (du {format_date(row.start_date)} au "
                                  f"{format_date(row.due_date)})", row.id)
        has_booking = self.bookings.count() > 0
        self.use_booking.setEnabled(has_booking)
        (self.use_booking if has_booking else self.new_loan).setChecked(True)
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        booking = self.use_booking.isChecked()
        self.bookings.setEnabled(booking)
        for widget in (self.coop, self.borrower, self.due_date):
            widget.setEnabled(not booking)

    def save(self) -> None:
        data = lending.TransferData(on=self.on.value(), item_ids=self._checked_items(),
                                handed_over_by=self.handed_over_by.text())
        if self.use_booking.isChecked():
            data.booking_id = self.bookings.currentData()
        else:
            data.coop_id = combo_value(self.coop)
            data.borrower = self.borrower.text()
            data.due_date = self.due_date.value()
        self.saved_id = lending.transfer_loan(self.db, self.loan_id, data, today=self.today,
                                              version=self.loan.version)


class LostDialog(LoanActionDialog):
    """An item of the loan will not come back: which one, since when, what happened."""

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Déclarer un matériel perdu", "Déclarer perdu", db, loan_id, parent, today)
        loan = self.loan
        self.item = QComboBox()
        self.item.setObjectName("lost_item")
        for line in loan.lines:
            if line.status == LineStatus.OUT:
                self.item.addItem(f"{line.code} – {line.name}", line.item_id)
        self.on = DateEdit(self.today)
        self.notes = text_area(60)
        form = QFormLayout()
        add_row(form, self.errors, "items", "Matériel perdu", self.item)
        add_row(form, self.errors, "returned_on", "Perdu le", self.on)
        add_row(form, self.errors, "return_notes", "Circonstances", self.notes)
        self.lay_out(f"Bon n° {loan.slip_label} – {loan.coop_number} – {loan.coop_name}.\n"
                     "Le matériel déclaré perdu ne pourra plus être prêté ni réservé ; "
                     "le prêt le garde dans son historique.", form)

    def save(self) -> None:
        lending.mark_lost(self.db, self.loan_id, self.item.currentData(), self.on.value(),
                          self.notes.toPlainText(), today=self.today, version=self.loan.version)
        self.saved_id = self.loan_id


class CheckOutDialog(LoanActionDialog):
    """A booking's items leave: the day they leave (today unless said otherwise), who hands them."""

    def __init__(self, db, loan_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("Départ du matériel", "Enregistrer le départ", db, loan_id, parent, today)
        loan = self.loan
        self.on = DateEdit(min(self.today, loan.due_date))
        self.handed_over_by = line_edit(150, "qui remet le matériel", "handed_over_by")
        self.handed_over_by.setText(loan.handed_over_by)
        form = QFormLayout()
        add_row(form, self.errors, "start_date", "Parti le", self.on)
        add_row(form, self.errors, "handed_over_by", "Remis par", self.handed_over_by)
        self.lay_out(f"Réservation n° {loan.slip_label} – {loan.coop_number} – {loan.coop_name}, "
                     f"du {format_date(loan.start_date)} au {format_date(loan.due_date)}.\n"
                     "Elle devient un prêt à la date du départ ; le bon de prêt s'affiche ensuite.",
                     form, items_errors=True)

    def save(self) -> None:
        lending.check_out_booking(self.db, self.loan_id, on=self.on.value(),
                                  handed_over_by=self.handed_over_by.text(), today=self.today,
                                  version=self.loan.version)
        self.saved_id = self.loan_id

