"""The demo lending desk is believable and obeys the rules it demonstrates."""

from datetime import date

from occe_bureau import lending
from occe_bureau.lending import ItemState
from occe_bureau.demo import build_demo
from occe_bureau.formats import school_year_of

TODAY = date(2026, 3, 16)


def test_demo_inventory_and_loans(db):
    build_demo(db, scale=1, today=TODAY)
    items = lending.list_items(db, today=TODAY)
    assert 45 <= len(items) <= 70
    assert {"CAM-01", "JCP-01", "LOT-01", "DRE-01", "PRE-01"} <= {i.code for i in items}
    states = {i.state for i in items}
    assert {ItemState.AVAILABLE, ItemState.MAINTENANCE, ItemState.LOST, ItemState.RETIRED} <= states
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
    # About LOANS_PER_SCALE (32) loans a school year, over two closed years and the one under way.
    assert 60 <= loans <= 160 and handed_over >= 1
    assert overlaps == 0 and back_to_back >= 1
    assert lending.overdue_loans(db, today=TODAY)
    assert lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_BOOKED), today=TODAY)
    report = lending.usage_for_school_year(db, school_year_of(TODAY) - 1, today=TODAY)
    assert all(f.days > 0 and f.coops > 0 for f in report.by_category)
