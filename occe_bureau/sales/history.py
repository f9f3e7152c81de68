"""How the history (the audit trail) names the sales records and their fields."""

from __future__ import annotations

from occe_bureau.audit import Action, describe
from occe_bureau.sales.enums import (
    InvoiceKind, MovementReason, OrderState, PayerKind, PaymentMethod, ProductKind,
)

describe("sale_product", "Produit", title=lambda v: v.get("name", ""),
         labels={"name": "Nom", "kind": "Sorte", "cycle": "Cycle", "edition_year": "Édition",
                 "unit_price_cents": "Prix unitaire", "active": "En vente",
                 "low_stock": "Seuil de stock bas"},
         choices={"kind": ProductKind}, actions={"active": (Action.REACTIVATED, Action.ARCHIVED)})
describe("sale_stock_movement", "Mouvement de stock", owner=("sale_product", "product_id"),
         labels={"product_id": "Produit (n° interne)", "moved_on": "Date", "quantity": "Quantité",
                 "reason": "Motif", "note": "Note", "order_id": "Commande (n° interne)"},
         choices={"reason": MovementReason})
describe("sale_payer", "Payeur", title=lambda v: v.get("name", ""),
         labels={"kind": "Sorte", "name": "Nom", "address": "Adresse", "postal_code": "Code postal",
                 "city": "Commune", "email": "E-mail", "siret": "SIRET",
                 "service_code": "Code service (Chorus Pro)", "archived": "Archivé"},
         choices={"kind": PayerKind})
describe("sale_order", "Commande", title=lambda v: f"Commande {v.get('number', '')}",
         labels={"number": "Numéro", "year": "Année scolaire", "ordered_on": "Commandée le",
                 "coop_id": "Coopérative (n° interne)", "payer_kind": "Payée par",
                 "payer_id": "Payeur (n° interne)", "commitment_number": "N° d'engagement",
                 "notes": "Notes", "state": "État", "total_cents": "Total", "paid_cents": "Payé",
                 "delivered_on": "Livrée le", "cancelled_on": "Annulée le",
                 "cancel_reason": "Motif d'annulation", "reminded_on": "Relancée le",
                 "reminders": "Relances"},
         choices={"state": OrderState, "payer_kind": PayerKind},
         actions={"state": {OrderState.CANCELLED.value: Action.CANCELLED}})
describe("sale_order_line", "Ligne de commande", owner=("sale_order", "order_id"),
         labels={"product_id": "Produit (n° interne)", "quantity": "Quantité",
                 "unit_price_cents": "Prix unitaire"})
describe("sale_payment", "Paiement", owner=("sale_order", "order_id"),
         labels={"paid_on": "Payé le", "amount_cents": "Montant", "method": "Mode",
                 "reference": "Référence"},
         choices={"method": PaymentMethod})
def _invoice_title(v: dict) -> str:
    kind = InvoiceKind(v["kind"]).label if v.get("kind") else "Facture"
    return f"{kind} {v.get('number', '')}"


describe("sale_invoice", "Facture", title=_invoice_title,
         labels={"kind": "Sorte", "number": "Numéro", "issued_on": "Émise le",
                 "total_cents": "Total", "due_on": "Échéance", "buyer_name": "Payeur",
                 "cancelled": "Annulée", "cancelled_on": "Annulée le",
                 "credit_reason": "Motif de l'avoir", "printed_at": "Imprimée le"},
         choices={"kind": InvoiceKind},
         actions={"cancelled": (Action.CANCELLED, None), "printed_at": (Action.PRINTED, None)})
describe("sale_invoice_line", "Ligne de facture", owner=("sale_invoice", "invoice_id"),
         labels={"description": "Désignation", "quantity": "Quantité",
                 "unit_price_cents": "Prix unitaire", "total_cents": "Total"})
