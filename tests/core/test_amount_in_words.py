import pytest
from num2words import num2words

from occe_bureau.formats import amount_in_words, integer_in_words

TABLE = [
    (1, "un centime"),
    (50, "cinquante centimes"),
    (99, "quatre-vingt-dix-neuf centimes"),
    (100, "un euro"),
    (101, "un euro et un centime"),
    (150, "un euro et cinquante centimes"),
    (200, "deux euros"),
    (2100, "vingt et un euros"),
    (7100, "soixante et onze euros"),
    (7200, "soixante-douze euros"),
    (8000, "quatre-vingts euros"),
    (8100, "quatre-vingt-un euros"),
    (9100, "quatre-vingt-onze euros"),
    (10000, "cent euros"),
    (18000, "cent quatre-vingts euros"),
    (20000, "deux cents euros"),
    (20100, "deux cent un euros"),
    (20150, "deux cent un euros et cinquante centimes"),
    (28000, "deux cent quatre-vingts euros"),
    (100000, "mille euros"),
    (100100, "mille un euros"),
    (120000, "mille deux cents euros"),
    (200000, "deux mille euros"),
    (8000000, "quatre-vingt mille euros"),
    (20000000, "deux cent mille euros"),
    (28000000, "deux cent quatre-vingt mille euros"),
    (15085900, "cent cinquante mille huit cent cinquante-neuf euros"),
    (1472100, "quatorze mille sept cent vingt et un euros"),
    (100000000, "un million d'euros"),
    (100000050, "un million d'euros et cinquante centimes"),
    (200000000, "deux millions d'euros"),
    (8000000000, "quatre-vingts millions d'euros"),
    (120000000, "un million deux cent mille euros"),
    (100100000, "un million mille euros"),
    (100000100, "un million un euros"),
    (100000000000, "un milliard d'euros"),
]


@pytest.mark.parametrize("cents,words", TABLE)
def test_known_amounts(cents, words):
    assert amount_in_words(cents) == words


def test_never_zero_euro_nor_euros_after_one():
    for cents in range(1, 100_001, 7):
        words = amount_in_words(cents)
        assert "zéro" not in words
        assert not words.startswith("un euros")
        assert "  " not in words
        assert (cents % 100 == 1) == (words == "un centime" or words.endswith(" et un centime"))
        assert (cents // 100 == 1) == words.startswith("un euro")


@pytest.mark.parametrize("cents", [0, -100])
def test_zero_and_negative_are_refused(cents):
    with pytest.raises(ValueError):
        amount_in_words(cents)


def test_integer_words_agree_with_num2words_over_a_wide_range():
    """num2words' integer French is right (its currency mode is not); ours must match it."""
    numbers = list(range(0, 2000)) + list(range(2000, 1_000_000, 997)) + [
        10**6 * k + j for k in (1, 2, 80, 200, 999) for j in (0, 1, 80, 1000, 200_000)]
    wrong = [(n, integer_in_words(n), num2words(n, lang="fr")) for n in numbers
             if integer_in_words(n) != num2words(n, lang="fr")]
    assert wrong == []
