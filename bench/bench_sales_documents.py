"""Benchmarks of the sales papers: one invoice PDF, one Factur-X file, a batch of 500 invoices in
one PDF with progress, each beside its floor (the bare stack doing the least).

The documents take plain dataclasses, so they are measured on invoices shaped like the 10×
département's (one to six lines, town halls with their SIRET, service code and commitment
number, long coop names), built here from a seeded generator: no database is needed.

Run: .venv/bin/python -m bench.bench_sales_documents   (prints a table; nothing is asserted)
"""

from __future__ import annotations

import io
import os
import random
import statistics
import time
from datetime import date, timedelta

from bench.common import measure, print_table

MINIMUM_XML = b"""<?xml version='1.0' encoding='UTF-8'?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
<ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>F1</ram:ID><ram:TypeCode>380</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">20260312</udt:DateTimeString></ram:IssueDateTime>
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement>
<ram:SellerTradeParty><ram:Name>S</ram:Name><ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID>
</ram:PostalTradeAddress></ram:SellerTradeParty><ram:BuyerTradeParty><ram:Name>B</ram:Name>
</ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>1.00</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount><ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>
<ram:DuePayableAmount>1.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>
"""


def with_luhn_key(body: str) -> str:
    """`body` and the digit that gives it a right Luhn key (a SIREN of 8 digits, a SIRET of
    13)."""
    for last in "0123456789":
        total = 0
        for index, char in enumerate(reversed(body + last)):
            d = int(char) * (2 if index % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return body + last
    raise AssertionError(body)


def invoices(count: int, seed: int = 92):
    """`count` invoices like the département's: agendas and books, town halls and coops."""
    from occe_bureau.printing import Letterhead
    from occe_bureau.sales.invoice_pdf import DocumentKind, InvoiceDocument, InvoiceLine, Party

    rng = random.Random(seed)
    head = Letterhead(name="OCCE – Association départementale des Hauts-de-Seine",
                      lines=("12 rue des Écoles, 92000 Nanterre", "Tél. 01 47 21 00 00"))
    seller = Party("OCCE – Association départementale des Hauts-de-Seine", ("12 rue des Écoles",),
                   "92000", "Nanterre", siren="775672272", siret="77567227200009",
                   rna="W922000123", email="ad92@occe.coop")
    products = [(f"Agenda coopératif cycle {c} – édition 2025-2026", 650) for c in (1, 2, 3)] + [
        ("Livre « Lire c'est partir » – lot de 10 titres", 800), ("Kit « Éco-délégués »", 2450)]
    towns = ["Nanterre", "Boulogne-Billancourt", "Colombes", "Asnières-sur-Seine", "Rueil-Malmaison",
             "Courbevoie", "Clamart", "Montrouge"]
    docs = []
    for n in range(count):
        town = rng.choice(towns)
        public = rng.random() < 0.7
        buyer = Party(f"Mairie de {town} – Direction de l'Éducation" if public
                      else f"Coopérative de l'école élémentaire Jean-Jaurès de {town}",
                      (f"{rng.randint(1, 120)} avenue de la République",), "92" + f"{rng.randint(0, 999):03d}",
                      town, siret=with_luhn_key(with_luhn_key(f"2192{rng.randint(0, 9999):04d}")
                                            + f"{rng.randint(1, 9999):04d}") if public else "",
                      is_public_body=public, service_code="EDUC" if public and rng.random() < 0.5 else "",
                      commitment_number=f"EJ2025-{rng.randint(1, 9999):05d}" if public else "")
        lines = []
        for name, price in rng.sample(products, rng.randint(1, 5)):
            quantity = rng.randint(1, 60)
            lines.append(InvoiceLine(name, quantity, price, quantity * price))
        issued = date(2025, 9, 1) + timedelta(days=rng.randint(0, 180))
        docs.append(InvoiceDocument(
            kind=DocumentKind.INVOICE, number=f"F2025-{n + 1:04d}", issue_date=issued,
            seller=seller, buyer=buyer, lines=tuple(lines),
            total_cents=sum(line.total_cents for line in lines),
            vat_mention="TVA non applicable, art. 261-7-1° b du CGI",
            due_date=issued + timedelta(days=30),
            payment_terms="Paiement à 30 jours par virement, chèque ou mandat administratif",
            late_penalty_text="Pénalités de retard : 3 fois le taux d'intérêt légal",
            recovery_indemnity=public, order_number=f"C2025-{n + 1:04d}",
            delivered_to=f"Coop de l'école élémentaire Jean-Jaurès ({rng.randint(0, 9999):04d}{n % 10}X)",
            bank_details="IBAN FR76 3000 6000 0112 3456 7890 189 – BIC AGRIFRPP882",
            letterhead=head))
    return docs


def floor_page(pages: int = 1, embedded: bool = False) -> bytes:
    """Bare ReportLab: `pages` pages with a few strings (in Helvetica, or in embedded DejaVu)."""
    from reportlab.pdfgen import canvas

    from occe_bureau.printing import FONT, register_fonts

    if embedded:
        register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=1)
    for page in range(pages):
        c.setFont(FONT if embedded else "Helvetica", 10)
        c.drawString(50, 800, f"FACTURE F2025-{page:04d}")
        c.drawString(50, 780, "Mairie de Nanterre")
        c.drawString(50, 760, "Agenda coopératif cycle 2   10   6,50 €   65,00 €")
        c.drawString(50, 740, "Net à payer 65,00 €")
        c.showPage()
    c.save()
    return buffer.getvalue()


