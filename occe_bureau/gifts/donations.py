"""Donations: what a gift is (its checks and the service warning), withdraw, list, totals
per coop. (Entering gifts, one or a coop's request: request_plan; donors: donors; a request read
from a spreadsheet: request_import.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlalchemy import case, func, select

from occe_bureau.db import Database
from occe_bureau.formats import fold, parse_date, parse_money
from occe_bureau.paging import PAGE_SIZE, RowPage, fetch_page, words_match
from occe_bureau.coops import Coop
from occe_bureau.gifts.donors import DonorData, check_donor
from occe_bureau.gifts.enums import (
    DonorKind, GiftForm, GiftNature, GiftSource, PaymentMethod, parse_code,
)
from occe_bureau.gifts.models import Donation, Donor, TaxReceipt
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock, versions

MAX_AMOUNT_CENTS = 100_000_000_00  # one hundred million euros: beyond, a typing error

# Words and phrases that suggest a parent's payment for a service rather than a gift
# (DOMAIN.md: "a parent's payment to their own child's coop for an outing or photos is not a
# donation"). Matched as whole folded words ("arbustes" is not "bus", "car" is not "carte"),
# plurals included; each entry is a regular expression over folded text.
SERVICE_WORDS = (
    r"sorties?", r"excursions?", r"voyages?", r"sejours?", r"visites?",
    r"classes? (?:verte|de neige|de mer|de decouverte|decouverte|transplantee)s?",
    r"photos?", r"photographies?", r"photographe", r"cantine", r"repas", r"gouters?",
    r"entrees?", r"billets?", r"places? de (?:cinema|spectacle|theatre|concert)",
    r"spectacles? payants?", r"piscine", r"transports?", r"car", r"cars", r"autocars?", r"bus",
    r"participation aux frais", r"participation (?:a|pour) la sortie", r"inscriptions?",
    r"cotisations?", r"kermesses?", r"tombolas?", r"ventes?", r"achats?", r"t-?shirts?",
    r"tee-?shirts?", r"calendriers?", r"abonnements?", r"fournitures",
)
_SERVICE_RE = re.compile(r"(?<![a-z0-9])(" + "|".join(SERVICE_WORDS) + r")(?![a-z0-9])")


# ---- plain data ------------------------------------------------------------------------------

@dataclass
class DonationData:
    """What the form (or a line of a request, or an import row) says about a gift."""

    coop_id: int | None = None
    amount: int | str | None = None  # cents (int) or text typed ("50", "12,50 €")
    received_on: date | str | None = None
    method: str = PaymentMethod.CHEQUE
    cheque_number: str = ""
    form: str = GiftForm.MANUEL
    nature: str = GiftNature.NUMERAIRE
    source: str = GiftSource.COOP
    project: str = ""
    notes: str = ""
    # A gift in kind (nature "Autres"): what was given, and how it was valued (the amount).
    kind_description: str = ""
    kind_valuation: str = ""
    donor_id: int | None = None        # an existing donor chosen by the user…
    donor: DonorData | None = None     # …or a new one (or the corrected details of donor_id)


class GiftState(StrEnum):
    """Where a gift stands (derived: from its receipt and its withdrawal)."""

    PENDING = "pending"
    RECEIPTED = "receipted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"pending": "Reçu à établir", "receipted": "Reçu", "withdrawn": "Retiré"}[self]


@dataclass(slots=True)
class DonationRow:
    id: int
    received_on: date
    amount_cents: int
    method: str
    cheque_number: str
    source: str
    project: str
    donor_id: int
    donor_kind: str
    donor_name: str
    donor_town: str
    coop_id: int
    coop_number: str
    coop_name: str
    receipt_id: int | None
    receipt_number: str
    withdrawn: bool
    search_key: str
    version: int = 1  # as listed: an action from the list is refused if the gift changed since

    @property
    def state(self) -> GiftState:
        if self.withdrawn:
            return GiftState.WITHDRAWN
        return GiftState.RECEIPTED if self.receipt_id else GiftState.PENDING

    @property
    def status_label(self) -> str:
        if self.state == GiftState.RECEIPTED:
            return f"{self.state.label} {self.receipt_number}"
        return self.state.label


@dataclass
class DonationFilter:
    start: date | None = None
    end: date | None = None
    coop_id: int | None = None
    pending_only: bool = False
    include_withdrawn: bool = False
    search: str = ""
    source: str | None = None         # a GiftSource: the coops' requests, the platform…


# ---- checks -----------------------------------------------------------------------------------

METHOD_ALIASES = {
    "espece": PaymentMethod.ESPECES, "liquide": PaymentMethod.ESPECES,
    "cash": PaymentMethod.ESPECES, "chq": PaymentMethod.CHEQUE, "chèque": PaymentMethod.CHEQUE,
    "prelevement": PaymentMethod.VIREMENT, "carte": PaymentMethod.VIREMENT,
    "cb": PaymentMethod.VIREMENT, "carte bancaire": PaymentMethod.VIREMENT,
    "vir": PaymentMethod.VIREMENT,
}


def parse_method(value: str) -> PaymentMethod | None:
    """The payment method a person typed ("chèque", "CB", "liquide"…), or None."""
    key = fold(value or "").strip()
    return parse_code(PaymentMethod, key) or METHOD_ALIASES.get(key)


def check_donation(data: DonationData, *, today: date | None = None, prefix: str = ""
                   ) -> tuple[DonationData, dict[str, str], list[str]]:
    """The cleaned data, the French errors per field, and the warnings to confirm."""
    today = today or clock.today()
    c = Checker()
    clean = replace(data)
    if not data.coop_id:
        c.add(prefix + "coop", "Coopérative : choisissez la coopérative qui reçoit le don.")
    # amount
    amount = None
    try:
        amount = data.amount if isinstance(data.amount, int) and not isinstance(data.amount, bool) \
            else parse_money(data.amount if data.amount not in ("",) else None)
    except ValueError as exc:
        c.add(prefix + "amount", f"Montant : {exc}")
    if amount is not None:
        if amount <= 0:
            c.add(prefix + "amount", "Montant : doit être supérieur à zéro.")
        elif amount > MAX_AMOUNT_CENTS:
            c.add(prefix + "amount", "Montant : trop élevé, vérifiez la saisie.")
    clean.amount = amount
    # date
    received = None
    try:
        received = parse_date(data.received_on)
    except ValueError as exc:
        c.add(prefix + "received_on", f"Date du don : {exc}")
    if received is None and prefix + "received_on" not in c.errors:
        c.add(prefix + "received_on", "Date du don : ce champ est obligatoire.")
    elif received is not None and received > today:
        c.add(prefix + "received_on", "Date du don : la date est dans le futur.")
    elif received is not None and received.year < 2000:
        c.add(prefix + "received_on", "Date du don : trop ancienne, vérifiez l'année.")
    clean.received_on = received
    method = parse_method(data.method)
    if method is None:
        c.add(prefix + "method", f"Mode de paiement : « {data.method} » inconnu "
                                 "(espèces, chèque, virement / prélèvement / carte).")
    clean.method = method or PaymentMethod.CHEQUE
    clean.cheque_number = c.text(prefix + "cheque_number", "N° de chèque", data.cheque_number,
                                 max_length=30) if clean.method == PaymentMethod.CHEQUE else ""
    for name, codes, label in (("form", GiftForm, "Forme du don"),
                               ("nature", GiftNature, "Nature du don"),
                               ("source", GiftSource, "Origine")):
        value = parse_code(codes, getattr(data, name))
        if value is None:
            c.add(prefix + name, f"{label} : inconnue.")
        else:
            setattr(clean, name, value)
    in_kind = clean.nature == GiftNature.AUTRE
    clean.kind_description = c.text(prefix + "kind_description", "Don en nature : description des biens",
                                    data.kind_description, max_length=1000, required=in_kind,
                                    multiline=True) if in_kind else ""
    clean.kind_valuation = c.text(prefix + "kind_valuation", "Don en nature : méthode d'évaluation",
                                  data.kind_valuation, max_length=500, required=in_kind,
                                  multiline=True) if in_kind else ""
    clean.project = c.text(prefix + "project", "Projet", data.project, max_length=200)
    clean.notes = c.text(prefix + "notes", "Notes", data.notes, max_length=2000, multiline=True)
    if data.donor is not None:
        clean.donor = check_donor(data.donor, c, prefix)
    elif not data.donor_id:
        c.add(prefix + "last_name", "Donateur : choisissez un donateur connu ou saisissez-le.")
    return clean, c.errors, service_warnings(clean)


def service_warnings(data: DonationData) -> list[str]:
    """Why this gift may be a payment for a service (not a donation): warnings, not errors."""
    text = " ".join(fold(f"{data.project} {data.notes}").split())
    found = [m.group(1) for m in _SERVICE_RE.finditer(text)]
    warnings = []
    if found:
        warnings.append(
            "Ce versement ressemble au paiement d'un service (" + ", ".join(sorted(set(found))) +
            ") : une participation à une sortie, des photos ou un achat n'ouvre pas droit à un "
            "reçu fiscal. Confirmez qu'il s'agit bien d'un don sans contrepartie.")
    return warnings


# ---- gifts ------------------------------------------------------------------------------------

def withdraw_donation(db: Database, donation_id: int, reason: str, *,
                      version: int | None = None) -> None:
    """A gift entered by mistake (or not a gift) is withdrawn, kept, never deleted; with the
    version listed, refused (StaleRecord) if the gift changed since."""
    c = Checker()
    reason = c.text("reason", "Motif", reason, max_length=300, required=True)
    c.raise_if_any()
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Donation, donation_id, version, what="Ce don", feminine=False,
                           since=versions.LIST_SINCE, advice=versions.LIST_ADVICE)
        d = session.get(Donation, donation_id)
        if d is None:
            raise ValidationError({"reason": "Ce don n'existe plus."})
        if d.receipt_id is not None:
            raise ValidationError({"reason": "Un reçu a été établi pour ce don : annulez d'abord le reçu."})
        d.withdrawn = True
        d.withdrawn_reason = reason


def pending_gift_count(db: Database, coop_id: int) -> int:
    """How many of this coop's gifts still wait for their receipt (withdrawn ones aside)."""
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Donation).where(
            Donation.coop_id == coop_id, Donation.receipt_id.is_(None),
            Donation.withdrawn.is_(False)))


