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
