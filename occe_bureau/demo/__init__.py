"""A believable département to try the application on, and (scaled) to benchmark it.

`build_demo(db, scale=1)` fills an empty database: the coops of a département shaped
like the OCCE 92 annual report, then each domain's demo data (see DOMAINS), all from a
fixed random seed so that the same call always builds the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from occe_bureau.db import Database
from occe_bureau.demo import coops as demo_coops
from occe_bureau.demo import loans as demo_loans
from occe_bureau.demo import donations as demo_donations
from occe_bureau import clock

# Each domain adds a `build(db, rng, scale, today)` function here, in dependency order.
DOMAINS: list[Callable[[Database, random.Random, int, date], None]] = [
    demo_coops.build,
    demo_loans.build,
    demo_donations.build,
]


def build_demo(db: Database, scale: int = 1, today: date | None = None, seed: int = 92) -> None:
    today = today or clock.today()
    rng = random.Random(seed)
    for build in DOMAINS:
        build(db, rng, scale, today)


def database_is_empty(db: Database) -> bool:
    from sqlalchemy import func, select

    from occe_bureau.coops.models import Coop

    with db.session() as session:
        return not session.scalar(select(func.count()).select_from(Coop))
