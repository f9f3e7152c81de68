"""The rules the widgets ask the core: what a loan allows, where a transfer can go, the
reminder batch, how late a loan is; the enums, the one span writer and the light face."""

import ast
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from occe_bureau import lending
from occe_bureau.lending import ItemState, LineStatus, LoanAction, LoanStatus
from occe_bureau.lending.models import Item, Loan, LoanLine
from occe_bureau.lending.spans import line_end
from tests.core.loans_helpers import TODAY, book, d, lend, make_coop, make_item
from tests.pdf import pdf_pages_text, pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(db):
    a = make_coop(db)
    b = make_coop(db, "92-0200", "École maternelle Les Tilleuls", commune="Antony")
    cam = make_item(db)
    box = make_item(db, "JC-01", "Malle jeux coopératifs physiques", "Jeux coopératifs", days=21)
    son = make_item(db, "SON-01", "Kit son", days=7)
    return db, a, b, cam, box, son


def row_of(db, loan_id, today=TODAY):
    return next(r for r in lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_ALL),
                                              today) if r.id == loan_id)


# ---- what a loan allows ----------------------------------------------------------------------

def test_a_booking_can_leave_be_changed_extended_cancelled_and_printed(desk):
    db, a, b, cam, box, son = desk
    booking = book(db, a, [cam], d(12), d(14))
    expected = {LoanAction.CHECK_OUT, LoanAction.EDIT_BOOKING, LoanAction.CANCEL,
                LoanAction.EXTEND, LoanAction.PRINT_SLIP}
    assert lending.loan_actions(row_of(db, booking), TODAY) == expected
    assert lending.loan_actions(lending.get_loan(db, booking), TODAY) == expected


def test_a_loan_out_is_returned_handed_on_lost_extended_and_reminded_once_late(desk):
    db, a, b, cam, box, son = desk
    loan = lend(db, a, [cam, box], d(3), d(10))
    on_time = {LoanAction.RETURN, LoanAction.TRANSFER, LoanAction.MARK_LOST, LoanAction.EXTEND,
               LoanAction.PRINT_SLIP}
    assert lending.loan_actions(row_of(db, loan), d(10)) == on_time  # due today: not late
    late = lending.loan_actions(row_of(db, loan, d(11)), d(11))
    assert late == on_time | {LoanAction.REMIND}
    assert lending.loan_actions(lending.get_loan(db, loan), d(11)) == late
    # one item back: the return receipt has something to say
    lending.return_items(db, loan, [lending.ReturnData(cam, d(10))], today=TODAY)
    assert LoanAction.PRINT_RECEIPT in lending.loan_actions(row_of(db, loan), TODAY)
    assert LoanAction.PRINT_RECEIPT in lending.loan_actions(lending.get_loan(db, loan), TODAY)


def test_a_closed_loan_prints_its_papers_only_and_a_cancelled_booking_its_slip(desk):
    db, a, b, cam, box, son = desk
    loan = lend(db, a, [cam], d(3), d(5))
    lending.return_items(db, loan, [lending.ReturnData(cam, d(5))], today=TODAY)
    papers = {LoanAction.PRINT_SLIP, LoanAction.PRINT_RECEIPT}
    assert lending.loan_actions(row_of(db, loan), TODAY) == papers
    assert lending.loan_actions(lending.get_loan(db, loan), d(30)) == papers
    booking = book(db, b, [box], d(12), d(14))
    lending.cancel_booking(db, booking)
    assert lending.loan_actions(row_of(db, booking), TODAY) == {LoanAction.PRINT_SLIP}


# ---- where a transfer can go -------------------------------------------------------------------

