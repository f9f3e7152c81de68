"""The Prêts tab's pages after an action: the page that acted reloads itself, the others
reload when shown (once), and no page reaches into a sibling."""

from datetime import timedelta

from PySide6.QtCore import Qt

from occe_bureau import lending
from tests.ui import test_loans_tab as base
from ui.lending.loan_dialogs import LoanDialog, ReturnDialog
from ui.shell.changes import Domain

CLICK = Qt.MouseButton.LeftButton
TODAY, rows, select = base.TODAY, base.rows, base.select
desk, tab, pdfs = base.desk, base.tab, base.pdfs  # the Prêts tab's fixtures, on a small desk


def count_reloads(monkeypatch, page):
    calls = []
    real = page.reload
    monkeypatch.setattr(page, "reload", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_after_a_return_the_inventory_shows_the_item_available_when_shown(qtbot, tab, desk, pdfs,
                                                                          monkeypatch):
    db, coops, items = desk
    loan = lending.create_loan(db, lending.LoanData(
        coop_id=coops[0], borrower="Mme A", start_date=TODAY, due_date=TODAY + timedelta(days=6),
        item_ids=[items["CAM-01"]]))
    tab.refresh()
    tab.pages.setCurrentWidget(tab.items_page)
    assert {r.code: r.situation for r in rows(tab.items_page.model)}["CAM-01"] == lending.SIT_OUT
    tab.pages.setCurrentWidget(tab.loans_page)
    reloads = count_reloads(monkeypatch, tab.items_page)
    select(tab.loans_page, 1)

    def run(dialog: ReturnDialog):
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(ReturnDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.return_button, CLICK)
    assert lending.get_loan(db, loan).status == lending.LoanStatus.CLOSED
    assert reloads == []  # not on screen: not reloaded yet
    tab.pages.setCurrentWidget(tab.items_page)
    assert reloads == [1]
    assert {r.code: r.situation for r in rows(tab.items_page.model)}["CAM-01"] == lending.SIT_FREE
    tab.pages.setCurrentWidget(tab.loans_page)
    tab.pages.setCurrentWidget(tab.items_page)
    assert reloads == [1]  # shown again with nothing new: no reload


def test_the_page_that_acted_is_not_reloaded_twice(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    lending.create_booking(db, lending.LoanData(coop_id=coops[0], borrower="Mme A",
                                                start_date=TODAY + timedelta(days=3),
                                                due_date=TODAY + timedelta(days=5),
                                                item_ids=[items["JCP-01"]]))
    tab.refresh()
    select(tab.loans_page, 1)
    monkeypatch.setattr("ui.shell.dialogs.ask_confirm", lambda *a, **k: True)
    qtbot.mouseClick(tab.loans_page.cancel_button, CLICK)
    reloads = count_reloads(monkeypatch, tab.loans_page)
    tab.pages.setCurrentWidget(tab.planning_page)
    tab.pages.setCurrentWidget(tab.loans_page)
    assert reloads == []  # it reloaded itself after the cancel: up to date
    assert not tab.stale.is_stale(tab.loans_page) and tab.stale.is_stale(tab.stats_page)


def test_a_change_announced_elsewhere_marks_every_page_and_reloads_the_one_on_screen(
        qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    loans_reloads = count_reloads(monkeypatch, tab.loans_page)
    planning_reloads = count_reloads(monkeypatch, tab.planning_page)
    tab.window().announce({Domain.GIFTS})  # not shown by the tab
    assert loans_reloads == [] and planning_reloads == []
    tab.window().announce({Domain.COOPS})
    assert loans_reloads == [1] and planning_reloads == []
    tab.pages.setCurrentWidget(tab.planning_page)
    assert planning_reloads == [1]


def test_book_from_the_inventory_opens_the_booking_on_the_loans_page(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    tab.pages.setCurrentWidget(tab.items_page)
    code_row = next(i for i, r in enumerate(rows(tab.items_page.model)) if r.code == "SON-01")
    tab.items_page.table.selectRow(code_row)
    seen = []

    def run(dialog: LoanDialog):
        seen.append((dialog.booking, dialog.items.checked(), tab.pages.currentWidget()))
        return 0

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(tab.items_page.book_button, CLICK)
    assert seen == [(True, [items["SON-01"]], tab.loans_page)]
