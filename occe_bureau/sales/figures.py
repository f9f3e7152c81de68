"""The year's sales figures, for the annual report and the Bilan: quantities and amounts per
product and per agenda cycle ("370 agendas cycle 2"), per coop, paid and unpaid. Orders of the
school year (`year_figures`: the order's school year), or ordered in a period
(`period_figures`: the day it was ordered), that are not cancelled; each figure from one
grouped query, the same for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select

from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import counted, school_year_label, school_year_of
from occe_bureau.sales.enums import AGENDA_CYCLES, OrderState, ProductKind
from occe_bureau.sales.models import OrderLine, Product, SaleOrder
from occe_bureau.validation import ValidationError


@dataclass(frozen=True)
class ProductFigure:
    product_id: int
    name: str
    kind: ProductKind
    cycle: int | None
    quantity: int
    amount_cents: int


@dataclass(frozen=True)
class CycleFigure:
    cycle: int
    quantity: int
    amount_cents: int

    @property
    def text(self) -> str:
        """As the annual report writes it: "370 agendas cycle 2 vendus"."""
        return f"{counted(self.quantity, 'agenda', 'agendas')} cycle {self.cycle} " + (
            "vendu" if abs(self.quantity) < 2 else "vendus")


@dataclass(slots=True)
class CoopFigure:
    coop_id: int
    coop_number: str
    coop_name: str
    orders: int
    agendas: int
    books: int
    amount_cents: int
    paid_cents: int

    @property
    def unpaid_cents(self) -> int:
        return self.amount_cents - self.paid_cents


@dataclass(frozen=True)
class YearFigures:
    school_year: int
    orders: int
    amount_cents: int
    paid_cents: int
    products: tuple[ProductFigure, ...]
    cycles: tuple[CycleFigure, ...]          # cycles 1, 2, 3, each present (0 when none sold)
    coops: tuple[CoopFigure, ...]
    # The period of `period_figures` (orders by the day they were ordered); None for
    # `year_figures` (orders by their school year).
    start: date | None = None
    end: date | None = None

    @property
    def unpaid_cents(self) -> int:
        return self.amount_cents - self.paid_cents

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)

    def cycle(self, number: int) -> CycleFigure:
        return next(c for c in self.cycles if c.cycle == number)

    def quantity_of(self, kind: ProductKind) -> int:
        return sum(p.quantity for p in self.products if p.kind is kind)


def year_figures(db: Database, school_year: int) -> YearFigures:
    """The figures of the orders of school year `school_year` (their `year`), not cancelled."""
    return _figures(db, SaleOrder.year == school_year, school_year)


def period_figures(db: Database, start: date, end: date) -> YearFigures:
    """The figures of the orders placed from `start` to `end` (`ordered_on`, both included),
    not cancelled; `school_year` is the one `start` falls in."""
    if end < start:
        raise ValidationError({"period": "Période : la date de fin est avant la date de début."})
    return _figures(db, SaleOrder.ordered_on.between(start, end), school_year_of(start),
                    start=start, end=end)


def _figures(db: Database, orders, school_year: int, *, start: date | None = None,
             end: date | None = None) -> YearFigures:
    """The figures of the orders `orders` (a where-clause on SaleOrder) that are not cancelled."""
    live = (orders, SaleOrder.state != OrderState.CANCELLED)
    amount = func.sum(OrderLine.quantity * OrderLine.unit_price_cents)
    agenda_qty = func.sum(case((Product.kind == ProductKind.AGENDA, OrderLine.quantity), else_=0))
    book_qty = func.sum(case((Product.kind == ProductKind.BOOK, OrderLine.quantity), else_=0))
    with db.engine.connect() as conn:
        by_product = conn.execute(
            select(Product.id, Product.name, Product.kind, Product.cycle,
                   func.sum(OrderLine.quantity), amount)
            .select_from(OrderLine).join(SaleOrder, SaleOrder.id == OrderLine.order_id)
            .join(Product, Product.id == OrderLine.product_id).where(*live)
            .group_by(Product.id, Product.name, Product.kind, Product.cycle)).all()
        goods = {cid: (int(ag), int(bk)) for cid, ag, bk in conn.execute(
            select(SaleOrder.coop_id, agenda_qty, book_qty).select_from(OrderLine)
            .join(SaleOrder, SaleOrder.id == OrderLine.order_id)
            .join(Product, Product.id == OrderLine.product_id).where(*live)
            .group_by(SaleOrder.coop_id)).all()}
        by_coop = conn.execute(
            select(Coop.id, Coop.number, Coop.name, func.count(SaleOrder.id),
                   func.sum(SaleOrder.total_cents), func.sum(SaleOrder.paid_cents))
            .select_from(SaleOrder).join(Coop, Coop.id == SaleOrder.coop_id).where(*live)
            .group_by(Coop.id, Coop.number, Coop.name).order_by(Coop.number)).all()
    products = tuple(sorted(
        (ProductFigure(pid, name, ProductKind(kind), cycle, int(q), int(a))
         for pid, name, kind, cycle, q, a in by_product),
        key=lambda p: (p.kind is not ProductKind.AGENDA, p.cycle or 0, p.name.casefold())))
    agendas = [p for p in products if p.kind is ProductKind.AGENDA]
    cycles = tuple(CycleFigure(n, sum(p.quantity for p in agendas if p.cycle == n),
                               sum(p.amount_cents for p in agendas if p.cycle == n))
                   for n in AGENDA_CYCLES)
    coops = tuple(CoopFigure(cid, number, name, n, *goods.get(cid, (0, 0)), int(a), int(p))
                  for cid, number, name, n, a, p in by_coop)
    # every live order has its coop: the year's totals are the coops' sums
    return YearFigures(school_year, sum(c.orders for c in coops), sum(c.amount_cents for c in coops),
                       sum(c.paid_cents for c in coops), products, cycles, coops,
                       start=start, end=end)


def export_year_figures(db: Database, school_year: int, path: str | Path) -> int:
    """The figures as a workbook: per product, per cycle, per coop (text cells neutralised)."""
    from occe_bureau.tabular import OutColumn, OutSheet, euros, write_table

    f = year_figures(db, school_year)
    heading = [f"Ventes {f.label}"]
    totals = [["Commandes", f.orders], ["Montant (€)", euros(f.amount_cents)],
              ["Payé (€)", euros(f.paid_cents)], ["Reste dû (€)", euros(f.unpaid_cents)]]
    sheets = [
        OutSheet("Par produit", [OutColumn("Produit", width=50), OutColumn("Type", width=18),
                                 OutColumn("Quantité", "int", 12), OutColumn("Montant", "money", 14)],
                 [(p.name, p.kind.label if p.kind is not ProductKind.AGENDA else f"Agenda cycle {p.cycle}",
                   p.quantity, p.amount_cents) for p in f.products], [heading, *totals]),
        OutSheet("Par cycle", [OutColumn("Agendas", width=30), OutColumn("Quantité", "int", 12),
                               OutColumn("Montant", "money", 14)],
                 [(f"Cycle {c.cycle}", c.quantity, c.amount_cents) for c in f.cycles], [heading]),
        OutSheet("Par coopérative", [OutColumn("Numéro", width=12), OutColumn("Coopérative", width=40),
                                     OutColumn("Commandes", "int", 12), OutColumn("Agendas", "int", 10),
                                     OutColumn("Livres", "int", 10), OutColumn("Montant", "money", 14),
                                     OutColumn("Payé", "money", 14), OutColumn("Reste dû", "money", 14)],
                 [(c.coop_number, c.coop_name, c.orders, c.agendas, c.books, c.amount_cents,
                   c.paid_cents, c.unpaid_cents) for c in f.coops], [heading]),
    ]
    return write_table(path, sheets=sheets)
