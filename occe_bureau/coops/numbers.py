"""The coop number: the association's pattern ("92-####", set in Réglages) or, until it is
set, digits with separators as the ADs write them ("92-0042", "112", "92 777")."""

from __future__ import annotations

import re

from occe_bureau.association import define_setting, setting_value
from occe_bureau.db import Database

DIGIT = "#"
_FREE_RE = re.compile(r"[0-9]+(?:[-./ ][0-9]+)*")
_PATTERN_CHARS_RE = re.compile(r"[0-9A-Za-z#./ -]+")


def check_pattern(text: str) -> str | None:
    """Why a pattern cannot be used (a French message), or None."""
    if not text:
        return None
    if len(text) > 20:
        return "20 caractères au plus."
    if DIGIT not in text:
        return "mettez un # à la place de chaque chiffre (exemple : 92-####)."
    if not _PATTERN_CHARS_RE.fullmatch(text):
        return "seuls les chiffres, les lettres, # et les séparateurs - . / et l'espace sont acceptés."
    return None


NUMBER_PATTERN = define_setting(
    "coops.number_pattern",
    "Coopératives : modèle des numéros OCCE",
    "",
    help="Chaque # tient la place d'un chiffre ; le reste s'écrit tel quel. Exemple : "
         "« 92-#### » accepte 92-0042 et refuse 92-42 ou abc. Laissé vide : des chiffres, "
         "séparés au besoin par un tiret, un point, une barre ou une espace.",
    check=check_pattern,
)


def number_pattern(db: Database) -> str:
    return setting_value(db, NUMBER_PATTERN)


def example_number(pattern: str) -> str:
    """"92-####" -> "92-0042"."""
    digits = iter("0042".rjust(pattern.count(DIGIT), "0")[-pattern.count(DIGIT):])
    return "".join(next(digits) if char == DIGIT else char for char in pattern)


def number_problem(number: str, pattern: str = "") -> str | None:
    """Why `number` is not a coop number of the association (French), or None."""
    if pattern:
        regex = "".join("[0-9]" if char == DIGIT else re.escape(char) for char in pattern)
        if re.fullmatch(regex, number):
            return None
        return (f"« {number} » ne suit pas le modèle de l'association, « {pattern} » "
                f"(exemple : {example_number(pattern)} ; modèle à changer dans Paramètres, "
                "Réglages).")
    if _FREE_RE.fullmatch(number):
        return None
    return (f"« {number} » n'est pas un numéro : des chiffres sont attendus, séparés au besoin "
            "par un tiret (exemple : 92-0042).")
