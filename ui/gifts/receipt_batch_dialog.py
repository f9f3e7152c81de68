"""The dialog of the batch issue of pending receipts (Dons et reçus tab)."""

from __future__ import annotations


from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QRadioButton, QVBoxLayout, QWidget,
)

from occe_bureau import gifts
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date
from occe_bureau.validation import ValidationError
from ui.gifts.donation_dialogs import coop_combo
from ui.shell.forms import DateEdit
from occe_bureau import clock


class BatchDialog(QDialog):
    """Which pending receipts to issue, and how to print them."""

    def __init__(self, db: Database, coop_id: int | None, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Émettre les reçus en attente")
        self.coop = coop_combo(db, all_label="Toutes les coopératives", include_archived=True)
        if coop_id:
            self.coop.setCurrentIndex(max(0, self.coop.findData(coop_id)))
        start_dm = gifts.financial_year_start(db)
        start, end = gifts.financial_year_bounds(year, start_dm)
        self.period_check = QCheckBox("Seulement les dons reçus pendant l'exercice")
        self.period_check.setChecked(False)
        self.start = DateEdit(start)
        self.end = DateEdit(min(end, clock.today()))
        self.summary_check = QCheckBox("Un reçu récapitulatif par donateur pour la période "
                                       "(au lieu d'un reçu par don)")
        self.summary_check.setToolTip("Pour un particulier, une année civile (l'impôt sur le revenu "
                                      "se déclare par année civile) ; pour une entreprise, une année "
                                      "civile ou un exercice.")
        self.summary_check.toggled.connect(self._offer_calendar_year)
        self.one_pdf = QRadioButton("Un seul PDF, pour l'imprimante")
        self.per_donor = QRadioButton("Un PDF par donateur dans un dossier (envoi par e-mail)")
        self.one_pdf.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.one_pdf)
        group.addButton(self.per_donor)
        self.count_label = QLabel()
        self.count_label.setObjectName("batch_count")
        for widget in (self.coop, ):
            widget.currentIndexChanged.connect(lambda _i: self._count())
        for check in (self.period_check, self.summary_check):
            check.toggled.connect(lambda _c: self._count())
        self.start.dateChanged.connect(lambda _d: self._count())
        self.end.dateChanged.connect(lambda _d: self._count())

        form = QFormLayout()
        form.addRow("Coopérative", self.coop)
        form.addRow("", self.period_check)
        period = QHBoxLayout()
        period.addWidget(QLabel("du"))
        period.addWidget(self.start)
        period.addWidget(QLabel("au"))
        period.addWidget(self.end)
        period.addStretch(1)
        form.addRow("Période", period)
        form.addRow("", self.summary_check)
        output = QGroupBox("Impression")
        out_layout = QVBoxLayout(output)
        out_layout.addWidget(self.one_pdf)
        out_layout.addWidget(self.per_donor)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Émettre et imprimer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(output)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self._count()

    def _offer_calendar_year(self, summary: bool) -> None:
        """A summary receipt is offered for the last calendar year ended (the dates can be
        changed: a period inside one financial year stays possible for companies)."""
        if summary:
            start, end = gifts.default_summary_period()
            self.start.set_value(start)
            self.end.set_value(end)

    def selection(self) -> gifts.BatchSelection:
        use_period = self.period_check.isChecked() or self.summary_check.isChecked()
        return gifts.BatchSelection(
            coop_id=self.coop.currentData(),
            start=self.start.value() if use_period else None,
            end=self.end.value() if use_period else None,
            summary=self.summary_check.isChecked())

    def _count(self) -> None:
        # The dates count only when a period is asked for (or for summaries): otherwise they
        # are greyed out, and the count is that of every pending gift of the selection.
        use_period = self.period_check.isChecked() or self.summary_check.isChecked()
        self.start.setEnabled(use_period)
        self.end.setEnabled(use_period)
        try:
            count = gifts.pending_count(self.db, self.selection())
        except ValidationError as err:
            self.count_label.setText("\n".join(err.errors.values()))
            self.ok_button.setEnabled(False)
            return
        sel = self.selection()
        scope = (f" pour les dons du {format_date(sel.start)} au {format_date(sel.end)}"
                 if sel.start else " (tous les dons en attente, quelle que soit leur date)")
        self.count_label.setText(f"<b>{counted(count, 'reçu à émettre', 'reçus à émettre')}</b>{scope}. Les numéros sont "
                                 "attribués à l'émission ; si vous interrompez, aucun reçu n'est émis.")
        self.ok_button.setEnabled(count > 0)
