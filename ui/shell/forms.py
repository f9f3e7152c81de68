"""Form helpers: a field with its French error label underneath, date/money fields, and the
form dialog that saves through one service call."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget,
)

from occe_bureau.formats import format_money, parse_money
from occe_bureau.validation import StaleRecord, ValidationError
from occe_bureau import clock

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"
TYPED_STYLE = "color: #7a4d00;"


def shown_value(widget: QWidget) -> str | None:
    """What a field shows, as text (None for a widget that is not a plain field)."""
    if isinstance(widget, OptionalDateEdit):
        return widget.edit.date().toString("dd/MM/yyyy") if widget.check.isChecked() else ""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("dd/MM/yyyy")
    if isinstance(widget, QCheckBox):
        return "oui" if widget.isChecked() else "non"
    return None


class FieldErrors:
    """Maps field names to their widgets and shows each service message under its field."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def wrap(self, name: str, widget: QWidget) -> QWidget:
        """The widget with an (initially hidden) error label below it, for a form row."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(widget)
        label = QLabel()
        label.setObjectName(f"error_{name}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        layout.addWidget(label)
        self._labels[name] = label
        self._widgets[name] = widget
        return box

    def clear(self) -> None:
        for name, label in self._labels.items():
            label.clear()
            label.hide()
            self._widgets[name].setStyleSheet("")

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show each message at its field; returns the messages that have no field here."""
        self.clear()
        orphans = []
        first = None
        for name, message in errors.items():
            label = self._labels.get(name)
            if label is None:
                orphans.append(message)
                continue
            label.setText(message)
            label.setStyleSheet(ERROR_STYLE)
            label.show()
            self._widgets[name].setStyleSheet(INVALID_STYLE)
            first = first or self._widgets[name]
        if first is not None:
            first.setFocus()
        return orphans

    def message(self, name: str) -> str:
        label = self._labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def values(self) -> dict[str, str]:
        """What each plain field shows now, by field name."""
        found = {name: shown_value(widget) for name, widget in self._widgets.items()}
        return {name: value for name, value in found.items() if value is not None}

    def show_typed(self, typed: dict[str, str]) -> None:
        """Under each field, what the user had typed there (after a reload that replaced it)."""
        for name, value in typed.items():
            label = self._labels.get(name)
            if label is None:
                continue
            shown = value if len(value) <= 200 else value[:200] + "…"
            label.setText(f"Vous aviez saisi : « {shown} »" if value else
                          "Vous aviez laissé ce champ vide.")
            label.setStyleSheet(TYPED_STYLE)
            label.show()


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a tick box, then the date (jj/mm/aaaa)."""

    def __init__(self, parent: QWidget | None = None, *, label: str = "") -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setDate(QDate(clock.today()))
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setDate(QDate(value) if value else QDate(clock.today()))


class DateEdit(QDateEdit):
    """A required date in French format."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setDate(QDate(value) if value else QDate(clock.today()))

    def value(self) -> date:
        return self.date().toPython()

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value))


