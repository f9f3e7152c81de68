"""What is still under way between the lending desk and one coop: told to the secretary
before she archives the coop."""

from __future__ import annotations

from sqlalchemy import func, select

from occe_bureau.db import Database
from occe_bureau.lending.models import Loan
from occe_bureau.lending.states import LoanStatus
from occe_bureau.formats import counted


def open_loans_with(db: Database, coop_id: int) -> list[str]:
    """Loans out and bookings to come with this coop, in French."""
    with db.session() as session:
        counts = dict(session.execute(
            select(Loan.status, func.count())
            .where(Loan.coop_id == coop_id, Loan.status.in_((LoanStatus.OUT, LoanStatus.BOOKED)))
            .group_by(Loan.status)).all())
    lines = []
    if counts.get(LoanStatus.OUT):
        n = counts[LoanStatus.OUT]
        lines.append(counted(n, "prêt en cours", "prêts en cours") + " (les retours restent possibles)")
    if counts.get(LoanStatus.BOOKED):
        n = counts[LoanStatus.BOOKED]
        lines.append(counted(n, "réservation à venir", "réservations à venir") + " (à annuler dans l'onglet "
                     "Prêts : le matériel ne pourra plus partir)")
    return lines
