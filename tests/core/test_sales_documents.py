"""The sales papers read back as text: the invoice with every legal mention, the credit note,
a long invoice over two pages, a batch numbered invoice by invoice, the payment receipt, the
reminder letter, and user text (markup, formulas) printed exactly as typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from occe_bureau.printing import Letterhead
from occe_bureau.sales.invoice_pdf import (
    DocumentKind,
    InvoiceDocument,
    InvoiceLine,
    Party,
    PaymentReceiptDocument,
    PrintCancelled,
    ReminderDocument,
    invoice_pdf,
    invoices_pdf,
    payment_receipt_pdf,
    reminder_pdf,
)
from tests.pdf import pdf_pages_text, pdf_text

HEAD = Letterhead(name="OCCE – Association départementale des Hauts-de-Seine",
                  lines=("12 rue des Écoles, 92000 Nanterre", "Tél. 01 47 21 00 00"),
                  signatory_name="Claire Martin", signatory_title="Trésorière")
SELLER = Party("OCCE – Association départementale des Hauts-de-Seine", ("12 rue des Écoles",),
               "92000", "Nanterre", siren="775672272", siret="77567227200009", rna="W922000123",
               email="ad92@occe.coop")
TOWN = Party("Mairie de Nanterre", ("88 rue du 8 Mai 1945", "BP 1234"), "92014", "Nanterre Cedex",
             siret="21920000300008", is_public_body=True, service_code="EDUC-ECOLES",
             commitment_number="EJ2025-00417")
COOP = Party("Coopérative de l'école Jules-Ferry", ("3 place de la Mairie",), "92100",
             "Boulogne-Billancourt")
VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def flat(text: str) -> str:
    """PDF text with the no-break spaces of amounts as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def words(text: str) -> str:
    """The text as one line: a sentence wrapped over two lines reads whole."""
    return " ".join(flat(text).split())


def invoice_doc(lines: int | tuple[InvoiceLine, ...] = 3, **changes) -> InvoiceDocument:
    """An invoice to a town hall: `lines` agenda lines (or these lines), `changes` replaced."""
    items = lines if isinstance(lines, tuple) else tuple(
        InvoiceLine(f"Agenda coopératif cycle {1 + i % 3} – édition 2025-2026",
                    10 + i, 650, (10 + i) * 650) for i in range(lines))
    doc = InvoiceDocument(
        kind=DocumentKind.INVOICE, number="F2025-0042", issue_date=date(2026, 3, 12),
        seller=SELLER, buyer=TOWN, lines=items, total_cents=sum(i.total_cents for i in items),
        vat_mention="TVA non applicable, art. 261-7-1° b du CGI", due_date=date(2026, 4, 11),
        payment_terms="Paiement à 30 jours par virement, chèque ou mandat administratif",
        late_penalty_text="Pénalités de retard : 3 fois le taux d'intérêt légal",
        recovery_indemnity=True, order_number="C2025-0042",
        delivered_to="Coop de l'école élémentaire Jules-Ferry (0921234X)",
        bank_details=f"IBAN {VALID_IBAN} – BIC AGRIFRPP882", letterhead=HEAD)
    return replace(doc, **changes) if changes else doc


def credit_doc(**changes) -> InvoiceDocument:
    return invoice_doc(2, kind=DocumentKind.CREDIT_NOTE, number="AV2025-0003",
                       credited_number="F2025-0017", credited_date=date(2026, 1, 5),
                       cancel_reason="Commande saisie deux fois.", **changes)


def receipt_doc(**changes) -> PaymentReceiptDocument:
    doc = PaymentReceiptDocument(
        number="F2025-0042", issue_date=date(2026, 3, 12), seller=SELLER, buyer=TOWN,
        invoice_number="F2025-0042", invoice_date=date(2026, 1, 15), total_cents=21450,
        payments=((date(2026, 2, 2), "Mandat administratif n° 2026-118", 20000),
                  (date(2026, 3, 10), "Virement réf. VIR-88412", 1450)),
        letterhead=HEAD)
    return replace(doc, **changes) if changes else doc


def reminder_doc(**changes) -> ReminderDocument:
    doc = ReminderDocument(
        issue_date=date(2026, 3, 12), seller=SELLER, buyer=TOWN, invoice_number="F2025-0042",
        invoice_date=date(2026, 1, 15), due_date=date(2026, 2, 14), total_cents=21450,
        paid_cents=5000, days_overdue=26, letterhead=HEAD, order_number="C2025-0042",
        payment_terms="Paiement par virement ou mandat administratif",
        bank_details=f"IBAN {VALID_IBAN}",
        late_penalty_text="Pénalités de retard : 3 fois le taux d'intérêt légal",
        recovery_indemnity=True)
    return replace(doc, **changes) if changes else doc


# -- the invoice ----------------------------------------------------------------------------

