"""The September rush: a grid of coops × agenda cycles, typed in one go, that creates the
orders in one transaction (all of them, or none and every bad cell named)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from occe_bureau import clock
from occe_bureau.coops import Coop
from occe_bureau.db import Database, write_lock
from occe_bureau.formats import school_year_of
from occe_bureau.sales.catalogue import agenda_products, quantity_of
from occe_bureau.sales.enums import PayerKind
from occe_bureau.sales.models import Payer, Product
from occe_bureau.sales.orders import new_order
from occe_bureau.validation import Checker


@dataclass
class GridRow:
    coop_id: int | None = None
    quantities: dict[int, object] = field(default_factory=dict)   # product id -> typed quantity
    payer_kind: PayerKind = PayerKind.COOP
    payer_id: int | None = None
    commitment_number: str = ""


@dataclass(frozen=True)
class GridColumn:
    product_id: int
    cycle: int
    name: str
    unit_price_cents: int
    active: bool


def grid_columns(db: Database, edition_year: int | None = None) -> list[GridColumn]:
    """The agendas of the edition (the school year under way by default), one per cycle."""
    year = edition_year if edition_year is not None else school_year_of(clock.today())
    return [GridColumn(p.id, p.cycle, p.name, p.unit_price_cents, p.active)
            for p in agenda_products(db, year)]


def enter_grid(db: Database, rows: list[GridRow], *, ordered_on: date | None = None) -> list[int]:
    """One order per row with at least one quantity, in one transaction. Errors are keyed
    "row_3_cell_12" (row 3, product 12), "row_3_coop" and "row_3_payer"."""
    ordered_on = ordered_on or clock.today()
    c = Checker()
    planned = []
    with db.transaction() as session:
        write_lock(session)
        products = {p.id: p for p in session.scalars(select(Product))}
        seen: dict[int, int] = {}
        for index, row in enumerate(rows):
            typed = {pid: q for pid, q in row.quantities.items() if str(q or "").strip()}
            if not typed:
                continue
            coop = session.get(Coop, row.coop_id) if row.coop_id is not None else None
            if coop is None:
                c.add(f"row_{index}_coop", f"Ligne {index + 1} : choisissez la coopérative.")
                continue
            who = f"{coop.number} {coop.name}"
            if row.coop_id in seen:
                c.add(f"row_{index}_coop", f"{who} : cette coopérative est saisie deux fois.")
            seen.setdefault(row.coop_id, index)
            kind = PayerKind(row.payer_kind)
            payer_id = row.payer_id
            if kind is PayerKind.TOWN_HALL and payer_id is None:
                payer_id = town_hall_of(session, row.coop_id)
                if payer_id is None:
                    c.add(f"row_{index}_payer", f"{who} : aucune mairie de "
                          f"{coop.commune or 'sa commune'} n'est "
                          "enregistrée comme payeur (onglet Ventes, page Payeurs).")
            elif kind is not PayerKind.COOP:
                payer = session.get(Payer, payer_id) if payer_id else None
                if payer is None or payer.kind != kind:
                    c.add(f"row_{index}_payer", f"{who} : choisissez le payeur.")
            lines = []
            for pid, typed_quantity in typed.items():
                product = products.get(pid)
                field_name = f"row_{index}_cell_{pid}"
                if product is None or not product.active:
                    c.add(field_name, f"{who} : ce produit n'est plus au catalogue.")
                    continue
                quantity = quantity_of(c, field_name, f"{who}, cycle {product.cycle}" if product.cycle else f"{who}, {product.name}",
                                       typed_quantity)
                lines.append(dict(product_id=pid, quantity=quantity,
                                  unit_price_cents=product.unit_price_cents))
            planned.append((dict(coop_id=row.coop_id, ordered_on=ordered_on, payer_kind=kind,
                                 payer_id=payer_id if kind is not PayerKind.COOP else None,
                                 commitment_number=row.commitment_number.strip()[:50],
                                 notes=""), lines))
        if not planned and not c.errors:
            c.add("grid", "Aucune quantité saisie : rien n'a été enregistré.")
        c.raise_if_any()
        return [new_order(session, values, lines) for values, lines in planned]



def town_hall_of(session, coop_id: int) -> int | None:
    """The town hall registered as a payer for the coop's commune (accents and case aside)."""
    from occe_bureau.formats import fold

    commune = fold(session.get(Coop, coop_id).commune)
    if not commune:
        return None
    for pid, city in session.execute(select(Payer.id, Payer.city).where(
            Payer.kind == PayerKind.TOWN_HALL, Payer.archived.is_(False)).order_by(Payer.id)):
        if fold(city) == commune:
            return pid
    return None
