"""The lending desk: inventory, loans and bookings, returns, transfers, reminders.

Vocabulary (French in the interface): an *item* (matériel, malle, mallette) is lent by a
*loan* (prêt) to one coop; a loan whose items have not left yet is a *booking* (réservation).
Each item of a loan is a *line* with its own span [start_date, end_date]:
- while booked or out, end_date is the loan's due date;
- once returned (or declared lost), end_date is the day it came back (or was declared lost).

Overlap rule. Two spans [s1, e1] and [s2, e2] of the same item conflict when
``s1 < e2 and s2 < e1``. Back-to-back spans (one ends the day the other starts) do not
conflict: the box goes from one school to the next that day. A one-day loan (start == due)
is valid; by the same rule, it does not conflict with a loan ending or starting that day.
The check is one query per item on the index ``ix_loan_line_item_span (item_id, start_date,
end_date)``: ``item_id = ? AND start_date < :new_end AND end_date > :new_start``.

On top of the dates, an item can only *leave* (loan, check-out of a booking, transfer) when
it is physically here: its state is "disponible" and no earlier loan of it is still out
(an overdue loan keeps the item away past its due date).

Items in maintenance can be booked for later (they may be repaired by then) but not lent;
lost or retired items can be neither. An archived coop cannot borrow.

Days out are defined and computed in services/loan_stats.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.documents import loan_slip
from occe_bureau.documents.base import Letterhead
from occe_bureau.documents.loan_slip import SlipData, SlipItem
from occe_bureau.formats import fold, format_date
from occe_bureau.models.coops import Coop
from occe_bureau.models.loans import Item, ItemCategory, Loan, LoanLine, LoanReminder
from occe_bureau.services.loan_stats import gc_paused
from occe_bureau.services.settings import define_setting, get_association, setting_value
from occe_bureau.services.validation import Checker, ValidationError

# ---- states and labels ------------------------------------------------------------------------

AVAILABLE, MAINTENANCE, LOST, RETIRED = "available", "maintenance", "lost", "retired"
ITEM_STATE_LABELS = {AVAILABLE: "Disponible", MAINTENANCE: "En maintenance", LOST: "Perdu",
                     RETIRED: "Retiré"}

BOOKED, OUT, CLOSED, CANCELLED = "booked", "out", "closed", "cancelled"
RETURNED = "returned"
LOAN_STATUS_LABELS = {BOOKED: "Réservation", OUT: "En prêt", CLOSED: "Rendu", CANCELLED: "Annulé"}
LINE_STATUS_LABELS = {BOOKED: "Réservé", OUT: "Sorti", RETURNED: "Rendu", LOST: "Perdu",
                      CANCELLED: "Annulé"}
ACTIVE_LINE_STATUSES = (BOOKED, OUT, RETURNED, LOST)  # every status but cancelled

# Situations of an item today, for the inventory list and its filter.
SIT_ALL = "all"
SIT_FREE = "free"
SIT_OUT = "out"
SIT_OVERDUE = "overdue"
SIT_BOOKED = "booked"
SITUATION_LABELS = {
    SIT_ALL: "Tout le matériel", SIT_FREE: "Disponible aujourd'hui", SIT_OUT: "En prêt",
    SIT_OVERDUE: "En retard", SIT_BOOKED: "Réservé prochainement",
    MAINTENANCE: "En maintenance", LOST: "Perdu", RETIRED: "Retiré",
}

# Views of the loans list.
VIEW_OPEN = "open"
VIEW_OUT = "out"
VIEW_OVERDUE = "overdue"
VIEW_BOOKED = "booked"
VIEW_ALL = "all"
VIEW_LABELS = {VIEW_OPEN: "En cours et réservations", VIEW_OUT: "En prêt",
               VIEW_OVERDUE: "En retard", VIEW_BOOKED: "Réservations", VIEW_ALL: "Tous"}

MAX_LOAN_DAYS = 366
CONDITION_GOOD = "Bon état"
CONDITION_TRANSFER = "Transmis directement à l'école suivante"

LOAN_CONDITIONS = define_setting(
    "loans.conditions",
    "Prêts : conditions imprimées sur le bon de prêt",
    "Le matériel est prêté gratuitement aux coopératives affiliées, pour un usage pédagogique "
    "dans la classe. L'emprunteur vérifie le contenu à la remise et au retour, en prend soin et "
    "le rend propre et complet à la date prévue. Toute perte ou détérioration est signalée "
    "sans délai ; le matériel perdu ou détérioré peut être facturé à la coopérative à sa valeur "
    "de remplacement. Une prolongation se demande avant la date de retour.",
    multiline=True,
)
REMINDER_TEXT = define_setting(
    "loans.reminder_text",
    "Prêts : texte de la lettre de relance",
    "Sauf erreur de notre part, le matériel ci-dessous, prêté à votre coopérative, devait nous "
    "être rendu le {echeance}. D'autres écoles l'attendent : merci de le rapporter au plus vite "
    "ou de nous contacter pour convenir d'une date.",
    multiline=True,
    help="{echeance} est remplacé par la date de retour prévue, {jours} par le nombre de jours "
         "de retard.",
)


# ---- plain data ----------------------------------------------------------------------------

@dataclass
class CategoryRow:
    id: int
    name: str
    archived: bool
    items: int = 0


@dataclass
class ItemData:
    code: str = ""
    name: str = ""
    category_id: int | None = None
    description: str = ""
    accessories: str = ""  # one per line (or a single line separated by commas)
    replacement_value_cents: int = 0
    default_loan_days: int | str = 14
    state: str = AVAILABLE
    notes: str = ""


@dataclass
class ItemDetail:
    id: int
    data: ItemData
    category: str


@dataclass(slots=True)
class ItemRow:
    """One line of the inventory, with the item's situation today."""

    id: int
    code: str
    name: str
    category_id: int
    category: str
    state: str
    replacement_value_cents: int
    default_loan_days: int
    accessories: list[str]
    search_key: str
    situation: str = SIT_FREE
    current_loan_id: int | None = None
    current_coop: str = ""
    current_due: date | None = None
    days_late: int = 0
    next_booking_start: date | None = None
    next_booking_coop: str = ""

    @property
    def state_label(self) -> str:
        return ITEM_STATE_LABELS[self.state]

    @property
    def situation_label(self) -> str:
        if self.situation == SIT_OVERDUE:
            return (f"En retard de {_days(self.days_late)} – {self.current_coop} "
                    f"(retour prévu le {format_date(self.current_due)})")
        if self.situation == SIT_OUT:
            return f"Chez {self.current_coop} jusqu'au {format_date(self.current_due)}"
        if self.state != AVAILABLE:
            return ITEM_STATE_LABELS[self.state]
        return "Disponible"

    @property
    def next_label(self) -> str:
        if self.next_booking_start is None:
            return ""
        return f"Réservé à partir du {format_date(self.next_booking_start)} – {self.next_booking_coop}"


