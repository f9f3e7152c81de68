"""Invoices and credit notes: numbered in unbroken series per calendar year ("F2026-0001",
credit notes "AV2026-0001"), the number taken inside the issuing transaction (the kernel's
series, occe_bureau.counters) behind a unique constraint, and frozen once issued: everything the
invoice prints is stored on its row and lines, and the database refuses to change or delete them
(migration 0010). A cancelled invoice keeps its number and is answered by a credit note.

Also here: the documents built from the frozen rows (the contract's InvoiceDocument,
PaymentReceiptDocument, ReminderDocument), reminders, and a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from occe_bureau import clock
from occe_bureau.association import get_association, letterhead
from occe_bureau.coops import Coop
from occe_bureau.counters import next_in_series
from occe_bureau.db import Database, write_lock
from occe_bureau.sales.enums import InvoiceKind, OrderState, PayerKind, PaymentMethod
from occe_bureau.sales.models import (
    Invoice, InvoiceLine, OrderLine, Payer, Product, SaleOrder, SalePayment, SalesCounter,
)
from occe_bureau.sales.orders import current_invoice_id, settle
from occe_bureau.sales.settings import invoice_terms
from occe_bureau.validation import Checker, ValidationError

CONFLICT = ("Un autre poste émettait une facture au même moment : rien n'a été émis, aucun "
            "numéro n'a été consommé. Recommencez.")


def format_invoice_number(kind: InvoiceKind, year: int, seq: int) -> str:
    return f"{kind.prefix}{year}-{seq:04d}"


@contextmanager
def issuing_transaction(db: Database) -> Iterator:
    """Should another workstation still collide on a number despite the counter lock, the
    whole issue is rolled back with a French message."""
    try:
        with db.transaction() as session:
            write_lock(session)
            yield session
    except IntegrityError as exc:
        raise ValidationError({"invoice": CONFLICT}) from exc


def coop_label(coop: Coop) -> str:
    return f"{coop.name} ({coop.uai or coop.number})"


def _buyer_values(session, order: SaleOrder, coop: Coop) -> dict:
    if order.payer_kind == PayerKind.COOP:
        return dict(buyer_name=f"Coopérative scolaire {coop.name}", buyer_address=coop.address,
                    buyer_postal_code=coop.postal_code, buyer_city=coop.commune,
                    buyer_siret="", buyer_email=coop.mandataire_email, buyer_public=False,
                    service_code="")
    payer = session.get(Payer, order.payer_id)
    return dict(buyer_name=payer.name, buyer_address=payer.address,
                buyer_postal_code=payer.postal_code, buyer_city=payer.city,
                buyer_siret=payer.siret, buyer_email=payer.email,
                buyer_public=PayerKind(payer.kind).is_public_body, service_code=payer.service_code)


def _seller_values(db: Database, public: bool) -> dict:
    a = get_association(db)
    terms = invoice_terms(db)
    missing = [label for label, value in (("le nom", a.name), ("l'adresse", a.address),
                                          ("la commune", a.city)) if not value.strip()]
    if public and not terms.seller_siret:
        missing.append("le SIRET (Réglages, « Ventes – SIRET de l'association »)")
    if missing:
        raise ValidationError({"invoice": "Une facture ne s'émet pas sans l'identité de "
                                          "l'association : indiquez " + ", ".join(missing)
                                          + " dans les Paramètres."})
    rna = a.siren_rna.replace(" ", "")
    return dict(seller_name=a.name, seller_address=a.address, seller_postal_code=a.postal_code,
                seller_city=a.city, seller_siret=terms.seller_siret,
                seller_rna=rna if rna.startswith("W") else "", seller_email=a.email,
                vat_mention=terms.vat_mention, payment_terms=terms.payment_terms,
                late_penalty_text=terms.late_penalty_text, bank_details=terms.bank_details), terms


def _insert_invoice(session, kind: InvoiceKind, on: date, values: dict,
                    lines: list[dict]) -> int:
    year = on.year
    seq = next_in_series(session.connection(), SalesCounter.__table__,
                         {"series": kind.prefix, "year": year})
    invoice = Invoice(kind=kind, number=format_invoice_number(kind, year, seq), year=year,
                      seq=seq, issued_on=on, **values)
    session.add(invoice)
    session.flush()
    session.add_all(InvoiceLine(invoice_id=invoice.id, position=i, **line)
                    for i, line in enumerate(lines, start=1))
    session.flush()
    return invoice.id


def issue_in(session, db: Database, order_id: int, on: date, seller: tuple | None = None) -> int:
    """Issue the invoice of an order inside the caller's transaction."""
    order = session.get(SaleOrder, order_id, with_for_update=True)
    if order is None or order.state == OrderState.CANCELLED:
        raise ValidationError({"invoice": "Une commande annulée ne se facture pas."})
    if current_invoice_id(session, order_id) is not None:
        raise ValidationError({"invoice": f"La commande {order.number} a déjà sa facture."})
    settle(session, order_id)
    if order.total_cents <= 0:
        raise ValidationError({"invoice": "Une commande sans montant ne se facture pas."})
    if on < order.ordered_on:
        raise ValidationError({"invoice": "Date de facture : avant la commande."})
    coop = session.get(Coop, order.coop_id)
    buyer = _buyer_values(session, order, coop)
    seller, terms = seller if seller is not None else _seller_values(db, buyer["buyer_public"])
    if buyer["buyer_public"] and not terms.seller_siret:
        seller, terms = _seller_values(db, True)
    lines = [dict(description=name, quantity=line.quantity,
                  unit_price_cents=line.unit_price_cents,
                  total_cents=line.quantity * line.unit_price_cents)
             for line, name in session.execute(
                 select(OrderLine, Product.name).join(Product, Product.id == OrderLine.product_id)
                 .where(OrderLine.order_id == order_id).order_by(OrderLine.id))]
    values = dict(order_id=order_id, total_cents=sum(line["total_cents"] for line in lines),
                  due_on=on + timedelta(days=terms.payment_days),
                  recovery_indemnity=order.payer_kind != PayerKind.COOP,
                  commitment_number=order.commitment_number, order_number=order.number,
                  delivered_to=coop_label(coop), **seller, **buyer)
    return _insert_invoice(session, InvoiceKind.INVOICE, on, values, lines)


