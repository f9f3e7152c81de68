"""The yearly declaration of receipts (article 222 bis CGI) as a PDF, from plain data.

`Declaration` (defined here, built by gifts.declaration): totals already computed, cancelled
receipts already set apart; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from occe_bureau.printing import (
    FONT, FONT_BOLD, TABLE_GRID, Letterhead, esc, image_flowable, render, styles, wrap,
)
from occe_bureau.formats import amount_in_words, format_date, format_int, format_money
from occe_bureau.gifts.enums import PaymentMethod

_METHOD_LABELS = {m.value: m.short_label for m in PaymentMethod}


@dataclass(slots=True)
class DeclaredReceipt:
    """One receipt as the declaration lists it."""

    number: str
    issued_on: date
    donor_display: str
    coop_label: str
    amount_cents: int
    gift_date: date | None
    period_start: date | None
    period_end: date | None
    methods: str                     # comma-separated method codes
    cancelled_on: date | None = None
    cancel_reason: str = ""
    counted_cents: int = 0           # its gifts received during the year (valid receipts only)

    @property
    def date_label(self) -> str:
        if self.gift_date:
            return format_date(self.gift_date)
        return f"{format_date(self.period_start)} – {format_date(self.period_end)}"

    @property
    def methods_label(self) -> str:
        return ", ".join(_METHOD_LABELS.get(c, c) for c in self.methods.split(",") if c)


@dataclass
class Declaration:
    year: int
    label: str
    start: date
    end: date
    count: int
    total_cents: int
    rows: list[DeclaredReceipt]          # issued in the year and counted
    cancelled: list[DeclaredReceipt]     # issued in the year, cancelled before the close
    late: list[DeclaredReceipt] = field(default_factory=list)  # issued after, for its gifts
    association: str = ""
    siren_rna: str = ""
    made_on: date | None = None          # the day it is drawn up
    place: str = ""

    @property
    def total_words(self) -> str:
        return amount_in_words(self.total_cents) if self.total_cents else "zéro euro"


SIZE = 7
PADDING = 2.5  # points each side of a cell


def _wrapped(text: str, width: float, lines: int = 2) -> str:
    """Plain text (a Table draws it as text, never as markup) wrapped to the column, at most
    `lines` lines (the last one ends with "…" when cut)."""
    text = " ".join((text or "").split())
    if stringWidth(text, FONT, SIZE) <= width - 2 * PADDING:
        return text  # most cells: one measure, no split
    out = wrap(text, FONT, SIZE, width - 2 * PADDING) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:-1] + "…"
    return "\n".join(out)


# A4 landscape: 267 mm between the margins. The coop takes one line (the workbook has it
# whole): a row is one line high, two at most, so that a page holds some fifty receipts.
COLUMNS = [("N°", 20, 1), ("Émis le", 16, 1), ("Donateur", 57, 2), ("Coopérative", 58, 1),
           ("Date ou période", 32, 1), ("Mode", 26, 2), ("Montant du reçu", 28, 1),
           ("Dons de l'exercice", 30, 1)]
CANCELLED_COLUMNS = [("N°", 20, 1), ("Émis le", 16, 1), ("Donateur", 60, 2), ("Annulé le", 18, 1),
                     ("Motif", 123, 2), ("Montant", 30, 1)]


def _chunked_tables(columns, rows: list[list[str]], *, bold_last: bool = False,
                    chunk: int = 60) -> list:
    """Tables of `chunk` rows, each with the header: one huge table splits in quadratic time,
    and a year's declaration can list fifteen thousand receipts. Cells are wrapped to their
    column; the amounts (the last columns) are right-aligned."""
    widths = [width * mm for _title, width, _lines in columns]
    header = [title for title, _width, _lines in columns]
    rows = [[_wrapped(value, width * mm, lines) for value, (_t, width, lines) in zip(row, columns)]
            for row in rows]
    amounts = sum(1 for title, _w, _l in columns if title.startswith(("Montant", "Dons")))
    tables = []
    for start in range(0, max(1, len(rows)), chunk):
        part = [header] + rows[start:start + chunk]
        table = Table(part, colWidths=widths, repeatRows=1)
        style = TABLE_GRID + [("FONT", (0, 0), (-1, -1), FONT, SIZE),
                              ("LEADING", (0, 0), (-1, -1), SIZE * 1.15),
                              ("FONT", (0, 0), (-1, 0), FONT_BOLD, SIZE),
                              ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                              ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                              ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                              ("ALIGN", (-amounts, 0), (-1, -1), "RIGHT")]
        if bold_last and start + chunk >= len(rows):
            style.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, SIZE))
        table.setStyle(TableStyle(style))
        tables.append(table)
    return tables


def _how_counted(decl: Declaration) -> str:
    start, end = format_date(decl.start), format_date(decl.end)
    return (f"<b>Comment ces chiffres sont comptés.</b> Le nombre est celui des reçus délivrés du "
            f"{start} au {end}, sauf ceux annulés au plus tard le {end} ; un reçu annulé après la "
            "clôture reste compté dans cet exercice, et son remplaçant dans l'exercice où il est "
            f"délivré. Le montant est celui des dons reçus du {start} au {end} qui figurent sur un "
            "reçu valide, quelle que soit la date du reçu : un don reçu en août dont le reçu est "
            "délivré en septembre compte dans cet exercice ; un reçu récapitulatif compte chacun "
            "de ses dons dans l'exercice où il a été reçu.")


def _signature(decl: Declaration, head: Letterhead, s) -> list:
    """Dated and signed by the association's signatory (a printed signature is accepted)."""
    place = f"Fait à {esc(decl.place)}, le " if decl.place else "Fait le "
    who = esc(head.signatory_name) + (f", {esc(head.signatory_title)}" if head.signatory_title else "")
    cells = [[Paragraph(place + format_date(decl.made_on), s["body"])],
             [Paragraph(f"<b>{who}</b>", s["body"])]]
    image = image_flowable(head.signature, 50 * mm, 18 * mm)
    cells.append([image if image is not None else Spacer(0, 12 * mm)])
    block = Table(cells, colWidths=[90 * mm], hAlign="RIGHT")
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [Spacer(0, 2 * mm), block]