@dataclass
class ItemFilter:
    category_id: int | None = None
    situation: str = SIT_ALL
    search: str = ""


@dataclass
class LoanData:
    coop_id: int | None = None
    borrower: str = ""
    start_date: date | None = None
    due_date: date | None = None
    handed_over_by: str = ""
    notes: str = ""
    item_ids: list[int] = field(default_factory=list)


@dataclass
class ReturnData:
    item_id: int
    returned_on: date | None = None
    condition: str = CONDITION_GOOD
    missing_accessories: str = ""
    damaged: bool = False
    notes: str = ""


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
        return LINE_STATUS_LABELS[self.status]


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

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_number)

    @property
    def status_label(self) -> str:
        return LOAN_STATUS_LABELS[self.status]

    @property
    def open_lines(self) -> list[LineDetail]:
        return [line for line in self.lines if line.status in (BOOKED, OUT)]

    def days_late(self, today: date | None = None) -> int:
        today = today or date.today()
        if self.status != OUT or today <= self.due_date:
            return 0
        return (today - self.due_date).days


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
    days_late: int = 0
    reminders: int = 0
    last_reminder: date | None = None
    search_key: str = ""

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_number)

    @property
    def status_label(self) -> str:
        if self.days_late:
            return f"En retard ({_days(self.days_late)})"
        if self.status == OUT and self.open_count < self.item_count:
            return f"En prêt ({self.item_count - self.open_count}/{self.item_count} rendus)"
        return LOAN_STATUS_LABELS[self.status]


@dataclass
class LoanFilter:
    view: str = VIEW_OPEN
    # With VIEW_ALL: the loans touching this period (e.g. a school year), to keep lists short.
    period: tuple[date, date] | None = None
    coop_id: int | None = None
    search: str = ""


@dataclass
class Conflict:
    item_id: int
    item_code: str
    item_name: str
    loan_id: int
    slip_number: int
    coop_number: str
    coop_name: str
    start_date: date
    end_date: date
    status: str

    @property
    def message(self) -> str:
        verb = "réservé" if self.status == BOOKED else "prêté"
        return (f"« {self.item_code} – {self.item_name} » est déjà {verb} à {self.coop_number} – "
                f"{self.coop_name} du {format_date(self.start_date)} au "
                f"{format_date(self.end_date)} (bon n° {slip_label(self.slip_number)}).")


@dataclass
class Segment:
    start: date
    end: date
    kind: str  # OUT, BOOKED or SIT_OVERDUE
    loan_id: int
    coop: str


@dataclass
class PlanningRow:
    item_id: int
    code: str
    name: str
    category: str
    state: str
    segments: list[Segment]

    def on(self, day: date) -> Segment | None:
        """The segment covering the day (a loan ending that day wins over one starting)."""
        found = None
        for segment in self.segments:
            if segment.start <= day <= segment.end:
                if found is None or segment.start < found.start:
                    found = segment
        return found


def slip_label(number: int) -> str:
    return f"{number:05d}"


def _days(n: int) -> str:
    return f"{n} jour" if n == 1 else f"{n} jours"


def accessories_list(text: str | None) -> list[str]:
    """"caméra, trépied, 2 batteries" or one per line -> ["caméra", "trépied", "2 batteries"]."""
    text = (text or "").strip()
    if not text:
        return []
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip(" -•\t") for p in parts if p.strip(" -•\t")]


# ---- categories ------------------------------------------------------------------------------

def list_categories(db: Database, *, include_archived: bool = False) -> list[CategoryRow]:
    counts = (select(Item.category_id, func.count().label("n"))
              .group_by(Item.category_id).subquery())
    query = (select(ItemCategory.id, ItemCategory.name, ItemCategory.archived,
                    func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.category_id == ItemCategory.id)
             .order_by(ItemCategory.position, ItemCategory.name))
    if not include_archived:
        query = query.where(ItemCategory.archived.is_(False))
    with db.session() as session:
        return [CategoryRow(*row) for row in session.execute(query)]


def _check_category_name(session, name: str, exclude_id: int | None) -> str:
    c = Checker()
    clean = c.text("name", "Catégorie", name, max_length=100, required=True, name_like=True)
    c.raise_if_any()
    other = session.scalar(select(ItemCategory.id).where(
        func.lower(ItemCategory.name) == clean.lower()))
    if other is not None and other != exclude_id:
        raise ValidationError({"name": f"Catégorie : « {clean} » existe déjà."})
    return clean


