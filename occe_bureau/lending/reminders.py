"""Reminders sent for overdue loans, recorded one by one or for several loans at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.lending.models import Loan, LoanReminder
from occe_bureau.lending.lateness import is_late
from occe_bureau.lending.states import LoanStatus
from occe_bureau.lending.vocabulary import load_loan
from occe_bureau.validation import ValidationError
from occe_bureau import clock

_NOT_LATE = "Relance : ce prêt n'est pas en retard (retour prévu le {due})."


def record_reminder(db: Database, loan_id: int, on: date | None = None) -> int:
    """Log a reminder sent for an overdue loan; returns how many were sent for it so far."""
    on = on or clock.today()
    with db.transaction() as session:
        loan = load_loan(session, loan_id)
        if loan.status != LoanStatus.OUT:
            raise ValidationError({"loan": "Relance : ce prêt n'a plus de matériel sorti."})
        if not is_late(loan.due_date, on):
            raise ValidationError({"loan": _NOT_LATE.format(due=format_date(loan.due_date))})
        session.add(LoanReminder(loan_id=loan.id, sent_on=on))
        session.flush()
        return session.scalar(select(func.count()).select_from(LoanReminder)
                              .where(LoanReminder.loan_id == loan.id))


def record_reminders(db: Database, loan_ids: list[int], on: date | None = None) -> None:
    """Log one reminder on each of these loans, all in one transaction (or none)."""
    on = on or clock.today()
    with db.transaction() as session:
        due = dict(session.execute(select(Loan.id, Loan.due_date).where(Loan.id.in_(loan_ids),
                                                                         Loan.status == LoanStatus.OUT)).all())
        missing = [i for i in loan_ids if i not in due]
        if missing:
            raise ValidationError({"loan": "Relance : un des prêts n'a plus de matériel sorti ; "
                                           "aucune relance n'a été notée."})
        early = [i for i in loan_ids if not is_late(due[i], on)]
        if early:
            raise ValidationError({"loan": _NOT_LATE.format(due=format_date(due[early[0]]))
                                   + " Aucune relance n'a été notée."})
        for loan_id in loan_ids:
            session.add(LoanReminder(loan_id=loan_id, sent_on=on))
