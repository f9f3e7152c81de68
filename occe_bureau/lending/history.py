"""How the history (the audit trail) names the material, the loans and their fields."""

from __future__ import annotations

from occe_bureau.audit import Action, describe
from occe_bureau.lending.states import ItemState, LineStatus, LoanStatus

ITEM_LABELS = {
    "code": "Code", "name": "Nom", "category_id": "Catégorie (n° interne)",
    "description": "Description", "accessories": "Accessoires",
    "replacement_value_cents": "Valeur de remplacement", "default_loan_days": "Durée de prêt (jours)",
    "state": "État", "notes": "Notes",
}
LOAN_LABELS = {
    "slip_number": "Bon n°", "coop_id": "Coopérative (n° interne)", "borrower": "Emprunteur",
    "start_date": "Début", "due_date": "Retour prévu", "handed_over_by": "Remis par",
    "notes": "Notes", "status": "Statut",
}
LINE_LABELS = {
    "loan_id": "Prêt (n° interne)", "item_id": "Matériel (n° interne)", "status": "Statut",
    "start_date": "Début", "end_date": "Fin", "returned_on": "Rendu le", "condition": "État au retour",
    "missing_accessories": "Accessoires manquants", "return_notes": "Notes du retour",
    "transferred_to_loan_id": "Passé au prêt (n° interne)",
}

describe("item", "Matériel", labels=ITEM_LABELS, title=lambda v: f"{v['code']} {v['name']}",
         choices={"state": ItemState})
describe("item_category", "Catégorie de matériel",
         labels={"name": "Nom", "position": "Position", "archived": "Archivée"},
         title=lambda v: v["name"])
describe("loan", "Prêt ou réservation", labels=LOAN_LABELS,
         title=lambda v: f"Bon n° {v['slip_number']}", choices={"status": LoanStatus},
         actions={"status": {LoanStatus.CANCELLED.value: Action.CANCELLED}})
describe("loan_line", "Matériel d'un prêt", labels=LINE_LABELS, owner=("loan", "loan_id"),
         title=lambda v: f"Matériel n° {v['item_id']}", choices={"status": LineStatus}, listed=False)
describe("loan_reminder", "Relance d'un prêt", labels={"loan_id": "Prêt (n° interne)",
                                                       "sent_on": "Envoyée le"},
         owner=("loan", "loan_id"), title=lambda v: "Relance", listed=False)
