from datetime import date

import pytest

from occe_bureau.formats import (
    fold, format_date, format_int, format_money, parse_date, parse_money, parse_school_year,
    school_year_bounds, school_year_label, school_year_of,
)


@pytest.mark.parametrize("cents,text", [
    (0, "0,00\u00a0€"), (5, "0,05\u00a0€"), (123450, "1\u00a0234,50\u00a0€"),
    (-2500, "-25,00\u00a0€"), (100000000, "1\u00a0000\u00a0000,00\u00a0€"),
])
def test_format_money(cents, text):
    assert format_money(cents) == text


@pytest.mark.parametrize("text,cents", [
    ("12", 1200), ("12,5", 1250), ("12.50", 1250), ("1 234,56 €", 123456), ("0,05", 5),
    ("1\u00a0000", 100000), ("-3", -300),
])
def test_parse_money(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("bad", ["", "abc", "12,345", "1.2.3", "€"])
def test_parse_money_refuses(bad):
    with pytest.raises(ValueError, match="Montant"):
        parse_money(bad)


def test_dates():
    assert format_date(date(2025, 3, 5)) == "05/03/2025"
    assert parse_date("5/3/25") == date(2025, 3, 5)
    assert parse_date("2025-03-05") == date(2025, 3, 5)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="Date invalide"):
        parse_date("31/02/2025")


def test_school_years():
    assert school_year_of(date(2024, 9, 1)) == 2024
    assert school_year_of(date(2025, 8, 31)) == 2024
    assert school_year_label(2024) == "2024-2025"
    assert school_year_bounds(2024) == (date(2024, 9, 1), date(2025, 8, 31))
    assert parse_school_year("2024-2025") == 2024
    with pytest.raises(ValueError):
        parse_school_year("2024-2026")


def test_fold_and_int():
    assert fold("Élodie ŁUKASZ Nguyễn Øyvind Œuvray") == "elodie lukasz nguyen oyvind oeuvray"
    assert format_int(146262) == "146\u00a0262"


def test_counted_agrees_in_french():
    from occe_bureau.formats import counted

    assert counted(0, "don enregistré", "dons enregistrés") == "0 don enregistré"
    assert counted(1, "coopérative créée", "coopératives créées") == "1 coopérative créée"
    assert counted(1234, "reçu", "reçus") == "1\u00a0234 reçus"


def test_no_bracketed_plural_anywhere_in_the_code():
    """Issue 8: "coopérative(s)", "don(s)", "annulé(s)" are written out in the singular or
    the plural: no text of the core or of the interface holds a "(s)"."""
    import io
    import re
    import tokenize
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    texts = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    found = []
    for folder in ("occe_bureau", "ui"):
        for path in sorted((root / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                # The code between braces in an f-string ("{format_date(s)}") is not text.
                text = re.sub(r"\{[^{}]*\}", "", token.string) if token.type in texts else ""
                if re.search(r"\((?:e?s)\)", text):
                    found.append(f"{path.relative_to(root)}:{token.start[0]}")
    assert found == []