def test_the_invoice_carries_every_mention_the_law_asks_for():
    printed = pdf_text(invoice_pdf(invoice_doc()))
    text = words(printed)
    for mention in (
        "FACTURE", "N° F2025-0042", "Date : 12/03/2026",
        # the seller: name, address, SIREN, SIRET, RNA
        "OCCE – Association départementale des Hauts-de-Seine", "12 rue des Écoles, 92000 Nanterre",
        "SIREN 775 672 272", "SIRET 775 672 272 00009", "RNA W922000123",
        # the buyer, a public body: name, address, SIRET, service code, commitment number
        "Mairie de Nanterre", "88 rue du 8 Mai 1945", "BP 1234", "92014 Nanterre Cedex",
        "SIRET : 219 200 003 00008", "Code service : EDUC-ECOLES", "N° d'engagement : EJ2025-00417",
        # the lines: description, quantity, unit price, total
        "Agenda coopératif cycle 2 – édition 2025-2026", "Désignation", "Quantité", "Prix unitaire",
        "Montant", "6,50 €", "71,50 €",
        # the total and the VAT mention
        "Net à payer", "214,50 €", "TVA non applicable, art. 261-7-1° b du CGI",
        # due date, payment terms, penalties, the fixed indemnity, the discount
        "Échéance : 11/04/2026", "Date d'échéance : 11/04/2026",
        "Paiement à 30 jours par virement, chèque ou mandat administratif",
        "Pénalités de retard : 3 fois le taux d'intérêt légal",
        "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 €",
        "Pas d'escompte pour paiement anticipé.",
        # what the secretary and the accountant look for
        "Commande : n° C2025-0042", "Livré à : Coop de l'école élémentaire Jules-Ferry (0921234X)",
        f"IBAN {VALID_IBAN}", "Référence à rappeler avec le paiement : F2025-0042",
        "Page 1 sur 1",
    ):
        assert mention in text, mention
    lines = flat(printed).splitlines()
    assert any("Agenda coopératif cycle 1" in line and "10" in line and "65,00 €" in line
               for line in lines)


def test_no_fixed_indemnity_when_not_due_and_no_public_identifiers_for_a_coop():
    text = flat(pdf_text(invoice_pdf(invoice_doc(buyer=COOP, recovery_indemnity=False,
                                                 bank_details=""))))
    assert "Coopérative de l'école Jules-Ferry" in text
    assert "92100 Boulogne-Billancourt" in text
    assert "40 €" not in text
    assert "Code service" not in text and "engagement" not in text
    assert "Coordonnées bancaires" not in text


def test_the_credit_note_names_the_invoice_it_cancels_and_why():
    text = words(pdf_text(invoice_pdf(credit_doc())))
    assert "AVOIR" in text and "FACTURE" not in text
    assert "N° AV2025-0003" in text
    assert "Facture annulée : n° F2025-0017 du 05/01/2026" in text
    assert "Cet avoir annule la facture n° F2025-0017 du 05/01/2026." in text
    assert "Motif : Commande saisie deux fois." in text
    assert "Montant de l'avoir" in text and "136,50 €" in text
    assert "TVA non applicable" in text


def test_markup_and_formulas_are_printed_exactly_as_typed():
    buyer = replace(COOP, name="<b>Mairie</b> & Cie =SOMME(A1:A9)", address_lines=("<i>rue</i> & co",))
    line = InvoiceLine("=1+1 <font size=40>Livre</font> &amp; @cmd", 2, 700, 1400)
    doc = invoice_doc(buyer=buyer, lines=(line,), total_cents=1400,
                      payment_terms="<u>30 jours</u> & plus")
    for data in (invoice_pdf(doc), payment_receipt_pdf(receipt_doc(buyer=buyer)),
                 reminder_pdf(reminder_doc(buyer=buyer, payment_terms="<u>30 jours</u> & plus"))):
        text = flat(pdf_text(data))
        assert "<b>Mairie</b> & Cie =SOMME(A1:A9)" in text
        assert "<i>rue</i> & co" in text
    invoice_text = flat(pdf_text(invoice_pdf(doc)))
    assert "=1+1 <font size=40>Livre</font> &amp; @cmd" in invoice_text
    assert "<u>30 jours</u> & plus" in invoice_text


def test_a_long_invoice_runs_over_two_pages_numbered_and_continued():
    items = tuple(InvoiceLine(f"Livre « Lire c'est partir » titre n° {i:02d}", 1 + i, 300,
                              (1 + i) * 300) for i in range(60))
    doc = invoice_doc(lines=items, total_cents=sum(i.total_cents for i in items))
    pages = [flat(p) for p in pdf_pages_text(invoice_pdf(doc))]
    assert len(pages) == 2
    assert "Page 1 sur 2" in pages[0] and "Page 2 sur 2" in pages[1]
    assert "(suite)" in pages[1] and "(suite)" not in pages[0]
    assert "Désignation" in pages[0] and "Désignation" in pages[1]   # the head, repeated
    assert "Net à payer" not in pages[0] and "Net à payer" in pages[1]
    # the legal footer on both pages
    assert all("SIRET 775 672 272 00009" in page for page in pages)
    both = "\n".join(pages)
    for i in range(60):
        assert both.count(f"titre n° {i:02d}") == 1, i
    assert "5 490,00 €" in pages[1]


