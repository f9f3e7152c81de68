"""Days out: how long the material was away, per item, per category and per coop.

Definition (the one and only; docs/prets.md says the same):

    The *days out* of an item on a loan are the days it is away, counted from the day it
    leaves to the day it comes back, both included. A loan still out counts up to today.
    Over a period (a school year, 1 September – 31 August, by default, or any two dates)
    only the days inside the period count.

So an item leaving on Monday 3 March and back on Friday 7 March is out 5 days; an item
leaving and coming back the same day is out 1 day; a loan from 20 August to 10 September
counts 12 days in the school year that ends on 31 August and 10 in the next one. An item
declared lost counts up to the day it was declared lost. Bookings (items not yet gone)
and cancelled bookings count nothing.

For a group (a category, a coop, the whole inventory), days out are the sum over its items
and loans — a box and a camera lent together for 10 days make 20 days of material out —,
*loans* is the number of distinct loans (slips) that had at least one of its items out in
the period, and *coops* the number of distinct coops those loans went to. The annual
report's line "Matériel de prise de vue et de son (133 jours – 8 coops)" is `report_line`.

The rows are read in one query (lines that were out at some point of the period) and added
up in Python, which keeps the rule in one readable place and portable to any database.
"""

from __future__ import annotations

import gc
import io
from contextlib import contextmanager
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, extract, func, or_, select, type_coerce

from occe_bureau.db import Database
from occe_bureau.formats import (format_date, format_int, month_starts, school_year_bounds,
                                 school_year_label, school_year_of)
from occe_bureau.coops import Coop
from occe_bureau.lending.models import Item, ItemCategory, Loan, LoanLine
from occe_bureau.lending.states import ItemState, LineStatus
from occe_bureau.tabular import OutColumn, OutSheet, write_table
from occe_bureau.validation import ValidationError
from occe_bureau import clock

COUNTED_STATUSES = (LineStatus.OUT, LineStatus.RETURNED, LineStatus.LOST)
# Items no longer in the inventory's service: left out of the least used.
OUT_OF_SERVICE = (ItemState.RETIRED.value, ItemState.LOST.value)


@dataclass
class Figure:
    """Days out, number of loans and of distinct coops, for an item, a category, a coop…"""

    key: int | None
    label: str
    days: int = 0
    loans: int = 0
    coops: int | None = 0  # None for a coop's own figure (it would always be 1)


@dataclass
class UsageReport:
    period_start: date
    period_end: date
    today: date
    by_category: list[Figure]
    by_item: list[Figure]
    by_coop: list[Figure]
    total: Figure
    item_category: dict[int, str] = field(default_factory=dict)
    # The items retired or lost (as they are now), when the report knows them.
    out_of_service: frozenset[int] | None = None

    def most_used(self, n: int = 5) -> list[Figure]:
        """The `n` items out the most days in the period (then by label); only items out at all."""
        used = [f for f in self.by_item if f.days > 0]
        return sorted(used, key=lambda f: (-f.days, f.label))[:n]

    def least_used(self, n: int = 5) -> list[Figure]:
        """The `n` items of the inventory out the fewest days (then by label), unused ones
        first; the retired or lost items left out when the report knows them."""
        gone = self.out_of_service or frozenset()
        kept = [f for f in self.by_item if f.key not in gone]
        return sorted(kept, key=lambda f: (f.days, f.label))[:n]

    @property
    def period_label(self) -> str:
        start_year = school_year_of(self.period_start)
        if (self.period_start, self.period_end) == school_year_bounds(start_year):
            return f"année scolaire {school_year_label(start_year)}"
        return f"du {format_date(self.period_start)} au {format_date(self.period_end)}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{format_int(n)} {one if abs(n) < 2 else many}"  # "0 jour", as counted() writes it


def report_line(figure: Figure) -> str:
    """ "Matériel de prise de vue et de son (133 jours – 8 coops)" """
    served = (_plural(figure.loans, 'prêt', 'prêts') if figure.coops is None
              else _plural(figure.coops, 'coop', 'coops'))
    return f"{figure.label} ({_plural(figure.days, 'jour', 'jours')} – {served})"


