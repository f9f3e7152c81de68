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
from occe_bureau.validation import ValidationError
from ui.shell import dialogs
from ui.shell.history_dialog import history_button


class DonorFields:
    """A donor's fields added to a form, each with its error line, filled from `data`."""

    def __init__(self, form: QFormLayout, errors, data: gifts.DonorData) -> None:
        from ui.shell.forms import add_row, line_edit, text_area

        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in DonorKind:
            self.kind.addItem(f"{kind.label} ({kind.cerfa})", kind.value)
        self.kind.setCurrentIndex(self.kind.findData(data.kind))
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
        self.donor = DonorFields(form, self.errors, gifts.get_donor(db, donor_id))
        self.kind = self.donor.kind
        self.fields = self.donor.fields
        note = QLabel("Les reçus déjà émis gardent l'ancienne adresse (ils sont figés). Pour un reçu "
                      "faux, annulez-le : son remplaçant prendra ces nouvelles coordonnées.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Enregistrer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(dialogs.guard(self, "l'enregistrement du donateur", self.save))
        buttons.rejected.connect(self.reject)
        history_button(self, buttons, db, "donor", donor_id, "le donateur")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 440)

    def data(self) -> gifts.DonorData:
        return self.donor.data()

    def save(self) -> None:
        try:
            gifts.update_donor(self.db, self.donor_id, self.data())
        except ValidationError as err:
            self.errors.show(err.errors)
            return
        self.accept()

    def error_text(self, field: str) -> str:
        return self.errors.message(field)
