"""Donors, donations and the tax receipts (reçus fiscaux) issued for them.

A receipt, once issued, is frozen: everything it prints (donor, address, amount, words,
texts, beneficiary, signatory, signature and logo) is stored on its own row and lines, so that a reprint is
identical years later even if the donor moved or the association changed its president.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from occe_bureau import clock
from occe_bureau.audit import Audited
from occe_bureau.db import MONEY
from occe_bureau.versions import Versioned
from occe_bureau.gifts.enums import (
    DonorKind, GiftForm, GiftNature, GiftSource, PaymentMethod, ReceiptKind,
)


def _now() -> datetime:
    return clock.now()


def one_of(column: str, codes: type[StrEnum], name: str) -> CheckConstraint:
    """CHECK (column IN ('a', 'b', …)) over the enum's codes, in their order."""
    listed = ", ".join(f"'{code.value}'" for code in codes)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Donor(Audited, Versioned, table=True):
    __tablename__ = "donor"
    __table_args__ = (
        one_of("kind", DonorKind, "ck_donor_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default=DonorKind.PERSON, max_length=10)
    # person: last_name + first_names; company: company_name (+ siren, legal_form)
    last_name: str = Field(default="", max_length=100)
    first_names: str = Field(default="", max_length=150)
    company_name: str = Field(default="", max_length=200)
    siren: str = Field(default="", max_length=14)
    legal_form: str = Field(default="", max_length=60)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=12)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=60)
    email: str = Field(default="", max_length=200)
    # folded "name first names" (or company name): finds the donor again when they give again
    name_key: str = Field(default="", max_length=400, index=True)
    search_key: str = Field(default="", max_length=800)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    # Erased on request (RGPD): the details blanked, this day kept as the marker.
    erased_on: date | None = None


