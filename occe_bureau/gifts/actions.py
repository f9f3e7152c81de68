"""What a gift and a receipt allow in their state: the one answer the Dons et reçus tab reads
to enable its buttons (and the rules that refuse an action say the same)."""

from __future__ import annotations

from enum import StrEnum

from occe_bureau.gifts.donations import DonationRow, GiftState
from occe_bureau.gifts.receipts import ReceiptRow, ReceiptState


class GiftAction(StrEnum):
    ISSUE_RECEIPT = "issue_receipt"
    WITHDRAW = "withdraw"
    EDIT_DONOR = "edit_donor"

    @property
    def label(self) -> str:
        return {"issue_receipt": "Émettre le reçu", "withdraw": "Retirer le don",
                "edit_donor": "Modifier le donateur"}[self]


class ReceiptAction(StrEnum):
    PRINT_ORIGINAL = "print_original"
    PRINT_DUPLICATE = "print_duplicate"
    CANCEL = "cancel"
    CANCEL_AND_REPLACE = "cancel_and_replace"

    @property
    def label(self) -> str:
        return {"print_original": "Imprimer l'original", "print_duplicate": "Imprimer un duplicata",
                "cancel": "Annuler le reçu",
                "cancel_and_replace": "Annuler et remplacer le reçu"}[self]


PRINTS = frozenset({ReceiptAction.PRINT_ORIGINAL, ReceiptAction.PRINT_DUPLICATE})


def gift_actions(gift: DonationRow) -> frozenset[GiftAction]:
    """A pending gift gets its receipt or is withdrawn; a receipted or withdrawn one neither
    (cancel its receipt first). Its donor can always be corrected (receipts stay frozen)."""
    if gift.state == GiftState.PENDING:
        return frozenset({GiftAction.ISSUE_RECEIPT, GiftAction.WITHDRAW, GiftAction.EDIT_DONOR})
    return frozenset({GiftAction.EDIT_DONOR})


def receipt_actions(receipt: ReceiptRow) -> frozenset[ReceiptAction]:
    """Printed once, a receipt reprints as a duplicate; a valid one can be cancelled, alone or
    with its replacement (new number); a cancelled one is kept, printed marked ANNULÉ."""
    printing = ReceiptAction.PRINT_DUPLICATE if receipt.printed else ReceiptAction.PRINT_ORIGINAL
    if receipt.state == ReceiptState.CANCELLED:
        return frozenset({printing})
    return frozenset({printing, ReceiptAction.CANCEL, ReceiptAction.CANCEL_AND_REPLACE})
