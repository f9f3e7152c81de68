"""The lending desk: the inventory of material, loans and bookings, returns and reminders.

A loan (or a booking: a loan whose items have not left yet) lends one or several items to
one coop; each item of it is a `LoanLine` carrying its own span [start_date, end_date], so
that the overlap rule is one indexed query per item (see lending/loans.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel
from occe_bureau import clock
from occe_bureau.audit import Audited
from occe_bureau.db import MONEY
from occe_bureau.versions import Versioned
from occe_bureau.lending.states import ItemState, LineStatus, LoanStatus, in_check


def _now() -> datetime:
    return clock.now()


class ItemCategory(Audited, Versioned, table=True):
    """A kind of material, as the annual report counts it ("Matériel de prise de vue et de son")."""

    __tablename__ = "item_category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    position: int = 0
    archived: bool = False


class Item(Audited, Versioned, table=True):
    __tablename__ = "item"
    __table_args__ = (
        CheckConstraint("replacement_value_cents >= 0", name="ck_item_value"),
        CheckConstraint("default_loan_days >= 1 AND default_loan_days <= 365", name="ck_item_days"),
        CheckConstraint(in_check("state", ItemState), name="ck_item_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=150)
    category_id: int = Field(foreign_key="item_category.id", index=True)
    description: str = Field(default="", max_length=2000)
    # One accessory per line: "caméra\ntrépied\n2 batteries\nchargeur\ncarte SD".
    accessories: str = Field(default="", max_length=2000)
    replacement_value_cents: int = Field(default=0, sa_type=MONEY)
    default_loan_days: int = 14
    state: str = Field(default=ItemState.AVAILABLE.value, max_length=20)
    notes: str = Field(default="", max_length=4000)
    search_key: str = Field(default="", max_length=600)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class Loan(Audited, Versioned, table=True):
    """One slip: items lent (or booked) to one coop from start_date to due_date."""

    __tablename__ = "loan"
    __table_args__ = (
        CheckConstraint("due_date >= start_date", name="ck_loan_dates"),
        CheckConstraint("slip_number > 0", name="ck_loan_slip_number"),
        CheckConstraint(in_check("status", LoanStatus), name="ck_loan_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Unique and never reused: loans are never deleted (a booking is cancelled, and kept).
    slip_number: int = Field(unique=True, index=True)
    coop_id: int = Field(foreign_key="coop.id", index=True)
    borrower: str = Field(default="", max_length=150)
    start_date: date
    due_date: date = Field(index=True)
    handed_over_by: str = Field(default="", max_length=150)
    notes: str = Field(default="", max_length=4000)
    status: str = Field(default=LoanStatus.BOOKED.value, max_length=20, index=True)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class LoanLine(Audited, SQLModel, table=True):
    """One item of a loan. Its span [start_date, end_date] is what the overlap rule compares:
    end_date is the due date while the item is booked or out, the return date once back."""

    __tablename__ = "loan_line"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="ck_loan_line_dates"),
        CheckConstraint(in_check("status", LineStatus), name="ck_loan_line_status"),
        UniqueConstraint("loan_id", "item_id", name="uq_loan_line_item"),
        Index("ix_loan_line_item_span", "item_id", "start_date", "end_date"),
        Index("ix_loan_line_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    item_id: int = Field(foreign_key="item.id")
    status: str = Field(default=LineStatus.BOOKED.value, max_length=20)
    start_date: date
    end_date: date = Field(index=True)
    returned_on: date | None = None
    condition: str = Field(default="", max_length=200)
    missing_accessories: str = Field(default="", max_length=1000)
    return_notes: str = Field(default="", max_length=2000)
    # Set when the item went straight from this loan to the next school's.
    transferred_to_loan_id: int | None = Field(default=None, foreign_key="loan.id")


class LoanReminder(Audited, SQLModel, table=True):
    """A reminder letter sent for an overdue loan, with its date."""

    __tablename__ = "loan_reminder"

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    sent_on: date
    created_at: datetime = Field(default_factory=_now)