class MoneyEdit(QLineEdit):
    """Euros typed the French way ("12,50"); `cents()` raises ValueError in French."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("0,00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def cents(self) -> int:
        text = self.text().strip()
        return parse_money(text) if text else 0

    def set_cents(self, cents: int) -> None:
        self.setText(format_money(cents, symbol=False) if cents else "")


def line_edit(max_length: int, placeholder: str = "", name: str = "") -> QLineEdit:
    edit = QLineEdit()
    # A little more than the limit, so the service (not a silent cut) says what is too long.
    edit.setMaxLength(max_length + 50)
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setObjectName(name)
    return edit


def text_area(height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    edit.setTabChangesFocus(True)
    return edit


def add_row(form: QFormLayout, errors: FieldErrors, name: str, label: str, widget: QWidget) -> None:
    form.addRow(label, errors.wrap(name, widget))


class FormDialog(QDialog):
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
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.reload_button = self.buttons.addButton("Recharger la fiche",
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.setObjectName("reload_record")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self._reload_clicked)
        self.saved_id: int | None = None
        self.stale = False  # a save found the record changed since the form was opened
        self.doing = f"l'enregistrement : {title.lower()}"
        self._opened_with: list[object] | None = None
        self._opened_values: dict[str, str] = {}

    # -- leaving without saving -----------------------------------------------------------------
    def _entries(self) -> list[object]:
        """What every field of the form holds now."""
        values: list[object] = []
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                values.append(widget.toPlainText())
            elif isinstance(widget, QDateEdit):
                values.append(widget.date().toString(Qt.DateFormat.ISODate))
            elif isinstance(widget, QCheckBox):
                values.append(widget.isChecked())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentIndex())
        return values

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._opened_with is None:
            self._opened_with = self._entries()
            self._opened_values = self.errors.values()

    def has_changes(self) -> bool:
        return self._opened_with is not None and self._entries() != self._opened_with

    def may_leave(self) -> bool:
        """Annuler, Échap or the window's cross on a form with something typed asks first."""
        from ui.shell import dialogs

        return not self.has_changes() or dialogs.ask_confirm(
            self, "Fermer sans enregistrer ?",
            "Ce qui a été saisi dans ce formulaire n'est pas enregistré et sera perdu.",
            yes="Fermer sans enregistrer", no="Continuer la saisie")

    def _cancel_clicked(self) -> None:
        if self.may_leave():
            self.reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self._cancel_clicked()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.spontaneous() and not self.may_leave():
            event.ignore()
            return
        super().closeEvent(event)

    def _save_clicked(self) -> None:
        from ui.shell.dialogs import guarded

        self.general_error.hide()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.reload_button.hide()
        self.errors.clear()
        with guarded(self, self.doing):
            try:
                self.save()
            except StaleRecord as err:
                self.show_stale(err)
                return
            except ValidationError as err:
                self.show_errors(err.errors)
                return
            self.accept()

    # -- a record changed since the form was opened ---------------------------------------------
    def can_reload(self) -> bool:
        """Whether this form can read its record again (`reload`)."""
        return type(self).reload is not FormDialog.reload

    def reload(self) -> None:
        """Read the record again, show its new values and keep its new version (a form that
        edits a record gives it; the others close and let their list refresh)."""

    def show_stale(self, err: StaleRecord) -> None:
        """The form stays open with the message, and offers to read the record again."""
        self.stale = True
        self.general_error.setText(err.message)
        self.general_error.show()
        self.reload_button.setVisible(self.can_reload() and not err.gone)

    def _reload_clicked(self) -> None:
        """The record's new values replace the fields (so that a save cannot undo the change
        made meanwhile without seeing it); what the user had typed stays shown under each
        field that differs, to be typed again where it should win."""
        from ui.shell.dialogs import guarded

        typed = {name: value for name, value in self.errors.values().items()
                 if value != self._opened_values.get(name)}  # what the user changed
        with guarded(self, "le rechargement de la fiche"):
            try:
                self.reload()
            except StaleRecord as err:
                self.show_stale(err)
                return
            self.errors.clear()
            now = self.errors.values()
            differing = {name: value for name, value in typed.items() if now.get(name) != value}
            self.errors.show_typed(differing)
            self.reload_button.hide()
            self._opened_with = self._entries()
            self._opened_values = now
            self.general_error.setStyleSheet(TYPED_STYLE)
            self.general_error.setText(
                "La fiche a été rechargée avec ses nouvelles valeurs. "
                + ("Ce que vous aviez saisi est rappelé sous les champs qui diffèrent : reprenez "
                   "ce qui doit l'être, puis enregistrez." if differing else
                   "Vous n'aviez rien saisi qui en diffère."))
            self.general_error.show()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; the ones without a field on the general line."""
        orphans = self.errors.show(errors)
        if orphans:
            self.general_error.setText("\n".join(orphans))
            self.general_error.show()

    def save(self) -> None:
        """Each form saves here through its service; a ValidationError shows at the fields."""

    def error_text(self, field: str) -> str:
        message = self.errors.message(field)
        if not message and not self.general_error.isHidden():
            return self.general_error.text()
        return message
