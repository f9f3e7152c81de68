"""Who pays an order other than the coop: its town hall (a public body: name, address, SIRET,
Chorus Pro service code) or another payer. Names are kept exactly as typed, markup and all:
the documents print them as text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from occe_bureau import versions
from occe_bureau.db import Database
from occe_bureau.formats import fold
from occe_bureau.sales.enums import PayerKind
from occe_bureau.sales.models import Payer
from occe_bureau.sales.settings import compact_siret, siret_problem
from occe_bureau.validation import Checker, ValidationError


@dataclass
class PayerData:
    kind: PayerKind = PayerKind.TOWN_HALL
    name: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    siret: str = ""
    service_code: str = ""


@dataclass(frozen=True)
class PayerRow:
    id: int
    kind: PayerKind
    name: str
    address: str
    postal_code: str
    city: str
    email: str
    siret: str
    service_code: str
    version: int = 1                    # as read (occe_bureau/versions.py)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


def check_payer(data: PayerData) -> dict:
    c = Checker()
    kind = PayerKind(data.kind)
    if kind is PayerKind.COOP:
        c.add("kind", "Type : une coopérative paie elle-même, sans fiche de payeur.")
    # Names are printed as typed: markup is kept as text, never interpreted (printed=True
    # still refuses what the fonts cannot draw).
    values = dict(
        kind=kind,
        name=c.text("name", "Nom", data.name, max_length=200, required=True),
        address=c.text("address", "Adresse", data.address, max_length=300,
                       required=kind.is_public_body),
        postal_code=c.postal_code("postal_code", "Code postal", data.postal_code),
        city=c.text("city", "Commune", data.city, max_length=100, required=kind.is_public_body),
        email=c.email("email", "E-mail", data.email),
        service_code=c.text("service_code", "Code service Chorus Pro", data.service_code,
                            max_length=100),
    )
    if kind.is_public_body and not values["postal_code"]:
        c.add("postal_code", "Code postal : ce champ est obligatoire.")
    siret = compact_siret(data.siret)
    problem = siret_problem(siret)
    if problem:
        c.add("siret", f"SIRET : {problem}")
    elif kind.is_public_body and not siret:
        c.add("siret", "SIRET : obligatoire pour une mairie (Chorus Pro identifie le payeur par "
                       "son SIRET).")
    values["siret"] = siret
    c.raise_if_any()
    values["search_key"] = fold(" ".join((values["name"], values["city"], siret)))
    return values


def create_payer(db: Database, data: PayerData) -> int:
    values = check_payer(data)
    with db.transaction() as session:
        payer = Payer(**values)
        session.add(payer)
        session.flush()
        return payer.id


def update_payer(db: Database, payer_id: int, data: PayerData, *,
                 version: int | None = None) -> None:
    """Orders already invoiced keep what their invoice printed. With the version the form
    opened (`PayerRow.version`), a payer changed since is refused with StaleRecord, and
    nothing is written."""
    values = check_payer(data)
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Payer, payer_id, version)
        payer = session.get(Payer, payer_id)
        if payer is None:
            raise ValidationError({"name": "Ce payeur n'existe plus."})
        for key, value in values.items():
            setattr(payer, key, value)


def _row(p: Payer) -> PayerRow:
    return PayerRow(p.id, PayerKind(p.kind), p.name, p.address, p.postal_code, p.city, p.email,
                    p.siret, p.service_code, p.version)


def get_payer(db: Database, payer_id: int) -> PayerRow:
    with db.session() as session:
        return _row(session.get(Payer, payer_id))


def list_payers(db: Database, search: str = "") -> list[PayerRow]:
    query = select(Payer).where(Payer.archived.is_(False)).order_by(Payer.name, Payer.id)
    for word in fold(search).split():
        query = query.where(Payer.search_key.contains(word))
    with db.session() as session:
        return [_row(p) for p in session.scalars(query)]