def add_category(db: Database, name: str) -> int:
    with db.transaction() as session:
        clean = _check_category_name(session, name, None)
        position = (session.scalar(select(func.max(ItemCategory.position))) or 0) + 1
        category = ItemCategory(name=clean, position=position)
        session.add(category)
        session.flush()
        return category.id


def rename_category(db: Database, category_id: int, name: str) -> None:
    with db.transaction() as session:
        category = session.get(ItemCategory, category_id)
        if category is None:
            raise ValidationError({"name": "Cette catégorie n'existe plus."})
        category.name = _check_category_name(session, name, category_id)


def set_category_archived(db: Database, category_id: int, archived: bool) -> None:
    """A category is never deleted (the figures of past years use it): it is hidden."""
    with db.transaction() as session:
        category = session.get(ItemCategory, category_id)
        if category is None:
            raise ValidationError({"name": "Cette catégorie n'existe plus."})
        category.archived = archived


# ---- items -----------------------------------------------------------------------------------

def check_item(data: ItemData) -> tuple[ItemData, dict[str, str]]:
    c = Checker()
    clean = ItemData(
        code=c.text("code", "Code d'inventaire", data.code, max_length=20, required=True,
                    name_like=True).upper(),
        name=c.text("name", "Désignation", data.name, max_length=150, required=True),
        category_id=data.category_id,
        description=c.text("description", "Description", data.description, max_length=2000,
                           multiline=True),
        accessories="\n".join(accessories_list(
            c.text("accessories", "Accessoires", data.accessories, max_length=2000,
                   multiline=True))),
        replacement_value_cents=data.replacement_value_cents,
        default_loan_days=c.count("default_loan_days", "Durée de prêt par défaut",
                                  data.default_loan_days, maximum=365),
        state=data.state,
        notes=c.text("notes", "Notes", data.notes, max_length=4000, multiline=True),
    )
    if clean.category_id is None:
        c.add("category_id", "Catégorie : choisissez une catégorie.")
    if not isinstance(clean.replacement_value_cents, int) or clean.replacement_value_cents < 0:
        c.add("replacement_value_cents", "Valeur de remplacement : ne peut pas être négative.")
    if "default_loan_days" not in c.errors and clean.default_loan_days < 1:
        c.add("default_loan_days", "Durée de prêt par défaut : au moins 1 jour.")
    if clean.state not in ITEM_STATE_LABELS:
        c.add("state", f"État : « {clean.state} » inconnu.")
    return clean, c.errors


def _item_search_key(data: ItemData, category: str) -> str:
    return fold(" ".join((data.code, data.name, category)))[:600]


def _save_item(session, item: Item, clean: ItemData) -> None:
    category = session.get(ItemCategory, clean.category_id)
    if category is None:
        raise ValidationError({"category_id": "Catégorie : cette catégorie n'existe plus."})
    other = session.scalar(select(Item.id).where(func.upper(Item.code) == clean.code))
    if other is not None and other != item.id:
        name = session.scalar(select(Item.name).where(Item.id == other))
        raise ValidationError({"code": f"Code d'inventaire : {clean.code} est déjà celui de « {name} »."})
    item.code = clean.code
    item.name = clean.name
    item.category_id = clean.category_id
    item.description = clean.description
    item.accessories = clean.accessories
    item.replacement_value_cents = clean.replacement_value_cents
    item.default_loan_days = clean.default_loan_days
    item.state = clean.state
    item.notes = clean.notes
    item.search_key = _item_search_key(clean, category.name)
    item.updated_at = datetime.now(UTC)


def create_item(db: Database, data: ItemData) -> int:
    clean, errors = check_item(data)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        item = Item(code=clean.code, name=clean.name, category_id=clean.category_id)
        _save_item(session, item, clean)
        session.add(item)
        session.flush()
        return item.id


def update_item(db: Database, item_id: int, data: ItemData) -> None:
    clean, errors = check_item(data)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise ValidationError({"code": "Ce matériel n'existe plus."})
        if clean.state != item.state:
            _check_state_change(session, item, clean.state)
        _save_item(session, item, clean)


def set_item_state(db: Database, item_id: int, state: str) -> None:
    """Put an item in maintenance, declare it lost or retire it (it is kept, never deleted)."""
    if state not in ITEM_STATE_LABELS:
        raise ValidationError({"state": f"État : « {state} » inconnu."})
    with db.transaction() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise ValidationError({"state": "Ce matériel n'existe plus."})
        if state != item.state:
            _check_state_change(session, item, state)
        item.state = state
        item.updated_at = datetime.now(UTC)


def _check_state_change(session, item: Item, state: str) -> None:
    """An item that is out cannot change state (record its return or loss first); a lost or
    retired one cannot keep bookings (cancel them first). Maintenance keeps its bookings."""
    if state != AVAILABLE:
        _refuse_if_out(session, item)
    if state in (LOST, RETIRED):
        _refuse_if_engaged(session, item)


def _refuse_if_out(session, item: Item) -> None:
    slip = session.scalar(select(Loan.slip_number).join(LoanLine, LoanLine.loan_id == Loan.id)
                          .where(LoanLine.item_id == item.id, LoanLine.status == OUT))
    if slip is not None:
        raise ValidationError({"state": f"État : « {item.code} » est en prêt (bon n° "
                                        f"{slip_label(slip)}) ; enregistrez d'abord son retour "
                                        "ou sa perte."})


def _refuse_if_engaged(session, item: Item) -> None:
    _refuse_if_out(session, item)
    slip = session.scalar(select(Loan.slip_number).join(LoanLine, LoanLine.loan_id == Loan.id)
                          .where(LoanLine.item_id == item.id, LoanLine.status == BOOKED))
    if slip is not None:
        raise ValidationError({"state": f"État : « {item.code} » est réservé (bon n° "
                                        f"{slip_label(slip)}) ; annulez d'abord la réservation."})


