"""How the history (the audit trail) names the Bilan's records."""

from __future__ import annotations

from occe_bureau.audit import describe
from occe_bureau.bilan.papers import SectionKey


def _title(v: dict) -> str:
    try:
        section = SectionKey(v.get("section", "")).title
    except ValueError:
        section = "Section"
    start, end = str(v.get("period_start", "")), str(v.get("period_end", ""))
    return f"{section} ({start[:4]}-{end[:4]})" if start and end else section


describe("report_text", "Texte du rapport d'activité", title=_title,
         labels={"period_start": "Début de la période", "period_end": "Fin de la période",
                 "section": "Section", "text": "Texte"},
         choices={"section": SectionKey})
