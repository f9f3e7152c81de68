"""A believable département to try the application on, and (scaled) to benchmark it.

`build_demo(db, scale=1)` fills an empty database: the coops of a département shaped
like the OCCE 92 annual report, then each domain's demo data (see DOMAINS), all from a
fixed random seed so that the same call always builds the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date

from occe_bureau.db import Database
from occe_bureau.demo import coops as demo_coops
from occe_bureau.demo import loans as demo_loans
from occe_bureau.demo import donations as demo_donations
from occe_bureau.demo import sales as demo_sales
from occe_bureau.demo import trainings as demo_trainings
from occe_bureau import clock

# Each domain adds its `build(db, rng, scale, today)` function here, in dependency order,
# with what the secretary reads while it is being built.
DOMAINS: list[tuple[str, Callable[[Database, random.Random, int, date], None]]] = [
    ("Les coopératives et leurs années scolaires…", demo_coops.build),
    ("Le matériel et les prêts…", demo_loans.build),
    ("Les dons et les reçus fiscaux…", demo_donations.build),
    ("Les ventes d'agendas et de livres, leurs factures…", demo_sales.build),
    ("Les formations et leurs inscriptions…", demo_trainings.build),
]


def demo_steps(db: Database, scale: int = 1, today: date | None = None,
               seed: int = 92) -> Iterator[tuple[int, int, str]]:
    """Build the demo one domain at a time, telling before each which one comes
    (done, total, text), so that a progress bar can follow."""
    today = today or clock.today()
    rng = random.Random(seed)
    for done, (text, build) in enumerate(DOMAINS):
        yield done, len(DOMAINS), text
        build(db, rng, scale, today)
    yield len(DOMAINS), len(DOMAINS), "Terminé."


def build_demo(db: Database, scale: int = 1, today: date | None = None, seed: int = 92) -> None:
    for _step in demo_steps(db, scale, today, seed):
        pass


def database_is_empty(db: Database) -> bool:
    from sqlalchemy import func, select

    from occe_bureau.coops.models import Coop

    with db.session() as session:
        return not session.scalar(select(func.count()).select_from(Coop))