def get_item(db: Database, item_id: int) -> ItemDetail:
    with db.session() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise ValidationError({"code": "Ce matériel n'existe plus."})
        category = session.get(ItemCategory, item.category_id)
        return ItemDetail(
            id=item.id,
            data=ItemData(code=item.code, name=item.name, category_id=item.category_id,
                          description=item.description, accessories=item.accessories,
                          replacement_value_cents=item.replacement_value_cents,
                          default_loan_days=item.default_loan_days, state=item.state,
                          notes=item.notes),
            category=category.name if category else "",
        )


def item_choices(db: Database, *, lendable_only: bool = True) -> list[tuple[int, str]]:
    """(id, "CODE – name") for pickers; lendable_only leaves out lost and retired items."""
    query = select(Item.id, Item.code, Item.name, Item.state).order_by(Item.code)
    if lendable_only:
        query = query.where(Item.state.in_((AVAILABLE, MAINTENANCE)))
    with db.session() as session:
        return [(iid, f"{code} – {name}" + ("" if state == AVAILABLE else
                                             f" ({ITEM_STATE_LABELS[state].lower()})"))
                for iid, code, name, state in session.execute(query)]


def _coop_label(number: str, name: str) -> str:
    return f"{number} – {name}"


def list_items(db: Database, flt: ItemFilter | None = None, today: date | None = None) -> list[ItemRow]:
    """The inventory with each item's situation today: two queries (items, open lines)."""
    flt = flt or ItemFilter()
    today = today or date.today()
    query = (select(Item.id, Item.code, Item.name, Item.category_id, ItemCategory.name,
                    Item.state, Item.replacement_value_cents, Item.default_loan_days,
                    Item.accessories, Item.search_key)
             .join(ItemCategory, ItemCategory.id == Item.category_id)
             .order_by(Item.code))
    if flt.category_id is not None:
        query = query.where(Item.category_id == flt.category_id)
    open_lines = (select(LoanLine.item_id, LoanLine.status, LoanLine.start_date, LoanLine.end_date,
                         LoanLine.loan_id, Coop.number, Coop.name)
                  .join(Loan, Loan.id == LoanLine.loan_id)
                  .join(Coop, Coop.id == Loan.coop_id)
                  .where(LoanLine.status.in_((BOOKED, OUT)))
                  .order_by(LoanLine.start_date))
    with db.session() as session:
        rows = [ItemRow(iid, code, name, cid, cname, state, value, days, accessories_list(acc), key)
                for iid, code, name, cid, cname, state, value, days, acc, key in session.execute(query)]
        lines = session.execute(open_lines).all()
    by_id = {row.id: row for row in rows}
    for item_id, status, start, end, loan_id, number, name in lines:
        row = by_id.get(item_id)
        if row is None:
            continue
        if status == OUT:
            row.current_loan_id = loan_id
            row.current_coop = _coop_label(number, name)
            row.current_due = end
            row.days_late = max(0, (today - end).days)
            row.situation = SIT_OVERDUE if row.days_late else SIT_OUT
        elif end >= today and row.next_booking_start is None:
            row.next_booking_start = start
            row.next_booking_coop = _coop_label(number, name)
    for row in rows:
        if row.situation == SIT_FREE and row.state != AVAILABLE:
            row.situation = row.state
    if flt.situation != SIT_ALL:
        if flt.situation == SIT_OUT:
            rows = [r for r in rows if r.situation in (SIT_OUT, SIT_OVERDUE)]
        elif flt.situation == SIT_BOOKED:
            rows = [r for r in rows if r.next_booking_start is not None]
        else:
            rows = [r for r in rows if r.situation == flt.situation]
    if flt.search:
        words = fold(flt.search).split()
        rows = [r for r in rows if all(w in r.search_key for w in words)]
    return rows


# ---- the overlap rule ---------------------------------------------------------------------

def _conflicts(session, item_ids: list[int], start: date, end: date,
               exclude_loan_ids: tuple[int, ...] = ()) -> list[Conflict]:
    """The other active lines of these items whose span conflicts with [start, end].

    One indexed query per item (ix_loan_line_item_span): start_date < end AND end_date > start.
    """
    found: list[Conflict] = []
    for item_id in item_ids:
        query = (select(LoanLine.item_id, Item.code, Item.name, Loan.id, Loan.slip_number,
                        Coop.number, Coop.name, LoanLine.start_date, LoanLine.end_date,
                        LoanLine.status)
                 .join(Loan, Loan.id == LoanLine.loan_id)
                 .join(Coop, Coop.id == Loan.coop_id)
                 .join(Item, Item.id == LoanLine.item_id)
                 .where(LoanLine.item_id == item_id,
                        LoanLine.start_date < end,
                        LoanLine.end_date > start,
                        LoanLine.status != CANCELLED)
                 .order_by(LoanLine.start_date))
        if exclude_loan_ids:
            query = query.where(LoanLine.loan_id.not_in(exclude_loan_ids))
        found += [Conflict(*row) for row in session.execute(query)]
    return found


def find_conflicts(db: Database, item_ids: list[int], start: date, end: date,
                   exclude_loan_id: int | None = None) -> list[Conflict]:
    with db.session() as session:
        return _conflicts(session, item_ids, start, end,
                          (exclude_loan_id,) if exclude_loan_id else ())


