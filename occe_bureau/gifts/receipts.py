"""Tax receipts as plain data: the list of receipts, the documents behind their PDFs (the
ReceiptDoc of receipt_pdf, built from the frozen rows), and the one place that records that
a receipt's original was printed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, or_, select, update

from occe_bureau.db import Database
from occe_bureau.formats import fold, format_date
from occe_bureau.paging import PAGE_SIZE, RowPage, fetch_page, words_match
from occe_bureau.coops import Coop
from occe_bureau.gifts.enums import DonorKind
from occe_bureau.gifts.history import receipts_printed
from occe_bureau.gifts.models import ReceiptImage, ReceiptLine, TaxReceipt
from occe_bureau.validation import ValidationError
from occe_bureau import audit, clock


# ---- plain data -------------------------------------------------------------------------------

class ReceiptState(StrEnum):
    """A receipt is valid until cancelled (kept, never deleted; derived from `cancelled`)."""

    VALID = "valid"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"valid": "Valide", "cancelled": "Annulé"}[self]


@dataclass(slots=True)
class ReceiptRow:
    id: int
    number: str
    year: int
    seq: int
    kind: str
    issued_on: date
    donor_id: int
    donor_display: str
    coop_id: int
    coop_label: str
    amount_cents: int
    gift_date: date | None
    period_start: date | None
    period_end: date | None
    methods: str
    cancelled: bool
    cancelled_on: date | None
    cancel_reason: str
    replaces_id: int | None
    printed: bool
    search_key: str

    @property
    def state(self) -> ReceiptState:
        return ReceiptState.CANCELLED if self.cancelled else ReceiptState.VALID

    @property
    def status_label(self) -> str:
        if self.state == ReceiptState.CANCELLED:
            return f"{self.state.label} le {format_date(self.cancelled_on)}"
        return self.state.label

    @property
    def date_label(self) -> str:
        if self.gift_date:
            return format_date(self.gift_date)
        return f"{format_date(self.period_start)} – {format_date(self.period_end)}"


@dataclass
class ReceiptFilter:
    year: int | None = None          # financial year (start year)
    coop_id: int | None = None
    donor_id: int | None = None
    include_cancelled: bool = True
    search: str = ""


def issued_doc(receipt_id: int, v: dict, lines: list[dict], *, signature: bytes | None,
               logo: bytes | None):
    """The ReceiptDoc of a receipt just issued, from the frozen values stored (no read back)."""
    from occe_bureau.gifts.receipt_pdf import ReceiptDoc, ReceiptLineData

    return ReceiptDoc(
        id=receipt_id, number=v["number"], kind=v["kind"], issued_on=v["issued_on"],
        donor_kind=v["donor_kind"], donor_name=v["donor_name"],
        donor_first_names=v["donor_first_names"], donor_siren=v["donor_siren"],
        donor_legal_form=v["donor_legal_form"], donor_address=v["donor_address"],
        donor_email=v["donor_email"], amount_cents=v["amount_cents"],
        amount_words=v["amount_words"], gift_date=v["gift_date"], period_start=v["period_start"],
        period_end=v["period_end"], form=v["form"], nature=v["nature"],
        methods=[m for m in v["methods"].split(",") if m], coop_label=v["coop_label"],
        project=v["project"], beneficiary_name=v["beneficiary_name"],
        beneficiary_address=v["beneficiary_address"],
        beneficiary_siren_rna=v["beneficiary_siren_rna"],
        beneficiary_object=v["beneficiary_object"], beneficiary_type=v["beneficiary_type"],
        articles=[a.strip() for a in v["articles"].split(",") if a.strip()],
        statement=v["statement"], signatory_name=v["signatory_name"],
        signatory_title=v["signatory_title"], signed_place=v["signed_place"],
        signature=signature,
        lines=[ReceiptLineData(l["received_on"], l["amount_cents"], l["method"], l["cheque_number"])
               for l in lines],
        replaces_number=v.get("replaces_numbers", ""), logo=logo,
        kind_description=v["kind_description"], kind_valuation=v["kind_valuation"])


# ---- reading ----------------------------------------------------------------------------------

def _receipt_query():
    return select(
        TaxReceipt.id, TaxReceipt.number, TaxReceipt.year, TaxReceipt.seq, TaxReceipt.kind,
        TaxReceipt.issued_on, TaxReceipt.donor_id, TaxReceipt.donor_kind, TaxReceipt.donor_name,
        TaxReceipt.donor_first_names, TaxReceipt.coop_id, TaxReceipt.coop_label,
        TaxReceipt.amount_cents, TaxReceipt.gift_date, TaxReceipt.period_start,
        TaxReceipt.period_end, TaxReceipt.methods, TaxReceipt.cancelled, TaxReceipt.cancelled_on,
        TaxReceipt.cancel_reason, TaxReceipt.replaces_id, TaxReceipt.printed_at.is_not(None),
        # The receipt keeps the coop's name as printed; its current name is searched too.
        TaxReceipt.search_key + " " + func.coalesce(Coop.search_key, ""),
    ).outerjoin(Coop, Coop.id == TaxReceipt.coop_id)


def _row(r) -> ReceiptRow:
    return ReceiptRow(
        id=r[0], number=r[1], year=r[2], seq=r[3], kind=r[4], issued_on=r[5], donor_id=r[6],
        donor_display=r[8] if r[7] == DonorKind.COMPANY or not r[9] else f"{r[8]} {r[9]}",
        coop_id=r[10], coop_label=r[11],
        amount_cents=r[12], gift_date=r[13], period_start=r[14], period_end=r[15], methods=r[16],
        cancelled=r[17], cancelled_on=r[18], cancel_reason=r[19], replaces_id=r[20],
        printed=bool(r[21]), search_key=r[22])


def list_receipts(db: Database, flt: ReceiptFilter) -> list[ReceiptRow]:
    """Every receipt of the filter, the last issued first (for short lists: a donor's)."""
    query = _receipt_query().where(*_receipt_conditions(flt)).order_by(TaxReceipt.year.desc(), TaxReceipt.seq.desc())
    with db.engine.connect() as conn:
        rows = [_row(r) for r in conn.execute(query).fetchall()]
    if flt.search:
        words = fold(flt.search).split()
        rows = [r for r in rows if all(w in r.search_key for w in words)
                or r.number == flt.search.strip()]
    return rows


class ReceiptOrder(StrEnum):
    """What a list of receipts can be sorted by (in SQL: the list can be long)."""
    NUMBER = "number"
    ISSUED = "issued"
    DONOR = "donor"
    COOP = "coop"
    GIFT_DATE = "gift_date"
    AMOUNT = "amount"
    STATE = "state"


def _receipt_order(order: ReceiptOrder, descending: bool) -> list:
    by = {
        ReceiptOrder.NUMBER: [TaxReceipt.year, TaxReceipt.seq],
        ReceiptOrder.ISSUED: [TaxReceipt.issued_on],
        ReceiptOrder.DONOR: [func.lower(TaxReceipt.donor_name), func.lower(TaxReceipt.donor_first_names)],
        ReceiptOrder.COOP: [TaxReceipt.coop_label],
        ReceiptOrder.GIFT_DATE: [func.coalesce(TaxReceipt.gift_date, TaxReceipt.period_start)],
        ReceiptOrder.AMOUNT: [TaxReceipt.amount_cents],
        ReceiptOrder.STATE: [TaxReceipt.cancelled, TaxReceipt.printed_at.is_not(None)],
    }[order] + [TaxReceipt.id]
    return [e.desc() if descending else e.asc() for e in by]


def _receipt_conditions(flt: ReceiptFilter) -> list:
    conditions = []
    if flt.year is not None:
        conditions.append(TaxReceipt.year == flt.year)
    if flt.coop_id:
        conditions.append(TaxReceipt.coop_id == flt.coop_id)
    if flt.donor_id:
        conditions.append(TaxReceipt.donor_id == flt.donor_id)
    if not flt.include_cancelled:
        conditions.append(TaxReceipt.cancelled.is_(False))
    # A receipt kept for the law after its donor was erased (RGPD): found by its exact number only.
    conditions.append(or_(TaxReceipt.withheld_on.is_(None), TaxReceipt.number == flt.search.strip()))
    return conditions


def page_of_receipts(db: Database, flt: ReceiptFilter, order: ReceiptOrder = ReceiptOrder.NUMBER,
                     descending: bool = True, offset: int = 0,
                     limit: int | None = PAGE_SIZE) -> RowPage[ReceiptRow]:
    """A page of the receipts of the filter, sorted and searched by the database, with how
    many there are."""
    conditions = _receipt_conditions(flt)
    ids = select(TaxReceipt.id).select_from(TaxReceipt)
    count = select(func.count()).select_from(TaxReceipt)
    found = words_match(flt.search, TaxReceipt.search_key, func.coalesce(Coop.search_key, ""))
    if found is not None:
        conditions.append(or_(found, TaxReceipt.number == flt.search.strip()))
        ids = ids.outerjoin(Coop, Coop.id == TaxReceipt.coop_id)
        count = count.outerjoin(Coop, Coop.id == TaxReceipt.coop_id)
    with db.engine.connect() as conn:
        return fetch_page(conn, ids=ids.where(*conditions).order_by(*_receipt_order(order, descending)),
                          count=count.where(*conditions),
                          rows=lambda page: _receipt_query().where(TaxReceipt.id.in_(page)),
                          offset=offset, limit=limit, build=_row)


def receipt_years(db: Database) -> list[int]:
    with db.session() as session:
        return sorted(session.scalars(select(TaxReceipt.year).distinct()), reverse=True)


def _receipt_docs(session, receipt_ids: list[int]) -> list:
    """The ReceiptDoc of each receipt, as it prints now (cancelled, duplicate, linked), with
    the signature and the logo it was issued with."""
    from occe_bureau.gifts.receipt_pdf import ReceiptDoc, ReceiptLineData

    receipts = {r.id: r for r in session.scalars(select(TaxReceipt).where(TaxReceipt.id.in_(receipt_ids)))}
    lines: dict[int, list[ReceiptLineData]] = defaultdict(list)
    for l in session.scalars(select(ReceiptLine).where(ReceiptLine.receipt_id.in_(receipt_ids))
                             .order_by(ReceiptLine.received_on, ReceiptLine.id)):
        lines[l.receipt_id].append(ReceiptLineData(l.received_on, l.amount_cents, l.method, l.cheque_number))
    images = {}
    sig_ids = {i for r in receipts.values() for i in (r.signature_id, r.logo_id) if i}
    if sig_ids:
        images = dict(session.execute(select(ReceiptImage.id, ReceiptImage.data)
                                      .where(ReceiptImage.id.in_(sig_ids))).all())
    # Which receipts each one replaces and is replaced by: the receipts before and after it
    # on each of its gifts (a gift has one valid receipt at a time, so they are cancelled).
    gifts_of: dict[int, set[int]] = defaultdict(set)
    for rid, gid in session.execute(select(ReceiptLine.receipt_id, ReceiptLine.donation_id)
                                    .where(ReceiptLine.receipt_id.in_(receipt_ids))):
        gifts_of[rid].add(gid)
    covers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    all_gifts = sorted(set().union(*gifts_of.values())) if gifts_of else []
    for start in range(0, len(all_gifts), 900):
        for gid, rid, number in session.execute(
                select(ReceiptLine.donation_id, TaxReceipt.id, TaxReceipt.number)
                .join(TaxReceipt, TaxReceipt.id == ReceiptLine.receipt_id)
                .where(ReceiptLine.donation_id.in_(all_gifts[start:start + 900]))):
            covers[gid].append((rid, number))

    def linked(receipt_id: int, after: bool) -> str:
        found = {}
        for gid in gifts_of.get(receipt_id, ()):
            others = [c for c in covers[gid] if (c[0] > receipt_id if after else c[0] < receipt_id)]
            if others:
                rid, number = (min if after else max)(others)
                found[rid] = number
        return ", ".join(found[i] for i in sorted(found))
    docs = []
    for rid in receipt_ids:
        r = receipts.get(rid)
        if r is None:
            raise ValidationError({"receipt": "Ce reçu n'existe plus."})
        docs.append(ReceiptDoc(
            id=r.id, number=r.number, kind=r.kind, issued_on=r.issued_on, donor_kind=r.donor_kind,
            donor_name=r.donor_name, donor_first_names=r.donor_first_names,
            donor_siren=r.donor_siren, donor_legal_form=r.donor_legal_form,
            donor_address=r.donor_address, donor_email=r.donor_email,
            amount_cents=r.amount_cents, amount_words=r.amount_words, gift_date=r.gift_date,
            period_start=r.period_start, period_end=r.period_end, form=r.form, nature=r.nature,
            methods=[m for m in r.methods.split(",") if m], coop_label=r.coop_label,
            project=r.project, beneficiary_name=r.beneficiary_name,
            beneficiary_address=r.beneficiary_address,
            beneficiary_siren_rna=r.beneficiary_siren_rna,
            beneficiary_object=r.beneficiary_object, beneficiary_type=r.beneficiary_type,
            articles=[a.strip() for a in r.articles.split(",") if a.strip()],
            statement=r.statement, signatory_name=r.signatory_name,
            signatory_title=r.signatory_title, signed_place=r.signed_place,
            signature=images.get(r.signature_id), lines=lines[r.id],
            duplicate=r.printed_at is not None,
            duplicate_on=clock.today() if r.printed_at is not None else None, cancelled=r.cancelled,
            cancelled_on=r.cancelled_on, cancel_reason=r.cancel_reason,
            replaces_number=linked(r.id, after=False),
            replaced_by_number=linked(r.id, after=True), logo=images.get(r.logo_id),
            kind_description=r.kind_description, kind_valuation=r.kind_valuation))
    return docs


def receipt_doc(db: Database, receipt_id: int):
    """The frozen receipt as it prints now: "Duplicata" once it has been printed before."""
    with db.session() as session:
        return _receipt_docs(session, [receipt_id])[0]


def render_receipt(db: Database, receipt_id: int) -> tuple:
    """The PDF of one receipt (not marked printed: call mark_printed once it is printed/saved)."""
    from occe_bureau.gifts.receipt_pdf import receipts_pdf

    doc = receipt_doc(db, receipt_id)
    return receipts_pdf([doc]), doc


def record_printed(session, receipt_ids: list[int]) -> None:
    """The one place that writes `printed_at`: inside the caller's transaction (the batch's),
    the first print of each of these receipts is recorded; later prints are duplicates."""
    now = clock.now()
    for start in range(0, len(receipt_ids), 900):
        printed = session.execute(
            update(TaxReceipt).where(TaxReceipt.id.in_(receipt_ids[start:start + 900]),
                                     TaxReceipt.printed_at.is_(None))
            .values(printed_at=now).returning(TaxReceipt.id, TaxReceipt.number)).all()
        audit.record_many(session, receipts_printed(printed, now))


def mark_printed(db: Database, receipt_ids: list[int]) -> None:
    """The originals went to the printer or to a file: later prints are duplicates."""
    with db.transaction() as session:
        record_printed(session, receipt_ids)
