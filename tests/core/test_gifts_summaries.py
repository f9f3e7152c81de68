"""Yearly summary receipts follow the tax year of the donor: a calendar year for an
individual (income tax), a calendar year or one financial year for a company."""

from datetime import date

import pytest

from occe_bureau import clock, gifts
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import gift, make_coop, person, setup_association

LATER = date(2027, 1, 15)


@pytest.fixture
def coop(db):
    setup_association(db)
    return make_coop(db)


def _donor_with_gifts(db, coop, donor, days):
    gifts.enter_request(db, coop, [gift("25", on=day, donor=donor) for day in days], today=LATER)
    return gifts.list_donations(db, gifts.DonationFilter())[0].donor_id


def test_an_individual_summary_covers_one_calendar_year(db, coop):
    donor_id = _donor_with_gifts(db, coop, person("Bernard", "Luc"),
                                 [date(2025, 12, 10), date(2026, 1, 15), date(2026, 11, 3)])
    with clock.fixed(LATER):
        # one financial year, but 2025 and 2026 gifts on one receipt: refused
        with pytest.raises(ValidationError, match="une seule année civile"):
            gifts.issue_summary(db, donor_id, date(2025, 9, 1), date(2026, 8, 31))
        # the calendar year 2026 (refused before: it crosses two financial years)
        rid = gifts.issue_summary(db, donor_id, date(2026, 1, 1), date(2026, 12, 31))
    doc = gifts.receipt_doc(db, rid)
    assert doc.amount_cents == 5000 and [line.received_on.year for line in doc.lines] == [2026, 2026]
    assert len(gifts.list_donations(db, gifts.DonationFilter(pending_only=True))) == 1


def test_a_company_summary_may_cover_one_financial_year(db, coop):
    company = gifts.DonorData(kind="company", company_name="Boulangerie Martin", siren="123456789",
                              legal_form="SARL", address="1 rue X", postal_code="92000",
                              city="Nanterre")
    donor_id = _donor_with_gifts(db, coop, company, [date(2025, 10, 1), date(2026, 2, 1)])
    with clock.fixed(LATER):
        rid = gifts.issue_summary(db, donor_id, date(2025, 9, 1), date(2026, 8, 31))
        assert gifts.receipt_doc(db, rid).amount_cents == 5000
        with pytest.raises(ValidationError, match="un seul exercice"):  # neither one nor the other
            gifts.check_summary_period(db, date(2025, 3, 1), date(2026, 3, 1), person=False)


def test_a_batch_of_summaries_refuses_mixing_two_years_for_individuals(db, coop):
    _donor_with_gifts(db, coop, person("Bernard", "Luc"), [date(2025, 12, 10), date(2026, 1, 15)])
    with clock.fixed(LATER):
        with pytest.raises(ValidationError, match="une seule année civile"):
            gifts.ReceiptBatch(db, gifts.BatchSelection(start=date(2025, 9, 1), end=date(2026, 8, 31),
                                                        summary=True))
        result = gifts.ReceiptBatch(db, gifts.BatchSelection(
            start=date(2026, 1, 1), end=date(2026, 12, 31), summary=True)).run()
    assert len(result.numbers) == 1 and result.total_cents == 2500


def test_the_calendar_year_is_offered_by_default():
    assert gifts.default_summary_period(date(2026, 3, 12)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert gifts.default_summary_period(date(2027, 1, 15)) == (date(2026, 1, 1), date(2026, 12, 31))
