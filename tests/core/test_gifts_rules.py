"""The gifts' rules in the core: what a gift and a receipt allow, when the association may
issue receipts, a request planned then applied, the first print recorded once."""

from datetime import date

import pytest
from sqlalchemy import func, select

from occe_bureau import gifts
from occe_bureau.association import AssociationData, get_association, missing_for_receipts
from occe_bureau.gifts import DonorMatch, GiftAction, ReceiptAction
from occe_bureau.gifts.models import Donation, Donor, TaxReceipt
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association


@pytest.fixture
def coop(db):
    setup_association(db)
    return make_coop(db)


def counts(db) -> tuple[int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Donor)),
                s.scalar(select(func.count()).select_from(Donation)))


def only_gift(db, **flt) -> gifts.DonationRow:
    (row,) = gifts.list_donations(db, gifts.DonationFilter(include_withdrawn=True, **flt))
    return row


def only_receipt(db) -> gifts.ReceiptRow:
    (row,) = gifts.list_receipts(db, gifts.ReceiptFilter())
    return row


# ---- what a gift and a receipt allow --------------------------------------------------------

def test_a_pending_gift_allows_its_receipt_and_withdrawal(db, coop):
    gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    assert gifts.gift_actions(only_gift(db)) == {GiftAction.ISSUE_RECEIPT, GiftAction.WITHDRAW,
                                                 GiftAction.EDIT_DONOR}


def test_a_receipted_gift_allows_only_a_donor_correction(db, coop):
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    gifts.issue_receipt(db, gid, today=TODAY)
    row = only_gift(db)
    assert row.state == gifts.GiftState.RECEIPTED
    assert gifts.gift_actions(row) == {GiftAction.EDIT_DONOR}
    with pytest.raises(ValidationError):  # the rule behind it says the same
        gifts.withdraw_donation(db, gid, "Erreur")


def test_a_withdrawn_gift_allows_only_a_donor_correction(db, coop):
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    gifts.withdraw_donation(db, gid, "Saisi deux fois")
    row = only_gift(db)
    assert row.state == gifts.GiftState.WITHDRAWN and row.status_label == "Retiré"
    assert gifts.gift_actions(row) == {GiftAction.EDIT_DONOR}
    with pytest.raises(ValidationError):
        gifts.issue_receipt(db, gid, today=TODAY)


def test_a_receipt_prints_an_original_then_duplicates_and_can_be_cancelled(db, coop):
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    assert gifts.receipt_actions(only_receipt(db)) == {
        ReceiptAction.PRINT_ORIGINAL, ReceiptAction.CANCEL, ReceiptAction.CANCEL_AND_REPLACE}
    gifts.mark_printed(db, [rid])
    assert gifts.receipt_actions(only_receipt(db)) == {
        ReceiptAction.PRINT_DUPLICATE, ReceiptAction.CANCEL, ReceiptAction.CANCEL_AND_REPLACE}


def test_a_cancelled_receipt_only_prints(db, coop):
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    gifts.cancel_receipt(db, rid, "Chèque rejeté", today=TODAY)
    assert gifts.receipt_actions(only_receipt(db)) == {ReceiptAction.PRINT_ORIGINAL}
    assert gifts.gift_actions(only_gift(db)) >= {GiftAction.ISSUE_RECEIPT}  # pending again


# ---- the first print, recorded once ---------------------------------------------------------

def test_mark_printed_records_the_first_print_only(db, coop):
    from occe_bureau import clock

    ids = gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Anne"))],
                              today=TODAY)
    first, second = (gifts.issue_receipt(db, i, today=TODAY) for i in ids)
    assert not gifts.receipt_doc(db, first).duplicate
    with clock.fixed(date(2026, 3, 12)):
        gifts.mark_printed(db, [first])
    with clock.fixed(date(2026, 3, 20)):
        gifts.mark_printed(db, [first, second])
    with db.session() as s:
        printed = dict(s.execute(select(TaxReceipt.id, TaxReceipt.printed_at)).all())
    assert printed[first].date() == date(2026, 3, 12)  # not moved by the reprint
    assert printed[second].date() == date(2026, 3, 20)
    assert gifts.receipt_doc(db, first).duplicate and gifts.receipt_doc(db, second).duplicate


def test_a_batch_records_its_receipts_printed(db, coop):
    gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Anne"))],
                        today=TODAY)
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY).run()
    assert len(result.receipt_ids) == 2
    assert all(gifts.receipt_doc(db, rid).duplicate for rid in result.receipt_ids)


def test_a_batch_shown_in_one_pdf_can_wait_for_its_print_to_be_confirmed(db, coop, tmp_path):
    gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Anne"))],
                        today=TODAY)
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY, printed=False).run()
    assert not any(gifts.receipt_doc(db, rid).duplicate for rid in result.receipt_ids)
    gifts.mark_printed(db, result.receipt_ids)
    assert all(gifts.receipt_doc(db, rid).duplicate for rid in result.receipt_ids)
    # files written, one per donor, are the originals: recorded with the issue
    gifts.enter_request(db, coop, [gift("30", donor=person("Petit", "Léa"))], today=TODAY)
    files = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY, output=gifts.PER_DONOR,
                               folder=tmp_path, printed=False).run()
    assert all(gifts.receipt_doc(db, rid).duplicate for rid in files.receipt_ids)


# ---- when the association may issue receipts ------------------------------------------------

COMPLETE = dict(name="OCCE 92", address="15 rue des Écoles", postal_code="92000", city="Nanterre",
                siren_rna="W922000092", object="Coopération à l'école",
                signatory_name="Marie-Claude Lefèvre")


def test_a_complete_association_misses_nothing():
    assert missing_for_receipts(AssociationData(**COMPLETE)) == []


