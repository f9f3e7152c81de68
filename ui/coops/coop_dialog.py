"""Create or edit a coop: identity on the left, one school year's figures on the right,
the history of every year below. All is saved together, or nothing."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from occe_bureau.db import Database
from occe_bureau.formats import format_date, format_int, format_money, school_year_label, school_year_of
from occe_bureau import coops as svc
from occe_bureau.validation import ValidationError
from ui.shell.history_dialog import history_button
from ui.shell.forms import FormDialog, MoneyEdit, OptionalDateEdit, add_row, line_edit, text_area
from occe_bureau import clock


class CoopDialog(FormDialog):
    def __init__(self, db: Database, coop_id: int | None, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier la coopérative" if coop_id else "Nouvelle coopérative", parent)
        self.db = db
        self.coop_id = coop_id
        self.saved_number = ""
        self.detail = svc.get_coop(db, coop_id) if coop_id else None
        self.years: dict[int, svc.YearData] = dict(self.detail.years) if self.detail else {}
        self.touched: set[int] = set()

        # identity -------------------------------------------------------------------------
        pattern = svc.number_pattern(db)  # the example follows the association's pattern
        self.number = line_edit(20, f"ex. {svc.example_number(pattern) if pattern else '92-0145'}", "number")
        self.name = line_edit(150, "ex. École maternelle Jean Jaurès", "name")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem("— choisir —", None)
        for kind in svc.CoopKind:
            label = kind.label
            self.kind.addItem(label, kind)
        self.uai = line_edit(8, "7 chiffres et une lettre", "uai")
        self.address = line_edit(200, "", "address")
        self.postal_code = line_edit(5, "", "postal_code")
        self.commune = line_edit(100, "", "commune")
        self.circonscription = QComboBox()
        self.circonscription.setEditable(True)
        self.circonscription.setObjectName("circonscription")
        self.circonscription.addItems([""] + svc.circonscriptions(db))
        self.mandataire_name = line_edit(150, "Prénom Nom", "mandataire_name")
        self.mandataire_email = line_edit(200, "nom@ac-academie.fr", "mandataire_email")
        self.mandataire_phone = line_edit(30, "", "mandataire_phone")
        self.director = line_edit(150, "", "director")
        self.notes = text_area()
        self.notes.setObjectName("notes")

        identity = QFormLayout()
        for name, label, widget in (
            ("number", "Numéro OCCE *", self.number), ("name", "Nom *", self.name),
            ("kind", "Type *", self.kind), ("uai", "UAI", self.uai), ("address", "Adresse", self.address),
            ("postal_code", "Code postal", self.postal_code), ("commune", "Commune", self.commune),
            ("circonscription", "Circonscription", self.circonscription),
            ("mandataire_name", "Mandataire", self.mandataire_name),
            ("mandataire_email", "E-mail du mandataire", self.mandataire_email),
            ("mandataire_phone", "Téléphone du mandataire", self.mandataire_phone),
            ("director", "Directeur ou directrice", self.director), ("notes", "Notes", self.notes),
        ):
            add_row(identity, self.errors, name, label, widget)
        identity_box = QGroupBox("La coopérative")
        identity_box.setLayout(identity)

        # one year -----------------------------------------------------------------------------
        self.year_combo = QComboBox()
        current = school_year_of(clock.today())
        for y in sorted(set(self.years) | {current, current - 1, year}, reverse=True):
            self.year_combo.addItem(school_year_label(y), y)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        self._shown_year = year
        self.classes = self._count_edit("classes")
        self.pupils = self._count_edit("pupils")
        self.adults = self._count_edit("adults")
        self.members = QLabel()
        for edit in (self.pupils, self.adults):
            edit.textChanged.connect(self._update_members)
        self.cotisation_due = MoneyEdit()
        self.cotisation_paid = MoneyEdit()
        self.cotisation_paid_on = OptionalDateEdit(label="payée le")
        self.cra = OptionalDateEdit(label="reçu le")
        self.crf = OptionalDateEdit(label="reçu le")
        self.quitus = OptionalDateEdit(label="donné le")
        self.control_reason = QLineEdit()
        self.control_reason.setPlaceholderText("ex. bilan papier, pas de quitus, solde élevé…")
        self.control_on = OptionalDateEdit(label="le")
        self.control_outcome = QLineEdit()

        year_form = QFormLayout()
        year_form.addRow("Année scolaire", self.year_combo)
        for name, label, widget in (
            ("classes", "Classes", self.classes), ("pupils", "Élèves", self.pupils),
            ("adults", "Adultes", self.adults),
        ):
            add_row(year_form, self.errors, name, label, widget)
        year_form.addRow("Adhérents", self.members)
        for name, label, widget in (
            ("cotisation_due", "Cotisation due (€)", self.cotisation_due),
            ("cotisation_paid", "Cotisation payée (€)", self.cotisation_paid),
            ("cotisation_paid_on", "", self.cotisation_paid_on),
            ("cra_received_on", "Compte rendu d'activités", self.cra),
            ("crf_received_on", "Compte rendu financier", self.crf),
            ("quitus_on", "Quitus", self.quitus),
            ("control_reason", "Contrôle : motif", self.control_reason),
            ("control_on", "Contrôle : date", self.control_on),
            ("control_outcome", "Contrôle : suite", self.control_outcome),
        ):
            add_row(year_form, self.errors, name, label, widget)
        year_box = QGroupBox("Chiffres et obligations de l'année")
        year_box.setLayout(year_form)
        self.year_combo.currentIndexChanged.connect(self._year_changed)

        # history ----------------------------------------------------------------------------
        self.history = QTableWidget(0, 8)
        self.history.setHorizontalHeaderLabels(
            ["Année", "Classes", "Élèves", "Adultes", "Adhérents", "Cotisation", "CRA / CRF", "Contrôle"])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setMinimumHeight(110)
        self.history.horizontalHeader().setStretchLastSection(True)

        columns = QHBoxLayout()
        columns.addWidget(identity_box, 3)
        columns.addWidget(year_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(QLabel("Historique des années"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.general_error)
        history_button(self, self.buttons, db, "coop", coop_id, lambda: f"{self.detail.data.number} {self.detail.data.name}")
        layout.addWidget(self.buttons)

        if self.detail:
            self._fill_identity(self.detail.data)
        self._show_year(year)
        self._fill_history()
        self.resize(1100, 760)

    def _count_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        return edit

    def _update_members(self) -> None:
        try:
            pupils, adults = int(self.pupils.text() or 0), int(self.adults.text() or 0)
        except ValueError:
            pupils = adults = -1
        self.members.setText(format_int(pupils + adults) if pupils >= 0 and adults >= 0 else "—")

    # -- filling --------------------------------------------------------------------------------
    def _fill_identity(self, d: svc.CoopData) -> None:
        self.number.setText(d.number)
        self.name.setText(d.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        self.uai.setText(d.uai)
        self.address.setText(d.address)
        self.postal_code.setText(d.postal_code)
        self.commune.setText(d.commune)
        self.circonscription.setCurrentText(d.circonscription)
        self.mandataire_name.setText(d.mandataire_name)
        self.mandataire_email.setText(d.mandataire_email)
        self.mandataire_phone.setText(d.mandataire_phone)
        self.director.setText(d.director)
        self.notes.setPlainText(d.notes)

    def _show_year(self, year: int, edited: svc.YearData | None = None) -> None:
        y = edited or self.years.get(year, svc.YearData())
        self.classes.setText(str(y.classes) if y.classes not in ("", 0) else "")
        self.pupils.setText(str(y.pupils) if y.pupils not in ("", 0) else "")
        self.adults.setText(str(y.adults) if y.adults not in ("", 0) else "")
        self._update_members()
        self.cotisation_due.set_cents(y.cotisation_due_cents)
        self.cotisation_paid.set_cents(y.cotisation_paid_cents)
        self.cotisation_paid_on.set_value(y.cotisation_paid_on)
        self.cra.set_value(y.cra_received_on)
        self.crf.set_value(y.crf_received_on)
        self.quitus.set_value(y.quitus_on)
        self.control_reason.setText(y.control_reason)
        self.control_on.set_value(y.control_on)
        self.control_outcome.setText(y.control_outcome)
        self._shown_year = year
        if edited is None:
            self._original_year = self._read_year(raise_money=False)

    def _fill_history(self) -> None:
        years = sorted(self.years.items(), reverse=True)
        self.history.setRowCount(len(years))
        for r, (year, y) in enumerate(years):
            pupils, adults = int(y.pupils or 0), int(y.adults or 0)
            cotisation = ("payée" if y.cotisation_paid_cents >= y.cotisation_due_cents > 0 else
                          f"due {format_money(y.cotisation_due_cents - y.cotisation_paid_cents)}"
                          if y.cotisation_due_cents else "—")
            docs = f"{format_date(y.cra_received_on) or 'manquant'} / {format_date(y.crf_received_on) or 'manquant'}"
            control = f"{y.control_reason} ({format_date(y.control_on)})" if y.control_reason else ""
            values = [school_year_label(year), format_int(int(y.classes or 0)), format_int(pupils),
                      format_int(adults), format_int(pupils + adults), cotisation, docs, control]
            for c, value in enumerate(values):
                self.history.setItem(r, c, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()

    # -- reading ------------------------------------------------------------------------------
    def _identity(self) -> svc.CoopData:
        return svc.CoopData(
            number=self.number.text(), name=self.name.text(), kind=self.kind.currentData(),
            uai=self.uai.text(), address=self.address.text(), postal_code=self.postal_code.text(),
            commune=self.commune.text(), circonscription=self.circonscription.currentText(),
            mandataire_name=self.mandataire_name.text(), mandataire_email=self.mandataire_email.text(),
            mandataire_phone=self.mandataire_phone.text(), director=self.director.text(),
            notes=self.notes.toPlainText(),
        )

    def _read_year(self, raise_money: bool = True) -> svc.YearData:
        money_errors = {}
        amounts = {}
        for name, edit in (("cotisation_due", self.cotisation_due), ("cotisation_paid", self.cotisation_paid)):
            try:
                amounts[name] = edit.cents()
            except ValueError as exc:
                money_errors[name] = str(exc)
                amounts[name] = 0
        if money_errors and raise_money:
            raise ValidationError(money_errors)
        return svc.YearData(
            classes=self.classes.text(), pupils=self.pupils.text(), adults=self.adults.text(),
            cotisation_due_cents=amounts["cotisation_due"],
            cotisation_paid_cents=amounts["cotisation_paid"],
            cotisation_paid_on=self.cotisation_paid_on.value(), cra_received_on=self.cra.value(),
            crf_received_on=self.crf.value(), quitus_on=self.quitus.value(),
            control_reason=self.control_reason.text(), control_on=self.control_on.value(),
            control_outcome=self.control_outcome.text(),
        )

    def _keep_shown_year(self) -> None:
        data = self._read_year()
        if data != self._original_year:
            self.years[self._shown_year] = data
            self.touched.add(self._shown_year)

    def _year_changed(self, _index: int) -> None:
        try:
            self._keep_shown_year()
        except ValidationError as err:
            self.errors.show(err.errors)
            self.year_combo.blockSignals(True)
            self.year_combo.setCurrentIndex(self.year_combo.findData(self._shown_year))
            self.year_combo.blockSignals(False)
            return
        self.errors.clear()
        self._show_year(self.year_combo.currentData())

    def reload(self) -> None:
        """The coop as saved now (its identity, every year), the year shown kept."""
        self.detail = svc.get_coop(self.db, self.coop_id)
        self.years = dict(self.detail.years)
        self.touched = set()
        self._fill_identity(self.detail.data)
        self._show_year(self._shown_year)
        self._fill_history()

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        self._keep_shown_year()
        # A mistake in a year that is not on screen: show that year, with its messages.
        for year in sorted(self.touched):
            _clean, year_errors = svc.check_year(self.years[year])
            if year_errors and year != self._shown_year:
                self.year_combo.blockSignals(True)
                self.year_combo.setCurrentIndex(self.year_combo.findData(year))
                self.year_combo.blockSignals(False)
                self._show_year(year, self.years[year])
                raise ValidationError(year_errors)
        identity = self._identity()
        years = {y: self.years[y] for y in self.touched}
        if self.coop_id:
            svc.update_coop(self.db, self.coop_id, identity, years, version=self.detail.version,
                            year_versions=self.detail.year_versions)
            self.saved_id = self.coop_id
        else:
            self.saved_id = svc.create_coop(self.db, identity, years)
        self.saved_number = " ".join(identity.number.split())



