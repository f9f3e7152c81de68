"""The Bilan's one table: the free text the secretary writes for a section of a period's report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from occe_bureau.audit import Audited
from occe_bureau.versions import Versioned

MAX_TEXT = 4000


class ReportText(Audited, Versioned, table=True):
    __tablename__ = "report_text"
    __table_args__ = (UniqueConstraint("period_start", "period_end", "section", name="uq_report_text"),)

    id: int | None = Field(default=None, primary_key=True)
    period_start: date
    period_end: date
    section: str = Field(max_length=20)     # a SectionKey value
    text: str = Field(default="", max_length=MAX_TEXT)
