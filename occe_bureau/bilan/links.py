"""Where a figure of the Bilan leads: the list behind it, in its own tab, already filtered.

A `ListLink` is plain data (no Qt): the Bilan puts one on each figure it can explain, and the
main window hands it to the tab of `link.domain`, whose `open_list` shows that list with these
filters (a tab applies every filter it has and shows the rest in its status line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ListView(StrEnum):
    """The lists a figure can open, and the tab (domain) each lives in."""

    COOPS = "coops"                    # Coopératives: the register of a school year
    DAYS_OUT = "days_out"              # Prêts ▸ Jours de sortie, over the period
    LOANS = "loans"                    # Prêts ▸ Prêts touching the period
    DONATIONS = "donations"            # Dons et reçus: gifts received in the period
    RECEIPTS = "receipts"              # Dons et reçus: receipts issued in the period
    ORDERS = "orders"                  # Ventes ▸ Commandes of the school year
    SALES_FIGURES = "sales_figures"    # Ventes ▸ Chiffres de l'année
    TRAININGS = "trainings"            # Formations: the trainings of the school year
    TRAINING_FIGURES = "training_figures"  # Formations ▸ chiffres de l'année

    @property
    def domain(self) -> str:
        """The tab's domain (the values of ui.shell.changes.Domain)."""
        return {
            "coops": "coops", "days_out": "lending", "loans": "lending", "donations": "gifts",
            "receipts": "gifts", "orders": "sales", "sales_figures": "sales",
            "trainings": "trainings", "training_figures": "trainings",
        }[self.value]


@dataclass(frozen=True)
class ListLink:
    view: ListView
    start: date                          # the period shown by the Bilan
    end: date
    school_year: int                     # the school year of the period (its start year)
    coop_kind: str | None = None         # a CoopKind value
    missing_documents: bool = False      # coops with a CRA, a CRF or the cotisation missing
    controlled: bool = False             # coops controlled in the year
    category_id: int | None = None       # a lending category
    item_id: int | None = None           # a lending item
    source: str | None = None            # a GiftSource value
    product_id: int | None = None        # a sales product
    training_id: int | None = None
    theme_id: int | None = None

    @property
    def domain(self) -> str:
        return self.view.domain
