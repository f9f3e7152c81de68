"""The "Rapport d'activité" PDF, laid out like the associations' own reports: the letterhead, the
title and the period, then a part per section: its title, the figures in the reports' phrasing,
the secretary's text, the charts, and the table of figures beside the previous period's.
Plain data in (papers.Report), PDF bytes out."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from occe_bureau.bilan import charts
from occe_bureau.bilan.papers import Report, Section
from occe_bureau.formats import format_date
from occe_bureau.printing import A4, MARGIN, TABLE_GRID, Letterhead, esc, render, styles

WIDTH = A4[0] - 2 * MARGIN
ACCENT = colors.HexColor("#1f4e8c")


def render_report(report: Report, head: Letterhead) -> bytes:
    s = styles()
    story = [
        Spacer(0, 6 * mm),
        Paragraph(esc(report.title), s["title"]),
        Paragraph(esc(head.name), s["subtitle"]),
        Paragraph(esc(_compared(report)), s["subtitle"]),
        Spacer(0, 4 * mm),
    ]
    for section in report.sections:
        story += _section(section, report)
    story += [Spacer(0, 6 * mm),
              Paragraph(esc(f"Établi le {format_date(report.made_on)} avec OCCE Bureau, à partir des "
                            "registres de l'association."), s["small"])]
    return render(story, head, title=report.title, letterhead_on_every_page=False)


def _compared(report: Report) -> str:
    """"Année scolaire 2025-2026, comparée à l'année scolaire 2024-2025"."""
    label = report.period.label
    if report.period.is_school_year:
        return f"{label[0].upper()}{label[1:]}, comparée à l'{report.previous.label}"
    return f"Période {label}, comparée à la même période un an plus tôt ({report.previous.label})"


def _section(section: Section, report: Report) -> list:
    s = styles()
    heading = Paragraph(f'<font color="#1f4e8c">{esc(section.title.upper())}</font>', s["h2"])
    sentences = [Paragraph("• " + esc(line), s["body"]) for line in section.sentences]
    parts = [CondPageBreak(60 * mm), KeepTogether([heading, *sentences[:2]]), *sentences[2:]]
    if section.text.strip():
        parts += [Spacer(0, 2 * mm),
                  Paragraph(esc(section.text.strip()).replace("\n", "<br/>"), s["body"])]
    drawings = [charts.drawing(chart, WIDTH / 2 - 3 * mm) for chart in section.charts]
    if drawings:
        parts.append(Spacer(0, 3 * mm))
        rows = [drawings[i:i + 2] + [""] * (2 - len(drawings[i:i + 2])) for i in range(0, len(drawings), 2)]
        grid = Table(rows, colWidths=[WIDTH / 2] * 2, hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        parts.append(grid)
    parts += [Spacer(0, 3 * mm), _figures_table(section, report)]
    if section.note:
        parts.append(Paragraph(f"<i>{esc(section.note)}</i>", s["small"]))
    parts.append(Spacer(0, 5 * mm))
    return parts


def _figures_table(section: Section, report: Report) -> Table:
    s = styles()
    rows = [[Paragraph("<b>Chiffre</b>", s["cell"]),
             Paragraph(f"<b>{esc(report.period.short_label)}</b>", s["cell_right"]),
             Paragraph(f"<b>{esc(report.previous.short_label)}</b>", s["cell_right"]),
             Paragraph("<b>Évolution</b>", s["cell_right"])]]
    detail = ParagraphStyle("detail", parent=s["cell"], leftIndent=4 * mm)
    shown = [f for f in section.figures if f.printed]
    for f in shown:
        rows.append([Paragraph(esc(f.label), detail if f.level else s["cell"]),
                     Paragraph(esc(f.value_text), s["cell_right"]),
                     Paragraph(esc(f.previous_text), s["cell_right"]),
                     Paragraph(esc(f.change_text), s["cell_right"])])
    table = Table(rows, colWidths=[WIDTH - 94 * mm, 28 * mm, 28 * mm, 38 * mm], repeatRows=1)
    style = list(TABLE_GRID)
    style += [("TEXTCOLOR", (0, 0), (-1, 0), ACCENT)]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f6f8fa"))
              for i, f in enumerate(shown, start=1) if f.level]
    table.setStyle(TableStyle(style))
    return table
