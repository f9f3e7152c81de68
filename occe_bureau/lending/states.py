"""The states of an item and the statuses of a loan and of its lines, with their French labels.

StrEnum members equal the strings stored in the database ("out" == LineStatus.OUT), so the
data needs no migration; the CHECK constraints of lending/models.py are built from them.
"""

from __future__ import annotations

from enum import StrEnum


class ItemState(StrEnum):
    AVAILABLE = "available"
    MAINTENANCE = "maintenance"
    LOST = "lost"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return _ITEM_STATE_LABELS[self]


class LoanStatus(StrEnum):
    BOOKED = "booked"
    OUT = "out"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LOAN_STATUS_LABELS[self]


class LineStatus(StrEnum):
    BOOKED = "booked"
    OUT = "out"
    RETURNED = "returned"
    LOST = "lost"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LINE_STATUS_LABELS[self]

    @property
    def ended(self) -> bool:
        """The item came back, was lost or was handed on: its span ends on that day."""
        return self in (LineStatus.RETURNED, LineStatus.LOST)


_ITEM_STATE_LABELS = {ItemState.AVAILABLE: "Disponible", ItemState.MAINTENANCE: "En maintenance",
                      ItemState.LOST: "Perdu", ItemState.RETIRED: "Retiré"}
_LOAN_STATUS_LABELS = {LoanStatus.BOOKED: "Réservation", LoanStatus.OUT: "En prêt",
                       LoanStatus.CLOSED: "Rendu", LoanStatus.CANCELLED: "Annulé"}
_LINE_STATUS_LABELS = {LineStatus.BOOKED: "Réservé", LineStatus.OUT: "Sorti",
                       LineStatus.RETURNED: "Rendu", LineStatus.LOST: "Perdu",
                       LineStatus.CANCELLED: "Annulé"}


def in_check(column: str, enum: type[StrEnum]) -> str:
    """The SQL of a CHECK constraint allowing the enum's values: "state IN ('a', 'b')"."""
    return f"{column} IN ({', '.join(repr(str(member.value)) for member in enum)})"
