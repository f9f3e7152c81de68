"""Tax receipts: the financial year and the numbering settings.

Numbering. A number reads "2025-00042": the year is the START YEAR OF THE FINANCIAL YEAR in
which the receipt is issued (1 September – 31 August by default, so a receipt issued on
15/03/2026 is in the series "2025-…"), and the sequence restarts at 00001 each financial
year. Why the financial year rather than the calendar year: the declaration the association
files each year (article 222 bis CGI) counts the receipts of its financial year, and its
accounts close on 31 August; with one series per financial year, the receipts of a
declaration are exactly one unbroken series, which is what the accountant and an auditor
check ("00001 to 00508, none missing, cancelled ones listed"). Where the start of the
financial year is set to 1 January, the series is the calendar year.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from occe_bureau.db import Database
from occe_bureau.gifts.enums import OrganisationType
from occe_bureau.gifts.models import TaxReceipt
from occe_bureau.association import define_setting, setting_value
from occe_bureau import clock


# ---- settings ---------------------------------------------------------------------------------

def _check_day_month(text: str) -> str | None:
    try:
        day, month = parse_day_month(text)
        date(2001, month, day)
    except ValueError:
        return "jour et mois attendus, par exemple 01/09."
    if (day, month) == (29, 2):
        return "le 29 février n'existe pas chaque année."
    return None


def parse_day_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*", text or "")
    if not match:
        raise ValueError(text)
    return int(match[1]), int(match[2])


def _check_articles(text: str) -> str | None:
    allowed = {"200", "978"}
    parts = {p.strip() for p in text.split(",") if p.strip()}
    if not parts or not parts <= allowed:
        return "indiquez 200, ou 200, 978 (article 978 : réduction d'IFI, si l'association y a droit)."
    return None


def _check_financial_year_change(db: Database, old: str, new: str) -> str | None:
    """The numbering series follow the financial year: once a receipt of the current (or a
    later) financial year is issued, moving its start would split or merge that series."""
    try:
        old_start, new_start = parse_day_month(old), parse_day_month(new)
    except ValueError:
        return None
    if old_start == new_start:
        return None
    current = financial_year_of(clock.today(), old_start)
    with db.session() as session:
        issued = session.scalar(select(func.count(TaxReceipt.id)).where(TaxReceipt.year >= current))
    if issued:
        return (f"des reçus ont déjà été émis pour l'exercice en cours (série {current}) : changer "
                "son début casserait la numérotation et la déclaration annuelle. Faites ce "
                "changement avant le premier reçu d'un exercice.")
    return None


FINANCIAL_YEAR_START = define_setting(
    "receipts.financial_year_start", "Reçus fiscaux – début de l'exercice (jour/mois)", "01/09",
    help="L'exercice de l'association, pour la numérotation des reçus et la déclaration annuelle "
         "(article 222 bis du CGI). Par défaut du 1er septembre au 31 août.",
    check=_check_day_month, check_change=_check_financial_year_change)
def _parse_full_date(text: str) -> date:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*", text or "")
    if not match:
        raise ValueError(text)
    return date(int(match[3]), int(match[2]), int(match[1]))


def _check_full_date(text: str) -> str | None:
    if not text:
        return None
    try:
        _parse_full_date(text)
    except ValueError:
        return "date attendue, par exemple 12/03/1959."
    return None


def _needed_when_rup(key: str):
    def check(values: dict[str, str]) -> str | None:
        rup = values.get(BENEFICIARY_TYPE.key) == OrganisationType.RUP
        if rup and not values.get(key):
            return "obligatoire pour une association reconnue d'utilité publique."
        if key == RUP_JOURNAL.key and rup and values.get(RUP_DECREE.key):
            try:
                if _parse_full_date(values[key]) < _parse_full_date(values[RUP_DECREE.key]):
                    return "la publication ne peut pas précéder le décret."
            except ValueError:
                return None
        return None
    return check


BENEFICIARY_TYPE = define_setting(
    "receipts.beneficiary_type", "Reçus fiscaux – type d'organisme bénéficiaire",
    OrganisationType.INTERET_GENERAL,
    help="La case du Cerfa cochée dans la rubrique « Bénéficiaire des versements ».",
    choices=tuple((t.value, t.label) for t in OrganisationType))
RUP_DECREE = define_setting(
    "receipts.rup_decree_date", "Reçus fiscaux – utilité publique (1) : date du décret", "",
    help="Pour une association reconnue d'utilité publique : la date du décret (jj/mm/aaaa).",
    check=_check_full_date, check_with=_needed_when_rup("receipts.rup_decree_date"))
RUP_JOURNAL = define_setting(
    "receipts.rup_journal_date", "Reçus fiscaux – utilité publique (2) : date de publication au Journal officiel", "",
    help="Pour une association reconnue d'utilité publique : la date de publication du décret "
         "au Journal officiel (jj/mm/aaaa).",
    check=_check_full_date, check_with=_needed_when_rup("receipts.rup_journal_date"))


def beneficiary_type_text(db: Database) -> str:
    """The type of organisation as a receipt prints it (the Cerfa's box and its words)."""
    from occe_bureau.gifts.enums import parse_code

    kind = parse_code(OrganisationType, setting_value(db, BENEFICIARY_TYPE),
                      OrganisationType.INTERET_GENERAL)
    return kind.receipt_text(setting_value(db, RUP_DECREE), setting_value(db, RUP_JOURNAL))
PERSON_ARTICLES = define_setting(
    "receipts.person_articles", "Reçus fiscaux – articles du CGI cochés (particuliers)", "200",
    help="Article 200 du CGI : la réduction d'impôt sur le revenu des particuliers (66 % du don). "
         "Article 978 : la réduction d'impôt sur la fortune immobilière (IFI) ; ajoutez-le (« 200, "
         "978 ») seulement si l'association y ouvre droit. Les reçus des entreprises citent "
         "toujours l'article 238 bis.", check=_check_articles)
RECEIPT_NOTE = define_setting(
    "receipts.note", "Reçus fiscaux – mention en bas du reçu",
    "Ce reçu est à joindre à votre déclaration de revenus ou à conserver pour la justifier. "
    "Le don est fait au profit de la coopérative scolaire indiquée, section de l'association.",
    multiline=True)


# The note of a company's receipt (Cerfa 16216): a company has no "déclaration de revenus".
COMPANY_NOTE = ("Ce reçu est à conserver par l'entreprise pour justifier, en cas de contrôle, la "
                "réduction d'impôt prévue à l'article 238 bis du CGI, déclarée avec sa déclaration "
                "de résultats (formulaire n° 2069-RCI). Le don est fait au profit de la "
                "coopérative scolaire indiquée, section de l'association.")


def financial_year_start(db: Database) -> tuple[int, int]:
    try:
        return parse_day_month(setting_value(db, FINANCIAL_YEAR_START))
    except ValueError:
        return 1, 9


def financial_year_of(day: date, start: tuple[int, int]) -> int:
    """The year a financial year starts in (15/03/2026 -> 2025 with a 1 September start)."""
    d, m = start
    return day.year if (day.month, day.day) >= (m, d) else day.year - 1


def financial_year_bounds(year: int, start: tuple[int, int]) -> tuple[date, date]:
    from datetime import timedelta

    d, m = start
    first = date(year, m, d)
    return first, date(year + 1, m, d) - timedelta(days=1)


def financial_year_label(year: int, start: tuple[int, int]) -> str:
    return str(year) if start == (1, 1) else f"{year}-{year + 1}"


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:05d}"
