"""Issue 8, "Confusing lines": a coop's own days-out line counts its loans, not "1 coop"."""

from occe_bureau import lending
from tests.core.loans_helpers import TODAY, d, lend, make_coop, make_item


def test_a_coops_line_gives_its_loans_not_one_coop(db):
    coop = make_coop(db)
    cam = make_item(db)
    lend(db, coop, [cam], d(1), d(3))
    report = lending.usage(db, d(1), d(20), today=TODAY)
    (figure,) = report.by_coop
    assert figure.coops is None
    assert lending.report_line(figure).endswith(" jours – 1 prêt)")
    assert lending.report_line(report.total).endswith(" jours – 1 coop)")
