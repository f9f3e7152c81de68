"""Fichier ▸ Paramètres de l'association: identity printed on every document, and the
settings other capabilities declare (texts printed on slips, year boundaries…)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from occe_bureau.db import Database
from occe_bureau import association as svc
from occe_bureau.validation import ValidationError
from ui.shell import dialogs
from ui.shell.forms import FormDialog, add_row, line_edit, text_area


class ImagePicker(QWidget):
    """A PNG/JPEG kept as bytes, with a thumbnail, "Choisir…" and "Retirer"."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.data: bytes | None = None
        self.preview = QLabel("aucune image")
        self.preview.setFixedSize(180, 70)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #bbb; background: white;")
        choose = QPushButton("Choisir…")
        choose.clicked.connect(dialogs.guard(self, "le choix d'une image", self.choose))
        remove = QPushButton("Retirer")
        remove.clicked.connect(lambda: self.set_data(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addWidget(choose)
        layout.addWidget(remove)
        layout.addStretch(1)

    def choose(self) -> None:
        path = dialogs.ask_open_file(self, self.title, "Images (*.png *.jpg *.jpeg)")
        if path:
            self.set_data(Path(path).read_bytes())

    def set_data(self, data: bytes | None) -> None:
        self.data = data or None
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("aucune image" if not data else "image illisible")


class SettingsDialog(FormDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Paramètres de l'association", parent)
        self.db = db
        # The version first, read with the identity (see open_association), then the settings.
        current, self.version = svc.open_association(db)

        self.name = line_edit(200, "ex. OCCE – Association départementale des Hauts-de-Seine", "name")
        self.address = line_edit(300, "numéro et rue", "address")
        self.postal_code = line_edit(10, "", "postal_code")
        self.city = line_edit(100, "", "city")
        self.email = line_edit(200, "", "email")
        self.phone = line_edit(30, "", "phone")
        self.siren_rna = line_edit(20, "SIREN (9 chiffres) ou RNA (W + 9 chiffres)", "siren_rna")
        self.object = text_area(60)
        self.signatory_name = line_edit(200, "Prénom Nom", "signatory_name")
        self.signatory_title = line_edit(100, "ex. Présidente, Trésorier", "signatory_title")
        self.logo = ImagePicker("Logo de l'association")
        self.signature = ImagePicker("Signature scannée")

        form = QFormLayout()
        for name, label, widget in (
            ("name", "Nom de l'association *", self.name), ("address", "Adresse *", self.address),
            ("postal_code", "Code postal", self.postal_code), ("city", "Commune *", self.city),
            ("email", "E-mail", self.email), ("phone", "Téléphone", self.phone),
            ("siren_rna", "SIREN ou RNA", self.siren_rna), ("object", "Objet", self.object),
            ("signatory_name", "Signataire (nom) *", self.signatory_name),
            ("signatory_title", "Qualité du signataire", self.signatory_title),
            ("logo", "Logo", self.logo), ("signature", "Signature scannée", self.signature),
        ):
            add_row(form, self.errors, name, label, widget)
        identity = QWidget()
        identity.setLayout(form)

        self._fill_identity(current)

        # declared settings ------------------------------------------------------------------
        self.setting_widgets: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        others = QFormLayout()
        for key, definition in sorted(svc.declared_settings().items(), key=lambda kv: kv[1].label):
            if definition.choices:  # one of the proposals (the Cerfa's boxes…), never free text
                widget = QComboBox()
                # a long proposal does not widen the page (the list shows it whole)
                widget.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                widget.setMinimumContentsLength(40)
                for code, label in definition.choices:
                    widget.addItem(label, code)
            elif definition.multiline:
                widget = text_area(140)
            else:
                widget = QLineEdit()
            widget.setObjectName(key)
            self.setting_widgets[key] = widget
            add_row(others, self.errors, key, definition.label, widget)
            if definition.help:  # shown, not hidden in a tooltip: placeholders, CGI articles
                help_label = QLabel(definition.help)
                help_label.setObjectName(f"help_{key}")
                help_label.setWordWrap(True)
                help_label.setStyleSheet("color: #555;")
                others.addRow("", help_label)
        self._fill_settings()
        self._lay_out(identity, others)

    def _fill_identity(self, current: svc.AssociationData) -> None:
        self.name.setText(current.name)
        self.address.setText(current.address)
        self.postal_code.setText(current.postal_code)
        self.city.setText(current.city)
        self.email.setText(current.email)
        self.phone.setText(current.phone)
        self.siren_rna.setText(current.siren_rna)
        self.object.setPlainText(current.object)
        self.signatory_name.setText(current.signatory_name)
        self.signatory_title.setText(current.signatory_title)
        self.logo.set_data(current.logo)
        self.signature.set_data(current.signature)

    def _fill_settings(self) -> None:
        definitions = svc.declared_settings()
        for key, widget in self.setting_widgets.items():
            value = svc.setting_value(self.db, definitions[key])
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)

    def reload(self) -> None:
        """The association and its settings as saved now, and their version."""
        current, self.version = svc.open_association(self.db)
        self._fill_identity(current)
        self._fill_settings()

    def _lay_out(self, identity: QWidget, others: QFormLayout) -> None:
        settings_page = QWidget()
        settings_page.setLayout(others)
        scroll = QScrollArea()
        scroll.setWidget(settings_page)
        scroll.setWidgetResizable(True)

        self.pages = QTabWidget()
        self.pages.addTab(identity, "Association")
        if self.setting_widgets:
            self.pages.addTab(scroll, "Réglages")

        hint = QLabel("Ces informations figurent en tête et en signature de chaque document imprimé.")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.pages)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(760, 640)

    def data(self) -> svc.AssociationData:
        return svc.AssociationData(
            name=self.name.text(), address=self.address.text(), postal_code=self.postal_code.text(),
            city=self.city.text(), email=self.email.text(), phone=self.phone.text(),
            siren_rna=self.siren_rna.text(), object=self.object.toPlainText(),
            signatory_name=self.signatory_name.text(), signatory_title=self.signatory_title.text(),
            logo=self.logo.data, signature=self.signature.data,
        )

    def setting_values(self) -> dict[str, str]:
        return {key: (w.toPlainText() if isinstance(w, QPlainTextEdit)
                      else w.currentData() if isinstance(w, QComboBox) else w.text())
                for key, w in self.setting_widgets.items()}

    def save(self) -> None:
        try:
            svc.save_association_and_settings(self.db, self.data(), self.setting_values(),
                                              version=self.version)
        except ValidationError as err:
            identity_fields = {"name", "address", "postal_code", "city", "email", "phone", "siren_rna",
                               "object", "signatory_name", "signatory_title", "logo", "signature"}
            if self.setting_widgets and not identity_fields & set(err.errors):
                self.pages.setCurrentIndex(1)
            raise