def test_a_transfer_goes_to_another_coops_booking_holding_every_item_handed_over(desk):
    db, a, b, cam, box, son = desk
    c = make_coop(db, "92-0300", "École Jules Ferry")
    loan = lend(db, a, [cam, box], d(3), d(10))
    box_only = book(db, b, [box], d(11), d(13))
    same_coop = book(db, a, [cam, box], d(14), d(16))
    everything = book(db, c, [cam, box, son], d(17), d(19))
    far = book(db, b, [cam, box], d(10, 4), d(12, 4))  # more than a fortnight ahead
    ids = lambda rows: [r.id for r in rows]  # noqa: E731
    assert ids(lending.transfer_bookings(db, loan, [cam, box], TODAY)) == [everything]
    assert sorted(ids(lending.transfer_bookings(db, loan, [box], TODAY))) == [box_only, everything]
    assert lending.transfer_bookings(db, loan, [], TODAY) == []
    assert same_coop not in ids(lending.transfer_bookings(db, loan, [box], TODAY))
    assert far in ids(lending.transfer_bookings(db, loan, [box], d(1, 4)))  # seen later on


# ---- the reminder batch ----------------------------------------------------------------------

def test_the_reminder_batch_writes_one_letter_per_late_loan_and_records_them(desk):
    db, a, b, cam, box, son = desk
    late_a = lend(db, a, [cam], d(1), d(5))
    late_b = lend(db, b, [box], d(2), d(6))
    on_time = lend(db, b, [son], d(3), d(20))
    batch = lending.ReminderBatch(db, today=TODAY)
    assert sorted(r.id for r in batch.loans) == [late_a, late_b]
    steps = list(batch.steps())
    assert [done for done, _total, _text in steps] == [0, 1, 2]
    assert steps[0][1] == 3 and steps[-1][2] == "Mise en page des lettres…"
    pages = pdf_pages_text(batch.pdf)
    assert len(pages) == 2 and all("Relance" in page for page in pages)
    assert {l: lending.get_loan(db, l).reminders for l in (late_a, late_b, on_time)} == {
        late_a: [TODAY], late_b: [TODAY], on_time: []}


def test_a_reminder_batch_stopped_before_its_end_records_nothing(desk):
    db, a, b, cam, box, son = desk
    loan = lend(db, a, [cam], d(1), d(5))
    batch = lending.ReminderBatch(db, today=TODAY)
    steps = batch.steps()
    next(steps)
    steps.close()
    assert batch.pdf is None and lending.get_loan(db, loan).reminders == []
    assert lending.ReminderBatch(db, today=d(5)).run() is None  # nothing late on the due date
    assert b"%PDF" in lending.ReminderBatch(db, today=TODAY).run()
    assert lending.get_loan(db, loan).reminders == [TODAY]


# ---- how late -----------------------------------------------------------------------------------

def test_days_late_counts_from_the_day_after_the_due_date():
    due = date(2025, 3, 10)
    assert [lending.days_late(due, due + timedelta(days=n)) for n in (-3, 0, 1, 9)] == [0, 0, 1, 9]
    assert not lending.is_late(due, due) and lending.is_late(due, due + timedelta(days=1))


def test_every_view_of_a_late_loan_agrees_on_how_late_it_is(desk):
    db, a, b, cam, box, son = desk
    loan = lend(db, a, [cam], d(1), d(5))
    for today, late in ((d(5), 0), (d(6), 1), (d(10), 5)):
        assert lending.get_loan(db, loan).days_late(today) == late
        assert row_of(db, loan, today).days_late == late
        item = next(r for r in lending.list_items(db, today=today) if r.id == cam)
        assert item.days_late == late
        assert (item.situation == lending.SIT_OVERDUE) == bool(late)
        grid = {r.code: r for r in lending.planning_grid(db, d(1), 14, today=today)}
        assert (grid["CAM-01"].on(d(3)).kind == lending.SIT_OVERDUE) == bool(late)
        assert bool(lending.overdue_loans(db, today)) == bool(late)


# ---- enums, spans and the face ------------------------------------------------------------------