def issue_invoice(db: Database, order_id: int, *, on: date | None = None) -> int:
    with issuing_transaction(db) as session:
        return issue_in(session, db, order_id, on or clock.today())


def issue_invoices(db: Database, order_ids: list[int], *, on: date | None = None):
    """A batch, in one transaction (a generator: yields (done, total), returns the ids; closing
    it halfway rolls everything back, no number consumed)."""
    on = on or clock.today()
    ids = []
    with issuing_transaction(db) as session:
        seller = None
        for done, order_id in enumerate(order_ids):
            if seller is None:
                seller = _seller_values(db, False)
            ids.append(issue_in(session, db, order_id, on, seller))
            yield done + 1, len(order_ids)
    return ids


_COPIED = ("seller_name", "seller_address", "seller_postal_code", "seller_city", "seller_siret",
           "seller_rna", "seller_email", "buyer_name", "buyer_address", "buyer_postal_code",
           "buyer_city", "buyer_siret", "buyer_email", "buyer_public", "service_code",
           "commitment_number", "total_cents", "vat_mention", "payment_terms",
           "late_penalty_text", "recovery_indemnity", "bank_details", "order_number",
           "delivered_to", "order_id")


def credit_invoice(session, invoice_id: int, reason: str, on: date) -> int:
    """Cancel an invoice inside the caller's transaction: it keeps its number, marked
    cancelled; a credit note with its own number and the same lines answers it."""
    invoice = session.get(Invoice, invoice_id, with_for_update=True)
    if invoice is None or invoice.kind != InvoiceKind.INVOICE:
        raise ValidationError({"reason": "Seule une facture s'annule par un avoir."})
    if invoice.cancelled:
        raise ValidationError({"reason": f"La facture {invoice.number} est déjà annulée."})
    if on < invoice.issued_on:
        raise ValidationError({"reason": "Date de l'avoir : avant la facture."})
    invoice.cancelled, invoice.cancelled_on = True, on
    values = {name: getattr(invoice, name) for name in _COPIED}
    values.update(credited_id=invoice.id, credit_reason=reason, due_on=on)
    lines = [dict(description=line.description, quantity=line.quantity,
                  unit_price_cents=line.unit_price_cents, total_cents=line.total_cents)
             for line in session.scalars(select(InvoiceLine).where(
                 InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position))]
    session.flush()
    return _insert_invoice(session, InvoiceKind.CREDIT_NOTE, on, values, lines)


def cancel_invoice(db: Database, invoice_id: int, reason: str, *, on: date | None = None) -> int:
    """Cancel an invoice (its order stays, to be corrected and invoiced again, or cancelled);
    returns the credit note's id. An invoice with payments on its order is not cancelled."""
    c = Checker()
    reason = c.text("reason", "Motif", reason, max_length=300, required=True)
    c.raise_if_any()
    with issuing_transaction(db) as session:
        invoice = session.get(Invoice, invoice_id)
        order = session.get(SaleOrder, invoice.order_id) if invoice else None
        if order is not None and order.paid_cents:
            raise ValidationError({"reason": "Des paiements sont enregistrés sur cette commande : "
                                             "sa facture ne s'annule pas."})
        return credit_invoice(session, invoice_id, reason, on or clock.today())


