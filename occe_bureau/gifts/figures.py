"""The figures of the gifts over a period, as the Bilan (the annual report) quotes them.

- the gifts received in the period (not withdrawn): how many, how much, per source and per
  month, and how many still wait for their receipt;
- the receipts issued in the period: the valid ones (how many, how much) and the cancelled ones;
- the two figures of the yearly declaration (article 222 bis), as `declaration` counts them.

Grouped queries only, whatever the number of gifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select

from occe_bureau.db import Database
from occe_bureau.formats import month_starts
from occe_bureau.gifts.declaration import declaration_totals
from occe_bureau.gifts.numbering import financial_year_label, financial_year_start
from occe_bureau.gifts.enums import GiftSource
from occe_bureau.gifts.models import Donation, TaxReceipt
from occe_bureau.validation import ValidationError


@dataclass(frozen=True)
class SourceFigure:
    source: GiftSource
    gifts: int
    amount_cents: int


@dataclass(frozen=True)
class MonthFigure:
    month: date  # its first day
    gifts: int
    amount_cents: int


@dataclass(frozen=True)
class GiftFigures:
    start: date
    end: date
    gifts: int                          # received in the period, not withdrawn
    amount_cents: int
    by_source: tuple[SourceFigure, ...]  # every source, in the enum's order, 0 when none
    receipts: int                       # receipts issued in the period, not cancelled
    receipts_cents: int
    cancelled: int                      # receipts issued in the period and cancelled since
    pending: int                        # gifts of the period still without a receipt
    per_month: tuple[MonthFigure, ...]   # every month of the period

    def source(self, source: GiftSource) -> SourceFigure:
        return next(f for f in self.by_source if f.source == source)


def period_figures(db: Database, start: date, end: date) -> GiftFigures:
    """The gifts received and the receipts issued from `start` to `end`, both included."""
    if end < start:
        raise ValidationError({"period": "Période : la date de fin est avant la date de début."})
    received = (Donation.received_on >= start, Donation.received_on <= end,
                Donation.withdrawn.is_(False))
    amount = func.coalesce(func.sum(Donation.amount_cents), 0)
    year, month = extract("year", Donation.received_on), extract("month", Donation.received_on)
    per_source = (select(Donation.source, func.count(Donation.id), amount,
                         func.count(Donation.id).filter(Donation.receipt_id.is_(None)))
                  .where(*received).group_by(Donation.source))
    per_month = select(year, month, func.count(Donation.id), amount).where(*received) \
        .group_by(year, month)
    valid = TaxReceipt.cancelled.is_(False)
    receipts = select(func.count(TaxReceipt.id).filter(valid),
                      func.coalesce(func.sum(TaxReceipt.amount_cents).filter(valid), 0),
                      func.count(TaxReceipt.id).filter(TaxReceipt.cancelled.is_(True))) \
        .where(TaxReceipt.issued_on >= start, TaxReceipt.issued_on <= end)
    with db.session() as session:
        sources = {GiftSource(source): (n, int(cents), waiting)
                   for source, n, cents, waiting in session.execute(per_source)}
        months = {(int(y), int(m)): (n, int(cents)) for y, m, n, cents in session.execute(per_month)}
        n_receipts, receipts_cents, cancelled = session.execute(receipts).one()
    by_source = tuple(SourceFigure(source, *sources.get(source, (0, 0, 0))[:2])
                      for source in GiftSource)
    return GiftFigures(
        start=start, end=end,
        gifts=sum(f.gifts for f in by_source), amount_cents=sum(f.amount_cents for f in by_source),
        by_source=by_source,
        receipts=n_receipts, receipts_cents=int(receipts_cents), cancelled=cancelled,
        pending=sum(waiting for _n, _cents, waiting in sources.values()),
        per_month=tuple(MonthFigure(day, *months.get((day.year, day.month), (0, 0)))
                        for day in month_starts(start, end)),
    )


@dataclass(frozen=True)
class DeclaredFigures:
    """The two figures of the yearly declaration (article 222 bis) of a financial year."""

    year: int
    label: str  # the financial year as the declaration names it
    count: int
    total_cents: int


def declared_figures(db: Database, year: int) -> DeclaredFigures:
    """The declaration's figures of financial year `year`, counted as `declaration` counts them."""
    count, total_cents = declaration_totals(db, year)
    return DeclaredFigures(year=year, label=financial_year_label(year, financial_year_start(db)),
                           count=count, total_cents=total_cents)
