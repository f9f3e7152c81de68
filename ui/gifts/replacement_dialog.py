"""Annuler et remplacer: the secretary corrects the donor or the gift first; the receipt is
then cancelled and its replacement issued with the corrected details (one core call)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from occe_bureau import gifts
from occe_bureau.db import Database
from occe_bureau.formats import format_money
from occe_bureau.gifts import PaymentMethod
from ui.gifts.donor_dialog import DonorFields
from ui.shell.forms import DateEdit, FormDialog, add_row, line_edit


class ReplacementDialog(FormDialog):
    """The receipt's donor (and its gift, for the receipt of one gift), ready to correct."""

    def __init__(self, db: Database, receipt_id: int, reason: str,
                 parent: QWidget | None = None) -> None:
        self.draft = gifts.replacement_draft(db, receipt_id)
        super().__init__(f"Annuler et remplacer le reçu n° {self.draft.number}", parent,
                         save_text="Annuler et émettre le remplaçant")
        self.db = db
        self.reason = reason
        self.cancel_button.setText("Ne rien annuler")  # beside "Annuler et émettre…"
        intro = QLabel(
            f"Le reçu n° {self.draft.number} sera annulé (motif : {reason}) et conservé. "
            "Corrigez d'abord ci-dessous le donateur ou le don : le reçu de remplacement, avec "
            "un nouveau numéro, reprendra ces informations.")
        intro.setObjectName("replacement_intro")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.donor = DonorFields(form, self.errors, self.draft.donor)
        self.gift_fields: dict[str, QWidget] = {}
        if self.draft.gift is not None:
            self._add_gift_rows(form, self.draft.gift)
        else:
            form.addRow(QLabel("Reçu récapitulatif : ses dons se corrigent un à un (retirer un "
                               "don saisi par erreur) ; le remplaçant reprend les dons restants."))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(600, 620)

    def _add_gift_rows(self, form: QFormLayout, gift: gifts.DonationData) -> None:
        amount = line_edit(20, "0,00", "amount")
        amount.setText(format_money(gift.amount, symbol=False))
        received = DateEdit(gift.received_on)
        received.setObjectName("received_on")
        method = QComboBox()
        method.setObjectName("method")
        for m in (PaymentMethod.CHEQUE, PaymentMethod.ESPECES, PaymentMethod.VIREMENT):
            method.addItem(m.label, m.value)
        method.setCurrentIndex(max(0, method.findData(gift.method)))
        cheque = line_edit(30, "", "cheque_number")
        cheque.setText(gift.cheque_number)
        for name, label, widget in (("amount", "Montant du don (€) *", amount),
                                    ("received_on", "Date du don *", received),
                                    ("method", "Mode de paiement", method),
                                    ("cheque_number", "N° de chèque", cheque)):
            self.gift_fields[name] = widget
            add_row(form, self.errors, name, label, widget)

    def gift_data(self) -> gifts.DonationData | None:
        if not self.gift_fields:
            return None
        f = self.gift_fields
        return gifts.DonationData(amount=f["amount"].text(), received_on=f["received_on"].value(),
                                  method=f["method"].currentData(),
                                  cheque_number=f["cheque_number"].text())

    def save(self) -> None:
        self.saved_id = gifts.cancel_and_replace(self.db, self.draft.receipt_id, self.reason,
                                                 self.donor.data(), self.gift_data(),
                                                 opened=self.draft)

    def reload(self) -> None:
        """The donor and the gift as saved now, with their versions."""
        self.draft = gifts.replacement_draft(self.db, self.draft.receipt_id)
        self.donor.fill(self.draft.donor)
        gift, f = self.draft.gift, self.gift_fields
        if gift is not None and f:
            f["amount"].setText(format_money(gift.amount, symbol=False))
            f["received_on"].set_value(gift.received_on)
            f["method"].setCurrentIndex(max(0, f["method"].findData(gift.method)))
            f["cheque_number"].setText(gift.cheque_number)
