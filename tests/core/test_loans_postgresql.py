"""The lending desk on a PostgreSQL server: schema, rules, figures, demo data."""

from datetime import date, timedelta

import pytest

from occe_bureau import lending
from occe_bureau.demo import build_demo
from occe_bureau.migrate import prepare_database
from occe_bureau.coops import register as coop_svc
from occe_bureau.lending import conflicts as loan_conflicts
from occe_bureau.validation import ValidationError
from tests.pdf import pdf_text

TODAY = date(2025, 3, 10)


def test_loans_rules_and_figures_on_postgresql(pg_db, tmp_path):
    prepare_database(pg_db, tmp_path / "backups")
    # the seeded categories left the id sequence in step
    expo = lending.add_category(pg_db, "Expositions")
    assert expo > 6
    a = coop_svc.create_coop(pg_db, coop_svc.CoopData(number="92-0100", name="École Jean Jaurès",
                                                      kind="elementaire"))
    b = coop_svc.create_coop(pg_db, coop_svc.CoopData(number="92-0200", name="École Les Tilleuls",
                                                      kind="maternelle"))
    cam = lending.create_item(pg_db, lending.ItemData(code="CAM-01", name="Caméra", category_id=expo,
                                                          accessories="trépied, batterie"))
    first = lending.create_loan(pg_db, lending.LoanData(coop_id=a, borrower="Mme Zoé Łukasiewicz",
                                                start_date=date(2025, 3, 3), due_date=date(2025, 3, 7),
                                                item_ids=[cam]), today=TODAY)
    conflicts = loan_conflicts.find_conflicts(pg_db, [cam], date(2025, 3, 5), date(2025, 3, 12))
    assert [c.coop_number for c in conflicts] == ["92-0100"]
    # back-to-back
    assert loan_conflicts.find_conflicts(pg_db, [cam], date(2025, 3, 7), date(2025, 3, 12)) == []
    with pytest.raises(ValidationError, match="92-0100"):
        lending.create_loan(pg_db, lending.LoanData(coop_id=b, borrower="M. B", start_date=TODAY,
                                            due_date=TODAY + timedelta(days=2), item_ids=[cam]),
                        today=TODAY)
    second = lending.transfer_loan(pg_db, first, lending.TransferData(coop_id=b, borrower="M. B", on=date(2025, 3, 7),
                                                         due_date=date(2025, 3, 9)), today=TODAY)
    lending.return_items(pg_db, second, [lending.ReturnData(cam, date(2025, 3, 9))], today=TODAY)
    report = lending.usage_for_school_year(pg_db, 2024, today=TODAY)
    figure = next(f for f in report.by_category if f.label == "Expositions")
    assert lending.report_line(figure) == "Expositions (8 jours – 2 coops)"
    assert [c.days for c in report.by_coop] == [5, 3]
    assert "Łukasiewicz" in pdf_text(lending.loan_slip_pdf(pg_db, first))
    assert lending.list_items(pg_db, today=TODAY)[0].situation == lending.SIT_FREE
    assert len(lending.list_loans(pg_db, lending.LoanFilter(view=lending.VIEW_ALL))) == 2


def test_demo_lending_desk_on_postgresql(pg_db, tmp_path):
    prepare_database(pg_db, tmp_path / "backups")
    today = date(2026, 3, 16)
    build_demo(pg_db, scale=1, today=today)
    overdue = lending.overdue_loans(pg_db, today=today)
    assert overdue
    # the ids the database gave the demo loans left its sequence in step: a new loan works
    coop = next(cid for cid, _label in coop_svc.coop_choices(pg_db))
    free = next(r.id for r in lending.list_items(pg_db, today=today) if r.situation == lending.SIT_FREE)
    loan = lending.create_loan(pg_db, lending.LoanData(coop_id=coop, borrower="Mme A", start_date=today,
                                               due_date=today, item_ids=[free]), today=today)
    assert lending.get_loan(pg_db, loan).slip_number > 60  # after the demo's ~100 slips
    assert lending.usage_for_school_year(pg_db, 2025, today=today).total.days > 200
