"""The demo's last closed school year reads like the OCCE 92 activity report (lending, gifts),
whatever the day the demo is built on."""

from collections import defaultdict
from datetime import date

import pytest

from occe_bureau import clock, gifts, lending
from occe_bureau.demo import build_demo
from occe_bureau.formats import school_year_bounds, school_year_of
from tests.conftest import build_template, copy_database

REPORT_LINES = {
    "Matériel de prise de vue et de son": "Matériel de prise de vue et de son (133 jours – 8 coops)",
    "Jeux coopératifs": "Jeux coopératifs (53 jours – 4 coops)",
    "Lotos": "Lotos (84 jours – 6 coops)",
    "Théâtre, cinéma, poésie": "Théâtre, cinéma, poésie (222 jours – 2 coops)",
    "Land art": "Land art (182 jours – 1 coop)",
}


def another_day(today: date) -> date:
    """A day of the same school year far from today (early September, or mid-March)."""
    year = school_year_of(today)
    return date(year + 1, 3, 15) if today.month in (9, 10, 11) else date(year, 9, 3)


@pytest.fixture(scope="module", params=["today", "another day"])
def demo_template(request, tmp_path_factory):
    day = clock.today() if request.param == "today" else another_day(clock.today())
    folder = tmp_path_factory.mktemp("report_year")
    return day, build_template(folder, lambda db: build_demo(db, today=day))


@pytest.fixture
def demo(demo_template, tmp_path):
    day, template = demo_template
    database = copy_database(template, tmp_path)
    yield day, database
    database.dispose()


def test_lending_report_lines(demo):
    day, db = demo
    report = lending.usage_for_school_year(db, school_year_of(day) - 1, today=day)
    lines = {f.label: lending.report_line(f) for f in report.by_category}
    for category, line in REPORT_LINES.items():
        assert lines[category] == line
    lotos = [i for i in lending.list_items(db, today=day) if i.category == "Lotos"]
    assert len(lotos) == 2


def test_gifts_of_the_report_year(demo):
    day, db = demo
    start, end = school_year_bounds(school_year_of(day) - 1)
    rows = gifts.list_donations(db, gifts.DonationFilter(start=start, end=end))
    by_source = defaultdict(lambda: [0, 0])
    for row in rows:
        assert not row.withdrawn and row.receipt_id is not None
        by_source[row.source][0] += 1
        by_source[row.source][1] += row.amount_cents
    assert dict(by_source) == {gifts.GiftSource.COOP: [508, 150_859_00],
                               gifts.GiftSource.PLATEFORME: [166, 14_721_00]}
