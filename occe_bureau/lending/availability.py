"""Which items are free for the chosen dates, and why the others are not, so that the
new-loan dialog can say it beside each item and offer the free items of the same category
instead of letting the secretary try one after the other.

The reasons are those the save would give (the same rules, asked for every item at once):
the overlap rule of lending/conflicts.py; an item in maintenance can be booked but cannot
leave; an item that has not come back from an earlier loan cannot leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.lending.conflicts import overlaps
from occe_bureau.lending.models import Item, Loan, LoanLine
from occe_bureau.lending.states import ItemState, LineStatus
from occe_bureau.lending.vocabulary import coop_label

FREE = "libre"


@dataclass(frozen=True)
class Availability:
    item_id: int
    category_id: int
    free: bool
    label: str  # "libre", "réservé à 92-0100 – École … du 03/03/2025 au 14/03/2025", …


def availability(db: Database, start: date | None, end: date | None, *, leaving: bool,
                 exclude_loan_id: int | None = None) -> dict[int, Availability]:
    """Every lendable item, free or not for [start, end] (with `leaving`, for items that leave
    at once: a loan rather than a booking). Empty when the dates make no span."""
    if start is None or end is None or end < start:
        return {}
    with db.session() as session:
        items = session.execute(select(Item.id, Item.category_id, Item.state)
                                .where(Item.state.in_((ItemState.AVAILABLE, ItemState.MAINTENANCE)))
                                .order_by(Item.code)).all()
        busy = _first_by_item(session.execute(_lines(overlaps(start, end), exclude_loan_id)))
        away = (_first_by_item(session.execute(_lines(LoanLine.status == LineStatus.OUT,
                                                      exclude_loan_id)))
                if leaving else {})
    found = {}
    for item_id, category_id, state in items:
        reason = _why_not(busy.get(item_id), away.get(item_id), state, leaving)
        label = reason or (f"{FREE} – en maintenance pour l'instant"
                           if state == ItemState.MAINTENANCE else FREE)
        found[item_id] = Availability(item_id, category_id, reason is None, label)
    return found


def _lines(condition, exclude_loan_id: int | None):
    query = (select(LoanLine.item_id, LoanLine.status, LoanLine.start_date, LoanLine.end_date,
                    Coop.number, Coop.name)
             .join(Loan, Loan.id == LoanLine.loan_id).join(Coop, Coop.id == Loan.coop_id)
             .where(LoanLine.status != LineStatus.CANCELLED, condition)
             .order_by(LoanLine.start_date))
    if exclude_loan_id is not None:
        query = query.where(LoanLine.loan_id != exclude_loan_id)
    return query


def _first_by_item(rows) -> dict[int, tuple]:
    first: dict[int, tuple] = {}
    for row in rows:
        first.setdefault(row[0], tuple(row))
    return first


def _why_not(busy: tuple | None, away: tuple | None, state: str, leaving: bool) -> str | None:
    if busy is not None:
        _item, status, start, end, number, name = busy
        verb = "réservé" if status == LineStatus.BOOKED else "prêté"
        return (f"{verb} à {coop_label(number, name)} du {format_date(start)} au "
                f"{format_date(end)}")
    if leaving and state == ItemState.MAINTENANCE:
        return "en maintenance : il ne peut pas partir"
    if away is not None:
        _item, _status, _start, end, number, name = away
        return (f"pas revenu : encore chez {coop_label(number, name)} (retour prévu le "
                f"{format_date(end)})")
    return None


def free_instead(found: dict[int, Availability], chosen: list[int]) -> dict[int, list[int]]:
    """For each chosen item that is not free, the free items of its category not chosen yet
    (in the order of `found`), to be offered in its place."""
    offers: dict[int, list[int]] = {}
    for item_id in chosen:
        this = found.get(item_id)
        if this is None or this.free:
            continue
        offers[item_id] = [other.item_id for other in found.values()
                           if other.free and other.category_id == this.category_id
                           and other.item_id not in chosen]
    return offers
