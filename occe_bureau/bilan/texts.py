"""The free text of each section of the report, kept per period: what the secretary adds before
printing (the year's actions, a word of thanks). Versioned: a text changed on another workstation
since it was read is not overwritten."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from occe_bureau import versions
from occe_bureau.bilan.models import MAX_TEXT, ReportText
from occe_bureau.bilan.papers import Period, SectionKey
from occe_bureau.db import Database
from occe_bureau.validation import Checker, StaleRecord


@dataclass(frozen=True)
class SectionText:
    section: SectionKey
    text: str = ""
    id: int | None = None
    version: int | None = None      # None: never written


def section_texts(db: Database, period: Period) -> dict[SectionKey, SectionText]:
    """Every section's text for the period (an empty one where none was written)."""
    with db.session() as session:
        rows = session.execute(select(ReportText.section, ReportText.text, ReportText.id,
                                      ReportText.version)
                               .where(ReportText.period_start == period.start,
                                      ReportText.period_end == period.end)).all()
    found = {SectionKey(section): SectionText(SectionKey(section), text, rid, version)
             for section, text, rid, version in rows if section in SectionKey.__members__.values()}
    return {key: found.get(key, SectionText(key)) for key in SectionKey}


def check_text(text: str) -> str:
    checker = Checker()
    clean = checker.text("text", "Texte", text, max_length=MAX_TEXT, multiline=True)
    checker.raise_if_any()
    return clean


def save_section_text(db: Database, period: Period, opened: SectionText, text: str) -> SectionText:
    """Keep the section's text for the period, from the text as `opened`; refused with
    StaleRecord when it was changed (or first written) elsewhere since, with ValidationError
    when it is too long or holds a character the documents cannot print."""
    clean = check_text(text)
    said = {"what": "Ce texte", "feminine": False}
    try:
        with db.transaction() as session:
            if opened.id is None:
                existing = session.scalar(select(ReportText.id).where(
                    ReportText.period_start == period.start, ReportText.period_end == period.end,
                    ReportText.section == opened.section.value))
                if existing is not None:
                    raise versions.stale_error(session, ReportText, existing, **said)
                row = ReportText(period_start=period.start, period_end=period.end,
                                 section=opened.section.value, text=clean)
                session.add(row)
            else:
                versions.claim(session, ReportText, opened.id, opened.version, **said)
                row = session.get(ReportText, opened.id)
                row.text = clean
            session.flush()
            saved = SectionText(opened.section, clean, row.id, row.version)
    except IntegrityError:  # written on another workstation in the same instant
        raise StaleRecord(**said) from None
    return saved
