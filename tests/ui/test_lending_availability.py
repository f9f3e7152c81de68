"""The new-loan dialog shows each item's availability for the chosen dates and offers the free
items of the same category; the planning grid starts a booking from the selected days."""

from datetime import timedelta

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from occe_bureau import lending
from occe_bureau.formats import format_date
from tests.ui import test_loans_tab as base
from ui.lending.loan_dialogs import LoanDialog

CLICK, SHOTS, TODAY, fill_loan = base.CLICK, base.SHOTS, base.TODAY, base.fill_loan
desk, tab, pdfs = base.desk, base.tab, base.pdfs  # the Prêts tab's fixtures, on a small desk


def entry(dialog: LoanDialog, code: str):
    items = dialog.items.list
    return next(items.item(i) for i in range(items.count())
                if items.item(i).text().startswith(code + " "))


def test_the_dialog_shows_who_has_an_item_and_offers_a_free_one_of_its_category(
        qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                             due_date=TODAY + timedelta(days=9),
                                             item_ids=[items["CAM-01"]]))
    tab.refresh()
    seen = {}
    start, due = TODAY + timedelta(days=7), TODAY + timedelta(days=11)

    def run(dialog: LoanDialog):
        fill_loan(qtbot, dialog, "92-0100", [], borrower="M. Karim Haddad", start=start, due=due)
        cam, son = entry(dialog, "CAM-01"), entry(dialog, "SON-01")
        seen["cam"], seen["son"] = cam.text(), son.text()
        seen["busy_colour"] = cam.foreground().color().name()
        assert not dialog.items.offers.isVisibleTo(dialog)
        cam.setCheckState(Qt.CheckState.Checked)
        assert dialog.items.offers.isVisibleTo(dialog)
        seen["offers"] = [b.text() for b in dialog.items.offer_buttons]
        dialog.items.only_free.setChecked(True)  # the busy one stays in view while ticked
        seen["cam_hidden_while_checked"] = cam.isHidden()
        dialog.grab().save(str(SHOTS / "loan_dialog_availability.png"))
        qtbot.mouseClick(dialog.items.offer_buttons[0], CLICK)
        seen["checked"] = dialog.items.checked()
        seen["cam_hidden_after"] = cam.isHidden()
        assert not dialog.items.offers.isVisibleTo(dialog)
        # later dates: the camera is back by then
        dialog.start_date.set_value(TODAY + timedelta(days=9))
        seen["cam_later"] = entry(dialog, "CAM-01").text()
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.new_booking_button, CLICK)
    assert seen["cam"] == (f"CAM-01 – Caméra HD  —  prêté à 92-0200 – École maternelle Les "
                           f"Tilleuls du {format_date(TODAY)} au "
                           f"{format_date(TODAY + timedelta(days=9))}")
    assert seen["son"] == "SON-01 – Kit son  —  libre"
    assert seen["busy_colour"] == "#b3261e"
    # JCP-01 is free but of another category: not offered
    assert seen["offers"] == ["Prendre SON-01 – Kit son à la place de CAM-01"]
    assert seen["cam_hidden_while_checked"] is False and seen["cam_hidden_after"] is True
    assert seen["checked"] == [items["SON-01"]]
    assert seen["cam_later"] == "CAM-01 – Caméra HD  —  libre"
    booking = lending.get_loan(db, tab.loans_page.selected().id)
    assert [l.code for l in booking.open_lines] == ["SON-01"]
    assert booking.start_date == TODAY + timedelta(days=9)


def test_a_loan_sees_an_item_not_back_and_one_in_maintenance_as_not_free(qtbot, desk):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B",
                                             start_date=TODAY - timedelta(days=10),
                                             due_date=TODAY - timedelta(days=2),
                                             item_ids=[items["CAM-01"]]))
    lending.set_item_state(db, items["JCP-01"], lending.ItemState.MAINTENANCE)
    dialog = LoanDialog(db)
    qtbot.addWidget(dialog)
    assert entry(dialog, "CAM-01").text().endswith(
        "pas revenu : encore chez 92-0200 – École maternelle Les Tilleuls (retour prévu le "
        f"{format_date(TODAY - timedelta(days=2))})")
    assert entry(dialog, "JCP-01").text().endswith("en maintenance : il ne peut pas partir")
    entry(dialog, "JCP-01").setCheckState(Qt.CheckState.Checked)
    assert [b.text() for b in dialog.items.offer_buttons] == []
    assert dialog.items.offers.isVisibleTo(dialog)  # says that none of its category is free
    booking = LoanDialog(db, booking=True)
    qtbot.addWidget(booking)
    assert entry(booking, "JCP-01").text().endswith("libre – en maintenance pour l'instant")


def select_cells(view, row: int, first: int, last: int) -> None:
    model = view.model()
    selection = QItemSelection(model.index(row, first), model.index(row, last))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_the_planning_books_the_selected_days_of_an_item(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    page = tab.planning_page
    tab.pages.setCurrentWidget(page)
    page.start.set_value(TODAY)
    assert not page.book_button.isEnabled()
    row = [r.code for r in page.model.rows].index("JCP-01")
    select_cells(page.table, row, 3, 6)
    assert page.book_button.isEnabled()
    seen = []

    def run(dialog: LoanDialog):
        seen.append((dialog.booking, dialog.items.checked(), dialog.start_date.value(),
                     dialog.due_date.value(), tab.pages.currentWidget()))
        fill_loan(qtbot, dialog, "92-0100", [], borrower="Mme Nadia Benali")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(page.book_button, CLICK)
    assert seen == [(True, [items["JCP-01"]], TODAY + timedelta(days=3),
                     TODAY + timedelta(days=6), tab.loans_page)]
    booking = lending.get_loan(db, tab.loans_page.selected().id)
    assert (booking.start_date, booking.due_date) == (TODAY + timedelta(days=3),
                                                      TODAY + timedelta(days=6))
    assert [l.code for l in booking.open_lines] == ["JCP-01"]
    # back on the planning, the booked days are coloured
    tab.pages.setCurrentWidget(page)
    row = [r.code for r in page.model.rows].index("JCP-01")
    assert page.model.segment(page.model.index(row, 3)).kind == lending.LineStatus.BOOKED