class Donation(Audited, Versioned, table=True):
    __tablename__ = "donation"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="ck_donation_amount"),
        one_of("method", PaymentMethod, "ck_donation_method"),
        one_of("form", GiftForm, "ck_donation_form"),
        one_of("nature", GiftNature, "ck_donation_nature"),
        one_of("source", GiftSource, "ck_donation_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    donor_id: int = Field(foreign_key="donor.id", index=True)
    coop_id: int = Field(foreign_key="coop.id", index=True)
    project: str = Field(default="", max_length=200)
    amount_cents: int = Field(sa_type=MONEY)
    received_on: date = Field(index=True)
    method: str = Field(default=PaymentMethod.CHEQUE, max_length=10)
    cheque_number: str = Field(default="", max_length=30)
    form: str = Field(default=GiftForm.MANUEL, max_length=12)
    nature: str = Field(default=GiftNature.NUMERAIRE, max_length=10)
    source: str = Field(default=GiftSource.COOP, max_length=10)
    notes: str = Field(default="", max_length=2000)
    # A gift in kind (nature "autre"): the goods given and how they were valued.
    kind_description: str = Field(default="", max_length=1000)
    kind_valuation: str = Field(default="", max_length=500)
    # The user confirmed that this is a gift although it looked like a payment for a service.
    service_confirmed: bool = False
    # A donation entered by mistake is withdrawn, never deleted.
    withdrawn: bool = Field(default=False)
    withdrawn_reason: str = Field(default="", max_length=300)
    # The receipt currently covering this donation (None: receipt pending).
    receipt_id: int | None = Field(default=None, foreign_key="tax_receipt.id", index=True)
    created_at: datetime = Field(default_factory=_now)


class ReceiptCounter(SQLModel, table=True):
    """The last number used in each numbering year; updated in the issuing transaction."""

    __tablename__ = "receipt_counter"
    __table_args__ = (CheckConstraint("last_seq >= 0", name="ck_receipt_counter_seq"),)

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0


class ReceiptChain(SQLModel, table=True):
    """The register of the receipt chain (one row, id 1): how many receipts are chained, and
    the last one's id and hash (gifts/chain.py)."""

    __tablename__ = "receipt_chain"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    receipts: int = 0
    last_id: int | None = None
    last_hash: str = Field(default="0" * 64, max_length=64)


class ReceiptImage(SQLModel, table=True):
    """A signature image as printed on receipts, stored once per distinct image."""

    __tablename__ = "receipt_image"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class TaxReceipt(Audited, SQLModel, table=True):
    __tablename__ = "tax_receipt"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_tax_receipt_year_seq"),
        CheckConstraint("seq > 0", name="ck_tax_receipt_seq"),
        CheckConstraint("amount_cents > 0", name="ck_tax_receipt_amount"),
        one_of("kind", ReceiptKind, "ck_tax_receipt_kind"),
        one_of("donor_kind", DonorKind, "ck_tax_receipt_donor_kind"),
        CheckConstraint("(NOT cancelled) OR (cancelled_on IS NOT NULL AND cancel_reason <> '')",
                        name="ck_tax_receipt_cancel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int = Field(index=True)
    seq: int
    kind: str = Field(default=ReceiptKind.SINGLE, max_length=10)
    issued_on: date = Field(index=True)
    issued_at: datetime = Field(default_factory=_now)
    donor_id: int = Field(foreign_key="donor.id", index=True)
    coop_id: int = Field(foreign_key="coop.id", index=True)
    # ---- frozen content: exactly what the receipt prints ----
    donor_kind: str = Field(max_length=10)
    donor_name: str = Field(max_length=200)          # surname, or company name
    donor_first_names: str = Field(default="", max_length=150)
    donor_siren: str = Field(default="", max_length=14)
    donor_legal_form: str = Field(default="", max_length=60)
    donor_address: str = Field(default="", max_length=600)  # lines separated by "\n"
    donor_email: str = Field(default="", max_length=200)
    amount_cents: int = Field(sa_type=MONEY)
    amount_words: str = Field(max_length=400)
    gift_date: date | None = None                    # single receipt
    period_start: date | None = None                 # yearly summary receipt
    period_end: date | None = None
    form: str = Field(max_length=12)
    nature: str = Field(max_length=10)
    methods: str = Field(max_length=40)              # comma-separated method codes
    kind_description: str = Field(default="", max_length=1000)  # a gift in kind: the goods…
    kind_valuation: str = Field(default="", max_length=500)     # …and how they were valued
    coop_label: str = Field(default="", max_length=300)
    project: str = Field(default="", max_length=200)
    beneficiary_name: str = Field(max_length=200)
    beneficiary_address: str = Field(default="", max_length=600)
    beneficiary_siren_rna: str = Field(default="", max_length=20)
    beneficiary_object: str = Field(default="", max_length=1000)
    beneficiary_type: str = Field(default="", max_length=300)
    articles: str = Field(default="200", max_length=40)  # CGI articles ticked: "200", "238 bis"…
    statement: str = Field(default="", max_length=2000)  # the association's printed note
    signatory_name: str = Field(default="", max_length=200)
    signatory_title: str = Field(default="", max_length=100)
    signature_id: int | None = Field(default=None, foreign_key="receipt_image.id")
    logo_id: int | None = Field(default=None, foreign_key="receipt_image.id")  # as printed at issue
    signed_place: str = Field(default="", max_length=100)
    # ---- life after issue ----
    printed_at: datetime | None = None               # first print; later prints are duplicates
    cancelled: bool = Field(default=False, index=True)
    cancelled_on: date | None = None
    cancel_reason: str = Field(default="", max_length=300)
    replaces_id: int | None = Field(default=None, foreign_key="tax_receipt.id", index=True)
    search_key: str = Field(default="", max_length=800)
    # ---- the chain (gifts/chain.py): the previous receipt's hash, and this one's ----
    chain_prev: str | None = Field(default=None, max_length=64)
    chain_hash: str | None = Field(default=None, max_length=64)
    # Personal data (RGPD): its donor erased, the receipt is kept for the law but withheld
    # from lists and searches; past its keeping time, the donor's identity is blanked.
    withheld_on: date | None = None
    anonymised_on: date | None = None


class ReceiptLine(SQLModel, table=True):
    """One gift on a receipt, frozen (a single receipt has one line, a summary several)."""

    __tablename__ = "receipt_line"
    __table_args__ = (
        UniqueConstraint("receipt_id", "donation_id", name="uq_receipt_line"),
        CheckConstraint("amount_cents > 0", name="ck_receipt_line_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="tax_receipt.id", index=True)
    donation_id: int = Field(foreign_key="donation.id", index=True)
    received_on: date
    amount_cents: int = Field(sa_type=MONEY)
    method: str = Field(max_length=10)
    cheque_number: str = Field(default="", max_length=30)
