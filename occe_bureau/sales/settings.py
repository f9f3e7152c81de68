"""What the invoices print from Réglages: the association's SIRET (Factur-X and Chorus Pro need
it), the VAT exemption mention with its article, the payment terms and late penalties, the bank
details. Each is checked when saved; an issued invoice keeps the texts it printed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from occe_bureau.association import define_setting, setting_value
from occe_bureau.db import Database


def siret_problem(text: str) -> str | None:
    """Why a SIRET cannot be kept (None when it is a real one, or empty): 14 digits whose
    check digit is right (python-stdnum's stdnum.fr.siret)."""
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
    from stdnum.fr import siret

    compact = re.sub(r"[\s.]", "", text or "")
    if not compact:
        return None
    try:
        siret.validate(compact)
    except InvalidLength:
        return f"14 chiffres attendus ({len(compact)} saisis)."
    except InvalidFormat:
        return "14 chiffres attendus, sans lettres."
    except InvalidChecksum:
        return "ce numéro SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le."
    return None


def compact_siret(text: str) -> str:
    return re.sub(r"[\s.]", "", text or "")


def _check_siret(text: str) -> str | None:
    return siret_problem(text)


def _check_days(text: str) -> str | None:
    if not re.fullmatch(r"[0-9]{1,3}", text.strip() or "x") or not 0 <= int(text) <= 60:
        return "un nombre de jours de 0 à 60 est attendu (la loi plafonne le délai à 60 jours)."
    return None


# The exemptions an OCCE association invokes (chosen, with their article).
VAT_MENTIONS = (
    ("261-7-1b", "TVA non applicable, art. 261-7-1° b du CGI"),
    ("293B", "TVA non applicable, art. 293 B du CGI"),
    ("261-4-4a", "Exonération de TVA, art. 261-4-4° a du CGI"),
)

SELLER_SIRET = define_setting(
    "sales.siret", "Ventes – SIRET de l'association", "",
    help="Les 14 chiffres du SIRET de l'association : les factures le portent, et Chorus Pro "
         "(Factur-X) l'exige pour les factures aux mairies.", check=_check_siret)
VAT_MENTION = define_setting(
    "sales.vat_mention", "Ventes – mention de TVA des factures", VAT_MENTIONS[0][0],
    help="L'association n'est pas assujettie à la TVA : la facture le dit avec l'article qui "
         "l'en exonère.", choices=VAT_MENTIONS)
PAYMENT_DAYS = define_setting(
    "sales.payment_days", "Ventes – délai de paiement (jours)", "30",
    help="L'échéance d'une facture : sa date plus ce nombre de jours.", check=_check_days)
LATE_PENALTY = define_setting(
    "sales.late_penalty", "Ventes – pénalités de retard",
    "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles le jour suivant "
    "l'échéance.", multiline=True,
    help="La mention des pénalités de retard que la loi impose sur chaque facture.")
BANK_DETAILS = define_setting(
    "sales.bank_details", "Ventes – coordonnées bancaires (IBAN, BIC)", "",
    help="Imprimées sur les factures pour les paiements par virement ou mandat administratif.")


@dataclass(frozen=True)
class InvoiceTerms:
    seller_siret: str
    vat_mention: str
    payment_days: int
    late_penalty_text: str
    bank_details: str

    @property
    def payment_terms(self) -> str:
        if self.payment_days == 0:
            return "Paiement à réception, par virement, chèque ou mandat administratif"
        return (f"Paiement à {self.payment_days} jours par virement, chèque ou mandat "
                "administratif")


def invoice_terms(db: Database) -> InvoiceTerms:
    vat = dict(VAT_MENTIONS).get(setting_value(db, VAT_MENTION), VAT_MENTIONS[0][1])
    days = setting_value(db, PAYMENT_DAYS)
    return InvoiceTerms(compact_siret(setting_value(db, SELLER_SIRET)), vat,
                        int(days) if days.isdigit() else 30,
                        setting_value(db, LATE_PENALTY), setting_value(db, BANK_DETAILS))
