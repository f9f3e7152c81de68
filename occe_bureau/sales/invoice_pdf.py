"""The printed papers of the sales domain: the invoice (FACTURE) and the credit note (AVOIR) with
every mention French law requires of them (code de commerce L441-9 and R123-237, CGI art. 242
nonies A of annex II), the payment receipt and the reminder letter.

Plain data in (the dataclasses below, owned here and built by the sales core from its orders),
PDF bytes out. The documents lay the data out and compute no rule: totals, due dates and
numbers come in already decided.

Invoices are drawn straight onto the canvas, one after the other, the association's letterhead
and legal footer drawn once per batch into a PDF form object and reused: a batch of hundreds
comes out at printer speed in one file. Text is drawn as text (never parsed as markup), so a
payer called "<b>Mairie</b>" or "=1+1" prints exactly so; the receipt and the reminder, laid out
with Paragraphs, escape what they print.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass
from datetime import date
from enum import StrEnum

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from occe_bureau.formats import counted, format_date, format_int, format_money
from occe_bureau.printing import (
    FONT,
    FONT_BOLD,
    HEADER_HEIGHT,
    MARGIN,
    TABLE_GRID,
    Letterhead,
    NumberedCanvas,
    TextPen,
    add_pdfa_output_intent,
    draw_footer,
    draw_letterhead,
    esc,
    footer_height,
    image_flowable,
    register_fonts,
    render,
    styles,
    text_width,
    wrapped,
)


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
    """An invoice or a credit note as frozen at issue. On a credit note the lines and the total
    are positive too: what it credits (EN 16931 says so of type 381), and it names the invoice
    it cancels (credited_number, credited_date) and why (cancel_reason)."""

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
    # The discount terms, a mention the code de commerce asks for (L441-9) even when none.
    discount_text: str = "Pas d'escompte pour paiement anticipé."


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
    order_number: str = ""
    payment_terms: str = ""          # how to pay, as on the invoice
    bank_details: str = ""           # IBAN/BIC line, "" if none
    late_penalty_text: str = ""      # the penalties the invoice announced
    recovery_indemnity: bool = False  # the fixed 40 € indemnity the invoice announced



class PrintCancelled(Exception):
    """The batch was cancelled by its progress callback: no PDF."""

    def __init__(self) -> None:
        super().__init__("Impression annulée : aucun PDF n'a été produit.")


RECOVERY_MENTION = ("Indemnité forfaitaire pour frais de recouvrement due en cas de retard de "
                    "paiement : 40 € (articles L441-10 et D441-5 du code de commerce).")

WIDTH, HEIGHT = A4
LEFT = MARGIN
RIGHT = WIDTH - MARGIN
TOP = HEIGHT - MARGIN
TEXT_WIDTH = RIGHT - LEFT
BUYER_X = LEFT + 97 * mm             # the address block, in the window of a DL envelope
INFO_WIDTH = 90 * mm
SIZE = 8.5
LEADING = 4 * mm
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#b5b5b5")
SHADE = colors.HexColor("#e8eef5")
CREDIT_RED = colors.HexColor("#9b0000")
# The lines table: description, then three right-aligned columns (their right edges).
DESC_X = LEFT + 1.5 * mm
DESC_WIDTH = 97 * mm
QTY_RIGHT = LEFT + 118 * mm
UNIT_RIGHT = LEFT + 148 * mm
TOTAL_RIGHT = RIGHT - 1.5 * mm
TOTALS_X = LEFT + 100 * mm
CONTINUED_TOP = TOP - HEADER_HEIGHT - 6 * mm   # where a later page starts, under "(suite)"


def one_line(text: str) -> str:
    """A single-line field as typed, its line breaks and tabs shown as spaces."""
    return (text or "").replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def grouped_identifier(value: str) -> str:
    """SIREN "123456789" -> "123 456 789", SIRET -> "123 456 789 00012"; anything else as typed."""
    digits = (value or "").replace(" ", "")
    if digits.isdigit() and len(digits) in (9, 14):
        return " ".join([digits[0:3], digits[3:6], digits[6:9]] + ([digits[9:]] if len(digits) == 14 else []))
    return value or ""


def party_address(party: Party) -> list[str]:
    """The postal lines of a party: street lines, "postcode city", the country if not France."""
    lines = [one_line(line) for line in party.address_lines if line and line.strip()]
    town = " ".join(p for p in (one_line(party.postcode), one_line(party.city)) if p)
    if town:
        lines.append(town)
    if party.country_code and party.country_code.upper() != "FR":
        lines.append(party.country_code.upper())
    return lines


def seller_footer(seller: Party) -> str:
    """The issuer's legal identity, at the foot of every page: name, address, SIREN, SIRET,
    RNA (and e-mail)."""
    first = " – ".join([one_line(seller.name), ", ".join(party_address(seller))])
    ids = []
    if seller.siren:
        ids.append(f"SIREN {grouped_identifier(seller.siren)}")
    if seller.siret:
        ids.append(f"SIRET {grouped_identifier(seller.siret)}")
    if seller.rna:
        ids.append(f"RNA {one_line(seller.rna)}")
    if seller.email:
        ids.append(one_line(seller.email))
    return first + ("\n" + " – ".join(ids) if ids else "")


def buyer_identifiers(buyer: Party) -> list[tuple[str, str]]:
    """What a public body (or a professional) needs printed to route and book the invoice."""
    rows = []
    if buyer.siret:
        rows.append(("SIRET", grouped_identifier(buyer.siret)))
    elif buyer.siren:
        rows.append(("SIREN", grouped_identifier(buyer.siren)))
    if buyer.service_code:
        rows.append(("Code service", one_line(buyer.service_code)))
    if buyer.commitment_number:
        rows.append(("N° d'engagement", one_line(buyer.commitment_number)))
    return rows


def document_label(doc: InvoiceDocument) -> str:
    return f"{doc.kind.label} n° {one_line(doc.number)} – {one_line(doc.buyer.name)}"


class InvoiceWriter:
    """Invoices and credit notes drawn one after the other on one canvas, each numbered on its
    own ("Page 1 sur 2"); `finish()` returns the PDF bytes. What repeats from one invoice to
    the next (letterhead, footer, titles, the table head, the totals box, the payment terms) is
    drawn once into a form object and placed on each."""

    def __init__(self, title: str = "Factures", *, pdfa: bool = False, author: str = "") -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = NumberedCanvas(self.buffer, pagesize=A4, pageCompression=1,
                                     initialFontName=FONT)  # no Helvetica: PDF/A embeds all
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setCreator("OCCE Bureau")
        self.canvas.setSubject(title)
        if pdfa:
            add_pdfa_output_intent(self.canvas)
            # The factur-x library writes the final file with pypdf and names it as producer
            # in the XMP metadata; PDF/A wants the document information to say the same.
            self.canvas.setProducer("pypdf")
        self.count = 0
        self.forms: dict[tuple, tuple[str, float]] = {}

    # -- forms: drawn once, placed many times -------------------------------------------------
    def form(self, key: tuple, draw: Callable[[TextPen], float]) -> tuple[str, float]:
        """The form object for `key`, drawn by `draw(pen)` (which returns the height it took,
        drawing downwards from y = 0) the first time. A form shows only what is inside the
        page's box: it is drawn shifted up by a page height, and placed shifted back."""
        found = self.forms.get(key)
        if found is None:
            name = f"f{len(self.forms)}"
            c = self.canvas
            c.beginForm(name)
            c.saveState()
            c.translate(0, HEIGHT)
            pen = TextPen(c)
            height = draw(pen)
            pen.flush()
            c.restoreState()
            c.endForm()
            found = self.forms[key] = (name, height)
        return found

    def place(self, key: tuple, draw: Callable[[TextPen], float], y: float) -> float:
        """Place the form with its top at y; returns y below it."""
        name, height = self.form(key, draw)
        c = self.canvas
        c.saveState()
        c.translate(0, y - HEIGHT)
        c.doForm(name)
        c.restoreState()
        return y - height

    def page_form(self, doc: InvoiceDocument) -> None:
        """Letterhead and legal footer, on every page."""
        footer = seller_footer(doc.seller)

        def draw(_pen: TextPen) -> float:
            draw_letterhead(self.canvas, doc.letterhead, top=TOP - HEIGHT)
            self.canvas.translate(0, -HEIGHT)
            draw_footer(self.canvas, footer)
            return 0.0

        self.place(("page", doc.letterhead, footer), draw, HEIGHT)

    # -- one invoice -------------------------------------------------------------------------
    def add(self, doc: InvoiceDocument) -> None:
        c = self.canvas
        if self.count:
            c.showPage()
        c.open_section(document_label(doc))
        self.page_form(doc)
        self.count += 1
        pen = TextPen(c)
        y = self.heading(doc, pen)
        bottom = 9 * mm + 4 * mm + footer_height(seller_footer(doc.seller)) + 2 * mm
        pen.flush()
        y = self.place(("table head",), self.draw_table_head, y)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        page_room = CONTINUED_TOP - 6 * mm - bottom
        for line in doc.lines:
            texts = [w for part in (line.description or "").split("\n")
                     for w in (wrapped(part, FONT, SIZE, DESC_WIDTH) or ("",))] or [""]
            height = len(texts) * LEADING + 1.6 * mm
            if y - height < bottom and (height <= page_room or y - 2 * LEADING < bottom):
                pen = self.continued(doc, pen)
                y = self.place(("table head",), self.draw_table_head, CONTINUED_TOP)
                c.setStrokeColor(RULE)
                c.setLineWidth(0.4)
            base = y - 3.3 * mm
            pen.right(QTY_RIGHT, base, format_int(line.quantity), FONT, SIZE)
            pen.right(UNIT_RIGHT, base, format_money(line.unit_price_cents), FONT, SIZE)
            pen.right(TOTAL_RIGHT, base, format_money(line.total_cents), FONT, SIZE)
            for text in texts:
                if base < bottom + 1 * mm:  # a description taller than a page goes on over the next
                    pen = self.continued(doc, pen)
                    base = self.place(("table head",), self.draw_table_head, CONTINUED_TOP) - 3.3 * mm
                    c.setStrokeColor(RULE)
                    c.setLineWidth(0.4)
                pen.draw(DESC_X, base, text, FONT, SIZE)
                base -= LEADING
            y = base + 3.3 * mm - 1.6 * mm
            c.line(LEFT, y, RIGHT, y)
        totals_key = ("totals", doc.kind, one_line(doc.vat_mention))
        terms_key = ("terms", doc.kind, doc.payment_terms, doc.bank_details, doc.discount_text,
                     doc.late_penalty_text, doc.recovery_indemnity)
        needed = (self.form(totals_key, lambda p: self.draw_totals(doc, p))[1]
                  + self.form(terms_key, lambda p: self.draw_terms(doc, p))[1] + 20 * mm)
        if y - needed < bottom:
            pen = self.continued(doc, pen)
            y = CONTINUED_TOP
        top = y - 2.5 * mm
        y = self.place(totals_key, lambda p: self.draw_totals(doc, p), top)
        pen.right(TOTAL_RIGHT, top - 5.2 * mm, format_money(doc.total_cents), FONT_BOLD, 10.5)
        y -= 3 * mm
        credit = doc.kind == DocumentKind.CREDIT_NOTE
        pen.draw(LEFT, y, "Conditions de règlement" if not credit else "Conditions", FONT_BOLD, 10)
        y -= 6 * mm
        y = self.field(pen, LEFT, y, "Date d'échéance", format_date(doc.due_date), TEXT_WIDTH,
                       size=SIZE, bold_value=True)
        if not credit:
            y = self.field(pen, LEFT, y, "Référence à rappeler avec le paiement",
                           one_line(doc.number), TEXT_WIDTH, size=SIZE)
        pen.flush()
        self.place(terms_key, lambda p: self.draw_terms(doc, p), y + LEADING - 0.01)

    def continued(self, doc: InvoiceDocument, pen: TextPen) -> TextPen:
        pen.flush()
        self.canvas.showPage()
        self.page_form(doc)
        return TextPen(self.canvas)

    def heading(self, doc: InvoiceDocument, pen: TextPen) -> float:
        """Title, number, dates and references at left; the payer's address block at right.
        Returns where the lines table starts."""
        c = self.canvas
        credit = doc.kind == DocumentKind.CREDIT_NOTE
        self.place(("title", doc.kind), lambda p: self.draw_title(doc.kind, p), HEIGHT)
        y = TOP - 38 * mm
        pen.draw(LEFT, y, f"N° {one_line(doc.number)}", FONT_BOLD, 11.5)
        y -= 6.5 * mm
        rows = [("Date", format_date(doc.issue_date))]
        if credit and doc.credited_number:
            rows.append(("Facture annulée", f"n° {one_line(doc.credited_number)}"
                         + (f" du {format_date(doc.credited_date)}" if doc.credited_date else "")))
        rows.append(("Échéance", format_date(doc.due_date)))
        if doc.order_number:
            rows.append(("Commande", f"n° {one_line(doc.order_number)}"))
        if doc.delivered_to:
            rows.append(("Livré à", one_line(doc.delivered_to)))
        for label, value in rows:
            y = self.field(pen, LEFT, y, label, value, INFO_WIDTH)

        # The payer, where the window of an envelope shows it.
        by = TOP - 32 * mm
        width = RIGHT - BUYER_X
        for text in wrapped(one_line(doc.buyer.name), FONT_BOLD, 10, width)[:3]:
            pen.draw(BUYER_X, by, text, FONT_BOLD, 10)
            by -= 4.5 * mm
        for line in party_address(doc.buyer):
            for text in wrapped(line, FONT, 9.5, width)[:2]:
                pen.draw(BUYER_X, by, text, FONT, 9.5)
                by -= 4.3 * mm
        idents = buyer_identifiers(doc.buyer)
        if idents:
            by -= 1.5 * mm
            for label, value in idents:
                by = self.field(pen, BUYER_X, by, label, value, width, size=8.5)
        if doc.buyer.email:
            by = self.field(pen, BUYER_X, by, "Courriel", one_line(doc.buyer.email), width, size=8.5)
        y = min(y, by) - 4 * mm

        if credit:
            reason = " ".join((doc.cancel_reason or "").split())
            lines: list[tuple[str, str]] = []
            if doc.credited_number:
                sentence = (f"Cet avoir annule la facture n° {one_line(doc.credited_number)}"
                            + (f" du {format_date(doc.credited_date)}" if doc.credited_date else "")
                            + ".")
                lines += [(t, FONT_BOLD) for t in wrapped(sentence, FONT_BOLD, 9.5, TEXT_WIDTH - 4 * mm)]
            if reason:
                lines += [(t, FONT) for t in wrapped(f"Motif : {reason}", FONT, 9.5, TEXT_WIDTH - 4 * mm)]
            if lines:
                pen.flush()
                height = len(lines) * 4.4 * mm + 2.6 * mm
                c.setStrokeColor(CREDIT_RED)
                c.setLineWidth(0.8)
                c.rect(LEFT, y - height, TEXT_WIDTH, height, stroke=1, fill=0)
                ly = y - 4.6 * mm
                for text, font in lines:
                    pen.draw(LEFT + 2 * mm, ly, text, font, 9.5, CREDIT_RED)
                    ly -= 4.4 * mm
                pen.flush()
                y -= height + 4 * mm
        return y

    @staticmethod
    def draw_title(kind: DocumentKind, pen: TextPen) -> float:
        credit = kind == DocumentKind.CREDIT_NOTE
        pen.draw(LEFT, TOP - HEIGHT - 31 * mm, kind.title, FONT_BOLD, 18,
                 CREDIT_RED if credit else None)
        pen.draw(BUYER_X, TOP - HEIGHT - 27 * mm, "Destinataire" if credit else "Facturé à",
                 FONT, 7.5, GREY)
        return 0.0

    @staticmethod
    def field(pen: TextPen, x: float, y: float, label: str, value: str, width: float, *,
              size: float = 9, bold_value: bool = False) -> float:
        """"Label : value", the value wrapped under itself. Returns the next line's y."""
        text = f"{label} : " if label else ""
        shift = text_width(text, FONT_BOLD, size) if label else 0
        if label:
            pen.draw(x, y, text, FONT_BOLD, size)
        font = FONT_BOLD if bold_value else FONT
        step = LEADING if size <= SIZE else size * 0.5 * mm
        for part in (value or "").split("\n"):
            for line in wrapped(part, font, size, width - shift) or ("",):
                pen.draw(x + shift, y, line, font, size)
                y -= step
        return y

    def draw_table_head(self, pen: TextPen) -> float:
        c = self.canvas
        height = 6 * mm
        c.setFillColor(SHADE)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.rect(LEFT, -height, TEXT_WIDTH, height, stroke=1, fill=1)
        base = -4.1 * mm
        pen.draw(DESC_X, base, "Désignation", FONT_BOLD, SIZE)
        pen.right(QTY_RIGHT, base, "Quantité", FONT_BOLD, SIZE)
        pen.right(UNIT_RIGHT, base, "Prix unitaire", FONT_BOLD, SIZE)
        pen.right(TOTAL_RIGHT, base, "Montant", FONT_BOLD, SIZE)
        return height

    def draw_totals(self, doc: InvoiceDocument, pen: TextPen) -> float:
        """The total's box and its label (the amount goes in it) and the VAT mention below."""
        c = self.canvas
        height = 7.5 * mm
        c.setFillColor(SHADE)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.rect(TOTALS_X, -height, RIGHT - TOTALS_X, height, stroke=1, fill=1)
        label = "Net à payer" if doc.kind == DocumentKind.INVOICE else "Montant de l'avoir"
        pen.draw(TOTALS_X + 2 * mm, -5.2 * mm, label, FONT_BOLD, 10.5)
        y = -height - 4 * mm
        for text in wrapped(one_line(doc.vat_mention), FONT, 8.5, RIGHT - TOTALS_X):
            pen.right(TOTAL_RIGHT, y, text, FONT, 8.5, GREY)
            y -= LEADING
        return -y

    def draw_terms(self, doc: InvoiceDocument, pen: TextPen) -> float:
        """The payment terms that are the same on every invoice of a batch (from Réglages)."""
        y = -LEADING
        y = self.field(pen, LEFT, y, "Conditions de paiement", doc.payment_terms, TEXT_WIDTH,
                       size=SIZE) if doc.payment_terms.strip() else y
        if doc.bank_details.strip():
            y = self.field(pen, LEFT, y, "Coordonnées bancaires", doc.bank_details, TEXT_WIDTH,
                           size=SIZE)
        for text in (doc.discount_text, doc.late_penalty_text,
                     RECOVERY_MENTION if doc.recovery_indemnity else ""):
            if text and text.strip():
                y = self.field(pen, LEFT, y, "", text, TEXT_WIDTH, size=SIZE)
        return -y

    def finish(self) -> bytes:
        if self.count == 0:
            self.canvas.setFont(FONT, 10)
            self.canvas.drawString(LEFT, HEIGHT / 2, "Aucune facture.")
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def invoice_pdf(doc: InvoiceDocument, *, pdfa: bool = False) -> bytes:
    """The invoice or the credit note, as one PDF (pdfa=True: with the sRGB output intent
    a PDF/A-3 needs, for Factur-X)."""
    writer = InvoiceWriter(f"{doc.kind.label} n° {one_line(doc.number)}", pdfa=pdfa,
                           author=one_line(doc.seller.name))
    writer.add(doc)
    return writer.finish()


