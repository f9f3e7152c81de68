"""What is still under way with a coop across the lending desk and the gifts: told to the
secretary before she archives it."""

from __future__ import annotations

from sqlalchemy import func, select

from occe_bureau.db import Database


def open_business(db: Database, coop_id: int) -> list[str]:
    """What is still under way with this coop, in French, to tell before it is archived:
    loans out, bookings, gifts waiting for their receipt."""
    from occe_bureau.gifts.models import Donation
    from occe_bureau.lending.models import Loan

    with db.session() as session:
        loans = dict(session.execute(
            select(Loan.status, func.count()).where(Loan.coop_id == coop_id,
                                                    Loan.status.in_(("out", "booked")))
            .group_by(Loan.status)).all())
        pending = session.scalar(select(func.count()).select_from(Donation).where(
            Donation.coop_id == coop_id, Donation.receipt_id.is_(None),
            Donation.withdrawn.is_(False)))
    lines = []
    if loans.get("out"):
        n = loans["out"]
        lines.append(f"{n} prêt{'s' if n > 1 else ''} en cours (les retours restent possibles)")
    if loans.get("booked"):
        n = loans["booked"]
        lines.append(f"{n} réservation{'s' if n > 1 else ''} à venir (à annuler dans l'onglet "
                     "Prêts : le matériel ne pourra plus partir)")
    if pending:
        lines.append(f"{pending} don{'s' if pending > 1 else ''} sans reçu (les reçus restent "
                     "possibles)")
    return lines
