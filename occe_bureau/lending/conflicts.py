"""The overlap rule of the lending desk, and the check that an item is here before it leaves.

Overlap rule. Two spans [s1, e1] and [s2, e2] of the same item conflict when
``s1 < e2 and s2 < e1``. Back-to-back spans (one ends the day the other starts) do not
conflict: the box goes from one school to the next that day. A one-day loan (start == due)
is valid; by the same rule, it does not conflict with a loan ending or starting that day.
Two one-day spans on the same day do conflict: that would be the same box at two schools
with nobody handing it from one to the other.
The check is one query per item on the index ``ix_loan_line_item_span (item_id, start_date,
end_date)``: ``item_id = ? AND ((start_date < :new_end AND end_date > :new_start) OR
(start_date = end_date = :new_start = :new_end))``.

On top of the dates, an item can only *leave* (loan, check-out of a booking, transfer) when
it is physically here: its state is "disponible" and no earlier loan of it is still out
(an overdue loan keeps the item away past its due date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.coops import Coop
from occe_bureau.lending.models import Item, Loan, LoanLine
from occe_bureau.lending.states import LineStatus
from occe_bureau.lending.vocabulary import slip_label
from occe_bureau.validation import ValidationError


@dataclass
class Conflict:
    item_id: int
    item_code: str
    item_name: str
    loan_id: int
    slip_number: int
    coop_number: str
    coop_name: str
    start_date: date
    end_date: date
    status: str

    @property
    def message(self) -> str:
        verb = "réservé" if self.status == LineStatus.BOOKED else "prêté"
        return (f"« {self.item_code} – {self.item_name} » est déjà {verb} à {self.coop_number} – "
                f"{self.coop_name} du {format_date(self.start_date)} au "
                f"{format_date(self.end_date)} (bon n° {slip_label(self.slip_number)}).")


def overlaps(start: date, end: date):
    """The SQL condition of the overlap rule: a line whose span conflicts with [start, end]."""
    overlap = and_(LoanLine.start_date < end, LoanLine.end_date > start)
    if start == end:
        overlap = or_(overlap, and_(LoanLine.start_date == start, LoanLine.end_date == end))
    return overlap


def span_query(item_id: int, start: date, end: date, exclude_loan_ids: tuple[int, ...] = ()):
    """The query span_conflicts runs for one item (tests EXPLAIN it: it must use the index)."""
    query = (select(LoanLine.item_id, Item.code, Item.name, Loan.id, Loan.slip_number,
                    Coop.number, Coop.name, LoanLine.start_date, LoanLine.end_date,
                    LoanLine.status)
             .join(Loan, Loan.id == LoanLine.loan_id)
             .join(Coop, Coop.id == Loan.coop_id)
             .join(Item, Item.id == LoanLine.item_id)
             .where(LoanLine.item_id == item_id,
                    LoanLine.status != LineStatus.CANCELLED)
             .order_by(LoanLine.start_date))
    query = query.where(overlaps(start, end))
    if exclude_loan_ids:
        query = query.where(LoanLine.loan_id.not_in(exclude_loan_ids))
    return query


def span_conflicts(session, item_ids: list[int], start: date, end: date,
                   exclude_loan_ids: tuple[int, ...] = ()) -> list[Conflict]:
    """The other active lines of these items whose span conflicts with [start, end].

    One indexed query per item (ix_loan_line_item_span): start_date < end AND end_date > start.
    """
    found: list[Conflict] = []
    for item_id in item_ids:
        query = span_query(item_id, start, end, exclude_loan_ids)
        found += [Conflict(*row) for row in session.execute(query)]
    return found


def find_conflicts(db: Database, item_ids: list[int], start: date, end: date,
                   exclude_loan_id: int | None = None) -> list[Conflict]:
    with db.session() as session:
        return span_conflicts(session, item_ids, start, end,
                              (exclude_loan_id,) if exclude_loan_id else ())


def still_out_elsewhere(session, item_ids: list[int], exclude_loan_ids: tuple[int, ...] = ()):
    query = (select(Item.code, Item.name, Loan.slip_number, Coop.number, Coop.name, Loan.due_date)
             .select_from(LoanLine)
             .join(Loan, Loan.id == LoanLine.loan_id)
             .join(Coop, Coop.id == Loan.coop_id)
             .join(Item, Item.id == LoanLine.item_id)
             .where(LoanLine.item_id.in_(item_ids), LoanLine.status == LineStatus.OUT))
    if exclude_loan_ids:
        query = query.where(LoanLine.loan_id.not_in(exclude_loan_ids))
    return [f"« {code} – {name} » n'est pas revenu : il est encore chez {number} – {cname} "
            f"(bon n° {slip_label(slip)}, retour prévu le {format_date(due)})."
            for code, name, slip, number, cname, due in session.execute(query)]


def raise_conflicts(conflicts: list[Conflict]) -> None:
    if conflicts:
        raise ValidationError({"items": "\n".join(c.message for c in conflicts)})
