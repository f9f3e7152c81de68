"""Donors: details and checks, search, matching a new donor with known ones (de-duplication),
edit.

Donors' names print exactly as typed (Łukasz, Nguyễn, Øyvind, even "<b>Dupont</b>"): they are
not refused for markup like coop names, they are escaped when printed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from occe_bureau.db import Database
from occe_bureau.formats import fold
from occe_bureau.gifts.models import Donor
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import clock

if TYPE_CHECKING:
    from occe_bureau.gifts.donations import DonationData

PERSON = "person"
COMPANY = "company"


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
    d.updated_at = clock.now()


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
