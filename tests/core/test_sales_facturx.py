"""The Factur-X file for a public payer: the XML passes the official EN 16931 XSD, its amounts
and identifiers read back from the PDF equal the invoice's, the PDF is a PDF/A-3 with the XML
attached, and a document that cannot make a valid invoice is refused in French."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import facturx
import pypdf
import pytest
from lxml import etree

from occe_bureau.sales.facturx import (
    NS,
    FacturXError,
    check_xsd,
    facturx_invoice,
    facturx_xml,
    read_facturx,
    read_facturx_xml,
)
from occe_bureau.sales.invoice_pdf import InvoiceLine, invoice_pdf
from tests.core.test_sales_documents import COOP, TOWN, credit_doc, invoice_doc
from tests.pdf import pdf_text


def test_the_xml_passes_the_official_xsd():
    xml = facturx_xml(invoice_doc())
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    assert facturx.get_level(etree.fromstring(xml), "factur-x") == "en16931"


def test_amounts_and_identifiers_read_back_from_the_pdf_equal_the_invoice():
    doc = invoice_doc()
    pdf = facturx_invoice(doc)
    back = read_facturx(pdf)
    assert back.number == doc.number and back.type_code == "380"
    assert back.issue_date == doc.issue_date and back.due_date == doc.due_date
    assert back.seller_siret == doc.seller.siret == "77567227200009"
    assert back.buyer_siret == doc.buyer.siret == "21920000300008"
    assert back.service_code == doc.buyer.service_code == "EDUC-ECOLES"
    assert back.commitment_number == doc.buyer.commitment_number == "EJ2025-00417"
    assert back.order_number == doc.order_number
    assert back.seller_name == doc.seller.name and back.buyer_name == doc.buyer.name
    assert back.currency == "EUR"
    assert back.total_cents == back.due_cents == doc.total_cents == 21450
    assert back.tax_cents == 0
    assert back.line_amounts == tuple(line.total_cents for line in doc.lines)
    assert back.line_quantities == tuple(line.quantity for line in doc.lines)
    assert back.vat_category == "E"
    assert back.exemption_reason == doc.vat_mention
    assert back.level == "en16931"
    # The file is still the printed invoice.
    assert "Code service : EDUC-ECOLES" in pdf_text(pdf)


def test_the_xml_says_what_chorus_pro_reads_where_it_reads_it():
    root = etree.fromstring(facturx_xml(invoice_doc()))
    agreement = ("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
                 "ram:ApplicableHeaderTradeAgreement")

    def one(path: str):
        found = root.xpath(path, namespaces=NS)
        assert len(found) == 1, path
        return found[0]

    seller_id = one(f"{agreement}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
    buyer_id = one(f"{agreement}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
    assert (seller_id.get("schemeID"), seller_id.text) == ("0009", "77567227200009")
    assert (buyer_id.get("schemeID"), buyer_id.text) == ("0009", "21920000300008")
    assert one(f"{agreement}/ram:BuyerReference").text == "EDUC-ECOLES"
    assert one(f"{agreement}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID").text == "EJ2025-00417"
    taxes = root.xpath("//ram:ApplicableTradeTax", namespaces=NS)
    assert len(taxes) == 4    # three lines and the breakdown
    assert {t.findtext("ram:CategoryCode", namespaces=NS) for t in taxes} == {"E"}
    notes = {n.findtext("ram:SubjectCode", namespaces=NS): n.findtext("ram:Content", namespaces=NS)
             for n in root.xpath("//ram:IncludedNote", namespaces=NS)}
    assert "40 €" in notes["PMT"] and "Pénalités" in notes["PMD"] and "escompte" in notes["AAB"]
    iban = root.xpath("//ram:PayeePartyCreditorFinancialAccount/ram:IBANID", namespaces=NS)
    assert [i.text for i in iban] == ["FR7630006000011234567890189"]


def test_a_wrong_iban_is_left_out_rather_than_sent():
    root = etree.fromstring(facturx_xml(invoice_doc(bank_details="IBAN FR76 3000 6000 0112 3456 7890 188")))
    assert root.xpath("//ram:IBANID", namespaces=NS) == []


def test_amounts_are_exact_decimals():
    lines = (InvoiceLine("Livre", 3, 1, 3), InvoiceLine("Kit", 7, 1763597, 12345179))
    doc = invoice_doc(lines=lines, total_cents=12345182)
    xml = facturx_xml(doc)
    assert b"<ram:GrandTotalAmount>123451.82</ram:GrandTotalAmount>" in xml
    assert b"<ram:ChargeAmount>0.01</ram:ChargeAmount>" in xml
    assert b"<ram:ChargeAmount>17635.97</ram:ChargeAmount>" in xml
    back = read_facturx_xml(xml)
    assert back.total_cents == 12345182 and back.line_amounts == (3, 12345179)


def test_a_credit_note_is_type_381_and_names_the_invoice_it_cancels():
    doc = credit_doc()
    back = read_facturx(facturx_invoice(doc))
    assert back.type_code == "381" and back.number == "AV2025-0003"
    assert back.credited_number == "F2025-0017"
    assert back.total_cents == doc.total_cents
    root = etree.fromstring(facturx_xml(doc))
    reason = root.xpath("//ram:IncludedNote[ram:SubjectCode='AAI']/ram:Content", namespaces=NS)
    assert "Commande saisie deux fois." in reason[0].text


def test_the_file_is_a_pdfa3_with_the_xml_attached():
    pdf = facturx_invoice(invoice_doc())
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml" and b"F2025-0042" in xml
    reader = pypdf.PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object()["/N"] == 3
    metadata = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata
    assert b"EN 16931" in metadata
    # The document information agrees with the XMP metadata, as PDF/A asks.
    assert f"<pdf:Producer>{reader.metadata['/Producer']}</pdf:Producer>".encode() in metadata
    assert reader.metadata["/Title"] == "Facture n° F2025-0042"
    # Every font the pages use is embedded (no Helvetica left from ReportLab's defaults).
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for font in fonts.values():
            font = font.get_object()
            assert font["/BaseFont"] != "/Helvetica"
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"total_cents": 21451}, "Le total n'est pas la somme des lignes."),
    ({"lines": (InvoiceLine("Livre", 2, 500, 999),)}, "Ligne 1 : le montant"),
    ({"lines": (InvoiceLine("Livre", 0, 500, 0),)}, "Ligne 1 : la quantité"),
    ({"lines": ()}, "aucune ligne"),
    ({"number": "F 2025/0042 bis"}, "Le numéro « F 2025/0042 bis » ne convient pas"),
    ({"buyer": replace(TOWN, siret="")}, "Chorus Pro en a besoin"),
    ({"vat_mention": "  "}, "La mention d'exonération de TVA"),
    ({"due_date": date(2026, 3, 1)}, "L'échéance précède la date de la facture."),
])
def test_a_bad_document_is_refused_in_french(changes, message):
    doc = invoice_doc(**changes)
    with pytest.raises(FacturXError, match="Impossible de produire la facture Factur-X") as refused:
        facturx_invoice(doc)
    assert message in str(refused.value)


def test_the_association_needs_its_siret():
    doc = invoice_doc(seller=replace(invoice_doc().seller, siret="7756722"))
    with pytest.raises(FacturXError, match="Le SIRET de l'association"):
        facturx_xml(doc)


def test_an_invoice_to_a_coop_needs_no_siret():
    back = read_facturx_xml(facturx_xml(invoice_doc(buyer=COOP)))
    assert back.buyer_siret == "" and back.service_code == "" and back.commitment_number == ""


def test_an_xml_that_fails_the_xsd_is_refused_in_french():
    root = etree.fromstring(facturx_xml(invoice_doc()))
    header = root.find("rsm:ExchangedDocument", NS)
    header.remove(header.find("ram:TypeCode", NS))
    with pytest.raises(FacturXError, match="ne respecte pas le schéma officiel EN 16931"):
        check_xsd(etree.tostring(root))


def test_a_plain_pdf_is_not_read_as_factur_x():
    with pytest.raises(FacturXError, match="Factur-X"):
        read_facturx(invoice_pdf(invoice_doc()))


@pytest.mark.parametrize("siret", ["21920000300009", "2192000030000", "2192000030000A"])
def test_a_town_hall_siret_with_a_wrong_key_is_refused(siret):
    with pytest.raises(FacturXError, match="n'est pas valide"):
        facturx_xml(invoice_doc(buyer=replace(TOWN, siret=siret)))


@pytest.mark.parametrize("siret", ["35600000000048", "35600000012346"])
def test_la_poste_sirets_follow_their_own_rule(siret):
    la_poste = replace(TOWN, name="La Poste", siret=siret)
    assert read_facturx_xml(facturx_xml(invoice_doc(buyer=la_poste))).buyer_siret == siret
