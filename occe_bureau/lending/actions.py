"""What can be done with a loan or a booking in its state, and which bookings a loan's items
can be handed on to. The widgets enable their buttons from these answers."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from occe_bureau.db import Database
from occe_bureau.lending.lateness import is_late
from occe_bureau.lending.queries import LoanDetail, LoanRow, booked_item_ids, bookings_for_items, get_loan
from occe_bureau.lending.states import LineStatus, LoanStatus

# A transfer goes to a booking starting around the day of the handing over.
TRANSFER_WINDOW = timedelta(days=14)


class LoanAction(StrEnum):
    CHECK_OUT = "check_out"
    RETURN = "return"
    EXTEND = "extend"
    TRANSFER = "transfer"
    MARK_LOST = "mark_lost"
    CANCEL = "cancel"
    EDIT_BOOKING = "edit_booking"
    PRINT_SLIP = "print_slip"
    PRINT_RECEIPT = "print_receipt"
    REMIND = "remind"


_BY_STATUS = {
    LoanStatus.BOOKED: {LoanAction.CHECK_OUT, LoanAction.CANCEL, LoanAction.EDIT_BOOKING,
                        LoanAction.EXTEND},
    LoanStatus.OUT: {LoanAction.RETURN, LoanAction.TRANSFER, LoanAction.MARK_LOST,
                     LoanAction.EXTEND},
    LoanStatus.CLOSED: set(),
    LoanStatus.CANCELLED: set(),
}


def _something_back(loan: LoanDetail | LoanRow) -> bool:
    """Some item of the loan came back (or was lost): a return receipt has something to say."""
    if isinstance(loan, LoanDetail):
        return any(l.status in (LineStatus.RETURNED, LineStatus.LOST) for l in loan.lines)
    return loan.open_count < loan.item_count


def loan_actions(loan: LoanDetail | LoanRow, today: date) -> frozenset[LoanAction]:
    """The actions a loan (or booking) allows today, for a row of the list or a loan's detail."""
    status = LoanStatus(loan.status)
    actions = set(_BY_STATUS[status]) | {LoanAction.PRINT_SLIP}
    if status in (LoanStatus.OUT, LoanStatus.CLOSED) and _something_back(loan):
        actions.add(LoanAction.PRINT_RECEIPT)
    if status == LoanStatus.OUT and is_late(loan.due_date, today):
        actions.add(LoanAction.REMIND)
    return frozenset(actions)


def transfer_bookings(db: Database, loan_id: int, item_ids: list[int], today: date) -> list[LoanRow]:
    """The bookings the items handed over (`item_ids`) can go to: another coop's, holding every
    one of them, starting within a fortnight of today either way. None when no item is chosen."""
    if not item_ids:
        return []
    loan = get_loan(db, loan_id)
    handed = set(item_ids)
    found = []
    for row in bookings_for_items(db, list(handed), today - TRANSFER_WINDOW):
        if row.coop_id == loan.coop_id or row.start_date > today + TRANSFER_WINDOW:
            continue
        if handed <= set(booked_item_ids(db, row.id)):
            found.append(row)
    return found
