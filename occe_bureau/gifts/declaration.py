"""Tax receipts: the yearly declaration (article 222 bis CGI) and the totals of a financial
year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from occe_bureau.db import Database
from occe_bureau.gifts.enums import DonorKind
from occe_bureau.gifts.models import Donation, TaxReceipt
from occe_bureau.gifts.numbering import (
    financial_year_bounds, financial_year_label, financial_year_of, financial_year_start,
)
from occe_bureau.association import get_association
from occe_bureau import clock


# ---- the yearly declaration (article 222 bis CGI) --------------------------------------------

def declaration(db: Database, year: int):
    """Number and total of the receipts issued in financial year `year`, cancelled excluded,
    with the list behind them: the Declaration that declaration_pdf and declaration_xlsx lay
    out."""
    from occe_bureau.gifts.declaration_pdf import Declaration, DeclaredReceipt

    start_dm = financial_year_start(db)
    start, end = financial_year_bounds(year, start_dm)
    # One lean query (no ORM, only the printed columns, ISO dates parsed in C): a year can
    # hold fifteen thousand receipts and the declaration must come at once.
    columns = ("number, issued_on, "
               f"CASE WHEN donor_kind = '{DonorKind.COMPANY}' OR donor_first_names = '' THEN donor_name "
               "ELSE donor_name || ' ' || donor_first_names END, "
               "coop_label, amount_cents, gift_date, period_start, period_end, methods, cancelled, "
               "cancelled_on, cancel_reason")
    # A receipt's number series is the financial year it was issued in (numbering),
    # so "issued in year N" is "numbered in series N": read in number order on the unique
    # (year, seq) index, with no sort.
    where = "FROM tax_receipt WHERE year = {y} ORDER BY seq"
    valid: list[DeclaredReceipt] = []
    cancelled: list[DeclaredReceipt] = []
    with db.engine.connect() as conn:
        if db.is_sqlite:
            # The bare driver: no row objects in between (a year can hold fifteen thousand
            # receipts, and SQLite gives dates as ISO text, parsed here in C).
            iso = date.fromisoformat
            rows = conn.connection.driver_connection.execute(
                f"SELECT {columns} {where.format(y='?')}", (year,)).fetchall()
        else:
            iso = lambda value: value  # noqa: E731 (a server gives dates)
            rows = conn.execute(text(f"SELECT {columns} {where.format(y=':year')}"),
                                {"year": year}).fetchall()
        for (number, issued, donor, coop, cents, gift, p_start, p_end, methods, is_cancelled,
             c_on, reason) in rows:
            row = DeclaredReceipt(
                number, iso(issued), donor, coop, cents, iso(gift) if gift else None,
                iso(p_start) if p_start else None, iso(p_end) if p_end else None, methods,
                iso(c_on) if c_on else None, reason)
            (cancelled if is_cancelled else valid).append(row)
    a = get_association(db)
    return Declaration(year=year, label=financial_year_label(year, start_dm), start=start, end=end,
                       count=len(valid), total_cents=sum(r.amount_cents for r in valid),
                       rows=valid, cancelled=cancelled, association=a.name, siren_rna=a.siren_rna)


def declaration_document(db: Database, year: int) -> tuple:
    """(the Declaration of financial year `year`, its PDF)."""
    from occe_bureau.association import letterhead
    from occe_bureau.gifts.declaration_pdf import declaration_pdf

    decl = declaration(db, year)
    return decl, declaration_pdf(decl, letterhead(db))


def export_declaration(db: Database, year: int, path: str | Path):
    """The declaration of financial year `year` written to a workbook at `path`; returned."""
    from occe_bureau.gifts.declaration_xlsx import declaration_xlsx

    decl = declaration(db, year)
    declaration_xlsx(decl, path)
    return decl


def current_financial_year(db: Database, today: date | None = None) -> int:
    return financial_year_of(today or clock.today(), financial_year_start(db))


# ---- per coop and per year -------------------------------------------------------------------

@dataclass(slots=True)
class YearTotals:
    gifts: int
    gifts_cents: int
    receipts: int
    receipts_cents: int
    cancelled: int
    pending: int


def year_totals(db: Database, year: int, coop_id: int | None = None) -> YearTotals:
    """Gifts received and receipts issued in financial year `year` (optionally for one coop)."""
    start, end = financial_year_bounds(year, financial_year_start(db))
    g = select(func.count(Donation.id), func.coalesce(func.sum(Donation.amount_cents), 0),
               func.count(Donation.id).filter(Donation.receipt_id.is_(None))) \
        .where(Donation.received_on >= start, Donation.received_on <= end, Donation.withdrawn.is_(False))
    r = select(func.count(TaxReceipt.id).filter(TaxReceipt.cancelled.is_(False)),
               func.coalesce(func.sum(TaxReceipt.amount_cents).filter(TaxReceipt.cancelled.is_(False)), 0),
               func.count(TaxReceipt.id).filter(TaxReceipt.cancelled.is_(True))) \
        .where(TaxReceipt.issued_on >= start, TaxReceipt.issued_on <= end)
    if coop_id:
        g = g.where(Donation.coop_id == coop_id)
        r = r.where(TaxReceipt.coop_id == coop_id)
    with db.session() as session:
        gifts, gifts_cents, pending = session.execute(g).one()
        receipts, receipts_cents, cancelled = session.execute(r).one()
    return YearTotals(gifts, gifts_cents, receipts, receipts_cents, cancelled, pending)
