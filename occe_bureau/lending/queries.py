"""Reading the loans: one loan with its lines, the lists of loans and their search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from occe_bureau.db import Database
from occe_bureau.formats import format_date, fold
from occe_bureau.coops import Coop
from occe_bureau.lending.models import Item, ItemCategory, Loan, LoanLine, LoanReminder
from occe_bureau.lending.lateness import days_late
from occe_bureau.lending.states import LineStatus, LoanStatus
from occe_bureau.lending.vocabulary import accessories_list, days_label, load_loan, slip_label
from occe_bureau.lending.days_out import gc_paused
from occe_bureau import clock

# Views of the loans list.
VIEW_OPEN = "open"
VIEW_OUT = "out"
VIEW_OVERDUE = "overdue"
VIEW_BOOKED = "booked"
VIEW_ALL = "all"
VIEW_LABELS = {VIEW_OPEN: "En cours et réservations", VIEW_OUT: "En prêt",
               VIEW_OVERDUE: "En retard", VIEW_BOOKED: "Réservations", VIEW_ALL: "Tous"}


@dataclass
class LineDetail:
    item_id: int
    code: str
    name: str
    category: str
    accessories: list[str]
    replacement_value_cents: int
    status: str
    start_date: date
    end_date: date
    returned_on: date | None
    condition: str
    missing_accessories: str
    return_notes: str
    transferred_to_loan_id: int | None

    @property
    def status_label(self) -> str:
        return LineStatus(self.status).label


@dataclass
class LoanDetail:
    id: int
    slip_number: int
    status: str
    coop_id: int
    coop_number: str
    coop_name: str
    coop_address_lines: list[str]
    coop_archived: bool
    mandataire_name: str
    mandataire_email: str
    borrower: str
    start_date: date
    due_date: date
    handed_over_by: str
    notes: str
    lines: list[LineDetail]
    reminders: list[date]
    version: int = 1  # the loan and its lines, as read (occe_bureau/versions.py)

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_number)

    @property
    def status_label(self) -> str:
        return closed_label(self.status, sum(l.status == LineStatus.LOST for l in self.lines),
                            sum(l.status != LineStatus.CANCELLED for l in self.lines))

    @property
    def open_lines(self) -> list[LineDetail]:
        return [line for line in self.lines if line.status in (LineStatus.BOOKED, LineStatus.OUT)]

    def days_late(self, today: date | None = None) -> int:
        if self.status != LoanStatus.OUT:
            return 0
        return days_late(self.due_date, today or clock.today())


@dataclass(slots=True)
class LoanRow:
    id: int
    slip_number: int
    status: str
    coop_id: int
    coop_number: str
    coop_name: str
    borrower: str
    start_date: date
    due_date: date
    items: str = ""
    item_count: int = 0
    open_count: int = 0
    lost_count: int = 0
    days_late: int = 0
    # A booking whose start date has passed and whose items never left.
    missed_start: bool = False
    reminders: int = 0
    last_reminder: date | None = None
    search_key: str = ""
    version: int = 1  # as listed: an action from the list is refused if the loan changed since

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_number)

    @property
    def status_label(self) -> str:
        if self.days_late:
            return f"En retard ({days_label(self.days_late)})"
        if self.missed_start:
            return f"Réservation non retirée (départ prévu le {format_date(self.start_date)})"
        if self.status == LoanStatus.OUT and self.open_count < self.item_count:
            return f"En prêt ({self.item_count - self.open_count}/{self.item_count} rendus)"
        return closed_label(self.status, self.lost_count, self.item_count)


def closed_label(status: str, lost: int, items: int) -> str:
    """A closed loan whose items were all lost is "Perdu", not "Rendu"."""
    if status == LoanStatus.CLOSED and lost:
        return "Perdu" if lost == items else f"Clos – {lost} perdu{'s' if lost > 1 else ''}"
    return LoanStatus(status).label


@dataclass
class LoanFilter:
    view: str = VIEW_OPEN
    # With VIEW_ALL: the loans touching this period (e.g. a school year), to keep lists short.
    period: tuple[date, date] | None = None
    coop_id: int | None = None
    search: str = ""
    item_id: int | None = None        # the loans of this item (the Bilan's figure of an item)
    category_id: int | None = None    # the loans with an item of this category


def get_loan(db: Database, loan_id: int) -> LoanDetail:
    with db.session() as session:
        loan = load_loan(session, loan_id)
        coop = session.get(Coop, loan.coop_id)
        query = (select(LoanLine, Item.code, Item.name, ItemCategory.name, Item.accessories,
                        Item.replacement_value_cents)
                 .join(Item, Item.id == LoanLine.item_id)
                 .join(ItemCategory, ItemCategory.id == Item.category_id)
                 .where(LoanLine.loan_id == loan_id).order_by(Item.code))
        lines = [LineDetail(item_id=line.item_id, code=code, name=name, category=category,
                            accessories=accessories_list(acc), replacement_value_cents=value,
                            status=line.status, start_date=line.start_date, end_date=line.end_date,
                            returned_on=line.returned_on, condition=line.condition,
                            missing_accessories=line.missing_accessories,
                            return_notes=line.return_notes,
                            transferred_to_loan_id=line.transferred_to_loan_id)
                 for line, code, name, category, acc, value in session.execute(query)]
        reminders = list(session.scalars(select(LoanReminder.sent_on)
                                         .where(LoanReminder.loan_id == loan_id)
                                         .order_by(LoanReminder.sent_on, LoanReminder.id)))
        town = " ".join(p for p in (coop.postal_code, coop.commune) if p)
        return LoanDetail(
            id=loan.id, slip_number=loan.slip_number, status=loan.status, coop_id=coop.id,
            coop_number=coop.number, coop_name=coop.name,
            coop_address_lines=[l for l in (coop.address, town) if l],
            coop_archived=coop.archived, mandataire_name=coop.mandataire_name,
            mandataire_email=coop.mandataire_email, borrower=loan.borrower,
            start_date=loan.start_date, due_date=loan.due_date,
            handed_over_by=loan.handed_over_by, notes=loan.notes, lines=lines,
            reminders=reminders, version=loan.version,
        )


def list_loans(db: Database, flt: LoanFilter | None = None, today: date | None = None) -> list[LoanRow]:
    """The loans the view selects, newest first, with their items and reminders (3 queries)."""
    with gc_paused():
        return _list_loans(db, flt, today)


def _list_loans(db: Database, flt: LoanFilter | None, today: date | None) -> list[LoanRow]:
    flt = flt or LoanFilter()
    today = today or clock.today()
    query = (select(Loan.id, Loan.slip_number, Loan.status, Loan.coop_id, Coop.number, Coop.name,
                    Loan.borrower, Loan.start_date, Loan.due_date, Loan.version)
             .join(Coop, Coop.id == Loan.coop_id))
    if flt.view == VIEW_OPEN:
        query = query.where(Loan.status.in_((LoanStatus.BOOKED, LoanStatus.OUT)))
    elif flt.view == VIEW_OUT:
        query = query.where(Loan.status == LoanStatus.OUT)
    elif flt.view == VIEW_OVERDUE:
        # In SQL, lending/lateness.py's rule: late from the day after the due date.
        query = query.where(Loan.status == LoanStatus.OUT, Loan.due_date < today)
    elif flt.view == VIEW_BOOKED:
        query = query.where(Loan.status == LoanStatus.BOOKED)
    if flt.period is not None:
        # The loan's actual span: from its start to the day its last item came back (or was
        # lost or handed on), to today while it is out, to its due date for a booking.
        start, end = flt.period
        came_back = (select(func.max(LoanLine.end_date))
                     .where(LoanLine.loan_id == Loan.id,
                            LoanLine.status.in_((LineStatus.RETURNED, LineStatus.LOST)))
                     .correlate(Loan).scalar_subquery())
        spans = [and_(Loan.status == LoanStatus.CLOSED, came_back >= start),
                 and_(Loan.status.in_((LoanStatus.BOOKED, LoanStatus.CANCELLED)),
                      Loan.due_date >= start)]
        if start <= today:  # a loan still out reaches today
            spans.append(Loan.status == LoanStatus.OUT)
        query = query.where(Loan.start_date <= end, or_(*spans))
    if flt.coop_id is not None:
        query = query.where(Loan.coop_id == flt.coop_id)
    if flt.item_id is not None or flt.category_id is not None:
        holds = select(LoanLine.id).join(Item, Item.id == LoanLine.item_id).where(
            LoanLine.loan_id == Loan.id, LoanLine.status != LineStatus.CANCELLED)
        if flt.item_id is not None:
            holds = holds.where(Item.id == flt.item_id)
        if flt.category_id is not None:
            holds = holds.where(Item.category_id == flt.category_id)
        query = query.where(holds.correlate(Loan).exists())
    query = query.order_by(Loan.start_date.desc(), Loan.slip_number.desc())
    with db.session() as session:
        rows = [LoanRow(*row[:-1], version=row[-1]) for row in session.execute(query)]
        if not rows:
            return rows
        by_id = {row.id: row for row in rows}
        ids_filter = _id_filter(LoanLine.loan_id, by_id)
        lines = session.execute(
            select(LoanLine.loan_id, Item.code, LoanLine.status)
            .join(Item, Item.id == LoanLine.item_id).where(ids_filter)
            .order_by(LoanLine.loan_id, Item.code))
        codes: dict[int, list[str]] = defaultdict(list)
        for loan_id, code, status in lines:
            row = by_id.get(loan_id)
            if row is None:
                continue
            if status != LineStatus.CANCELLED or row.status == LoanStatus.CANCELLED:
                codes[loan_id].append(code)
                row.item_count += 1
            if status == LineStatus.OUT:
                row.open_count += 1
            elif status == LineStatus.LOST:
                row.lost_count += 1
        reminders = session.execute(
            select(LoanReminder.loan_id, func.count(), func.max(LoanReminder.sent_on))
            .where(_id_filter(LoanReminder.loan_id, by_id))
            .group_by(LoanReminder.loan_id))
        for loan_id, count, last in reminders:
            row = by_id.get(loan_id)
            if row is not None:
                row.reminders, row.last_reminder = count, last
    for row in rows:
        row.items = ", ".join(codes.get(row.id, ()))
        if row.status == LoanStatus.OUT:
            row.days_late = days_late(row.due_date, today)
        row.missed_start = row.status == LoanStatus.BOOKED and row.start_date < today
    return search_loans(rows, flt.search) if flt.search else rows


def search_loans(rows: list[LoanRow], text: str) -> list[LoanRow]:
    """The rows whose slip, coop, borrower or item codes contain every word typed (accents and
    case ignored). Each row's search key is made the first time it is searched."""
    words = fold(text).split()
    if not words:
        return rows
    found = []
    for row in rows:
        if not row.search_key:
            row.search_key = fold(" ".join((slip_label(row.slip_number), row.coop_number,
                                            row.coop_name, row.borrower, row.items)))
        if all(w in row.search_key for w in words):
            found.append(row)
    return found


