"""Field checks shared by every form and every import: French messages, keyed by field."""

from __future__ import annotations

import re
from collections.abc import Mapping

from occe_bureau.tabular import FORMULA_STARTS


class ValidationError(Exception):
    """Bad input: `errors` maps a field name to the French message shown beside it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


class Checker:
    """Collects the errors of one form, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    # -- text -------------------------------------------------------------------------------
    def text(
        self,
        field: str,
        label: str,
        value: object,
        *,
        max_length: int,
        required: bool = False,
        name_like: bool = False,
        multiline: bool = False,
    ) -> str:
        """Trimmed text; checks presence, length and (for names) markup and formulas."""
        text = "" if value is None else str(value)
        text = text.strip()
        if not multiline:
            text = " ".join(text.split())
        if required and not text:
            self.add(field, f"{label} : ce champ est obligatoire.")
            return text
        if len(text) > max_length:
            self.add(field, f"{label} : {len(text)} caractères, {max_length} au plus.")
        if _CONTROL_RE.search(text.replace("\n", "").replace("\t", "") if multiline else text):
            self.add(field, f"{label} : contient des caractères invisibles non autorisés.")
        if name_like and text:
            if _MARKUP_RE.search(text):
                self.add(field, f"{label} : les balises comme <b> ou <script> ne sont pas acceptées.")
            elif text[0] in FORMULA_STARTS:
                self.add(
                    field,
                    f"{label} : ne peut pas commencer par « {text[0]} » "
                    "(un tableur le prendrait pour une formule).",
                )
        return text

    def email(self, field: str, label: str, value: object, *, required: bool = False) -> str:
        text = self.text(field, label, value, max_length=200, required=required)
        if text and not _EMAIL_RE.match(text):
            self.add(field, f"{label} : adresse e-mail invalide (exemple : nom@ecole.fr).")
        return text

    def phone(self, field: str, label: str, value: object) -> str:
        text = self.text(field, label, value, max_length=30)
        if text and not _PHONE_RE.match(text):
            self.add(field, f"{label} : numéro de téléphone invalide (exemple : 01 23 45 67 89).")
        return text

    def postal_code(self, field: str, label: str, value: object) -> str:
        text = self.text(field, label, value, max_length=5)
        if text and not re.fullmatch(r"[0-9]{5}", text):
            self.add(field, f"{label} : 5 chiffres attendus (exemple : 92000).")
        return text

    def count(self, field: str, label: str, value: object, *, maximum: int = 1_000_000) -> int:
        """A whole number of things (classes, pupils…): 0 or more."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return 0
        try:
            number = int(str(value).strip().replace(" ", "")) if not isinstance(value, int) else value
        except ValueError:
            if isinstance(value, float) and value.is_integer():
                number = int(value)
            else:
                try:
                    as_float = float(str(value).strip().replace(",", "."))
                except ValueError:
                    self.add(field, f"{label} : un nombre entier est attendu.")
                    return 0
                if not as_float.is_integer():
                    self.add(field, f"{label} : un nombre entier est attendu.")
                    return 0
                number = int(as_float)
        if number < 0:
            self.add(field, f"{label} : ne peut pas être négatif.")
            return 0
        if number > maximum:
            self.add(field, f"{label} : {number} semble trop grand (au plus {maximum}).")
            return 0
        return number


_MARKUP_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,25}$")

