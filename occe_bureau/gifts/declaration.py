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
#
# Article 222 bis asks for two figures of the financial year, counted differently:
# - the NUMBER of receipts issued during the year: a receipt issued in the year counts unless
#   it was cancelled before the year closed (a correction made after the close leaves the
#   closed year as it was; the replacement counts in the year it is issued);
# - the AMOUNT of the gifts received during the year for which a receipt was issued: each
#   gift of a valid receipt counts in the year it was received, whenever its receipt was
#   issued (a gift received on 20 August and receipted on 5 September counts in the first
#   year; a summary receipt spread over two years counts in each for its own gifts).

# The part of a receipt received during the year: a single receipt's one gift is its gift date
# and amount; a summary adds up its frozen lines (evaluated for summaries only).
_IN_YEAR = (
    "CASE WHEN r.gift_date IS NOT NULL THEN CASE WHEN r.gift_date >= :start AND r.gift_date <= :end "
    "THEN r.amount_cents ELSE 0 END ELSE (SELECT COALESCE(SUM(l.amount_cents), 0) FROM "
    "receipt_line l WHERE l.receipt_id = r.id AND l.received_on >= :start "
    "AND l.received_on <= :end) END")
_COLUMNS = (
    "r.number, r.issued_on, "
    f"CASE WHEN r.donor_kind = '{DonorKind.COMPANY}' OR r.donor_first_names = '' "
    "THEN r.donor_name ELSE r.donor_name || ' ' || r.donor_first_names END, "
    "r.coop_label, r.amount_cents, r.gift_date, r.period_start, r.period_end, r.methods, "
    f"r.cancelled, r.cancelled_on, r.cancel_reason, {_IN_YEAR}")
# The two figures alone, counted as `declaration` counts them (a receipt cancelled after the close
# counts in the number, for no amount), added up by the database.
_TOTALS = (f"SELECT COALESCE(SUM(CASE WHEN NOT r.cancelled OR r.cancelled_on > :end THEN 1 ELSE 0 END), 0), "
           f"COALESCE(SUM(CASE WHEN r.cancelled THEN 0 ELSE {_IN_YEAR} END), 0) "
           "FROM tax_receipt r WHERE r.year = :year")
_LATE_TOTAL = f"SELECT COALESCE(SUM({_IN_YEAR}), 0) "
# Issued in the year: its number series is the financial year it was issued in (numbering),
# read in number order on the unique (year, seq) index.
_ISSUED = "FROM tax_receipt r WHERE r.year = :year ORDER BY r.seq"
# Issued after the close, still valid, for gifts received during the year: read on the
# (year, seq) index ({valid} keeps SQLite off the index of `cancelled`, which it would
# otherwise prefer, to read every valid receipt of every year).
_LATE = ("FROM tax_receipt r WHERE r.year > :year AND {valid} AND ("
         "(r.gift_date >= :start AND r.gift_date <= :end) OR (r.gift_date IS NULL AND EXISTS ("
         "SELECT 1 FROM receipt_line l WHERE l.receipt_id = r.id AND l.received_on >= :start "
         "AND l.received_on <= :end))) ORDER BY r.year, r.seq")


def declaration_totals(db: Database, year: int) -> tuple[int, int]:
    """(the number of receipts, the amount of the gifts) of financial year `year`'s declaration,
    without reading its receipts one by one (the Bilan's figures)."""
    start, end = financial_year_bounds(year, financial_year_start(db))
    late = _LATE.format(valid="+r.cancelled = 0" if db.is_sqlite else "NOT r.cancelled")
    late = late[:late.index(" ORDER BY")]
    with db.engine.connect() as conn:
        params = ({"start": start.isoformat(), "end": end.isoformat(), "year": year} if db.is_sqlite
                  else {"start": start, "end": end, "year": year})
        count, issued_cents = conn.execute(text(_TOTALS), params).one()
        late_cents = conn.execute(text(_LATE_TOTAL + late), params).scalar()
    return int(count), int(issued_cents) + int(late_cents)


def _declared_rows(db: Database, year: int, start: date, end: date) -> tuple[list, list, object]:
    """(the receipts issued in the year, the valid ones issued after it for its gifts, the
    parser of the dates they hold)."""
    late = _LATE.format(valid="+r.cancelled = 0" if db.is_sqlite else "NOT r.cancelled")
    with db.engine.connect() as conn:
        if db.is_sqlite:
            # The bare driver: no row objects in between (a year can hold fifteen thousand
            # receipts, and SQLite gives dates as ISO text, parsed in C by the caller).
            params = {"start": start.isoformat(), "end": end.isoformat(), "year": year}
            run = conn.connection.driver_connection.execute
            issued, after = (run(f"SELECT {_COLUMNS} {q}", params).fetchall() for q in (_ISSUED, late))
            return issued, after, date.fromisoformat
        params = {"start": start, "end": end, "year": year}
        issued, after = (conn.execute(text(f"SELECT {_COLUMNS} {q}"), params).fetchall()
                         for q in (_ISSUED, late))
        return issued, after, lambda value: value  # a server gives dates


def declaration(db: Database, year: int):
    """The declaration of financial year `year` (article 222 bis; how each figure is counted
    is told above), with the receipts behind it: the Declaration that declaration_pdf and
    declaration_xlsx lay out."""
    from occe_bureau.gifts.declaration_pdf import Declaration, DeclaredReceipt

    start_dm = financial_year_start(db)
    start, end = financial_year_bounds(year, start_dm)
    issued, after, iso = _declared_rows(db, year, start, end)
    counted: list[DeclaredReceipt] = []
    cancelled: list[DeclaredReceipt] = []
    late: list[DeclaredReceipt] = []
    for rows, is_late in ((issued, False), (after, True)):
        for (number, on, donor, coop, cents, gift, p_start, p_end, methods, is_cancelled, c_on,
             reason, in_year) in rows:
            c_on = iso(c_on) if c_on and not is_late else None
            row = DeclaredReceipt(
                number, iso(on), donor, coop, cents, iso(gift) if gift else None,
                iso(p_start) if p_start else None, iso(p_end) if p_end else None, methods, c_on,
                "" if is_late else reason, 0 if is_cancelled else int(in_year))
            if is_late:
                late.append(row)
            else:  # cancelled before the close: apart; after it: still counted
                (cancelled if is_cancelled and c_on <= end else counted).append(row)
    a = get_association(db)
    return Declaration(
        year=year, label=financial_year_label(year, start_dm), start=start, end=end,
        count=len(counted), total_cents=sum(r.counted_cents for r in counted + late),
        rows=counted, cancelled=cancelled, late=late, association=a.name, siren_rna=a.siren_rna,
        made_on=clock.today(), place=a.city)


def last_closed_financial_year(db: Database, today: date | None = None) -> int:
    """The financial year a declaration is made for: the last one closed."""
    return current_financial_year(db, today) - 1


def declared_year(db: Database, shown: int | None = None, today: date | None = None) -> int:
    """The year whose declaration to open: `shown` (the year the tab shows) when it is
    closed, else the last closed financial year (a declaration is of a closed year)."""
    last = last_closed_financial_year(db, today)
    return shown if shown is not None and shown <= last else last


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
