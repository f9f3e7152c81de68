"""The lending desk's part of personal data (RGPD): the borrowing teacher and the person who
handed the items over, named on each loan, as the safety domain's privacy service asks.

A loan is never deleted; erased, its names are blanked. A loan still under way (booked or
out) keeps its borrower until it ends: the slip and the reminders need the name. The yearly
purge proposes the names on loans ended more than NAMES_KEPT_YEARS school years ago.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from occe_bureau import audit
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date
from occe_bureau.lending.models import Loan
from occe_bureau.lending.states import LoanStatus
from occe_bureau.safety import Holding, Person, Proposal, matcher

NAMES_KEPT_YEARS = 2
UNDER_WAY = (LoanStatus.BOOKED.value, LoanStatus.OUT.value)
WHY_UNDER_WAY = ("prêt en cours : le nom reste sur le bon jusqu'au retour du matériel ; "
                 "effacez-le ensuite")


def _holding(loan: Loan, coop: str, role: str, today: date) -> Holding:
    under_way = loan.status in UNDER_WAY
    return Holding("lending", f"{role}:{loan.id}", "Prêts de matériel",
                   (("Bon n°", str(loan.slip_number)), ("Coopérative", coop),
                    ("Du", format_date(loan.start_date)), ("Au", format_date(loan.due_date)),
                    ("État", LoanStatus(loan.status).label),
                    ("Rôle", "Emprunteur" if role == "borrower" else "Remis par"),
                    ("Nom", loan.borrower if role == "borrower" else loan.handed_over_by)),
                   f"Prêt n° {loan.slip_number} à {coop} du {format_date(loan.start_date)}",
                   "nom effacé du prêt (le prêt reste)",
                   kept_until=max(loan.due_date, today) if under_way else None,
                   why_kept=WHY_UNDER_WAY if under_way else "", certain=False)


class LendingPersonalData:
    """The provider the privacy service asks (see occe_bureau/safety/privacy.py)."""

    key = "lending"
    label = "Prêts"

    def held_about(self, db: Database, person: Person, today: date) -> list[Holding]:
        found = []
        with db.session() as session:
            # Names first (a few columns of every loan), the loans themselves for the matches.
            same = matcher(person)
            matched = [i for i, borrower, handed in session.connection().execute(
                select(Loan.id, Loan.borrower, Loan.handed_over_by)
                .where(or_(Loan.borrower != "", Loan.handed_over_by != "")))
                if same(borrower) or same(handed)]
            for start in range(0, len(matched), 900):
                for loan, number, name in session.execute(
                        select(Loan, Coop.number, Coop.name).join(Coop, Coop.id == Loan.coop_id)
                        .where(Loan.id.in_(matched[start:start + 900]))
                        .order_by(Loan.slip_number)):
                    for role, held in (("borrower", loan.borrower), ("handed", loan.handed_over_by)):
                        if held and same(held):
                            found.append(_holding(loan, f"{number} – {name}", role, today))
        return found

    def erase(self, db: Database, refs: list[str], today: date) -> None:
        erased: dict[int, set[str]] = {}
        with db.transaction() as session:
            for ref in refs:
                role, _, number = ref.partition(":")
                loan = session.get(Loan, int(number))
                if loan is None:
                    continue
                if role == "handed":
                    loan.handed_over_by = ""
                    erased.setdefault(loan.id, set()).add("handed_over_by")
                elif loan.status not in UNDER_WAY:
                    loan.borrower = ""
                    erased.setdefault(loan.id, set()).add("borrower")
            session.flush()  # the erasure's own entries hold the old values too
            for loan_id, fields in erased.items():
                audit.redact(session, "loan", loan_id, fields, today)

    def past_keeping(self, db: Database, today: date) -> list[Proposal]:
        start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        limit = date(start.year - NAMES_KEPT_YEARS, 9, 1)
        with db.session() as session:
            rows = session.execute(select(Loan.id, Loan.borrower, Loan.handed_over_by).where(
                Loan.status.not_in(UNDER_WAY), Loan.due_date < limit,
                or_(Loan.borrower != "", Loan.handed_over_by != ""))).all()
        if not rows:
            return []
        refs = [f"{role}:{i}" for i, b, h in rows for role, held in (("borrower", b), ("handed", h))
                if held]
        return [Proposal("lending", "Noms sur " + counted(len(rows), "prêt terminé", "prêts terminés"),
                         f"prêts terminés avant le {format_date(limit)} : noms de l'emprunteur "
                         "et de la personne qui a remis le matériel", tuple(refs))]


personal_data = LendingPersonalData()