def invoices_pdf(docs: Iterable[InvoiceDocument],
                 progress: Callable[[int, int], bool] | None = None) -> bytes:
    """One PDF for a batch, each document on its own pages, numbered on its own.
    `progress(done, total)` is called after each document; returning False cancels the batch:
    PrintCancelled is raised and no PDF is made."""
    docs = list(docs)
    total = len(docs)
    writer = InvoiceWriter("Factures" if total != 1 else f"{docs[0].kind.label} n° {docs[0].number}",
                           author=one_line(docs[0].seller.name) if docs else "")
    for done, doc in enumerate(docs, start=1):
        writer.add(doc)
        if progress is not None and progress(done, total) is False:
            raise PrintCancelled()
    return writer.finish()


# -- the payment receipt and the reminder letter: one page each, laid out with Paragraphs ------

def party_block(party: Party, sheet, *, label: str) -> list:
    """The addressee as Paragraphs (escaped: printed as typed)."""
    block = [Paragraph(esc(label), sheet["tiny"]),
             Paragraph(f"<b>{esc(one_line(party.name))}</b>", sheet["body"])]
    block += [Paragraph(esc(line), sheet["body"]) for line in party_address(party)]
    for name, value in buyer_identifiers(party):
        block.append(Paragraph(f"<b>{esc(name)} :</b> {esc(value)}", sheet["small"]))
    return block


