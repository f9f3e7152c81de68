"""Bilan: the year's activity report — the figures of every domain for a school year or any
period, beside the previous one, their charts, the "Rapport d'activité" PDF and workbook.

The public face; the UI imports from here. The Bilan reads the other domains' public figures
(coops, lending, sales, trainings, gifts: one `of_*.py` module each puts them in the report's
phrasing) and recomputes nothing they compute:
- plain types (`papers.py`): the period, a figure beside the previous one, a section, a chart;
- `report.py`: the whole Bilan of a period, the default period, the years to choose from;
- `texts.py`: the secretary's free text per section, kept per period;
- `links.py`: the list behind a figure, opened in its tab;
- `documents.py`: the PDF (laid out by activity_pdf.py, charts drawn by charts.py) and the workbook.
ReportLab is imported only when a chart or a document is made.
"""

from occe_bureau.bilan.documents import chart_size, chart_svg, report_pdf, report_workbook
from occe_bureau.bilan.links import ListLink, ListView
from occe_bureau.bilan.papers import (
    CHART_WIDTH, Chart, ChartKind, Period, Report, ReportFigure, Section, SectionKey, Unit,
)
from occe_bureau.bilan.report import check_period, default_period, report, school_years
from occe_bureau.bilan.texts import SectionText, check_text, save_section_text, section_texts

__all__ = [
    "CHART_WIDTH", "chart_size", "Chart", "ChartKind", "ListLink", "ListView", "Period", "Report", "ReportFigure", "Section",
    "SectionKey", "SectionText", "Unit", "chart_svg", "check_period", "check_text", "default_period",
    "report", "report_pdf", "report_workbook", "save_section_text", "school_years", "section_texts",
]

# How the history names this domain's records (the audit trail, occe_bureau/audit.py).
from occe_bureau.bilan import history as history  # noqa: E402,F401
