"""The register of coops: listing, searching, creating, editing, archiving, yearly figures."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.formats import fold, format_date, school_year_of
from occe_bureau.coops.models import Coop, CoopKind, CoopYear
from occe_bureau.coops.numbers import number_pattern, number_problem
from occe_bureau.coops.uai import uai_problem
from occe_bureau.validation import Checker, ValidationError
from occe_bureau import audit, clock, versions
from occe_bureau.versions import LIST_ADVICE, LIST_SINCE

MAX_COTISATION_CENTS = 100_000 * 100


class CoopStatus(StrEnum):
    """Which coops a list shows."""

    ACTIVE = "active"
    ARCHIVED = "archived"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"active": "Actives", "archived": "Archivées", "all": "Toutes"}[self.value]


# ---- plain data in and out -----------------------------------------------------------------

@dataclass
class CoopData:
    """What the form (or an import row) says about a coop, before checking."""

    number: str = ""
    name: str = ""
    kind: CoopKind | str | None = None
    uai: str = ""
    address: str = ""
    postal_code: str = ""
    commune: str = ""
    circonscription: str = ""
    mandataire_name: str = ""
    mandataire_email: str = ""
    mandataire_phone: str = ""
    director: str = ""
    notes: str = ""


@dataclass
class YearData:
    classes: int | str = 0
    pupils: int | str = 0
    adults: int | str = 0
    cotisation_due_cents: int = 0
    cotisation_paid_cents: int = 0
    cotisation_paid_on: date | None = None
    cra_received_on: date | None = None
    crf_received_on: date | None = None
    quitus_on: date | None = None
    control_reason: str = ""
    control_on: date | None = None
    control_outcome: str = ""


@dataclass(slots=True)
class CoopRow:
    """One line of the register for one school year."""

    id: int
    number: str
    name: str
    kind: CoopKind
    uai: str
    commune: str
    circonscription: str
    mandataire_name: str
    archived: bool
    classes: int
    pupils: int
    adults: int
    cotisation_due_cents: int
    cotisation_paid_cents: int
    cra_received_on: date | None
    crf_received_on: date | None
    search_key: str
    # Whether the year's CRA and CRF are due by now (until then they are "à venir").
    documents_due: bool = True
    version: int = 1  # as listed: an action from the list is refused if it changed since

    @property
    def members(self) -> int:
        return self.pupils + self.adults

    @property
    def kind_label(self) -> str:
        return self.kind.label

    def document_text(self, received_on: date | None) -> str:
        """A CRA or CRF as the register shows it: its date, or "à venir" before it is due,
        or "manquant" once late."""
        if received_on is not None:
            return format_date(received_on)
        return "manquant" if self.documents_due else "à venir"

    @property
    def missing_documents(self) -> list[str]:
        missing = []
        if self.cra_received_on is None and self.documents_due:
            missing.append("CRA")
        if self.crf_received_on is None and self.documents_due:
            missing.append("CRF")
        if self.cotisation_paid_cents < self.cotisation_due_cents or self.cotisation_due_cents == 0:
            missing.append("cotisation")
        return missing


@dataclass
class CoopFilter:
    year: int
    search: str = ""
    kind: CoopKind | None = None
    circonscription: str = ""
    status: CoopStatus = CoopStatus.ACTIVE
    missing_documents: bool = False
    controlled: bool = False          # the coops controlled in the year (a control's date or reason)


@dataclass
class CoopTotals:
    coops: int = 0
    by_kind: dict[CoopKind, int] = field(default_factory=dict)
    classes: int = 0
    pupils: int = 0
    adults: int = 0

    @property
    def members(self) -> int:
        return self.pupils + self.adults


@dataclass
class CoopDetail:
    id: int
    data: CoopData
    archived: bool
    archived_on: date | None
    years: dict[int, YearData]
    # The versions the form opened (occe_bureau/versions.py): the coop's, and each year's.
    version: int = 1
    year_versions: dict[int, int] = field(default_factory=dict)


# ---- the year's duties ------------------------------------------------------------------

def documents_due_on(year: int) -> date:
    """The CRA and CRF of school year `year` (1 Sept – 31 Aug) are due on 30 September
    after it ends."""
    return date(year + 1, 9, 30)


def year_being_chased(today: date) -> int:
    """The school year whose CRA and CRF the office is collecting: the last closed one."""
    return school_year_of(today) - 1


# ---- reading ----------------------------------------------------------------------------

_ROW_COLUMNS = (
    Coop.id, Coop.number, Coop.name, Coop.kind, Coop.uai, Coop.commune, Coop.circonscription,
    Coop.mandataire_name, Coop.archived,
    func.coalesce(CoopYear.classes, 0), func.coalesce(CoopYear.pupils, 0),
    func.coalesce(CoopYear.adults, 0), func.coalesce(CoopYear.cotisation_due_cents, 0),
    func.coalesce(CoopYear.cotisation_paid_cents, 0), CoopYear.cra_received_on,
    CoopYear.crf_received_on, Coop.search_key, Coop.version,
)


def list_coops(db: Database, flt: CoopFilter) -> list[CoopRow]:
    """The coops the filter selects, with their figures for flt.year, in number order.

    The text search is applied in memory by `search_rows` (see there), so that the list
    can load once per filter change and narrow at every keystroke without a query.
    """
    query = select(*_ROW_COLUMNS).select_from(Coop).outerjoin(
        CoopYear, and_(CoopYear.coop_id == Coop.id, CoopYear.year == flt.year)
    )
    if flt.kind is not None:
        query = query.where(Coop.kind == flt.kind)
    if flt.circonscription:
        query = query.where(Coop.circonscription == flt.circonscription)
    if flt.status == CoopStatus.ACTIVE:
        query = query.where(Coop.archived.is_(False))
    elif flt.status == CoopStatus.ARCHIVED:
        query = query.where(Coop.archived.is_(True))
    due = clock.today() > documents_due_on(flt.year)
    if flt.missing_documents:
        late_documents = ((CoopYear.cra_received_on.is_(None), CoopYear.crf_received_on.is_(None))
                          if due else ())
        query = query.where(
            or_(
                CoopYear.id.is_(None),
                *late_documents,
                CoopYear.cotisation_due_cents == 0,
                CoopYear.cotisation_paid_cents < CoopYear.cotisation_due_cents,
            )
        )
    if flt.controlled:
        query = query.where(or_(CoopYear.control_on.is_not(None), CoopYear.control_reason != ""))
    query = query.order_by(Coop.number)
    with db.session() as session:
        rows = [CoopRow(*row[:-1], documents_due=due, version=row[-1])
                for row in session.execute(query)]
    return search_rows(rows, flt.search) if flt.search else rows


def search_rows(rows: list[CoopRow], text: str) -> list[CoopRow]:
    """The rows whose number, name, commune, UAI or mandataire contain every word typed,
    accents and case ignored ("jaures nant" finds "Jean Jaurès" in Nanterre)."""
    for word in fold(text).split():
        rows = [row for row in rows if word in row.search_key]
    return rows


def totals(rows: list[CoopRow]) -> CoopTotals:
    """The totals line of the annual report, for the rows shown."""
    result = CoopTotals(coops=len(rows))
    result.by_kind = dict(Counter(row.kind for row in rows))
    for row in rows:
        result.classes += row.classes
        result.pupils += row.pupils
        result.adults += row.adults
    return result


def circonscriptions(db: Database) -> list[str]:
    with db.session() as session:
        query = select(Coop.circonscription).where(Coop.circonscription != "").distinct()
        return sorted(session.scalars(query), key=fold)


def years_with_data(db: Database) -> list[int]:
    with db.session() as session:
        return sorted(session.scalars(select(CoopYear.year).distinct()))


def coop_choices(db: Database, *, include_archived: bool = False) -> list[tuple[int, str]]:
    """(id, "number – name (commune)") for pickers in other tabs; archived ones marked."""
    query = select(Coop.id, Coop.number, Coop.name, Coop.commune, Coop.archived).order_by(Coop.number)
    if not include_archived:
        query = query.where(Coop.archived.is_(False))
    with db.session() as session:
        return [
            (cid, f"{number} – {name}" + (f" ({commune})" if commune else "")
             + (" – archivée" if archived else ""))
            for cid, number, name, commune, archived in session.execute(query)
        ]


def get_coop(db: Database, coop_id: int) -> CoopDetail:
    with db.session() as session:
        coop = session.get(Coop, coop_id)
        if coop is None:
            raise ValidationError({"coop": "Cette coopérative n'existe plus."})
        years = session.scalars(select(CoopYear).where(CoopYear.coop_id == coop_id)).all()
        return CoopDetail(
            id=coop.id,
            data=CoopData(
                number=coop.number, name=coop.name, kind=coop.kind, uai=coop.uai or "",
                address=coop.address, postal_code=coop.postal_code, commune=coop.commune,
                circonscription=coop.circonscription, mandataire_name=coop.mandataire_name,
                mandataire_email=coop.mandataire_email, mandataire_phone=coop.mandataire_phone,
                director=coop.director, notes=coop.notes,
            ),
            archived=coop.archived,
            archived_on=coop.archived_on,
            years={y.year: _year_data(y) for y in years},
            version=coop.version,
            year_versions={y.year: y.version for y in years},
        )


def _year_data(year: CoopYear) -> YearData:
    return YearData(
        classes=year.classes, pupils=year.pupils, adults=year.adults,
        cotisation_due_cents=year.cotisation_due_cents,
        cotisation_paid_cents=year.cotisation_paid_cents,
        cotisation_paid_on=year.cotisation_paid_on, cra_received_on=year.cra_received_on,
        crf_received_on=year.crf_received_on, quitus_on=year.quitus_on,
        control_reason=year.control_reason, control_on=year.control_on,
        control_outcome=year.control_outcome,
    )


# ---- checking -------------------------------------------------------------------------------

def parse_kind(value: CoopKind | str | None) -> CoopKind | None:
    if isinstance(value, CoopKind):
        return value
    key = fold(str(value or "")).strip()
    if not key:
        return None
    for kind in CoopKind:
        if key in (kind.value, fold(kind.label)):
            return kind
    aliases = {"elem": CoopKind.ELEMENTAIRE, "mat": CoopKind.MATERNELLE, "prim": CoopKind.PRIMAIRE,
               "etablissement specialise": CoopKind.SPECIALISE, "specialise": CoopKind.SPECIALISE,
               "ecole maternelle": CoopKind.MATERNELLE, "ecole elementaire": CoopKind.ELEMENTAIRE,
               "ecole primaire": CoopKind.PRIMAIRE}
    return aliases.get(key)


def check_coop(data: CoopData, pattern: str = "") -> tuple[CoopData, dict[str, str]]:
    """The cleaned data and the French errors per field (nothing is read from the database:
    the association's pattern for numbers is given, see `numbers.number_pattern`)."""
    c = Checker()
    clean = CoopData(
        # The number is an identifier: its inner spaces are folded ("92  777" is 92 777).
        number=" ".join(part for part in c.text("number", "Numéro OCCE", data.number,
                                                max_length=20, required=True,
                                                name_like=True).split(" ") if part),
        name=c.text("name", "Nom", data.name, max_length=150, required=True, name_like=True),
        uai=c.text("uai", "UAI", data.uai, max_length=8),
        address=c.text("address", "Adresse", data.address, max_length=200, name_like=True),
        postal_code=c.postal_code("postal_code", "Code postal", data.postal_code),
        commune=c.text("commune", "Commune", data.commune, max_length=100, name_like=True),
        circonscription=c.text("circonscription", "Circonscription", data.circonscription,
                               max_length=100, name_like=True),
        mandataire_name=c.text("mandataire_name", "Mandataire", data.mandataire_name,
                               max_length=150, name_like=True),
        mandataire_email=c.email("mandataire_email", "E-mail du mandataire", data.mandataire_email),
        mandataire_phone=c.phone("mandataire_phone", "Téléphone du mandataire", data.mandataire_phone),
        director=c.text("director", "Directeur ou directrice", data.director, max_length=150,
                        name_like=True),
        notes=c.text("notes", "Notes", data.notes, max_length=4000, multiline=True,
                     printed=False),  # never printed: an emoji there harms nothing
    )
    kind = parse_kind(data.kind)
    if kind is None:
        if data.kind:
            c.add("kind", f"Type : « {data.kind} » inconnu (maternelle, élémentaire, primaire, "
                          "collège, lycée, SEGPA, établissement spécialisé, autre).")
        else:
            c.add("kind", "Type : ce champ est obligatoire.")
    clean.kind = kind
    if clean.number and "number" not in c.errors:
        problem = number_problem(clean.number, pattern)
        if problem:
            c.add("number", f"Numéro OCCE : {problem}")
    if clean.uai and "uai" not in c.errors:
        problem = uai_problem(clean.uai)
        if problem:
            c.add("uai", f"UAI : {problem}")
        else:  # seven digits and a letter: the national register writes the letter in capitals
            clean.uai = clean.uai.upper()
    return clean, c.errors


def check_year(data: YearData) -> tuple[YearData, dict[str, str]]:
    c = Checker()
    clean = YearData(
        classes=c.count("classes", "Classes", data.classes, maximum=500),
        pupils=c.count("pupils", "Élèves", data.pupils, maximum=10_000),
        adults=c.count("adults", "Adultes", data.adults, maximum=2_000),
        cotisation_due_cents=data.cotisation_due_cents,
        cotisation_paid_cents=data.cotisation_paid_cents,
        cotisation_paid_on=data.cotisation_paid_on,
        cra_received_on=data.cra_received_on,
        crf_received_on=data.crf_received_on,
        quitus_on=data.quitus_on,
        control_reason=c.text("control_reason", "Motif du contrôle", data.control_reason,
                              max_length=300),
        control_on=data.control_on,
        control_outcome=c.text("control_outcome", "Suite du contrôle", data.control_outcome,
                               max_length=500, multiline=True),
    )
    for name, label, cents in (("cotisation_due", "Cotisation due", clean.cotisation_due_cents),
                               ("cotisation_paid", "Cotisation payée", clean.cotisation_paid_cents)):
        if cents < 0:
            c.add(name, f"{label} : ne peut pas être négative.")
        elif cents > MAX_COTISATION_CENTS:
            c.add(name, f"{label} : {cents // 100} € semble trop élevé (100 000 € au plus).")
    if clean.cotisation_paid_cents > 0 and clean.cotisation_paid_on is None:
        c.add("cotisation_paid_on", "Date du paiement : indiquez quand la cotisation a été payée.")
    if (clean.control_on or clean.control_outcome) and not clean.control_reason:
        c.add("control_reason", "Motif du contrôle : indiquez pourquoi la coopérative est contrôlée.")
    today = clock.today()
    for name, label, value in (
        ("cotisation_paid_on", "Date du paiement", clean.cotisation_paid_on),
        ("cra_received_on", "CRA reçu le", clean.cra_received_on),
        ("crf_received_on", "CRF reçu le", clean.crf_received_on),
        ("quitus_on", "Quitus le", clean.quitus_on),
        ("control_on", "Contrôle le", clean.control_on),
    ):
        if value is not None and value > today:
            c.add(name, f"{label} : la date est dans le futur.")
    return clean, c.errors


def search_key(data: CoopData) -> str:
    parts = (data.number, data.name, data.commune, data.uai, data.mandataire_name)
    return fold(" ".join(p for p in parts if p))[:800]


def _duplicate_errors(session, data: CoopData, exclude_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    query = select(Coop.id, Coop.number, Coop.name, Coop.commune).where(
        func.upper(Coop.number) == data.number.upper()
    )
    for cid, number, name, commune in session.execute(query):
        if cid != exclude_id:
            errors["number"] = (f"Numéro OCCE : {number} est déjà celui de « {name} »"
                                + (f" ({commune})" if commune else "") + ".")
    if data.uai:
        query = select(Coop.id, Coop.number, Coop.name).where(func.upper(Coop.uai) == data.uai.upper())
        for cid, number, name in session.execute(query):
            if cid != exclude_id:
                errors["uai"] = f"UAI : {data.uai} est déjà celui de « {name} » (n° {number})."
    return errors


def _apply(coop: Coop, data: CoopData) -> None:
    coop.number = data.number
    coop.name = data.name
    coop.kind = data.kind
    coop.uai = data.uai or None
    coop.address = data.address
    coop.postal_code = data.postal_code
    coop.commune = data.commune
    coop.circonscription = data.circonscription
    coop.mandataire_name = data.mandataire_name
    coop.mandataire_email = data.mandataire_email
    coop.mandataire_phone = data.mandataire_phone
    coop.director = data.director
    coop.notes = data.notes
    coop.search_key = search_key(data)
    coop.updated_at = clock.now()


def _apply_year(row: CoopYear, data: YearData) -> None:
    for name in YearData.__dataclass_fields__:
        setattr(row, name, getattr(data, name))


# ---- writing ----------------------------------------------------------------------------

def _check_all(session, data: CoopData, years: dict[int, YearData] | None,
               exclude_id: int | None, pattern: str):
    """The cleaned coop and years, or every problem at once: the fields, the years, and a
    number or UAI already taken (so that one save tells everything)."""
    clean, errors = check_coop(data, pattern)
    clean_years: dict[int, YearData] = {}
    for year, year_data in (years or {}).items():
        clean_years[year], year_errors = check_year(year_data)
        for name, message in year_errors.items():
            errors.setdefault(name, message)
    for name, message in _duplicate_errors(session, clean, exclude_id).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    return clean, clean_years


def create_coop(db: Database, data: CoopData, years: dict[int, YearData] | None = None) -> int:
    """Create a coop (and its figures for the years given) in one transaction."""
    pattern = number_pattern(db)
    with db.transaction() as session:
        clean, clean_years = _check_all(session, data, years, None, pattern)
        coop = Coop(number=clean.number, name=clean.name, kind=clean.kind)
        _apply(coop, clean)
        session.add(coop)
        session.flush()
        for year, year_data in clean_years.items():
            _upsert_year(session, coop.id, year, year_data)
        return coop.id


def update_coop(db: Database, coop_id: int, data: CoopData,
                years: dict[int, YearData] | None = None, *, version: int | None = None,
                year_versions: dict[int, int] | None = None) -> None:
    """Change a coop and the figures of the years given, all or nothing.

    With the versions the form opened (`CoopDetail.version`, `.year_versions`), a coop or a
    year changed since (or a year entered since) is refused with StaleRecord, and nothing
    is written."""
    pattern = number_pattern(db)
    with db.transaction() as session:
        if version is not None:
            claim_coop(session, coop_id, version, years or {}, year_versions or {})
        coop = session.get(Coop, coop_id)
        if coop is None:
            raise ValidationError({"number": "Cette coopérative n'existe plus."})
        clean, clean_years = _check_all(session, data, years, coop_id, pattern)
        _apply(coop, clean)
        for year, year_data in clean_years.items():
            _upsert_year(session, coop_id, year, year_data)


def claim_coop(session, coop_id: int, version: int, years, year_versions: dict[int, int]) -> None:
    """The coop and each year the form saves, as the form opened them (versions.claim)."""
    versions.claim(session, Coop, coop_id, version)
    for year in sorted(years):
        year_id = session.scalar(select(CoopYear.id).where(CoopYear.coop_id == coop_id,
                                                           CoopYear.year == year))
        versions.claim(session, CoopYear, year_id, year_versions.get(year))


def _upsert_year(session, coop_id: int, year: int, data: YearData) -> None:
    row = session.scalars(
        select(CoopYear).where(CoopYear.coop_id == coop_id, CoopYear.year == year)
    ).first()
    if row is None:
        row = CoopYear(coop_id=coop_id, year=year)
        session.add(row)
    _apply_year(row, data)


def set_archived(db: Database, coop_id: int, archived: bool, on: date | None = None, *,
                 version: int | None = None) -> None:
    """Archive a coop (or bring it back); with the version the list showed, refused with
    StaleRecord if it changed since."""
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Coop, coop_id, version, what="Cette coopérative",
                           since=LIST_SINCE, advice=LIST_ADVICE)
        coop = session.get(Coop, coop_id)
        if coop is None:
            raise ValidationError({"coop": "Cette coopérative n'existe plus."})
        coop.archived = archived
        coop.archived_on = (on or clock.today()) if archived else None
        coop.updated_at = clock.now()


def delete_coop(db: Database, coop_id: int, *, version: int | None = None) -> None:
    """Only a coop entered by mistake, with no history at all, can be deleted; with the
    version listed, not one changed since (StaleRecord: someone is still working on it)."""
    try:
        with db.transaction() as session:
            if version is not None:
                versions.claim(session, Coop, coop_id, version, what="Cette coopérative",
                               since=LIST_SINCE, advice=LIST_ADVICE)
            coop = session.get(Coop, coop_id)
            if coop is None:
                return
            has_years = session.scalar(
                select(func.count()).select_from(CoopYear).where(CoopYear.coop_id == coop_id)
            )
            if has_years:
                raise ValidationError({"coop": _HISTORY_MESSAGE})
            audit.record_many(session, [audit.created("coop", coop_id, coop.model_dump(),
                                                      audit.Action.DELETED)])
            session.execute(delete(Coop).where(Coop.id == coop_id))
    except IntegrityError as exc:  # referenced by loans, donations…: the schema says no
        raise ValidationError({"coop": _HISTORY_MESSAGE}) from exc


_HISTORY_MESSAGE = ("Cette coopérative a un historique (années, prêts, dons…) : "
                    "elle ne peut pas être supprimée. Archivez-la.")
