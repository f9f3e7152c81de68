"""Cancel, then correct: a wrong receipt ("Erreur sur le prénom") is cancelled and replaced
only once the donor or the gift has been corrected, all in one transaction (the correction,
the cancellation, the replacement with its new number), so that the replacement never
reprints the error and nothing changes if one check fails."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from occe_bureau import versions
from occe_bureau.db import Database
from occe_bureau.gifts.donations import DonationData, check_donation
from occe_bureau.gifts.donors import DonorData, apply_details, check_donor, donor_data
from occe_bureau.gifts.enums import ReceiptKind
from occe_bureau.gifts.issuing import cancel_receipt
from occe_bureau.gifts.models import Donation, Donor, ReceiptLine, TaxReceipt
from occe_bureau.validation import Checker, ValidationError

# What of a gift is corrected before its replacement receipt (the rest stays as entered).
GIFT_FIELDS = ("amount", "received_on", "method", "cheque_number")


@dataclass
class ReplacementDraft:
    """What the replacement of a receipt would print today: the donor's current details and,
    for the receipt of one gift, that gift (a summary's gifts are corrected one by one)."""

    receipt_id: int
    number: str
    kind: ReceiptKind
    donor_id: int
    donor: DonorData
    gift_id: int | None = None
    gift: DonationData | None = None
    # The versions read with them: a correction over a change made since is refused.
    donor_version: int = 1
    gift_version: int | None = None


def replacement_draft(db: Database, receipt_id: int) -> ReplacementDraft:
    """The starting point of the correction form; refused for a cancelled receipt."""
    with db.session() as session:
        receipt = session.get(TaxReceipt, receipt_id)
        if receipt is None:
            raise ValidationError({"reason": "Ce reçu n'existe plus."})
        if receipt.cancelled:
            raise ValidationError({"reason": f"Le reçu {receipt.number} est déjà annulé."})
        kind = ReceiptKind(receipt.kind)
        donor = session.get(Donor, receipt.donor_id)
        draft = ReplacementDraft(receipt_id, receipt.number, kind, receipt.donor_id,
                                 donor_data(donor), donor_version=donor.version)
        if kind == ReceiptKind.SINGLE:
            gift = session.scalar(select(Donation).join(
                ReceiptLine, ReceiptLine.donation_id == Donation.id).where(
                ReceiptLine.receipt_id == receipt_id))
            if gift is not None:
                draft.gift_id = gift.id
                draft.gift_version = gift.version
                draft.gift = DonationData(
                    coop_id=gift.coop_id, amount=gift.amount_cents, received_on=gift.received_on,
                    method=gift.method, cheque_number=gift.cheque_number, form=gift.form,
                    nature=gift.nature, source=gift.source, project=gift.project,
                    notes=gift.notes, donor_id=gift.donor_id)
        return draft


def _checked(draft: ReplacementDraft, donor: DonorData, gift: DonationData | None,
             today: date | None) -> tuple[DonorData, DonationData | None]:
    """The corrected donor and gift, checked as at entry (errors at their fields)."""
    if gift is None or draft.gift is None:
        c = Checker()
        clean_donor = check_donor(donor, c)
        c.raise_if_any()
        return clean_donor, None
    corrected = replace(draft.gift, donor=donor,
                        **{name: getattr(gift, name) for name in GIFT_FIELDS})
    clean, errors, _warnings = check_donation(corrected, today=today)
    if errors:
        raise ValidationError(errors)
    return clean.donor, clean


def cancel_and_replace(db: Database, receipt_id: int, reason: str, donor: DonorData,
                       gift: DonationData | None = None, *, today: date | None = None,
                       opened: ReplacementDraft | None = None) -> int:
    """Correct the donor (and the gift of a single receipt), cancel the receipt (kept, with
    its reason) and issue its replacement with the corrected details, in one transaction.
    Returns the replacement's id. Nothing is saved when a check fails; nor, given the draft
    the form `opened`, when the donor or the gift changed since (StaleRecord)."""
    draft = replacement_draft(db, receipt_id)
    clean_donor, clean_gift = _checked(draft, donor, gift, today)

    def correct(session) -> None:
        if opened is not None:
            versions.claim(session, Donor, draft.donor_id, opened.donor_version)
            if clean_gift is not None:
                versions.claim(session, Donation, draft.gift_id, opened.gift_version)
        row = session.get(Donor, draft.donor_id)
        if row is None:
            raise ValidationError({"last_name": "Ce donateur n'existe plus."})
        apply_details(row, clean_donor)
        if clean_gift is not None:
            g = session.get(Donation, draft.gift_id)
            g.amount_cents = clean_gift.amount
            g.received_on = clean_gift.received_on
            g.method = clean_gift.method
            g.cheque_number = clean_gift.cheque_number
        session.flush()

    return cancel_receipt(db, receipt_id, reason, replace=True, correct=correct, today=today)