def test_the_enums_carry_the_french_labels_and_build_the_same_constraints():
    assert [s.label for s in ItemState] == ["Disponible", "En maintenance", "Perdu", "Retiré"]
    assert [s.label for s in LoanStatus] == ["Réservation", "En prêt", "Rendu", "Annulé"]
    assert [s.label for s in LineStatus] == ["Réservé", "Sorti", "Rendu", "Perdu", "Annulé"]
    checks = {c.name: str(c.sqltext) for t in (Item, Loan, LoanLine) for c in t.__table__.constraints
              if hasattr(c, "sqltext")}
    assert checks["ck_item_state"] == "state IN ('available', 'maintenance', 'lost', 'retired')"
    assert checks["ck_loan_status"] == "status IN ('booked', 'out', 'closed', 'cancelled')"
    assert checks["ck_loan_line_status"] == ("status IN ('booked', 'out', 'returned', 'lost', "
                                             "'cancelled')")


def test_a_line_ends_on_its_due_date_until_it_comes_back_or_is_lost():
    due, back = date(2025, 3, 14), date(2025, 3, 12)
    assert line_end(LineStatus.BOOKED, due) == due and line_end(LineStatus.OUT, due, back) == due
    assert line_end(LineStatus.RETURNED, due, back) == back == line_end("lost", due, back)
    with pytest.raises(ValueError):
        line_end(LineStatus.RETURNED, due)


def _end_date_writes(tree: ast.AST) -> list[int]:
    """Lines that write an end_date: `x.end_date = …`, `x["end_date"] = …`, LoanLine(end_date=…)
    or a dict's end_date=… that is not the result of line_end(…)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "end_date":
                    found.append(node.lineno)
                if isinstance(target, ast.Subscript) and getattr(target.slice, "value", None) == "end_date":
                    found.append(node.lineno)
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            for keyword in node.keywords:
                if keyword.arg != "end_date":
                    continue
                from_rule = (isinstance(keyword.value, ast.Call)
                             and getattr(keyword.value.func, "id", "") == "line_end")
                if name == "LoanLine" or (name in ("dict", "update") and not from_rule):
                    found.append(node.lineno)
    return found


def test_only_the_span_module_writes_a_lines_end_date():
    writes = {}
    for path in sorted((ROOT / "occe_bureau").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() in ("occe_bureau/lending/spans.py",):
            continue
        lines = _end_date_writes(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            writes[path.relative_to(ROOT).as_posix()] = lines
    assert writes == {}
    # the check itself sees the writes it forbids
    assert _end_date_writes(ast.parse("line.end_date = on\nrow['end_date'] = x\n"
                                      "LoanLine(end_date=d)\ndict(end_date=d)")) == [1, 2, 3, 4]
    assert _end_date_writes(ast.parse("dict(end_date=line_end(s, due, on))")) == []


def test_the_face_loads_neither_reportlab_nor_openpyxl_nor_qt():
    code = ("import sys, occe_bureau.lending; "
            "print([m for m in ('reportlab', 'openpyxl', 'PySide6') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_return_receipt_lists_as_still_out_what_the_status_says(desk):
    from occe_bureau.lending.slip_pdf import SlipData, SlipItem, return_receipt_pdf
    from occe_bureau.printing import Letterhead

    def receipt(still_out: bool, label: str) -> str:
        data = SlipData(slip_label="00007", coop_number="92-0100", coop_name="École",
                        coop_address_lines=[], borrower="Mme A", start_date=d(3), due_date=d(10),
                        items=[SlipItem("CAM-01", "Caméra HD", status_label=label,
                                        still_out=still_out)])
        return pdf_text(return_receipt_pdf(data, Letterhead(name="OCCE 92", lines=())))

    assert "Encore en prêt" in receipt(True, "En prêt chez l'école")
    assert "Encore en prêt" not in receipt(False, "Sorti")
    db, a, b, cam, box, son = desk
    loan = lend(db, a, [cam, box], d(3), d(10))
    lending.return_items(db, loan, [lending.ReturnData(cam, d(7))], today=TODAY)
    assert [i.still_out for i in lending.slip_data(db, loan).items] == [False, True]
