"""The yearly declaration of receipts (article 222 bis CGI) as a PDF, from plain data.

`Declaration` (defined here, built by gifts.declaration): totals already computed, cancelled
receipts already set apart; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from occe_bureau.printing import (
    FONT, FONT_BOLD, TABLE_GRID, Letterhead, esc, render, styles, wrap,
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
    rows: list[DeclaredReceipt]          # the receipts declared (cancelled ones excluded)
    cancelled: list[DeclaredReceipt]     # listed apart, for the auditor
    association: str = ""
    siren_rna: str = ""

    @property
    def total_words(self) -> str:
        return amount_in_words(self.total_cents) if self.total_cents else "zéro euro"


SIZE = 7.5
PADDING = 3  # points each side of a cell


def _wrapped(text: str, width: float, lines: int = 4) -> str:
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


def _chunked_tables(header: list[str], rows: list[list[str]], widths, *, bold_last: bool = False,
                    chunk: int = 50) -> list:
    """Tables of `chunk` rows, each with the header: one huge table splits in quadratic time,
    and a year's declaration can list fifteen thousand receipts. Cells are wrapped to their
    column; the last column (amounts) is right-aligned."""
    rows = [[_wrapped(value, width) for value, width in zip(row, widths)] for row in rows]
    tables = []
    for start in range(0, max(1, len(rows)), chunk):
        part = [header] + rows[start:start + chunk]
        table = Table(part, colWidths=widths, repeatRows=1)
        style = TABLE_GRID + [("FONT", (0, 0), (-1, -1), FONT, SIZE),
                              ("LEADING", (0, 0), (-1, -1), SIZE * 1.2),
                              ("FONT", (0, 0), (-1, 0), FONT_BOLD, SIZE),
                              ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                              ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                              ("ALIGN", (-1, 0), (-1, -1), "RIGHT")]
        if bold_last and start + chunk >= len(rows):
            style.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, SIZE))
        table.setStyle(TableStyle(style))
        tables.append(table)
    return tables


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
    story.append(Spacer(0, 4 * mm))
    summary = Table([
        ["Nombre de reçus délivrés (annulés exclus)", format_int(decl.count)],
        ["Montant total des dons mentionnés sur ces reçus", format_money(decl.total_cents)],
        ["Reçus annulés (non comptés)", format_int(len(decl.cancelled))],
    ], colWidths=[120 * mm, 50 * mm])
    summary.setStyle(TableStyle(TABLE_GRID + [("FONT", (0, 0), (-1, -1), "DejaVuSans-Bold", 10),
                                              ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story.append(summary)
    story.append(Paragraph(f"Soit {esc(decl.total_words)}.", s["body"]))
    story.append(Paragraph("Reçus délivrés", s["h2"]))
    header = ["N°", "Émis le", "Donateur", "Coopérative", "Date du don ou période", "Mode", "Montant"]
    rows = [[r.number, format_date(r.issued_on), r.donor_display, r.coop_label, r.date_label,
             r.methods_label, format_money(r.amount_cents)] for r in decl.rows]
    rows.append(["", "", "Total", "", "", "", format_money(decl.total_cents)])
    # A4 landscape: 267 mm between the margins.
    story += _chunked_tables(header, rows, [22 * mm, 20 * mm, 52 * mm, 64 * mm, 36 * mm, 43 * mm,
                                            30 * mm], bold_last=True)
    if decl.cancelled:
        story.append(Paragraph("Reçus annulés (non déclarés)", s["h2"]))
        header = ["N°", "Émis le", "Donateur", "Annulé le", "Motif", "Montant"]
        rows = [[r.number, format_date(r.issued_on), r.donor_display, format_date(r.cancelled_on),
                 r.cancel_reason, format_money(r.amount_cents)] for r in decl.cancelled]
        story += _chunked_tables(header, rows, [22 * mm, 20 * mm, 60 * mm, 20 * mm, 115 * mm, 30 * mm])
    return render(story, head, title=f"Déclaration des reçus fiscaux {decl.label}",
                  pagesize=landscape(A4))
