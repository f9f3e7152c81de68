"""The year's sales figures, for the annual report and the Bilan: quantities and amounts per
product and per agenda cycle ("370 agendas cycle 2"), per coop, paid and unpaid. Orders of the
school year that are not cancelled; each figure from one grouped query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, func, select

from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import counted, school_year_label
from occe_bureau.sales.enums import AGENDA_CYCLES, OrderState, ProductKind
from occe_bureau.sales.models import OrderLine, Product, SaleOrder


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


@dataclass(frozen=True)
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
    live = (SaleOrder.year == school_year, SaleOrder.state != OrderState.CANCELLED)
    amount = func.sum(OrderLine.quantity * OrderLine.unit_price_cents)
    with db.session() as session:
        orders, total, paid = session.execute(
            select(func.count(), func.coalesce(func.sum(SaleOrder.total_cents), 0),
                   func.coalesce(func.sum(SaleOrder.paid_cents), 0)).where(*live)).one()
        by_product = session.execute(
            select(Product.id, Product.name, Product.kind, Product.cycle,
                   func.sum(OrderLine.quantity), amount)
            .join(OrderLine, OrderLine.product_id == Product.id)
            .join(SaleOrder, SaleOrder.id == OrderLine.order_id).where(*live)
            .group_by(Product.id, Product.name, Product.kind, Product.cycle)).all()
        per_order = (select(OrderLine.order_id.label("oid"),
                            func.sum(case((Product.kind == ProductKind.AGENDA, OrderLine.quantity), else_=0))
                            .label("agendas"),
                            func.sum(case((Product.kind == ProductKind.BOOK, OrderLine.quantity), else_=0))
                            .label("books"))
                     .join(Product, Product.id == OrderLine.product_id)
                     .group_by(OrderLine.order_id).subquery())
        by_coop = session.execute(
            select(Coop.id, Coop.number, Coop.name, func.count(SaleOrder.id),
                   func.coalesce(func.sum(per_order.c.agendas), 0),
                   func.coalesce(func.sum(per_order.c.books), 0),
                   func.sum(SaleOrder.total_cents), func.sum(SaleOrder.paid_cents))
            .join(SaleOrder, SaleOrder.coop_id == Coop.id)
            .outerjoin(per_order, per_order.c.oid == SaleOrder.id).where(*live)
            .group_by(Coop.id, Coop.number, Coop.name).order_by(Coop.number)).all()
    products = tuple(sorted(
        (ProductFigure(pid, name, ProductKind(kind), cycle, int(q), int(a))
         for pid, name, kind, cycle, q, a in by_product),
        key=lambda p: (p.kind is not ProductKind.AGENDA, p.cycle or 0, p.name.casefold())))
    cycles = tuple(CycleFigure(n, sum(p.quantity for p in products if p.cycle == n and p.kind is ProductKind.AGENDA),
                               sum(p.amount_cents for p in products if p.cycle == n and p.kind is ProductKind.AGENDA))
                   for n in AGENDA_CYCLES)
    coops = tuple(CoopFigure(cid, number, name, n, int(ag), int(bk), int(a), int(p))
                  for cid, number, name, n, ag, bk, a, p in by_coop)
    return YearFigures(school_year, orders, int(total), int(paid), products, cycles, coops)


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
