"""The tax receipt: every mention of Cerfa n° 11580*05 (individuals) or n° 16216 (companies).

Plain data in (ReceiptDoc, defined here: the receipt as frozen at issue), PDF bytes out.

The Cerfa is a fixed form, so the receipt is drawn as one: straight onto the canvas, at fixed
places, one receipt after the other. What is the same on every receipt of a batch (the
association block, the title, the fixed sentences) is drawn once into a PDF form object and
reused, so that thousands of receipts come out at printer speed in one file. Text is drawn
as text (never parsed as markup), so a donor called "<b>Dupont</b>" prints exactly so.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

from occe_bureau.formats import fold, format_date, format_money
from occe_bureau.gifts.enums import DonorKind, GiftForm, GiftNature, PaymentMethod, ReceiptKind
from occe_bureau.printing import FONT, FONT_BOLD, MARGIN, image_reader, register_fonts, wrap

WIDTH, HEIGHT = A4
LEFT = MARGIN
RIGHT = WIDTH - MARGIN
TEXT_WIDTH = RIGHT - LEFT
BOTTOM = 16 * mm
HEADER_BAND = 47 * mm
SIZE = 9
LEADING = 4.3 * mm
BOX = "☐"
TICK = "☒"
METHOD_TEXT = {m.value: m.receipt_label for m in PaymentMethod}
FORM_TEXT = {f.value: f.label for f in GiftForm}
NATURE_TEXT = {n.value: n.label for n in GiftNature}
ARTICLE_TEXT = {"200": "200 du CGI", "238 bis": "238 bis du CGI", "978": "978 du CGI"}
RECEIVED = ("Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à "
            "réduction d'impôt la somme de :")
CERTIFY = ("Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent "
           "droit à la réduction d'impôt prévue à l'article :")


@dataclass(slots=True)
class ReceiptLineData:
    received_on: date
    amount_cents: int
    method: str
    cheque_number: str


@dataclass
class ReceiptDoc:
    """Everything a receipt prints, as frozen at issue (plus its present state)."""

    id: int
    number: str
    kind: str
    issued_on: date
    donor_kind: str
    donor_name: str
    donor_first_names: str
    donor_siren: str
    donor_legal_form: str
    donor_address: str
    donor_email: str
    amount_cents: int
    amount_words: str
    gift_date: date | None
    period_start: date | None
    period_end: date | None
    form: str
    nature: str
    methods: list[str]
    coop_label: str
    project: str
    beneficiary_name: str
    beneficiary_address: str
    beneficiary_siren_rna: str
    beneficiary_object: str
    beneficiary_type: str
    articles: list[str]
    statement: str
    signatory_name: str
    signatory_title: str
    signed_place: str
    signature: bytes | None
    lines: list[ReceiptLineData]
    duplicate: bool = False
    duplicate_on: date | None = None  # the day this duplicate is delivered
    cancelled: bool = False
    cancelled_on: date | None = None
    cancel_reason: str = ""
    replaces_number: str = ""
    replaced_by_number: str = ""
    logo: bytes | None = None
    donor_id: int | None = None
    kind_description: str = ""       # a gift in kind: the goods given…
    kind_valuation: str = ""         # …and how they were valued

    @property
    def donor_display(self) -> str:
        if self.donor_kind == DonorKind.COMPANY:
            return self.donor_name
        return " ".join(p for p in (self.donor_name, self.donor_first_names) if p)

    @property
    def file_stem(self) -> str:
        """A file name for this receipt: number and donor, safe on Windows."""
        name = re.sub(r"[^\w.-]+", "_", fold(self.donor_name + " " + self.donor_first_names)).strip("_")
        return f"recu_{self.number}_{name[:60]}"


def _title_lines(doc) -> tuple[str, str, str]:
    if doc.donor_kind == DonorKind.COMPANY:
        return ("Reçu des dons et versements effectués par les entreprises",
                "au titre de l'article 238 bis du code général des impôts",
                "Modèle Cerfa n° 16216*02")
    return ("Reçu au titre des dons à certains organismes d'intérêt général",
            "Articles 200, 238 bis et 978 du code général des impôts",
            "Modèle Cerfa n° 11580*05")


def _ticks(options: dict[str, str], chosen) -> str:
    return "   ".join(f"{TICK if key in chosen else BOX} {label}" for key, label in options.items())


class _Pen:
    """A cursor going down the page: labelled lines, wrapped text, section titles."""

    def __init__(self, canvas, y: float) -> None:
        self.c = canvas
        self.y = y
        self.t = canvas.beginText()  # one text object per page: far cheaper than drawString

    def draw(self, x: float, y: float, text: str, font: str, size: float) -> None:
        self.t.setTextOrigin(x, y)
        self.t.setFont(font, size)
        self.t.textOut(text)

    def flush(self) -> None:
        self.c.drawText(self.t)
        self.t = self.c.beginText()

    def section(self, title: str) -> None:
        self.y -= 2.2 * mm
        self.draw(LEFT, self.y, title, FONT_BOLD, 10.5)
        self.y -= LEADING + 0.6 * mm

    def field(self, label: str, value: str, *, bold_value: bool = False, size: float = SIZE,
              x: float = LEFT, width: float = TEXT_WIDTH) -> None:
        """"Label : value", the value wrapped under itself; new lines in value are kept."""
        label_text = f"{label} : " if label else ""
        label_width = stringWidth(label_text, FONT_BOLD, size) if label else 0
        if label:
            self.draw(x, self.y, label_text, FONT_BOLD, size)
        font = FONT_BOLD if bold_value else FONT
        first = True
        for part in (value or "").split("\n"):
            for line in wrap(part, font, size, width - label_width) or [""]:
                if not first:
                    self.y -= LEADING
                self.draw(x + label_width, self.y, line, font, size)
                first = False
        self.y -= LEADING

    def text(self, value: str, *, size: float = SIZE, font: str = FONT) -> None:
        for line in wrap(value, font, size, TEXT_WIDTH):
            self.draw(LEFT, self.y, line, font, size)
            self.y -= LEADING if size >= SIZE else size * 0.45 * mm
        if size < SIZE:
            self.y -= 1 * mm


class ReceiptWriter:
    """Receipts drawn one after the other on one canvas; `finish()` returns the PDF bytes."""

    def __init__(self, title: str = "Reçus fiscaux") -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = rl_canvas.Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("OCCE Bureau")
        self.pages = 0
        self._forms: dict[str, tuple[str, float]] = {}

    # -- the part every receipt of the same association and kind shares ----------------------
    def _static(self, doc) -> tuple[str, float]:
        """The name of the form object for this receipt's fixed part, and where it ends (y)."""
        key_text = "\x1f".join([doc.donor_kind, doc.beneficiary_name, doc.beneficiary_address,
                                doc.beneficiary_siren_rna, doc.beneficiary_object,
                                doc.beneficiary_type])
        key = hashlib.sha1(key_text.encode() + (doc.logo or b"")).hexdigest()[:16]
        if key in self._forms:
            return self._forms[key]
        name = f"recu{key}"
        c = self.canvas
        c.beginForm(name)
        top = HEIGHT - MARGIN
        x = LEFT
        if doc.logo:
            reader = image_reader(doc.logo)
            w, h = reader.getSize()
            scale = min(22 * mm / w, 18 * mm / h)
            c.drawImage(reader, LEFT, top - h * scale, width=w * scale, height=h * scale, mask="auto")
            x += w * scale + 4 * mm
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 9.5)
        y = top - 4 * mm
        for line in simpleSplit(doc.beneficiary_name, FONT_BOLD, 9.5, 100 * mm - (x - LEFT))[:2]:
            c.drawString(x, y, line)
            y -= 4 * mm
        c.setFont(FONT, 7.5)
        for line in doc.beneficiary_address.split("\n")[:3]:
            c.drawString(x, y, line[:70])
            y -= 3.4 * mm
        title, articles, cerfa = _title_lines(doc)
        c.setFont(FONT, 8)
        c.drawRightString(RIGHT, top - 8.5 * mm, cerfa)
        c.setFont(FONT_BOLD, 11)
        c.drawCentredString(WIDTH / 2, top - 24 * mm, title)
        c.setFont(FONT, 8.5)
        c.drawCentredString(WIDTH / 2, top - 28.5 * mm, articles)
        c.setStrokeColor(colors.HexColor("#888888"))
        c.setLineWidth(0.5)
        c.line(LEFT, HEIGHT - HEADER_BAND, RIGHT, HEIGHT - HEADER_BAND)
        c.endForm()
        c.beginForm(name + "b")
        pen = _Pen(c, HEIGHT - HEADER_BAND - 9 * mm)
        pen.section("Bénéficiaire des versements")
        pen.field("Nom ou dénomination", doc.beneficiary_name)
        if doc.beneficiary_siren_rna:
            kind = "RNA" if doc.beneficiary_siren_rna.upper().startswith("W") else "SIREN"
            pen.field(f"N° {kind}", doc.beneficiary_siren_rna)
        pen.field("Adresse", doc.beneficiary_address.replace("\n", ", "))
        pen.field("Objet", doc.beneficiary_object)
        pen.field("", f"{TICK} {doc.beneficiary_type}")
        pen.flush()
        c.endForm()
        self._forms[key] = (name, pen.y)
        return self._forms[key]

    # -- what changes from one receipt to the next -------------------------------------------
    def _page_marks(self, doc, page: int) -> float:
        """Number, watermark, banner and footer; returns how far the banner pushes the page
        content down (a long cancel reason takes several lines)."""
        c = self.canvas
        top = HEIGHT - MARGIN
        c.setFillColor(colors.black)
        c.setFont(FONT, 7.5)
        c.drawRightString(RIGHT, top + 0.5 * mm, "Numéro d'ordre du reçu")
        c.setFont(FONT_BOLD, 12)
        c.drawRightString(RIGHT, top - 4 * mm, doc.number)
        c.setFont(FONT, 8)
        if doc.kind == ReceiptKind.SUMMARY:
            c.drawRightString(RIGHT, top - 12.5 * mm, ReceiptKind.SUMMARY.label)
        if page > 1:
            c.drawRightString(RIGHT, top - 16.5 * mm, f"(suite, page {page})")
        if doc.duplicate or doc.cancelled:
            c.saveState()
            c.translate(WIDTH / 2, HEIGHT / 2)
            c.rotate(35)
            c.setFont(FONT_BOLD, 80)
            if doc.cancelled:
                c.setFillColor(colors.Color(0.8, 0, 0, alpha=0.28))
                c.drawCentredString(0, 0, "ANNULÉ")
            else:
                c.setFillColor(colors.Color(0.3, 0.3, 0.3, alpha=0.22))
                c.drawCentredString(0, 0, "DUPLICATA")
            c.restoreState()
        c.setFont(FONT_BOLD, 9)
        y = HEIGHT - HEADER_BAND - 4 * mm
        banner_lines = 1
        if doc.cancelled:
            c.setFillColor(colors.HexColor("#b00000"))
            lines = wrap(f"REÇU ANNULÉ le {format_date(doc.cancelled_on)} – motif : "
                         f"{' '.join(doc.cancel_reason.split())}", FONT_BOLD, 9, TEXT_WIDTH)
            if doc.replaced_by_number:
                several = "," in doc.replaced_by_number
                lines += wrap(f"Remplacé par {'les reçus' if several else 'le reçu'} n° "
                              f"{doc.replaced_by_number}.", FONT_BOLD, 9, TEXT_WIDTH)
            for line in lines:
                c.drawString(LEFT, y, line)
                y -= LEADING
            banner_lines = len(lines)
        elif doc.duplicate:
            c.setFillColor(colors.HexColor("#555555"))
            c.drawString(LEFT, y, f"Duplicata délivré le {format_date(doc.duplicate_on)}"
                         if doc.duplicate_on else "DUPLICATA")
        c.setFillColor(colors.HexColor("#555555"))
        c.setFont(FONT, 7)
        c.drawString(LEFT, 9 * mm, f"Reçu n° {doc.number} – {doc.donor_display}"[:120])
        c.setFillColor(colors.black)
        return (banner_lines - 1) * LEADING

    def _new_page(self, doc, page: int, old: _Pen) -> _Pen:
        old.flush()
        self.canvas.showPage()
        self.pages += 1
        name, _ = self._static(doc)
        self.canvas.doForm(name)  # the header only: the beneficiary block is on page 1
        down = self._page_marks(doc, page)
        return _Pen(self.canvas, HEIGHT - HEADER_BAND - 12 * mm - down)

    def add(self, doc) -> None:
        c = self.canvas
        if self.pages:
            c.showPage()
        self.pages += 1
        name, y = self._static(doc)
        c.doForm(name)
        down = self._page_marks(doc, 1)
        c.saveState()
        c.translate(0, -down)  # below the banner, however many lines it takes
        c.doForm(name + "b")
        c.restoreState()
        pen = _Pen(c, y - down)
        target = doc.coop_label + (f" – projet : {doc.project}" if doc.project else "")
        pen.field("Au profit de la coopérative scolaire", target)

        pen.section("Donateur")
        if doc.donor_kind == DonorKind.COMPANY:
            pen.field("Dénomination", doc.donor_name)
            if doc.donor_legal_form:  # always, since issue 8 (older receipts may lack it)
                pen.field("Forme juridique", doc.donor_legal_form)
            pen.field("N° SIREN", doc.donor_siren)
        else:
            pen.field("Nom", doc.donor_name)
            pen.field("Prénoms", doc.donor_first_names)
        pen.field("Adresse", doc.donor_address)

        pen.section("Versements")
        pen.text(RECEIVED)
        pen.field("Montant", format_money(doc.amount_cents), bold_value=True, size=10.5)
        pen.field("Somme en toutes lettres", doc.amount_words)
        if doc.kind == ReceiptKind.SUMMARY:
            count = len(doc.lines)
            pen.field("Période des versements",
                      f"du {format_date(doc.period_start)} au {format_date(doc.period_end)} "
                      f"({count} versement{'s' if count > 1 else ''}, détail ci-dessous)")
        else:
            pen.field("Date du versement ou du don", format_date(doc.gift_date))
        pen.y -= 1 * mm
        pen.text(CERTIFY)
        # A company's receipt (Cerfa 16216) knows article 238 bis only; an individual's
        # (Cerfa 11580) offers 200, 238 bis and 978.
        articles = ({"238 bis": ARTICLE_TEXT["238 bis"]} if doc.donor_kind == DonorKind.COMPANY
                    else ARTICLE_TEXT)
        pen.field("", _ticks(articles, set(doc.articles)))
        pen.y -= 1 * mm
        pen.field("Forme du don", _ticks(FORM_TEXT, {doc.form}), size=8.5)
        pen.field("Nature du don", _ticks(NATURE_TEXT, {doc.nature}), size=8.5)
        if doc.kind_description:  # a gift in kind ("Autres")
            pen.field("Description des biens donnés", doc.kind_description, size=8.5)
            pen.field("Évaluation", doc.kind_valuation, size=8.5)
        # The form's label is long: the boxes go on the line below it, whole.
        pen.field("En cas de don en numéraire, mode de versement du don", "", size=8.5)
        pen.field("", _ticks(METHOD_TEXT, set(doc.methods)), size=8.5)
        page = 1
        if doc.kind == ReceiptKind.SUMMARY and doc.lines:
            pen, page = self._lines_table(doc, pen, page)
        if doc.replaces_number:
            pen.y -= 1 * mm
            several = "," in doc.replaces_number
            pen.field("", f"Ce reçu annule et remplace {'les reçus' if several else 'le reçu'} "
                          f"n° {doc.replaces_number}.", bold_value=True)
        if pen.y < BOTTOM + 45 * mm:
            page += 1
            pen = self._new_page(doc, page, pen)
        self._signature(doc, pen)

    def _lines_table(self, doc, pen: _Pen, page: int) -> tuple[_Pen, int]:
        c = self.canvas
        cols = [LEFT, LEFT + 28 * mm, LEFT + 100 * mm, LEFT + 140 * mm, LEFT + 175 * mm]
        header = ["Date", "Mode de versement", "N° de chèque", "Montant"]
        by_method: dict[str, int] = defaultdict(int)
        rows = []
        for line in doc.lines:
            rows.append((format_date(line.received_on), METHOD_TEXT.get(line.method, line.method),
                         line.cheque_number, format_money(line.amount_cents), False))
            by_method[line.method] += line.amount_cents
        if len(by_method) > 1:
            for method in PaymentMethod:
                if method in by_method:
                    rows.append(("", f"Sous-total {METHOD_TEXT[method].lower()}", "",
                                 format_money(by_method[method]), False))
        rows.append(("", "Total", "", format_money(doc.amount_cents), True))
        row_h = 4.6 * mm

        def draw_row(values, bold: bool, shade: bool = False) -> None:
            if shade:
                c.setFillColor(colors.HexColor("#e8eef5"))
                c.rect(cols[0], pen.y - 1.4 * mm, cols[-1] - cols[0], row_h, stroke=0, fill=1)
                c.setFillColor(colors.black)
            c.setFont(FONT_BOLD if bold else FONT, 8.5)
            for i, value in enumerate(values):
                if i == 3:
                    c.drawRightString(cols[4] - 1.5 * mm, pen.y, value)
                else:
                    c.drawString(cols[i] + 1.5 * mm, pen.y, value[:48])
            c.setStrokeColor(colors.HexColor("#888888"))
            c.line(cols[0], pen.y - 1.4 * mm, cols[-1], pen.y - 1.4 * mm)
            pen.y -= row_h

        pen.y -= 2 * mm
        draw_row(header, True, shade=True)
        for values in rows:
            if pen.y < BOTTOM + 8 * mm:
                page += 1
                pen = self._new_page(doc, page, pen)
                draw_row(header, True, shade=True)
            draw_row(values[:4], values[4])
        return pen, page

    def _signature(self, doc, pen: _Pen) -> None:
        c = self.canvas
        x = LEFT + 100 * mm
        width = RIGHT - x
        pen.y -= 3 * mm
        pen.field("", "Date et signature", bold_value=True, x=x, width=width)
        pen.field("", f"Fait à {doc.signed_place}, le {format_date(doc.issued_on)}", x=x, width=width)
        who = doc.signatory_name + (f", {doc.signatory_title}" if doc.signatory_title else "")
        pen.field("", who, bold_value=True, x=x, width=width)
        pen.flush()
        if doc.signature:
            name, height = self._signature_form(doc.signature)
            c.saveState()
            c.translate(x, pen.y - height + 3 * mm)
            c.doForm(name)
            c.restoreState()
            pen.y -= height + 1 * mm
        else:
            pen.y -= 14 * mm
        if doc.statement:
            pen.y -= 2 * mm
            pen.text(doc.statement, size=7.5)
        pen.flush()

    def _signature_form(self, data: bytes) -> tuple[str, float]:
        """The signature as a form object, drawn once per document and placed on each receipt."""
        key = "sig" + hashlib.sha1(data).hexdigest()[:16]
        if key not in self._forms:
            reader = image_reader(data)
            w, h = reader.getSize()
            scale = min(50 * mm / w, 20 * mm / h)
            self.canvas.beginForm(key)
            self.canvas.drawImage(reader, 0, 0, width=w * scale, height=h * scale, mask="auto")
            self.canvas.endForm()
            self._forms[key] = (key, h * scale)
        return self._forms[key]

    def finish(self) -> bytes:
        if self.pages == 0:
            self.canvas.setFont(FONT, 10)
            self.canvas.drawString(LEFT, HEIGHT / 2, "Aucun reçu.")
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def receipts_pdf(docs, title: str = "Reçus fiscaux") -> bytes:
    """One PDF with these receipts, each on its own pages."""
    writer = ReceiptWriter(title if len(docs) != 1 else f"Reçu fiscal n° {docs[0].number}")
    for doc in docs:
        writer.add(doc)
    return writer.finish()
