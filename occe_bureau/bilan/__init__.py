"""Bilan: the year's activity report — the figures of every domain for a school year or any
period, beside the previous one, their charts, the "Rapport d'activité" PDF and workbook.

The public face; the UI imports from here. The Bilan reads the other domains' public figures
(coops, lending, sales, trainings, gifts: one `of_*.py` module each puts them in the report's
phrasing) and recomputes nothing they compute:
- plain types (`papers.py`): the period, a figure beside the previous one, a section, a chart;
- `gathering.py`: the whole Bilan of a period, the default period, the years to choose from;
- `texts.py`: the secretary's free text per section, kept per period;
- `links.py`: the list behind a figure, opened in its tab;
- `documents.py`: the PDF (laid out by activity_pdf.py, charts drawn by charts.py) and the workbook.

The face is lazy: start-up loads the Bilan's table (models.py, for the schema checks), and so
this package, but its code (and ReportLab) only when the Bilan tab first asks for a name.
"""

from __future__ import annotations

import importlib

# Each name the face gives, and the module it comes from.
_FACE = {
    "chart_size": "documents", "chart_svg": "documents", "report_pdf": "documents",
    "report_workbook": "documents",
    "ListLink": "links", "ListView": "links",
    "CHART_WIDTH": "papers", "Chart": "papers", "ChartKind": "papers", "Period": "papers",
    "Report": "papers", "ReportFigure": "papers", "Section": "papers", "SectionKey": "papers",
    "Unit": "papers",
    "check_period": "gathering", "default_period": "gathering", "report": "gathering",
    "school_years": "gathering",
    "SectionText": "texts", "check_text": "texts", "save_section_text": "texts",
    "section_texts": "texts",
}
__all__ = sorted(_FACE)


def __getattr__(name: str):
    module = _FACE.get(name)
    if module is None:
        raise AttributeError(f"module 'occe_bureau.bilan' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"occe_bureau.bilan.{module}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FACE))


# How the history names this domain's records (the audit trail, occe_bureau/audit.py): light,
# and needed before the tab is opened.
from occe_bureau.bilan import history as history  # noqa: E402,F401
