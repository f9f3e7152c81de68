"""How the history (the audit trail) names donors, gifts, tax receipts and their fields."""

from __future__ import annotations

from occe_bureau.audit import Action, changed, created, describe
from occe_bureau.gifts.enums import (
    DonorKind, GiftForm, GiftNature, GiftSource, PaymentMethod, ReceiptKind,
)

DONOR_LABELS = {
    "kind": "Type", "last_name": "Nom", "first_names": "Prénoms", "company_name": "Raison sociale",
    "siren": "SIREN", "legal_form": "Forme juridique", "address": "Adresse",
    "postal_code": "Code postal", "city": "Commune", "country": "Pays", "email": "E-mail",
}
GIFT_LABELS = {
    "donor_id": "Donateur (n° interne)", "coop_id": "Coopérative (n° interne)", "project": "Projet",
    "amount_cents": "Montant", "received_on": "Reçu le", "method": "Mode de paiement",
    "cheque_number": "N° de chèque", "form": "Forme du don", "nature": "Nature du don",
    "source": "Origine", "notes": "Notes", "kind_description": "Biens donnés",
    "kind_valuation": "Évaluation des biens", "service_confirmed": "Don confirmé (pas une prestation)",
    "withdrawn": "Retiré", "withdrawn_reason": "Motif du retrait", "receipt_id": "Reçu (n° interne)",
    "receipt": "Reçu fiscal",
}
RECEIPT_LABELS = {
    "chain_hash": "Empreinte (chaîne des reçus)", "chain_prev": "Empreinte du reçu précédent",
    "number": "Numéro", "year": "Exercice", "seq": "Rang", "kind": "Type de reçu",
    "issued_on": "Émis le", "issued_at": "Émis à", "donor_id": "Donateur (n° interne)",
    "coop_id": "Coopérative (n° interne)", "donor_kind": "Type de donateur", "donor_name": "Nom",
    "donor_first_names": "Prénoms", "donor_siren": "SIREN", "donor_legal_form": "Forme juridique",
    "donor_address": "Adresse", "donor_email": "E-mail", "amount_cents": "Montant",
    "amount_words": "Montant en lettres", "gift_date": "Date du don",
    "period_start": "Début de la période", "period_end": "Fin de la période",
    "form": "Forme du don", "nature": "Nature du don", "methods": "Modes de paiement",
    "kind_description": "Biens donnés", "kind_valuation": "Évaluation des biens",
    "coop_label": "Coopérative", "project": "Projet", "beneficiary_name": "Bénéficiaire",
    "beneficiary_address": "Adresse du bénéficiaire",
    "beneficiary_siren_rna": "SIREN ou RNA du bénéficiaire",
    "beneficiary_object": "Objet du bénéficiaire", "beneficiary_type": "Type d'organisme",
    "articles": "Articles du CGI", "statement": "Mention", "signatory_name": "Signataire",
    "signatory_title": "Qualité du signataire", "signature_id": "Signature (n° interne)",
    "logo_id": "Logo (n° interne)", "signed_place": "Fait à", "printed_at": "Imprimé le",
    "cancelled": "Annulé", "cancelled_on": "Annulé le", "cancel_reason": "Motif de l'annulation",
    "replaces_id": "Remplace le reçu (n° interne)", "replaces_numbers": "Remplace le reçu",
    "gifts": "Dons (n° internes)",
}


def donor_title(values: dict) -> str:
    if values.get("kind") == DonorKind.COMPANY:
        return values.get("company_name") or ""
    return " ".join(p for p in (values.get("last_name"), values.get("first_names")) if p)


describe("donor", "Donateur", labels=DONOR_LABELS, title=donor_title, choices={"kind": DonorKind})
describe("donation", "Don", labels=GIFT_LABELS,
         title=lambda v: f"Don n° {v['id']}" if v.get("id") else "Don",
         choices={"method": PaymentMethod, "form": GiftForm, "nature": GiftNature,
                  "source": GiftSource},
         actions={"withdrawn": (Action.WITHDRAWN, None)})
describe("tax_receipt", "Reçu fiscal", labels=RECEIPT_LABELS,
         title=lambda v: f"Reçu {v['number']}",
         choices={"kind": ReceiptKind, "donor_kind": DonorKind, "form": GiftForm,
                  "nature": GiftNature},
         actions={"cancelled": (Action.CANCELLED, None), "printed_at": (Action.PRINTED, None)})


# ---- the entries of the receipts written with core statements (issuing.py, receipts.py) ----

def receipt_issued(receipt_id: int, values: dict, donation_ids: list[int]) -> list[dict]:
    """A receipt just issued (its frozen values) and each of its gifts now covered by it."""
    number = values["number"]
    action = Action.REPLACED if values.get("replaces_id") else Action.ISSUED
    rows = [created("tax_receipt", receipt_id, {**values, "gifts": donation_ids}, action)]
    rows += [changed("donation", gid, {"receipt": None}, {"receipt": number}, action=action,
                     current={"id": gid}) for gid in donation_ids]
    return rows


def receipt_released(number: str, donation_ids: list[int]) -> list[dict]:
    """The gifts of a receipt just cancelled, pending again."""
    return [changed("donation", gid, {"receipt": number}, {"receipt": None},
                    action=Action.CANCELLED, current={"id": gid}) for gid in donation_ids]


def receipts_printed(printed: list[tuple[int, str]], at) -> list[dict]:
    """The first print of these receipts ((id, number) pairs)."""
    return [changed("tax_receipt", rid, {"printed_at": None}, {"printed_at": at},
                    action=Action.PRINTED, current={"number": number}) for rid, number in printed]