def two_columns(left: list, right: list) -> Table:
    table = Table([[left, right]], colWidths=[TEXT_WIDTH - (RIGHT - BUYER_X), RIGHT - BUYER_X])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def signature_block(head: Letterhead, sheet, place_date: str) -> list:
    who = esc(head.signatory_name) + (f", {esc(head.signatory_title)}" if head.signatory_title else "")
    block = [Paragraph(esc(place_date), sheet["body"])]
    picture = image_flowable(head.signature, 50 * mm, 20 * mm)
    block.append(picture if picture is not None else Spacer(1, 14 * mm))
    if who:
        block.append(Paragraph(f"<b>{who}</b>", sheet["body"]))
    inner = Table([[block]], colWidths=[70 * mm])
    inner.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    outer = Table([["", inner]], colWidths=[TEXT_WIDTH - 70 * mm, 70 * mm])
    outer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 6 * mm), KeepTogether(outer)]


def payment_receipt_pdf(doc: PaymentReceiptDocument) -> bytes:
    """"Reçu de paiement": the invoice acquitted, the payments that settled it."""
    sheet = styles()
    info = [Paragraph("REÇU DE PAIEMENT", sheet["title"].clone("t", alignment=0)),
            Paragraph(f"<b>Facture n° {esc(one_line(doc.invoice_number))}</b> "
                      f"du {format_date(doc.invoice_date)}", sheet["body"]),
            Paragraph(f"Reçu établi le {format_date(doc.issue_date)}", sheet["body"])]
    story: list = [Spacer(1, 4 * mm), two_columns(info, party_block(doc.buyer, sheet, label="Payeur")),
                   Spacer(1, 8 * mm)]
    story.append(Paragraph(
        f"{esc(one_line(doc.seller.name))} reconnaît avoir reçu de {esc(one_line(doc.buyer.name))} "
        f"le règlement de la facture n° {esc(one_line(doc.invoice_number))} du "
        f"{format_date(doc.invoice_date)}, d'un montant de <b>{format_money(doc.total_cents)}</b>, "
        "par les versements suivants :", sheet["body"]))
    story.append(Spacer(1, 3 * mm))
    rows = [["Date", "Mode de paiement", "Montant"]]
    for day, method, cents in doc.payments:
        rows.append([format_date(day), Paragraph(esc(method), sheet["cell"]), format_money(cents)])
    rows.append(["", Paragraph("<b>Total reçu</b>", sheet["cell"]),
                 format_money(sum(cents for _, _, cents in doc.payments))])
    table = Table(rows, colWidths=[28 * mm, TEXT_WIDTH - 63 * mm, 35 * mm], repeatRows=1)
    table.setStyle(TableStyle([*TABLE_GRID, ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                               ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                               ("FONT", (2, -1), (2, -1), FONT_BOLD, 8.5)]))
    story.append(table)
    story.append(Spacer(1, 5 * mm))
    story.append(Paragraph(f"<b>Pour acquit de la facture n° {esc(one_line(doc.invoice_number))}.</b>",
                           sheet["body"]))
    city = one_line(doc.seller.city)
    story += signature_block(doc.letterhead, sheet,
                             f"Fait à {city}, le {format_date(doc.issue_date)}" if city
                             else f"Le {format_date(doc.issue_date)}")
    return render(story, doc.letterhead, title=f"Reçu de paiement – facture n° {one_line(doc.number)}",
                  footer=seller_footer(doc.seller))


