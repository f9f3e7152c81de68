"""Spreadsheets in and out: CSV (`;` or `,`, UTF-8 or Windows-1252) and XLSX.

Reading gives a header row and data rows, or a French TableError. Writing neutralises
every text cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 200_000


class TableError(Exception):
    """The file cannot be read as a table; the message is for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]

    def line_of(self, index: int) -> int:
        """The line number the user sees in the file for data row `index` (header is line 1)."""
        return index + 2


def read_table(path: str | Path) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise TableError(f"Le fichier « {path.name} » est introuvable.")
    if suffix in (".csv", ".txt"):
        return read_csv_bytes(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix == ".xls":
        raise TableError("Les fichiers .xls (Excel 97-2003) ne sont pas lus : enregistrez-le "
                         "au format .xlsx ou CSV depuis votre tableur.")
    raise TableError("Format non reconnu : choisissez un fichier CSV ou Excel (.xlsx).")


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TableError("Ce fichier n'est pas un tableau lisible (contenu binaire).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv_bytes(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise TableError("Le fichier CSV est mal formé (un guillemet n'est pas refermé ?) : "
                         f"ligne {reader.line_num}.") from exc
    return _table_from_rows(rows)


def read_xlsx(path: Path) -> Table:
    import zipfile
    import zlib

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A damaged file fails on opening or only while its rows are read (read-only mode
    # inflates and parses the sheet lazily): a broken zip, a bad deflate stream, bad XML.
    damaged = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError,
               zlib.error, SyntaxError, ValueError, TypeError, IndexError)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except damaged as exc:
        raise TableError(f"Le fichier Excel « {path.name} » est illisible ou abîmé : "
                         "ouvrez-le dans votre tableur et enregistrez-le à nouveau au "
                         "format .xlsx.") from exc
    return _table_from_rows(rows)


def _is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table_from_rows(rows: list[list[object]]) -> Table:
    rows = [row for row in rows if not all(_is_empty(c) for c in row)]
    if not rows:
        raise TableError("Le fichier est vide : aucune ligne à importer.")
    if len(rows) > MAX_ROWS:
        raise TableError(f"Le fichier a {len(rows)} lignes : {MAX_ROWS} au plus.")
    headers = ["" if _is_empty(h) else str(h).strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise TableError("La première ligne doit donner le nom des colonnes.")
    width = len(headers)
    data = []
    for row in rows[1:]:
        row = list(row[:width]) + [None] * (width - len(row))
        data.append(row)
    if not data:
        raise TableError("Le fichier ne contient que la ligne des titres : aucune donnée à importer.")
    return Table(headers, data)


def cell_text(value: object) -> str:
    """A cell as the user typed it: 92000.0 from Excel is "92000", a date is "05/03/2025"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def safe_cell(value: object) -> object:
    """A text that a spreadsheet would run as a formula is prefixed with an apostrophe,
    also when blanks come first (" =1+1", "\\n=1+1", a no-break space): spreadsheets
    skip them before they look for "="."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


@dataclass(frozen=True)
class OutColumn:
    title: str
    kind: str = "text"  # text | int | number (int or Decimal, shown as is) | money (cents) | date
    width: int = 14


@dataclass(frozen=True)
class OutSheet:
    """One sheet of a workbook: its title, columns and rows, and the lines written above the
    column titles (`preamble`: a heading, in bold, then any lines, totals for instance)."""

    title: str
    columns: Sequence[OutColumn]
    rows: Iterable[Sequence[object]]
    preamble: Sequence[Sequence[object]] = ()


def euros(cents: int) -> Decimal:
    """Integer cents as exact decimal euros (1234 -> Decimal('12.34')), never a float."""
    return Decimal(int(cents)).scaleb(-2)


def write_table(path, columns: Sequence[OutColumn] = (), rows: Iterable[Sequence[object]] = (),
                sheet_title: str = "Export", *, preamble: Sequence[Sequence[object]] = (),
                sheets: Sequence[OutSheet] = ()) -> int:
    """Write rows to .xlsx or .csv (by the file's suffix); returns the number of rows.

    `preamble`: lines written above the column titles, the first in bold (text cells are
    neutralised there too). `sheets` instead of columns and rows: a workbook of several
    sheets (xlsx only). `path` may also be a binary file object (xlsx)."""
    if isinstance(path, (str, Path)):
        path = Path(path)
        if path.suffix.lower() == ".csv":
            return _write_csv(path, columns, rows, preamble)
    return _write_xlsx(path, list(sheets) or [OutSheet(sheet_title, columns, rows, preamble)])


def _csv_value(column: OutColumn, value: object) -> str:
    if value is None:
        return ""
    if column.kind == "money":
        euros, cents = divmod(int(value), 100)
        return f"{euros},{cents:02d}"
    if column.kind == "date":
        return value.strftime("%d/%m/%Y") if value else ""
    return str(safe_cell(str(value)))


def _write_csv(path: Path, columns, rows, preamble=()) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for line in preamble:
            writer.writerow(["" if v is None else str(safe_cell(str(v))) for v in line])
        writer.writerow([c.title for c in columns])
        for row in rows:
            writer.writerow([_csv_value(c, v) for c, v in zip(columns, row, strict=True)])
            count += 1
    return count


def _write_xlsx(target, sheets: list[OutSheet]) -> int:
    # Write-only: rows stream to the file as they come (a year of receipts, 6 000 coops).
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = sum(_fill_sheet(workbook, out) for out in sheets)
    workbook.save(target)
    return count


_FORMATS = {"money": '#,##0.00 "€"', "date": "DD/MM/YYYY", "int": "#,##0", "number": "General"}


def _fill_sheet(workbook, out: OutSheet) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(out.title[:31])
    columns = out.columns
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{len(out.preamble) + 2}"
    heading = Font(bold=True, size=13)
    for number, line in enumerate(out.preamble):
        cells = [WriteOnlyCell(sheet, safe_cell(value)) for value in line]
        if number == 0 and cells:
            cells[0].font = heading
        sheet.append(cells)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF5")
    titles = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.title)
        cell.font, cell.fill = bold, fill
        titles.append(cell)
    sheet.append(titles)
    count = 0
    for row in out.rows:
        sheet.append([_xlsx_cell(sheet, column, value)
                      for column, value in zip(columns, row, strict=True)])
        count += 1
    return count


def _xlsx_cell(sheet, column: OutColumn, value: object):
    """A cell of a data row: text neutralised, money as exact euros (a Decimal, not a float
    whose sums drift), numbers and dates with their format."""
    from openpyxl.cell import WriteOnlyCell

    if column.kind == "text":
        return safe_cell("" if value is None else str(value))
    if value is None:
        return None
    if column.kind == "money":
        value = euros(value)
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = _FORMATS[column.kind]
    return cell