def cpu(fn, repeat: int = 15, warmup: int = 2) -> float:
    """Median CPU time of fn() in this process, in milliseconds: what the work costs when the
    machine is shared (wall time also counts the waits for a core)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    import facturx

    from occe_bureau.sales.facturx import facturx_invoice
    from occe_bureau.sales.invoice_pdf import invoice_pdf, invoices_pdf

    docs = invoices(500)
    town_hall = next(d for d in docs if d.buyer.is_public_body and len(d.lines) >= 3)
    bare_pdf = floor_page()

    def one_invoice() -> None:
        invoice_pdf(town_hall)

    def one_facturx() -> None:
        facturx_invoice(town_hall)

    def floor_facturx() -> None:
        facturx.generate_from_binary(bare_pdf, MINIMUM_XML, flavor="factur-x", level="minimum",
                                     check_xsd=False)

    def batch() -> None:
        invoices_pdf(docs, lambda done, total: True)

    def floor_batch() -> None:
        floor_page(500, embedded=True)

    for title, timer in (("Sales documents (median wall time)", measure),
                         ("Sales documents (median CPU time of this process)", cpu)):
        table(title, timer, one_invoice, one_facturx, floor_facturx, batch, floor_batch)
    started = time.perf_counter()
    size = len(invoices_pdf(docs))
    once = time.perf_counter() - started
    print(f"(batch PDF: {size // 1024} KiB, {once:.2f} s wall in one more run; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def table(title, timer, one_invoice, one_facturx, floor_facturx, batch, floor_batch) -> None:
    one = timer(one_invoice)
    floor_bare = timer(lambda: floor_page())
    floor_fonts = timer(lambda: floor_page(embedded=True))
    fx = timer(one_facturx, repeat=9)
    fx_floor = timer(floor_facturx, repeat=9)
    batch_ms = timer(batch, repeat=3, warmup=1)
    floor_batch_ms = timer(floor_batch, repeat=3, warmup=1)
    print_table(title, [
        ("one invoice PDF (3+ lines, town hall)", one, "bare ReportLab, 1 page, 4 strings, Helvetica",
         floor_bare, "goal < 50 ms"),
        ("  same, floor with embedded DejaVu", one, "bare ReportLab, 1 page, 4 strings, DejaVu embedded",
         floor_fonts, "goal < 50 ms"),
        ("one Factur-X file (XML + XSD + PDF/A-3)", fx, "bare factur-x: minimal PDF + MINIMUM XML",
         fx_floor, "goal < 150 ms"),
        ("batch of 500 invoices in one PDF", batch_ms, "bare ReportLab, 500 pages, 4 strings, DejaVu",
         floor_batch_ms, f"goal ≥ 250/s: ours {500 / batch_ms * 1000:.0f}/s, "
                         f"floor {500 / floor_batch_ms * 1000:.0f}/s"),
    ])


if __name__ == "__main__":
    main()