def mark_printed(db: Database, invoice_id: int) -> None:
    with db.transaction() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice.printed_at is None:
            invoice.printed_at = clock.now()


# ---- documents, from the frozen rows ---------------------------------------------------------

def _party(invoice: Invoice, side: str):
    from occe_bureau.sales.invoice_pdf import Party  # ReportLab loads when something prints

    get = lambda name: getattr(invoice, f"{side}_{name}")  # noqa: E731
    address = tuple(line for line in get("address").split("\n") if line)
    if side == "seller":
        siret = invoice.seller_siret
        return Party(invoice.seller_name, address, invoice.seller_postal_code, invoice.seller_city,
                     siren=siret[:9], siret=siret, rna=invoice.seller_rna,
                     email=invoice.seller_email)
    return Party(invoice.buyer_name, address, invoice.buyer_postal_code, invoice.buyer_city,
                 siren=invoice.buyer_siret[:9], siret=invoice.buyer_siret,
                 email=invoice.buyer_email, is_public_body=invoice.buyer_public,
                 service_code=invoice.service_code,
                 commitment_number=invoice.commitment_number)


def _document(invoice: Invoice, lines: list[InvoiceLine], credited: Invoice | None, head):
    from occe_bureau.sales.invoice_pdf import DocumentKind, InvoiceDocument, InvoiceLine as DocLine

    return InvoiceDocument(
        kind=DocumentKind(invoice.kind), number=invoice.number, issue_date=invoice.issued_on,
        seller=_party(invoice, "seller"), buyer=_party(invoice, "buyer"),
        lines=tuple(DocLine(line.description, line.quantity, line.unit_price_cents,
                            line.total_cents) for line in lines),
        total_cents=invoice.total_cents, vat_mention=invoice.vat_mention,
        due_date=invoice.due_on, payment_terms=invoice.payment_terms,
        late_penalty_text=invoice.late_penalty_text,
        recovery_indemnity=invoice.recovery_indemnity, order_number=invoice.order_number,
        delivered_to=invoice.delivered_to, bank_details=invoice.bank_details,
        credited_number=credited.number if credited else "",
        credited_date=credited.issued_on if credited else None,
        cancel_reason=invoice.credit_reason, letterhead=head)


def invoice_documents(db: Database, invoice_ids: list[int]) -> list:
    """The documents of these invoices (or credit notes), in the order given."""
    head = letterhead(db)
    with db.session() as session:
        invoices = {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids)))}
        lines: dict[int, list[InvoiceLine]] = {}
        for line in session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id.in_(invoice_ids))
                                    .order_by(InvoiceLine.invoice_id, InvoiceLine.position)):
            lines.setdefault(line.invoice_id, []).append(line)
        credited_ids = {i.credited_id for i in invoices.values() if i.credited_id}
        credited = {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(credited_ids)))}
    return [_document(invoices[i], lines.get(i, []), credited.get(invoices[i].credited_id), head)
            for i in invoice_ids if i in invoices]


def invoice_document(db: Database, invoice_id: int):
    docs = invoice_documents(db, [invoice_id])
    if not docs:
        raise ValidationError({"invoice": "Cette facture n'existe pas."})
    return docs[0]


def receipt_document(db: Database, order_id: int, *, on: date | None = None):
    """The payment receipt (acquit) of an order paid in full, invoiced (invoice_pdf's
    PaymentReceiptDocument)."""
    from occe_bureau.sales.invoice_pdf import PaymentReceiptDocument

    with db.session() as session:
        order = session.get(SaleOrder, order_id)
        invoice_id = current_invoice_id(session, order_id)
        if order is None or order.state != OrderState.PAID or invoice_id is None:
            raise ValidationError({"order": "Le reçu de paiement est pour une commande facturée et "
                                            "entièrement payée."})
        invoice = session.get(Invoice, invoice_id)
        payments = tuple((p.paid_on, PaymentMethod(p.method).described(p.reference), p.amount_cents)
                         for p in session.scalars(select(SalePayment).where(
                             SalePayment.order_id == order_id)
                             .order_by(SalePayment.paid_on, SalePayment.id)))
    last = max(p[0] for p in payments)
    return PaymentReceiptDocument(
        number=invoice.number, issue_date=on or max(last, clock.today()),
        seller=_party(invoice, "seller"), buyer=_party(invoice, "buyer"),
        invoice_number=invoice.number, invoice_date=invoice.issued_on,
        total_cents=invoice.total_cents, payments=payments, letterhead=letterhead(db))