def _receipt_cells(r: DeclaredReceipt) -> list[str]:
    donor = r.donor_display
    if r.cancelled_on:  # counted in the number: cancelled after the close
        donor += f" (annulé le {format_date(r.cancelled_on)}, après la clôture)"
    return [r.number, format_date(r.issued_on), donor, r.coop_label, r.date_label, r.methods_label,
            format_money(r.amount_cents), format_money(r.counted_cents)]


def _total_row(label: str, rows: list[DeclaredReceipt]) -> list[str]:
    return ["", "", label, "", "", "", format_money(sum(r.amount_cents for r in rows)),
            format_money(sum(r.counted_cents for r in rows))]


def declaration_pdf(decl: Declaration, head: Letterhead) -> bytes:
    s = styles()
    story = [
        Paragraph("Déclaration annuelle des reçus fiscaux", s["title"]),
        Paragraph(f"Article 222 bis du code général des impôts – exercice {esc(decl.label)} "
                  f"(du {format_date(decl.start)} au {format_date(decl.end)})", s["subtitle"]),
    ]
    if decl.siren_rna:
        story.append(Paragraph(f"{esc(decl.association)} – SIREN/RNA : {esc(decl.siren_rna)}",
                               s["center"]))
    story.append(Spacer(0, 3 * mm))
    summary = Table([
        ["Nombre de reçus délivrés pendant l'exercice", format_int(decl.count)],
        ["Montant total des dons reçus pendant l'exercice ayant fait l'objet d'un reçu",
         format_money(decl.total_cents)],
        ["Reçus annulés avant la clôture (non comptés)", format_int(len(decl.cancelled))],
    ], colWidths=[180 * mm, 45 * mm])
    summary.setStyle(TableStyle(TABLE_GRID + [("FONT", (0, 0), (-1, -1), FONT_BOLD, 10),
                                              ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story.append(summary)
    story.append(Paragraph(f"Soit {esc(decl.total_words)}.", s["body"]))
    story.append(Spacer(0, 1.5 * mm))
    story.append(Paragraph(_how_counted(decl), s["small"]))
    story += _signature(decl, head, s)
    story.append(Paragraph("Reçus délivrés pendant l'exercice", s["h2"]))
    rows = [_receipt_cells(r) for r in decl.rows]
    rows.append(_total_row("Total", decl.rows))
    story += _chunked_tables(COLUMNS, rows, bold_last=True)
    if decl.late:
        story.append(Paragraph("Reçus délivrés après la clôture pour des dons reçus pendant "
                               "l'exercice (comptés dans le montant, pas dans le nombre)", s["h2"]))
        rows = [_receipt_cells(r) for r in decl.late]
        rows.append(_total_row("Total", decl.late))
        story += _chunked_tables(COLUMNS, rows, bold_last=True)
    if decl.cancelled:
        story.append(Paragraph("Reçus annulés avant la clôture (non déclarés)", s["h2"]))
        rows = [[r.number, format_date(r.issued_on), r.donor_display, format_date(r.cancelled_on),
                 r.cancel_reason, format_money(r.amount_cents)] for r in decl.cancelled]
        story += _chunked_tables(CANCELLED_COLUMNS, rows)
    return render(story, head, title=f"Déclaration des reçus fiscaux {decl.label}",
                  pagesize=landscape(A4), letterhead_on_every_page=False)
