"""A school year's figures of the register, as the Bilan (the annual report) quotes them.

Counted over the coops that have that year's figures (a CoopYear row), archived since or not:
how many of each kind, classes and members, the cotisations, the CRA and CRF, the controls.
Two grouped queries, whatever the number of coops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from occe_bureau import clock
from occe_bureau.coops.models import Coop, CoopKind, CoopYear
from occe_bureau.coops.register import documents_due_on
from occe_bureau.db import Database
from occe_bureau.formats import school_year_label


@dataclass(frozen=True)
class CountedText:
    """A text and how many times it was given (a control reason and its coops)."""

    text: str
    count: int


@dataclass(frozen=True)
class CoopYearFigures:
    school_year: int
    coops: int                      # coops with that year's figures, archived since or not
    by_kind: dict[CoopKind, int]    # every kind, in the enum's order, 0 when none
    first_degree: int
    second_degree: int
    classes: int
    pupils: int
    adults: int
    cotisations_due_cents: int
    cotisations_paid_cents: int
    cotisations_paid: int           # coops paid in full (something due, and paid at least that)
    cotisations_unpaid: int         # the others
    documents_due: bool             # whether the CRA and CRF are due by today
    cra_received: int
    crf_received: int
    cra_missing: int
    crf_missing: int
    controls: int                   # coops with a control date or a control reason that year
    control_reasons: tuple[CountedText, ...]  # most given first, then by text

    @property
    def members(self) -> int:
        return self.pupils + self.adults

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def year_figures(db: Database, school_year: int, today: date | None = None) -> CoopYearFigures:
    """The figures of school year `school_year` (its start year) on `today` (clock.today())."""
    today = today or clock.today()
    paid_in_full = and_(CoopYear.cotisation_due_cents > 0,
                        CoopYear.cotisation_paid_cents >= CoopYear.cotisation_due_cents)
    of_year = CoopYear.year == school_year
    by_kind_query = (
        select(
            Coop.kind,
            func.count(CoopYear.id),
            func.coalesce(func.sum(CoopYear.classes), 0),
            func.coalesce(func.sum(CoopYear.pupils), 0),
            func.coalesce(func.sum(CoopYear.adults), 0),
            func.coalesce(func.sum(CoopYear.cotisation_due_cents), 0),
            func.coalesce(func.sum(CoopYear.cotisation_paid_cents), 0),
            _count(paid_in_full),
            _count(CoopYear.cra_received_on.is_not(None)),
            _count(CoopYear.crf_received_on.is_not(None)),
            _count(or_(CoopYear.control_on.is_not(None), CoopYear.control_reason != "")),
        )
        .join(Coop, Coop.id == CoopYear.coop_id)
        .where(of_year)
        .group_by(Coop.kind)
    )
    reasons_query = (
        select(CoopYear.control_reason, func.count(CoopYear.id))
        .where(of_year, CoopYear.control_reason != "")
        .group_by(CoopYear.control_reason)
    )
    by_kind = {kind: 0 for kind in CoopKind}
    sums = [0] * 9
    with db.session() as session:
        for kind, count, *values in session.execute(by_kind_query):
            by_kind[CoopKind(kind)] = count
            sums = [a + int(b) for a, b in zip(sums, values)]
        reasons = sorted((CountedText(text, count) for text, count in session.execute(reasons_query)),
                         key=lambda r: (-r.count, r.text))
    classes, pupils, adults, due_cents, paid_cents, paid, cra, crf, controls = sums
    coops = sum(by_kind.values())
    due = today > documents_due_on(school_year)
    first = sum(n for kind, n in by_kind.items() if kind.degree == 1)
    return CoopYearFigures(
        school_year=school_year, coops=coops, by_kind=by_kind,
        first_degree=first, second_degree=coops - first,
        classes=classes, pupils=pupils, adults=adults,
        cotisations_due_cents=due_cents, cotisations_paid_cents=paid_cents,
        cotisations_paid=paid, cotisations_unpaid=coops - paid,
        documents_due=due, cra_received=cra, crf_received=crf,
        cra_missing=coops - cra, crf_missing=coops - crf,
        controls=controls, control_reasons=tuple(reasons),
    )
