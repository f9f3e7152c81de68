"""The UAI (ex-RNE), the national code of a school: 7 digits (3 for the département) and a
check letter, the 7-digit number modulo 23 taken in the alphabet without I, O and Q."""

from __future__ import annotations

import re

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # the alphabet without I, O and Q: 23 letters


def uai_check_letter(digits: str) -> str:
    return UAI_LETTERS[int(digits) % 23]


def uai_problem(uai: str) -> str | None:
    """None when the UAI is well formed, else the French reason."""
    if not re.fullmatch(r"[0-9]{7}[A-Za-z]", uai):
        return "8 caractères attendus : 7 chiffres puis une lettre (exemple : 0920001A)."
    expected = uai_check_letter(uai[:7])
    if uai[7].upper() != expected:
        return f"la lettre de contrôle ne correspond pas (pour {uai[:7]}, la lettre est {expected})."
    return None
