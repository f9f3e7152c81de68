"""The lending desk's vocabulary, shared by the inventory, the loans, the planning and the papers.

Vocabulary (French in the interface): an *item* (matériel, malle, mallette) is lent by a
*loan* (prêt) to one coop; a loan whose items have not left yet is a *booking* (réservation).
Each item of a loan is a *line* with its own span [start_date, end_date] (lending/spans.py
writes it). The states and statuses, with their French labels: lending/states.py.
"""

from __future__ import annotations

from occe_bureau.lending.models import Loan
from occe_bureau.validation import ValidationError
from occe_bureau.formats import counted


def slip_label(number: int) -> str:
    return f"{number:05d}"


def days_label(n: int) -> str:
    return counted(n, "jour", "jours")


def accessories_list(text: str | None) -> list[str]:
    """"caméra, trépied, 2 batteries" or one per line -> ["caméra", "trépied", "2 batteries"]."""
    text = (text or "").strip()
    if not text:
        return []
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip(" ") for p in parts if p.strip(" ")]


def coop_label(number: str, name: str) -> str:
    return f"{number} – {name}"


def load_loan(session, loan_id: int) -> Loan:
    loan = session.get(Loan, loan_id)
    if loan is None:
        raise ValidationError({"loan": "Ce prêt n'existe plus."})
    return loan
