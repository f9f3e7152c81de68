"""What a reminder letter says: the letters escalate (a first, gentle one; a second, firmer;
the last one, sent from the third reminder on, which warns that the material will be billed),
each with its text editable in the settings, and they greet the borrower they are addressed
to ("Madame," after "À l'attention de Mme …", not "Madame, Monsieur,").

The texts' fields: {echeance} the due date, {jours} the number of days late, {retard} the
same in words ("6 jours", "1 jour"), {relance} the date of the previous reminder, {valeur} the
replacement value of the material still out.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from occe_bureau.association import define_setting
from occe_bureau.formats import format_date
from occe_bureau.lending.vocabulary import days_label

FIELDS = ("echeance", "jours", "retard", "relance", "valeur")
_FIELDS_HELP = ("{echeance} est remplacé par la date de retour prévue, {jours} par le nombre de "
                "jours de retard ({retard} : « 6 jours »), {relance} par la date de la relance "
                "précédente, {valeur} par la valeur de remplacement du matériel non rendu.")


def check_fields(text: str) -> str | None:
    """A text naming a field that does not exist ({echance}) is refused, the field named."""
    unknown = [name for name in re.findall(r"\{([^{}]*)\}", text) if name not in FIELDS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in FIELDS)
        return f"le champ {{{unknown[0]}}} n'existe pas (champs possibles : {known})."
    return None


REMINDER_TEXT = define_setting(
    "loans.reminder_text",
    "Prêts : texte de la première lettre de relance",
    "Sauf erreur de notre part, le matériel ci-dessous, prêté à votre coopérative, devait nous "
    "être rendu le {echeance}. D'autres écoles l'attendent : merci de le rapporter au plus vite "
    "ou de nous contacter pour convenir d'une date.",
    multiline=True, help=_FIELDS_HELP, check=check_fields,
)
SECOND_REMINDER_TEXT = define_setting(
    "loans.reminder_text_second",
    "Prêts : texte de la deuxième lettre de relance",
    "Notre courrier du {relance} est resté sans réponse : le matériel ci-dessous, qui devait nous "
    "être rendu le {echeance}, a maintenant {retard} de retard, et d'autres écoles l'attendent. "
    "Nous vous demandons de le rapporter dans les huit jours, ou de nous appeler dès réception "
    "de cette lettre pour convenir d'une date.",
    multiline=True, help=_FIELDS_HELP, check=check_fields,
)
LAST_REMINDER_TEXT = define_setting(
    "loans.reminder_text_last",
    "Prêts : texte de la dernière lettre de relance (la troisième et les suivantes)",
    "Malgré nos relances, la dernière du {relance}, le matériel ci-dessous ne nous est toujours "
    "pas revenu : il devait être rendu le {echeance}, il y a {retard}. Merci de le rapporter "
    "sans faute sous huit jours. Passé ce délai, il sera considéré comme perdu et sa valeur de "
    "remplacement ({valeur}) sera facturée à la coopérative, comme le prévoient les conditions "
    "du prêt signées à son départ.",
    multiline=True, help=_FIELDS_HELP, check=check_fields,
)


class ReminderStep(StrEnum):
    FIRST = "first"
    SECOND = "second"
    LAST = "last"

    @property
    def label(self) -> str:
        return {ReminderStep.FIRST: "Première relance", ReminderStep.SECOND: "Deuxième relance",
                ReminderStep.LAST: "Dernière relance"}[self]

    @property
    def setting(self):
        return {ReminderStep.FIRST: REMINDER_TEXT, ReminderStep.SECOND: SECOND_REMINDER_TEXT,
                ReminderStep.LAST: LAST_REMINDER_TEXT}[self]


def reminder_step(number: int) -> ReminderStep:
    """The first letter is gentle, the second firmer; the third and any after are the last."""
    if number <= 1:
        return ReminderStep.FIRST
    return ReminderStep.SECOND if number == 2 else ReminderStep.LAST


def fill_fields(text: str, *, due: date, days_late: int, previous: date | None,
                value: str) -> str:
    """The text with its fields filled in (the previous reminder: its date, or the due date
    for a first letter that names it anyway)."""
    values = {"echeance": format_date(due), "jours": str(days_late),
              "retard": days_label(days_late), "relance": format_date(previous or due), "valeur": value}
    for name, filled in values.items():
        text = text.replace("{" + name + "}", filled)
    return text


_CIVILITY = re.compile(r"(?:^|\bet\b|[,&/+])\s*(Mmes?|Madame|Mlle|Mademoiselle|MM?\.|Monsieur|Mr\.?)"
                       r"(?=\s|$)")
_WOMEN = {"Mme", "Mmes", "Madame", "Mlle", "Mademoiselle"}


def salutation(borrower: str) -> str:
    """How the letter greets the borrower it is addressed to: "Madame" for "Mme Benali",
    "Monsieur" for "M. Haddad", "Madame, Monsieur" for both or when the name says neither."""
    found = _CIVILITY.findall(" ".join((borrower or "").split()))
    women = any(word in _WOMEN for word in found)
    men = any(word not in _WOMEN for word in found)
    if women and not men:
        return "Madame"
    if men and not women:
        return "Monsieur"
    return "Madame, Monsieur"
