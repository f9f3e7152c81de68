"""The Bilan's plain types: a period, the figures of a section beside the previous period's, the
report's sentences, the charts. The tab, the PDF and the workbook are given these and only lay
them out (a vocabulary module: it imports no rule and no database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from occe_bureau.bilan.links import ListLink, ListView
from occe_bureau.formats import (
    NBSP, format_date, format_duration, format_int, format_money, month_starts, school_year_bounds,
    school_year_label, school_year_of,
)


@dataclass(frozen=True)
class Period:
    """Two dates, both included: a school year (1 September – 31 August) or any period."""

    start: date
    end: date

    @classmethod
    def school_year(cls, start_year: int) -> Period:
        return cls(*school_year_bounds(start_year))

    @property
    def start_year(self) -> int:
        """The school year the period starts in."""
        return school_year_of(self.start)

    @property
    def is_school_year(self) -> bool:
        return (self.start, self.end) == school_year_bounds(self.start_year)

    @property
    def label(self) -> str:
        """"année scolaire 2025-2026" or "du 01/01/2026 au 30/06/2026"."""
        if self.is_school_year:
            return f"année scolaire {school_year_label(self.start_year)}"
        return f"du {format_date(self.start)} au {format_date(self.end)}"

    @property
    def short_label(self) -> str:
        """A column title: "2025-2026", or "01/01/2026 – 30/06/2026"."""
        if self.is_school_year:
            return school_year_label(self.start_year)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def key(self) -> str:
        """What the free texts are kept under: "2025-09-01/2026-08-31"."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def previous(self) -> Period:
        """The same period one year earlier (the school year before, for a school year)."""
        if self.is_school_year:
            return Period.school_year(self.start_year - 1)
        return Period(_year_before(self.start), _year_before(self.end))

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        return month_starts(self.start, self.end)


def list_link(view: ListView, *, period: Period, **filters) -> ListLink:
    """The list behind a figure of `period`: functools.partial(list_link, period=…) per section."""
    return ListLink(view, period.start, period.end, period.start_year, **filters)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc.")


def month_label(day: date, *, with_year: bool = False) -> str:
    """"sept." or "sept. 25" (a chart's columns)."""
    return _MONTHS[day.month - 1] + (f" {day.year % 100:02d}" if with_year else "")


class Unit(StrEnum):
    COUNT = "count"
    CENTS = "cents"
    DAYS = "days"
    MINUTES = "minutes"

    def text(self, value: int) -> str:
        """A value as the report writes it: "6 198", "150 859 €", "133 jours", "9 h"."""
        if self is Unit.CENTS:
            return euros_text(value)
        if self is Unit.DAYS:
            return f"{format_int(value)}{NBSP}" + ("jour" if abs(value) < 2 else "jours")
        if self is Unit.MINUTES:
            return format_duration(value).replace(" ", NBSP)
        return format_int(value)


def euros_text(cents: int) -> str:
    """Whole euros as the reports write them ("150 859 €"); cents only when there are some."""
    if cents % 100 == 0:
        return f"{format_int(cents // 100)}{NBSP}€"
    return format_money(cents)


class SectionKey(StrEnum):
    """The report's sections, in its order."""

    COOPS = "coops"
    LENDING = "lending"
    SALES = "sales"
    TRAININGS = "trainings"
    GIFTS = "gifts"

    @property
    def title(self) -> str:
        return {
            "coops": "Nos coopératives scolaires",
            "lending": "Ressources et prêts",
            "sales": "Agendas et livres",
            "trainings": "Nos formations",
            "gifts": "Reçus pour dons",
        }[self.value]

    @property
    def label(self) -> str:  # for the history's readers of codes
        return self.title

    @property
    def short_title(self) -> str:
        """The name of its page in the tab and of its sheet in the workbook."""
        return {"coops": "Coopératives", "lending": "Prêts", "sales": "Ventes",
                "trainings": "Formations", "gifts": "Dons"}[self.value]


@dataclass(frozen=True)
class ReportFigure:
    """One figure of a section, beside the previous period's (None: not known then)."""

    label: str
    value: int
    previous: int | None = None
    unit: Unit = Unit.COUNT
    level: int = 0                      # 1: a detail of the figure above
    link: ListLink | None = None        # the list behind it
    printed: bool = True                # False: on screen and in the workbook, not in the PDF

    @property
    def value_text(self) -> str:
        return self.unit.text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else self.unit.text(self.previous)

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def change_text(self) -> str:
        """"+12 (+5 %)", "−3 (−20 %)", "=" or "" when the previous is unknown."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "="
        sign = "+" if change > 0 else "−"
        text = sign + self.unit.text(abs(change))
        if self.previous:
            percent = abs(100 * change / self.previous)
            shown = f"{percent:.1f}".replace(".", ",") if percent < 1 else format_int(round(percent))
            text += f" ({sign}{shown}{NBSP}%)"
        return text


CHART_WIDTH = 85 * 72 / 25.4   # a chart's width in points (85 mm): half a page's text width


class ChartKind(StrEnum):
    MONTHS = "months"    # columns, one per month of the period
    BARS = "bars"        # horizontal bars, one per category


@dataclass(frozen=True)
class Chart:
    """A chart's definition: its data and how it is drawn, the same for the screen and the PDF
    (drawn by occe_bureau/bilan/charts.py)."""

    key: str
    title: str
    kind: ChartKind
    labels: tuple[str, ...]
    values: tuple[int, ...]
    previous: tuple[int, ...] | None = None
    unit: Unit = Unit.COUNT
    series: tuple[str, str] = ("", "")     # the legend: this period, the previous one

    @property
    def is_empty(self) -> bool:
        return not any(self.values) and not any(self.previous or ())


@dataclass(frozen=True)
class Section:
    key: SectionKey
    sentences: tuple[str, ...]                # the figures in the reports' own phrasing
    figures: tuple[ReportFigure, ...]
    charts: tuple[Chart, ...] = ()
    note: str = ""                            # what the section's figures cover, when it matters
    text: str = ""                            # the secretary's free text for this period

    @property
    def title(self) -> str:
        return self.key.title


@dataclass(frozen=True)
class Report:
    """Every section of the Bilan for a period, beside the previous one."""

    period: Period
    previous: Period
    sections: tuple[Section, ...]
    made_on: date
    association: str = ""

    @property
    def title(self) -> str:
        if self.period.is_school_year:
            return f"Rapport d'activité {school_year_label(self.period.start_year)}"
        return f"Rapport d'activité {self.period.label}"

    def section(self, key: SectionKey) -> Section:
        return next(s for s in self.sections if s.key is key)
