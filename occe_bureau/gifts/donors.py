"""Donors: details and checks, search, edit, and finding a donor again (the known donors a
new one matches: the same person, a namesake at another address, a near spelling).

Donors' names print exactly as typed (Łukasz, Nguyễn, Øyvind, even "<b>Dupont</b>"): they are
not refused for markup like coop names, they are escaped when printed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, insert, or_, select

from occe_bureau.db import Database
from occe_bureau.likeness import Comparable, alike, file_entry, likeness, squash
from occe_bureau.formats import fold
from occe_bureau.gifts.enums import DonorKind
from occe_bureau.gifts.models import Donor
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import audit, clock, versions

# ---- plain data ------------------------------------------------------------------------------

@dataclass
class DonorData:
    kind: str = DonorKind.PERSON
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
    if kind == DonorKind.COMPANY:
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
    kind = DonorKind(data.kind) if data.kind in set(DonorKind) else DonorKind.PERSON
    clean = DonorData(
        kind=kind,
        last_name=c.text(prefix + "last_name", "Nom", data.last_name, max_length=100,
                         required=kind == DonorKind.PERSON),
        first_names=c.text(prefix + "first_names", "Prénoms", data.first_names, max_length=150,
                           required=kind == DonorKind.PERSON),
        company_name=c.text(prefix + "company_name", "Raison sociale", data.company_name,
                            max_length=200, required=kind == DonorKind.COMPANY),
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
    if kind == DonorKind.COMPANY:
        if clean.siren and not re.fullmatch(r"\d{9}", clean.siren):
            c.add(prefix + "siren", "SIREN : 9 chiffres attendus.")
        if not clean.siren:
            c.add(prefix + "siren", "SIREN : obligatoire pour le reçu d'une entreprise (Cerfa 16216).")
    if clean.postal_code and not clean.country and not re.fullmatch(r"\d{5}", clean.postal_code):
        c.add(prefix + "postal_code", "Code postal : 5 chiffres attendus (ou indiquez le pays).")
    return clean


def name_key(d: DonorData) -> str:
    """Folded "name first names" (or company name): how a donor is found again."""
    if d.kind == DonorKind.COMPANY:
        return fold(d.company_name)
    return fold(f"{d.last_name} {d.first_names}")


def _donor_search_key(d: DonorData) -> str:
    return fold(" ".join(p for p in (d.last_name, d.first_names, d.company_name, d.siren,
                                     d.postal_code, d.city, d.email) if p))[:800]


def address_key(address: str) -> str:
    return squash(fold(address))


def postal_key(postal_code: str) -> str:
    return postal_code.replace(" ", "")


# ---- donors -----------------------------------------------------------------------------------

_DONOR_COLUMNS = (Donor.id, Donor.kind, Donor.last_name, Donor.first_names, Donor.company_name,
                  Donor.address, Donor.postal_code, Donor.city, Donor.email)


def _donor_row(r) -> DonorRow:
    return DonorRow(r[0], r[1], display_name(r[1], r[2], r[3], r[4]), r[5], r[6], r[7], r[8])


def search_donors(db: Database, text: str, limit: int = 50) -> list[DonorRow]:
    """Donors whose name, town, SIREN or e-mail contain every word typed (accents ignored)."""
    words = fold(text).split()
    query = select(*_DONOR_COLUMNS).where(Donor.erased_on.is_(None))
    for word in words:
        query = query.where(Donor.search_key.contains(word))
    query = query.order_by(Donor.name_key).limit(limit)
    with db.session() as session:
        return [_donor_row(r) for r in session.execute(query)]


def donor_data(d: Donor) -> DonorData:
    """A donor row's details."""
    return _data_of(d)


def _data_of(d: Donor) -> DonorData:
    return DonorData(**{f: getattr(d, f) for f in DonorData.__dataclass_fields__})


def get_donor(db: Database, donor_id: int) -> DonorData:
    return open_donor(db, donor_id)[0]


def open_donor(db: Database, donor_id: int) -> tuple[DonorData, int]:
    """A donor's details and their version, read together (what a form opens with)."""
    with db.session() as session:
        d = session.get(Donor, donor_id)
        if d is None:
            raise ValidationError({"donor": "Ce donateur n'existe plus."})
        return _data_of(d), d.version


# ---- finding a donor again ------------------------------------------------------------------

@dataclass
class KnownMatches:
    """The known donors a donor's details match: `same` (same name, postal code and address:
    that donor, no question), else `namesakes` (same name and postal code, another address:
    the same person who moved, or someone else?), else `similar` (a near spelling)."""

    same: int | None = None
    namesakes: list[DonorRow] = field(default_factory=list)
    similar: list[DonorRow] = field(default_factory=list)


def known_matches(session, data: DonorData) -> KnownMatches:
    key = name_key(data)
    rows = session.execute(
        select(*_DONOR_COLUMNS).where(
            Donor.name_key == key, Donor.kind == data.kind,
            func.replace(Donor.postal_code, " ", "") == postal_key(data.postal_code))
        .order_by(Donor.id)).all()
    address = address_key(data.address)
    for r in rows:
        if not address or address_key(r[5]) == address:
            return KnownMatches(same=r[0])
    if rows:
        return KnownMatches(namesakes=[_donor_row(r) for r in rows])
    # Candidates: same postal code, or same first three letters of the name.
    query = select(*_DONOR_COLUMNS, Donor.name_key).where(
        Donor.kind == data.kind,
        or_(Donor.postal_code == data.postal_code, Donor.name_key.startswith(key[:3])),
    ).limit(5000)
    found = [(ratio, _donor_row(r)) for r in session.execute(query)
             if (ratio := likeness(key, r[-1])) is not None]
    found.sort(key=lambda t: -t[0])
    return KnownMatches(similar=[row for _, row in found[:5]])


