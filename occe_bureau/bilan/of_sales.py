"""The sales section: agendas per cycle and books, as the report writes them ("370 agendas cycle 2
vendus", "1 936 livres vendus"), per product, orders and what is still due."""

from __future__ import annotations

from functools import partial

from occe_bureau import sales
from occe_bureau.bilan.links import ListView
from occe_bureau.bilan.papers import (
    Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit, list_link,
)
from occe_bureau.db import Database
from occe_bureau.formats import counted, school_year_label
from occe_bureau.sales import ProductKind


def figures_of(db: Database, period: Period):
    """A school year's figures are its orders' (an order belongs to the school year it is for);
    another period's, the orders placed in it."""
    if period.is_school_year:
        return sales.year_figures(db, period.start_year)
    return sales.period_figures(db, period.start, period.end)


def sales_section(db: Database, period: Period, previous: Period) -> Section:
    now, before = figures_of(db, period), figures_of(db, previous)

    link = partial(list_link, period=period)

    figures = [
        ReportFigure("Commandes", now.orders, before.orders, link=link(ListView.ORDERS)),
        ReportFigure("Montant des ventes", now.amount_cents, before.amount_cents, Unit.CENTS,
                     link=link(ListView.ORDERS)),
        ReportFigure("Encaissé", now.paid_cents, before.paid_cents, Unit.CENTS,
                     link=link(ListView.ORDERS)),
        ReportFigure("Reste dû", now.unpaid_cents, before.unpaid_cents, Unit.CENTS,
                     link=link(ListView.ORDERS)),
    ]
    figures += [ReportFigure(f"Agendas cycle {c.cycle}", c.quantity, before.cycle(c.cycle).quantity,
                             link=link(ListView.SALES_FIGURES)) for c in now.cycles]
    books, books_before = now.quantity_of(ProductKind.BOOK), before.quantity_of(ProductKind.BOOK)
    figures.append(ReportFigure("Livres", books, books_before, link=link(ListView.SALES_FIGURES)))
    # the agendas are counted per cycle above (each year has its own edition); the other
    # products beside the previous year's of the same name
    sold_before = {p.name: p.quantity for p in before.products}
    figures += [ReportFigure(p.name, p.quantity, sold_before.get(p.name, 0), level=1,
                             link=link(ListView.SALES_FIGURES, product_id=p.product_id))
                for p in now.products if p.kind is not ProductKind.AGENDA]

    lines = ["Les agendas coops (" + ", ".join(c.text for c in now.cycles) + ")."]
    if books or books_before:
        lines.append(f"{counted(books, 'livre vendu', 'livres vendus')}.")
    others = [p for p in now.products if p.kind not in (ProductKind.AGENDA, ProductKind.BOOK)]
    if others:
        lines.append("Autres ventes : " + ", ".join(f"{p.name} ({p.quantity})" for p in others) + ".")
    lines.append(f"{counted(now.orders, 'commande', 'commandes')} pour {Unit.CENTS.text(now.amount_cents)}, "
                 f"dont {Unit.CENTS.text(now.unpaid_cents)} restant dus.")
    chart = Chart("agendas_per_cycle", "Agendas vendus par cycle", ChartKind.BARS,
                  tuple(f"Cycle {c.cycle}" for c in now.cycles), tuple(c.quantity for c in now.cycles),
                  tuple(before.cycle(c.cycle).quantity for c in now.cycles),
                  series=(period.short_label, previous.short_label))
    note = ("" if period.is_school_year else
            "Ventes comptées à la date de la commande (pour une année scolaire : les commandes de "
            f"l'année, par exemple {school_year_label(period.start_year)}).")
    return Section(SectionKey.SALES, tuple(lines), tuple(figures), (chart,), note)
