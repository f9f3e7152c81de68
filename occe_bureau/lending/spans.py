"""A line's status and its span, written in one place.

Each item of a loan is a line with its own span [start_date, end_date] (the overlap rule of
lending/conflicts.py compares them):
- while the item is booked or out, end_date is the loan's due date;
- once it came back, was handed on to the next school or was declared lost, end_date is that
  day (a returned line also keeps it as its returned_on);
- a cancelled line keeps the span it had (it conflicts with nothing any more).
"""

from __future__ import annotations

from datetime import date

from occe_bureau.lending.models import LoanLine
from occe_bureau.lending.states import LineStatus


def line_end(status: LineStatus | str, due: date, ended_on: date | None = None) -> date:
    """The end of a line's span: the due date while booked, out (or cancelled), the day it
    ended once returned or lost."""
    if LineStatus(status).ended:
        if ended_on is None:
            raise ValueError(f"a {status} line needs the day it ended")
        return ended_on
    return due


def set_line(line: LoanLine, status: LineStatus | str, *, start: date | None = None,
             due: date | None = None, ended_on: date | None = None) -> None:
    """Give a line its status and the span that goes with it (`due`: the loan's due date
    while booked or out, kept as it is when not given; `ended_on`: the day it came back or
    was lost)."""
    status = LineStatus(status)
    if start is not None:
        line.start_date = start
    line.end_date = line_end(status, due if due is not None else line.end_date, ended_on)
    line.status = status.value
    if status == LineStatus.RETURNED:
        line.returned_on = ended_on


def new_line(loan_id: int, item_id: int, status: LineStatus | str, start: date, due: date) -> LoanLine:
    """A new booked or out line of a loan, spanning [start, due]."""
    return LoanLine(loan_id=loan_id, item_id=item_id, status=LineStatus(status).value,
                    start_date=start, end_date=line_end(status, due))
