"""The Bilan's documents: the "Rapport d'activité" PDF, the workbook (one sheet per section), and a
chart as SVG for the screen. ReportLab and openpyxl are imported when a document is made."""

from __future__ import annotations

import io

from occe_bureau.bilan.papers import Chart, Report, Unit
from occe_bureau.db import Database


def report_pdf(db: Database, report: Report) -> bytes:
    from occe_bureau.association import letterhead
    from occe_bureau.bilan.activity_pdf import render_report

    return render_report(report, letterhead(db))


def chart_svg(chart: Chart, width: float | None = None) -> bytes:
    from occe_bureau.bilan import charts

    return charts.svg(chart, width or charts.WIDTH)


def chart_size(chart: Chart) -> tuple[float, float]:
    from occe_bureau.bilan import charts

    return charts.size(chart)


def _number(value: int | None, unit: Unit):
    from occe_bureau.tabular import euros

    if value is None:
        return None
    return euros(value) if unit is Unit.CENTS else value


def report_workbook(report: Report) -> bytes:
    """The same figures as a workbook: one sheet per section, its sentences and text above the
    table (every text cell neutralised by occe_bureau.tabular)."""
    from occe_bureau.tabular import OutColumn, OutSheet, write_table

    sheets = []
    for section in report.sections:
        preamble = [[f"{report.title} – {section.title}"], *([line] for line in section.sentences)]
        if section.text.strip():
            preamble += [[""], *([line] for line in section.text.strip().splitlines())]
        if section.note:
            preamble.append([section.note])
        preamble.append([""])
        columns = [OutColumn("Chiffre", "text", 58), OutColumn(report.period.short_label, "number", 16),
                   OutColumn(report.previous.short_label, "number", 16),
                   OutColumn("Évolution", "number", 12), OutColumn("Unité", "text", 10),
                   OutColumn("Tel que dans le rapport", "text", 22)]
        rows = [[("    " if f.level else "") + f.label, _number(f.value, f.unit),
                 _number(f.previous, f.unit), _number(f.change, f.unit), _UNITS[f.unit], f.value_text]
                for f in section.figures]
        sheets.append(OutSheet(section.key.short_title, columns, rows, preamble))
    buffer = io.BytesIO()
    write_table(buffer, sheets=sheets)
    return buffer.getvalue()


_UNITS = {Unit.COUNT: "", Unit.CENTS: "€", Unit.DAYS: "jours", Unit.MINUTES: "minutes"}
