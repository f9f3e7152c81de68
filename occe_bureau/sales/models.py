"""The sales tables: the catalogue, stock movements, payers, orders with their lines and
payments, invoices and credit notes (frozen once issued) and their numbering counters.

The records a form edits (a product, a payer, an order) are `Versioned`
(occe_bureau/versions.py): a save over a change it did not see is refused.

Stock is never stored: it is the sum of a product's movements. An order's total and paid
amounts and its state are written by one function each (orders.settle), from its lines, its
payments and its delivery, so that the list filters and sorts on them in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from occe_bureau.audit import Audited
from sqlmodel import Field, SQLModel

from occe_bureau import clock
from occe_bureau.db import MONEY
from occe_bureau.versions import Versioned
from occe_bureau.sales.enums import (
    InvoiceKind, MovementReason, OrderState, PayerKind, PaymentMethod, ProductKind,
)


def _now() -> datetime:
    return clock.now()


def one_of(column: str, codes: type[StrEnum], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{code.value}'" for code in codes)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Product(Audited, Versioned, table=True):
    __tablename__ = "sale_product"
    __table_args__ = (
        one_of("kind", ProductKind, "ck_sale_product_kind"),
        CheckConstraint("unit_price_cents > 0", name="ck_sale_product_price"),
        CheckConstraint("low_stock >= 0", name="ck_sale_product_low_stock"),
        CheckConstraint("(kind <> 'agenda') OR (cycle IN (1, 2, 3) AND edition_year IS NOT NULL)",
                        name="ck_sale_product_agenda"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=ProductKind.BOOK, max_length=10)
    cycle: int | None = None            # an agenda: 1, 2 or 3
    edition_year: int | None = None     # an agenda: the school year of its edition (start year)
    unit_price_cents: int = Field(sa_type=MONEY)
    active: bool = Field(default=True, index=True)
    low_stock: int = 0                  # the list warns at or below this stock
    created_at: datetime = Field(default_factory=_now)


class StockMovement(Audited, SQLModel, table=True):
    """Goods in (+) or out (−), dated, with their reason; stock is the sum of these."""

    __tablename__ = "sale_stock_movement"
    __table_args__ = (
        one_of("reason", MovementReason, "ck_sale_stock_movement_reason"),
        CheckConstraint("quantity <> 0", name="ck_sale_stock_movement_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="sale_product.id", index=True)
    moved_on: date = Field(index=True)
    quantity: int
    reason: str = Field(max_length=12)
    note: str = Field(default="", max_length=300)
    order_id: int | None = Field(default=None, foreign_key="sale_order.id", index=True)
    created_at: datetime = Field(default_factory=_now)


class Payer(Audited, Versioned, table=True):
    """Who pays an order other than the coop itself: its town hall or another payer."""

    __tablename__ = "sale_payer"
    __table_args__ = (one_of("kind", PayerKind, "ck_sale_payer_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default=PayerKind.TOWN_HALL, max_length=10)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=5)
    city: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)
    siret: str = Field(default="", max_length=14)
    service_code: str = Field(default="", max_length=100)   # Chorus Pro "code service"
    archived: bool = Field(default=False)
    search_key: str = Field(default="", max_length=600)
    created_at: datetime = Field(default_factory=_now)


class SalesCounter(SQLModel, table=True):
    """The last number used in each series ("C" orders, "F" invoices, "AV" credit notes) and
    year; bumped inside the transaction that uses the number (occe_bureau.counters)."""

    __tablename__ = "sale_counter"
    __table_args__ = (CheckConstraint("last_seq >= 0", name="ck_sale_counter_seq"),)

    series: str = Field(primary_key=True, max_length=4)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0


class SaleOrder(Audited, Versioned, table=True):
    __tablename__ = "sale_order"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_sale_order_year_seq"),
        one_of("state", OrderState, "ck_sale_order_state"),
        one_of("payer_kind", PayerKind, "ck_sale_order_payer_kind"),
        CheckConstraint("total_cents >= 0 AND paid_cents >= 0", name="ck_sale_order_amounts"),
        CheckConstraint("(payer_kind = 'coop') OR (payer_id IS NOT NULL)", name="ck_sale_order_payer"),
        Index("ix_sale_order_year_state", "year", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int = Field(index=True)                  # school year of the order (start year)
    seq: int
    ordered_on: date = Field(index=True)
    coop_id: int = Field(foreign_key="coop.id", index=True)
    payer_kind: str = Field(default=PayerKind.COOP, max_length=10)
    payer_id: int | None = Field(default=None, foreign_key="sale_payer.id", index=True)
    commitment_number: str = Field(default="", max_length=50)   # "numéro d'engagement"
    notes: str = Field(default="", max_length=1000)
    # written by orders.settle only
    state: str = Field(default=OrderState.ORDERED, max_length=10)
    total_cents: int = Field(default=0, sa_type=MONEY)
    paid_cents: int = Field(default=0, sa_type=MONEY)
    delivered_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str = Field(default="", max_length=300)
    reminded_on: date | None = None
    reminders: int = 0
    created_at: datetime = Field(default_factory=_now)


class OrderLine(Audited, SQLModel, table=True):
    __tablename__ = "sale_order_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_sale_order_line_quantity"),
        CheckConstraint("unit_price_cents > 0", name="ck_sale_order_line_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    product_id: int = Field(foreign_key="sale_product.id", index=True)
    quantity: int
    unit_price_cents: int = Field(sa_type=MONEY)


class SalePayment(Audited, SQLModel, table=True):
    __tablename__ = "sale_payment"
    __table_args__ = (
        one_of("method", PaymentMethod, "ck_sale_payment_method"),
        CheckConstraint("amount_cents > 0", name="ck_sale_payment_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    paid_on: date
    amount_cents: int = Field(sa_type=MONEY)
    method: str = Field(max_length=10)
    reference: str = Field(default="", max_length=100)   # cheque number, transfer reference…
    created_at: datetime = Field(default_factory=_now)


class Invoice(Audited, SQLModel, table=True):
    """An invoice or a credit note, frozen at issue: everything it prints is stored here and
    in its lines (database triggers refuse to change it or delete it)."""

    __tablename__ = "sale_invoice"
    __table_args__ = (
        UniqueConstraint("kind", "year", "seq", name="uq_sale_invoice_series"),
        one_of("kind", InvoiceKind, "ck_sale_invoice_kind"),
        CheckConstraint("seq > 0", name="ck_sale_invoice_seq"),
        CheckConstraint("(NOT cancelled) OR (cancelled_on IS NOT NULL)", name="ck_sale_invoice_cancel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default=InvoiceKind.INVOICE, max_length=10)
    number: str = Field(max_length=20, unique=True)
    year: int = Field(index=True)          # calendar year of issue
    seq: int
    issued_on: date = Field(index=True)
    issued_at: datetime = Field(default_factory=_now)
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    credited_id: int | None = Field(default=None, foreign_key="sale_invoice.id", index=True)
    # ---- frozen content ----
    seller_name: str = Field(max_length=200)
    seller_address: str = Field(default="", max_length=300)
    seller_postal_code: str = Field(default="", max_length=10)
    seller_city: str = Field(default="", max_length=100)
    seller_siret: str = Field(default="", max_length=14)
    seller_rna: str = Field(default="", max_length=20)
    seller_email: str = Field(default="", max_length=200)
    buyer_name: str = Field(max_length=200)
    buyer_address: str = Field(default="", max_length=300)
    buyer_postal_code: str = Field(default="", max_length=10)
    buyer_city: str = Field(default="", max_length=100)
    buyer_siret: str = Field(default="", max_length=14)
    buyer_email: str = Field(default="", max_length=200)
    buyer_public: bool = False
    service_code: str = Field(default="", max_length=100)
    commitment_number: str = Field(default="", max_length=50)
    total_cents: int = Field(sa_type=MONEY)
    due_on: date
    vat_mention: str = Field(default="", max_length=300)
    payment_terms: str = Field(default="", max_length=500)
    late_penalty_text: str = Field(default="", max_length=1000)
    recovery_indemnity: bool = False
    bank_details: str = Field(default="", max_length=300)
    order_number: str = Field(max_length=20)
    delivered_to: str = Field(default="", max_length=300)
    credit_reason: str = Field(default="", max_length=300)   # a credit note: why
    # ---- life after issue ----
    cancelled: bool = Field(default=False, index=True)
    cancelled_on: date | None = None
    printed_at: datetime | None = None


class InvoiceLine(Audited, SQLModel, table=True):
    __tablename__ = "sale_invoice_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_sale_invoice_line_quantity"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="sale_invoice.id", index=True)
    position: int
    description: str = Field(max_length=300)
    quantity: int
    unit_price_cents: int = Field(sa_type=MONEY)
    total_cents: int = Field(sa_type=MONEY)
