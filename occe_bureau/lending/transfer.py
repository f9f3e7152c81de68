"""A box handed straight from one school to the next: the first loan returned and the next
one started the same day, in one transaction. (The life of a loan: lending/loans.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.lending.checks import (
    LoanData, check_coop_can_borrow, check_here, check_items_lendable, check_loan_data,
    check_out, insert_loan, lines_of, refresh_status,
)
from occe_bureau.lending.conflicts import raise_conflicts, span_conflicts
from occe_bureau.lending.locks import lock_loan_items
from occe_bureau.lending.loans import claim_loan
from occe_bureau.lending.models import Item
from occe_bureau.lending.spans import set_line
from occe_bureau.lending.states import LineStatus, LoanStatus
from occe_bureau.lending.vocabulary import load_loan, slip_label
from occe_bureau.validation import ValidationError
from occe_bureau import clock

CONDITION_TRANSFER = "Transmis directement à l'école suivante"
_SAME_COOP = "Coopérative : c'est déjà elle qui a le matériel ; prolongez plutôt le prêt."


@dataclass
class TransferData:
    """The next school's loan, opened the day the box leaves the first one."""

    coop_id: int | None = None
    borrower: str = ""
    on: date | None = None
    due_date: date | None = None
    handed_over_by: str = ""
    notes: str = ""
    item_ids: list[int] | None = None  # None: every item still out
    booking_id: int | None = None  # the next school's booking, if there is one


def transfer_loan(db: Database, loan_id: int, data: TransferData, *, today: date | None = None,
                  version: int | None = None) -> int:
    """A box handed straight from one school to the next, in one action and one transaction:
    the first loan's items are returned on `on` (condition "transmis directement…") and the
    next loan starts that same day (back-to-back). Returns the next loan's id (its slip)."""
    today = today or clock.today()
    on = data.on or today
    with db.transaction() as session:
        # The overlap check and the write are one step (lending/locks.py).
        lock_loan_items(session, loan_id)
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        lines = [l for l in lines_of(session, loan.id) if l.status == LineStatus.OUT]
        if data.item_ids is not None:
            lines = [l for l in lines if l.item_id in set(data.item_ids)]
        if not lines:
            raise ValidationError({"items": "Transmission : aucun matériel de ce prêt n'est sorti."})
        if on < loan.start_date:
            raise ValidationError({"on": "Date de la transmission : elle est avant le départ du "
                                         f"premier prêt ({format_date(loan.start_date)})."})
        if on > today:
            raise ValidationError({"on": "Date de la transmission : elle est dans le futur."})
        item_ids = [l.item_id for l in lines]
        if data.booking_id is not None:
            booking = load_loan(session, data.booking_id)
            if booking.coop_id == loan.coop_id:
                raise ValidationError({"booking_id": _SAME_COOP})
            booked_items = {l.item_id for l in lines_of(session, booking.id)
                            if l.status == LineStatus.BOOKED}
            missing = [i for i in item_ids if i not in booked_items]
            if missing:
                names = ", ".join(f"« {i.code} – {i.name} »" for i in sorted(
                    session.scalars(select(Item).where(Item.id.in_(missing))), key=lambda i: i.code))
                raise ValidationError({"items": "Transmission : la réservation choisie "
                                                f"(bon n° {slip_label(booking.slip_number)}) ne "
                                                f"comprend pas {names}."})
        else:
            clean = check_loan_data(
                LoanData(coop_id=data.coop_id, borrower=data.borrower, start_date=on,
                         due_date=data.due_date, handed_over_by=data.handed_over_by,
                         notes=data.notes, item_ids=item_ids),
                checkout=True, today=today)
            if clean.coop_id == loan.coop_id:
                raise ValidationError({"coop_id": _SAME_COOP})
            check_coop_can_borrow(session, clean.coop_id)
        # Close the first loan's lines that day, then open the next loan back-to-back.
        for line in lines:
            set_line(line, LineStatus.RETURNED, ended_on=on)
            line.condition = CONDITION_TRANSFER
        session.flush()
        if data.booking_id is not None:
            check_out(session, booking, on, today, data.handed_over_by or None)
            next_loan = booking
        else:
            check_items_lendable(session, item_ids, leaving=True)
            check_here(session, item_ids, (loan.id,))
            raise_conflicts(span_conflicts(session, item_ids, clean.start_date, clean.due_date))
            next_loan = insert_loan(session, clean, LoanStatus.OUT)
        for line in lines:
            line.transferred_to_loan_id = next_loan.id
        refresh_status(session, loan)
        return next_loan.id
