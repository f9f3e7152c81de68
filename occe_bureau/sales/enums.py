"""The codes of the sales domain: what is sold, the life of an order, who pays and how, why
stock moves, and the kinds of invoice.

Each is a StrEnum whose member equals the code stored in the database; the CHECK constraints
of the models are generated from the members, and every French label comes from here. No
database, no rules: the documents and the widgets import these too.
"""

from __future__ import annotations

from enum import StrEnum

AGENDA_CYCLES = (1, 2, 3)


class ProductKind(StrEnum):
    AGENDA = "agenda"
    BOOK = "livre"
    KIT = "kit"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return {"agenda": "Agenda coopératif", "livre": "Livre", "kit": "Kit",
                "autre": "Autre"}[self.value]


class OrderState(StrEnum):
    ORDERED = "commandee"
    DELIVERED = "livree"
    PAID = "payee"
    CANCELLED = "annulee"

    @property
    def label(self) -> str:
        return {"commandee": "Commandée", "livree": "Livrée", "payee": "Payée",
                "annulee": "Annulée"}[self.value]


class PayerKind(StrEnum):
    COOP = "coop"
    TOWN_HALL = "mairie"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return {"coop": "La coopérative", "mairie": "Mairie", "autre": "Autre payeur"}[self.value]

    @property
    def is_public_body(self) -> bool:
        """A town hall pays only an invoice deposited on Chorus Pro."""
        return self is PayerKind.TOWN_HALL


class PaymentMethod(StrEnum):
    CHEQUE = "cheque"
    VIREMENT = "virement"
    ESPECES = "especes"
    MANDAT = "mandat"

    @property
    def label(self) -> str:
        return {"cheque": "Chèque", "virement": "Virement", "especes": "Espèces",
                "mandat": "Mandat administratif"}[self.value]

    def described(self, reference: str) -> str:
        """As a payment receipt lists it: "Chèque n° 1234567", "Virement réf. …"."""
        if not reference:
            return self.label
        if self is PaymentMethod.CHEQUE:
            return f"Chèque n° {reference}"
        if self is PaymentMethod.MANDAT:
            return f"Mandat administratif n° {reference}"
        return f"{self.label} réf. {reference}"


class MovementReason(StrEnum):
    RECEIVED = "reception"
    SALE = "vente"
    RETURN = "retour"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        return {"reception": "Réception", "vente": "Vente", "retour": "Retour",
                "correction": "Correction d'inventaire"}[self.value]


class InvoiceKind(StrEnum):
    INVOICE = "facture"
    CREDIT_NOTE = "avoir"

    @property
    def label(self) -> str:
        return {"facture": "Facture", "avoir": "Avoir"}[self.value]

    @property
    def prefix(self) -> str:
        """The series' letters: "F2026-0001", "AV2026-0001"."""
        return {"facture": "F", "avoir": "AV"}[self.value]


def agenda_name(cycle: int, edition_year: int) -> str:
    """"Agenda coopératif cycle 2 – édition 2025-2026"."""
    return f"Agenda coopératif cycle {cycle} – édition {edition_year}-{edition_year + 1}"
