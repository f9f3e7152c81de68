"""The coops' part of personal data (RGPD): the mandataire (name, e-mail, telephone) and the
director named on a coop's record, as the safety domain's privacy service asks for them.

Nothing here is kept by the law: erased on request, the fields are blanked (the coop stays).
The yearly purge proposes the contacts of coops archived more than CONTACTS_KEPT_YEARS ago.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from occe_bureau import audit, clock
from occe_bureau.coops.models import Coop
from occe_bureau.coops.register import CoopData, search_key
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date
from occe_bureau.safety import Holding, Person, Proposal, matcher

CONTACTS_KEPT_YEARS = 2
# The fields each contact erased takes out of the coop's history (audit trail) as well.
CONTACT_FIELDS = {"mandataire": ("mandataire_name", "mandataire_email", "mandataire_phone"),
                  "director": ("director",)}


def _mandataire(c: Coop) -> Holding:
    return Holding("coops", f"mandataire:{c.id}", "Coopératives (mandataire)",
                   (("Coopérative", f"{c.number} – {c.name}"), ("Rôle", "Mandataire"),
                    ("Nom", c.mandataire_name), ("E-mail", c.mandataire_email),
                    ("Téléphone", c.mandataire_phone)),
                   f"Mandataire de la coopérative {c.number} – {c.name}",
                   "nom, e-mail et téléphone du mandataire effacés de la fiche", certain=False)


def _director(c: Coop) -> Holding:
    return Holding("coops", f"director:{c.id}", "Coopératives (direction)",
                   (("Coopérative", f"{c.number} – {c.name}"), ("Rôle", "Directeur ou directrice"),
                    ("Nom", c.director)),
                   f"Direction de la coopérative {c.number} – {c.name}",
                   "nom du directeur ou de la directrice effacé de la fiche", certain=False)


class CoopsPersonalData:
    """The provider the privacy service asks (see occe_bureau/safety/privacy.py)."""

    key = "coops"
    label = "Coopératives"

    def held_about(self, db: Database, person: Person, today: date) -> list[Holding]:
        found = []
        with db.session() as session:
            same = matcher(person)
            matched = [i for i, name, email, director in session.connection().execute(
                select(Coop.id, Coop.mandataire_name, Coop.mandataire_email, Coop.director))
                if same(name, email) or same(director)]
            for c in session.scalars(select(Coop).where(Coop.id.in_(matched[:900]))
                                     .order_by(Coop.number)):
                if same(c.mandataire_name, c.mandataire_email):
                    found.append(_mandataire(c))
                if same(c.director):
                    found.append(_director(c))
        return found

    def erase(self, db: Database, refs: list[str], today: date) -> None:
        erased: dict[int, set[str]] = {}
        with db.transaction() as session:
            for ref in refs:
                kind, _, number = ref.partition(":")
                c = session.get(Coop, int(number))
                if c is None:
                    continue
                if kind == "mandataire":
                    c.mandataire_name = c.mandataire_email = c.mandataire_phone = ""
                elif kind == "director":
                    c.director = ""
                erased.setdefault(c.id, set()).update(CONTACT_FIELDS.get(kind, ()))
                c.search_key = search_key(CoopData(number=c.number, name=c.name, kind=c.kind,
                                                   commune=c.commune, uai=c.uai or "",
                                                   mandataire_name=c.mandataire_name))
                c.updated_at = clock.now()
            session.flush()  # the erasure's own entries hold the old values too
            for coop_id, fields in erased.items():
                audit.redact(session, "coop", coop_id, fields, today)

    def past_keeping(self, db: Database, today: date) -> list[Proposal]:
        limit = date(today.year - CONTACTS_KEPT_YEARS, today.month, min(today.day, 28))
        refs: list[str] = []
        with db.session() as session:
            for c in session.scalars(select(Coop).where(Coop.archived.is_(True),
                                                        Coop.archived_on < limit)):
                if c.mandataire_name or c.mandataire_email or c.mandataire_phone:
                    refs.append(f"mandataire:{c.id}")
                if c.director:
                    refs.append(f"director:{c.id}")
        if not refs:
            return []
        coops = len({r.partition(":")[2] for r in refs})
        return [Proposal("coops", "Contacts de " + counted(coops, "coopérative archivée",
                                                           "coopératives archivées"),
                         f"archivées avant le {format_date(limit)} : nom, e-mail et téléphone "
                         "du mandataire, nom de la direction", tuple(refs))]


personal_data = CoopsPersonalData()