def _still_out_elsewhere(session, item_ids: list[int], exclude_loan_ids: tuple[int, ...] = ()):
    query = (select(Item.code, Item.name, Loan.slip_number, Coop.number, Coop.name, Loan.due_date)
             .select_from(LoanLine)
             .join(Loan, Loan.id == LoanLine.loan_id)
             .join(Coop, Coop.id == Loan.coop_id)
             .join(Item, Item.id == LoanLine.item_id)
             .where(LoanLine.item_id.in_(item_ids), LoanLine.status == OUT))
    if exclude_loan_ids:
        query = query.where(LoanLine.loan_id.not_in(exclude_loan_ids))
    return [f"« {code} – {name} » n'est pas revenu : il est encore chez {number} – {cname} "
            f"(bon n° {slip_label(slip)}, retour prévu le {format_date(due)})."
            for code, name, slip, number, cname, due in session.execute(query)]


# ---- creating loans and bookings -------------------------------------------------------------

def default_due_date(db: Database, item_ids: list[int], start: date) -> date:
    """The start plus the longest default length of the items (both days counted)."""
    if not item_ids:
        return start + timedelta(days=13)
    with db.session() as session:
        days = session.scalar(select(func.max(Item.default_loan_days))
                              .where(Item.id.in_(item_ids))) or 14
    return start + timedelta(days=days - 1)


def _check_loan_data(data: LoanData, *, checkout: bool, today: date) -> LoanData:
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
    c.raise_if_any()
    return clean


def _check_coop_can_borrow(session, coop_id: int) -> Coop:
    coop = session.get(Coop, coop_id)
    if coop is None:
        raise ValidationError({"coop_id": "Coopérative : elle n'existe plus."})
    if coop.archived:
        raise ValidationError({"coop_id": f"Coopérative : {coop.number} – {coop.name} est "
                                          "archivée, elle ne peut pas emprunter."})
    return coop


def _check_items_lendable(session, item_ids: list[int], *, leaving: bool) -> list[Item]:
    items = session.scalars(select(Item).where(Item.id.in_(item_ids))).all()
    if len(items) != len(item_ids):
        raise ValidationError({"items": "Matériel : un des matériels choisis n'existe plus."})
    problems = []
    for item in sorted(items, key=lambda i: i.code):
        if item.state in (LOST, RETIRED) or (leaving and item.state == MAINTENANCE):
            problems.append(f"« {item.code} – {item.name} » est "
                            f"{ITEM_STATE_LABELS[item.state].lower()} : il ne peut pas être "
                            + ("prêté." if leaving else "réservé."))
    if problems:
        raise ValidationError({"items": "\n".join(problems)})
    return list(items)


def _raise_conflicts(conflicts: list[Conflict]) -> None:
    if conflicts:
        raise ValidationError({"items": "\n".join(c.message for c in conflicts)})


def _next_slip_number(session) -> int:
    # Loans are never deleted (a booking is cancelled and kept), so max + 1 never reuses a
    # number; the unique index refuses a double allocation by two workstations at once.
    return (session.scalar(select(func.max(Loan.slip_number))) or 0) + 1


def _insert_loan(session, clean: LoanData, status: str) -> Loan:
    now = datetime.now(UTC)
    loan = Loan(slip_number=_next_slip_number(session), coop_id=clean.coop_id,
                borrower=clean.borrower, start_date=clean.start_date, due_date=clean.due_date,
                handed_over_by=clean.handed_over_by, notes=clean.notes, status=status,
                created_at=now, updated_at=now)
    session.add(loan)
    session.flush()
    line_status = OUT if status == OUT else BOOKED
    for item_id in clean.item_ids:
        session.add(LoanLine(loan_id=loan.id, item_id=item_id, status=line_status,
                             start_date=clean.start_date, end_date=clean.due_date))
    session.flush()
    return loan


def create_loan(db: Database, data: LoanData, *, today: date | None = None) -> int:
    """The items leave now (start today or earlier): a loan with its slip number."""
    return _create(db, data, checkout=True, today=today or date.today())


def create_booking(db: Database, data: LoanData, *, today: date | None = None) -> int:
    """The items are kept for a coop from a future date (or today): a booking."""
    return _create(db, data, checkout=False, today=today or date.today())


def _create(db: Database, data: LoanData, *, checkout: bool, today: date) -> int:
    clean = _check_loan_data(data, checkout=checkout, today=today)
    try:
        return _create_once(db, clean, checkout)
    except IntegrityError:
        # Another workstation took the same slip number at the same instant: the unique
        # index refused it and nothing was saved; the second try takes the next number.
        return _create_once(db, clean, checkout)


def _create_once(db: Database, clean: LoanData, checkout: bool) -> int:
    with db.transaction() as session:
        _check_coop_can_borrow(session, clean.coop_id)
        _check_items_lendable(session, clean.item_ids, leaving=checkout)
        if checkout:
            away = _still_out_elsewhere(session, clean.item_ids)
            if away:
                raise ValidationError({"items": "\n".join(away)})
        _raise_conflicts(_conflicts(session, clean.item_ids, clean.start_date, clean.due_date))
        return _insert_loan(session, clean, OUT if checkout else BOOKED).id


def _get_loan(session, loan_id: int) -> Loan:
    loan = session.get(Loan, loan_id)
    if loan is None:
        raise ValidationError({"loan": "Ce prêt n'existe plus."})
    return loan


def _lines(session, loan_id: int) -> list[LoanLine]:
    return list(session.scalars(select(LoanLine).where(LoanLine.loan_id == loan_id)
                                .order_by(LoanLine.id)))


def _refresh_status(session, loan: Loan) -> None:
    statuses = {line.status for line in _lines(session, loan.id)}
    if statuses <= {CANCELLED}:
        loan.status = CANCELLED
    elif OUT in statuses:
        loan.status = OUT
    elif BOOKED in statuses:
        loan.status = BOOKED
    else:
        loan.status = CLOSED
    loan.updated_at = datetime.now(UTC)


