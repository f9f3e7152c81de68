"""The gifts and receipts of a year, a page at a time: the database sorts, searches and counts
them, and the pages put together are the whole list, in the order asked for (issue 8: the
Dons tab loaded a whole year to sort and search it in memory)."""

import pytest

from occe_bureau import clock, gifts
from occe_bureau.demo import build_demo
from occe_bureau.formats import fold
from tests.conftest import build_template, copy_database, dispose_copy


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("demo"), lambda db: build_demo(db, today=clock.today()))


@pytest.fixture
def demo(demo_template, tmp_path):
    database = copy_database(demo_template, tmp_path)
    yield database
    dispose_copy(database)


def year_filter(db, **more):
    year = gifts.current_financial_year(db) - 1
    start, end = gifts.financial_year_bounds(year, gifts.financial_year_start(db))
    return year, gifts.DonationFilter(start=start, end=end, **more)


def all_pages(fetch, size):
    rows, offset = [], 0
    while True:
        page = fetch(offset, size)
        rows += page.rows
        offset += size
        if offset >= page.total:
            return rows, page.total


SORTS = {
    gifts.DonationOrder.RECEIVED: lambda r: r.received_on,
    gifts.DonationOrder.AMOUNT: lambda r: r.amount_cents,
    gifts.DonationOrder.COOP: lambda r: r.coop_number,
}


@pytest.mark.parametrize("order", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_of_gifts_make_the_whole_year_in_order(demo, order, descending):
    _year, flt = year_filter(demo)
    whole = gifts.list_donations(demo, flt)
    rows, total = all_pages(lambda offset, size: gifts.page_of_donations(
        demo, flt, order, descending, offset, size), 250)
    assert total == len(whole) > 500
    assert sorted(r.id for r in rows) == sorted(r.id for r in whole)  # each once, none lost
    keys = [SORTS[order](r) for r in rows]
    assert keys == sorted(keys, reverse=descending)


def test_gifts_sorted_by_donor_follow_the_folded_name(demo):
    _year, flt = year_filter(demo)
    page = gifts.page_of_donations(demo, flt, gifts.DonationOrder.DONOR, False, 0, 300)
    names = [fold(r.donor_name) for r in page.rows]
    assert names == sorted(names)


def test_the_database_search_finds_what_the_words_find(demo):
    _year, flt = year_filter(demo)
    whole = gifts.list_donations(demo, flt)
    some = whole[len(whole) // 2]
    for text in (some.donor_name, some.coop_number, f"{some.donor_name.split()[0]} {some.coop_name}"):
        expected = {r.id for r in gifts.search_rows(whole, text)}
        page = gifts.page_of_donations(demo, year_filter(demo, search=text)[1], limit=None)
        assert some.id in {r.id for r in page.rows}
        # The database also searches the coop's commune and mandataire: never fewer rows.
        assert expected <= {r.id for r in page.rows} and page.total == len(page.rows)
    # The words are literal: a % or _ typed matches only itself.
    assert gifts.page_of_donations(demo, year_filter(demo, search="%")[1]).total == 0
    assert gifts.page_of_donations(demo, year_filter(demo, search="_")[1]).total == 0


def test_pages_of_receipts_make_the_whole_year_and_search_by_number(demo):
    year, _flt = year_filter(demo)
    flt = gifts.ReceiptFilter(year=year)
    whole = gifts.list_receipts(demo, flt)
    rows, total = all_pages(lambda offset, size: gifts.page_of_receipts(
        demo, flt, gifts.ReceiptOrder.AMOUNT, True, offset, size), 200)
    assert total == len(whole) > 300
    assert sorted(r.id for r in rows) == sorted(r.id for r in whole)
    assert [r.amount_cents for r in rows] == sorted((r.amount_cents for r in rows), reverse=True)
    first = gifts.page_of_receipts(demo, flt)
    assert [r.id for r in first.rows] == [r.id for r in whole[:len(first.rows)]]  # number, newest first
    number = whole[7].number
    found = gifts.page_of_receipts(demo, gifts.ReceiptFilter(year=year, search=number))
    assert number in [r.number for r in found.rows]