def _id_filter(column, by_id: dict):
    # A short list goes as IN (…); a long one (every loan of a year) as a range on the ids,
    # the rows outside the list being skipped in Python.
    if len(by_id) <= 500:
        return column.in_(list(by_id))
    return and_(column >= min(by_id), column <= max(by_id))


def overdue_loans(db: Database, today: date | None = None) -> list[LoanRow]:
    return list_loans(db, LoanFilter(view=VIEW_OVERDUE), today)


def booked_item_ids(db: Database, loan_id: int) -> list[int]:
    """The items still booked on a booking (those that would leave with it)."""
    with db.session() as session:
        return list(session.scalars(select(LoanLine.item_id).where(
            LoanLine.loan_id == loan_id, LoanLine.status == LineStatus.BOOKED)))


def bookings_for_items(db: Database, item_ids: list[int], from_day: date) -> list[LoanRow]:
    """The pending bookings of these items from a day on (for a transfer to a booked school)."""
    if not item_ids:
        return []
    with db.session() as session:
        ids = set(session.scalars(select(LoanLine.loan_id).where(
            LoanLine.item_id.in_(item_ids), LoanLine.status == LineStatus.BOOKED,
            LoanLine.end_date >= from_day)))
    return [row for row in list_loans(db, LoanFilter(view=VIEW_BOOKED)) if row.id in ids]
