"""The Prêts tab driven through its real widgets, on a small desk built for each test."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from occe_bureau import lending
from occe_bureau.lending import ItemState, LoanStatus
from occe_bureau.formats import format_date
from occe_bureau.coops import register as coop_svc
from occe_bureau.association.settings import AssociationData, save_association
from tests.pdf import pdf_text
from tests.ui.conftest import make_window
from tests.ui.typing import type_text
from ui.shell import dialogs
from ui.shell import pdf_preview
from ui.lending.loan_dialogs import (
    CheckOutDialog, ExtendDialog, LoanDialog, LostDialog, ReturnDialog, TransferDialog,
)
from ui.lending.tab import LoansTab
from ui.shell.table_model import OBJECT_ROLE
from occe_bureau import clock

TODAY = clock.today()
SHOTS = Path(tempfile.gettempdir()) / "occe-loans-shots"
SHOTS.mkdir(exist_ok=True)
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def desk(db):
    save_association(db, AssociationData(name="OCCE 92", address="15 rue des Écoles",
                                         postal_code="92000", city="Nanterre",
                                         signatory_name="Marie-Claude Lefèvre"))
    coops = [coop_svc.create_coop(db, coop_svc.CoopData(number=n, name=name, kind="elementaire",
                                                         commune="Nanterre"))
             for n, name in (("92-0100", "École élémentaire Jean Jaurès"),
                             ("92-0200", "École maternelle Les Tilleuls"))]
    cat = {c.name: c.id for c in lending.list_categories(db)}
    items = {}
    for code, name, category, days in (
            ("CAM-01", "Caméra HD", "Matériel de prise de vue et de son", 7),
            ("SON-01", "Kit son", "Matériel de prise de vue et de son", 7),
            ("JCP-01", "Malle jeux coopératifs", "Jeux coopératifs", 14)):
        items[code] = lending.create_item(db, lending.ItemData(
            code=code, name=name, category_id=cat[category], default_loan_days=days,
            accessories="trépied\n2 batteries" if code == "CAM-01" else "foulards",
            replacement_value_cents=45000))
    return db, coops, items


@pytest.fixture
def tab(qtbot, desk, tmp_path):
    db, coops, items = desk
    window = make_window(qtbot, db, tmp_path)
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index("Prêts"))
    loans_tab = window.tabs.currentWidget()
    assert isinstance(loans_tab, LoansTab)
    return loans_tab


@pytest.fixture
def pdfs(monkeypatch):
    shown = []
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda parent, pdf, title, name: shown.append((title, pdf)))
    return shown


def rows(model):
    return [model.index(r, 0).data(OBJECT_ROLE) for r in range(model.rowCount())]


def select(page, slip_number: int) -> None:
    for index, row in enumerate(page.model.rows()):
        if row.slip_number == slip_number:
            page.table.selectRow(index)
            return
    raise AssertionError(f"bon {slip_number} absent")


def pick_coop(dialog, number: str) -> None:
    index = next(i for i in range(dialog.coop.count()) if dialog.coop.itemText(i).startswith(number))
    dialog.coop.setCurrentIndex(index)


def fill_loan(qtbot, dialog: LoanDialog, coop: str, codes: list[str], borrower="Mme Zoé Łukasiewicz",
              start: date | None = None, due: date | None = None) -> None:
    pick_coop(dialog, coop)
    type_text(qtbot, dialog.borrower, borrower)
    for i in range(dialog.items.list.count()):
        entry = dialog.items.list.item(i)
        if entry.text().split(" – ")[0] in codes:
            entry.setCheckState(Qt.CheckState.Checked)
    if start:
        dialog.start_date.set_value(start)
    if due:
        dialog.due_date.set_value(due)


def test_lend_two_items_see_them_out_return_one_and_extend(qtbot, tab, pdfs, monkeypatch):
    page = tab.loans_page

    def run(dialog):
        fill_loan(qtbot, dialog, "92-0100", ["CAM-01", "SON-01"])
        # the due date follows the items' default length (7 days, both counted)
        assert dialog.due_date.value() == TODAY + timedelta(days=6)
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(page.new_loan_button, CLICK)
    loan = page.selected()
    assert loan is not None and loan.items == "CAM-01, SON-01" and loan.borrower == "Mme Zoé Łukasiewicz"
    assert loan.status_label == "En prêt"
    # the slip was shown, and the inventory sees both items out
    title, pdf = pdfs[-1]
    assert title == "Bon de prêt n° 00001" and "CAM-01" in pdf_text(pdf)
    tab.pages.setCurrentWidget(tab.items_page)  # out of date since the loan: reloads when shown
    situations = {r.code: r.situation for r in rows(tab.items_page.model)}
    assert situations == {"CAM-01": lending.SIT_OUT, "SON-01": lending.SIT_OUT,
                          "JCP-01": lending.SIT_FREE}
    tab.pages.setCurrentWidget(page)

    # return the camera only, with a missing battery
    def run_return(dialog: ReturnDialog):
        dialog.set_returned([next(l.item_id for l in dialog.lines if l.code == "CAM-01")])
        row = next(i for i, l in enumerate(dialog.lines) if l.code == "CAM-01")
        type_text(qtbot, dialog.missing[row], "1 batterie")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(ReturnDialog, "exec", run_return)
    qtbot.mouseClick(page.return_button, CLICK)
    assert page.selected().status_label == "En prêt (1/2 rendus)"
    assert "Reçu de retour" in pdfs[-1][0] and "1 batterie" in pdf_text(pdfs[-1][1])
    assert "CAM-01 – Caméra HD : rendu le" in page.detail.text()
    tab.pages.setCurrentWidget(tab.items_page)
    situations = {r.code: r.situation for r in rows(tab.items_page.model)}
    assert situations["CAM-01"] == lending.SIT_FREE and situations["SON-01"] == lending.SIT_OUT
    tab.pages.setCurrentWidget(page)

    # extend by a week
    def run_extend(dialog: ExtendDialog):
        dialog.due_date.set_value(TODAY + timedelta(days=20))
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(ExtendDialog, "exec", run_extend)
    qtbot.mouseClick(page.extend_button, CLICK)
    assert page.selected().due_date == TODAY + timedelta(days=20)
    assert "prolongé jusqu'au" in tab.window().status_text.text()


def test_a_conflicting_booking_is_refused_with_the_other_coop_and_dates(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=10), item_ids=[items["JCP-01"]]))
    tab.refresh()
    seen = {}

    def run(dialog: LoanDialog):
        fill_loan(qtbot, dialog, "92-0200", ["JCP-01"], borrower="M. Karim Haddad",
                  start=TODAY + timedelta(days=5), due=TODAY + timedelta(days=12))
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen["refusal"] = dialog.error_text("items")
        # back-to-back is fine: start the day the first loan ends
        dialog.start_date.set_value(TODAY + timedelta(days=10))
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda *a: None)
    qtbot.mouseClick(tab.loans_page.new_booking_button, CLICK)
    assert "JCP-01" in seen["refusal"] and "92-0100 – École élémentaire Jean Jaurès" in seen["refusal"]
    assert f"au {(TODAY + timedelta(days=10)).strftime('%d/%m/%Y')}" in seen["refusal"]
    booking = tab.loans_page.selected()
    assert booking.status == LoanStatus.BOOKED and booking.coop_number == "92-0200"
    assert booking.start_date == TODAY + timedelta(days=10)


def test_lending_an_item_in_maintenance_or_already_out_is_refused(qtbot, tab, desk):
    db, coops, items = desk
    lending.set_item_state(db, items["SON-01"], ItemState.MAINTENANCE)
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY - timedelta(days=9),
                                     due_date=TODAY - timedelta(days=2), item_ids=[items["CAM-01"]]))
    dialog = LoanDialog(db)
    qtbot.addWidget(dialog)
    fill_loan(qtbot, dialog, "92-0200", ["SON-01", "CAM-01"], borrower="<b>Zoé</b> " + "x" * 160)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result() == 0
    assert "150 au plus" in dialog.error_text("borrower")
    dialog.borrower.clear()
    type_text(qtbot, dialog.borrower, "<b>Zoé</b>")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert "en maintenance" in dialog.error_text("items")
    dialog.items.list.item(next(i for i in range(dialog.items.list.count())
                                if dialog.items.list.item(i).text().startswith("SON-01"))
                           ).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert "n'est pas revenu" in dialog.error_text("items")
    dialog.due_date.set_value(TODAY - timedelta(days=1))
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert "avant la date de départ" in dialog.error_text("due_date")
    assert len(lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_ALL))) == 1


def test_hand_a_box_to_the_next_school_and_print_its_slip(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    first = lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY - timedelta(days=13),
                                             due_date=TODAY, item_ids=[items["JCP-01"]]))
    tab.refresh()
    select(tab.loans_page, 1)

    def run(dialog: TransferDialog):
        assert not dialog.use_booking.isEnabled() and dialog.new_loan.isChecked()
        pick_coop(dialog, "92-0200")
        type_text(qtbot, dialog.borrower, "Mme Fatou Traoré")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.transfer_button, CLICK)
    old, new = lending.get_loan(db, first), lending.get_loan(db, tab.loans_page.selected().id)
    assert old.status == LoanStatus.CLOSED and old.lines[0].returned_on == TODAY
    assert new.coop_number == "92-0200" and new.start_date == TODAY and new.status == LoanStatus.OUT
    title, pdf = pdfs[-1]
    text = " ".join(pdf_text(pdf).split())
    assert title == "Bon de prêt n° 00002"
    assert "92-0200 – École maternelle Les Tilleuls" in text and "Mme Fatou Traoré" in text
    assert "JCP-01" in text and "Exemplaire de l'emprunteur" in text


def test_print_a_slip_from_the_list(qtbot, tab, desk, pdfs):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="M. Øster <i>CM2</i>", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=3), item_ids=[items["CAM-01"]],
                                     notes="Avec <b>soin</b> & attention"))
    tab.refresh()
    select(tab.loans_page, 1)
    qtbot.mouseClick(tab.loans_page.slip_button, CLICK)
    title, pdf = pdfs[-1]
    text = " ".join(pdf_text(pdf).split())
    assert title == "Bon de prêt n° 00001"
    assert "M. Øster <i>CM2</i>" in text and "Avec <b>soin</b> & attention" in text
    assert "trépied" in text and "450,00 €" in text and "Exemplaire de l'association" in text


def test_overdue_in_red_filter_and_reminder_is_logged(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY - timedelta(days=20),
                                     due_date=TODAY - timedelta(days=4), item_ids=[items["CAM-01"]]))
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=4), item_ids=[items["SON-01"]]))
    page = tab.loans_page
    page.view_combo.setCurrentIndex(page.view_combo.findData(lending.VIEW_OVERDUE))
    shown = rows(page.model)
    assert [r.slip_number for r in shown] == [1] and shown[0].status_label == "En retard (4 jours)"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    page.table.selectRow(0)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    qtbot.mouseClick(page.reminder_button, CLICK)
    assert "Relance" in pdfs[-1][0] and "4 jours" in pdf_text(pdfs[-1][1])
    assert lending.get_loan(db, shown[0].id).reminders == [TODAY]
    assert page.selected().reminders == 1
    assert "Relances" in page.detail.text()


def test_cancel_booking_and_mark_lost(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    booking = lending.create_booking(db, lending.LoanData(coop_id=coops[0], borrower="Mme A",
                                                  start_date=TODAY + timedelta(days=3),
                                                  due_date=TODAY + timedelta(days=5),
                                                  item_ids=[items["JCP-01"]]))
    loan = lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                            due_date=TODAY + timedelta(days=4), item_ids=[items["CAM-01"]]))
    tab.refresh()
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    select(tab.loans_page, 1)
    qtbot.mouseClick(tab.loans_page.cancel_button, CLICK)
    assert lending.get_loan(db, booking).status == LoanStatus.CANCELLED
    select(tab.loans_page, 2)
    shots = []

    def run_lost(dialog: LostDialog):
        assert dialog.item.currentText() == "CAM-01 – Caméra HD" and dialog.on.value() == TODAY
        dialog.on.set_value(TODAY - timedelta(days=1))  # a loan that started today: refused
        qtbot.mouseClick(dialog.save_button, CLICK)
        assert "entre la date de départ et aujourd'hui" in dialog.error_text("returned_on")
        dialog.on.set_value(TODAY)
        type_text(qtbot, dialog.notes, "Oubliée dans le car de l'école")
        shots.append(dialog.grab())
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LostDialog, "exec", run_lost)
    qtbot.mouseClick(tab.loans_page.lost_button, CLICK)
    assert lending.get_item(db, items["CAM-01"]).data.state == ItemState.LOST
    detail = lending.get_loan(db, loan)
    assert detail.status == LoanStatus.CLOSED and detail.status_label == "Perdu"
    assert detail.lines[0].return_notes == "Oubliée dans le car de l'école"
    page = tab.loans_page
    page.view_combo.setCurrentIndex(page.view_combo.findData(lending.VIEW_ALL))
    assert {r.slip_number: r.status_label for r in rows(page.model)}[2] == "Perdu"
    shots[0].save(str(SHOTS / "lost_dialog.png"))


def test_losing_an_item_booked_later_is_refused_in_the_dialog(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=4), item_ids=[items["CAM-01"]]))
    lending.create_booking(db, lending.LoanData(coop_id=coops[0], borrower="Mme A",
                                        start_date=TODAY + timedelta(days=10),
                                        due_date=TODAY + timedelta(days=12), item_ids=[items["CAM-01"]]))
    tab.refresh()
    select(tab.loans_page, 1)
    messages = []

    def run_lost(dialog: LostDialog):
        qtbot.mouseClick(dialog.save_button, CLICK)
        messages.append(dialog.error_text("items"))
        return dialog.result()

    monkeypatch.setattr(LostDialog, "exec", run_lost)
    qtbot.mouseClick(tab.loans_page.lost_button, CLICK)
    assert "bon n° 00002 : 92-0100" in messages[0] and "Annulez d'abord" in messages[0]
    assert lending.get_item(db, items["CAM-01"]).data.state == ItemState.AVAILABLE


def test_check_out_a_booking_on_a_chosen_day(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    booking = lending.create_booking(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY,
                                                  due_date=TODAY + timedelta(days=5),
                                                  item_ids=[items["SON-01"]]))
    tab.refresh()
    select(tab.loans_page, 1)
    # the booking was kept for today; the box left yesterday and nobody recorded it
    with db.engine.begin() as conn:
        day = {"day": TODAY - timedelta(days=1), "id": booking}
        conn.execute(text("UPDATE loan SET start_date = :day WHERE id = :id"), day)
        conn.execute(text("UPDATE loan_line SET start_date = :day WHERE loan_id = :id"), day)

    def run(dialog: CheckOutDialog):
        assert dialog.on.value() == TODAY
        dialog.on.set_value(TODAY + timedelta(days=1))
        qtbot.mouseClick(dialog.save_button, CLICK)
        assert "dans le futur" in dialog.error_text("start_date")
        dialog.on.set_value(TODAY - timedelta(days=1))
        type_text(qtbot, dialog.handed_over_by, "Sylvie")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(CheckOutDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.checkout_button, CLICK)
    loan = lending.get_loan(db, booking)
    assert (loan.status, loan.start_date, loan.handed_over_by) == (LoanStatus.OUT, TODAY - timedelta(days=1), "Sylvie")
    assert pdfs[-1][0] == "Bon de prêt n° 00001"
    assert "parti le" in tab.window().status_text.text()


def test_transfer_offers_only_the_bookings_holding_every_item_of_another_coop(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY - timedelta(days=5),
                                     due_date=TODAY, item_ids=[items["CAM-01"], items["JCP-01"]]))
    for start, coop, item_ids in ((1, coops[1], [items["JCP-01"]]),  # not the camera
                                  (5, coops[0], [items["CAM-01"], items["JCP-01"]]),  # the same coop
                                  (9, coops[1], [items["CAM-01"], items["JCP-01"], items["SON-01"]])):
        lending.create_booking(db, lending.LoanData(coop_id=coop, borrower="M. B", start_date=TODAY + timedelta(days=start),
                                            due_date=TODAY + timedelta(days=start + 2), item_ids=item_ids))
    tab.refresh()
    select(tab.loans_page, 1)
    seen = []

    def run(dialog: TransferDialog):
        labels = lambda: [dialog.bookings.itemText(i) for i in range(dialog.bookings.count())]  # noqa: E731
        seen.append(labels())
        assert dialog.use_booking.isChecked()
        camera = next(i for i in range(dialog.items.count()) if dialog.items.item(i).text().startswith("CAM"))
        dialog.items.item(camera).setCheckState(Qt.CheckState.Unchecked)  # only the box goes on
        seen.append(labels())
        return 0

    monkeypatch.setattr(TransferDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.transfer_button, CLICK)
    assert len(seen[0]) == 1 and seen[0][0].startswith("Bon n° 00004 – 92-0200")
    assert sorted(label[:12] for label in seen[1]) == ["Bon n° 00002", "Bon n° 00004"]


def test_inventory_filters_planning_and_days_out_export(qtbot, tab, desk, tmp_path, monkeypatch):
    db, coops, items = desk
    today = date(2025, 3, 12)  # a fixed day: the figures do not depend on the calendar
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=today - timedelta(days=2),
                                     due_date=today + timedelta(days=4), item_ids=[items["CAM-01"]]),
                    today=today)
    lending.create_booking(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=today + timedelta(days=7),
                                        due_date=today + timedelta(days=9), item_ids=[items["JCP-01"]]),
                       today=today)
    clock.set_fixed(today)  # the pages count from that day (the suite's fixture resets it)
    tab.refresh()
    items_page = tab.items_page
    items_page.situation_combo.setCurrentIndex(items_page.situation_combo.findData(lending.SIT_OUT))
    assert [r.code for r in rows(items_page.model)] == ["CAM-01"]
    items_page.situation_combo.setCurrentIndex(items_page.situation_combo.findData(lending.SIT_ALL))
    jeux = next(i for i in range(items_page.category_combo.count())
                if items_page.category_combo.itemText(i).startswith("Jeux coopératifs"))
    items_page.category_combo.setCurrentIndex(jeux)
    assert [r.code for r in rows(items_page.model)] == ["JCP-01"]
    assert rows(items_page.model)[0].next_label.startswith("Dès le ")

    tab.pages.setCurrentWidget(tab.planning_page)
    tab.planning_page.start.set_value(today - timedelta(days=today.weekday()))
    planning = tab.planning_page.model
    codes = [r.code for r in planning.rows]
    day = planning.days.index(today)
    cam = planning.index(codes.index("CAM-01"), day)
    assert planning.segment(cam).kind == LoanStatus.OUT and "92-0100" in cam.data(Qt.ItemDataRole.ToolTipRole)
    booked = planning.index(codes.index("JCP-01"), day + 7)
    assert planning.segment(booked).kind == LoanStatus.BOOKED
    assert planning.segment(planning.index(codes.index("SON-01"), day)) is None

    tab.pages.setCurrentWidget(tab.stats_page)
    stats_page = tab.stats_page
    stats_page.period_start.set_value(date(2024, 9, 1))
    stats_page.period_end.set_value(date(2025, 8, 31))
    stats_page.free_period.setChecked(True)
    figures = {f.label: f for f in rows(stats_page.model)}
    video = figures["Matériel de prise de vue et de son"]
    assert (video.days, video.loans, video.coops) == (3, 1, 1)  # out 2 days ago: 3 days so far
    assert "Matériel de prise de vue et de son (3 jours – 1 coop)" in [
        stats_page.model.index(r, 4).data() for r in range(stats_page.model.rowCount())]
    target = tmp_path / "jours.xlsx"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "ask_open_exported", lambda *a: "")  # issue 8: offers to open
    qtbot.mouseClick(stats_page.export_button, CLICK)
    sheet = load_workbook(target)["Par catégorie"]
    assert any(row[0] == "Matériel de prise de vue et de son" and row[1] == 3
               for row in sheet.iter_rows(values_only=True))


def test_models_pass_the_qt_model_tester(qtmodeltester, qtbot, tab, desk):
    """The models the tables really show, checked while the pages reload, sort and filter."""
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=4), item_ids=[items["CAM-01"]]))
    lending.create_booking(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY + timedelta(days=7),
                                        due_date=TODAY + timedelta(days=9), item_ids=[items["JCP-01"]]))
    tab.refresh()
    for page in (tab.loans_page, tab.items_page, tab.planning_page, tab.stats_page):
        tab.pages.setCurrentWidget(page)
        model = page.table.model()
        assert model is page.model
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    # the testers stay attached: reloading, sorting and filtering are checked too
    tab.loans_page.view_combo.setCurrentIndex(tab.loans_page.view_combo.findData(lending.VIEW_ALL))
    tab.loans_page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    type_text(qtbot, tab.items_page.search, "cam")
    tab.items_page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    tab.planning_page.weeks.setValue(2)
    tab.stats_page.group_combo.setCurrentIndex(1)
    assert tab.items_page.model.rowCount() == 1


def test_the_tab_opens_on_the_demo_data(qtbot, demo_db, tmp_path):
    window = make_window(qtbot, demo_db, tmp_path)
    index = [window.tabs.tabText(i) for i in range(window.tabs.count())].index("Prêts")
    window.tabs.setCurrentIndex(index)
    tab = window.tabs.currentWidget()
    assert tab.loans_page.model.rowCount() > 10  # a few dozen loans a year in the demo
    tab.pages.setCurrentWidget(tab.items_page)
    assert tab.items_page.model.rowCount() > 40
    assert any(r.days_late for r in rows(tab.loans_page.model))


def test_categories_are_added_renamed_and_hidden_from_the_inventory(qtbot, tab, monkeypatch):
    from ui.lending.inventory_dialogs import CategoriesDialog

    answers = iter(["Expositions", "Expositions itinérantes", "lotos"])
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: next(answers))
    seen = {}

    def run(dialog: CategoriesDialog):
        qtbot.mouseClick(dialog.add_button, CLICK)
        assert dialog.current().name == "Expositions"
        qtbot.mouseClick(dialog.rename_button, CLICK)
        qtbot.mouseClick(dialog.add_button, CLICK)  # "lotos" exists already
        seen["refusal"] = dialog.message.text()
        qtbot.mouseClick(dialog.hide_button, CLICK)
        return 1

    monkeypatch.setattr(CategoriesDialog, "exec", run)
    combo = tab.items_page.category_combo
    qtbot.mouseClick(tab.items_page.category_button, CLICK)
    assert "existe déjà" in seen["refusal"]
    names = [combo.itemText(i) for i in range(combo.count())]
    assert not any(n.startswith("Expositions") for n in names)
    assert any(c.name == "Expositions itinérantes" and c.archived
               for c in lending.list_categories(tab.db, include_archived=True))


def test_remind_every_overdue_loan_in_one_document(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    for coop, item, late in ((coops[0], "CAM-01", 4), (coops[1], "JCP-01", 9)):
        lending.create_loan(db, lending.LoanData(coop_id=coop, borrower="Mme A",
                                         start_date=TODAY - timedelta(days=20),
                                         due_date=TODAY - timedelta(days=late), item_ids=[items[item]]))
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=4), item_ids=[items["SON-01"]]))
    tab.refresh()
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    qtbot.mouseClick(tab.loans_page.remind_all_button, CLICK)
    title, pdf = pdfs[-1]
    text = pdf_text(pdf)
    assert title.startswith("Relances du") and "92-0100" in text and "92-0200" in text
    assert "SON-01" not in text
    assert sorted(len(lending.get_loan(db, r.id).reminders)
                  for r in lending.list_loans(db)) == [0, 1, 1]
    assert "2 relances notées" in tab.window().status_text.text()


def test_cancelled_batch_of_reminders_records_nothing(qtbot, tab, desk, monkeypatch):
    from ui.shell import operations

    db, coops, items = desk
    loan = lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A",
                                            start_date=TODAY - timedelta(days=20),
                                            due_date=TODAY - timedelta(days=4),
                                            item_ids=[items["CAM-01"]]))
    tab.refresh()
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)

    def cancel_at_first_step(parent, title, doing, job):
        generator = job()
        next(generator)
        generator.close()  # what Annuler does
        raise operations.Cancelled()

    monkeypatch.setattr(operations, "run_with_progress", cancel_at_first_step)
    qtbot.mouseClick(tab.loans_page.remind_all_button, CLICK)
    assert lending.get_loan(db, loan).reminders == []
    assert "rien n'a été noté" in tab.window().status_text.text()


def test_inventory_columns_show_the_dates_without_cutting_them(qtbot, tab, desk):
    db, coops, items = desk
    long_coop = coop_svc.create_coop(db, coop_svc.CoopData(
        number="92-0300", name="École élémentaire d'application Jean-Baptiste Pigalle", kind="elementaire",
        commune="Nanterre"))
    lending.create_loan(db, lending.LoanData(coop_id=long_coop, borrower="Mme A", start_date=TODAY - timedelta(days=9),
                                     due_date=TODAY - timedelta(days=2), item_ids=[items["CAM-01"]]))
    lending.create_loan(db, lending.LoanData(coop_id=long_coop, borrower="Mme A", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=2), item_ids=[items["SON-01"]]))
    lending.create_booking(db, lending.LoanData(coop_id=long_coop, borrower="Mme B", start_date=TODAY + timedelta(days=7),
                                        due_date=TODAY + timedelta(days=9), item_ids=[items["SON-01"]]))
    tab.refresh()
    page = tab.items_page
    page.resize(1400, 500)
    page.show()
    qtbot.waitExposed(page)
    metrics = page.table.fontMetrics()
    titles = [c.title for c in page.model.columns]
    for title in ("Aujourd'hui", "Prochaine réservation"):
        column = titles.index(title)
        for row in range(page.model.rowCount()):
            index = page.model.index(row, column)
            text = index.data()
            if not text or text == "Disponible":
                continue
            date_end = max(text.find(format_date(TODAY + timedelta(days=n))) for n in (-2, 2, 7))
            assert date_end > 0, text
            shown = text[:date_end + 10]
            assert metrics.horizontalAdvance(shown) + 12 < page.table.columnWidth(column), (title, text)
            assert "Pigalle" in index.data(Qt.ItemDataRole.ToolTipRole)
    page.grab().save(str(SHOTS / "items_page.png"))


def test_each_page_has_its_own_status_line_and_a_bar_begun_earlier_shows_its_coop(qtbot, tab, desk):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY - timedelta(days=20),
                                     due_date=TODAY - timedelta(days=10), item_ids=[items["CAM-01"]]))
    tab.refresh()
    status = tab.window().status_text
    assert status.text() == "1 prêt affiché — 1 en retard"
    tab.pages.setCurrentWidget(tab.items_page)
    assert status.text() == "3 matériels affichés — 1 en prêt, dont 1 en retard"
    tab.pages.setCurrentWidget(tab.planning_page)
    assert status.text().startswith("Planning : 3 matériels, du ")
    tab.pages.setCurrentWidget(tab.stats_page)
    assert status.text() == tab.stats_page.total.text() and "jours" in status.text()
    tab.pages.setCurrentWidget(tab.loans_page)
    assert status.text() == "1 prêt affiché — 1 en retard"

    tab.pages.setCurrentWidget(tab.planning_page)
    tab.planning_page.start.set_value(TODAY)
    model = tab.planning_page.model
    cam = [r.code for r in model.rows].index("CAM-01")
    assert model.segment(model.index(cam, 0)).kind == lending.SIT_OVERDUE
    assert model.index(cam, 0).data() == "0100"
    assert model.index(cam, 1).data() is None
    tab.planning_page.grab().save(str(SHOTS / "planning.png"))


def test_return_dialog_shows_the_accessories_and_the_missing_column_without_scrolling(qtbot, desk):
    db, coops, items = desk
    loan = lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY,
                                            due_date=TODAY + timedelta(days=3),
                                            item_ids=[items["CAM-01"], items["JCP-01"]]))
    dialog = ReturnDialog(db, loan)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    shown = [table.item(r, dialog.COL_ITEM).text() for r in range(table.rowCount())]
    assert "À vérifier : trépied, 2 batteries" in shown[0] and "À vérifier : foulards" in shown[1]
    assert table.horizontalScrollBar().maximum() == 0
    right = table.columnViewportPosition(dialog.COL_MISSING) + table.columnWidth(dialog.COL_MISSING)
    assert table.columnWidth(dialog.COL_MISSING) >= 200 and right <= table.viewport().width()
    right = table.columnViewportPosition(dialog.COL_NOTES) + table.columnWidth(dialog.COL_NOTES)
    assert table.columnWidth(dialog.COL_NOTES) >= 200 and right <= table.viewport().width()
    dialog.grab().save(str(SHOTS / "return_dialog.png"))


def test_a_damaged_return_and_its_remark_are_printed_on_the_receipt(qtbot, tab, desk, pdfs,
                                                                     monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[0], borrower="Mme A", start_date=TODAY,
                                             due_date=TODAY + timedelta(days=3),
                                             item_ids=[items["CAM-01"]]))
    tab.refresh()
    select(tab.loans_page, 1)

    def run_return(dialog: ReturnDialog):
        assert dialog.conditions[0].currentText() == "Bon état"
        dialog.damaged[0].click()  # "→ maintenance", the state left at "Bon état"
        type_text(qtbot, dialog.notes[0], "Objectif rayé")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(ReturnDialog, "exec", run_return)
    qtbot.mouseClick(tab.loans_page.return_button, CLICK)
    title, pdf = pdfs[-1]
    text = " ".join(pdf_text(pdf).split())
    assert title.startswith("Reçu de retour")
    assert "Abîmé – envoyé en maintenance" in text and "Bon état" not in text
    assert "Remarques : Objectif rayé" in text
    assert lending.get_item(db, items["CAM-01"]).data.state == ItemState.MAINTENANCE


def test_edit_a_booking_before_it_leaves(qtbot, tab, desk, pdfs, monkeypatch):
    db, coops, items = desk
    lending.create_loan(db, lending.LoanData(coop_id=coops[1], borrower="Mme B", start_date=TODAY,
                                     due_date=TODAY + timedelta(days=5), item_ids=[items["CAM-01"]]))
    booking = lending.create_booking(db, lending.LoanData(coop_id=coops[0], borrower="Mme A",
                                                  start_date=TODAY + timedelta(days=10),
                                                  due_date=TODAY + timedelta(days=12),
                                                  item_ids=[items["JCP-01"]], notes="CE1"))
    tab.refresh()
    page = tab.loans_page
    select(page, 1)
    assert not page.edit_button.isEnabled()  # a loan out is not edited
    select(page, 2)
    assert page.edit_button.isEnabled()

    def run(dialog: LoanDialog):
        assert dialog.windowTitle() == "Modifier la réservation"
        assert dialog.borrower.text() == "Mme A" and dialog.notes.toPlainText() == "CE1"
        assert dialog.items.checked() == [items["JCP-01"]]
        assert dialog.due_date.value() == TODAY + timedelta(days=12)
        fill_loan(qtbot, dialog, "92-0200", ["CAM-01"], borrower=" et M. Élie",
                  start=TODAY + timedelta(days=3))
        qtbot.mouseClick(dialog.save_button, CLICK)  # the camera is out until day 5
        assert "92-0200" in dialog.error_text("items")
        dialog.start_date.set_value(TODAY + timedelta(days=5))  # back-to-back: allowed
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(page.edit_button, CLICK)
    loan = lending.get_loan(db, booking)
    assert (loan.coop_number, loan.borrower, loan.start_date, loan.slip_number) == (
        "92-0200", "Mme A et M. Élie", TODAY + timedelta(days=5), 2)
    assert sorted(l.code for l in loan.open_lines) == ["CAM-01", "JCP-01"]
    assert pdfs[-1][0] == "Bon de réservation n° 00002"
    assert "Réservation n° 00002 modifiée." == tab.window().status_text.text()
    tab.window().resize(1280, 720)
    tab.window().grab().save(str(SHOTS / "loans_page.png"))


def test_a_booking_in_2999_is_refused_at_its_field_and_saves_nothing(qtbot, tab, desk, monkeypatch):
    db, coops, items = desk
    seen = {}

    def run(dialog: LoanDialog):
        fill_loan(qtbot, dialog, "92-0100", ["JCP-01"], start=date(2999, 3, 1),
                  due=date(2999, 3, 5))
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen["start"] = dialog.error_text("start_date")
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", run)
    qtbot.mouseClick(tab.loans_page.new_booking_button, CLICK)
    # the suite's day is in 2025-2026: a booking runs until the end of 2026-2027 at the latest
    assert seen["start"] == ("Date de départ : au plus tard le 31/08/2027, fin de l'année "
                             "scolaire 2026-2027.")
    assert lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_ALL)) == []
