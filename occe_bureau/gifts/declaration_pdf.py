"""The yearly declaration of receipts (article 222 bis CGI): PDF and XLSX, from plain data.

`decl` is a services.receipt_declaration.Declaration: totals already computed, cancelled receipts
already set apart; this module only lays them out.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from occe_bureau.printing import (
    FONT, FONT_BOLD, TABLE_GRID, Letterhead, esc, render, styles, wrap,
)
from occe_bureau.formats import format_date, format_int, format_money

METHODS = {"especes": "Espèces", "cheque": "Chèque", "virement": "Virement/carte"}


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


def _methods(codes: str) -> str:
    return ", ".join(METHODS.get(c, c) for c in codes.split(",") if c)


def declaration_pdf(decl, head: Letterhead) -> bytes:
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
    header = ["N°", "Émis le", "Donateur", "Coopérative", "Don(s) du", "Mode", "Montant"]
    rows = [[r.number, format_date(r.issued_on), r.donor_display, r.coop_label, r.date_label,
             _methods(r.methods), format_money(r.amount_cents)] for r in decl.rows]
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


def _cell(value):
    """Text that a spreadsheet would take for a formula is neutralised."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def declaration_xlsx(decl) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Déclaration"
    bold = Font(bold=True)
    ws.append([f"Déclaration des reçus fiscaux – exercice {decl.label} "
               f"(du {format_date(decl.start)} au {format_date(decl.end)})"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_cell(decl.association), _cell(decl.siren_rna)])
    ws.append(["Nombre de reçus (annulés exclus)", decl.count])
    ws.append(["Montant total (€)", decl.total_cents / 100])
    ws["B4"].number_format = '#,##0.00 "€"'
    ws.append(["Reçus annulés (non comptés)", len(decl.cancelled)])
    ws.append([])
    header = ["N°", "Émis le", "Donateur", "Coopérative", "Date du don", "Période du", "Période au",
              "Mode", "Montant (€)", "Annulé le", "Motif d'annulation"]
    ws.append(header)
    row = 7
    for cell in ws[row]:
        cell.font = bold
    for r in list(decl.rows) + list(decl.cancelled):
        ws.append([r.number, r.issued_on, _cell(r.donor_display), _cell(r.coop_label), r.gift_date,
                   r.period_start, r.period_end, _methods(r.methods), r.amount_cents / 100,
                   r.cancelled_on, _cell(r.cancel_reason)])
        row += 1  # (ws.max_row scans every cell: quadratic over a year of receipts)
        for col in (2, 5, 6, 7, 10):
            ws.cell(row, col).number_format = "DD/MM/YYYY"
        ws.cell(row, 9).number_format = '#,##0.00'
    for letter, width in zip("ABCDEFGHIJK", (13, 11, 30, 40, 11, 11, 11, 16, 12, 11, 30)):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