class DonationOrder(StrEnum):
    """What a list of gifts can be sorted by (in SQL: the list can be long)."""
    RECEIVED = "received"
    DONOR = "donor"
    TOWN = "town"
    COOP = "coop"
    AMOUNT = "amount"
    METHOD = "method"
    SOURCE = "source"
    PROJECT = "project"
    RECEIPT = "receipt"


# What each order sorts by, and the tables it needs beside the gifts'.
_DONATION_ORDERS = {
    DonationOrder.RECEIVED: ((Donation.received_on,), ()),
    DonationOrder.DONOR: ((Donor.name_key,), (Donor,)),
    DonationOrder.TOWN: ((Donor.city,), (Donor,)),
    DonationOrder.COOP: ((Coop.number,), (Coop,)),
    DonationOrder.AMOUNT: ((Donation.amount_cents,), ()),
    DonationOrder.METHOD: ((Donation.method, Donation.cheque_number), ()),
    DonationOrder.SOURCE: ((Donation.source,), ()),
    DonationOrder.PROJECT: ((Donation.project,), ()),
    DonationOrder.RECEIPT: ((func.coalesce(TaxReceipt.year, 0), func.coalesce(TaxReceipt.seq, 0)),
                            (TaxReceipt,)),
}


def _donation_conditions(flt: DonationFilter) -> list:
    conditions = []
    if flt.start:
        conditions.append(Donation.received_on >= flt.start)
    if flt.end:
        conditions.append(Donation.received_on <= flt.end)
    if flt.coop_id:
        conditions.append(Donation.coop_id == flt.coop_id)
    if flt.pending_only:
        conditions.append(Donation.receipt_id.is_(None))
    if flt.source:
        conditions.append(Donation.source == GiftSource(flt.source).value)
    if not flt.include_withdrawn:
        conditions.append(Donation.withdrawn.is_(False))
    # A donor erased on request (RGPD): their gifts are no longer listed.
    conditions.append(Donation.donor_id.not_in(select(Donor.id).where(Donor.erased_on.is_not(None))))
    return conditions


