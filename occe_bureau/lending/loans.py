"""The life of a loan: bookings and loans, check-out, returns, extensions, losses (transfers
to the next school in lending/transfer.py, reminders recorded in
lending/reminders.py). The states and statuses are in lending/states.py, a line's span in
lending/spans.py, the checks shared with the transfer in lending/checks.py; the overlap rule and the check that an item is here before it leaves
in lending/conflicts.py; reading the loans in lending/queries.py.

Items in maintenance can be booked for later (they may be repaired by then) but not lent;
lost or retired items can be neither. An archived coop cannot borrow.

Days out are defined and computed in lending/days_out.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.coops import Coop
from occe_bureau.lending.checks import (
    MAX_LOAN_DAYS, LoanData, check_coop_can_borrow, check_here, check_items_lendable,
    check_loan_data, check_out, horizon, horizon_error, insert_loan, lines_of, refresh_status,
)
from occe_bureau.lending.conflicts import raise_conflicts, span_conflicts
from occe_bureau.lending.locks import lock_items, lock_loan_items
from occe_bureau.lending.models import Item, Loan, LoanLine
from occe_bureau.lending.spans import new_line, set_line
from occe_bureau.lending.states import ItemState, LineStatus, LoanStatus
from occe_bureau.lending.vocabulary import load_loan, slip_label
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock, versions

CONDITION_GOOD = "Bon état"
CONDITION_DAMAGED = "Abîmé"
IN_MAINTENANCE = "envoyé en maintenance"


# ---- plain data ----------------------------------------------------------------------------

@dataclass
class ReturnData:
    item_id: int
    returned_on: date | None = None
    condition: str = CONDITION_GOOD
    missing_accessories: str = ""
    damaged: bool = False
    notes: str = ""


# ---- creating loans and bookings -------------------------------------------------------------

def default_due_date(db: Database, item_ids: list[int], start: date) -> date:
    """The start plus the longest default length of the items (both days counted)."""
    if not item_ids:
        return start + timedelta(days=13)
    with db.session() as session:
        days = session.scalar(select(func.max(Item.default_loan_days))
                              .where(Item.id.in_(item_ids))) or 14
    return start + timedelta(days=days - 1)


def create_loan(db: Database, data: LoanData, *, today: date | None = None) -> int:
    """The items leave now (start today or earlier): a loan with its slip number."""
    return _create(db, data, checkout=True, today=today or clock.today())


def create_booking(db: Database, data: LoanData, *, today: date | None = None) -> int:
    """The items are kept for a coop from a future date (or today): a booking."""
    return _create(db, data, checkout=False, today=today or clock.today())


def _create(db: Database, data: LoanData, *, checkout: bool, today: date) -> int:
    clean = check_loan_data(data, checkout=checkout, today=today)
    try:
        return _create_once(db, clean, checkout)
    except IntegrityError:
        # Another workstation took the same slip number at the same instant: the unique
        # index refused it and nothing was saved; the second try takes the next number.
        return _create_once(db, clean, checkout)


def _create_once(db: Database, clean: LoanData, checkout: bool) -> int:
    with db.transaction() as session:
        lock_items(session, clean.item_ids)  # the overlap check and the insert: one step
        check_coop_can_borrow(session, clean.coop_id)
        check_items_lendable(session, clean.item_ids, leaving=checkout)
        if checkout:
            check_here(session, clean.item_ids)
        raise_conflicts(span_conflicts(session, clean.item_ids, clean.start_date, clean.due_date))
        return insert_loan(session, clean, LoanStatus.OUT if checkout else LoanStatus.BOOKED).id


# An action on a loan (return, extension…) found it changed: its window closes, the list shows it.
ACTION_ADVICE = ("Rien n'a été enregistré : fermez cette fenêtre, la liste est mise à jour, "
                 "vérifiez puis recommencez.")


def claim_loan(session, loan_id: int, version: int | None, *, advice: str = ACTION_ADVICE) -> None:
    """Every change of a loan or of its lines moves the loan's version on; with the version
    the form or the list showed, a loan changed since is refused (StaleRecord, nothing done)."""
    if version is None:
        versions.touch(session, Loan, loan_id)
    else:
        versions.claim(session, Loan, loan_id, version, what="Ce prêt", feminine=False,
                       since="depuis que vous l'avez affiché", advice=advice)


def check_out_booking(db: Database, loan_id: int, *, on: date | None = None,
                      handed_over_by: str | None = None, today: date | None = None,
                      version: int | None = None) -> None:
    """The booked items leave: the booking becomes a loan, starting the day they leave."""
    today = today or clock.today()
    on = on or today
    with db.transaction() as session:
        lock_loan_items(session, loan_id)
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        check_out(session, loan, on, today, handed_over_by)


def update_booking(db: Database, loan_id: int, data: LoanData, *, today: date | None = None,
                   version: int | None = None) -> None:
    """Change a booking before its items leave: coop, borrower, items, dates, notes.

    The same rules as a new booking (the overlap rule against the other loans; a start date
    already past may be kept, not moved into the past). An item taken off the booking keeps
    its line, cancelled (nothing with history is deleted); put back, the line is booked again.
    """
    today = today or clock.today()
    with db.transaction() as session:
        lock_loan_items(session, loan_id, data.item_ids or [])
        claim_loan(session, loan_id, version,  # the booking's form offers to reload it
                   advice="Vos changements n'ont pas été enregistrés : rechargez la fiche pour "
                          "voir ses nouvelles valeurs.")
        loan = load_loan(session, loan_id)
        if loan.status != LoanStatus.BOOKED:
            raise ValidationError({"loan": f"Le bon n° {slip_label(loan.slip_number)} n'est plus une "
                                           "réservation en attente : il ne se modifie plus."})
        unchanged_start = data.start_date is not None and data.start_date == loan.start_date
        clean = check_loan_data(data, checkout=False,
                                today=min(today, loan.start_date) if unchanged_start else today)
        check_coop_can_borrow(session, clean.coop_id)
        check_items_lendable(session, clean.item_ids, leaving=False)
        raise_conflicts(span_conflicts(session, clean.item_ids, clean.start_date, clean.due_date,
                                       (loan.id,)))
        loan.coop_id = clean.coop_id
        loan.borrower = clean.borrower
        loan.start_date = clean.start_date
        loan.due_date = clean.due_date
        loan.handed_over_by = clean.handed_over_by
        loan.notes = clean.notes
        lines = {line.item_id: line for line in lines_of(session, loan.id)}
        for item_id, line in lines.items():
            if item_id not in clean.item_ids:
                set_line(line, LineStatus.CANCELLED)
        for item_id in clean.item_ids:
            line = lines.get(item_id)
            if line is None:
                session.add(new_line(loan.id, item_id, LineStatus.BOOKED, clean.start_date,
                                     clean.due_date))
            else:
                set_line(line, LineStatus.BOOKED, start=clean.start_date, due=clean.due_date)
        session.flush()
        refresh_status(session, loan)


def cancel_booking(db: Database, loan_id: int, reason: str = "", *,
                   version: int | None = None) -> None:
    """A booking that will not happen is cancelled and kept (its slip number is never reused)."""
    with db.transaction() as session:
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        if loan.status != LoanStatus.BOOKED:
            raise ValidationError({"loan": "Seule une réservation (matériel pas encore parti) "
                                           "peut être annulée."})
        for line in lines_of(session, loan.id):
            set_line(line, LineStatus.CANCELLED)
        stamp = f"Réservation annulée le {format_date(clock.today())}"
        reason = " ".join((reason or "").split())[:300]
        loan.notes = (loan.notes + "\n" if loan.notes else "") + stamp + (f" : {reason}" if reason else ".")
        loan.notes = loan.notes[-4000:]
        refresh_status(session, loan)


def extend_loan(db: Database, loan_id: int, new_due: date, *, today: date | None = None,
                version: int | None = None) -> None:
    """Move the due date (later or earlier) of the items not yet back, if nobody needs them."""
    today = today or clock.today()
    with db.transaction() as session:
        lock_loan_items(session, loan_id)
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        if loan.status not in (LoanStatus.BOOKED, LoanStatus.OUT):
            raise ValidationError({"due_date": "Ce prêt est clos : sa date de retour ne change plus."})
        if new_due is None:
            raise ValidationError({"due_date": "Date de retour prévue : ce champ est obligatoire."})
        if new_due < loan.start_date:
            raise ValidationError({"due_date": "Date de retour prévue : elle est avant la date de "
                                               f"départ ({format_date(loan.start_date)})."})
        if (new_due - loan.start_date).days >= MAX_LOAN_DAYS:
            raise ValidationError({"due_date": f"Date de retour prévue : un prêt dure au plus "
                                               f"{MAX_LOAN_DAYS} jours."})
        if new_due > horizon(today):
            raise ValidationError({"due_date": horizon_error("due_date", today)})
        lines = [line for line in lines_of(session, loan.id)
                 if line.status in (LineStatus.BOOKED, LineStatus.OUT)]
        raise_conflicts(span_conflicts(session, [line.item_id for line in lines], loan.start_date,
                                       new_due, (loan.id,)))
        loan.due_date = new_due
        for line in lines:
            set_line(line, line.status, due=new_due)
        loan.updated_at = clock.now()


# ---- returns and losses --------------------------------------------------------------------

def return_items(db: Database, loan_id: int, returns: list[ReturnData], *,
                 today: date | None = None, version: int | None = None) -> None:
    """Record the return of some or all items of a loan (each with its date and condition).

    A damaged item goes to maintenance; the loan is closed when nothing is out any more.
    """
    today = today or clock.today()
    if not returns:
        raise ValidationError({"items": "Retour : cochez au moins un matériel rendu."})
    with db.transaction() as session:
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        lines = {line.item_id: line for line in lines_of(session, loan.id)}
        c = Checker()
        for ret in returns:
            line = lines.get(ret.item_id)
            if line is None or line.status != LineStatus.OUT:
                raise ValidationError({"items": "Retour : ce matériel n'est pas sorti avec ce prêt."})
            if ret.returned_on is None:
                c.add("returned_on", "Date de retour : ce champ est obligatoire.")
            elif ret.returned_on < line.start_date:
                c.add("returned_on", "Date de retour : elle est avant la date de départ "
                                     f"({format_date(line.start_date)}).")
            elif ret.returned_on > today:
                c.add("returned_on", "Date de retour : elle est dans le futur.")
            condition = c.text("condition", "État au retour", ret.condition, max_length=200)
            missing = c.text("missing_accessories", "Accessoires manquants", ret.missing_accessories,
                             max_length=1000, multiline=True)
            notes = c.text("return_notes", "Remarques", ret.notes, max_length=2000, multiline=True)
            c.raise_if_any()
            set_line(line, LineStatus.RETURNED, ended_on=ret.returned_on)
            line.condition = returned_condition(condition, ret.damaged)
            line.missing_accessories = missing
            line.return_notes = notes
            if ret.damaged:
                item = session.get(Item, line.item_id)
                item.state = ItemState.MAINTENANCE.value
                item.updated_at = clock.now()
        refresh_status(session, loan)


def returned_condition(condition: str, damaged: bool) -> str:
    """The state a line keeps (and the receipt prints) for an item back: the condition typed,
    "Bon état" when none; an item declared damaged never says "Bon état", and says that it went
    to maintenance ("Abîmé – envoyé en maintenance", "Écran fissuré – envoyé en maintenance")."""
    condition = condition or CONDITION_GOOD
    if not damaged:
        return condition
    if condition == CONDITION_GOOD:
        condition = CONDITION_DAMAGED
    suffix = f" – {IN_MAINTENANCE}"
    return condition[:200 - len(suffix)] + suffix


def mark_lost(db: Database, loan_id: int, item_id: int, on: date | None = None,
              notes: str = "", *, today: date | None = None, version: int | None = None) -> None:
    """The item will not come back: the line ends that day, the item is declared lost."""
    today = today or clock.today()
    on = on or today
    with db.transaction() as session:
        claim_loan(session, loan_id, version)
        loan = load_loan(session, loan_id)
        line = next((l for l in lines_of(session, loan.id) if l.item_id == item_id), None)
        if line is None or line.status != LineStatus.OUT:
            raise ValidationError({"items": "Perte : ce matériel n'est pas sorti avec ce prêt."})
        if on < line.start_date or on > today:
            raise ValidationError({"returned_on": "Date de la perte : entre la date de départ et "
                                                  "aujourd'hui."})
        _refuse_if_booked_later(session, item_id)
        set_line(line, LineStatus.LOST, ended_on=on)
        line.condition = "Perdu"
        line.return_notes = Checker().text("return_notes", "Remarques", notes, max_length=2000,
                                           multiline=True)
        item = session.get(Item, item_id)
        item.state = ItemState.LOST.value
        item.updated_at = clock.now()
        refresh_status(session, loan)


def _refuse_if_booked_later(session, item_id: int) -> None:
    # A lost item cannot honour its bookings: the secretary cancels each one herself (and
    # tells the school), rather than the loss cancelling them behind her back.
    rows = session.execute(
        select(Loan.slip_number, Coop.number, Coop.name, Loan.start_date, Loan.due_date)
        .join(LoanLine, LoanLine.loan_id == Loan.id).join(Coop, Coop.id == Loan.coop_id)
        .where(LoanLine.item_id == item_id, LoanLine.status == LineStatus.BOOKED)
        .order_by(Loan.start_date)).all()
    if rows:
        item = session.get(Item, item_id)
        listed = "\n".join(f"– bon n° {slip_label(n)} : {number} – {name}, du {format_date(s)} "
                            f"au {format_date(e)}" for n, number, name, s, e in rows)
        raise ValidationError({"items": f"Perte : « {item.code} – {item.name} » est réservé "
                                        f"ensuite :\n{listed}\nAnnulez d'abord ces réservations "
                                        "(et prévenez les écoles), puis déclarez la perte."})
