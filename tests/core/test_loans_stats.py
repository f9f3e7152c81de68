"""Days out: both ends included, open loans up to today, clipped to the period."""

import io
from datetime import date

from openpyxl import load_workbook

from occe_bureau import lending
from occe_bureau.tabular import safe_cell
from tests.core.loans_helpers import lend, make_coop, make_item


def test_days_out_definition(db):
    """The examples of docs/prets.md, through `usage` (the only code that counts days out)."""
    sept1, aug31 = date(2024, 9, 1), date(2025, 8, 31)
    today = date(2025, 3, 10)
    coop = make_coop(db)
    cases = {}  # item code -> (left, came back or None, "lost" or "returned")
    cases["WEEK"] = (date(2025, 3, 3), date(2025, 3, 7), "returned")  # Monday to Friday: 5
    cases["DAY"] = (date(2025, 3, 3), date(2025, 3, 3), "returned")  # same day: 1
    cases["OPEN"] = (date(2025, 3, 1), None, "")  # still out: up to today, 10
    cases["LOST"] = (date(2025, 3, 1), date(2025, 3, 9), "lost")  # declared lost the 9th: 9
    cases["EDGE"] = (date(2024, 8, 20), date(2024, 9, 10), "returned")  # 12 + 10
    cases["AUG"] = (date(2024, 8, 1), date(2024, 8, 31), "returned")  # only the year before
    for code, (left, back, how) in cases.items():
        item = make_item(db, code, f"Matériel {code}")
        loan = lend(db, coop, [item], left, back or today, today=left)
        if how == "returned":
            lending.return_items(db, loan, [lending.ReturnData(item, back)], today=back)
        elif how == "lost":
            lending.mark_lost(db, loan, item, back, today=back)

    def days(start, end) -> dict[str, int]:
        report = lending.usage(db, start, end, today)
        return {f.label.split(" – ")[0]: f.days for f in report.by_item}

    assert days(sept1, aug31) == {"AUG": 0, "DAY": 1, "EDGE": 10, "LOST": 9, "OPEN": 10, "WEEK": 5}
    assert days(date(2023, 9, 1), date(2024, 8, 31))["EDGE"] == 12
    assert days(date(2023, 9, 1), date(2024, 8, 31))["AUG"] == 31


def test_usage_per_category_item_and_coop_gives_the_report_line(db):
    a = make_coop(db)
    b = make_coop(db, "92-0200", "École maternelle Les Tilleuls")
    c = make_coop(db, "92-0300", "IME Les Acacias")
    cam = make_item(db)
    mic = make_item(db, "SON-01", "Kit son (enregistreur)")
    loto = make_item(db, "LOTO-01", "Loto des odeurs", "Lotos")
    today = date(2025, 3, 10)
    # Last school year: only from 1 Sept on counts (10 days out of 12).
    l1 = lend(db, a, [cam], date(2024, 8, 20), date(2024, 9, 10), today=date(2024, 8, 20))
    lending.return_items(db, l1, [lending.ReturnData(cam, date(2024, 9, 10))], today=today)
    # Two items on one loan, 5 days each.
    l2 = lend(db, b, [cam, mic], date(2025, 1, 6), date(2025, 1, 10), today=today)
    lending.return_items(db, l2, [lending.ReturnData(cam, date(2025, 1, 10)),
                              lending.ReturnData(mic, date(2025, 1, 10))], today=today)
    # Still out, due later: counts up to today (1 March – 10 March = 10 days).
    lend(db, c, [mic], date(2025, 3, 1), date(2025, 3, 20), today=today)
    # A booking counts nothing.
    lending.create_booking(db, lending.LoanData(coop_id=a, borrower="X", start_date=date(2025, 4, 1),
                                        due_date=date(2025, 4, 10), item_ids=[loto]), today=today)
    report = lending.usage_for_school_year(db, 2024, today=today)
    cat = {f.label: f for f in report.by_category}
    video = cat["Matériel de prise de vue et de son"]
    assert (video.days, video.loans, video.coops) == (10 + 5 + 5 + 10, 3, 3)
    assert lending.report_line(video) == "Matériel de prise de vue et de son (30 jours – 3 coops)"
    assert (cat["Lotos"].days, cat["Lotos"].coops) == (0, 0)
    items = {f.label: f for f in report.by_item}
    assert items["CAM-01 – Caméra HD"].days == 15 and items["CAM-01 – Caméra HD"].loans == 2
    coops = {f.label: f.days for f in report.by_coop}
    assert coops == {"92-0100 – École élémentaire Jean Jaurès": 10,
                     "92-0200 – École maternelle Les Tilleuls": 10, "92-0300 – IME Les Acacias": 10}
    assert report.total.days == 30 and report.period_label == "année scolaire 2024-2025"
    # Any period: the previous school year sees the first 12 days only.
    before = lending.usage_for_school_year(db, 2023, today=today)
    assert before.total.days == 12 and before.total.coops == 1
    march = lending.usage(db, date(2025, 3, 5), date(2025, 3, 31), today=today)
    assert march.total.days == 6 and march.period_label == "du 05/03/2025 au 31/03/2025"
    singular = lending.Figure(None, "Deux lotos", days=1, coops=1)
    assert lending.report_line(singular) == "Deux lotos (1 jour – 1 coop)"


def test_export_xlsx_has_three_sheets_and_neutralises_formulas(db):
    a = make_coop(db)
    lending.add_category(db, "Expositions")
    item = make_item(db, "EXP-01", "=Exposition (SUM)", "Expositions")
    lend(db, a, [item], date(2025, 3, 1), date(2025, 3, 5), today=date(2025, 3, 10))
    report = lending.usage_for_school_year(db, 2024, today=date(2025, 3, 10))
    wb = load_workbook(io.BytesIO(lending.export_xlsx(report)))
    assert wb.sheetnames == ["Par catégorie", "Par matériel", "Par coopérative"]
    rows = list(wb["Par catégorie"].iter_rows(values_only=True))
    assert rows[0][0] == "Prêts de matériel – année scolaire 2024-2025"
    expo = next(r for r in rows if r[0] == "Expositions")
    # still out on 10 March: it counts up to today, not to its due date
    assert expo[1:4] == (10, 1, 1) and expo[4] == "Expositions (10 jours – 1 coop)"
    items = list(wb["Par matériel"].iter_rows(values_only=True))
    assert any(r[0] == "EXP-01 – =Exposition (SUM)" for r in items)
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("-3") == "'-3"
    assert safe_cell(12) == 12


def test_a_transfer_day_counts_for_both_coops(db):
    a = make_coop(db)
    b = make_coop(db, "92-0200", "École maternelle Les Tilleuls")
    box = make_item(db, "JC-01", "Malle", "Jeux coopératifs")
    today = date(2025, 3, 20)
    first = lend(db, a, [box], date(2025, 3, 10), date(2025, 3, 14), today=today)
    second = lending.transfer_loan(db, first, lending.TransferData(coop_id=b, borrower="Mme B", on=date(2025, 3, 14),
                                                      due_date=date(2025, 3, 20)), today=today)
    lending.return_items(db, second, [lending.ReturnData(box, date(2025, 3, 18))], today=today)
    report = lending.usage(db, date(2024, 9, 1), date(2025, 8, 31), today)
    assert {f.label[:7]: f.days for f in report.by_coop} == {"92-0100": 5, "92-0200": 5}
    assert report.total.days == 10 and report.total.coops == 2