@contextmanager
def gc_paused():
    """Tens of thousands of short-lived tuples and no reference cycle: the cyclic garbage
    collector would only walk them (and every object of the application) again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def usage(db: Database, period_start: date, period_end: date, today: date | None = None) -> UsageReport:
    """Days out, loans and distinct coops per item, per category and per coop over a period."""
    with gc_paused():
        return _usage(db, period_start, period_end, today)


def _usage(db: Database, period_start: date, period_end: date, today: date | None) -> UsageReport:
    today = today or clock.today()
    if period_end < period_start:
        raise ValidationError({"period": "Période : la date de fin est avant la date de début."})
    # Dates come back as the database stores them (ISO text in SQLite: no per-row parsing by
    # the ORM); each distinct date is converted once.
    lines = (select(LoanLine.item_id, LoanLine.loan_id, Loan.coop_id,
                    type_coerce(LoanLine.start_date, String), type_coerce(LoanLine.end_date, String),
                    LoanLine.status == LineStatus.OUT)
             .join(Loan, Loan.id == LoanLine.loan_id)
             .where(LoanLine.status.in_(COUNTED_STATUSES),
                    LoanLine.start_date <= period_end,
                    or_(LoanLine.end_date >= period_start, LoanLine.status == LineStatus.OUT)))
    with db.session() as session:
        categories = list(session.execute(
            select(ItemCategory.id, ItemCategory.name).order_by(ItemCategory.position,
                                                                ItemCategory.name)))
        items = list(session.execute(select(Item.id, Item.code, Item.name, Item.category_id)
                                     .order_by(Item.code)))
        out_of_service = frozenset(session.scalars(
            select(Item.id).where(Item.state.in_(OUT_OF_SERVICE))))
        rows = session.connection().execute(lines).all()
        # Every coop's label in one plain query (cheaper than an IN list of thousands of ids).
        coops = dict(session.connection().execute(
            select(Coop.id, Coop.number + " – " + Coop.name)).all()) if rows else {}

    # The definition above, on day numbers (ordinals): from the day it left (or the period's
    # first day) to the day it came back (today while out; or the period's last day), both
    # included.
    ordinals: dict = {}

    def ordinal(value) -> int:
        number = ordinals.get(value)
        if number is None:
            day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
            number = ordinals[value] = day.toordinal()
        return number

    first, last, now = period_start.toordinal(), period_end.toordinal(), today.toordinal()
    item_category = {iid: cid for iid, _code, _name, cid in items}
    item_days: dict[int, int] = dict.fromkeys(item_category, 0)
    item_lines: dict[int, int] = dict.fromkeys(item_category, 0)  # one line = one (item, loan)
    coop_days: dict[int, int] = {}
    loan_coop: dict[int, int] = {}
    # Pairs packed in one integer (a << 32 | b): cheaper to hash than tuples.
    item_coops, cat_loans, cat_coops = set(), set(), set()
    get = ordinals.get
    for item_id, loan_id, coop_id, start, end, still_out in rows:
        back = now if still_out else (get(end) or ordinal(end))
        days = min(back, last) - max(get(start) or ordinal(start), first) + 1
        if days <= 0:
            continue
        category = item_category[item_id]
        item_days[item_id] += days
        item_lines[item_id] += 1
        coop_days[coop_id] = coop_days.get(coop_id, 0) + days
        loan_coop[loan_id] = coop_id
        item_coops.add(item_id << 32 | coop_id)
        cat_loans.add(category << 32 | loan_id)
        cat_coops.add(category << 32 | coop_id)

    def counts(pairs: set) -> Counter:
        return Counter(pair >> 32 for pair in pairs)

    n_item_coops, n_cat_loans, n_cat_coops = counts(item_coops), counts(cat_loans), counts(cat_coops)
    n_coop_loans = Counter(loan_coop.values())
    cat_days: dict[int, int] = {}
    for item_id, days in item_days.items():
        cat_days[item_category[item_id]] = cat_days.get(item_category[item_id], 0) + days
    by_category = {cid: Figure(cid, name, cat_days.get(cid, 0), n_cat_loans.get(cid, 0),
                               n_cat_coops.get(cid, 0)) for cid, name in categories}
    by_item = {iid: Figure(iid, f"{code} – {name}", item_days[iid], item_lines[iid],
                           n_item_coops.get(iid, 0)) for iid, code, name, _cid in items}
    by_coop = {cid: Figure(cid, coops.get(cid, "?"), days, n_coop_loans.get(cid, 0), None)
               for cid, days in coop_days.items()}
    total = Figure(None, "Tout le matériel", sum(coop_days.values()), len(loan_coop),
                   len(coop_days))
    return UsageReport(
        period_start=period_start, period_end=period_end, today=today,
        by_category=list(by_category.values()),
        by_item=list(by_item.values()),
        by_coop=sorted(by_coop.values(), key=lambda f: (-f.days, f.label)),
        total=total,
        item_category={iid: dict(categories).get(cid, "") for iid, cid in item_category.items()},
        out_of_service=out_of_service,
    )


def loans_per_month(db: Database, start: date, end: date) -> list[tuple[date, int]]:
    """For every month of the period (its first day), the number of loans (slips) whose first
    item left in it, between `start` and `end` included; 0 for a month without any. An item
    counts once it has left (out, back or lost): bookings and cancelled ones do not."""
    if end < start:
        raise ValidationError({"period": "Période : la date de fin est avant la date de début."})
    first_out = (select(func.min(LoanLine.start_date).label("day"))
                 .where(LoanLine.status.in_(COUNTED_STATUSES))
                 .group_by(LoanLine.loan_id)
                 .subquery())
    year, month = extract("year", first_out.c.day), extract("month", first_out.c.day)
    query = (select(year, month, func.count())
             .where(first_out.c.day >= start, first_out.c.day <= end)
             .group_by(year, month))
    with db.session() as session:
        counts = {(int(y), int(m)): n for y, m, n in session.execute(query)}
    return [(day, counts.get((day.year, day.month), 0)) for day in month_starts(start, end)]


def usage_for_school_year(db: Database, start_year: int, today: date | None = None) -> UsageReport:
    start, end = school_year_bounds(start_year)
    return usage(db, start, end, today)


def _columns(*specs: tuple[str, str, int]) -> list[OutColumn]:
    return [OutColumn(title, kind, width) for title, kind, width in specs]


def export_xlsx(report: UsageReport) -> bytes:
    """The figures as a workbook: per category (with the report's lines), per item, per coop
    (written by occe_bureau.tabular, which neutralises the cells a spreadsheet would run)."""
    heading = ((f"Prêts de matériel – {report.period_label}",), ())  # a title, an empty line
    days, loans, coops = ("Jours de sortie", "int", 18), ("Prêts", "int", 18), ("Coopératives", "int", 18)
    sheets = [
        OutSheet("Par catégorie",
                 _columns(("Catégorie", "text", 48), days, loans, coops,
                          ("Ligne du rapport d'activité", "text", 60)),
                 [[f.label, f.days, f.loans, f.coops, report_line(f)]
                  for f in [*report.by_category, report.total]], heading),
        OutSheet("Par matériel",
                 _columns(("Matériel", "text", 48), ("Catégorie", "text", 18), days, loans, coops),
                 [[f.label, report.item_category.get(f.key, ""), f.days, f.loans, f.coops]
                  for f in report.by_item], heading),
        OutSheet("Par coopérative", _columns(("Coopérative", "text", 48), days, loans),
                 [[f.label, f.days, f.loans] for f in report.by_coop], heading),
    ]
    buffer = io.BytesIO()
    write_table(buffer, sheets=sheets)
    return buffer.getvalue()
