"""The codes of the gifts domain: who gives, how, in what form, and the kinds of receipt.

Each is a StrEnum: a member equals the code stored in the database ("cheque" == PaymentMethod.
CHEQUE), the CHECK constraints of the models are generated from the members (in this order),
and every French label shown or printed comes from here. No database, no rules: the
documents import these too.
"""

from __future__ import annotations

from enum import StrEnum


class DonorKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"

    @property
    def label(self) -> str:
        return {"person": "Particulier", "company": "Entreprise"}[self]

    @property
    def cerfa(self) -> str:
        """The Cerfa form its receipt follows."""
        return {"person": "Cerfa 11580", "company": "Cerfa 16216"}[self]


class PaymentMethod(StrEnum):
    ESPECES = "especes"
    CHEQUE = "cheque"
    VIREMENT = "virement"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self][0]

    @property
    def short_label(self) -> str:
        """In a list or a declaration column."""
        return _METHOD_LABELS[self][1]

    @property
    def receipt_label(self) -> str:
        """The Cerfa's words, ticked on the receipt."""
        return _METHOD_LABELS[self][2]


_METHOD_LABELS = {
    "especes": ("Espèces", "Espèces", "Remise d'espèces"),
    "cheque": ("Chèque", "Chèque", "Chèque"),
    "virement": ("Virement, prélèvement, carte bancaire", "Virement/carte",
                 "Virement, prélèvement, carte bancaire"),
}


class GiftForm(StrEnum):
    AUTHENTIQUE = "authentique"
    SEING_PRIVE = "seing_prive"
    MANUEL = "manuel"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {"authentique": "Acte authentique", "seing_prive": "Acte sous seing privé",
                "manuel": "Déclaration de don manuel", "autre": "Autres"}[self]


class GiftNature(StrEnum):
    NUMERAIRE = "numeraire"
    TITRES = "titres"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {"numeraire": "Numéraire", "titres": "Titres de sociétés cotés",
                "autre": "Autres"}[self]


class GiftSource(StrEnum):
    COOP = "coop"
    PLATEFORME = "plateforme"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {"coop": "Demande d'une coopérative",
                "plateforme": "Plateforme de financement participatif", "autre": "Autre"}[self]

    @property
    def short_label(self) -> str:
        return {"coop": "Coopérative", "plateforme": "Plateforme", "autre": "Autre"}[self]


class ReceiptKind(StrEnum):
    SINGLE = "single"
    SUMMARY = "summary"

    @property
    def label(self) -> str:
        return {"single": "Reçu d'un don", "summary": "Reçu récapitulatif annuel"}[self]


class OrganisationType(StrEnum):
    """The Cerfa's boxes for the beneficiary's type (the ones an OCCE association can tick)."""

    INTERET_GENERAL = "interet_general"
    RUP = "rup"
    ENSEIGNEMENT = "enseignement"

    @property
    def label(self) -> str:
        """In the settings' choice."""
        return {"interet_general": "Œuvre ou organisme d'intérêt général",
                "rup": "Association ou fondation reconnue d'utilité publique",
                "enseignement": "Établissement d'enseignement supérieur ou d'enseignement "
                                "artistique, d'intérêt général, à but non lucratif"}[self]

    def receipt_text(self, decree: str = "", journal: str = "") -> str:
        """The box's words as the receipt prints them (frozen at issue); an association
        reconnue d'utilité publique names the date of its decree and of its publication."""
        if self == OrganisationType.RUP:
            return (f"Association ou fondation reconnue d'utilité publique par décret en date du "
                    f"{decree} publié au Journal officiel du {journal}")
        if self == OrganisationType.INTERET_GENERAL:
            return "Association loi 1901 – œuvre ou organisme d'intérêt général"
        return self.label


def parse_code(enum_type, value, default=None):
    """The member of `enum_type` whose code is `value`, or `default` when there is none."""
    try:
        return enum_type(value)
    except ValueError:
        return default
