"""The planning grid: for the coming weeks, item by item, what is out, booked or free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select

from occe_bureau.db import Database
from occe_bureau.coops import Coop
from occe_bureau.lending.models import Item, ItemCategory, Loan, LoanLine
from occe_bureau.lending.inventory import SIT_OVERDUE
from occe_bureau.lending.lateness import is_late
from occe_bureau.lending.states import ItemState, LineStatus
from occe_bureau.lending.vocabulary import coop_label
from occe_bureau import clock


@dataclass
class Segment:
    start: date
    end: date
    kind: str  # OUT, BOOKED or SIT_OVERDUE
    loan_id: int
    coop: str


@dataclass
class PlanningRow:
    item_id: int
    code: str
    name: str
    category: str
    state: str
    segments: list[Segment]

    def on(self, day: date) -> Segment | None:
        """The segment covering the day (a loan ending that day wins over one starting)."""
        found = None
        for segment in self.segments:
            if segment.start <= day <= segment.end:
                if found is None or segment.start < found.start:
                    found = segment
        return found


def planning_grid(db: Database, start: date, days: int = 42, category_id: int | None = None,
             today: date | None = None) -> list[PlanningRow]:
    """For the coming weeks, item by item: what is out (or overdue), what is booked, what is free."""
    today = today or clock.today()
    end = start + timedelta(days=days - 1)
    items_query = (select(Item.id, Item.code, Item.name, ItemCategory.name, Item.state)
                   .join(ItemCategory, ItemCategory.id == Item.category_id)
                   .where(Item.state.in_((ItemState.AVAILABLE, ItemState.MAINTENANCE)))
                   .order_by(ItemCategory.position, Item.code))
    lines_query = (select(LoanLine.item_id, LoanLine.status, LoanLine.start_date,
                          LoanLine.end_date, LoanLine.loan_id, Coop.number, Coop.name)
                   .join(Loan, Loan.id == LoanLine.loan_id)
                   .join(Coop, Coop.id == Loan.coop_id)
                   .where(LoanLine.status.in_((LineStatus.BOOKED, LineStatus.OUT)),
                          LoanLine.start_date <= end,
                          or_(LoanLine.end_date >= start, LoanLine.status == LineStatus.OUT))
                   .order_by(LoanLine.start_date))
    if category_id is not None:
        items_query = items_query.where(Item.category_id == category_id)
    with db.session() as session:
        rows = [PlanningRow(iid, code, name, cat, state, [])
                for iid, code, name, cat, state in session.execute(items_query)]
        by_id = {row.item_id: row for row in rows}
        for item_id, status, s, e, loan_id, number, name in session.execute(lines_query):
            row = by_id.get(item_id)
            if row is None:
                continue
            kind = status
            if status == LineStatus.OUT and is_late(e, today):
                kind, e = SIT_OVERDUE, max(today, e)
            row.segments.append(Segment(s, e, kind, loan_id, coop_label(number, name)))
    return rows
