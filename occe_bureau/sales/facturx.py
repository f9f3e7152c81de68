"""Factur-X for public payers: the invoice as a PDF/A-3 with its EN 16931 XML (UN/CEFACT CII)
embedded, the file a town hall's Chorus Pro account accepts on deposit.

How the XML is built: with drafthorse. The CII schema is strict about the order and nesting
of hundreds of elements (ExchangedDocument, then the trade transaction's line items, then the
header agreement, delivery and settlement, each in its fixed sequence): drafthorse models
every element as a typed field in that order, writes the dates in format 102 and the
identifiers with their schemeID, and is maintained for production use (pretix issues its
Factur-X invoices with it). Writing the tree by hand with lxml would re-implement that order
here; the factur-x library's own dictionary-to-XML builder is newer and keyed by BT codes, and
it is kept to what it does best: embedding the XML in the PDF (PDF/A-3 metadata, the
"factur-x.xml" attachment with AFRelationship Data) and checking it against its XSD. The
PDF itself carries the fonts embedded and an sRGB output intent (occe_bureau.printing).

What Chorus Pro reads in it (EN 16931 business terms):
- BT-30 / BT-47: the seller's and the buyer's SIRET, SpecifiedLegalOrganization/ID with
  schemeID 0009 (SIREN alone: 0002);
- BT-10 BuyerReference: the Chorus Pro service code ("code service");
- BT-13 BuyerOrderReferencedDocument: the commitment number ("numéro d'engagement");
- VAT: category E (exempt) with rate 0 and the exemption reason (BT-120) from Réglages, on
  the lines and in the breakdown; the seller, with no VAT number, is identified for tax by
  its SIREN (BT-32, schemeID FC);
- the French mentions as notes: PMT (the fixed 40 € indemnity), PMD (late penalties),
  AAB (discount);
- a credit note is type 381 with the invoice it cancels (BT-25, BT-26) and its reason.
Amounts are Decimals made from the integer cents, exactly; a document whose figures do not add
up, or whose XML fails the XSD, is refused with a French message (FacturXError).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import facturx
from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentMeans, PaymentTerms
from drafthorse.models.tradelines import LineItem
from lxml import etree

from occe_bureau.sales.invoice_pdf import DocumentKind, InvoiceDocument, Party, invoice_pdf, one_line

GUIDELINE = "urn:cen.eu:en16931:2017"
TYPE_CODES = {DocumentKind.INVOICE: "380", DocumentKind.CREDIT_NOTE: "381"}
UNIT_PIECE = "H87"
CENT = Decimal("0.01")
NUMBER_RE = re.compile(r"^[A-Za-z0-9+\-_/]{1,35}$")   # BT-1 as the French rules allow it
IBAN_RE = re.compile(r"\b([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30})\b")
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}


class FacturXError(ValueError):
    """The invoice cannot be made (or read) as a valid Factur-X file; the message says why,
    in French."""


@dataclass(frozen=True)
class FacturXSummary:
    """What the embedded XML says, read back."""

    number: str
    type_code: str                   # "380" invoice, "381" credit note
    issue_date: date
    due_date: date | None
    seller_name: str
    seller_siret: str
    buyer_name: str
    buyer_siret: str
    service_code: str
    commitment_number: str
    order_number: str
    currency: str
    total_cents: int                 # grand total (BT-112)
    due_cents: int                   # amount due (BT-115)
    tax_cents: int                   # VAT total (BT-110)
    line_amounts: tuple[int, ...]    # each line's net amount (BT-131)
    line_quantities: tuple[int, ...]
    vat_category: str                # "E"
    exemption_reason: str
    credited_number: str
    level: str                       # "en16931"


# -- amounts ----------------------------------------------------------------------------------

def money(cents: int) -> Decimal:
    """Integer cents as an exact decimal amount: 65000 -> Decimal("650.00")."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def cents_of(text: str | None) -> int:
    """An XML amount back to integer cents, refusing anything below the cent."""
    if text is None or not text.strip():
        return 0
    value = Decimal(text.strip()) * 100
    if value != value.to_integral_value():
        raise FacturXError(f"Montant illisible dans le fichier Factur-X : « {text} ».")
    return int(value)


# -- the checks before building -------------------------------------------------------------

def digits(value: str) -> str:
    return (value or "").replace(" ", "")


