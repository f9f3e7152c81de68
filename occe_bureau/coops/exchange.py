"""Import the register from a spreadsheet (map, preview, then all valid rows at once) and
export the list shown."""

from __future__ import annotations

import re
from enum import StrEnum
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from occe_bureau.db import Database
from occe_bureau.formats import counted, fold, school_year_label
from occe_bureau.coops.models import Coop, CoopYear
from occe_bureau.coops.numbers import number_pattern
from occe_bureau.coops.register import (
    CoopData, CoopRow, YearData, check_coop, check_year, search_key,
)
from occe_bureau.validation import ValidationError
from occe_bureau.tabular import OutColumn, Table, cell_text, write_table
from occe_bureau import audit, clock


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    year: bool = False


IMPORT_FIELDS = [
    ImportField("number", "Numéro OCCE", ("numero", "n", "no", "num", "numero occe", "n occe",
                                          "n cooperative", "numero cooperative", "n occe"), True),
    ImportField("name", "Nom", ("nom", "nom de la cooperative", "cooperative", "ecole",
                                "etablissement", "nom ecole", "nom de l ecole"), True),
    ImportField("kind", "Type", ("type", "type d ecole", "categorie", "type etablissement"), True),
    ImportField("uai", "UAI", ("uai", "rne", "code uai", "uai rne")),
    ImportField("address", "Adresse", ("adresse", "rue")),
    ImportField("postal_code", "Code postal", ("code postal", "cp")),
    ImportField("commune", "Commune", ("commune", "ville", "localite")),
    ImportField("circonscription", "Circonscription", ("circonscription", "circo")),
    ImportField("mandataire_name", "Mandataire", ("mandataire", "nom du mandataire")),
    ImportField("mandataire_email", "E-mail du mandataire", ("e mail du mandataire", "email",
                                                              "e mail", "mail", "courriel")),
    ImportField("mandataire_phone", "Téléphone du mandataire", ("telephone du mandataire",
                                                                 "telephone", "tel")),
    ImportField("director", "Directeur ou directrice", ("directeur", "directrice", "direction",
                                                        "directeur ou directrice")),
    ImportField("classes", "Classes", ("classes", "nombre de classes", "nb classes"), year=True),
    ImportField("pupils", "Élèves", ("eleves", "nombre d eleves", "nb eleves"), year=True),
    ImportField("adults", "Adultes", ("adultes", "nombre d adultes", "nb adultes"), year=True),
]
FIELD_BY_KEY = {f.key: f for f in IMPORT_FIELDS}

class RowAction(StrEnum):
    """What the import will do with a row of the file."""

    CREATE = "create"
    UPDATE = "update"
    ERROR = "error"

    @property
    def label(self) -> str:
        return {"create": "À créer", "update": "À mettre à jour", "error": "Erreur"}[self.value]


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """For each field, the column whose title matches its name or a usual alias."""
    keys = [_header_key(h) for h in headers]
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    for f in IMPORT_FIELDS:
        wanted = {_header_key(f.label), *f.aliases}
        mapping[f.key] = next((i for i, k in enumerate(keys) if k in wanted and i not in taken), None)
        if mapping[f.key] is not None:
            taken.add(mapping[f.key])
    return mapping


@dataclass
class PlannedRow:
    line: int
    action: str
    data: CoopData
    # The yearly figures the file gives (blank cells left out: they keep what is stored).
    year_counts: dict[str, int] | None
    errors: dict[str, str] = field(default_factory=dict)
    coop_id: int | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.errors:
            return " ; ".join(self.errors.values())
        if self.action == RowAction.UPDATE:
            return ("modifie : " + ", ".join(self.changes)) if self.changes else "aucun changement"
        return ""


@dataclass
class ImportPlan:
    year: int
    rows: list[PlannedRow]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def valid_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action != RowAction.ERROR]


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: int

    @property
    def summary(self) -> str:
        parts = [counted(self.created, "coopérative créée", "coopératives créées"),
                 counted(self.updated, "mise à jour", "mises à jour")]
        if self.skipped:
            parts.append(counted(self.skipped, "ligne en erreur non importée",
                                 "lignes en erreur non importées"))
        return "Import terminé : " + ", ".join(parts) + "."


def normal_number(text: str | None) -> str:
    """A coop number as the register stores it (spaces folded, upper case)."""
    return " ".join((text or "").split()).upper()


def _existing(session) -> tuple[dict[str, tuple[int, CoopData, bool]], dict[str, str]]:
    columns = [getattr(Coop, f.name) for f in fields(CoopData)]
    by_number: dict[str, tuple[int, CoopData, bool]] = {}
    uai_owner: dict[str, str] = {}
    for row in session.execute(select(Coop.id, Coop.archived, *columns)):
        data = CoopData(*row[2:])
        data.uai = data.uai or ""
        by_number[normal_number(data.number)] = (row[0], data, row[1])
        if data.uai:
            uai_owner[data.uai.upper()] = normal_number(data.number)
    return by_number, uai_owner


