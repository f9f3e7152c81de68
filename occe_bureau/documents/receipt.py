"""The tax receipt: every mention of Cerfa n° 11580*05 (individuals) or n° 16216 (companies).

Plain data in (services.receipts.ReceiptDoc, frozen at issue), PDF bytes out. Drawn straight
onto one canvas, one receipt after the other, so that a batch of thousands of receipts is
one PDF produced at printer speed. Every text that comes from a person goes through esc().
"""

from __future__ import annotations

import io
from collections import defaultdict

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from occe_bureau.documents.base import (
    FONT, FONT_BOLD, MARGIN, TABLE_GRID, _image_reader, esc, image_flowable, register_fonts, styles,
)
from occe_bureau.formats import format_date, format_money

WIDTH, HEIGHT = A4
BOX = "☐"
TICK = "☒"
METHOD_TEXT = {"especes": "Remise d'espèces", "cheque": "Chèque",
               "virement": "Virement, prélèvement, carte bancaire"}
FORM_TEXT = {"authentique": "Acte authentique", "seing_prive": "Acte sous seing privé",
             "manuel": "Déclaration de don manuel", "autre": "Autres"}
NATURE_TEXT = {"numeraire": "Numéraire", "titres": "Titres de sociétés cotés", "autre": "Autres"}
HEADER_BAND = 47 * mm


def _ticks(options: dict[str, str], chosen: set[str]) -> str:
    return "&nbsp;&nbsp;&nbsp;".join(
        f"{TICK if key in chosen else BOX}&nbsp;{esc(label)}" for key, label in options.items())


def _title_lines(doc) -> tuple[str, str, str]:
    if doc.donor_kind == "company":
        return ("Reçu des dons et versements effectués par les entreprises",
                "au titre de l'article 238 bis du code général des impôts",
                "Modèle Cerfa n° 16216*02")
    return ("Reçu au titre des dons à certains organismes d'intérêt général",
            "Articles 200, 238 bis et 978 du code général des impôts",
            "Modèle Cerfa n° 11580*05")


def _story(doc) -> list:
    s = styles()
    story: list = []
    company = doc.donor_kind == "company"

    def section(title: str) -> None:
        story.append(Paragraph(esc(title), s["h2"]))

    section("Bénéficiaire des versements")
    story.append(Paragraph(f"<b>Nom ou dénomination :</b> {esc(doc.beneficiary_name)}", s["body"]))
    if doc.beneficiary_siren_rna:
        kind = "RNA" if doc.beneficiary_siren_rna.upper().startswith("W") else "SIREN"
        story.append(Paragraph(f"<b>N° {kind} :</b> {esc(doc.beneficiary_siren_rna)}", s["body"]))
    story.append(Paragraph(f"<b>Adresse :</b> {esc(doc.beneficiary_address).replace('<br/>', ', ')}",
                           s["body"]))
    story.append(Paragraph(f"<b>Objet :</b> {esc(doc.beneficiary_object)}", s["body"]))
    story.append(Paragraph(f"{TICK} {esc(doc.beneficiary_type)}", s["body"]))
    target = f"<b>Au profit de la coopérative scolaire :</b> {esc(doc.coop_label)}"
    if doc.project:
        target += f" – projet : {esc(doc.project)}"
    story.append(Paragraph(target, s["body"]))

    section("Donateur")
    if company:
        story.append(Paragraph(f"<b>Dénomination :</b> {esc(doc.donor_name)}", s["body"]))
        ident = f"<b>N° SIREN :</b> {esc(doc.donor_siren)}"
        if doc.donor_legal_form:
            ident += f"&nbsp;&nbsp;&nbsp;<b>Forme juridique :</b> {esc(doc.donor_legal_form)}"
        story.append(Paragraph(ident, s["body"]))
    else:
        story.append(Paragraph(f"<b>Nom :</b> {esc(doc.donor_name)}&nbsp;&nbsp;&nbsp;"
                               f"<b>Prénoms :</b> {esc(doc.donor_first_names)}", s["body"]))
    story.append(Paragraph(f"<b>Adresse :</b> {esc(doc.donor_address)}", s["body"]))

    section("Versements")
    story.append(Paragraph(
        "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à "
        f"réduction d'impôt la somme de : <b>{esc(format_money(doc.amount_cents))}</b>", s["body"]))
    story.append(Paragraph(f"<b>Somme en toutes lettres :</b> {esc(doc.amount_words)}", s["body"]))
    if doc.kind == "summary":
        story.append(Paragraph(
            f"<b>Période des versements :</b> du {format_date(doc.period_start)} au "
            f"{format_date(doc.period_end)} ({len(doc.lines)} versement"
            f"{'s' if len(doc.lines) > 1 else ''}, détail ci-dessous)", s["body"]))
    else:
        story.append(Paragraph(f"<b>Date du versement ou du don :</b> {format_date(doc.gift_date)}",
                               s["body"]))
    story.append(Spacer(0, 1.5 * mm))
    articles = {"200": "200 du CGI", "238 bis": "238 bis du CGI", "978": "978 du CGI"}
    story.append(Paragraph(
        "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent "
        "droit à la réduction d'impôt prévue à l'article : "
        + _ticks(articles, set(doc.articles)), s["body"]))
    story.append(Spacer(0, 1.5 * mm))
    story.append(Paragraph("<b>Forme du don :</b> " + _ticks(FORM_TEXT, {doc.form}), s["body"]))
    story.append(Paragraph("<b>Nature du don :</b> " + _ticks(NATURE_TEXT, {doc.nature}), s["body"]))
    story.append(Paragraph("<b>Mode de versement :</b> " + _ticks(METHOD_TEXT, set(doc.methods)),
                           s["body"]))
    if doc.kind == "summary" and doc.lines:
        story.append(Spacer(0, 2 * mm))
        story.append(_lines_table(doc))
    if doc.replaces_number:
        story.append(Spacer(0, 2 * mm))
        story.append(Paragraph(f"<b>Ce reçu annule et remplace le reçu n° {esc(doc.replaces_number)}.</b>",
                               s["body"]))
    story.append(Spacer(0, 4 * mm))
    story.append(_signature_block(doc))
    if doc.statement:
        story.append(Spacer(0, 3 * mm))
        story.append(Paragraph(esc(doc.statement), s["small"]))
    return story