def check_out_booking(db: Database, loan_id: int, *, on: date | None = None,
                      handed_over_by: str | None = None, today: date | None = None) -> None:
    """The booked items leave: the booking becomes a loan, starting the day they leave."""
    today = today or date.today()
    on = on or today
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        _check_out(session, loan, on, today, handed_over_by)


def _check_out(session, loan: Loan, on: date, today: date, handed_over_by: str | None) -> None:
    if loan.status != BOOKED:
        raise ValidationError({"loan": f"Le bon n° {slip_label(loan.slip_number)} n'est pas une "
                                       "réservation en attente."})
    if on > today:
        raise ValidationError({"start_date": "Date de départ : le matériel ne peut pas partir "
                                             "dans le futur."})
    if on > loan.due_date:
        raise ValidationError({"start_date": "Date de départ : elle est après la date de retour "
                                             f"prévue ({format_date(loan.due_date)}) ; "
                                             "prolongez d'abord la réservation."})
    _check_coop_can_borrow(session, loan.coop_id)
    lines = [line for line in _lines(session, loan.id) if line.status == BOOKED]
    item_ids = [line.item_id for line in lines]
    _check_items_lendable(session, item_ids, leaving=True)
    away = _still_out_elsewhere(session, item_ids, (loan.id,))
    if away:
        raise ValidationError({"items": "\n".join(away)})
    if on != loan.start_date:
        _raise_conflicts(_conflicts(session, item_ids, on, loan.due_date, (loan.id,)))
    loan.start_date = on
    if handed_over_by is not None:
        loan.handed_over_by = Checker().text("handed_over_by", "Remis par", handed_over_by,
                                             max_length=150)
    for line in lines:
        line.status = OUT
        line.start_date = on
    _refresh_status(session, loan)


def cancel_booking(db: Database, loan_id: int, reason: str = "") -> None:
    """A booking that will not happen is cancelled and kept (its slip number is never reused)."""
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        if loan.status != BOOKED:
            raise ValidationError({"loan": "Seule une réservation (matériel pas encore parti) "
                                           "peut être annulée."})
        for line in _lines(session, loan.id):
            line.status = CANCELLED
        stamp = f"Réservation annulée le {format_date(date.today())}"
        reason = " ".join((reason or "").split())[:300]
        loan.notes = (loan.notes + "\n" if loan.notes else "") + stamp + (f" : {reason}" if reason else ".")
        loan.notes = loan.notes[-4000:]
        _refresh_status(session, loan)


def extend_loan(db: Database, loan_id: int, new_due: date, *, today: date | None = None) -> None:
    """Move the due date (later or earlier) of the items not yet back, if nobody needs them."""
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        if loan.status not in (BOOKED, OUT):
            raise ValidationError({"due_date": "Ce prêt est clos : sa date de retour ne change plus."})
        if new_due is None:
            raise ValidationError({"due_date": "Date de retour prévue : ce champ est obligatoire."})
        if new_due < loan.start_date:
            raise ValidationError({"due_date": "Date de retour prévue : elle est avant la date de "
                                               f"départ ({format_date(loan.start_date)})."})
        if (new_due - loan.start_date).days >= MAX_LOAN_DAYS:
            raise ValidationError({"due_date": f"Date de retour prévue : un prêt dure au plus "
                                               f"{MAX_LOAN_DAYS} jours."})
        lines = [line for line in _lines(session, loan.id) if line.status in (BOOKED, OUT)]
        _raise_conflicts(_conflicts(session, [line.item_id for line in lines], loan.start_date,
                                    new_due, (loan.id,)))
        loan.due_date = new_due
        for line in lines:
            line.end_date = new_due
        loan.updated_at = datetime.now(UTC)


# ---- returns, losses, transfers -----------------------------------------------------------

def return_items(db: Database, loan_id: int, returns: list[ReturnData], *,
                 today: date | None = None) -> None:
    """Record the return of some or all items of a loan (each with its date and condition).

    A damaged item goes to maintenance; the loan is closed when nothing is out any more.
    """
    today = today or date.today()
    if not returns:
        raise ValidationError({"items": "Retour : cochez au moins un matériel rendu."})
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        lines = {line.item_id: line for line in _lines(session, loan.id)}
        c = Checker()
        for ret in returns:
            line = lines.get(ret.item_id)
            if line is None or line.status != OUT:
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
            line.status = RETURNED
            line.returned_on = ret.returned_on
            line.end_date = ret.returned_on
            line.condition = condition or CONDITION_GOOD
            line.missing_accessories = missing
            line.return_notes = notes
            if ret.damaged:
                item = session.get(Item, line.item_id)
                item.state = MAINTENANCE
                item.updated_at = datetime.now(UTC)
        _refresh_status(session, loan)


def mark_lost(db: Database, loan_id: int, item_id: int, on: date | None = None,
              notes: str = "", *, today: date | None = None) -> None:
    """The item will not come back: the line ends that day, the item is declared lost."""
    today = today or date.today()
    on = on or today
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        line = next((l for l in _lines(session, loan.id) if l.item_id == item_id), None)
        if line is None or line.status != OUT:
            raise ValidationError({"items": "Perte : ce matériel n'est pas sorti avec ce prêt."})
        if on < line.start_date or on > today:
            raise ValidationError({"returned_on": "Date de la perte : entre la date de départ et "
                                                  "aujourd'hui."})
        line.status = LOST
        line.end_date = on
        line.condition = "Perdu"
        line.return_notes = Checker().text("return_notes", "Remarques", notes, max_length=2000,
                                           multiline=True)
        item = session.get(Item, item_id)
        item.state = LOST
        item.updated_at = datetime.now(UTC)
        _refresh_status(session, loan)


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


