"""The dialog that corrects a donor (Dons et reçus tab), and the donor's fields it shares
with the correction made before a replacement receipt (ui.gifts.replacement_dialog)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from occe_bureau import gifts
from occe_bureau.db import Database
from occe_bureau.gifts import DonorKind
from occe_bureau.validation import StaleRecord, ValidationError
from ui.shell import dialogs
from ui.shell.forms import ERROR_STYLE
from ui.shell.history_dialog import history_button


class DonorFields:
    """A donor's fields added to a form, each with its error line, filled from `data`."""

    def __init__(self, form: QFormLayout, errors, data: gifts.DonorData) -> None:
        from ui.shell.forms import add_row, line_edit, text_area

        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in DonorKind:
            self.kind.addItem(f"{kind.label} ({kind.cerfa})", kind.value)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        add_row(form, errors, "kind", "Donateur", self.kind)
        for name, label, length in (("last_name", "Nom", 100), ("first_names", "Prénoms", 150),
                                    ("company_name", "Raison sociale", 200), ("siren", "SIREN", 14),
                                    ("legal_form", "Forme juridique", 60)):
            self.fields[name] = line_edit(length, "", name)
            add_row(form, errors, name, label, self.fields[name])
        self.fields["address"] = text_area(54)
        self.fields["address"].setObjectName("address")
        add_row(form, errors, "address", "Adresse *", self.fields["address"])
        for name, label, length in (("postal_code", "Code postal *", 12), ("city", "Commune *", 100),
                                    ("country", "Pays (hors France)", 60), ("email", "E-mail", 200)):
            self.fields[name] = line_edit(length, "", name)
            add_row(form, errors, name, label, self.fields[name])
        self.fill(data)

    def fill(self, data: gifts.DonorData) -> None:
        self.kind.setCurrentIndex(self.kind.findData(data.kind))
        for name, widget in self.fields.items():
            value = getattr(data, name)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)

    def data(self) -> gifts.DonorData:
        values = {name: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
                  for name, w in self.fields.items()}
        return gifts.DonorData(kind=self.kind.currentData(), **values)


class DonorDialog(QDialog):
    """Correct a donor (a move, a typo). Receipts already issued keep what they printed; a
    replacement receipt takes the corrected details."""

    def __init__(self, db: Database, donor_id: int, parent: QWidget | None = None) -> None:
        from ui.shell.forms import FieldErrors

        super().__init__(parent)
        self.db = db
        self.donor_id = donor_id
        self.setWindowTitle("Modifier le donateur")
        self.errors = FieldErrors()
        form = QFormLayout()
        data, self.version = gifts.open_donor(db, donor_id)
        self.donor = DonorFields(form, self.errors, data)
        self.kind = self.donor.kind
        self.fields = self.donor.fields
        note = QLabel("Les reçus déjà émis gardent l'ancienne adresse (ils sont figés). Pour un reçu "
                      "faux, annulez-le : son remplaçant prendra ces nouvelles coordonnées.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Enregistrer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.reload_button = buttons.addButton("Recharger la fiche",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.setObjectName("reload_record")
        self.reload_button.hide()
        self.reload_button.clicked.connect(
            dialogs.guard(self, "le rechargement du donateur", self.reload))
        buttons.accepted.connect(dialogs.guard(self, "l'enregistrement du donateur", self.save))
        buttons.rejected.connect(self.reject)
        history_button(self, buttons, db, "donor", donor_id, "le donateur")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 440)
        self._opened_values = self.errors.values()

    def data(self) -> gifts.DonorData:
        return self.donor.data()

    def save(self) -> None:
        self.general_error.hide()
        try:
            gifts.update_donor(self.db, self.donor_id, self.data(), version=self.version)
        except StaleRecord as err:  # changed since opened: the form stays, with its message
            self.errors.clear()
            self.general_error.setText(err.message)
            self.general_error.show()
            self.reload_button.setVisible(not err.gone)
            return
        except ValidationError as err:
            self.errors.show(err.errors)
            return
        self.accept()

    def reload(self) -> None:
        """The donor as saved now replaces the fields; what was typed stays shown under each
        field that differs (as in every form: ui.shell.forms.FormDialog)."""
        typed = {name: value for name, value in self.errors.values().items()
                 if value != self._opened_values.get(name)}  # what the user changed
        data, self.version = gifts.open_donor(self.db, self.donor_id)
        self.donor.fill(data)
        self.errors.clear()
        now = self._opened_values = self.errors.values()
        self.errors.show_typed({n: v for n, v in typed.items() if now.get(n) != v})
        self.reload_button.hide()
        self.general_error.setText("La fiche a été rechargée avec ses nouvelles valeurs. Ce que "
                                   "vous aviez saisi est rappelé sous les champs qui diffèrent.")

    def error_text(self, field: str) -> str:
        return self.errors.message(field)
