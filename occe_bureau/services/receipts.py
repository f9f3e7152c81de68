"""Tax receipts (reçus fiscaux): numbering, issuing, frozen content, cancel and replace,
yearly summary receipts, batches, and the yearly declaration (article 222 bis CGI).

Numbering. A number reads "2025-00042": the year is the START YEAR OF THE FINANCIAL YEAR in
which the receipt is issued (1 September – 31 August by default, so a receipt issued on
15/03/2026 is in the series "2025-…"), and the sequence restarts at 00001 each financial
year. Why the financial year rather than the calendar year: the declaration the association
files each year (article 222 bis CGI) counts the receipts of its financial year, and its
accounts close on 31 August; with one series per financial year, the receipts of a
declaration are exactly one unbroken series, which is what the accountant and an auditor
check ("00001 to 00508, none missing, cancelled ones listed"). Where the start of the
financial year is set to 1 January, the series is the calendar year.

The next number comes from a counter row (`receipt_counter`) incremented in the very
transaction that stores the frozen receipt; the number is also unique in the schema. So a
failure anywhere in the middle rolls back the counter with the receipt (no gap), and two
issues can never get the same number (no duplicate). A number is never reused: cancelling
keeps the receipt, and its replacement takes a new number that refers to it.

Batches (`ReceiptBatch`) run in ONE transaction, rolled back whole if cancelled or if any
receipt fails: the user sees "nothing was issued" rather than "part of the batch was", and
no number is consumed. Each step of the generator issues and renders one receipt, so the
progress bar moves and a cancel stops between two receipts. The PDF (or the folder of
per-donor PDFs) only appears once the transaction has committed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Date, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.formats import amount_in_words, fold, format_date
from occe_bureau.models.coops import Coop
from occe_bureau.models.donations import (
    Donation, Donor, ReceiptCounter, ReceiptImage, ReceiptLine, TaxReceipt,
)
from occe_bureau.services.donations import COMPANY, display_name
from occe_bureau.services.settings import define_setting, get_association, setting_value
from occe_bureau.services.validation import Checker, ValidationError


# ---- settings ---------------------------------------------------------------------------------

def _check_day_month(text: str) -> str | None:
    try:
        day, month = parse_day_month(text)
        date(2001, month, day)
    except ValueError:
        return "jour et mois attendus, par exemple 01/09."
    if (day, month) == (29, 2):
        return "le 29 février n'existe pas chaque année."
    return None


def parse_day_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*", text or "")
    if not match:
        raise ValueError(text)
    return int(match[1]), int(match[2])


def _check_articles(text: str) -> str | None:
    allowed = {"200", "978"}
    parts = {p.strip() for p in text.split(",") if p.strip()}
    if not parts or not parts <= allowed:
        return "indiquez 200, ou 200, 978 (article 978 : réduction d'IFI, si l'association y a droit)."
    return None


def _check_financial_year_change(db: Database, old: str, new: str) -> str | None:
    """The numbering series follow the financial year: once a receipt of the current (or a
    later) financial year is issued, moving its start would split or merge that series."""
    try:
        old_start, new_start = parse_day_month(old), parse_day_month(new)
    except ValueError:
        return None
    if old_start == new_start:
        return None
    current = financial_year_of(date.today(), old_start)
    with db.session() as session:
        issued = session.scalar(select(func.count(TaxReceipt.id)).where(TaxReceipt.year >= current))
    if issued:
        return (f"des reçus ont déjà été émis pour l'exercice en cours (série {current}) : changer "
                "son début casserait la numérotation et la déclaration annuelle. Faites ce "
                "changement avant le premier reçu d'un exercice.")
    return None


FINANCIAL_YEAR_START = define_setting(
    "receipts.financial_year_start", "Reçus fiscaux – début de l'exercice (jour/mois)", "01/09",
    help="L'exercice de l'association, pour la numérotation des reçus et la déclaration annuelle "
         "(article 222 bis du CGI). Par défaut du 1er septembre au 31 août.",
    check=_check_day_month, check_change=_check_financial_year_change)
BENEFICIARY_TYPE = define_setting(
    "receipts.beneficiary_type", "Reçus fiscaux – type d'organisme bénéficiaire",
    "Association loi 1901 – œuvre ou organisme d'intérêt général",
    help="Imprimé dans la rubrique « Bénéficiaire des versements ».")
PERSON_ARTICLES = define_setting(
    "receipts.person_articles", "Reçus fiscaux – articles du CGI cochés (particuliers)", "200",
    help="200 : réduction d'impôt sur le revenu. Ajoutez 978 seulement si l'association ouvre "
         "droit à la réduction d'IFI.", check=_check_articles)
RECEIPT_NOTE = define_setting(
    "receipts.note", "Reçus fiscaux – mention en bas du reçu",
    "Ce reçu est à joindre à votre déclaration de revenus ou à conserver pour la justifier. "
    "Le don est fait au profit de la coopérative scolaire indiquée, section de l'association.",
    multiline=True)


# The note of a company's receipt (Cerfa 16216): a company has no "déclaration de revenus".
COMPANY_NOTE = ("Ce reçu est à conserver par l'entreprise pour justifier, en cas de contrôle, la "
                "réduction d'impôt prévue à l'article 238 bis du CGI, déclarée avec sa déclaration "
                "de résultats (formulaire n° 2069-RCI). Le don est fait au profit de la "
                "coopérative scolaire indiquée, section de l'association.")


def financial_year_start(db: Database) -> tuple[int, int]:
    try:
        return parse_day_month(setting_value(db, FINANCIAL_YEAR_START))
    except ValueError:
        return 1, 9


def financial_year_of(day: date, start: tuple[int, int]) -> int:
    """The year a financial year starts in (15/03/2026 -> 2025 with a 1 September start)."""
    d, m = start
    return day.year if (day.month, day.day) >= (m, d) else day.year - 1


def financial_year_bounds(year: int, start: tuple[int, int]) -> tuple[date, date]:
    from datetime import timedelta

    d, m = start
    first = date(year, m, d)
    return first, date(year + 1, m, d) - timedelta(days=1)


def financial_year_label(year: int, start: tuple[int, int]) -> str:
    return str(year) if start == (1, 1) else f"{year}-{year + 1}"


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:05d}"


# ---- plain data -------------------------------------------------------------------------------

@dataclass(slots=True)
class ReceiptLineData:
    received_on: date
    amount_cents: int
    method: str
    cheque_number: str


@dataclass
class ReceiptDoc:
    """Everything a receipt prints, as frozen at issue (plus its present state)."""

    id: int
    number: str
    kind: str
    issued_on: date
    donor_kind: str
    donor_name: str
    donor_first_names: str
    donor_siren: str
    donor_legal_form: str
    donor_address: str
    donor_email: str
    amount_cents: int
    amount_words: str
    gift_date: date | None
    period_start: date | None
    period_end: date | None
    form: str
    nature: str
    methods: list[str]
    coop_label: str
    project: str
    beneficiary_name: str
    beneficiary_address: str
    beneficiary_siren_rna: str
    beneficiary_object: str
    beneficiary_type: str
    articles: list[str]
    statement: str
    signatory_name: str
    signatory_title: str
    signed_place: str
    signature: bytes | None
    lines: list[ReceiptLineData]
    duplicate: bool = False
    cancelled: bool = False
    cancelled_on: date | None = None
    cancel_reason: str = ""
    replaces_number: str = ""
    replaced_by_number: str = ""
    logo: bytes | None = None
    donor_id: int | None = None

    @property
    def donor_display(self) -> str:
        return display_name(self.donor_kind, self.donor_name, self.donor_first_names, self.donor_name)

    @property
    def file_stem(self) -> str:
        """A file name for this receipt: number and donor, safe on Windows."""
        name = re.sub(r"[^\w.-]+", "_", fold(self.donor_name + " " + self.donor_first_names)).strip("_")
        return f"recu_{self.number}_{name[:60]}"


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
    def status_label(self) -> str:
        return f"Annulé le {format_date(self.cancelled_on)}" if self.cancelled else "Valide"

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


# ---- the frozen context: what every receipt of one issue prints about the association ----

@dataclass
class _Context:
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
    signature: bytes | None = None
    logo: bytes | None = None
    coop_labels: dict = field(default_factory=dict)
    # A batch reads its gifts and donors once, up front (checked again when claimed).
    gifts: dict = field(default_factory=dict)
    donors: dict = field(default_factory=dict)
    receipted_before: set = field(default_factory=set)  # prefetched gifts that had a receipt

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


def _context(db: Database, session) -> _Context:
    a = get_association(db)
    c = Checker()
    if not a.name:
        c.add("association", "Renseignez d'abord l'association (Paramètres) : nom, adresse, "
                             "SIREN ou RNA, objet et signataire figurent sur chaque reçu.")
    else:
        for value, label in ((a.siren_rna, "SIREN ou RNA"), (a.object, "objet"),
                             (a.signatory_name, "signataire"), (a.address, "adresse")):
            if not value:
                c.add("association", f"Paramètres de l'association : {label} manquant, "
                                     "obligatoire sur un reçu fiscal.")
    c.raise_if_any()
    signature_id = None
    if a.signature:
        digest = hashlib.sha256(a.signature).hexdigest()
        find = select(ReceiptImage.id).where(ReceiptImage.sha256 == digest)
        signature_id = session.scalar(find)
        if signature_id is None:
            # Insert-or-ignore, then read: two workstations storing the same new image at once
            # do not collide on the unique hash.
            session.execute(_insert_or_ignore(session.connection(), ReceiptImage.__table__,
                                              ["sha256"]).values(sha256=digest, data=a.signature))
            signature_id = session.scalar(find)
    address = "\n".join(a.address_lines)
    return _Context(
        beneficiary_name=a.name, beneficiary_address=address,
        beneficiary_siren_rna=a.siren_rna, beneficiary_object=a.object,
        beneficiary_type=setting_value(db, BENEFICIARY_TYPE),
        person_articles=setting_value(db, PERSON_ARTICLES),
        statement=setting_value(db, RECEIPT_NOTE),
        signatory_name=a.signatory_name, signatory_title=a.signatory_title,
        signed_place=a.city, signature_id=signature_id, fy_start=financial_year_start(db),
        signature=a.signature, logo=a.logo,
    )


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
    Donation.receipt_id, Donation.withdrawn,
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


def _issue(session, ctx: _Context, donation_ids: list[int], *, kind: str, today: date,
           period: tuple[date, date] | None = None, replaces_id: int | None = None) -> int:
    """Issue one receipt for these donations (same donor); returns its id."""
    return _issue_full(session, ctx, donation_ids, kind=kind, today=today, period=period,
                       replaces_id=replaces_id)[0]


def _issue_full(session, ctx: _Context, donation_ids: list[int], *, kind: str, today: date,
                period: tuple[date, date] | None = None, replaces_id: int | None = None
                ) -> tuple[int, dict, list[dict]]:
    """Issue one receipt; returns (id, the frozen values stored, the frozen lines)."""
    if not _STMT:
        _STMT.update(_statements())
    conn = session.connection()  # Core statements: one receipt costs a handful of fast queries
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
    donor_ids = {g.donor_id for g in gifts}
    coop_ids = {g.coop_id for g in gifts}
    if len(donor_ids) != 1:
        raise ValidationError({"receipt": "Un reçu ne concerne qu'un seul donateur."})
    donor_id = donor_ids.pop()
    donor = ctx.donors.get(donor_id) or conn.execute(_STMT["donor"], {"donor_id": donor_id}).one()
    if not (donor.address and donor.city):
        raise ValidationError({"receipt": f"Adresse du donateur « {donor.last_name or donor.company_name} » "
                                          "incomplète : elle est obligatoire sur le reçu."})
    coop_label = ctx.coop_labels.get(frozenset(coop_ids))
    if coop_label is None:
        coop_rows = conn.execute(select(Coop.number, Coop.name, Coop.commune)
                                 .where(Coop.id.in_(coop_ids)).order_by(Coop.number)).all()
        coop_label = " ; ".join(f"{n} – {name}" + (f" ({commune})" if commune else "")
                                for n, name, commune in coop_rows)[:300]
        ctx.coop_labels[frozenset(coop_ids)] = coop_label
    total = sum(g.amount_cents for g in gifts)
    forms = {g.form for g in gifts}
    natures = {g.nature for g in gifts}
    methods = sorted({g.method for g in gifts}, key=["especes", "cheque", "virement"].index)
    projects = sorted({g.project for g in gifts if g.project})
    year = financial_year_of(today, ctx.fy_start)
    seq = _next_seq(conn, year)
    company = donor.kind == COMPANY
    address_lines = [donor.address, " ".join(p for p in (donor.postal_code, donor.city) if p)]
    if donor.country and fold(donor.country) != "france":
        address_lines.append(donor.country)
    number = format_number(year, seq)
    values = dict(
        number=number, year=year, seq=seq, kind=kind, issued_on=today,
        issued_at=datetime.now(UTC), donor_id=donor.id, coop_id=min(coop_ids),
        donor_kind=donor.kind,
        donor_name=donor.company_name if company else donor.last_name,
        donor_first_names="" if company else donor.first_names,
        donor_siren=donor.siren if company else "", donor_legal_form=donor.legal_form if company else "",
        donor_address="\n".join(line for line in address_lines if line), donor_email=donor.email,
        amount_cents=total, amount_words=amount_in_words(total),
        gift_date=gifts[0].received_on if kind == "single" else None,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        form=forms.pop() if len(forms) == 1 else "autre",
        nature=natures.pop() if len(natures) == 1 else "autre",
        methods=",".join(methods), coop_label=coop_label, project=", ".join(projects)[:200],
        beneficiary_name=ctx.beneficiary_name, beneficiary_address=ctx.beneficiary_address,
        beneficiary_siren_rna=ctx.beneficiary_siren_rna, beneficiary_object=ctx.beneficiary_object,
        beneficiary_type=ctx.beneficiary_type,
        articles="238 bis" if company else ctx.person_articles,
        statement=COMPANY_NOTE if company else ctx.statement, signatory_name=ctx.signatory_name,
        signatory_title=ctx.signatory_title, signature_id=ctx.signature_id,
        signed_place=ctx.signed_place, cancelled=False, cancel_reason="", replaces_id=replaces_id,
        printed_at=None,
        search_key=fold(f"{number} {donor.last_name} {donor.first_names} {donor.company_name} "
                        f"{coop_label}")[:800],
    )
    # A gift whose receipt was cancelled: the new receipt replaces that one (for a summary,
    # each cancelled receipt it covers), however it is issued.
    known = all(g.id in ctx.gifts for g in gifts)  # a batch knows which gifts had a receipt
    replaced = _previous_receipts(conn, [g.id for g in gifts]) if not known or any(
        g.id in ctx.receipted_before for g in gifts) else {}
    if replaces_id is None and replaced:
        values["replaces_id"] = replaces_id = min(replaced)
    receipt_id = conn.execute(_STMT["receipt"], values).inserted_primary_key[0]
    values["replaces_numbers"] = ", ".join(replaced[i] for i in sorted(replaced))
    lines = [dict(receipt_id=receipt_id, donation_id=g.id, received_on=g.received_on,
                  amount_cents=g.amount_cents, method=g.method, cheque_number=g.cheque_number)
             for g in gifts]
    conn.execute(_STMT["lines"], lines)
    claimed = conn.execute(_STMT["claim"], {"ids": [g.id for g in gifts], "rid": receipt_id}).rowcount
    if claimed != len(gifts):  # another workstation issued or withdrew one of them meanwhile
        raise ValidationError({"receipt": "Un de ces dons vient d'être reçu ou retiré sur un autre "
                                          "poste : recommencez."})
    return receipt_id, values, lines


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


def _doc_from_values(receipt_id: int, v: dict, lines: list[dict], *, signature: bytes | None,
                     logo: bytes | None) -> "ReceiptDoc":
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
        replaces_number=v.get("replaces_numbers", ""), logo=logo)


CONFLICT = ("Un autre poste émettait un reçu au même moment : rien n'a été émis, aucun numéro "
            "n'a été consommé. Recommencez.")


@contextmanager
def _issuing(db: Database) -> Iterator:
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
    today = today or date.today()
    with _issuing(db) as session:
        ctx = _context(db, session)
        return _issue(session, ctx, [donation_id], kind="single", today=today)


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


def check_summary_period(db: Database, start: date | None, end: date | None,
                         today: date | None = None) -> None:
    """The period of a yearly summary receipt: both dates, start before end, ended by today,
    and inside one financial year. Raises ValidationError."""
    today = today or date.today()
    if not (start and end):
        raise ValidationError({"period": "Reçus récapitulatifs : indiquez la période."})
    if start > end:
        raise ValidationError({"period": "Période : le début est après la fin."})
    if end > today:
        raise ValidationError({"period": "Période : elle se termine après aujourd'hui ; un reçu "
                                         "récapitulatif porte sur des dons déjà reçus."})
    fy_start = financial_year_start(db)
    year = financial_year_of(start, fy_start)
    if financial_year_of(end, fy_start) != year:
        first, last = financial_year_bounds(year, fy_start)
        raise ValidationError({"period": "Période : elle doit tenir dans un seul exercice (du "
                                         f"{format_date(first)} au {format_date(last)} pour ce début)."})


def issue_summary(db: Database, donor_id: int, start: date, end: date, *,
                  today: date | None = None) -> int:
    """One yearly summary receipt for all pending gifts of a donor in [start, end]."""
    today = today or date.today()
    check_summary_period(db, start, end, today)
    groups = pending_summary_groups(db, start, end, donor_id=donor_id)
    if not groups:
        raise ValidationError({"period": "Aucun don en attente de reçu pour ce donateur sur la période."})
    with _issuing(db) as session:
        ctx = _context(db, session)
        return _issue(session, ctx, groups[0], kind="summary", today=today, period=(start, end))


def cancel_receipt(db: Database, receipt_id: int, reason: str, *, on: date | None = None,
                   replace: bool = False, today: date | None = None) -> int | None:
    """Cancel a receipt: it is kept, marked cancelled with the reason and the date; its gifts
    become pending again. With replace=True, the replacement (new number, current donor
    details, "annule et remplace le reçu n° …") is issued in the same transaction; its id
    is returned."""
    c = Checker()
    reason = c.text("reason", "Motif de l'annulation", reason, max_length=300, required=True)
    c.raise_if_any()
    today = today or date.today()
    with _issuing(db) as session:
        receipt = session.get(TaxReceipt, receipt_id)
        if receipt is None:
            raise ValidationError({"reason": "Ce reçu n'existe plus."})
        if receipt.cancelled:
            raise ValidationError({"reason": f"Le reçu {receipt.number} est déjà annulé."})
        receipt.cancelled = True
        receipt.cancelled_on = on or today
        receipt.cancel_reason = reason
        donation_ids = list(session.scalars(select(ReceiptLine.donation_id)
                                            .where(ReceiptLine.receipt_id == receipt_id)))
        session.execute(update(Donation).where(Donation.receipt_id == receipt_id)
                        .values(receipt_id=None))
        session.flush()
        if not replace:
            return None
        still = list(session.scalars(select(Donation.id).where(Donation.id.in_(donation_ids),
                                                               Donation.withdrawn.is_(False))))
        if not still:
            raise ValidationError({"reason": "Les dons de ce reçu ont tous été retirés : annulez-le "
                                             "sans reçu de remplacement."})
        ctx = _context(db, session)
        period = (receipt.period_start, receipt.period_end) if receipt.kind == "summary" else None
        return _issue(session, ctx, still, kind=receipt.kind, today=today, period=period,
                      replaces_id=receipt_id)


def reissue_for_donation(db: Database, donation_id: int, *, today: date | None = None) -> int:
    """A pending gift whose last receipt was cancelled: new receipt referring to that one
    (as every receipt issued for such a gift does)."""
    return issue_receipt(db, donation_id, today=today)


# ---- reading ----------------------------------------------------------------------------------

def _receipt_query():
    return select(
        TaxReceipt.id, TaxReceipt.number, TaxReceipt.year, TaxReceipt.seq, TaxReceipt.kind,
        TaxReceipt.issued_on, TaxReceipt.donor_id, TaxReceipt.donor_kind, TaxReceipt.donor_name,
        TaxReceipt.donor_first_names, TaxReceipt.coop_id, TaxReceipt.coop_label,
        TaxReceipt.amount_cents, TaxReceipt.gift_date, TaxReceipt.period_start,
        TaxReceipt.period_end, TaxReceipt.methods, TaxReceipt.cancelled, TaxReceipt.cancelled_on,
        TaxReceipt.cancel_reason, TaxReceipt.replaces_id, TaxReceipt.printed_at.is_not(None),
        TaxReceipt.search_key)


def _row(r) -> ReceiptRow:
    return ReceiptRow(
        id=r[0], number=r[1], year=r[2], seq=r[3], kind=r[4], issued_on=r[5], donor_id=r[6],
        donor_display=r[8] if r[7] == COMPANY or not r[9] else f"{r[8]} {r[9]}",
        coop_id=r[10], coop_label=r[11],
        amount_cents=r[12], gift_date=r[13], period_start=r[14], period_end=r[15], methods=r[16],
        cancelled=r[17], cancelled_on=r[18], cancel_reason=r[19], replaces_id=r[20],
        printed=bool(r[21]), search_key=r[22])


def list_receipts(db: Database, flt: ReceiptFilter) -> list[ReceiptRow]:
    query = _receipt_query()
    if flt.year is not None:
        query = query.where(TaxReceipt.year == flt.year)
    if flt.coop_id:
        query = query.where(TaxReceipt.coop_id == flt.coop_id)
    if flt.donor_id:
        query = query.where(TaxReceipt.donor_id == flt.donor_id)
    if not flt.include_cancelled:
        query = query.where(TaxReceipt.cancelled.is_(False))
    query = query.order_by(TaxReceipt.year.desc(), TaxReceipt.seq.desc())
    with db.engine.connect() as conn:
        rows = [_row(r) for r in conn.execute(query).fetchall()]
    if flt.search:
        words = fold(flt.search).split()
        rows = [r for r in rows if all(w in r.search_key for w in words)]
    return rows


def receipt_years(db: Database) -> list[int]:
    with db.session() as session:
        return sorted(session.scalars(select(TaxReceipt.year).distinct()), reverse=True)


def _docs(session, receipt_ids: list[int], *, logo: bytes | None = None) -> list[ReceiptDoc]:
    receipts = {r.id: r for r in session.scalars(select(TaxReceipt).where(TaxReceipt.id.in_(receipt_ids)))}
    lines: dict[int, list[ReceiptLineData]] = defaultdict(list)
    for l in session.scalars(select(ReceiptLine).where(ReceiptLine.receipt_id.in_(receipt_ids))
                             .order_by(ReceiptLine.received_on, ReceiptLine.id)):
        lines[l.receipt_id].append(ReceiptLineData(l.received_on, l.amount_cents, l.method, l.cheque_number))
    images = {}
    sig_ids = {r.signature_id for r in receipts.values() if r.signature_id}
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
            duplicate=r.printed_at is not None, cancelled=r.cancelled,
            cancelled_on=r.cancelled_on, cancel_reason=r.cancel_reason,
            replaces_number=linked(r.id, after=False),
            replaced_by_number=linked(r.id, after=True), logo=logo))
    return docs


def receipt_doc(db: Database, receipt_id: int) -> ReceiptDoc:
    """The frozen receipt as it prints now: "Duplicata" once it has been printed before."""
    logo = get_association(db).logo
    with db.session() as session:
        return _docs(session, [receipt_id], logo=logo)[0]


def receipt_pdf(db: Database, receipt_id: int) -> tuple[bytes, ReceiptDoc]:
    """The PDF of one receipt (not marked printed: call mark_printed once it is printed/saved)."""
    from occe_bureau.documents.receipt import receipts_pdf

    doc = receipt_doc(db, receipt_id)
    return receipts_pdf([doc]), doc


def mark_printed(db: Database, receipt_ids: list[int]) -> None:
    """The originals went to the printer or to a file: later prints are duplicates."""
    with db.transaction() as session:
        session.execute(update(TaxReceipt).where(TaxReceipt.id.in_(receipt_ids),
                                                 TaxReceipt.printed_at.is_(None))
                        .values(printed_at=datetime.now(UTC)))


# ---- batches ----------------------------------------------------------------------------------

ONE_PDF = "one_pdf"
PER_DONOR = "per_donor"


@dataclass
class BatchSelection:
    """Which pending gifts: a coop's, those received in a period, or all (None = no limit).
    summary=True: one yearly summary receipt per donor over [start, end]."""

    coop_id: int | None = None
    start: date | None = None
    end: date | None = None
    summary: bool = False


@dataclass
class BatchResult:
    receipt_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    pdf: bytes | None = None
    files: list[Path] = field(default_factory=list)
    total_cents: int = 0

    @property
    def first_last(self) -> str:
        return f"{self.numbers[0]} à {self.numbers[-1]}" if self.numbers else ""


def _pending_groups(db: Database, sel: BatchSelection, today: date | None = None
                    ) -> list[list[int]]:
    if sel.summary:
        check_summary_period(db, sel.start, sel.end, today)
        return pending_summary_groups(db, sel.start, sel.end, coop_id=sel.coop_id)
    if sel.start and sel.end and sel.start > sel.end:
        raise ValidationError({"period": "Période : le début est après la fin."})
    query = select(Donation.id).where(Donation.receipt_id.is_(None), Donation.withdrawn.is_(False))
    if sel.coop_id:
        query = query.where(Donation.coop_id == sel.coop_id)
    if sel.start:
        query = query.where(Donation.received_on >= sel.start)
    if sel.end:
        query = query.where(Donation.received_on <= sel.end)
    with db.session() as session:
        return [[i] for i in session.scalars(query.order_by(Donation.received_on, Donation.id))]


def pending_count(db: Database, sel: BatchSelection, today: date | None = None) -> int:
    return len(_pending_groups(db, sel, today))


class BatchCancelled(Exception):
    """The user stopped the batch: nothing was issued."""


class ReceiptBatch:
    """Issue and print the pending receipts of a selection, one step per receipt.

    Use `steps()` (a generator yielding (done, total)) from a worker; close it (or stop
    iterating and call close) to cancel: the transaction is rolled back, nothing issued, no
    number used, no file left. Or call `run(progress, cancelled)`.
    """

    def __init__(self, db: Database, sel: BatchSelection, *, output: str = ONE_PDF,
                 folder: str | Path | None = None, today: date | None = None) -> None:
        if output == PER_DONOR and not folder:
            raise ValidationError({"folder": "Choisissez le dossier où enregistrer les reçus."})
        self.db = db
        self.sel = sel
        self.output = output
        self.folder = Path(folder) if folder else None
        self.today = today or date.today()
        self.groups = _pending_groups(db, sel, self.today)
        if output == PER_DONOR:  # a donor's receipts follow each other: one file per donor
            with db.session() as session:
                donor_of = dict(session.execute(select(Donation.id, Donation.donor_id).where(
                    Donation.receipt_id.is_(None), Donation.withdrawn.is_(False))).all())
            self.groups.sort(key=lambda group: donor_of.get(group[0], 0))
        self.total = len(self.groups)
        self.result: BatchResult | None = None

    def steps(self) -> Iterator[tuple[int, int]]:
        from occe_bureau.documents.receipt import ReceiptWriter

        result = BatchResult()
        logo = get_association(self.db).logo
        staging = None
        writer = ReceiptWriter() if self.output == ONE_PDF else None
        donor_docs: list = []  # PER_DONOR: the current donor's receipts, written on change

        def write_donor_file() -> None:
            from occe_bureau.documents.receipt import receipts_pdf

            if donor_docs:
                first = donor_docs[0]
                path = staging / f"{first.file_stem}.pdf"
                path.write_bytes(receipts_pdf(donor_docs, f"Reçus fiscaux – {first.donor_display}"))
                result.files.append(path)
                donor_docs.clear()

        try:
            if self.output == PER_DONOR:
                self.folder.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=".recus-", dir=self.folder))
            with _issuing(self.db) as session:
                ctx = _context(self.db, session)
                ctx.prefetch(session.connection(), [i for group in self.groups for i in group])
                yield 0, self.total
                period = (self.sel.start, self.sel.end) if self.sel.summary else None
                kind = "summary" if self.sel.summary else "single"
                for done, group in enumerate(self.groups, start=1):
                    rid, values, lines = _issue_full(session, ctx, group, kind=kind,
                                                     today=self.today, period=period)
                    doc = _doc_from_values(rid, values, lines, signature=ctx.signature, logo=logo)
                    result.receipt_ids.append(rid)
                    result.numbers.append(doc.number)
                    result.total_cents += doc.amount_cents
                    if writer is not None:
                        writer.add(doc)
                    else:
                        if donor_docs and values["donor_id"] != donor_docs[0].donor_id:
                            write_donor_file()
                        doc.donor_id = values["donor_id"]
                        donor_docs.append(doc)
                    yield done, self.total
                write_donor_file()
                if result.receipt_ids:
                    session.execute(update(TaxReceipt).where(TaxReceipt.id.in_(result.receipt_ids))
                                    .values(printed_at=datetime.now(UTC)))
                if writer is not None:
                    result.pdf = writer.finish()
            if staging is not None:  # committed: move the files into place
                final = []
                for path in result.files:
                    target = self.folder / path.name
                    shutil.move(str(path), target)
                    final.append(target)
                result.files = final
            self.result = result
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def run(self, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> BatchResult:
        steps = self.steps()
        try:
            for done, total in steps:
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    steps.close()  # GeneratorExit inside the transaction: rolled back
                    raise BatchCancelled("Émission annulée : aucun reçu n'a été émis.")
        finally:
            steps.close()
        return self.result


# ---- the yearly declaration (article 222 bis CGI) --------------------------------------------

@dataclass
class Declaration:
    year: int
    label: str
    start: date
    end: date
    count: int
    total_cents: int
    rows: list[ReceiptRow]              # the receipts declared (cancelled ones excluded)
    cancelled: list[ReceiptRow]         # listed apart, for the auditor
    association: str = ""
    siren_rna: str = ""

    @property
    def total_words(self) -> str:
        return amount_in_words(self.total_cents) if self.total_cents else "zéro euro"


def declaration(db: Database, year: int) -> Declaration:
    """Number and total of the receipts issued in financial year `year`, cancelled excluded,
    with the list behind them."""
    start_dm = financial_year_start(db)
    start, end = financial_year_bounds(year, start_dm)
    # One lean query (no ORM, only the printed columns, ISO dates parsed in C): a year can
    # hold fifteen thousand receipts and the declaration must come at once.
    columns = ("id, number, year, seq, issued_on, "
               "CASE WHEN donor_kind = 'company' OR donor_first_names = '' THEN donor_name "
               "ELSE donor_name || ' ' || donor_first_names END, "
               "coop_label, amount_cents, gift_date, period_start, period_end, methods, cancelled, "
               "cancelled_on, cancel_reason")
    where = "FROM tax_receipt WHERE issued_on >= {a} AND issued_on <= {b} ORDER BY year, seq"
    valid: list[ReceiptRow] = []
    cancelled: list[ReceiptRow] = []
    with db.engine.connect() as conn:
        if db.is_sqlite:
            # The bare driver: no row objects in between (a year can hold fifteen thousand
            # receipts, and SQLite gives dates as ISO text, parsed here in C).
            iso = date.fromisoformat
            rows = conn.connection.driver_connection.execute(
                f"SELECT {columns} {where.format(a='?', b='?')}",
                (start.isoformat(), end.isoformat())).fetchall()
        else:
            iso = lambda value: value  # noqa: E731 (a server gives dates)
            rows = conn.execute(text(f"SELECT {columns} {where.format(a=':start', b=':end')}")
                                .bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date)),
                                {"start": start, "end": end}).fetchall()
        for (rid, number, y, seq, issued, donor, coop, cents, gift, p_start,
             p_end, methods, is_cancelled, c_on, reason) in rows:
            # (only what the declaration prints: kind, donor, coop and links are left out)
            row = ReceiptRow(
                rid, number, y, seq, "summary" if p_start else "single", iso(issued), 0, donor,
                0, coop, cents, iso(gift) if gift else None, iso(p_start) if p_start else None,
                iso(p_end) if p_end else None, methods, bool(is_cancelled),
                iso(c_on) if c_on else None, reason, None, True, "")
            (cancelled if is_cancelled else valid).append(row)
    a = get_association(db)
    return Declaration(year=year, label=financial_year_label(year, start_dm), start=start, end=end,
                       count=len(valid), total_cents=sum(r.amount_cents for r in valid),
                       rows=valid, cancelled=cancelled, association=a.name, siren_rna=a.siren_rna)


def current_financial_year(db: Database, today: date | None = None) -> int:
    return financial_year_of(today or date.today(), financial_year_start(db))


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