def transfer(db: Database, loan_id: int, data: TransferData, *, today: date | None = None) -> int:
    """A box handed straight from one school to the next, in one action and one transaction:
    the first loan's items are returned on `on` (condition "transmis directement…") and the
    next loan starts that same day (back-to-back). Returns the next loan's id (its slip)."""
    today = today or date.today()
    on = data.on or today
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        lines = [l for l in _lines(session, loan.id) if l.status == OUT]
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
            booking = _get_loan(session, data.booking_id)
            booked_items = {l.item_id for l in _lines(session, booking.id) if l.status == BOOKED}
            if not set(item_ids) <= booked_items:
                raise ValidationError({"items": "Transmission : la réservation choisie ne comprend "
                                                "pas ce matériel."})
        else:
            clean = _check_loan_data(
                LoanData(coop_id=data.coop_id, borrower=data.borrower, start_date=on,
                         due_date=data.due_date, handed_over_by=data.handed_over_by,
                         notes=data.notes, item_ids=item_ids),
                checkout=True, today=today)
            if clean.coop_id == loan.coop_id:
                raise ValidationError({"coop_id": "Coopérative : c'est déjà elle qui a le matériel ; "
                                                  "prolongez plutôt le prêt."})
            _check_coop_can_borrow(session, clean.coop_id)
        # Close the first loan's lines that day, then open the next loan back-to-back.
        for line in lines:
            line.status = RETURNED
            line.returned_on = on
            line.end_date = on
            line.condition = CONDITION_TRANSFER
        session.flush()
        if data.booking_id is not None:
            _check_out(session, booking, on, today, data.handed_over_by or None)
            next_loan = booking
        else:
            _check_items_lendable(session, item_ids, leaving=True)
            away = _still_out_elsewhere(session, item_ids, (loan.id,))
            if away:
                raise ValidationError({"items": "\n".join(away)})
            _raise_conflicts(_conflicts(session, item_ids, clean.start_date, clean.due_date))
            next_loan = _insert_loan(session, clean, OUT)
        for line in lines:
            line.transferred_to_loan_id = next_loan.id
        _refresh_status(session, loan)
        return next_loan.id


# ---- reminders -------------------------------------------------------------------------------

def record_reminder(db: Database, loan_id: int, on: date | None = None) -> int:
    """Log a reminder sent for an overdue loan; returns how many were sent for it so far."""
    on = on or date.today()
    with db.transaction() as session:
        loan = _get_loan(session, loan_id)
        if loan.status != OUT:
            raise ValidationError({"loan": "Relance : ce prêt n'a plus de matériel sorti."})
        session.add(LoanReminder(loan_id=loan.id, sent_on=on))
        session.flush()
        return session.scalar(select(func.count()).select_from(LoanReminder)
                              .where(LoanReminder.loan_id == loan.id))


def reminder_text(db: Database, loan: LoanDetail, today: date | None = None) -> str:
    today = today or date.today()
    text = setting_value(db, REMINDER_TEXT)
    return (text.replace("{echeance}", format_date(loan.due_date))
                .replace("{jours}", str(loan.days_late(today))))


# ---- reading loans ---------------------------------------------------------------------------

def get_loan(db: Database, loan_id: int) -> LoanDetail:
    with db.session() as session:
        loan = _get_loan(session, loan_id)
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
            reminders=reminders,
        )


def list_loans(db: Database, flt: LoanFilter | None = None, today: date | None = None) -> list[LoanRow]:
    """The loans the view selects, newest first, with their items and reminders (3 queries)."""
    with gc_paused():
        return _list_loans(db, flt, today)


def _list_loans(db: Database, flt: LoanFilter | None, today: date | None) -> list[LoanRow]:
    flt = flt or LoanFilter()
    today = today or date.today()
    query = (select(Loan.id, Loan.slip_number, Loan.status, Loan.coop_id, Coop.number, Coop.name,
                    Loan.borrower, Loan.start_date, Loan.due_date)
             .join(Coop, Coop.id == Loan.coop_id))
    if flt.view == VIEW_OPEN:
        query = query.where(Loan.status.in_((BOOKED, OUT)))
    elif flt.view == VIEW_OUT:
        query = query.where(Loan.status == OUT)
    elif flt.view == VIEW_OVERDUE:
        query = query.where(Loan.status == OUT, Loan.due_date < today)
    elif flt.view == VIEW_BOOKED:
        query = query.where(Loan.status == BOOKED)
    if flt.period is not None:
        start, end = flt.period
        query = query.where(Loan.start_date <= end,
                            or_(Loan.due_date >= start, Loan.status == OUT))
    if flt.coop_id is not None:
        query = query.where(Loan.coop_id == flt.coop_id)
    query = query.order_by(Loan.start_date.desc(), Loan.slip_number.desc())
    with db.session() as session:
        rows = [LoanRow(*row) for row in session.execute(query)]
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
            if status != CANCELLED or row.status == CANCELLED:
                codes[loan_id].append(code)
                row.item_count += 1
            if status == OUT:
                row.open_count += 1
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
        if row.status == OUT and row.due_date < today:
            row.days_late = (today - row.due_date).days
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


def bookings_for_items(db: Database, item_ids: list[int], from_day: date) -> list[LoanRow]:
    """The pending bookings of these items from a day on (for a transfer to a booked school)."""
    if not item_ids:
        return []
    with db.session() as session:
        ids = set(session.scalars(select(LoanLine.loan_id).where(
            LoanLine.item_id.in_(item_ids), LoanLine.status == BOOKED,
            LoanLine.end_date >= from_day)))
    return [row for row in list_loans(db, LoanFilter(view=VIEW_BOOKED)) if row.id in ids]


# ---- planning --------------------------------------------------------------------------------

