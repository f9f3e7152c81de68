"""Donors and donations: entry one by one or as a coop's request, import, search, warnings.

Donors' names print exactly as typed (Łukasz, Nguyễn, Øyvind, even "<b>Dupont</b>"): they are
not refused for markup like coop names, they are escaped when printed.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import case, func, or_, select

from occe_bureau.db import Database
from occe_bureau.formats import fold, parse_date, parse_money
from occe_bureau.models.coops import Coop
from occe_bureau.models.donations import Donation, Donor, TaxReceipt
from occe_bureau.services.validation import Checker, ValidationError

PERSON = "person"
COMPANY = "company"

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


class SimilarDonors(Exception):
    """A new donor looks like existing ones: the user chooses one of `candidates` or confirms."""

    def __init__(self, candidates: list["DonorRow"], row: int | None = None, *,
                 moved: bool = False) -> None:
        self.candidates = candidates
        self.row = row
        # moved: same name and postal code as candidates[0] but another address (the same
        # person who moved, or a namesake): the user says which.
        self.moved = moved
        names = ", ".join(f"« {c.display_name} » ({c.town})" for c in candidates[:3])
        super().__init__(f"Donateur proche déjà connu : {names}.")


# ---- plain data ------------------------------------------------------------------------------

@dataclass
class DonorData:
    kind: str = PERSON
    last_name: str = ""
    first_names: str = ""
    company_name: str = ""
    siren: str = ""
    legal_form: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""

    @property
    def display_name(self) -> str:
        return display_name(self.kind, self.last_name, self.first_names, self.company_name)


def display_name(kind: str, last_name: str, first_names: str, company_name: str) -> str:
    if kind == COMPANY:
        return company_name
    return " ".join(p for p in (last_name, first_names) if p)


@dataclass(slots=True)
class DonorRow:
    id: int
    kind: str
    display_name: str
    address: str
    postal_code: str
    city: str
    email: str

    @property
    def town(self) -> str:
        return " ".join(p for p in (self.postal_code, self.city) if p)


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


def check_donor(data: DonorData, c: Checker, prefix: str = "") -> DonorData:
    """Donor fields checked into `c` (field names prefixed for batch rows)."""
    kind = data.kind if data.kind in (PERSON, COMPANY) else PERSON
    clean = DonorData(
        kind=kind,
        last_name=c.text(prefix + "last_name", "Nom", data.last_name, max_length=100,
                         required=kind == PERSON),
        first_names=c.text(prefix + "first_names", "Prénoms", data.first_names, max_length=150,
                           required=kind == PERSON),
        company_name=c.text(prefix + "company_name", "Raison sociale", data.company_name,
                            max_length=200, required=kind == COMPANY),
        siren=c.text(prefix + "siren", "SIREN", data.siren, max_length=14).replace(" ", ""),
        legal_form=c.text(prefix + "legal_form", "Forme juridique", data.legal_form, max_length=60),
        address=c.text(prefix + "address", "Adresse", data.address, max_length=300, required=True,
                       multiline=True),
        postal_code=c.text(prefix + "postal_code", "Code postal", data.postal_code, max_length=12,
                           required=True),
        city=c.text(prefix + "city", "Commune", data.city, max_length=100, required=True),
        country=c.text(prefix + "country", "Pays", data.country, max_length=60),
        email=c.email(prefix + "email", "E-mail", data.email),
    )
    if kind == COMPANY:
        if clean.siren and not re.fullmatch(r"\d{9}", clean.siren):
            c.add(prefix + "siren", "SIREN : 9 chiffres attendus.")
        if not clean.siren:
            c.add(prefix + "siren", "SIREN : obligatoire pour le reçu d'une entreprise (Cerfa 16216).")
    if clean.postal_code and not clean.country and not re.fullmatch(r"\d{5}", clean.postal_code):
        c.add(prefix + "postal_code", "Code postal : 5 chiffres attendus (ou indiquez le pays).")
    return clean


def check_donation(data: DonationData, *, today: date | None = None, prefix: str = ""
                   ) -> tuple[DonationData, dict[str, str], list[str]]:
    """The cleaned data, the French errors per field, and the warnings to confirm."""
    today = today or date.today()
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


def _name_key(d: DonorData) -> str:
    if d.kind == COMPANY:
        return fold(d.company_name)
    return fold(f"{d.last_name} {d.first_names}")


def _donor_search_key(d: DonorData) -> str:
    return fold(" ".join(p for p in (d.last_name, d.first_names, d.company_name, d.siren,
                                     d.postal_code, d.city, d.email) if p))[:800]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


# ---- donors -----------------------------------------------------------------------------------

_DONOR_COLUMNS = (Donor.id, Donor.kind, Donor.last_name, Donor.first_names, Donor.company_name,
                  Donor.address, Donor.postal_code, Donor.city, Donor.email)


def _donor_row(r) -> DonorRow:
    return DonorRow(r[0], r[1], display_name(r[1], r[2], r[3], r[4]), r[5], r[6], r[7], r[8])


def search_donors(db: Database, text: str, limit: int = 50) -> list[DonorRow]:
    """Donors whose name, town, SIREN or e-mail contain every word typed (accents ignored)."""
    words = fold(text).split()
    query = select(*_DONOR_COLUMNS)
    for word in words:
        query = query.where(Donor.search_key.contains(word))
    query = query.order_by(Donor.name_key).limit(limit)
    with db.session() as session:
        return [_donor_row(r) for r in session.execute(query)]


def get_donor(db: Database, donor_id: int) -> DonorData:
    with db.session() as session:
        d = session.get(Donor, donor_id)
        if d is None:
            raise ValidationError({"donor": "Ce donateur n'existe plus."})
        return DonorData(kind=d.kind, last_name=d.last_name, first_names=d.first_names,
                         company_name=d.company_name, siren=d.siren, legal_form=d.legal_form,
                         address=d.address, postal_code=d.postal_code, city=d.city,
                         country=d.country, email=d.email)


def _address_key(address: str) -> str:
    return _squash(fold(address))


def _namesakes(session, data: DonorData) -> tuple[int | None, list[DonorRow]]:
    """Donors with the same name and postal code: (the one at the same address, or None;
    those at another address)."""
    rows = session.execute(
        select(*_DONOR_COLUMNS).where(
            Donor.name_key == _name_key(data), Donor.kind == data.kind,
            func.replace(Donor.postal_code, " ", "") == data.postal_code.replace(" ", ""))
        .order_by(Donor.id)).all()
    address = _address_key(data.address)
    for r in rows:
        if not address or _address_key(r[5]) == address:
            return r[0], []
    return None, [_donor_row(r) for r in rows]


def _similar(session, data: DonorData) -> tuple[int | None, list[DonorRow]]:
    """(the id of the same donor, or None; donors that differ by a typo or, first, namesakes
    at another address of the same postal code)."""
    key = _name_key(data)
    squashed = _squash(key)
    same, namesakes = _namesakes(session, data)
    if same or namesakes:
        return same, namesakes
    # Candidates: same postal code, or same first three letters of the name.
    prefix = key[:3]
    query = select(*_DONOR_COLUMNS, Donor.name_key).where(
        Donor.kind == data.kind,
        or_(Donor.postal_code == data.postal_code, Donor.name_key.startswith(prefix)),
    ).limit(5000)
    candidates = []
    for r in session.execute(query):
        other = _squash(r[-1])
        if not other:
            continue
        matcher = difflib.SequenceMatcher(None, squashed, other)
        if other != squashed and (matcher.real_quick_ratio() < 0.85 or matcher.quick_ratio() < 0.85):
            continue  # cheap upper bounds first: thousands of donors share a postal code
        ratio = matcher.ratio()
        if other == squashed or ratio >= 0.85:
            candidates.append((ratio, _donor_row(r)))
    candidates.sort(key=lambda t: -t[0])
    return None, [row for _, row in candidates[:5]]


def find_similar_donors(db: Database, data: DonorData) -> list[DonorRow]:
    """Existing donors with the same or nearly the same name (the same one first)."""
    with db.session() as session:
        same, similar = _similar(session, data)
        if same:
            return [_donor_row(session.execute(select(*_DONOR_COLUMNS).where(Donor.id == same)).one())]
        return similar


def _apply_donor(d: Donor, data: DonorData) -> None:
    for name in DonorData.__dataclass_fields__:
        setattr(d, name, getattr(data, name))
    d.name_key = _name_key(data)[:400]
    d.search_key = _donor_search_key(data)
    d.updated_at = datetime.now(UTC)


def update_donor(db: Database, donor_id: int, data: DonorData) -> None:
    """Correct a donor (a move, a typo). Receipts already issued keep what they printed."""
    c = Checker()
    clean = check_donor(data, c)
    c.raise_if_any()
    with db.transaction() as session:
        d = session.get(Donor, donor_id)
        if d is None:
            raise ValidationError({"last_name": "Ce donateur n'existe plus."})
        _apply_donor(d, clean)


def _resolve_donor(session, data: DonationData, new_donor_ok: bool, row: int | None) -> int:
    if data.donor_id:
        d = session.get(Donor, data.donor_id)
        if d is None:
            raise ValidationError({"last_name": "Ce donateur n'existe plus."})
        if data.donor is not None:
            _apply_donor(d, data.donor)
        return d.id
    same, similar = _similar(session, data.donor)
    if same:
        d = session.get(Donor, same)
        # same person, same address: keep the newest e-mail (never overwrite an address
        # silently: another address is a question, below)
        if data.donor.email:
            d.email = data.donor.email
            d.search_key = _donor_search_key(
                DonorData(**{f: getattr(d, f) for f in DonorData.__dataclass_fields__}))
        return same
    if similar and not new_donor_ok:
        raise SimilarDonors(similar, row, moved=bool(_namesakes(session, data.donor)[1]))
    d = Donor()
    _apply_donor(d, data.donor)
    session.add(d)
    session.flush()
    return d.id


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


# ---- import of a coop's request from a spreadsheet -------------------------------------------

IMPORT_COLUMNS = {
    "nom": "last_name", "prenom": "first_names", "prenoms": "first_names",
    "raison sociale": "company_name", "entreprise": "company_name", "siren": "siren",
    "forme juridique": "legal_form", "adresse": "address", "code postal": "postal_code",
    "cp": "postal_code", "commune": "city", "ville": "city", "pays": "country",
    "e-mail": "email", "email": "email", "courriel": "email", "montant": "amount",
    "date": "received_on", "date du don": "received_on", "mode": "method",
    "mode de paiement": "method", "paiement": "method", "n° de cheque": "cheque_number",
    "numero de cheque": "cheque_number", "cheque": "cheque_number", "projet": "project",
    "notes": "notes", "remarque": "notes",
}


@dataclass
class ImportRow:
    line: int                      # line number in the file (header is line 1)
    data: DonationData
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    similar: list[DonorRow] = field(default_factory=list)
    same_donor_id: int | None = None

    @property
    def error_text(self) -> str:
        return " ".join(self.errors.values())


def _read_table(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            table = []
            for values in sheet.iter_rows(values_only=True):
                table.append(["" if v is None else (v if isinstance(v, (date, datetime)) else str(v))
                              for v in values])
            return table
        finally:
            wb.close()
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    dialect = csv.Sniffer().sniff(text[:4000], delimiters=";,\t") if text.strip() else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def read_request_file(db: Database, path: str | Path, coop_id: int | None,
                      today: date | None = None) -> list[ImportRow]:
    """Preview of a spreadsheet (CSV or XLSX): one ImportRow per line, with its errors,
    warnings and the known donors it matches. Nothing is saved."""
    path = Path(path)
    try:
        table = _read_table(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same for the user
        raise ValidationError({"file": f"Fichier illisible : {path.name} ({exc.__class__.__name__})."})
    table = [r for r in table if any(str(v).strip() for v in r)]
    if not table:
        raise ValidationError({"file": "Le fichier est vide."})
    header = [fold(str(h)).strip().rstrip(" :") for h in table[0]]
    mapping = {i: IMPORT_COLUMNS[h] for i, h in enumerate(header) if h in IMPORT_COLUMNS}
    if "amount" not in mapping.values() or not ({"last_name", "company_name"} & set(mapping.values())):
        raise ValidationError({"file": "Colonnes attendues en première ligne : Nom, Prénom, Adresse, "
                                       "Code postal, Commune, Montant, Date, Mode de paiement "
                                       "(et, au choix, N° de chèque, E-mail, Projet, Raison sociale, SIREN)."})
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {name: values[i] if i < len(values) else "" for i, name in mapping.items()}
        company = str(cells.get("company_name", "")).strip()
        donor = DonorData(
            kind=COMPANY if company else PERSON,
            **{k: str(cells.get(k, "")).strip() for k in
               ("last_name", "first_names", "company_name", "siren", "legal_form", "address",
                "postal_code", "city", "country", "email")})
        if donor.postal_code.endswith(".0"):
            donor.postal_code = donor.postal_code[:-2]
        if donor.postal_code.isdigit() and len(donor.postal_code) == 4:
            donor.postal_code = "0" + donor.postal_code  # a spreadsheet ate the leading zero
        amount = cells.get("amount", "")
        data = DonationData(coop_id=coop_id, amount=str(amount).strip(),
                            received_on=cells.get("received_on", ""),
                            method=str(cells.get("method", "") or "cheque"),
                            cheque_number=str(cells.get("cheque_number", "")).strip(),
                            project=str(cells.get("project", "")).strip(),
                            notes=str(cells.get("notes", "")).strip(), donor=donor)
        clean, errors, warnings = check_donation(data, today=today)
        errors.pop("coop", None)  # the coop is chosen for the whole file, not per line
        row = ImportRow(number, clean if not errors else data, errors, warnings)
        rows.append(row)
    with db.session() as session:
        for row in rows:
            if not row.errors:
                row.same_donor_id, row.similar = _similar(session, row.data.donor)
    return rows


def import_request(db: Database, coop_id: int, rows: list[ImportRow], *,
                   new_donor_lines: set[int] | None = None, confirmed: bool = False,
                   today: date | None = None) -> list[int]:
    """Save the previewed rows, all or nothing. A row with a similar (not same) donor needs
    its line number in `new_donor_lines` (create a new donor) or its data.donor_id set."""
    bad = [r for r in rows if r.errors]
    if bad:
        raise ValidationError({f"{r.line}": f"Ligne {r.line} : {r.error_text}" for r in bad})
    ok_lines = new_donor_lines or set()
    lines = [r.data for r in rows]
    # enter_request numbers rows from 1: map the file's line numbers onto that
    ok_rows = {i for i, r in enumerate(rows, start=1) if r.line in ok_lines}
    return enter_request(db, coop_id, lines, confirmed=confirmed, new_donor_ok=ok_rows, today=today)


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
