"""The checks a loan, a booking or a transfer goes through, and the writes they share
(a new slip, a booking leaving, a loan's status following its lines). Used by
lending/loans.py and lending/transfer.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from occe_bureau.db import lock_series
from occe_bureau.formats import format_date, school_year_bounds, school_year_label, school_year_of
from occe_bureau.coops import Coop
from occe_bureau.lending.conflicts import raise_conflicts, span_conflicts, still_out_elsewhere
from occe_bureau.lending.models import Item, Loan, LoanLine
from occe_bureau.lending.spans import new_line, set_line
from occe_bureau.lending.states import ItemState, LineStatus, LoanStatus
from occe_bureau.lending.vocabulary import slip_label
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock

MAX_LOAN_DAYS = 366


def horizon(today: date) -> date:
    """The last day a booking or a loan may run to: the end of the next school year (a booking
    for the autumn is taken in the spring; one in 2999 is a typing slip)."""
    return school_year_bounds(school_year_of(today) + 1)[1]


def horizon_error(field: str, today: date) -> str:
    label = "Date de départ" if field == "start_date" else "Date de retour prévue"
    end = horizon(today)
    return (f"{label} : au plus tard le {format_date(end)}, fin de l'année scolaire "
            f"{school_year_label(end.year - 1)}.")


@dataclass
class LoanData:
    coop_id: int | None = None
    borrower: str = ""
    start_date: date | None = None
    due_date: date | None = None
    handed_over_by: str = ""
    notes: str = ""
    item_ids: list[int] = field(default_factory=list)


def check_loan_data(data: LoanData, *, checkout: bool, today: date) -> LoanData:
    c = Checker()
    clean = LoanData(
        coop_id=data.coop_id,
        # A person's name prints exactly as typed (escaped on paper): no name_like here.
        borrower=c.text("borrower", "Enseignant(e) emprunteur", data.borrower, max_length=150,
                        required=True),
        start_date=data.start_date,
        due_date=data.due_date,
        handed_over_by=c.text("handed_over_by", "Remis par", data.handed_over_by, max_length=150),
        notes=c.text("notes", "Notes", data.notes, max_length=4000, multiline=True),
        item_ids=list(dict.fromkeys(data.item_ids or [])),
    )
    if clean.coop_id is None:
        c.add("coop_id", "Coopérative : choisissez la coopérative qui emprunte.")
    if not clean.item_ids:
        c.add("items", "Matériel : choisissez au moins un matériel.")
    if clean.start_date is None:
        c.add("start_date", "Date de départ : ce champ est obligatoire.")
    if clean.due_date is None:
        c.add("due_date", "Date de retour prévue : ce champ est obligatoire.")
    check_dates(c, clean, checkout=checkout, today=today)
    c.raise_if_any()
    return clean


def check_dates(c: Checker, clean: LoanData, *, checkout: bool, today: date) -> None:
    if clean.start_date and clean.start_date > horizon(today):
        c.add("start_date", horizon_error("start_date", today))
    elif clean.due_date and clean.due_date > horizon(today):
        c.add("due_date", horizon_error("due_date", today))
    if clean.start_date and clean.due_date:
        if clean.due_date < clean.start_date:
            c.add("due_date", "Date de retour prévue : elle est avant la date de départ.")
        elif (clean.due_date - clean.start_date).days >= MAX_LOAN_DAYS:
            c.add("due_date", f"Date de retour prévue : un prêt dure au plus {MAX_LOAN_DAYS} jours.")
    if clean.start_date:
        if checkout and clean.start_date > today:
            c.add("start_date", "Date de départ : le matériel ne peut pas partir dans le futur ; "
                                "enregistrez plutôt une réservation.")
        if not checkout and clean.start_date < today:
            c.add("start_date", "Date de départ : une réservation commence aujourd'hui ou plus tard.")
        if checkout and clean.start_date < today - timedelta(days=MAX_LOAN_DAYS):
            c.add("start_date", "Date de départ : plus d'un an dans le passé.")


def check_coop_can_borrow(session, coop_id: int) -> Coop:
    coop = session.get(Coop, coop_id)
    if coop is None:
        raise ValidationError({"coop_id": "Coopérative : elle n'existe plus."})
    if coop.archived:
        raise ValidationError({"coop_id": f"Coopérative : {coop.number} – {coop.name} est "
                                          "archivée, elle ne peut pas emprunter."})
    return coop


def check_items_lendable(session, item_ids: list[int], *, leaving: bool) -> list[Item]:
    items = session.scalars(select(Item).where(Item.id.in_(item_ids))).all()
    if len(items) != len(item_ids):
        raise ValidationError({"items": "Matériel : un des matériels choisis n'existe plus."})
    problems = []
    for item in sorted(items, key=lambda i: i.code):
        state = ItemState(item.state)
        if state in (ItemState.LOST, ItemState.RETIRED) or (leaving and state == ItemState.MAINTENANCE):
            problems.append(f"« {item.code} – {item.name} » est {state.label.lower()} : il ne "
                            "peut pas être " + ("prêté." if leaving else "réservé."))
    if problems:
        raise ValidationError({"items": "\n".join(problems)})
    return list(items)


def check_here(session, item_ids: list[int], exclude_loan_ids: tuple[int, ...] = ()) -> None:
    """The items are back from their earlier loans (they can leave again)."""
    away = still_out_elsewhere(session, item_ids, exclude_loan_ids)
    if away:
        raise ValidationError({"items": "\n".join(away)})


def next_slip_number(session) -> int:
    # Loans are never deleted (a booking is cancelled and kept), so max + 1 never reuses a
    # number. Two workstations booking other items at once each wait their turn for it (the
    # items' locks do not serialize them on PostgreSQL); the unique index stays as a guard.
    lock_series(session, "loan_slip_number")
    return (session.scalar(select(func.max(Loan.slip_number))) or 0) + 1


def insert_loan(session, clean: LoanData, status: LoanStatus) -> Loan:
    now = clock.now()
    loan = Loan(slip_number=next_slip_number(session), coop_id=clean.coop_id,
                borrower=clean.borrower, start_date=clean.start_date, due_date=clean.due_date,
                handed_over_by=clean.handed_over_by, notes=clean.notes, status=status.value,
                created_at=now, updated_at=now)
    session.add(loan)
    session.flush()
    line_status = LineStatus.OUT if status == LoanStatus.OUT else LineStatus.BOOKED
    for item_id in clean.item_ids:
        session.add(new_line(loan.id, item_id, line_status, clean.start_date, clean.due_date))
    session.flush()
    return loan


def lines_of(session, loan_id: int) -> list[LoanLine]:
    return list(session.scalars(select(LoanLine).where(LoanLine.loan_id == loan_id)
                                .order_by(LoanLine.id)))


def refresh_status(session, loan: Loan) -> None:
    """A loan's status follows its lines: out while one is out, booked while one is booked
    (and none out), cancelled when all are, closed otherwise."""
    statuses = {line.status for line in lines_of(session, loan.id)}
    if statuses <= {LineStatus.CANCELLED}:
        loan.status = LoanStatus.CANCELLED.value
    elif LineStatus.OUT in statuses:
        loan.status = LoanStatus.OUT.value
    elif LineStatus.BOOKED in statuses:
        loan.status = LoanStatus.BOOKED.value
    else:
        loan.status = LoanStatus.CLOSED.value
    loan.updated_at = clock.now()


def check_out(session, loan: Loan, on: date, today: date, handed_over_by: str | None) -> None:
    """A booking's items leave on `on`: the booking becomes a loan starting that day."""
    if loan.status != LoanStatus.BOOKED:
        raise ValidationError({"loan": f"Le bon n° {slip_label(loan.slip_number)} n'est pas une "
                                       "réservation en attente."})
    if on > today:
        raise ValidationError({"start_date": "Date de départ : le matériel ne peut pas partir "
                                             "dans le futur."})
    if on > loan.due_date:
        raise ValidationError({"start_date": "Date de départ : elle est après la date de retour "
                                             f"prévue ({format_date(loan.due_date)}) ; "
                                             "prolongez d'abord la réservation."})
    check_coop_can_borrow(session, loan.coop_id)
    lines = [line for line in lines_of(session, loan.id) if line.status == LineStatus.BOOKED]
    item_ids = [line.item_id for line in lines]
    check_items_lendable(session, item_ids, leaving=True)
    check_here(session, item_ids, (loan.id,))
    if on != loan.start_date:
        raise_conflicts(span_conflicts(session, item_ids, on, loan.due_date, (loan.id,)))
    loan.start_date = on
    if handed_over_by is not None:
        loan.handed_over_by = Checker().text("handed_over_by", "Remis par", handed_over_by,
                                             max_length=150)
    for line in lines:
        set_line(line, LineStatus.OUT, start=on, due=loan.due_date)
    refresh_status(session, loan)
