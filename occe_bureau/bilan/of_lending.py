"""The lending section: days out, loans and coops served per category and per item, as the report
writes them ("Matériel de prise de vue et de son (133 jours – 8 coops)"), the most and the least
used items, loans per month."""

from __future__ import annotations

from datetime import date
from functools import partial

from occe_bureau import lending
from occe_bureau.bilan.links import ListView
from occe_bureau.bilan.papers import (
    Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit, list_link, month_label,
)
from occe_bureau.db import Database
from occe_bureau.formats import counted

SHOWN_ITEMS = 5


def lending_section(db: Database, period: Period, previous: Period, today: date) -> Section:
    now = lending.usage(db, period.start, period.end, today)
    before = lending.usage(db, previous.start, previous.end, today)

    link = partial(list_link, period=period)

    days_before = {f.key: f.days for f in before.by_category}
    figures = [
        ReportFigure("Jours de sortie du matériel", now.total.days, before.total.days, Unit.DAYS,
                     link=link(ListView.DAYS_OUT)),
        ReportFigure("Prêts", now.total.loans, before.total.loans, link=link(ListView.LOANS)),
        ReportFigure("Coopératives servies", now.total.coops or 0, before.total.coops or 0,
                     link=link(ListView.DAYS_OUT)),
    ]
    figures += _per_key(now.by_category, before.by_category, "category_id", link)
    # every item, on screen and in the workbook (a report prints the categories)
    figures += _per_key(now.by_item, before.by_item, "item_id", link, printed=False)
    most = now.most_used(SHOWN_ITEMS)

    lines = [f"Au total : {counted(now.total.days, 'jour', 'jours')} de sortie, "
             f"{counted(now.total.loans, 'prêt', 'prêts')}, "
             f"{counted(now.total.coops or 0, 'coopérative servie', 'coopératives servies')}."]
    lines += [lending.report_line(f) for f in now.by_category if f.days]
    if most:
        lines.append("Les plus demandés : " + ", ".join(lending.report_line(f) for f in most) + ".")
    idle = [f for f in now.by_item if not f.days and f.key not in (now.out_of_service or ())]
    if idle:
        named = ", ".join(f.label for f in idle[:SHOWN_ITEMS]) + (", …" if len(idle) > SHOWN_ITEMS else "")
        lines.append(f"{counted(len(idle), 'matériel pas sorti', 'matériels pas sortis')} sur la période "
                     f"({named}).")
    seldom = [f for f in now.least_used(len(now.by_item)) if f.days][:SHOWN_ITEMS]
    if seldom:
        lines.append("Les moins sortis : " + ", ".join(lending.report_line(f) for f in seldom) + ".")
    return Section(SectionKey.LENDING, tuple(lines), tuple(figures),
                   (_per_month(db, period, previous), _per_category(now, days_before, period, previous)))


def _per_key(now: list, before: list, filter_name: str, link, *,
             printed: bool = True) -> list[ReportFigure]:
    """A category's or an item's days out, loans and coops beside the previous period's (those
    out in either period), each opening its loans."""
    earlier = {f.key: f for f in before}
    figures = []
    for f in now:
        b = earlier.get(f.key)
        if not (f.days or (b and b.days)):
            continue
        opens = link(ListView.LOANS, **{filter_name: f.key})
        figures += [
            ReportFigure(f"{f.label} : jours", f.days, b.days if b else 0, Unit.DAYS, 1, opens,
                         printed),
            ReportFigure(f"{f.label} : prêts", f.loans, b.loans if b else 0, Unit.COUNT, 1, opens,
                         printed),
            ReportFigure(f"{f.label} : coopératives", f.coops or 0, (b.coops or 0) if b else 0,
                         Unit.COUNT, 1, opens, printed),
        ]
    return figures


def _per_month(db: Database, period: Period, previous: Period) -> Chart:
    now = lending.loans_per_month(db, period.start, period.end)
    before = [n for _month, n in lending.loans_per_month(db, previous.start, previous.end)]
    long = len(now) > 12
    return Chart("loans_per_month", "Prêts par mois (départs)", ChartKind.MONTHS,
                 tuple(month_label(m, with_year=long) for m, _n in now), tuple(n for _m, n in now),
                 tuple(before[:len(now)]) + (0,) * (len(now) - len(before)),
                 series=(period.short_label, previous.short_label))


def _per_category(now, days_before: dict, period: Period, previous: Period) -> Chart:
    shown = [f for f in now.by_category if f.days or days_before.get(f.key)]
    return Chart("days_per_category", "Jours de sortie par catégorie", ChartKind.BARS,
                 tuple(f.label for f in shown), tuple(f.days for f in shown),
                 tuple(days_before.get(f.key, 0) for f in shown), Unit.DAYS,
                 series=(period.short_label, previous.short_label))
