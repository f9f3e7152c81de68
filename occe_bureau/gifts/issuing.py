"""Tax receipts (reçus fiscaux): issuing one receipt with its frozen content, yearly summary
receipts, cancel and replace.

Each receipt is chained to the one issued before it (its hash covers its frozen content and
that receipt's hash: chain), in the same transaction, under the chain's lock.

The next number comes from a counter row (`receipt_counter`) incremented in the very
transaction that stores the frozen receipt; the number is also unique in the schema. So a
failure anywhere in the middle rolls back the counter with the receipt (no gap), and two
issues can never get the same number (no duplicate). A number is never reused: cancelling
keeps the receipt, and its replacement takes a new number that refers to it.
(Numbering and financial years: numbering.)
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.formats import amount_in_words, fold, format_date
from occe_bureau.coops import Coop
from occe_bureau.gifts.chain import ChainHead
from occe_bureau.gifts.models import (
    Donation, Donor, ReceiptCounter, ReceiptImage, ReceiptLine, TaxReceipt,
)
from occe_bureau.gifts.enums import DonorKind, GiftForm, GiftNature, PaymentMethod, ReceiptKind
from occe_bureau.gifts.numbering import (
    COMPANY_NOTE, PERSON_ARTICLES, RECEIPT_NOTE, beneficiary_type_text, financial_year_bounds,
    financial_year_of, financial_year_start, format_number,
)
from occe_bureau.association import get_association, missing_for_receipts, setting_value
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock


# ---- the frozen context: what every receipt of one issue prints about the association ----

@dataclass
class IssueContext:
    beneficiary_name: str
    beneficiary_address: str
    beneficiary_siren_rna: str
    beneficiary_object: str
    beneficiary_type: str
    person_articles: str
    statement: str
    signatory_name: str
    signatory_title: str
    signed_place: str
    signature_id: int | None
    fy_start: tuple[int, int]
    logo_id: int | None = None
    signature: bytes | None = None
    logo: bytes | None = None
    coop_labels: dict = field(default_factory=dict)
    # A batch reads its gifts and donors once, up front (checked again when claimed).
    gifts: dict = field(default_factory=dict)
    donors: dict = field(default_factory=dict)
    receipted_before: set = field(default_factory=set)  # prefetched gifts that had a receipt
    chain: ChainHead | None = None  # the end of the receipt chain, once locked by this issue

    def prefetch(self, conn, donation_ids: list[int]) -> None:
        if not _STMT:
            _STMT.update(_statements())
        for start in range(0, len(donation_ids), 900):
            chunk = donation_ids[start:start + 900]
            for row in conn.execute(_STMT["gifts"], {"ids": chunk}):
                self.gifts[row.id] = row
            self.receipted_before.update(conn.scalars(
                select(ReceiptLine.donation_id).where(ReceiptLine.donation_id.in_(chunk)).distinct()))
        donor_ids = sorted({g.donor_id for g in self.gifts.values()})
        for start in range(0, len(donor_ids), 900):
            for row in conn.execute(_STMT["donors"], {"ids": donor_ids[start:start + 900]}):
                self.donors[row.id] = row


def _association_problem(missing: list[str]) -> str:
    """Why no receipt can be issued yet (missing_for_receipts' list), in French."""
    if "nom" in missing:
        return ("Renseignez d'abord l'association (Paramètres) : nom, adresse, SIREN ou RNA, "
                "objet et signataire figurent sur chaque reçu.")
    if len(missing) == 1:
        return (f"Paramètres de l'association : {missing[0]} à renseigner, obligatoire sur un "
                "reçu fiscal.")
    listed = ", ".join(missing[:-1]) + " et " + missing[-1]
    return f"Paramètres de l'association : {listed} à renseigner, obligatoires sur un reçu fiscal."


def issue_context(db: Database, session) -> IssueContext:
    """What every receipt of one issue prints about the association; refused (ValidationError)
    while the association lacks what a receipt needs."""
    a = get_association(db)
    missing = missing_for_receipts(a)
    if missing:
        raise ValidationError({"association": _association_problem(missing)})
    address = "\n".join(a.address_lines)
    return IssueContext(
        beneficiary_name=a.name, beneficiary_address=address,
        beneficiary_siren_rna=a.siren_rna, beneficiary_object=a.object,
        beneficiary_type=beneficiary_type_text(db),
        person_articles=setting_value(db, PERSON_ARTICLES),
        statement=setting_value(db, RECEIPT_NOTE),
        signatory_name=a.signatory_name, signatory_title=a.signatory_title,
        signed_place=a.city, signature_id=stored_image(session, a.signature),
        fy_start=financial_year_start(db), signature=a.signature, logo=a.logo,
        logo_id=stored_image(session, a.logo),
    )


def stored_image(session, data: bytes | None) -> int | None:
    """The id of this image (a signature, a logo) as receipts keep it, stored once."""
    if not data:
        return None
    digest = hashlib.sha256(data).hexdigest()
    find = select(ReceiptImage.id).where(ReceiptImage.sha256 == digest)
    image_id = session.scalar(find)
    if image_id is None:
        # Insert-or-ignore, then read: two workstations storing the same new image at once
        # do not collide on the unique hash.
        session.execute(_insert_or_ignore(session.connection(), ReceiptImage.__table__,
                                          ["sha256"]).values(sha256=digest, data=data))
        image_id = session.scalar(find)
    return image_id


# ---- numbering --------------------------------------------------------------------------------

def _insert_or_ignore(conn, table, keys: list[str]):
    """INSERT … ON CONFLICT (keys) DO NOTHING, on SQLite and PostgreSQL."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=keys)


def _next_seq(conn, year: int) -> int:
    """The next number of `year`, taken inside the caller's transaction (rolled back with it).

    The UPDATE comes first so that the row is write-locked before it is read. The first
    receipt of a year creates the counter row with insert-or-ignore (another workstation may
    be creating it at the same moment: then its row is used), and bumps it."""
    seq = conn.execute(_STMT["bump"], {"y": year}).scalar()
    if seq is None:
        conn.execute(_insert_or_ignore(conn, ReceiptCounter.__table__, ["year"]),
                     {"year": year, "last_seq": 0})
        seq = conn.execute(_STMT["bump"], {"y": year}).scalar()
    return seq


# ---- issuing ---------------------------------------------------------------------------------

_DONATION_COLUMNS = (
    Donation.id, Donation.donor_id, Donation.coop_id, Donation.amount_cents, Donation.received_on,
    Donation.method, Donation.cheque_number, Donation.form, Donation.nature, Donation.project,
    Donation.receipt_id, Donation.withdrawn, Donation.kind_description, Donation.kind_valuation,
)


_DONOR_COLUMNS = (Donor.id, Donor.kind, Donor.last_name, Donor.first_names, Donor.company_name,
                  Donor.siren, Donor.legal_form, Donor.address, Donor.postal_code, Donor.city,
                  Donor.country, Donor.email)


def _statements() -> dict:
    """The statements of one issue, built once (issuing thousands in a batch stays cheap)."""
    from sqlalchemy import bindparam

    counter = ReceiptCounter.__table__
    donation = Donation.__table__
    return {
        "bump": update(counter).where(counter.c.year == bindparam("y"))
        .values(last_seq=counter.c.last_seq + 1).returning(counter.c.last_seq),
        "gifts": select(*_DONATION_COLUMNS).where(Donation.id.in_(bindparam("ids", expanding=True)))
        .order_by(Donation.received_on, Donation.id),
        "donor": select(*_DONOR_COLUMNS).where(Donor.id == bindparam("donor_id")),
        "donors": select(*_DONOR_COLUMNS).where(Donor.id.in_(bindparam("ids", expanding=True))),
        "receipt": insert(TaxReceipt.__table__),
        "lines": insert(ReceiptLine.__table__),
        "claim": update(donation).where(donation.c.id.in_(bindparam("ids", expanding=True)),
                                        donation.c.receipt_id.is_(None),
                                        donation.c.withdrawn.is_(False))
        .values(receipt_id=bindparam("rid")),
    }


_STMT: dict = {}


@dataclass
class IssuedReceipt:
    """A receipt just issued: its id, the frozen values stored and its frozen lines."""

    id: int
    values: dict
    lines: list[dict]


def _gifts_of(conn, ctx: IssueContext, donation_ids: list[int], today: date) -> list:
    """The gifts to receipt, in date order, each checked: still there, not withdrawn, without
    a valid receipt, not in the future; one donor only."""
    if all(i in ctx.gifts for i in donation_ids):
        gifts = sorted((ctx.gifts[i] for i in set(donation_ids)), key=lambda g: (g.received_on, g.id))
    else:
        gifts = conn.execute(_STMT["gifts"], {"ids": list(donation_ids)}).all()
    if len(gifts) != len(set(donation_ids)) or not gifts:
        raise ValidationError({"receipt": "Un des dons n'existe plus."})
    for g in gifts:
        if g.withdrawn:
            raise ValidationError({"receipt": "Ce don a été retiré : pas de reçu."})
        if g.receipt_id is not None:
            raise ValidationError({"receipt": "Un reçu valide existe déjà pour ce don."})
        if g.received_on > today:
            raise ValidationError({"receipt": "Le don est daté dans le futur."})
    if len({g.donor_id for g in gifts}) != 1:
        raise ValidationError({"receipt": "Un reçu ne concerne qu'un seul donateur."})
    return gifts


def _donor_of(conn, ctx: IssueContext, donor_id: int):
    donor = ctx.donors.get(donor_id) or conn.execute(_STMT["donor"], {"donor_id": donor_id}).one()
    if not (donor.address and donor.city):
        raise ValidationError({"receipt": f"Adresse du donateur « {donor.last_name or donor.company_name} » "
                                          "incomplète : elle est obligatoire sur le reçu."})
    if donor.kind == DonorKind.COMPANY and not donor.legal_form.strip():
        raise ValidationError({"receipt": f"Forme juridique de l'entreprise « {donor.company_name} » "
                                          "à renseigner (SARL, SAS, association…) : elle figure sur "
                                          "son reçu (Cerfa n° 16216)."})
    return donor


def _coop_label(conn, ctx: IssueContext, coop_ids: set[int]) -> str:
    """"92-0001 – École … (Nanterre)" for each coop of the receipt (read once per batch)."""
    key = frozenset(coop_ids)
    if key not in ctx.coop_labels:
        coop_rows = conn.execute(select(Coop.number, Coop.name, Coop.commune)
                                 .where(Coop.id.in_(coop_ids)).order_by(Coop.number)).all()
        ctx.coop_labels[key] = " ; ".join(f"{n} – {name}" + (f" ({commune})" if commune else "")
                                          for n, name, commune in coop_rows)[:300]
    return ctx.coop_labels[key]


def _donor_values(donor) -> dict:
    """What the receipt prints about the donor, frozen."""
    company = donor.kind == DonorKind.COMPANY
    address_lines = [donor.address, " ".join(p for p in (donor.postal_code, donor.city) if p)]
    if donor.country and fold(donor.country) != "france":
        address_lines.append(donor.country)
    return dict(
        donor_id=donor.id, donor_kind=donor.kind,
        donor_name=donor.company_name if company else donor.last_name,
        donor_first_names="" if company else donor.first_names,
        donor_siren=donor.siren if company else "", donor_legal_form=donor.legal_form if company else "",
        donor_address="\n".join(line for line in address_lines if line), donor_email=donor.email)


def _association_values(ctx: IssueContext, company: bool) -> dict:
    """What the receipt prints about the association, frozen."""
    return dict(
        beneficiary_name=ctx.beneficiary_name, beneficiary_address=ctx.beneficiary_address,
        beneficiary_siren_rna=ctx.beneficiary_siren_rna, beneficiary_object=ctx.beneficiary_object,
        beneficiary_type=ctx.beneficiary_type,
        articles="238 bis" if company else ctx.person_articles,
        statement=COMPANY_NOTE if company else ctx.statement, signatory_name=ctx.signatory_name,
        signatory_title=ctx.signatory_title, signature_id=ctx.signature_id,
        logo_id=ctx.logo_id, signed_place=ctx.signed_place)


def _gift_values(gifts: list, kind: ReceiptKind, period: tuple[date, date] | None) -> dict:
    """What the receipt prints about the gifts: total, in words, date or period, form…"""
    total = sum(g.amount_cents for g in gifts)
    forms = {g.form for g in gifts}
    natures = {g.nature for g in gifts}
    # The Cerfa asks the payment method "en cas de don en numéraire" only.
    methods = sorted({g.method for g in gifts if g.nature == GiftNature.NUMERAIRE},
                     key=list(PaymentMethod).index)
    projects = sorted({g.project for g in gifts if g.project})
    return dict(
        amount_cents=total, amount_words=amount_in_words(total),
        gift_date=gifts[0].received_on if kind == ReceiptKind.SINGLE else None,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        form=forms.pop() if len(forms) == 1 else GiftForm.AUTRE,
        nature=natures.pop() if len(natures) == 1 else GiftNature.AUTRE,
        methods=",".join(methods), project=", ".join(projects)[:200],
        **_in_kind_values(gifts))


def _in_kind_values(gifts: list) -> dict:
    """A gift in kind prints the goods and how they were valued (each gift's, for a summary)."""
    in_kind = [g for g in gifts if g.nature == GiftNature.AUTRE]
    several = len(in_kind) > 1

    def joined(name: str, limit: int) -> str:
        parts = [(f"{format_date(g.received_on)} : " if several else "") + getattr(g, name)
                 for g in in_kind if getattr(g, name)]
        return " ; ".join(parts)[:limit]
    return dict(kind_description=joined("kind_description", 1000),
                kind_valuation=joined("kind_valuation", 500))


def issue_gifts(session, ctx: IssueContext, donation_ids: list[int], *, kind: ReceiptKind,
                today: date, period: tuple[date, date] | None = None,
                replaces_id: int | None = None) -> IssuedReceipt:
    """Issue one receipt for these donations (same donor) inside the caller's transaction:
    the next number of the financial year, then the frozen receipt, its lines, the gifts
    claimed."""
    if not _STMT:
        _STMT.update(_statements())
    conn = session.connection()  # Core statements: one receipt costs a handful of fast queries
    gifts = _gifts_of(conn, ctx, donation_ids, today)
    donor = _donor_of(conn, ctx, gifts[0].donor_id)
    coop_ids = {g.coop_id for g in gifts}
    coop_label = _coop_label(conn, ctx, coop_ids)
    year = financial_year_of(today, ctx.fy_start)
    seq = _next_seq(conn, year)
    number = format_number(year, seq)
    values = dict(
        number=number, year=year, seq=seq, kind=kind, issued_on=today, issued_at=clock.now(),
        coop_id=min(coop_ids), coop_label=coop_label, **_donor_values(donor),
        **_gift_values(gifts, kind, period),
        **_association_values(ctx, donor.kind == DonorKind.COMPANY),
        cancelled=False, cancel_reason="", replaces_id=replaces_id, printed_at=None,
        search_key=fold(f"{number} {donor.last_name} {donor.first_names} {donor.company_name} "
                        f"{coop_label}")[:800],
    )
    return _store(conn, ctx, gifts, values)


def _store(conn, ctx: IssueContext, gifts: list, values: dict) -> IssuedReceipt:
    """Insert the frozen receipt and its lines, and claim its gifts (refused if another
    workstation issued or withdrew one meanwhile)."""
    # A gift whose receipt was cancelled: the new receipt replaces that one (for a summary,
    # each cancelled receipt it covers), however it is issued.
    known = all(g.id in ctx.gifts for g in gifts)  # a batch knows which gifts had a receipt
    replaced = _previous_receipts(conn, [g.id for g in gifts]) if not known or any(
        g.id in ctx.receipted_before for g in gifts) else {}
    if values["replaces_id"] is None and replaced:
        values["replaces_id"] = min(replaced)
    lines = [dict(donation_id=g.id, received_on=g.received_on, amount_cents=g.amount_cents,
                  method=g.method, cheque_number=g.cheque_number) for g in gifts]
    # The chain: the register locked (after the number: always that order), the receipt
    # hashed with the previous one's hash, inserted, and the register moved on.
    if ctx.chain is None:
        ctx.chain = ChainHead.locked(conn)
    receipt_id = ctx.chain.extend(
        conn, values, lines, lambda v: conn.execute(_STMT["receipt"], v).inserted_primary_key[0])
    values["replaces_numbers"] = ", ".join(replaced[i] for i in sorted(replaced))
    for line in lines:
        line["receipt_id"] = receipt_id
    conn.execute(_STMT["lines"], lines)
    claimed = conn.execute(_STMT["claim"], {"ids": [g.id for g in gifts], "rid": receipt_id}).rowcount
    if claimed != len(gifts):  # another workstation issued or withdrew one of them meanwhile
        raise ValidationError({"receipt": "Un de ces dons vient d'être reçu ou retiré sur un autre "
                                          "poste : recommencez."})
    return IssuedReceipt(receipt_id, values, lines)


def _previous_receipts(conn, donation_ids: list[int], before: int | None = None) -> dict[int, str]:
    """{id: number} of the last receipt that covered each of these gifts (before receipt
    `before`, or at all): for gifts now pending, the cancelled receipts a new one replaces."""
    last = select(ReceiptLine.donation_id, func.max(ReceiptLine.receipt_id).label("rid")).where(
        ReceiptLine.donation_id.in_(donation_ids))
    if before is not None:
        last = last.where(ReceiptLine.receipt_id < before)
    last = last.group_by(ReceiptLine.donation_id).subquery()
    return dict(conn.execute(select(TaxReceipt.id, TaxReceipt.number).where(
        TaxReceipt.id.in_(select(last.c.rid)))).all())


CONFLICT = ("Un autre poste émettait un reçu au même moment : rien n'a été émis, aucun numéro "
            "n'a été consommé. Recommencez.")


@contextmanager
def issuing_transaction(db: Database) -> Iterator:
    """The transaction of an issue. Should another workstation still collide with it on a
    unique number or image despite the counter lock, the whole issue is rolled back and the
    user gets a French message, not a crash."""
    try:
        with db.transaction() as session:
            yield session
    except IntegrityError as exc:
        raise ValidationError({"receipt": CONFLICT}) from exc


def issue_receipt(db: Database, donation_id: int, *, today: date | None = None) -> int:
    """Issue the receipt of one gift: number and frozen content in one transaction."""
    today = today or clock.today()
    with issuing_transaction(db) as session:
        ctx = issue_context(db, session)
        return issue_gifts(session, ctx, [donation_id], kind=ReceiptKind.SINGLE, today=today).id


def pending_summary_groups(db: Database, start: date, end: date, *, coop_id: int | None = None,
                           donor_id: int | None = None) -> list[list[int]]:
    """Pending gifts received in [start, end], grouped per donor (one summary receipt each)."""
    query = select(Donation.donor_id, Donation.id).where(
        Donation.receipt_id.is_(None), Donation.withdrawn.is_(False),
        Donation.received_on >= start, Donation.received_on <= end)
    if coop_id:
        query = query.where(Donation.coop_id == coop_id)
    if donor_id:
        query = query.where(Donation.donor_id == donor_id)
    groups: dict[int, list[int]] = defaultdict(list)
    with db.session() as session:
        for d_id, g_id in session.execute(query.order_by(Donation.donor_id, Donation.received_on)):
            groups[d_id].append(g_id)
    return list(groups.values())


def default_summary_period(today: date | None = None) -> tuple[date, date]:
    """The period a yearly summary receipt is offered for: the last calendar year ended
    (income tax is declared by calendar year)."""
    year = (today or clock.today()).year - 1
    return date(year, 1, 1), date(year, 12, 31)


def check_summary_period(db: Database, start: date | None, end: date | None,
                         today: date | None = None, *, person: bool = True) -> None:
    """The period of a yearly summary receipt: both dates, start before end, ended by today,
    and inside one calendar year (an individual declares income tax by calendar year: a
    receipt mixing two years would make the declaration wrong); a company's (person=False)
    may instead lie inside one financial year. Raises ValidationError."""
    today = today or clock.today()
    if not (start and end):
        raise ValidationError({"period": "Reçus récapitulatifs : indiquez la période."})
    if start > end:
        raise ValidationError({"period": "Période : le début est après la fin."})
    if end > today:
        raise ValidationError({"period": "Période : elle se termine après aujourd'hui ; un reçu "
                                         "récapitulatif porte sur des dons déjà reçus."})
    if start.year == end.year:
        return
    fy_start = financial_year_start(db)
    year = financial_year_of(start, fy_start)
    one_financial_year = financial_year_of(end, fy_start) == year
    if person:
        raise ValidationError({"period": "Période : pour un particulier, un reçu récapitulatif "
                                         "couvre une seule année civile (l'impôt sur le revenu se "
                                         f"déclare par année civile), par exemple du 01/01/{end.year - 1} "
                                         f"au 31/12/{end.year - 1}."})
    if not one_financial_year:
        first, last = financial_year_bounds(year, fy_start)
        raise ValidationError({"period": "Période : elle doit tenir dans une seule année civile, "
                                         "ou pour une entreprise dans un seul exercice (du "
                                         f"{format_date(first)} au {format_date(last)} pour ce début)."})


def has_person_pending(db: Database, start: date, end: date, *, coop_id: int | None = None) -> bool:
    """Whether an individual (not a company) has a gift pending in [start, end]."""
    query = select(Donation.id).join(Donor, Donor.id == Donation.donor_id).where(
        Donation.receipt_id.is_(None), Donation.withdrawn.is_(False),
        Donation.received_on >= start, Donation.received_on <= end,
        Donor.kind != DonorKind.COMPANY).limit(1)
    if coop_id:
        query = query.where(Donation.coop_id == coop_id)
    with db.session() as session:
        return session.scalar(query) is not None


def issue_summary(db: Database, donor_id: int, start: date, end: date, *,
                  today: date | None = None) -> int:
    """One yearly summary receipt for all pending gifts of a donor in [start, end]."""
    today = today or clock.today()
    with db.session() as session:
        donor = session.get(Donor, donor_id)
        kind = donor.kind if donor is not None else DonorKind.PERSON
    check_summary_period(db, start, end, today, person=kind != DonorKind.COMPANY)
    groups = pending_summary_groups(db, start, end, donor_id=donor_id)
    if not groups:
        raise ValidationError({"period": "Aucun don en attente de reçu pour ce donateur sur la période."})
    with issuing_transaction(db) as session:
        ctx = issue_context(db, session)
        return issue_gifts(session, ctx, groups[0], kind=ReceiptKind.SUMMARY, today=today,
                           period=(start, end)).id


def cancel_receipt(db: Database, receipt_id: int, reason: str, *, on: date | None = None,
                   replace: bool = False, today: date | None = None,
                   correct: Callable | None = None) -> int | None:
    """Cancel a receipt: it is kept, marked cancelled with the reason and the date; its gifts
    become pending again. With replace=True, the replacement (new number, current donor
    details, "annule et remplace le reçu n° …") is issued in the same transaction; its id
    is returned. `correct(session)`, if given, corrects the donor or the gifts in that
    transaction before the replacement is issued (replacement.cancel_and_replace)."""
    c = Checker()
    reason = c.text("reason", "Motif de l'annulation", reason, max_length=300, required=True)
    c.raise_if_any()
    today = today or clock.today()
    with issuing_transaction(db) as session:
        receipt = session.get(TaxReceipt, receipt_id)
        if receipt is None:
            raise ValidationError({"reason": "Ce reçu n'existe plus."})
        if receipt.cancelled:
            raise ValidationError({"reason": f"Le reçu {receipt.number} est déjà annulé."})
        on = on or today
        if on < receipt.issued_on:
            raise ValidationError({"on": f"Date d'annulation : le {format_date(on)} précède "
                                         f"l'émission du reçu {receipt.number}, le "
                                         f"{format_date(receipt.issued_on)}."})
        receipt.cancelled = True
        receipt.cancelled_on = on
        receipt.cancel_reason = reason
        donation_ids = list(session.scalars(select(ReceiptLine.donation_id)
                                            .where(ReceiptLine.receipt_id == receipt_id)))
        session.execute(update(Donation).where(Donation.receipt_id == receipt_id)
                        .values(receipt_id=None))
        session.flush()
        if not replace:
            return None
        if correct is not None:
            correct(session)
            session.flush()
        still = list(session.scalars(select(Donation.id).where(Donation.id.in_(donation_ids),
                                                               Donation.withdrawn.is_(False))))
        if not still:
            raise ValidationError({"reason": "Les dons de ce reçu ont tous été retirés : annulez-le "
                                             "sans reçu de remplacement."})
        ctx = issue_context(db, session)
        kind = ReceiptKind(receipt.kind)
        period = (receipt.period_start, receipt.period_end) if kind == ReceiptKind.SUMMARY else None
        return issue_gifts(session, ctx, still, kind=kind, today=today, period=period,
                           replaces_id=receipt_id).id


def reissue_for_donation(db: Database, donation_id: int, *, today: date | None = None) -> int:
    """A pending gift whose last receipt was cancelled: new receipt referring to that one
    (as every receipt issued for such a gift does)."""
    return issue_receipt(db, donation_id, today=today)
