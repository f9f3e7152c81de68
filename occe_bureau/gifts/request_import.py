"""Import of a coop's request from a spreadsheet (CSV or Excel): each line read into a gift,
then planned and applied as a request typed in (request_plan.plan_request / apply_request)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from pathlib import Path

from occe_bureau.db import Database
from occe_bureau.formats import fold
from occe_bureau.gifts.donations import DonationData
from occe_bureau.gifts.donors import DonorData
from occe_bureau.gifts.enums import DonorKind, PaymentMethod
from occe_bureau.gifts.request_plan import RequestPlan, apply_steps, plan_steps, run_steps
from occe_bureau.tabular import TableError, read_table
from occe_bureau.validation import ValidationError


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


def _read_table(path: Path) -> list[list[object]]:
    """The file's lines (titles first), read by the shared spreadsheet reader (CSV `;`/`,`,
    UTF-8 or Windows-1252, XLSX); its French message when the file cannot be read."""
    table = read_table(path)
    return [table.headers] + [["" if v is None else v for v in row] for row in table.rows]


def _columns(header_row: list[object]) -> dict[int, str]:
    header = [fold(str(h)).strip().rstrip(" :") for h in header_row]
    mapping = {i: IMPORT_COLUMNS[h] for i, h in enumerate(header) if h in IMPORT_COLUMNS}
    if "amount" not in mapping.values() or not ({"last_name", "company_name"} & set(mapping.values())):
        raise ValidationError({"file": "Colonnes attendues en première ligne : Nom, Prénom, Adresse, "
                                       "Code postal, Commune, Montant, Date, Mode de paiement "
                                       "(et, au choix, N° de chèque, E-mail, Projet, Raison sociale, SIREN)."})
    return mapping


def _gift_of(cells: dict[str, object]) -> DonationData:
    company = str(cells.get("company_name", "")).strip()
    donor = DonorData(
        kind=DonorKind.COMPANY if company else DonorKind.PERSON,
        **{k: str(cells.get(k, "")).strip() for k in
           ("last_name", "first_names", "company_name", "siren", "legal_form", "address",
            "postal_code", "city", "country", "email")})
    if donor.postal_code.endswith(".0"):
        donor.postal_code = donor.postal_code[:-2]
    if donor.postal_code.isdigit() and len(donor.postal_code) == 4:
        donor.postal_code = "0" + donor.postal_code  # a spreadsheet ate the leading zero
    return DonationData(amount=str(cells.get("amount", "")).strip(),
                        received_on=cells.get("received_on", ""),
                        method=str(cells.get("method", "") or PaymentMethod.CHEQUE),
                        cheque_number=str(cells.get("cheque_number", "")).strip(),
                        project=str(cells.get("project", "")).strip(),
                        notes=str(cells.get("notes", "")).strip(), donor=donor)


def plan_file_steps(db: Database, path: str | Path, coop_id: int | None,
                    today: date | None = None) -> Generator[tuple[int, int], None, RequestPlan]:
    """plan_request_file a step at a time for a worker thread: yields (lines done, total),
    returns the plan."""
    path = Path(path)
    try:
        table = _read_table(path)
    except TableError as exc:
        raise ValidationError({"file": f"{path.name} : {exc}"}) from exc
    table = [r for r in table if any(str(v).strip() for v in r)]
    if not table:
        raise ValidationError({"file": "Le fichier est vide."})
    mapping = _columns(table[0])
    gifts = [_gift_of({name: values[i] if i < len(values) else "" for i, name in mapping.items()})
             for values in table[1:]]
    return (yield from plan_steps(db, coop_id, gifts, today=today,
                                  numbers=list(range(2, len(table) + 1))))


def plan_request_file(db: Database, path: str | Path, coop_id: int | None,
                      today: date | None = None) -> RequestPlan:
    """The plan of a spreadsheet's request (CSV or XLSX): one planned gift per line, numbered
    by its line in the file, with its errors, warnings and donor found. Nothing is saved."""
    return run_steps(plan_file_steps(db, path, coop_id, today))


def import_steps(db: Database, plan: RequestPlan) -> Generator[tuple[int, int], None, list[int]]:
    """Save a file's planned gifts, all or nothing, a step at a time (closing it rolls
    back): refused while a line has an error (each told by its line in the file), or while
    a question is open."""
    bad = [g for g in plan.lines if g.errors]
    if bad:
        raise ValidationError({f"{g.line}": f"Ligne {g.line} : {g.error_text}" for g in bad})
    return (yield from apply_steps(db, plan))


def import_request(db: Database, plan: RequestPlan) -> list[int]:
    """import_steps at once."""
    return run_steps(import_steps(db, plan))
