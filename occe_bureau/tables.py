"""Every domain's tables in one metadata, for Alembic's autogenerate and the schema checks.

Each domain owns its tables in its own `models.py`, imported where the domain is used, so
that start-up loads only the tables of the screen it shows.
"""

from __future__ import annotations

import importlib

DOMAIN_TABLES = (
    "occe_bureau.audit",
    "occe_bureau.association.models",
    "occe_bureau.coops.models",
    "occe_bureau.lending.models",
    "occe_bureau.gifts.models",
    "occe_bureau.sales.models",
    "occe_bureau.trainings.models",
    "occe_bureau.bilan.models",
)


def load_all() -> None:
    """Import every domain's tables into SQLModel's metadata."""
    for module in DOMAIN_TABLES:
        importlib.import_module(module)