def luhn_ok(value: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(value)):
        d = int(char) * (2 if index % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def siret_ok(value: str) -> bool:
    """14 digits with right Luhn keys, of the SIRET and of its SIREN (La Poste's establishments
    but its head office have their own rule: the digits add up to a multiple of 5), as
    python-stdnum checks it at entry."""
    if not (value.isdigit() and len(value) == 14) or not luhn_ok(value[:9]):
        return False
    if value.startswith("356000000") and value != "35600000000048":
        return sum(int(d) for d in value) % 5 == 0
    return luhn_ok(value)


def problems(doc: InvoiceDocument) -> list[str]:
    """Everything that keeps this document from being a valid Factur-X invoice, in French."""
    found = []
    number = one_line(doc.number).strip()
    if not NUMBER_RE.match(number):
        found.append(f"Le numéro « {number} » ne convient pas (au plus 35 lettres, chiffres ou "
                     "+ - _ /, sans espace).")
    if not siret_ok(digits(doc.seller.siret)):
        found.append("Le SIRET de l'association (Réglages) manque ou n'est pas valide "
                     "(14 chiffres et leur clé) : Factur-X l'exige.")
    if doc.buyer.is_public_body and not siret_ok(digits(doc.buyer.siret)):
        found.append(f"Le SIRET de « {one_line(doc.buyer.name)} » manque ou n'est pas valide "
                     "(14 chiffres et leur clé) : Chorus Pro en a besoin pour acheminer la facture.")
    elif doc.buyer.siret and not siret_ok(digits(doc.buyer.siret)):
        found.append(f"Le SIRET de « {one_line(doc.buyer.name)} » n'est pas valide "
                     "(14 chiffres et leur clé).")
    if not one_line(doc.seller.name).strip():
        found.append("Le nom de l'association manque.")
    if not one_line(doc.buyer.name).strip():
        found.append("Le nom du payeur manque.")
    for party, who in ((doc.seller, "de l'association"), (doc.buyer, "du payeur")):
        if not (party.country_code or "").strip():
            found.append(f"Le pays {who} manque.")
    if not doc.lines:
        found.append("La facture n'a aucune ligne.")
    for index, line in enumerate(doc.lines, start=1):
        if line.quantity <= 0:
            found.append(f"Ligne {index} : la quantité doit être supérieure à zéro.")
        if line.unit_price_cents < 0 or line.total_cents < 0:
            found.append(f"Ligne {index} : un montant est négatif.")
        if line.quantity * line.unit_price_cents != line.total_cents:
            found.append(f"Ligne {index} : le montant ({line.total_cents / 100:.2f}) n'est pas la "
                         "quantité × le prix unitaire.".replace(".", ",", 1))
        if not one_line(line.description).strip():
            found.append(f"Ligne {index} : la désignation manque.")
    if doc.lines and sum(line.total_cents for line in doc.lines) != doc.total_cents:
        found.append("Le total n'est pas la somme des lignes.")
    if not one_line(doc.vat_mention).strip():
        found.append("La mention d'exonération de TVA (Réglages) manque.")
    if doc.kind == DocumentKind.CREDIT_NOTE and not one_line(doc.credited_number).strip():
        found.append("L'avoir ne dit pas quelle facture il annule.")
    if doc.due_date < doc.issue_date:
        found.append("L'échéance précède la date de la facture.")
    return found


def iban_of(doc: InvoiceDocument) -> str:
    """The IBAN of the bank details, if they carry a valid one (checked by its key)."""
    for candidate in IBAN_RE.findall((doc.bank_details or "").upper()):
        iban = candidate.replace(" ", "")
        moved = iban[4:] + iban[:4]
        numeric = "".join(str(int(ch, 36)) for ch in moved)
        if 15 <= len(iban) <= 34 and int(numeric) % 97 == 1:
            return iban
    return ""


# -- the XML ---------------------------------------------------------------------------------

def fill_party(target, party: Party, *, seller: bool) -> None:
    target.name = one_line(party.name).strip()
    siret, siren = digits(party.siret), digits(party.siren)
    if siret:
        target.legal_organization.id = ("0009", siret)
    elif siren:
        target.legal_organization.id = ("0002", siren)
    address = target.address
    lines = [one_line(line).strip() for line in party.address_lines if line and line.strip()]
    if party.postcode:
        address.postcode = one_line(party.postcode).strip()
    for field_name, line in zip(("line_one", "line_two", "line_three"), lines[:3], strict=False):
        setattr(address, field_name, line)
    if party.city:
        address.city_name = one_line(party.city).strip()
    address.country_id = (party.country_code or "FR").strip().upper()
    if party.email:
        target.electronic_address.uri_ID = ("EM", one_line(party.email).strip())
    if seller:
        fiscal = siren or siret[:9]
        if fiscal:
            target.tax_registrations.add(TaxRegistration(id=("FC", fiscal)))


def note(text: str, subject: str = "") -> IncludedNote:
    item = IncludedNote()
    item.content = text
    if subject:
        item.subject_code = subject
    return item


def build(doc: InvoiceDocument) -> Document:
    x = Document()
    x.context.guideline_parameter.id = GUIDELINE
    x.header.id = one_line(doc.number).strip()
    x.header.type_code = TYPE_CODES[doc.kind]
    x.header.issue_date_time = doc.issue_date
    if doc.kind == DocumentKind.CREDIT_NOTE:
        reason = " ".join((doc.cancel_reason or "").split())
        x.header.notes.add(note(f"Avoir annulant la facture n° {one_line(doc.credited_number)}"
                                + (f" – motif : {reason}" if reason else ""), "AAI"))
    if doc.discount_text.strip():
        x.header.notes.add(note(one_line(doc.discount_text), "AAB"))
    if doc.late_penalty_text.strip():
        x.header.notes.add(note(one_line(doc.late_penalty_text), "PMD"))
    if doc.recovery_indemnity:
        x.header.notes.add(note("Indemnité forfaitaire pour frais de recouvrement en cas de retard "
                                "de paiement : 40 € (art. L441-10 et D441-5 du code de commerce).",
                                "PMT"))

    for index, line in enumerate(doc.lines, start=1):
        item = LineItem()
        item.document.line_id = str(index)
        item.product.name = one_line(line.description).strip()
        item.agreement.net.amount = money(line.unit_price_cents)
        item.delivery.billed_quantity = (Decimal(line.quantity), UNIT_PIECE)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = "E"
        item.settlement.trade_tax.rate_applicable_percent = Decimal("0.00")
        item.settlement.monetary_summation.total_amount = money(line.total_cents)
        x.trade.items.add(item)

    agreement = x.trade.agreement
    if doc.buyer.service_code.strip():
        agreement.buyer_reference = one_line(doc.buyer.service_code).strip()
    fill_party(agreement.seller, doc.seller, seller=True)
    fill_party(agreement.buyer, doc.buyer, seller=False)
    if doc.order_number.strip():
        agreement.seller_order.issuer_assigned_id = one_line(doc.order_number).strip()
    if doc.buyer.commitment_number.strip():
        agreement.buyer_order.issuer_assigned_id = one_line(doc.buyer.commitment_number).strip()

    if doc.delivered_to.strip():
        x.trade.delivery.ship_to.name = one_line(doc.delivered_to).strip()

    settlement = x.trade.settlement
    settlement.payment_reference = one_line(doc.number).strip()
    settlement.currency_code = "EUR"
    iban = iban_of(doc)
    if iban:
        means = PaymentMeans()
        means.type_code = "58"                      # SEPA credit transfer
        means.payee_account.iban = iban
        settlement.payment_means.add(means)
    tax = ApplicableTradeTax()
    tax.calculated_amount = money(0)
    tax.type_code = "VAT"
    tax.exemption_reason = one_line(doc.vat_mention).strip()
    tax.basis_amount = money(doc.total_cents)
    tax.category_code = "E"
    tax.rate_applicable_percent = Decimal("0.00")
    settlement.trade_tax.add(tax)
    terms = PaymentTerms()
    if doc.payment_terms.strip():
        terms.description = one_line(doc.payment_terms).strip()
    terms.due = doc.due_date
    settlement.terms.add(terms)
    totals = settlement.monetary_summation
    totals.line_total = money(sum(line.total_cents for line in doc.lines))
    totals.tax_basis_total = money(doc.total_cents)
    totals.tax_total = (money(0), "EUR")
    totals.grand_total = money(doc.total_cents)
    totals.due_amount = money(doc.total_cents)
    if doc.kind == DocumentKind.CREDIT_NOTE:
        reference = settlement.invoice_referenced_document
        reference.issuer_assigned_id = one_line(doc.credited_number).strip()
        if doc.credited_date:
            reference.issue_date_time = doc.credited_date
    return x


def check_xsd(xml: bytes) -> None:
    """The factur-x library's check against the official EN 16931 XSD, its failure in French."""
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as error:  # the library raises a bare Exception with the XSD's message
        detail = str(error.__cause__ or error).strip()
        raise FacturXError("Le fichier Factur-X ne respecte pas le schéma officiel EN 16931 : "
                           f"{detail}") from error


def facturx_xml(doc: InvoiceDocument) -> bytes:
    """The EN 16931 CII XML of this invoice or credit note, checked against the XSD."""
    found = problems(doc)
    if found:
        raise FacturXError("Impossible de produire la facture Factur-X :\n– " + "\n– ".join(found))
    xml = build(doc).serialize(schema=None)
    check_xsd(xml)
    return xml


def facturx_invoice(doc: InvoiceDocument) -> bytes:
    """The Factur-X file: the printed invoice as a PDF/A-3 with its XML embedded."""
    xml = facturx_xml(doc)
    pdf = invoice_pdf(doc, pdfa=True)
    title = f"{doc.kind.label} n° {one_line(doc.number)}"
    return facturx.generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=False, lang="fr-FR",
        pdf_metadata={
            "author": one_line(doc.seller.name),
            "keywords": "Factur-X, facture",
            "title": title,
            "subject": f"{title} du {doc.issue_date.strftime('%d/%m/%Y')} – "
                       f"{one_line(doc.seller.name)} à {one_line(doc.buyer.name)}",
        })


