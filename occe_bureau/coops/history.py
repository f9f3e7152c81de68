"""How the history (the audit trail) names a coop, its yearly figures and their fields."""

from __future__ import annotations

from occe_bureau.audit import Action, describe
from occe_bureau.coops.models import CoopKind
from occe_bureau.formats import school_year_label

COOP_LABELS = {
    "number": "Numéro OCCE", "name": "Nom", "kind": "Type", "uai": "UAI", "address": "Adresse",
    "postal_code": "Code postal", "commune": "Commune", "circonscription": "Circonscription",
    "mandataire_name": "Mandataire", "mandataire_email": "E-mail du mandataire",
    "mandataire_phone": "Téléphone du mandataire", "director": "Directeur ou directrice",
    "notes": "Notes", "archived": "Archivée", "archived_on": "Archivée le",
}
YEAR_LABELS = {
    "coop_id": "Coopérative (n° interne)", "year": "Année scolaire", "classes": "Classes",
    "pupils": "Élèves", "adults": "Adultes", "cotisation_due_cents": "Cotisation due",
    "cotisation_paid_cents": "Cotisation payée", "cotisation_paid_on": "Cotisation payée le",
    "cra_received_on": "Compte rendu d'activités reçu le",
    "crf_received_on": "Compte rendu financier reçu le", "quitus_on": "Quitus le",
    "control_reason": "Motif du contrôle", "control_on": "Contrôle le",
    "control_outcome": "Suite du contrôle",
}


def _year_title(values: dict) -> str:
    return f"Année {school_year_label(int(values['year']))}"


describe("coop", "Coopérative", labels=COOP_LABELS,
         title=lambda v: f"{v['number']} {v['name']}", choices={"kind": CoopKind},
         actions={"archived": (Action.ARCHIVED, Action.REACTIVATED)})
describe("coop_year", "Année d'une coopérative", labels=YEAR_LABELS, title=_year_title,
         owner=("coop", "coop_id"), skip=("year",), listed=False)
