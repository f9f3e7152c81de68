"""Cancel, then correct: the replacement of a wrong receipt takes the donor and the gift as
corrected, in the transaction that cancels the wrong one; a bad correction changes nothing."""

from dataclasses import replace
from datetime import date

import pytest

from occe_bureau import gifts
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association
from tests.pdf import pdf_text


@pytest.fixture
def coop(db):
    setup_association(db)
    return make_coop(db)


@pytest.fixture
def issued(db, coop):
    gid = gifts.create_donation(db, gift(amount="50", coop_id=coop, cheque_number="1111111",
                                         donor=person("Martin", "Clare")), today=TODAY)
    return gid, gifts.issue_receipt(db, gid, today=TODAY)


def receipts_by_id(db):
    return {r.id: r for r in gifts.list_receipts(db, gifts.ReceiptFilter())}


def test_the_draft_is_the_donor_and_gift_as_they_are(db, issued):
    gid, rid = issued
    draft = gifts.replacement_draft(db, rid)
    assert draft.donor.first_names == "Clare" and draft.gift_id == gid
    assert draft.gift.amount == 5000 and draft.gift.cheque_number == "1111111"


def test_the_replacement_prints_the_corrected_first_name_and_amount(db, issued):
    gid, rid = issued
    draft = gifts.replacement_draft(db, rid)
    donor = replace(draft.donor, first_names="Claire")
    fixed = gifts.DonationData(amount="55", received_on=date(2025, 3, 6), method="cheque",
                               cheque_number="1111112")
    new = gifts.cancel_and_replace(db, rid, "Erreur sur le prénom", donor, fixed, today=TODAY)
    receipts = receipts_by_id(db)
    assert receipts[rid].cancelled and receipts[rid].cancel_reason == "Erreur sur le prénom"
    assert receipts[new].replaces_id == rid and receipts[new].amount_cents == 5500
    assert receipts[new].gift_date == date(2025, 3, 6)
    text = pdf_text(gifts.render_receipt(db, new)[0])
    assert "Prénoms : Claire" in text and "cinquante-cinq euros" in text
    assert f"annule et remplace le reçu n° {receipts[rid].number}" in text
    old = pdf_text(gifts.render_receipt(db, rid)[0])  # the cancelled one keeps what it printed
    assert "Prénoms : Clare" in old and "cinquante euros" in old
    assert gifts.get_donor(db, draft.donor_id).first_names == "Claire"
    (row,) = gifts.list_donations(db, gifts.DonationFilter())
    assert row.id == gid and row.receipt_id == new and row.amount_cents == 5500


def test_a_bad_correction_saves_nothing_and_cancels_nothing(db, issued):
    gid, rid = issued
    draft = gifts.replacement_draft(db, rid)
    bad_donor = replace(draft.donor, first_names="Claire", city="")
    bad_gift = gifts.DonationData(amount="-3", received_on=date(2025, 3, 5), method="cheque")
    with pytest.raises(ValidationError) as err:
        gifts.cancel_and_replace(db, rid, "Erreur sur le prénom", bad_donor, bad_gift, today=TODAY)
    assert "city" in err.value.errors and "amount" in err.value.errors
    with pytest.raises(ValidationError) as err:
        gifts.cancel_and_replace(db, rid, "", draft.donor, None, today=TODAY)
    assert "reason" in err.value.errors
    (receipt,) = receipts_by_id(db).values()
    assert not receipt.cancelled
    assert gifts.get_donor(db, draft.donor_id).first_names == "Clare"
    assert gifts.list_donations(db, gifts.DonationFilter())[0].amount_cents == 5000


def test_a_cancelled_receipt_has_no_draft(db, issued):
    _gid, rid = issued
    gifts.cancel_receipt(db, rid, "Chèque rejeté", today=TODAY)
    with pytest.raises(ValidationError):
        gifts.replacement_draft(db, rid)
