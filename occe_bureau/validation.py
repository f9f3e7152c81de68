"""Field checks shared by every form and every import: French messages, keyed by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache

from occe_bureau.tabular import FORMULA_STARTS


class ValidationError(Exception):
    """Bad input: `errors` maps a field name to the French message shown beside it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


class StaleRecord(ValidationError):
    """A record changed (or vanished) since the form or the list showing it was opened: the
    save or the action wrote nothing. Says who changed it, from which workstation, and when.

    `what` names the record with its gender ("Cette fiche", feminine; "Ce prêt", masculine),
    `since` when it was read ("depuis que vous l'avez ouverte", "depuis l'affichage de la
    liste"). It is a ValidationError (on the form's general line, or in the warning of a list
    action), under the field name STALE."""

    FIELD = "stale"

    def __init__(self, *, by: str = "", workstation: str = "", at: datetime | None = None,
                 gone: bool = False, what: str = "Cette fiche", feminine: bool = True,
                 plural: bool = False,
                 since: str = "depuis que vous l'avez ouverte",
                 advice: str = "Vos changements n'ont pas été enregistrés : rechargez la "
                               "fiche pour voir ses nouvelles valeurs.") -> None:
        self.by, self.workstation, self.at, self.gone = by, workstation, at, gone
        e = ("e" if feminine else "") + ("s" if plural else "")
        if gone:
            verb = "n'existent plus" if plural else "n'existe plus"
            text = f"{what} {verb} : supprimé{e} {since}."
        else:
            who = f" par {by}" if by else ""
            where = f" sur {workstation}" if workstation else ""
            when = ""
            if at is not None:
                local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()
                when = f" le {local:%d/%m/%Y} à {local:%H:%M}"
            verb = "ont" if plural else "a"
            text = f"{what} {verb} été modifié{e}{who}{where}{when} {since}."
        super().__init__({self.FIELD: f"{text} {advice}"})

    @property
    def message(self) -> str:
        return self.errors[self.FIELD]


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
        printed: bool = True,
    ) -> str:
        """The text as typed, outer spaces trimmed; checks presence, length, invisible and
        direction characters, (if `printed`) the fonts of the documents, and (for names)
        markup and formulas. Nothing else is changed: a text is kept or refused."""
        text = "" if value is None else str(value)
        text = text.strip(_OUTER_SPACES + ("\n" if multiline else ""))
        if required and not text:
            self.add(field, f"{label} : ce champ est obligatoire.")
            return text
        if len(text) > max_length:
            self.add(field, f"{label} : {len(text)} caractères, {max_length} au plus.")
        problem = character_problem(text, multiline=multiline, printed=printed)
        if problem:
            self.add(field, f"{label} : {problem}")
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


_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,25}$")
_MARKUP_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
# Control characters but the tab and the line break (a one-line field refuses them apart).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Marks and overrides that reorder what is shown (U+202E shows "fdp.exe" as "exe.pdf").
_BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OUTER_SPACES = " \u00a0\u202f"
# A single amount above this (one hundred million euros) is a typing error.
MAX_AMOUNT_CENTS = 100_000_000 * 100


def character_problem(text: str, *, multiline: bool = False, printed: bool = True) -> str:
    """Why `text` cannot be kept as typed ("" if it can): a control character, a line break
    or tab in a one-line field, a direction override, or a character the documents' fonts
    cannot print (it would vanish from a receipt)."""
    if text.isascii() and text.isprintable():  # most texts: one test at C speed
        return ""
    if not multiline and "\n" in text:
        return "un retour à la ligne n'est pas accepté dans ce champ."
    if not multiline and "\t" in text:
        return "une tabulation n'est pas acceptée dans ce champ (remplacez-la par une espace)."
    if _CONTROL_RE.search(text):
        return "contient des caractères invisibles non autorisés."
    override = _BIDI_RE.search(text)
    if override:
        return (f"contient un caractère qui inverse le sens de l'écriture "
                f"({_code(override.group())}) : retirez-le.")
    drawable = printable_characters() if printed else None
    if drawable is not None and not drawable.issuperset(text):
        missing = [char for char in dict.fromkeys(text) if char not in drawable]
        if len(missing) == 1:
            return (f"le caractère « {missing[0]} » ({_code(missing[0])}) ne peut pas être "
                    "imprimé sur les documents : retirez-le ou remplacez-le.")
        shown = ", ".join(f"« {char} » ({_code(char)})" for char in missing[:3])
        return (f"les caractères {shown} ne peuvent pas être imprimés sur les documents : "
                "retirez-les ou remplacez-les.")
    return ""


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


@lru_cache(maxsize=1)
def printable_characters() -> frozenset[str]:
    """The characters that both the regular and the bold embedded font can draw (read
    from their character maps; ReportLab is imported only when a text is checked), and the
    line breaks and tabs of multi-line texts.
    Beyond U+FFFF ReportLab writes the wrong glyph (😀 came out as ὠ): those are left out."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from occe_bureau.paths import ressources_dir

    folder = ressources_dir() / "fonts"
    maps = [set(TTFontFile(str(folder / name)).charToGlyph)
            for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    return frozenset(chr(code) for code in maps[0] & maps[1] if code <= 0xFFFF) | {"\n", "\t", " "}