def test_a_long_description_is_wrapped_not_cut():
    words = " ".join(f"mot{i}" for i in range(60))
    doc = invoice_doc(lines=(InvoiceLine(words, 1, 100, 100),), total_cents=100)
    text = pdf_text(invoice_pdf(doc))
    assert all(f"mot{i}" in text for i in range(60))


def test_a_batch_numbers_each_invoice_on_its_own_and_reports_progress():
    long_lines = tuple(InvoiceLine(f"Livre {i}", 1, 100, 100) for i in range(60))
    docs = [invoice_doc(number="F2025-0001"),
            invoice_doc(number="F2025-0002", lines=long_lines, total_cents=6000),
            credit_doc()]
    seen = []
    pages = [flat(p) for p in pdf_pages_text(invoices_pdf(docs, lambda done, total:
                                                          seen.append((done, total)) or True))]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert len(pages) == 4
    assert "N° F2025-0001" in pages[0] and "Page 1 sur 1" in pages[0]
    assert "N° F2025-0002" in pages[1] and "Page 1 sur 2" in pages[1]
    assert "Page 2 sur 2" in pages[2] and "Facture n° F2025-0002" in pages[2]
    assert "AVOIR" in pages[3] and "Page 1 sur 1" in pages[3]


def test_a_batch_cancelled_by_its_progress_makes_no_pdf():
    calls = []

    def progress(done, total):
        calls.append(done)
        return done < 2

    with pytest.raises(PrintCancelled, match="annulée"):
        invoices_pdf([invoice_doc(), invoice_doc(), invoice_doc()], progress)
    assert calls == [1, 2]


def test_an_empty_batch_says_so():
    assert "Aucune facture." in pdf_text(invoices_pdf([]))


# -- the payment receipt and the reminder ----------------------------------------------------

def test_the_payment_receipt_acquits_the_invoice_with_its_payments():
    text = words(pdf_text(payment_receipt_pdf(receipt_doc())))
    for mention in ("REÇU DE PAIEMENT", "Facture n° F2025-0042 du 15/01/2026",
                    "Reçu établi le 12/03/2026", "Mairie de Nanterre", "SIRET : 219 200 003 00008",
                    "02/02/2026", "Mandat administratif n° 2026-118", "200,00 €",
                    "10/03/2026", "Virement réf. VIR-88412", "14,50 €", "Total reçu", "214,50 €",
                    "Pour acquit de la facture n° F2025-0042.", "Fait à Nanterre, le 12/03/2026",
                    "Claire Martin, Trésorière", "SIRET 775 672 272 00009", "Page 1 sur 1"):
        assert mention in text, mention


def test_the_reminder_says_what_is_due_since_when_and_how_to_pay():
    text = words(pdf_text(reminder_pdf(reminder_doc())))
    for mention in ("Objet : relance – facture n° F2025-0042 du 15/01/2026",
                    "Commande n° C2025-0042", "Nanterre, le 12/03/2026", "Madame, Monsieur,",
                    "arrivée à échéance le 14/02/2026", "retard de 26 jours",
                    "Montant de la facture", "214,50 €", "Déjà réglé", "50,00 €",
                    "Reste à payer", "164,50 €", f"IBAN {VALID_IBAN}",
                    "Pénalités de retard : 3 fois le taux d'intérêt légal",
                    "Indemnité forfaitaire pour frais de recouvrement", "Mairie de Nanterre",
                    "Code service : EDUC-ECOLES", "Claire Martin, Trésorière", "RNA W922000123"):
        assert mention in text, mention
    one_day = flat(pdf_text(reminder_pdf(reminder_doc(days_overdue=1, recovery_indemnity=False))))
    assert "retard de 1 jour)" in one_day
    assert "40 €" not in one_day


def test_a_description_taller_than_a_page_goes_on_over_the_next():
    tall = "\n".join(f"ligne {i:03d} de la désignation" for i in range(90))
    doc = invoice_doc(lines=(InvoiceLine("Agenda", 1, 650, 650), InvoiceLine(tall, 2, 100, 200)),
                      total_cents=850)
    pages = [flat(p) for p in pdf_pages_text(invoice_pdf(doc))]
    assert len(pages) >= 2
    text = "\n".join(pages)
    assert all(text.count(f"ligne {i:03d} de la désignation") == 1 for i in range(90))
    assert "Net à payer" in pages[-1] and "8,50 €" in pages[-1]
    assert f"Page {len(pages)} sur {len(pages)}" in pages[-1]


def test_a_document_without_footer_keeps_its_whole_page():
    from occe_bureau.printing import footer_height

    assert footer_height("") == 0 and footer_height("  ") == 0
    assert footer_height("un") < footer_height("un\ndeux")
