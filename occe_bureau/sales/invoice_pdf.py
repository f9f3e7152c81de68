"""The printed papers of the sales domain: the invoice (FACTURE) and the credit note (AVOIR) with
every mention French law requires of them, the payment receipt and the reminder letter.

Plain data in (the dataclasses below, owned here and built by the sales core from its orders),
PDF bytes out. The documents lay the data out and compute no rule: totals, due dates and
numbers come in already decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass
from datetime import date
from enum import StrEnum

from occe_bureau.printing import Letterhead


class DocumentKind(StrEnum):
    """What the paper is."""

    INVOICE = "facture"
    CREDIT_NOTE = "avoir"

    @property
    def label(self) -> str:
        return {"facture": "Facture", "avoir": "Avoir"}[self.value]

    @property
    def title(self) -> str:
        return self.label.upper()


@dataclass(frozen=True)
class Party:
    name: str
    address_lines: tuple[str, ...]   # street lines
    postcode: str
    city: str
    country_code: str = "FR"
    siren: str = ""                  # 9 digits
    siret: str = ""                  # 14 digits
    rna: str = ""                    # W + 9 digits (the association's)
    email: str = ""
    is_public_body: bool = False     # a town hall or other public payer: Chorus Pro
    service_code: str = ""           # Chorus Pro "code service"
    commitment_number: str = ""      # "numéro d'engagement"


@dataclass(frozen=True)
class InvoiceLine:
    description: str                 # e.g. "Agenda coopératif cycle 2 – édition 2025-2026"
    quantity: int                    # > 0
    unit_price_cents: int
    total_cents: int                 # quantity × unit price, computed by the core


@dataclass(frozen=True)
class InvoiceDocument:
    kind: DocumentKind
    number: str                      # "F2025-0001" / "AV2025-0001", unbroken per year
    issue_date: date
    seller: Party                    # the association
    buyer: Party                     # the payer (coop, town hall, other)
    lines: tuple[InvoiceLine, ...]
    total_cents: int                 # sum of lines (no VAT: associations are exempt)
    vat_mention: str                 # from Réglages, "TVA non applicable, art. 261-7-1° b du CGI"
    due_date: date
    payment_terms: str               # "Paiement à 30 jours par virement, chèque ou mandat administratif"
    late_penalty_text: str           # "Pénalités de retard : 3 fois le taux d'intérêt légal"
    recovery_indemnity: bool         # True for a professional or public buyer: the fixed 40 € mention
    order_number: str                # "C2025-0042"
    delivered_to: str                # the coop the goods are for
    bank_details: str = ""           # IBAN/BIC line from Réglages, "" if none
    credited_number: str = ""        # for a credit note: the invoice it cancels
    credited_date: date | None = None
    cancel_reason: str = ""          # for a credit note
    _: KW_ONLY
    letterhead: Letterhead           # keyword only, required: occe_bureau.printing.Letterhead


@dataclass(frozen=True)
class PaymentReceiptDocument:
    """"Reçu de paiement" (acquit), once an invoice is paid."""

    number: str                      # the invoice number it acquits
    issue_date: date
    seller: Party
    buyer: Party
    invoice_number: str
    invoice_date: date
    total_cents: int
    payments: tuple[tuple[date, str, int], ...]   # (date, "Chèque n° 1234567", cents)
    letterhead: Letterhead


@dataclass(frozen=True)
class ReminderDocument:
    """"Relance" for an overdue invoice."""

    issue_date: date
    seller: Party
    buyer: Party
    invoice_number: str
    invoice_date: date
    due_date: date
    total_cents: int
    paid_cents: int
    days_overdue: int
    letterhead: Letterhead


def invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The invoice or the credit note, as one PDF."""
    return invoices_pdf([doc])


def invoices_pdf(docs: Iterable[InvoiceDocument],
                 progress: Callable[[int, int], bool] | None = None) -> bytes:
    """One PDF for a batch, each document on its own pages; progress(done, total) returning
    False cancels (returns b"")."""
    raise NotImplementedError("en cours d'écriture (branche sales-docs)")


def payment_receipt_pdf(doc: PaymentReceiptDocument) -> bytes:
    raise NotImplementedError("en cours d'écriture (branche sales-docs)")


def reminder_pdf(doc: ReminderDocument) -> bytes:
    raise NotImplementedError("en cours d'écriture (branche sales-docs)")