def _joined(query, tables):
    """The gifts' query joined to the donors, coops and receipts it needs (no more: on a
    year of 15 000 gifts each join costs)."""
    if Donor in tables:
        query = query.join(Donor, Donor.id == Donation.donor_id)
    if Coop in tables:
        query = query.join(Coop, Coop.id == Donation.coop_id)
    if TaxReceipt in tables:
        query = query.outerjoin(TaxReceipt, TaxReceipt.id == Donation.receipt_id)
    return query


def _donation_query(flt: DonationFilter):
    query = _joined(
        select(Donation.id, Donation.received_on, Donation.amount_cents, Donation.method,
               Donation.cheque_number, Donation.source, Donation.project, Donor.id, Donor.kind,
               Donor.last_name, Donor.first_names, Donor.company_name, Donor.postal_code,
               Donor.city, Coop.id, Coop.number, Coop.name, Donation.receipt_id,
               func.coalesce(TaxReceipt.number, ""), Donation.withdrawn,
               Donor.search_key, Donation.version).select_from(Donation),
        (Donor, Coop, TaxReceipt))
    return query.where(*_donation_conditions(flt))


class _DonationRows:
    """Builds the rows of a result, folding each coop's name once, not once per gift."""

    def __init__(self) -> None:
        self.coop_keys: dict[int, str] = {}

    def __call__(self, r) -> DonationRow:
        coop_key = self.coop_keys.get(r[14])
        if coop_key is None:
            coop_key = self.coop_keys[r[14]] = fold(f"{r[15]} {r[16]}")
        return DonationRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
            r[11] if r[8] == DonorKind.COMPANY else (f"{r[9]} {r[10]}" if r[10] else r[9]),
            f"{r[12]} {r[13]}" if r[12] else r[13], r[14], r[15], r[16], r[17], r[18], r[19],
            f"{r[20]} {coop_key} {r[18].lower()}", r[21])


