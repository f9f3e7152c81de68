"""Two real forms open on the same record: the second save never overwrites the first. It
stays open with who changed the record and when, offers to reload it (the new values in the
fields, what was typed shown under each field that differs), and closing works as before."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from occe_bureau import gifts, lending, workstation
from occe_bureau.association import get_association
from occe_bureau.coops import CoopData, YearData, create_coop, get_coop
from occe_bureau.gifts.models import TaxReceipt
from tests.core import donations_helpers as dh
from tests.ui.conftest import make_window
from tests.ui.typing import type_text
from ui.coops.coop_dialog import CoopDialog
from ui.gifts.donor_dialog import DonorDialog
from ui.lending.loan_dialogs import ReturnDialog
from ui.shell import dialogs
from ui.shell.settings_dialog import SettingsDialog

CLICK = Qt.MouseButton.LeftButton
YEAR = 2025


def opened(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, CLICK)


@pytest.fixture
def coop_id(db):
    return create_coop(db, CoopData(number="92-0001", name="École maternelle Jean Jaurès",
                                    kind="maternelle", commune="Nanterre",
                                    mandataire_name="Élodie Martin"),
                       {YEAR: YearData(classes=4, pupils=90, adults=8)})


def test_two_coop_forms_the_mandataire_entered_first_is_not_lost(qtbot, db, coop_id, monkeypatch):
    first = opened(qtbot, CoopDialog(db, coop_id, YEAR))
    second = opened(qtbot, CoopDialog(db, coop_id, YEAR))

    first.mandataire_name.clear()
    type_text(qtbot, first.mandataire_name, "Karim Haddad")
    with workstation.acting_as("marie", "BUREAU-2"):
        save(qtbot, first)
    assert first.result() == 1

    type_text(qtbot, second.mandataire_phone, "01 47 21 00 00")
    second.pupils.clear()
    type_text(qtbot, second.pupils, "95")
    save(qtbot, second)
    assert second.isVisible() and second.result() == 0
    message = second.general_error.text()
    assert message.startswith("Cette fiche a été modifiée par marie sur BUREAU-2 le 12/03/2026 à ")
    assert "n'ont pas été enregistrés" in message
    assert second.reload_button.isVisible()
    stored = get_coop(db, coop_id)
    assert stored.data.mandataire_name == "Karim Haddad"
    assert (stored.data.mandataire_phone, stored.years[YEAR].pupils) == ("", 90)

    # Closing still asks while what was typed is only in the form.
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[1]) or False)
    qtbot.mouseClick(second.cancel_button, CLICK)
    assert asked == ["Fermer sans enregistrer ?"] and second.isVisible()

    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.mandataire_name.text() == "Karim Haddad"  # the change made meanwhile
    assert second.mandataire_phone.text() == ""
    assert second.error_text("mandataire_phone") == "Vous aviez saisi : « 01 47 21 00 00 »"
    assert second.errors.message("pupils") == "Vous aviez saisi : « 95 »"
    assert second.errors.message("mandataire_name") == ""  # changed elsewhere, not by me
    assert not second.reload_button.isVisible()
    assert "rechargée avec ses nouvelles valeurs" in second.general_error.text()

    type_text(qtbot, second.mandataire_phone, "01 47 21 00 00")
    save(qtbot, second)
    assert second.result() == 1
    stored = get_coop(db, coop_id)
    assert (stored.data.mandataire_name, stored.data.mandataire_phone) == (
        "Karim Haddad", "01 47 21 00 00")


def test_a_reloaded_form_closes_without_asking(qtbot, db, coop_id, monkeypatch):
    first = opened(qtbot, CoopDialog(db, coop_id, YEAR))
    second = opened(qtbot, CoopDialog(db, coop_id, YEAR))
    type_text(qtbot, first.notes, "Appeler en septembre.")
    save(qtbot, first)
    type_text(qtbot, second.director, "Mme Lambert")
    save(qtbot, second)
    assert second.reload_button.isVisible()
    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.notes.toPlainText() == "Appeler en septembre."
    qtbot.mouseClick(second.cancel_button, CLICK)  # nothing typed since: no question
    assert not second.isVisible() and second.result() == 0
    assert get_coop(db, coop_id).data.director == ""


def test_two_settings_dialogs_a_new_signatory_is_not_reverted(qtbot, db):
    dh.setup_association(db)
    coop = dh.make_coop(db)
    gift_id = gifts.create_donation(db, dh.gift(coop_id=coop), today=dh.TODAY)
    first = opened(qtbot, SettingsDialog(db))
    second = opened(qtbot, SettingsDialog(db))

    first.signatory_name.clear()
    type_text(qtbot, first.signatory_name, "Nadia Benali")
    with workstation.acting_as("marie", "BUREAU-2"):
        save(qtbot, first)
    assert first.result() == 1

    type_text(qtbot, second.phone, "01 47 21 00 00")
    save(qtbot, second)
    assert second.isVisible() and second.result() == 0
    assert second.general_error.text().startswith(
        "Les paramètres de l'association ont été modifiés par marie sur BUREAU-2 le 12/03/2026")
    assert get_association(db).signatory_name == "Nadia Benali"
    assert get_association(db).phone == ""

    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.signatory_name.text() == "Nadia Benali"
    assert second.errors.message("signatory_name") == ""  # changed elsewhere, not here
    type_text(qtbot, second.phone, "01 47 21 00 00")
    save(qtbot, second)
    assert second.result() == 1
    assert (get_association(db).signatory_name, get_association(db).phone) == (
        "Nadia Benali", "01 47 21 00 00")

    # The receipts printed from now on carry the new signatory.
    receipt_id = gifts.issue_receipt(db, gift_id, today=dh.TODAY)
    with db.session() as s:
        assert s.scalar(select(TaxReceipt.signatory_name).where(TaxReceipt.id == receipt_id)) == (
            "Nadia Benali")


def test_two_donor_forms_the_second_save_is_refused_then_reloaded(qtbot, db):
    dh.setup_association(db)
    coop = dh.make_coop(db)
    gift_id = gifts.create_donation(db, dh.gift(coop_id=coop), today=dh.TODAY)
    donor_id = next(r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())
                    if r.id == gift_id)
    first = opened(qtbot, DonorDialog(db, donor_id))
    second = opened(qtbot, DonorDialog(db, donor_id))
    first.fields["city"].clear()
    type_text(qtbot, first.fields["city"], "Puteaux")
    with workstation.acting_as("marie", "BUREAU-2"):
        qtbot.mouseClick(first.save_button, CLICK)
    assert first.result() == 1
    type_text(qtbot, second.fields["email"], "claire.martin@example.fr")
    qtbot.mouseClick(second.save_button, CLICK)
    assert second.isVisible() and second.result() == 0
    assert "modifiée par marie sur BUREAU-2" in second.general_error.text()
    assert gifts.get_donor(db, donor_id).email == ""
    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.fields["city"].text() == "Puteaux"
    assert second.errors.message("email") == "Vous aviez saisi : « claire.martin@example.fr »"
    type_text(qtbot, second.fields["email"], "claire.martin@example.fr")
    qtbot.mouseClick(second.save_button, CLICK)
    assert second.result() == 1
    donor = gifts.get_donor(db, donor_id)
    assert (donor.city, donor.email) == ("Puteaux", "claire.martin@example.fr")


def test_a_return_over_a_loan_extended_elsewhere_is_refused_and_the_list_shows_it(
        qtbot, db, coop_id, tmp_path, monkeypatch):
    category = lending.list_categories(db)[0].id
    cam = lending.create_item(db, lending.ItemData(code="CAM-01", name="Caméra HD",
                                                   category_id=category))
    today = date(2026, 3, 12)
    loan_id = lending.create_loan(db, lending.LoanData(
        coop_id=coop_id, borrower="Mme B", start_date=today - timedelta(days=3),
        due_date=today + timedelta(days=2), item_ids=[cam]))
    window = make_window(qtbot, db, tmp_path)
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())]
                                .index("Prêts"))
    page = window.tabs.currentWidget().loans_page
    page.table.selectRow(0)
    assert page.selected().id == loan_id
    seen = {}

    def run_return(dialog: ReturnDialog):
        dialog.set_returned([cam])
        with workstation.acting_as("marie", "BUREAU-2"):
            lending.extend_loan(db, loan_id, today + timedelta(days=9))
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen["message"] = dialog.general_error.text()
        seen["reload"] = dialog.reload_button.isVisible()
        seen["open"] = dialog.result() == 0
        return 0  # the secretary closes it

    monkeypatch.setattr(ReturnDialog, "exec", run_return)
    qtbot.mouseClick(page.return_button, CLICK)
    assert seen["open"] and not seen["reload"]
    assert seen["message"].startswith("Ce prêt a été modifié par marie sur BUREAU-2 le 12/03/2026")
    assert lending.get_loan(db, loan_id).lines[0].status == lending.LineStatus.OUT
    assert page.selected().due_date == today + timedelta(days=9)  # the list shows it anew


def test_two_item_forms_the_second_save_is_refused_then_reloaded(qtbot, db):
    from ui.lending.inventory_dialogs import ItemDialog

    category = lending.list_categories(db)[0].id
    item_id = lending.create_item(db, lending.ItemData(code="CAM-01", name="Caméra HD",
                                                       category_id=category))
    first = opened(qtbot, ItemDialog(db, item_id))
    second = opened(qtbot, ItemDialog(db, item_id))
    first.accessories.setPlainText("caméra\ntrépied")
    with workstation.acting_as("marie", "BUREAU-2"):
        save(qtbot, first)
    assert first.result() == 1
    second.name.clear()
    type_text(qtbot, second.name, "Caméra 4K")
    save(qtbot, second)
    assert second.isVisible() and second.reload_button.isVisible()
    assert lending.get_item(db, item_id).data.name == "Caméra HD"
    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.accessories.toPlainText() == "caméra\ntrépied"
    assert second.errors.message("name") == "Vous aviez saisi : « Caméra 4K »"
    second.name.clear()
    type_text(qtbot, second.name, "Caméra 4K")
    save(qtbot, second)
    assert second.result() == 1
    stored = lending.get_item(db, item_id).data
    assert (stored.name, stored.accessories) == ("Caméra 4K", "caméra\ntrépied")


def test_a_booking_form_over_a_booking_changed_elsewhere_is_refused_then_reloaded(qtbot, db,
                                                                                  coop_id):
    from ui.lending.loan_dialogs import LoanDialog

    category = lending.list_categories(db)[0].id
    cam = lending.create_item(db, lending.ItemData(code="CAM-01", name="Caméra HD",
                                                   category_id=category))
    start = date(2026, 4, 1)
    loan_id = lending.create_booking(db, lending.LoanData(
        coop_id=coop_id, borrower="Mme B", start_date=start, due_date=start + timedelta(days=6),
        item_ids=[cam]))
    form = opened(qtbot, LoanDialog(db, loan_id=loan_id))
    with workstation.acting_as("marie", "BUREAU-2"):
        lending.extend_loan(db, loan_id, start + timedelta(days=9))
    type_text(qtbot, form.handed_over_by, "Julie")
    save(qtbot, form)
    assert form.isVisible() and "Ce prêt a été modifié par marie" in form.general_error.text()
    assert lending.get_loan(db, loan_id).handed_over_by == ""
    qtbot.mouseClick(form.reload_button, CLICK)
    assert form.due_date.value() == start + timedelta(days=9)
    assert form.errors.message("handed_over_by") == "Vous aviez saisi : « Julie »"
    type_text(qtbot, form.handed_over_by, "Julie")
    save(qtbot, form)
    assert form.result() == 1
    loan = lending.get_loan(db, loan_id)
    assert (loan.due_date, loan.handed_over_by) == (start + timedelta(days=9), "Julie")


def test_renaming_a_category_renamed_elsewhere_is_refused_and_the_list_shows_it(qtbot, db,
                                                                               monkeypatch):
    from ui.lending.inventory_dialogs import CategoriesDialog

    dialog = opened(qtbot, CategoriesDialog(db))
    dialog.list.setCurrentRow(0)
    row = dialog.current()
    with workstation.acting_as("marie", "BUREAU-2"):
        lending.rename_category(db, row.id, "Vidéo et son")
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Prise de vue")
    qtbot.mouseClick(dialog.rename_button, CLICK)
    assert dialog.message.text().startswith("Cette catégorie a été modifiée par marie sur BUREAU-2")
    assert dialog.list.item(0).text().startswith("Vidéo et son")
    assert next(c.name for c in lending.list_categories(db) if c.id == row.id) == "Vidéo et son"