def planning(db: Database, start: date, days: int = 42, category_id: int | None = None,
             today: date | None = None) -> list[PlanningRow]:
    """For the coming weeks, item by item: what is out (or overdue), what is booked, what is free."""
    today = today or date.today()
    end = start + timedelta(days=days - 1)
    items_query = (select(Item.id, Item.code, Item.name, ItemCategory.name, Item.state)
                   .join(ItemCategory, ItemCategory.id == Item.category_id)
                   .where(Item.state.in_((AVAILABLE, MAINTENANCE)))
                   .order_by(ItemCategory.position, Item.code))
    lines_query = (select(LoanLine.item_id, LoanLine.status, LoanLine.start_date,
                          LoanLine.end_date, LoanLine.loan_id, Coop.number, Coop.name)
                   .join(Loan, Loan.id == LoanLine.loan_id)
                   .join(Coop, Coop.id == Loan.coop_id)
                   .where(LoanLine.status.in_((BOOKED, OUT)), LoanLine.start_date <= end,
                          or_(LoanLine.end_date >= start, LoanLine.status == OUT))
                   .order_by(LoanLine.start_date))
    if category_id is not None:
        items_query = items_query.where(Item.category_id == category_id)
    with db.session() as session:
        rows = [PlanningRow(iid, code, name, cat, state, [])
                for iid, code, name, cat, state in session.execute(items_query)]
        by_id = {row.item_id: row for row in rows}
        for item_id, status, s, e, loan_id, number, name in session.execute(lines_query):
            row = by_id.get(item_id)
            if row is None:
                continue
            kind = status
            if status == OUT and e < today:
                kind, e = SIT_OVERDUE, max(today, e)
            row.segments.append(Segment(s, e, kind, loan_id, _coop_label(number, name)))
    return rows


def conditions_text(db: Database) -> str:
    return setting_value(db, LOAN_CONDITIONS)


# ---- printed documents -----------------------------------------------------------------------

def slip_data(db: Database, loan_id: int, *, only_items: list[int] | None = None) -> SlipData:
    """The plain data of a loan's papers (documents/loan_slip.py lays it out)."""
    loan = get_loan(db, loan_id)
    lines = [l for l in loan.lines if l.status != CANCELLED or loan.status == CANCELLED]
    if only_items is not None:
        lines = [l for l in lines if l.item_id in set(only_items)]
    return SlipData(
        slip_label=loan.slip_label, coop_number=loan.coop_number, coop_name=loan.coop_name,
        coop_address_lines=loan.coop_address_lines, borrower=loan.borrower,
        start_date=loan.start_date, due_date=loan.due_date,
        items=[SlipItem(code=l.code, name=l.name, accessories=l.accessories,
                        replacement_value_cents=l.replacement_value_cents,
                        status_label=l.status_label, returned_on=l.returned_on,
                        condition=l.condition, missing_accessories=l.missing_accessories)
               for l in lines],
        handed_over_by=loan.handed_over_by, mandataire_name=loan.mandataire_name,
        notes=loan.notes, conditions=conditions_text(db), is_booking=loan.status == BOOKED,
    )


def _letterhead(db: Database):
    return Letterhead.from_association(get_association(db))


def loan_slip_pdf(db: Database, loan_id: int) -> bytes:
    return loan_slip.loan_slip_pdf(slip_data(db, loan_id), _letterhead(db))


def return_receipt_pdf(db: Database, loan_id: int) -> bytes:
    return loan_slip.return_receipt_pdf(slip_data(db, loan_id), _letterhead(db))


def reminder_data(db: Database, loan_id: int, today: date | None = None) -> loan_slip.ReminderData:
    """What the reminder letter of an overdue loan says (its number counts the ones sent)."""
    today = today or date.today()
    loan = get_loan(db, loan_id)
    if loan.status != OUT:
        raise ValidationError({"loan": "Relance : ce prêt n'a plus de matériel sorti."})
    if loan.days_late(today) <= 0:
        raise ValidationError({"loan": "Relance : ce prêt n'est pas en retard."})
    data = slip_data(db, loan_id, only_items=[l.item_id for l in loan.open_lines])
    return loan_slip.ReminderData(slip=data, today=today, days_late=loan.days_late(today),
                                  reminder_number=len(loan.reminders) + 1,
                                  text=reminder_text(db, loan, today),
                                  place=get_association(db).city)


def reminder_letter_pdf(db: Database, loan_id: int, *, today: date | None = None,
                        record: bool = True) -> bytes:
    """The reminder letter for an overdue loan; with record=True the reminder is logged
    (with today's date) in the same step, so that a printed letter is never forgotten."""
    today = today or date.today()
    pdf = loan_slip.reminder_letter_pdf(reminder_data(db, loan_id, today), _letterhead(db))
    if record:
        record_reminder(db, loan_id, today)
    return pdf


def reminder_letters_pdf(db: Database, letters: list[loan_slip.ReminderData]) -> bytes:
    return loan_slip.reminder_letters_pdf(letters, _letterhead(db))


def record_reminders(db: Database, loan_ids: list[int], on: date | None = None) -> None:
    """Log one reminder on each of these loans, all in one transaction (or none)."""
    on = on or date.today()
    with db.transaction() as session:
        open_ids = set(session.scalars(select(Loan.id).where(Loan.id.in_(loan_ids),
                                                             Loan.status == OUT)))
        missing = [i for i in loan_ids if i not in open_ids]
        if missing:
            raise ValidationError({"loan": "Relance : un des prêts n'a plus de matériel sorti ; "
                                           "aucune relance n'a été notée."})
        for loan_id in loan_ids:
            session.add(LoanReminder(loan_id=loan_id, sent_on=on))
