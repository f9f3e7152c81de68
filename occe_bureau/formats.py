"""French conventions: money, dates, school years, and text folding for searches."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

NBSP = "\u00a0"


# ---- money (integer cents everywhere below the widgets) -------------------------------------

def format_money(cents: int, *, symbol: bool = True) -> str:
    """12345 -> "123,45 €"; 123456789 -> "1 234 567,89 €" (no-break spaces)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    groups = f"{euros:,}".replace(",", NBSP)
    text = f"{sign}{groups},{rest:02d}"
    return f"{text}{NBSP}€" if symbol else text


_MONEY_RE = re.compile(r"^(?P<int>[0-9]+)(?:[.,](?P<dec>[0-9]{1,2}))?$")


def parse_money(text: str | int | float | None) -> int:
    """"12", "12,5", "1 234,50 €", "12.50" -> cents. Raises ValueError with a French message."""
    if text is None:
        raise ValueError("Montant manquant.")
    if isinstance(text, bool):
        raise ValueError("Montant illisible.")
    if isinstance(text, int):
        return text * 100
    if isinstance(text, float):
        return int(round(text * 100))
    cleaned = str(text).strip().replace("€", "").replace("EUR", "")
    for space in (" ", NBSP, "\u202f"):
        cleaned = cleaned.replace(space, "")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    match = _MONEY_RE.match(cleaned)
    if not match:
        raise ValueError(f"Montant illisible : « {str(text).strip()} » (exemple : 12,50).")
    cents = int(match["int"]) * 100 + int((match["dec"] or "0").ljust(2, "0"))
    return -cents if negative else cents


# ---- dates --------------------------------------------------------------------------------

def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


_DATE_FR = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})$")
_DATE_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


def parse_date(value: str | date | datetime | None) -> date | None:
    """"05/03/2025", "5/3/25", "2025-03-05", a date or a datetime -> date; "" -> None.

    Raises ValueError with a French message for anything else.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _DATE_FR.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return date(year, month, day)
        match = _DATE_ISO.match(text.split(" ")[0].split("T")[0])
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"Date invalide : « {text} » (attendu : jj/mm/aaaa).")


# ---- school years (1 September – 31 August) -----------------------------------------------

def school_year_of(day: date) -> int:
    """The year a school year starts in: 15/11/2024 and 15/03/2025 are both in 2024 ("2024-2025")."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def parse_school_year(text: str) -> int:
    match = re.match(r"^\s*([0-9]{4})\s*[-/]\s*([0-9]{4})\s*$", text or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"Année scolaire invalide : « {text} » (exemple : 2024-2025).")
    return int(match[1])


# ---- text folding -------------------------------------------------------------------------

_SPECIAL_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(text: str | None) -> str:
    """Lower-case, accent-free text for searching: "Élodie Łukasz" -> "elodie lukasz"."""
    if not text:
        return ""
    lowered = text.casefold().translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def format_int(value: int) -> str:
    """6198 -> "6 198" (French thousands separator)."""
    return f"{int(value):,}".replace(",", NBSP)
