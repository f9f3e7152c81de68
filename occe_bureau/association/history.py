"""How the history (the audit trail) names the association's identity and its settings."""

from __future__ import annotations

from occe_bureau.audit import describe
from occe_bureau.association.settings import SETTING_DEFS

ASSOCIATION_LABELS = {
    "name": "Nom", "address": "Adresse", "postal_code": "Code postal", "city": "Commune",
    "email": "E-mail", "phone": "Téléphone", "siren_rna": "SIREN ou RNA", "object": "Objet",
    "signatory_name": "Signataire", "signatory_title": "Qualité du signataire", "logo": "Logo",
    "signature": "Signature",
}


def _setting_title(values: dict) -> str:
    definition = SETTING_DEFS.get(values.get("key", ""))
    return definition.label if definition else str(values.get("key", ""))


describe("association", "Association", labels=ASSOCIATION_LABELS,
         title=lambda v: v.get("name") or "L'association")
describe("app_setting", "Réglage", labels={"key": "Réglage", "value": "Valeur"},
         title=_setting_title, skip=("key",))
