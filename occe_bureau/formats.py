"""French conventions: money, dates, school years, and text folding for searches."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

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


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_day(value: date) -> str:
    """A date with its weekday, for a convocation or a sheet: "jeudi 12/03/2026"."""
    return f"{WEEKDAYS[value.weekday()]} {format_date(value)}"


def format_dates(values) -> str:
    """Several dates in a sentence: "05/03/2026", "05/03/2026 et 12/03/2026",
    "05/03/2026, 12/03/2026 et 19/03/2026"."""
    texts = [format_date(v) for v in values]
    if len(texts) < 2:
        return "".join(texts)
    return ", ".join(texts[:-1]) + " et " + texts[-1]


def format_clock(value: time) -> str:
    """A time of day as the French print it: 9:00 -> "9 h", 13:30 -> "13 h 30"."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def format_duration(minutes: int) -> str:
    """A length of time in hours: 540 -> "9 h", 90 -> "1 h 30", 45 -> "45 min", 0 -> "0 h"."""
    hours, rest = divmod(abs(int(minutes)), 60)
    sign = "-" if minutes < 0 else ""
    if hours == 0 and rest:
        return f"{sign}{rest} min"
    return f"{sign}{format_int(hours)} h" + (f" {rest:02d}" if rest else "")


# ---- school years (1 September – 31 August) -----------------------------------------------

def school_year_of(day: date) -> int:
    """The year a school year starts in: 15/11/2024 and 15/03/2025 are both in 2024 ("2024-2025")."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s to `end`'s, both included (none if end < start)."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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


def counted(count: int, singular: str, plural: str) -> str:
    """A number and its words, agreed in French (0 and 1 take the singular):
    counted(1, "don enregistré", "dons enregistrés") -> "1 don enregistré";
    counted(1234, …) -> "1 234 dons enregistrés". Never a bracketed plural."""
    return f"{format_int(count)} {singular if abs(int(count)) < 2 else plural}"


# ---- amounts in words (receipts: "quatre-vingts euros", "un million d'euros") --------------

_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
          "dix-neuf"]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, *, final: bool) -> str:
    """0 < n < 100. `final`: nothing follows (then "quatre-vingts" takes its s)."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        joiner = " et " if (tens == 7 and unit == 1) else "-"
        return f"{base}{joiner}{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 and final else (
            "quatre-vingt" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}")
    word = _TENS[tens]
    if unit == 0:
        return word
    return f"{word} et un" if unit == 1 else f"{word}-{_UNITS[unit]}"


def _below_1000(n: int, *, final: bool) -> str:
    """0 < n < 1000; `final` is False before "mille" (no plural s on cent/vingt there)."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            parts.append(f"{_UNITS[hundreds]} cent" + ("s" if rest == 0 and final else ""))
    if rest:
        parts.append(_below_100(rest, final=final))
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    """A whole number in French words, traditional spelling (0 <= n < 10**15).

    "quatre-vingts", "quatre-vingt-un", "deux cents", "deux cent un", "mille", "deux mille",
    "quatre-vingt mille", "un million", "deux millions", "quatre-vingts millions".
    """
    n = int(n)
    if n < 0 or n >= 10**15:
        raise ValueError("Nombre hors limites pour l'écriture en lettres.")
    if n == 0:
        return "zéro"
    parts = []
    for value, singular, plural in ((10**12, "mille milliards", "mille milliards"),
                                    (10**9, "milliard", "milliards"),
                                    (10**6, "million", "millions")):
        count, n = divmod(n, value)
        if count:
            if value == 10**12:
                parts.append(("" if count == 1 else _below_1000(count, final=False) + " ")
                             + "mille milliards")
            else:
                # million and milliard are nouns: "quatre-vingts millions", "deux cents millions"
                parts.append(f"{_below_1000(count, final=True)} {singular if count == 1 else plural}")
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if rest:
        parts.append(_below_1000(rest, final=True))
    return " ".join(parts)


def amount_in_words(cents: int) -> str:
    """A positive amount of money, as a tax receipt writes it.

    1 -> "un centime"; 50 -> "cinquante centimes" (never "zéro euro…"); 100 -> "un euro";
    8000 -> "quatre-vingts euros"; 20150 -> "deux cent un euros et cinquante centimes";
    100000000 -> "un million d'euros"; 120000000 -> "un million deux cent mille euros".
    Zero and negative amounts are refused upstream (a gift is never nil).
    """
    cents = int(cents)
    if cents <= 0:
        raise ValueError("Le montant doit être supérieur à zéro.")
    euros, rest = divmod(cents, 100)
    parts = []
    if euros:
        words = integer_in_words(euros)
        if euros == 1:
            parts.append("un euro")
        elif euros % 1_000_000 == 0:  # "un million d'euros", "deux milliards d'euros"
            parts.append(f"{words} d'euros")
        else:
            parts.append(f"{words} euros")
    if rest:
        parts.append("un centime" if rest == 1 else f"{integer_in_words(rest)} centimes")
    return " et ".join(parts)
