"""SQLModel tables, one module per domain.

Each module is imported where it is used, so that start-up loads only the tables of the
screen it shows; `load_all()` registers every table (Alembic's autogenerate, checks).
Names can still be taken from the package: `from occe_bureau.models import Coop`.
"""

from __future__ import annotations

import importlib

DOMAIN_MODULES = ("association", "coops", "loans", "donations")

_WHERE = {
    "AppSetting": "association", "Association": "association",
    "Coop": "coops", "CoopKind": "coops", "CoopYear": "coops",
    "Donation": "donations", "Donor": "donations", "ReceiptCounter": "donations",
    "ReceiptImage": "donations", "ReceiptLine": "donations", "TaxReceipt": "donations",
    "Item": "loans", "ItemCategory": "loans", "Loan": "loans", "LoanLine": "loans",
    "LoanReminder": "loans",
}

__all__ = sorted(_WHERE)


def load_all() -> None:
    """Import every domain's tables into SQLModel's metadata."""
    for name in DOMAIN_MODULES:
        importlib.import_module(f"occe_bureau.models.{name}")


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'occe_bureau.models' has no attribute {name!r}")
    return getattr(importlib.import_module(f"occe_bureau.models.{module}"), name)
