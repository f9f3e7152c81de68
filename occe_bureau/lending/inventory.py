"""The lending desk's inventory: categories and items, with each item's situation today.

Items in maintenance can be booked for later (they may be repaired by then) but not lent;
lost or retired items can be neither (lending/loans.py applies it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from occe_bureau.db import Database
from occe_bureau.formats import fold, format_date
from occe_bureau.coops import Coop
from occe_bureau.lending.models import Item, ItemCategory, Loan, LoanLine
from occe_bureau.lending.lateness import days_late
from occe_bureau.lending.states import ItemState, LineStatus
from occe_bureau.lending.vocabulary import accessories_list, coop_label, days_label, slip_label
from occe_bureau.validation import MAX_AMOUNT_CENTS, Checker, ValidationError
from occe_bureau import clock, versions

# Situations of an item today, for the inventory list and its filter.
SIT_ALL = "all"
SIT_FREE = "free"
SIT_OUT = "out"
SIT_OVERDUE = "overdue"
SIT_BOOKED = "booked"
SITUATION_LABELS = {
    SIT_ALL: "Tout le matériel", SIT_FREE: "Disponible aujourd'hui", SIT_OUT: "En prêt",
    SIT_OVERDUE: "En retard", SIT_BOOKED: "Réservé prochainement",
    ItemState.MAINTENANCE: ItemState.MAINTENANCE.label, ItemState.LOST: ItemState.LOST.label,
    ItemState.RETIRED: ItemState.RETIRED.label,
}


# ---- plain data ----------------------------------------------------------------------------

@dataclass
class CategoryRow:
    id: int
    name: str
    archived: bool
    items: int = 0
    version: int = 1  # as listed (occe_bureau/versions.py)


@dataclass
class ItemData:
    code: str = ""
    name: str = ""
    category_id: int | None = None
    description: str = ""
    accessories: str = ""  # one per line (or a single line separated by commas)
    replacement_value_cents: int = 0
    default_loan_days: int | str = 14
    state: str = ItemState.AVAILABLE
    notes: str = ""


@dataclass
class ItemDetail:
    id: int
    data: ItemData
    category: str
    version: int = 1  # as the form opened it (occe_bureau/versions.py)


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
    def situation_label(self) -> str:
        if self.situation == SIT_OVERDUE:
            return (f"En retard de {days_label(self.days_late)} (prévu le "
                    f"{format_date(self.current_due)}) – {self.current_coop}")
        if self.situation == SIT_OUT:
            return f"Sorti jusqu'au {format_date(self.current_due)} – {self.current_coop}"
        if self.state != ItemState.AVAILABLE:
            return ItemState(self.state).label
        return "Disponible"

    @property
    def next_label(self) -> str:
        if self.next_booking_start is None:
            return ""
        return f"Dès le {format_date(self.next_booking_start)} – {self.next_booking_coop}"


@dataclass
class ItemFilter:
    category_id: int | None = None
    situation: str = SIT_ALL
    search: str = ""


# ---- categories ------------------------------------------------------------------------------

def list_categories(db: Database, *, include_archived: bool = False) -> list[CategoryRow]:
    counts = (select(Item.category_id, func.count().label("n"))
              .group_by(Item.category_id).subquery())
    query = (select(ItemCategory.id, ItemCategory.name, ItemCategory.archived,
                    func.coalesce(counts.c.n, 0), ItemCategory.version)
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


def rename_category(db: Database, category_id: int, name: str, *,
                    version: int | None = None) -> None:
    """Rename a category; with the version listed, refused (StaleRecord) if it changed since."""
    with db.transaction() as session:
        _claim_category(session, category_id, version)
        category = session.get(ItemCategory, category_id)
        if category is None:
            raise ValidationError({"name": "Cette catégorie n'existe plus."})
        category.name = _check_category_name(session, name, category_id)
        # The items are found by their category's name: their search keys follow it (a key
        # derived from the name, not a change of the item: its version stays, so that a form
        # open on one of them is not refused for it).
        items = session.execute(select(Item.id, Item.code, Item.name)
                                .where(Item.category_id == category_id)).all()
        for item_id, code, name in items:
            key = _item_search_key(ItemData(code=code, name=name, category_id=category_id),
                                   category.name)
            session.execute(update(Item).where(Item.id == item_id).values(search_key=key)
                            .execution_options(synchronize_session=False))


def set_category_archived(db: Database, category_id: int, archived: bool, *,
                          version: int | None = None) -> None:
    """A category is never deleted (the figures of past years use it): it is hidden."""
    with db.transaction() as session:
        _claim_category(session, category_id, version)
        category = session.get(ItemCategory, category_id)
        if category is None:
            raise ValidationError({"name": "Cette catégorie n'existe plus."})
        category.archived = archived


def _claim_category(session, category_id: int, version: int | None) -> None:
    if version is not None:
        versions.claim(session, ItemCategory, category_id, version, what="Cette catégorie",
                       since=versions.LIST_SINCE, advice=versions.LIST_ADVICE)


# ---- items -----------------------------------------------------------------------------------

def check_item(data: ItemData) -> tuple[ItemData, dict[str, str]]:
    c = Checker()
    clean = ItemData(
        code=c.text("code", "Code d'inventaire", data.code, max_length=20, required=True,
                    name_like=True),
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
    elif clean.replacement_value_cents > MAX_AMOUNT_CENTS:
        c.add("replacement_value_cents", "Valeur de remplacement : trop élevée (100 000 000 € au plus).")
    if "default_loan_days" not in c.errors and clean.default_loan_days < 1:
        c.add("default_loan_days", "Durée de prêt par défaut : au moins 1 jour.")
    if clean.state not in set(ItemState):
        c.add("state", f"État : « {clean.state} » inconnu.")
    return clean, c.errors


def _item_search_key(data: ItemData, category: str) -> str:
    return fold(" ".join((data.code, data.name, category)))[:600]


def _save_item(session, item: Item, clean: ItemData) -> None:
    category = session.get(ItemCategory, clean.category_id)
    if category is None:
        raise ValidationError({"category_id": "Catégorie : cette catégorie n'existe plus."})
    other = next((i for i, code in session.execute(select(Item.id, Item.code))  # any case
                  if code.casefold() == clean.code.casefold()), None)
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
    item.updated_at = clock.now()


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


def update_item(db: Database, item_id: int, data: ItemData, *, version: int | None = None) -> None:
    """Change an item; with the version the form opened, refused (StaleRecord) if it changed since."""
    clean, errors = check_item(data)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Item, item_id, version)
        item = session.get(Item, item_id)
        if item is None:
            raise ValidationError({"code": "Ce matériel n'existe plus."})
        if clean.state != item.state:
            _check_state_change(session, item, clean.state)
        _save_item(session, item, clean)


def set_item_state(db: Database, item_id: int, state: str, *, version: int | None = None) -> None:
    """Put an item in maintenance, declare it lost or retire it (it is kept, never deleted);
    with the version listed, refused (StaleRecord) if it changed since."""
    if state not in set(ItemState):
        raise ValidationError({"state": f"État : « {state} » inconnu."})
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Item, item_id, version, what="Ce matériel", feminine=False,
                           since=versions.LIST_SINCE, advice=versions.LIST_ADVICE)
        item = session.get(Item, item_id)
        if item is None:
            raise ValidationError({"state": "Ce matériel n'existe plus."})
        if state != item.state:
            _check_state_change(session, item, state)
        item.state = state
        item.updated_at = clock.now()


def _check_state_change(session, item: Item, state: str) -> None:
    """An item that is out cannot change state (record its return or loss first); a lost or
    retired one cannot keep bookings (cancel them first). Maintenance keeps its bookings."""
    if state != ItemState.AVAILABLE:
        _refuse_if_out(session, item)
    if state in (ItemState.LOST, ItemState.RETIRED):
        _refuse_if_engaged(session, item)


def _refuse_if_out(session, item: Item) -> None:
    slip = session.scalar(select(Loan.slip_number).join(LoanLine, LoanLine.loan_id == Loan.id)
                          .where(LoanLine.item_id == item.id, LoanLine.status == LineStatus.OUT))
    if slip is not None:
        raise ValidationError({"state": f"État : « {item.code} » est en prêt (bon n° "
                                        f"{slip_label(slip)}) ; enregistrez d'abord son retour "
                                        "ou sa perte."})


def _refuse_if_engaged(session, item: Item) -> None:
    _refuse_if_out(session, item)
    slip = session.scalar(select(Loan.slip_number).join(LoanLine, LoanLine.loan_id == Loan.id)
                          .where(LoanLine.item_id == item.id, LoanLine.status == LineStatus.BOOKED))
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
            version=item.version,
        )


def item_choices(db: Database, *, lendable_only: bool = True) -> list[tuple[int, str]]:
    """(id, "CODE – name") for pickers; lendable_only leaves out lost and retired items."""
    query = select(Item.id, Item.code, Item.name, Item.state).order_by(Item.code)
    if lendable_only:
        query = query.where(Item.state.in_((ItemState.AVAILABLE, ItemState.MAINTENANCE)))
    with db.session() as session:
        return [(iid, f"{code} – {name}" + ("" if state == ItemState.AVAILABLE else
                                             f" ({ItemState(state).label.lower()})"))
                for iid, code, name, state in session.execute(query)]


def list_items(db: Database, flt: ItemFilter | None = None, today: date | None = None) -> list[ItemRow]:
    """The inventory with each item's situation today: two queries (items, open lines)."""
    flt = flt or ItemFilter()
    today = today or clock.today()
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
                  .where(LoanLine.status.in_((LineStatus.BOOKED, LineStatus.OUT)))
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
        if status == LineStatus.OUT:
            row.current_loan_id = loan_id
            row.current_coop = coop_label(number, name)
            row.current_due = end
            row.days_late = days_late(end, today)
            row.situation = SIT_OVERDUE if row.days_late else SIT_OUT
        elif end >= today and row.next_booking_start is None:
            row.next_booking_start = start
            row.next_booking_coop = coop_label(number, name)
    for row in rows:
        if row.situation == SIT_FREE and row.state != ItemState.AVAILABLE:
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