def _year_figures(session, year: int) -> dict[int, dict[str, int]]:
    query = select(CoopYear.coop_id, CoopYear.classes, CoopYear.pupils, CoopYear.adults).where(
        CoopYear.year == year)
    return {cid: {"classes": c, "pupils": p, "adults": a} for cid, c, p, a in session.execute(query)}


def plan_import(db: Database, table: Table, mapping: dict[str, int | None], year: int) -> ImportPlan:
    """Check every row against the rules and the register; writes nothing.

    A row whose number is already in the register updates that coop; a blank cell keeps
    what is stored (nothing is erased by an incomplete file).
    """
    missing = [f.label for f in IMPORT_FIELDS if f.required and mapping.get(f.key) is None]
    if missing:
        raise ValidationError({"mapping": "Colonnes obligatoires non associées : "
                                          + ", ".join(missing) + "."})
    used = [i for i in mapping.values() if i is not None]
    if len(used) != len(set(used)):
        raise ValidationError({"mapping": "Une même colonne du fichier est associée à deux champs."})
    pattern = number_pattern(db)
    with db.session() as session:
        by_number, uai_owner = _existing(session)
        stored_years = _year_figures(session, year)
    year_keys = [f.key for f in IMPORT_FIELDS if f.year and mapping.get(f.key) is not None]
    coop_keys = [f.name for f in fields(CoopData) if mapping.get(f.name) is not None]
    seen_numbers: dict[str, int] = {}
    seen_uai: dict[str, int] = {}
    planned = []
    for index, cells in enumerate(table.rows):
        line = table.line_of(index)

        def cell(key: str, cells=cells) -> str:
            return cell_text(cells[mapping[key]])

        number = normal_number(cell("number"))
        existing = by_number.get(number)
        base = existing[1] if existing else CoopData()
        given = {key: cell(key) for key in coop_keys}
        if existing:
            given = {key: value for key, value in given.items() if value != ""}
        clean, errors = check_coop(replace(base, **given), pattern)
        year_counts = None
        given_counts = {key: cell(key) for key in year_keys if cell(key) != ""}
        if given_counts:
            checked, year_errors = check_year(YearData(**given_counts))
            year_counts = {key: getattr(checked, key) for key in given_counts}
            for key, message in year_errors.items():
                errors.setdefault(key, message)
        if existing and existing[2]:
            errors.setdefault("number", f"Numéro OCCE {number} : cette coopérative est archivée ; "
                                        "réactivez-la dans l'onglet avant de l'importer.")
        if number and "number" not in errors:
            if number in seen_numbers:
                errors["number"] = f"Numéro OCCE {number} : déjà présent ligne {seen_numbers[number]} du fichier."
            seen_numbers.setdefault(number, line)
        uai = clean.uai.upper()
        if uai and "uai" not in errors:
            if uai in seen_uai:
                errors["uai"] = f"UAI {uai} : déjà présent ligne {seen_uai[uai]} du fichier."
            elif uai_owner.get(uai, number) != number:
                errors["uai"] = f"UAI {uai} : déjà celui de la coopérative n° {uai_owner[uai]}."
            seen_uai.setdefault(uai, line)
        changes = []
        if existing and not errors:
            changes = [FIELD_BY_KEY[f.name].label for f in fields(CoopData)
                       if f.name in FIELD_BY_KEY and getattr(clean, f.name) != getattr(base, f.name)]
            stored = stored_years.get(existing[0], {})
            changes += [FIELD_BY_KEY[key].label for key, value in (year_counts or {}).items()
                        if stored.get(key) != value]
        action = RowAction.ERROR if errors else (RowAction.UPDATE if existing else RowAction.CREATE)
        planned.append(PlannedRow(line, action, clean, year_counts, errors,
                                  existing[0] if existing else None, changes))
    return ImportPlan(year, planned)


def _coop_values(data: CoopData) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(CoopData)}
    values["uai"] = data.uai or None
    values["search_key"] = search_key(data)
    return values