# ---- finding the donors of a whole request at once ------------------------------------------

class DonorIndex:
    """The known donors the donors of a whole request may match, read in a few queries (not
    two per line), then matched as known_matches does, line by line."""

    def __init__(self, session, datas: list[DonorData]) -> None:
        self.exact: dict[tuple, list] = defaultdict(list)
        self.by_postal: dict[tuple, dict] = defaultdict(dict)
        self.by_prefix: dict[tuple, dict] = defaultdict(dict)
        keys = sorted({name_key(d) for d in datas})
        for chunk in _chunks(keys):
            for r in session.execute(select(*_DONOR_COLUMNS, Donor.name_key)
                                     .where(Donor.name_key.in_(chunk)).order_by(Donor.id)):
                self.exact[(r[-1], r[1], postal_key(r[6]))].append(r)
        prefixes = sorted({name_key(d)[:3] for d in datas})
        self.prefix_lengths = sorted({len(p) for p in prefixes})
        seen: set[int] = set()
        postal_codes = sorted({d.postal_code for d in datas})
        for chunk in _chunks(postal_codes):
            self._candidates(session, Donor.postal_code.in_(chunk), seen)
        for length in self.prefix_lengths:
            same_length = [p for p in prefixes if len(p) == length]
            for chunk in _chunks(same_length):
                self._candidates(session, func.substr(Donor.name_key, 1, length).in_(chunk), seen)

    def _candidates(self, session, where, seen: set[int]) -> None:
        query = select(*_DONOR_COLUMNS, Donor.name_key).where(where)
        for r in session.connection().execute(query):
            if r[0] in seen:
                continue
            seen.add(r[0])
            c = Comparable.of(r[-1])
            entry = (r, c.squashed, c.mask)
            file_entry(self.by_postal[(r[1], r[6])], entry)
            for length in self.prefix_lengths:  # the lengths the request's names need
                file_entry(self.by_prefix[(r[1], r[-1][:length])], entry)

    def matches(self, data: DonorData) -> KnownMatches:
        """known_matches(session, data), from what was read."""
        key = name_key(data)
        rows = self.exact.get((key, data.kind, postal_key(data.postal_code)), [])
        address = address_key(data.address)
        for r in rows:
            if not address or address_key(r[5]) == address:
                return KnownMatches(same=r[0])
        if rows:
            return KnownMatches(namesakes=[_donor_row(r) for r in rows])
        mine = Comparable.of(key)
        found = alike(mine, self.by_postal.get((data.kind, data.postal_code), {}), fixed=True)
        found += [(ratio, r) for ratio, r in alike(mine, self.by_prefix.get((data.kind, key[:3]), {}),
                                                   fixed=True)
                  if r[6] != data.postal_code]  # those were found by their postal code
        found.sort(key=lambda t: (-t[0], t[1][0]))
        return KnownMatches(similar=[_donor_row(r) for _, r in found[:5]])


def _chunks(values: list, size: int = 900):
    for start in range(0, len(values), size):
        yield values[start:start + size]


# ---- writing ----------------------------------------------------------------------------------

def donor_values(data: DonorData) -> dict:
    """The columns a donor row takes from these (checked) details."""
    values = {name: getattr(data, name) for name in DonorData.__dataclass_fields__}
    values.update(name_key=name_key(data)[:400], search_key=_donor_search_key(data),
                  updated_at=clock.now())
    return values


def apply_details(d: Donor, data: DonorData) -> None:
    """The donor row takes these (checked) details."""
    for name, value in donor_values(data).items():
        setattr(d, name, value)


def insert_donors(session, datas: list[DonorData]) -> list[int]:
    """New donors inserted at once (a request of thousands of lines), their ids in order."""
    now = clock.now()
    rows = [dict(donor_values(d), created_at=now) for d in datas]
    ids = list(session.execute(insert(Donor).returning(Donor.id, sort_by_parameter_order=True),
                               rows).scalars())
    audit.record_many(session, [audit.created("donor", i, r) for i, r in zip(ids, rows)])
    return ids


def add_donor(session, data: DonorData) -> int:
    d = Donor()
    apply_details(d, data)
    session.add(d)
    session.flush()
    return d.id


def refresh_email(d: Donor, email: str) -> None:
    """The same donor giving again: keep the newest e-mail (an address is never overwritten
    silently: another address is a question)."""
    if email:
        d.email = email
        d.search_key = _donor_search_key(_data_of(d))


def update_donor(db: Database, donor_id: int, data: DonorData, *,
                 version: int | None = None) -> None:
    """Correct a donor (a move, a typo). Receipts already issued keep what they printed.
    With the version the form opened, a donor changed since is refused (StaleRecord)."""
    c = Checker()
    clean = check_donor(data, c)
    c.raise_if_any()
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Donor, donor_id, version)
        d = session.get(Donor, donor_id)
        if d is None:
            raise ValidationError({"last_name": "Ce donateur n'existe plus."})
        apply_details(d, clean)
