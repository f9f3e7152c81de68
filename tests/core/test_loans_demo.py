"""The demo lending desk is believable and obeys the rules it demonstrates."""

from datetime import date

from occe_bureau.demo import build_demo
from occe_bureau.formats import school_year_of
from occe_bureau.lending import inventory
from occe_bureau.lending import vocabulary as loan_base
from occe_bureau.lending import queries as loan_queries
from occe_bureau.lending import days_out as stats

TODAY = date(2026, 3, 16)


def test_demo_inventory_and_loans(db):
    build_demo(db, scale=1, today=TODAY)
    items = inventory.list_items(db, today=TODAY)
    assert 45 <= len(items) <= 70
    assert {"CAM-01", "JCP-01", "LOT-01", "DRE-01", "PRE-01"} <= {i.code for i in items}
    states = {i.state for i in items}
    assert {loan_base.AVAILABLE, loan_base.MAINTENANCE, loan_base.LOST, loan_base.RETIRED} <= states
    with db.engine.connect() as conn:
        loans = conn.exec_driver_sql("SELECT COUNT(*) FROM loan").scalar()
        overlaps = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM loan_line a JOIN loan_line b ON a.item_id = b.item_id "
            "AND a.id < b.id AND a.status != 'cancelled' AND b.status != 'cancelled' "
            "AND a.start_date < b.end_date AND b.start_date < a.end_date").scalar()
        back_to_back = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM loan_line a JOIN loan_line b ON a.item_id = b.item_id "
            "AND a.id != b.id AND a.end_date = b.start_date").scalar()
        handed_over = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM loan_line WHERE transferred_to_loan_id IS NOT NULL").scalar()
    assert 2500 <= loans <= 3600 and handed_over > 50
    assert overlaps == 0 and back_to_back > 50
    assert loan_queries.overdue_loans(db, today=TODAY)
    assert loan_queries.list_loans(db, loan_queries.LoanFilter(view=loan_queries.VIEW_BOOKED), today=TODAY)
    report = stats.usage_for_school_year(db, school_year_of(TODAY) - 1, today=TODAY)
    assert all(f.days > 0 and f.coops > 0 for f in report.by_category)