def apply_import(db: Database, plan: ImportPlan) -> ImportResult:
    """All valid rows in one transaction, or none (the register is left as it was)."""

    now = clock.now()
    creates = [r for r in plan.rows if r.action == RowAction.CREATE]
    updates = [r for r in plan.rows if r.action == RowAction.UPDATE]
    try:
        with db.transaction() as session:
            trail = []
            if creates:
                rows = [{**_coop_values(r.data), "archived": False, "created_at": now,
                         "updated_at": now} for r in creates]
                session.execute(insert(Coop), rows)  # executemany: RETURNING would go row by row
                new_ids = dict(session.execute(select(Coop.number, Coop.id)).all())
                trail += [audit.created("coop", new_ids[row["number"]], row) for row in rows]
            if updates:
                rows = [{"id": r.coop_id, **_coop_values(r.data), "updated_at": now} for r in updates]
                before = _stored_coops(session, [r.coop_id for r in updates])
                session.execute(update(Coop), rows)
                trail += [audit.changed("coop", row["id"], before[row["id"]], row,
                                        current=before[row["id"]]) for row in rows]
            with_years = [r for r in plan.valid_rows if r.year_counts]
            if with_years:
                ids = {normal_number(n): i for n, i in session.execute(select(Coop.number, Coop.id))}
                existing_years = {cid: (yid, {"classes": c, "pupils": p, "adults": a})
                                  for cid, yid, c, p, a in session.execute(
                    select(CoopYear.coop_id, CoopYear.id, CoopYear.classes, CoopYear.pupils,
                           CoopYear.adults).where(CoopYear.year == plan.year))}
                new_years, changed_years = [], []
                for r in with_years:
                    coop_id = ids[normal_number(r.data.number)]
                    if coop_id in existing_years:
                        year_id, stored = existing_years[coop_id]
                        changed_years.append({"id": year_id, **r.year_counts})
                        trail.append(audit.changed("coop_year", year_id, stored, r.year_counts,
                                                   current={"coop_id": coop_id, "year": plan.year}))
                    else:
                        new_years.append({**_YEAR_DEFAULTS, "coop_id": coop_id, "year": plan.year,
                                          **r.year_counts})
                if new_years:
                    session.execute(insert(CoopYear), new_years)
                    year_ids = dict(session.execute(select(CoopYear.coop_id, CoopYear.id).where(
                        CoopYear.year == plan.year)).all())
                    trail += [audit.created("coop_year", year_ids[row["coop_id"]], row)
                              for row in new_years]
                # Grouped by the figures given (a blank cell leaves its figure as stored).
                groups: dict[tuple[str, ...], list[dict]] = {}
                for values in changed_years:
                    groups.setdefault(tuple(sorted(values)), []).append(values)
                for group in groups.values():
                    session.execute(update(CoopYear), group)
            audit.record_many(session, [row for row in trail if row is not None])
    except IntegrityError as exc:
        raise ValidationError({"import": "Le registre a changé depuis l'aperçu (doublon de numéro "
                                         "ou d'UAI) : rien n'a été importé. Refaites l'aperçu."}) from exc
    return ImportResult(len(creates), len(updates), plan.count(RowAction.ERROR))


def _stored_coops(session, coop_ids: list[int]) -> dict[int, dict]:
    """The stored values of these coops (what an import changes, for the audit trail)."""
    columns = [Coop.id, *(getattr(Coop, f.name) for f in fields(CoopData))]
    stored = {}
    for start in range(0, len(coop_ids), 900):
        for row in session.execute(select(*columns).where(Coop.id.in_(coop_ids[start:start + 900]))):
            stored[row.id] = row._asdict()
    return stored


_YEAR_DEFAULTS = {"classes": 0, "pupils": 0, "adults": 0, "cotisation_due_cents": 0,
                  "cotisation_paid_cents": 0, "control_reason": "", "control_outcome": ""}


# ---- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    OutColumn("Numéro OCCE", width=12), OutColumn("Nom", width=42), OutColumn("Type", width=16),
    OutColumn("UAI", width=11), OutColumn("Commune", width=22), OutColumn("Circonscription", width=30),
    OutColumn("Mandataire", width=24), OutColumn("Statut", width=10),
    OutColumn("Classes", "int", 9), OutColumn("Élèves", "int", 9), OutColumn("Adultes", "int", 9),
    OutColumn("Adhérents", "int", 11), OutColumn("Cotisation due", "money", 14),
    OutColumn("Cotisation payée", "money", 14), OutColumn("CRA reçu le", "date", 12),
    OutColumn("CRF reçu le", "date", 12),
]


def export_coops(rows: list[CoopRow], year: int, path: str | Path) -> int:
    """Write the rows shown, with the figures of `year`, to .xlsx or .csv."""
    values = (
        [r.number, r.name, r.kind_label, r.uai or "", r.commune, r.circonscription,
         r.mandataire_name, "archivée" if r.archived else "active", r.classes, r.pupils, r.adults,
         r.members, r.cotisation_due_cents, r.cotisation_paid_cents, r.cra_received_on,
         r.crf_received_on]
        for r in rows
    )
    return write_table(path, EXPORT_COLUMNS, values, sheet_title=f"Coopératives {school_year_label(year)}")