def list_donations(db: Database, flt: DonationFilter) -> list[DonationRow]:
    """Every gift of the filter, newest first (for short lists: a coop's, a donor's)."""
    query = _donation_query(flt).order_by(Donation.received_on.desc(), Donation.id.desc())
    build = _DonationRows()
    with db.engine.connect() as conn:
        rows = [build(r) for r in conn.execute(query).fetchall()]
    return search_rows(rows, flt.search) if flt.search else rows


def page_of_donations(db: Database, flt: DonationFilter, order: DonationOrder = DonationOrder.RECEIVED,
                      descending: bool = True, offset: int = 0,
                      limit: int | None = PAGE_SIZE) -> RowPage[DonationRow]:
    """A page of the gifts of the filter, sorted and searched by the database (a year of
    gifts at a large association is too long to load whole), with how many there are."""
    conditions = _donation_conditions(flt)
    searched = (Donor, Coop, TaxReceipt) if flt.search.strip() else ()
    found = words_match(flt.search, Donor.search_key, Coop.search_key,
                        func.lower(func.coalesce(TaxReceipt.number, "")))
    if found is not None:
        conditions.append(found)
    by, needs = _DONATION_ORDERS[order]
    sort = [e.desc() if descending else e.asc() for e in (*by, Donation.id)]
    ids = _joined(select(Donation.id).select_from(Donation), set(needs) | set(searched))
    count = _joined(select(func.count()).select_from(Donation), searched)
    full = _donation_query(DonationFilter(include_withdrawn=True))
    with db.engine.connect() as conn:
        return fetch_page(conn, ids=ids.where(*conditions).order_by(*sort),
                          count=count.where(*conditions),
                          rows=lambda page: full.where(Donation.id.in_(page)),
                          offset=offset, limit=limit, build=_DonationRows())


def search_rows(rows, text: str):
    """Rows (donations or receipts) whose donor, number or coop contain every word typed."""
    words = fold(text).split()
    if not words:
        return rows
    return [row for row in rows if all(w in row.search_key for w in words)]


# ---- per coop and per year -------------------------------------------------------------------

@dataclass(slots=True)
class CoopDonationTotals:
    coop_id: int
    coop_number: str
    coop_name: str
    gifts: int
    amount_cents: int
    receipts: int
    pending: int


def totals_by_coop(db: Database, start: date, end: date) -> list[CoopDonationTotals]:
    """For each coop that received gifts in [start, end]: gifts, amount, receipts, pending."""
    query = (
        select(Coop.id, Coop.number, Coop.name, func.count(Donation.id),
               func.sum(Donation.amount_cents),
               func.count(func.distinct(Donation.receipt_id)),
               func.sum(case((Donation.receipt_id.is_(None), 1), else_=0)))
        .join(Donation, Donation.coop_id == Coop.id)
        .where(Donation.received_on >= start, Donation.received_on <= end,
               Donation.withdrawn.is_(False))
        .group_by(Coop.id).order_by(Coop.number)
    )
    with db.session() as session:
        return [CoopDonationTotals(*r) for r in session.execute(query)]