@dataclass(frozen=True)
class ReminderResult:
    document: object        # invoice_pdf.ReminderDocument
    reminders: int


def remind(db: Database, order_id: int, *, on: date | None = None) -> ReminderResult:
    """The reminder letter of an overdue invoice; the reminder is recorded on the order."""
    from occe_bureau.sales.invoice_pdf import ReminderDocument

    on = on or clock.today()
    with db.transaction() as session:
        write_lock(session)
        order = session.get(SaleOrder, order_id)
        invoice_id = current_invoice_id(session, order_id)
        invoice = session.get(Invoice, invoice_id) if invoice_id else None
        if (invoice is None or order.state == OrderState.CANCELLED
                or order.paid_cents >= order.total_cents):
            raise ValidationError({"order": "Une relance est pour une facture émise qui reste due."})
        if invoice.due_on >= on:
            raise ValidationError({"order": f"La facture {invoice.number} n'est pas encore échue "
                                            f"(échéance le {invoice.due_on:%d/%m/%Y})."})
        order.reminded_on, order.reminders = on, order.reminders + 1
        doc = ReminderDocument(
            issue_date=on, seller=_party(invoice, "seller"), buyer=_party(invoice, "buyer"),
            invoice_number=invoice.number, invoice_date=invoice.issued_on,
            due_date=invoice.due_on, total_cents=invoice.total_cents,
            paid_cents=order.paid_cents, days_overdue=(on - invoice.due_on).days,
            letterhead=letterhead(db))
        return ReminderResult(doc, order.reminders)


def invoice_ids_for(db: Database, *, school_year: int | None = None,
                    kind: InvoiceKind | None = None) -> list[int]:
    """The invoices (and credit notes) of a school year's orders, by number (for a batch)."""
    query = select(Invoice.id).join(SaleOrder, SaleOrder.id == Invoice.order_id)
    if school_year is not None:
        query = query.where(SaleOrder.year == school_year)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    with db.session() as session:
        return list(session.scalars(query.order_by(Invoice.kind, Invoice.year, Invoice.seq)))


# ---- the files ---------------------------------------------------------------------------------

def invoice_file(db: Database, invoice_id: int) -> bytes:
    """The invoice (or credit note) as a PDF, recorded as printed the first time."""
    pdf = render_invoice(invoice_document(db, invoice_id))
    mark_printed(db, invoice_id)
    return pdf


def is_public(db: Database, invoice_id: int) -> bool:
    with db.session() as session:
        invoice = session.get(Invoice, invoice_id)
        return bool(invoice and invoice.buyer_public)


def facturx_file(db: Database, invoice_id: int) -> bytes:
    """The Factur-X file (PDF/A-3 with its EN 16931 XML) that Chorus Pro takes on deposit; what
    keeps it from being valid is said in French."""
    from occe_bureau.sales.facturx import FacturXError, facturx_invoice

    try:
        return facturx_invoice(invoice_document(db, invoice_id))
    except FacturXError as err:
        raise ValidationError({"facturx": str(err)}) from err


def batch_pdf(db: Database, invoice_ids: list[int]):
    """One PDF of these invoices, one after the other (a generator: yields (done, total) every
    few documents and returns the PDF; closing it stops the batch and makes no file)."""
    from occe_bureau.sales.invoice_pdf import InvoiceWriter

    docs = invoice_documents(db, invoice_ids)
    total = len(docs)
    writer = InvoiceWriter("Factures", author=docs[0].seller.name if docs else "")
    for done, doc in enumerate(docs, start=1):
        writer.add(doc)
        if done % 10 == 0 or done == total:
            yield done, total
    return writer.finish()


def read_facturx(pdf: bytes):
    """What a Factur-X file's embedded XML says (facturx.FacturXSummary), checked against the
    XSD; loaded only when asked (lxml, drafthorse and factur-x are heavy to import)."""
    from occe_bureau.sales.facturx import read_facturx as read

    return read(pdf)


# ---- the papers, loaded when something prints (ReportLab is not needed to start) ---------------

def render_invoice(doc) -> bytes:
    from occe_bureau.sales.invoice_pdf import invoice_pdf as render

    return render(doc)


def invoices_pdf(docs, progress=None) -> bytes:
    from occe_bureau.sales.invoice_pdf import invoices_pdf as render

    return render(docs, progress)


def payment_receipt_pdf(doc) -> bytes:
    from occe_bureau.sales.invoice_pdf import payment_receipt_pdf as render

    return render(doc)


def reminder_pdf(doc) -> bytes:
    from occe_bureau.sales.invoice_pdf import reminder_pdf as render

    return render(doc)