@pytest.mark.parametrize("field, label", [
    ("name", "nom"), ("address", "adresse"), ("city", "commune"), ("siren_rna", "SIREN ou RNA"),
    ("object", "objet"), ("signatory_name", "signataire"),
])
def test_each_field_a_receipt_prints_is_required(field, label):
    assert missing_for_receipts(AssociationData(**{**COMPLETE, field: "  "})) == [label]


def test_issuing_is_refused_without_the_address_and_says_so(db):
    setup_association(db)
    with db.transaction() as s:  # saved by an older version, which did not require it
        from occe_bureau.association.models import Association

        s.get(Association, 1).address = ""
    coop = make_coop(db)
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    assert missing_for_receipts(get_association(db)) == ["adresse"]
    with pytest.raises(ValidationError) as refused:
        gifts.issue_receipt(db, gid, today=TODAY)
    assert "adresse" in refused.value.errors["association"]
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []


def test_issuing_lists_every_missing_field(db):
    setup_association(db, siren_rna="", object="")
    coop = make_coop(db)
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    with pytest.raises(ValidationError) as refused:
        gifts.issue_receipt(db, gid, today=TODAY)
    assert "SIREN ou RNA et objet" in refused.value.errors["association"]


# ---- a request planned, then applied ---------------------------------------------------------

def test_a_plan_writes_nothing(db, coop):
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Lefèvre", "Hélène")), today=TODAY)
    before = counts(db)
    plan = gifts.plan_request(db, coop, [
        gift("80", donor=person("Nowak", "Łukasz")),
        gift("20", donor=person("Lefèbvre", "Hélène")),       # a typo of a known donor
        gift("15", donor=person("LEFEVRE", "helene")),         # the known donor again
        gift("5", project="Sortie au zoo", donor=person("Roux", "Inès")),
    ], today=TODAY)
    assert counts(db) == before
    assert [g.match for g in plan.lines] == [DonorMatch.NEW, DonorMatch.SIMILAR, DonorMatch.KNOWN,
                                             DonorMatch.NEW]
    assert [g.line for g in plan.questions] == [2] and plan.warnings[0].startswith("Ligne 4 : ")
    assert not plan.ready and plan.total_cents == 12000


def test_apply_writes_all_or_nothing(db, coop):
    lines = [gift("80", donor=person("Nowak", "Łukasz")), gift("20", donor=None, donor_id=9999)]
    plan = gifts.plan_request(db, coop, lines, today=TODAY)
    assert plan.ready  # a donor chosen on screen, gone by the time it is saved:
    with pytest.raises(ValidationError, match="n'existe plus"):
        gifts.apply_request(db, plan)
    assert counts(db) == (0, 0)  # the first line's donor and gift rolled back too
    plan.lines[1].take(gifts.DonorCandidate("Nowak Łukasz", "", "", line=1))
    assert len(gifts.apply_request(db, plan)) == 2 and counts(db) == (1, 2)


def test_apply_refuses_a_plan_with_open_questions_or_errors(db, coop):
    plan = gifts.plan_request(db, coop, [gift("0")], today=TODAY)
    with pytest.raises(ValidationError) as err:
        gifts.apply_request(db, plan)
    assert "1.amount" in err.value.errors
    plan = gifts.plan_request(db, coop, [gift("5", project="Photos de classe")], today=TODAY)
    with pytest.raises(ValidationError, match="photos"):
        gifts.apply_request(db, plan)
    assert counts(db) == (0, 0)


def test_the_same_new_donor_on_two_lines_is_one_donor(db, coop):
    plan = gifts.plan_request(db, coop, [gift("30"), gift("20")], today=TODAY)
    assert [g.match for g in plan.lines] == [DonorMatch.NEW, DonorMatch.SAME_LINE]
    assert plan.ready
    gifts.apply_request(db, plan)
    assert counts(db) == (1, 2)


def test_a_namesake_on_an_earlier_line_is_asked_about_and_answered(db, coop):
    lines = [gift("10", donor=person("Dupont", "Marie", address="1 rue A")),
             gift("10", donor=person("Dupont", "Marie", address="200 bd B"))]
    plan = gifts.plan_request(db, coop, lines, today=TODAY)
    (asked,) = plan.questions
    assert asked.line == 2 and asked.match == DonorMatch.NAMESAKE
    assert (asked.candidates[0].line, asked.candidates[0].address) == (1, "1 rue A")
    asked.take(asked.candidates[0], moved=True)  # the same person, who moved
    gifts.apply_request(db, plan)
    assert [d.address for d in gifts.search_donors(db, "dupont marie")] == ["200 bd B"]
    assert counts(db) == (1, 2)


def test_a_typo_answered_as_a_new_donor_creates_one(db, coop):
    gifts.create_donation(db, gift(coop_id=coop, donor=person("Lefèvre", "Hélène")), today=TODAY)
    plan = gifts.plan_request(db, coop, [gift(donor=person("Lefèbvre", "Hélène"))], today=TODAY)
    plan.questions[0].take_new()
    gifts.apply_request(db, plan)
    assert counts(db) == (2, 2)


def test_a_plan_without_a_coop_says_so(db):
    plan = gifts.plan_request(db, None, [gift()], today=TODAY)
    assert "Coopérative" in plan.errors["coop"] and not plan.lines[0].errors


def test_pending_gift_count_leaves_receipted_and_withdrawn_gifts_out(db, coop):
    ids = gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Anne")),
                                         gift("30", donor=person("Roux", "Inès"))], today=TODAY)
    gifts.issue_receipt(db, ids[0], today=TODAY)
    gifts.withdraw_donation(db, ids[1], "Saisi deux fois")
    assert gifts.pending_gift_count(db, coop) == 1
    assert gifts.pending_gift_count(db, make_coop(db, "92-0002", "École B")) == 0
