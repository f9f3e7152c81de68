"""The Bilan of a period: every section's figures beside the previous period's, with the
secretary's texts. Each section asks its domain's public figures once per period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from occe_bureau import clock
from occe_bureau.association import get_association
from occe_bureau.bilan.of_coops import coops_section
from occe_bureau.bilan.of_gifts import gifts_section
from occe_bureau.bilan.of_lending import lending_section
from occe_bureau.bilan.of_sales import sales_section
from occe_bureau.bilan.of_trainings import trainings_section
from occe_bureau.bilan.papers import Period, Report
from occe_bureau.bilan.texts import section_texts
from occe_bureau.coops import years_with_data
from occe_bureau.db import Database
from occe_bureau.formats import school_year_of
from occe_bureau.validation import ValidationError

LONGEST_YEARS = 5


def default_period(today: date | None = None) -> Period:
    """The last closed school year: the one the annual report is written about."""
    return Period.school_year(school_year_of(today or clock.today()) - 1)


def school_years(db: Database, today: date | None = None) -> list[int]:
    """The school years to choose from, the latest first: from the first year the register has
    figures for (or the last closed one) to the year under way."""
    current = school_year_of(today or clock.today())
    known = years_with_data(db)
    first = min([*known, current - 1]) if known else current - 1
    return list(range(current, first - 1, -1))


def check_period(start: date | None, end: date | None) -> Period:
    if start is None or end is None:
        raise ValidationError({"period": "Période : indiquez la date de début et la date de fin."})
    if end < start:
        raise ValidationError({"period": "Période : la date de fin est avant la date de début."})
    if (end - start).days > LONGEST_YEARS * 366:
        raise ValidationError({"period": f"Période : {LONGEST_YEARS} ans au plus."})
    return Period(start, end)


def report(db: Database, period: Period, today: date | None = None, *,
           texts: dict | None = None) -> Report:
    """The whole Bilan of `period` beside the same period a year earlier, with the section
    texts (`texts`, when the caller has read them already: section_texts)."""
    today = today or clock.today()
    previous = period.previous()
    texts = texts if texts is not None else section_texts(db, period)
    sections = (
        coops_section(db, period, previous, today),
        lending_section(db, period, previous, today),
        sales_section(db, period, previous),
        trainings_section(db, period, previous, today),
        gifts_section(db, period, previous),
    )
    sections = tuple(replace(s, text=texts[s.key].text) for s in sections)
    return Report(period, previous, sections, today, get_association(db).name)
