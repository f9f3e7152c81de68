"""Donations: entry one by one or as a coop's request, checks, the service warning,
withdraw, list, totals per coop. (Donors: services.donors; import: services.donation_import.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import case, func, select

from occe_bureau.db import Database
from occe_bureau.formats import fold, parse_date, parse_money
from occe_bureau.coops.models import Coop
from occe_bureau.gifts.models import Donation, Donor, TaxReceipt
from occe_bureau.gifts.donors import COMPANY, DonorData, _resolve_donor, check_donor
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock

METHOD_LABELS = {"especes": "Espèces", "cheque": "Chèque",
                 "virement": "Virement, prélèvement, carte bancaire"}
FORM_LABELS = {"manuel": "Déclaration de don manuel", "authentique": "Acte authentique",
               "seing_prive": "Acte sous seing privé", "autre": "Autres"}
NATURE_LABELS = {"numeraire": "Numéraire", "titres": "Titres de sociétés cotés",
                 "autre": "Autres"}
SOURCE_LABELS = {"coop": "Demande d'une coopérative", "plateforme": "Plateforme de financement participatif",
                 "autre": "Autre"}
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


class ConfirmationNeeded(Exception):
    """The entry is valid but looks wrong: `warnings` (French) must be confirmed by the user."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = list(warnings)
        super().__init__("\n".join(self.warnings))


# ---- plain data ------------------------------------------------------------------------------

@dataclass
class DonationData:
    """What the form (or a line of a request, or an import row) says about a gift."""

    coop_id: int | None = None
    amount: int | str | None = None  # cents (int) or text typed ("50", "12,50 €")
    received_on: date | str | None = None
    method: str = "cheque"
    cheque_number: str = ""
    form: str = "manuel"
    nature: str = "numeraire"
    source: str = "coop"
    project: str = ""
    notes: str = ""
    donor_id: int | None = None        # an existing donor chosen by the user…
    donor: DonorData | None = None     # …or a new one (or the corrected details of donor_id)


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

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    @property
    def status_label(self) -> str:
        if self.withdrawn:
            return "Retiré"
        return f"Reçu {self.receipt_number}" if self.receipt_id else "Reçu à établir"


@dataclass
class DonationFilter:
    start: date | None = None
    end: date | None = None
    coop_id: int | None = None
    pending_only: bool = False
    include_withdrawn: bool = False
    search: str = ""


# ---- checks -----------------------------------------------------------------------------------

def _method(value: str) -> str | None:
    key = fold(value or "").strip()
    if key in METHOD_LABELS:
        return key
    aliases = {"espece": "especes", "especes": "especes", "liquide": "especes", "cash": "especes",
               "cheque": "cheque", "chq": "cheque", "chèque": "cheque", "virement": "virement",
               "prelevement": "virement", "carte": "virement", "cb": "virement",
               "carte bancaire": "virement", "vir": "virement"}
    return aliases.get(key)


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
    method = _method(data.method)
    if method is None:
        c.add(prefix + "method", f"Mode de paiement : « {data.method} » inconnu "
                                 "(espèces, chèque, virement / prélèvement / carte).")
    clean.method = method or "cheque"
    clean.cheque_number = c.text(prefix + "cheque_number", "N° de chèque", data.cheque_number,
                                 max_length=30) if clean.method == "cheque" else ""
    if data.form not in FORM_LABELS:
        c.add(prefix + "form", "Forme du don : inconnue.")
    if data.nature not in NATURE_LABELS:
        c.add(prefix + "nature", "Nature du don : inconnue.")
    if data.source not in SOURCE_LABELS:
        c.add(prefix + "source", "Origine : inconnue.")
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


# ---- donations --------------------------------------------------------------------------------

def _insert_donation(session, clean: DonationData, donor_id: int, confirmed: bool) -> int:
    if session.get(Coop, clean.coop_id) is None:
        raise ValidationError({"coop": "Cette coopérative n'existe plus."})
    row = Donation(
        donor_id=donor_id, coop_id=clean.coop_id, project=clean.project,
        amount_cents=clean.amount, received_on=clean.received_on, method=clean.method,
        cheque_number=clean.cheque_number, form=clean.form, nature=clean.nature,
        source=clean.source, notes=clean.notes, service_confirmed=confirmed,
    )
    session.add(row)
    session.flush()
    return row.id


