"""Import of a coop's request from a spreadsheet (CSV or Excel): read, check, enter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from occe_bureau.db import Database
from occe_bureau.tabular import TableError, read_table
from occe_bureau.formats import fold
from occe_bureau.gifts.donations import DonationData, check_donation, enter_request
from occe_bureau.gifts.donors import COMPANY, PERSON, DonorData, DonorRow, _similar
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


def _read_table(path: Path) -> list[list[object]]:
    """The file's lines (titles first), read by the shared spreadsheet reader (CSV `;`/`,`,
    UTF-8 or Windows-1252, XLSX); its French message when the file cannot be read."""
    table = read_table(path)
    return [table.headers] + [["" if v is None else v for v in row] for row in table.rows]


def read_request_file(db: Database, path: str | Path, coop_id: int | None,
                      today: date | None = None) -> list[ImportRow]:
    """Preview of a spreadsheet (CSV or XLSX): one ImportRow per line, with its errors,
    warnings and the known donors it matches. Nothing is saved."""
    path = Path(path)
    try:
        table = _read_table(path)
    except TableError as exc:
        raise ValidationError({"file": f"{path.name} : {exc}"}) from exc
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