def reminder_pdf(doc: ReminderDocument) -> bytes:
    """The reminder letter for an overdue invoice: what is due, since when, how to pay."""
    sheet = styles()
    due = doc.total_cents - doc.paid_cents
    city = one_line(doc.seller.city)
    left = [Spacer(1, 1)]
    story: list = [Spacer(1, 4 * mm), two_columns(left, party_block(doc.buyer, sheet, label="Destinataire")),
                   Spacer(1, 8 * mm)]
    story.append(Paragraph(esc(f"{city}, le {format_date(doc.issue_date)}" if city
                               else f"Le {format_date(doc.issue_date)}"),
                           sheet["right"]))
    story.append(Spacer(1, 5 * mm))
    story.append(Paragraph(f"<b>Objet : relance – facture n° {esc(one_line(doc.invoice_number))} du "
                           f"{format_date(doc.invoice_date)}</b>", sheet["body"]))
    if doc.order_number:
        story.append(Paragraph(f"Commande n° {esc(one_line(doc.order_number))}", sheet["body"]))
    story.append(Spacer(1, 5 * mm))
    body = sheet["body"].clone("letter", leading=14, spaceAfter=3 * mm)
    story.append(Paragraph("Madame, Monsieur,", body))
    story.append(Paragraph(
        f"Sauf erreur ou omission de notre part, la facture n° {esc(one_line(doc.invoice_number))} "
        f"du {format_date(doc.invoice_date)}, d'un montant de {format_money(doc.total_cents)}, "
        f"arrivée à échéance le {format_date(doc.due_date)}, n'est pas entièrement réglée à ce jour "
        f"(retard de {counted(doc.days_overdue, 'jour', 'jours')}).", body))
    rows = [["Montant de la facture", format_money(doc.total_cents)],
            ["Déjà réglé", format_money(doc.paid_cents)],
            ["Reste à payer", format_money(due)]]
    table = Table(rows, colWidths=[60 * mm, 35 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([*TABLE_GRID[:2], ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                               ("FONT", (0, -1), (-1, -1), FONT_BOLD, 9),
                               ("BACKGROUND", (0, -1), (-1, -1), SHADE)]))
    story += [table, Spacer(1, 4 * mm)]
    story.append(Paragraph(
        f"Nous vous remercions de bien vouloir procéder au règlement de {format_money(due)} dans "
        "les meilleurs délais, en rappelant le numéro de la facture.", body))
    if doc.payment_terms.strip():
        story.append(Paragraph(f"<b>Conditions de paiement :</b> {esc(doc.payment_terms)}", body))
    if doc.bank_details.strip():
        story.append(Paragraph(f"<b>Coordonnées bancaires :</b> {esc(doc.bank_details)}", body))
    if doc.late_penalty_text.strip():
        story.append(Paragraph(esc(doc.late_penalty_text), body))
    if doc.recovery_indemnity:
        story.append(Paragraph(esc(RECOVERY_MENTION), body))
    story.append(Paragraph("Si votre règlement nous est parvenu entre-temps, nous vous prions de ne "
                           "pas tenir compte de ce courrier.", body))
    story.append(Paragraph("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos "
                           "salutations distinguées.", body))
    story += signature_block(doc.letterhead, sheet, "")
    return render(story, doc.letterhead,
                  title=f"Relance – facture n° {one_line(doc.invoice_number)}",
                  footer=seller_footer(doc.seller))