def _lines_table(doc) -> Table:
    s = styles()
    rows = [["Date", "Mode de versement", "N° de chèque", "Montant"]]
    by_method: dict[str, int] = defaultdict(int)
    for line in doc.lines:
        rows.append([format_date(line.received_on), METHOD_TEXT.get(line.method, line.method),
                     Paragraph(esc(line.cheque_number), s["cell"]),
                     Paragraph(format_money(line.amount_cents), s["cell_right"])])
        by_method[line.method] += line.amount_cents
    if len(by_method) > 1:
        for method in ("especes", "cheque", "virement"):
            if method in by_method:
                rows.append(["", f"Sous-total {METHOD_TEXT[method].lower()}", "",
                             Paragraph(format_money(by_method[method]), s["cell_right"])])
    rows.append(["", Paragraph("<b>Total</b>", s["cell"]), "",
                 Paragraph(f"<b>{format_money(doc.amount_cents)}</b>", s["cell_right"])])
    table = Table(rows, colWidths=[25 * mm, 75 * mm, 40 * mm, 35 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(TABLE_GRID))
    return table


def _signature_block(doc):
    s = styles()
    parts = [Paragraph(f"Fait à {esc(doc.signed_place)}, le {format_date(doc.issued_on)}", s["body"]),
             Paragraph(f"{esc(doc.signatory_name)}" + (f", {esc(doc.signatory_title)}"
                                                         if doc.signatory_title else ""), s["bold"])]
    image = image_flowable(doc.signature, 50 * mm, 20 * mm)
    if image is not None:
        image.hAlign = "LEFT"
        parts.append(image)
    else:
        parts.append(Spacer(0, 12 * mm))
    table = Table([[None, parts]], colWidths=[95 * mm, 85 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


class ReceiptWriter:
    """Receipts drawn one after the other on one canvas; `finish()` returns the PDF bytes."""

    def __init__(self, title: str = "Reçus fiscaux") -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = rl_canvas.Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("OCCE Bureau")
        self.pages = 0

    def _header(self, doc, page: int) -> None:
        c = self.canvas
        top = HEIGHT - MARGIN
        x = MARGIN
        if doc.logo:
            reader = _image_reader(doc.logo)
            w, h = reader.getSize()
            scale = min(22 * mm / w, 18 * mm / h)
            c.drawImage(reader, MARGIN, top - h * scale, width=w * scale, height=h * scale, mask="auto")
            x += w * scale + 4 * mm
        c.setFillColor(colors.black)
        name_lines = simpleSplit(doc.beneficiary_name, FONT_BOLD, 9.5, 100 * mm - (x - MARGIN))[:2]
        c.setFont(FONT_BOLD, 9.5)
        y = top - 4 * mm
        for line in name_lines:
            c.drawString(x, y, line)
            y -= 4 * mm
        c.setFont(FONT, 7.5)
        for line in doc.beneficiary_address.split("\n")[:3]:
            c.drawString(x, y, line[:70])
            y -= 3.4 * mm
        title, articles, cerfa = _title_lines(doc)
        right = WIDTH - MARGIN
        c.setFont(FONT_BOLD, 12)
        c.drawRightString(right, top - 4 * mm, f"Reçu n° {doc.number}")
        c.setFont(FONT, 8)
        c.drawRightString(right, top - 8.5 * mm, cerfa)
        if doc.kind == "summary":
            c.drawRightString(right, top - 12.5 * mm, "Reçu récapitulatif annuel")
        if page > 1:
            c.drawRightString(right, top - 16.5 * mm, f"(suite, page {page})")
        c.setFont(FONT_BOLD, 11)
        c.drawCentredString(WIDTH / 2, top - 24 * mm, title)
        c.setFont(FONT, 8.5)
        c.drawCentredString(WIDTH / 2, top - 28.5 * mm, articles)
        c.setStrokeColor(colors.HexColor("#888888"))
        c.line(MARGIN, HEIGHT - HEADER_BAND, WIDTH - MARGIN, HEIGHT - HEADER_BAND)
        # marks: duplicate, cancelled
        if doc.duplicate or doc.cancelled:
            c.saveState()
            c.translate(WIDTH / 2, HEIGHT / 2)
            c.rotate(35)
            if doc.cancelled:
                c.setFillColor(colors.Color(0.8, 0, 0, alpha=0.28))
                c.setFont(FONT_BOLD, 80)
                c.drawCentredString(0, 0, "ANNULÉ")
            else:
                c.setFillColor(colors.Color(0.3, 0.3, 0.3, alpha=0.22))
                c.setFont(FONT_BOLD, 80)
                c.drawCentredString(0, 0, "DUPLICATA")
            c.restoreState()
        if doc.duplicate and not doc.cancelled:
            c.setFont(FONT_BOLD, 9)
            c.setFillColor(colors.HexColor("#555555"))
            c.drawString(MARGIN, HEIGHT - HEADER_BAND - 4 * mm, "DUPLICATA")
            c.setFillColor(colors.black)
        if doc.cancelled:
            c.setFont(FONT_BOLD, 9)
            c.setFillColor(colors.HexColor("#b00000"))
            text = f"REÇU ANNULÉ le {format_date(doc.cancelled_on)} – motif : {doc.cancel_reason}"
            if doc.replaced_by_number:
                text += f" – remplacé par le reçu n° {doc.replaced_by_number}"
            c.drawString(MARGIN, HEIGHT - HEADER_BAND - 4 * mm, text[:120])
            c.setFillColor(colors.black)
        c.setFont(FONT, 7)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(MARGIN, 9 * mm, f"Reçu n° {doc.number} – {doc.donor_display}"[:110])
        c.setFillColor(colors.black)

    def add(self, doc) -> None:
        story = _story(doc)
        page = 1
        while story:
            self._header(doc, page)
            top = HEIGHT - HEADER_BAND - (7 * mm if (doc.duplicate or doc.cancelled) else 2 * mm)
            frame = Frame(MARGIN, 14 * mm, WIDTH - 2 * MARGIN, top - 14 * mm, leftPadding=0,
                          rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
            before = len(story)
            frame.addFromList(story, self.canvas)
            self.canvas.showPage()
            self.pages += 1
            page += 1
            if story and len(story) == before:  # something too big for a page: drop it safely
                story.pop(0)

    def finish(self) -> bytes:
        if self.pages == 0:
            self.canvas.setFont(FONT, 10)
            self.canvas.drawString(MARGIN, HEIGHT / 2, "Aucun reçu.")
            self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def receipts_pdf(docs, title: str = "Reçus fiscaux") -> bytes:
    """One PDF with these receipts, each on its own page(s)."""
    writer = ReceiptWriter(title if len(docs) != 1 else f"Reçu fiscal n° {docs[0].number}")
    for doc in docs:
        writer.add(doc)
    return writer.finish()