# -- reading back ----------------------------------------------------------------------------

def text_at(root, path: str) -> str:
    found = root.xpath(path, namespaces=NS)
    return (found[0].text or "").strip() if found else ""


def date_at(root, path: str) -> date | None:
    text = text_at(root, path)
    return datetime.strptime(text, "%Y%m%d").date() if text else None


def read_facturx_xml(xml: bytes) -> FacturXSummary:
    """The figures and identifiers of a Factur-X XML (checked against the XSD first)."""
    check_xsd(xml)
    root = etree.fromstring(xml)
    trade = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    agreement = f"{trade}/ram:ApplicableHeaderTradeAgreement"
    settlement = f"{trade}/ram:ApplicableHeaderTradeSettlement"
    totals = f"{settlement}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    lines = root.xpath(f"{trade}/ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
    issue = date_at(root, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/"
                          "udt:DateTimeString")
    if issue is None:
        raise FacturXError("Le fichier Factur-X n'a pas de date d'émission.")
    return FacturXSummary(
        number=text_at(root, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"),
        type_code=text_at(root, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode"),
        issue_date=issue,
        due_date=date_at(root, f"{settlement}/ram:SpecifiedTradePaymentTerms/"
                               "ram:DueDateDateTime/udt:DateTimeString"),
        seller_name=text_at(root, f"{agreement}/ram:SellerTradeParty/ram:Name"),
        seller_siret=text_at(root, f"{agreement}/ram:SellerTradeParty/"
                                   "ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0009']"),
        buyer_name=text_at(root, f"{agreement}/ram:BuyerTradeParty/ram:Name"),
        buyer_siret=text_at(root, f"{agreement}/ram:BuyerTradeParty/"
                                  "ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0009']"),
        service_code=text_at(root, f"{agreement}/ram:BuyerReference"),
        commitment_number=text_at(root, f"{agreement}/ram:BuyerOrderReferencedDocument/"
                                        "ram:IssuerAssignedID"),
        order_number=text_at(root, f"{agreement}/ram:SellerOrderReferencedDocument/"
                                   "ram:IssuerAssignedID"),
        currency=text_at(root, f"{settlement}/ram:InvoiceCurrencyCode"),
        total_cents=cents_of(text_at(root, f"{totals}/ram:GrandTotalAmount")),
        due_cents=cents_of(text_at(root, f"{totals}/ram:DuePayableAmount")),
        tax_cents=cents_of(text_at(root, f"{totals}/ram:TaxTotalAmount")),
        line_amounts=tuple(cents_of(text_at(line, "ram:SpecifiedLineTradeSettlement/"
                                                  "ram:SpecifiedTradeSettlementLineMonetarySummation/"
                                                  "ram:LineTotalAmount")) for line in lines),
        line_quantities=tuple(int(Decimal(text_at(line, "ram:SpecifiedLineTradeDelivery/"
                                                        "ram:BilledQuantity") or "0"))
                              for line in lines),
        vat_category=text_at(root, f"{settlement}/ram:ApplicableTradeTax/ram:CategoryCode"),
        exemption_reason=text_at(root, f"{settlement}/ram:ApplicableTradeTax/ram:ExemptionReason"),
        credited_number=text_at(root, f"{settlement}/ram:InvoiceReferencedDocument/"
                                      "ram:IssuerAssignedID"),
        level=facturx.get_level(root, "factur-x"),
    )


def read_facturx(pdf: bytes) -> FacturXSummary:
    """Read a Factur-X PDF's embedded XML back: number, dates, SIRETs, service code,
    commitment number, totals and line amounts."""
    try:
        _name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    except Exception as error:
        raise FacturXError(f"Ce PDF n'est pas lisible comme une facture Factur-X : {error}") from error
    if not xml:
        raise FacturXError("Ce PDF ne contient pas de fichier Factur-X.")
    return read_facturx_xml(xml)