def create_donation(db: Database, data: DonationData, *, confirmed: bool = False,
                    new_donor_ok: bool = False, today: date | None = None) -> int:
    """Record one gift. Raises ValidationError, ConfirmationNeeded (looks like a payment for
    a service; call again with confirmed=True) or SimilarDonors (choose one, or new_donor_ok)."""
    clean, errors, warnings = check_donation(data, today=today)
    if errors:
        raise ValidationError(errors)
    if warnings and not confirmed:
        raise ConfirmationNeeded(warnings)
    with db.transaction() as session:
        donor_id = _resolve_donor(session, clean, new_donor_ok, None)
        return _insert_donation(session, clean, donor_id, bool(warnings))


@dataclass
class RequestResult:
    donation_ids: list[int]


def enter_request(db: Database, coop_id: int, lines: list[DonationData], *,
                  confirmed: bool = False, new_donor_ok: bool | set[int] = False,
                  today: date | None = None) -> list[int]:
    """A coop's request for several gifts at once: all saved, or none.

    Errors come keyed "<row>.<field>" (row counted from 1), e.g. "2.amount".
    `new_donor_ok` is True (all rows), or the set of row numbers the user confirmed as new.
    """
    if not lines:
        raise ValidationError({"lines": "Aucun don à enregistrer."})
    errors: dict[str, str] = {}
    warnings: list[str] = []
    cleaned = []
    for index, line in enumerate(lines, start=1):
        line = replace(line, coop_id=coop_id)
        clean, line_errors, line_warnings = check_donation(line, today=today, prefix=f"{index}.")
        errors.update(line_errors)
        warnings += [f"Ligne {index} : {w}" for w in line_warnings]
        cleaned.append((clean, bool(line_warnings)))
    if errors:
        raise ValidationError(errors)
    if warnings and not confirmed:
        raise ConfirmationNeeded(warnings)
    ids = []
    with db.transaction() as session:
        for index, (clean, warned) in enumerate(cleaned, start=1):
            ok = new_donor_ok is True or (isinstance(new_donor_ok, set) and index in new_donor_ok)
            donor_id = _resolve_donor(session, clean, ok, index)
            ids.append(_insert_donation(session, clean, donor_id, warned))
    return ids


def withdraw_donation(db: Database, donation_id: int, reason: str) -> None:
    """A gift entered by mistake (or not a gift) is withdrawn, kept, never deleted."""
    c = Checker()
    reason = c.text("reason", "Motif", reason, max_length=300, required=True)
    c.raise_if_any()
    with db.transaction() as session:
        d = session.get(Donation, donation_id)
        if d is None:
            raise ValidationError({"reason": "Ce don n'existe plus."})
        if d.receipt_id is not None:
            raise ValidationError({"reason": "Un reçu a été établi pour ce don : annulez d'abord le reçu."})
        d.withdrawn = True
        d.withdrawn_reason = reason


def list_donations(db: Database, flt: DonationFilter) -> list[DonationRow]:
    query = (
        select(Donation.id, Donation.received_on, Donation.amount_cents, Donation.method,
               Donation.cheque_number, Donation.source, Donation.project, Donor.id, Donor.kind,
               Donor.last_name, Donor.first_names, Donor.company_name, Donor.postal_code,
               Donor.city, Coop.id, Coop.number, Coop.name, Donation.receipt_id,
               func.coalesce(TaxReceipt.number, ""), Donation.withdrawn,
               Donor.search_key)
        .select_from(Donation)
        .join(Donor, Donor.id == Donation.donor_id)
        .join(Coop, Coop.id == Donation.coop_id)
        .outerjoin(TaxReceipt, TaxReceipt.id == Donation.receipt_id)
    )
    if flt.start:
        query = query.where(Donation.received_on >= flt.start)
    if flt.end:
        query = query.where(Donation.received_on <= flt.end)
    if flt.coop_id:
        query = query.where(Donation.coop_id == flt.coop_id)
    if flt.pending_only:
        query = query.where(Donation.receipt_id.is_(None))
    if not flt.include_withdrawn:
        query = query.where(Donation.withdrawn.is_(False))
    query = query.order_by(Donation.received_on.desc(), Donation.id.desc())
    with db.engine.connect() as conn:
        result = conn.execute(query).fetchall()
    coop_keys: dict[int, str] = {}  # folded once per coop, not once per gift
    rows = []
    for r in result:
        coop_key = coop_keys.get(r[14])
        if coop_key is None:
            coop_key = coop_keys[r[14]] = fold(f"{r[15]} {r[16]}")
        rows.append(DonationRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
            r[11] if r[8] == COMPANY else (f"{r[9]} {r[10]}" if r[10] else r[9]),
            f"{r[12]} {r[13]}" if r[12] else r[13], r[14], r[15], r[16], r[17], r[18], r[19],
            f"{r[20]} {coop_key} {r[18].lower()}"))
    return search_rows(rows, flt.search) if flt.search else rows


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
