"""Personal data and backups through the real widgets: a donor's data exported and erased
from the Dons list's right-click menu, the yearly purge, a backup before a batch of receipts,
and the second backup folder (chosen, present, missing)."""

import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from occe_bureau import clock, gifts, safety
from tests.core.donations_helpers import gift, make_coop, person, setup_association
from tests.core.test_privacy import build_office
from tests.ui.conftest import make_window
from tests.pdf import pdf_text
from tests.ui.typing import type_text
from ui.gifts import tab as tab_module
from ui.gifts.donor_menu import KEPT_RECEIPT, PERSONAL_DATA, donor_menu, receipt_menu
from ui.gifts.receipt_batch_dialog import BatchDialog
from ui.shell import dialogs, pdf_preview
from ui.shell.backups_dialog import BackupPlacesDialog
from ui.shell.privacy_dialog import PersonalDataDialog, PurgeDialog, offer_yearly_purge
from ui.shell.table_model import OBJECT_ROLE


def gifts_tab(window):
    from ui.shell.main_window import TABS

    window.tabs.setCurrentIndex([t for t, _f in TABS].index("Dons et reçus"))
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.DonationsTab))
    assert tab._loaded
    return tab


def rows(model):
    return [model.index(r, 0).data(OBJECT_ROLE) for r in range(model.rowCount())]


def select_donor(tab, name):
    for index, row in enumerate(tab.donation_model.rows()):
        if row.donor_name == name:
            tab.donation_table.selectRow(index)
            return row
    raise AssertionError(f"{name} not listed")


def menu_action(tab, label):
    menu = donor_menu(tab)
    return next(a for a in menu.actions() if a.text() == label)


def test_a_donor_s_data_exported_from_the_right_click_menu(qtbot, window, monkeypatch, tmp_path):
    tab = gifts_tab(window)
    row = rows(tab.donation_model)[0]
    select_donor(tab, row.donor_name)
    saved, said = tmp_path / "export", []
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(saved))
    monkeypatch.setattr(dialogs, "ask_open_exported", lambda parent, title, text: said.append(text) or "")

    def run(dialog):
        sections = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
        assert sections[:3] == ["Donateur", "Dons", "Reçus fiscaux"] or sections[:2] == ["Donateur", "Dons"]
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(PersonalDataDialog, "exec", run)
    menu_action(tab, PERSONAL_DATA).trigger()
    book = load_workbook(tmp_path / "export.xlsx", read_only=True)
    donor = [list(r) for r in book["Donateur"].iter_rows(values_only=True)]
    details = gifts.get_donor(tab.db, row.donor_id)
    assert dict(zip(donor[0], donor[1]))["Nom"] == details.last_name
    gift_dates = [r[0] for r in book["Dons"].iter_rows(min_row=2, values_only=True)]
    assert row.received_on.strftime("%d/%m/%Y") in gift_dates
    assert said and "enregistrement" in said[0]


def test_erasure_on_request_through_the_dialog(qtbot, db, tmp_path, monkeypatch):
    office = build_office(db)
    kept_number = gifts.receipt_doc(db, office["receipts"][1]).number
    window = make_window(qtbot, db, tmp_path)
    tab = gifts_tab(window)
    select_donor(tab, "Martin Claire")
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda parent, title, text, **k: asked.append(text) or True)

    def run(dialog):
        coop = dialog.item_of(f"mandataire:{office['other']}")
        assert coop.checkState(0) == Qt.CheckState.Unchecked  # same name elsewhere: to confirm
        coop.setCheckState(0, Qt.CheckState.Checked)
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(PersonalDataDialog, "exec", run)
    menu_action(tab, PERSONAL_DATA).trigger()
    (text,) = asked
    assert "Seront effacés" in text and f"Reçu n° {kept_number}" in text
    assert "jusqu'au 31/12/2031" in text and "Mandataire de la coopérative 92-0002" in text
    assert [r for r in rows(tab.donation_model) if r.donor_id == office["donor"]] == []
    tab.pages.setCurrentIndex(1)
    assert rows(tab.receipt_model) == []
    assert "effacées" in window.status_text.text()
    # Still verifiable and printable as a duplicate, found by its exact number.
    shown = []
    monkeypatch.setattr(dialogs, "ask_line", lambda *a: kept_number)
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda parent, pdf, title, name: shown.append((title, pdf)))
    next(a for a in receipt_menu(tab).actions() if a.text() == KEPT_RECEIPT).trigger()
    ((title, pdf),) = shown
    assert title == f"Reçu fiscal n° {kept_number} (duplicata)"
    assert "Martin" in pdf_text(pdf) and "DUPLICATA" in pdf_text(pdf).upper()


def test_the_yearly_purge_from_the_file_menu_and_offered_once(qtbot, db, tmp_path, monkeypatch):
    setup_association(db)
    coop = make_coop(db)
    for last in ("Ancien", "Vieux"):
        (g,) = gifts.enter_request(db, coop, [gift("30", on=date(2018, 5, 2), donor=person(last, "Jean"))],
                                   today=date(2018, 5, 2))
        gifts.issue_receipt(db, g, today=date(2018, 5, 3))
    window = make_window(qtbot, db, tmp_path)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda parent, title, text, **k: asked.append(text) or False)
    assert offer_yearly_purge(db, window) is False  # "Plus tard"
    assert "2 éléments ont dépassé leur durée de conservation" in asked[0]
    assert offer_yearly_purge(db, window) is False and len(asked) == 1  # once a year
    monkeypatch.setattr(dialogs, "ask_confirm", lambda parent, title, text, **k: asked.append(text) or True)

    def run(dialog):
        labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert labels[0].startswith("Donateur Ancien Jean") and "31/12/2024" in labels[0]
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # Vieux stays
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(PurgeDialog, "exec", run)
    action = next(a for a in window.menuBar().actions()[0].menu().actions()
                  if a.text().replace("&", "").startswith("Purge annuelle"))
    action.trigger()
    assert "Effacer 1 élément coché" in asked[-1]
    assert [r.donor_display for r in gifts.list_receipts(db, gifts.ReceiptFilter())] == ["Vieux Jean"]


@pytest.mark.sqlite_only  # backups are of the SQLite file (a server has its own)
def test_a_backup_before_every_batch_of_receipts(qtbot, window, monkeypatch):
    tab = gifts_tab(window)
    monkeypatch.setattr(BatchDialog, "exec", lambda dialog: 1)
    monkeypatch.setattr(tab_module, "confirm_batch_printed", lambda parent, result: True)
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda *a: None)
    before = len(gifts.list_receipts(tab.db, gifts.ReceiptFilter()))
    assert gifts.pending_count(tab.db, gifts.BatchSelection()) > 0
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    (backup,) = [b for b in safety.list_backups(window.paths.backups) if b.reason == "avant-lot-de-recus"]
    assert safety.contents(backup.path).counts["tax_receipt"] == before
    assert len(gifts.list_receipts(tab.db, gifts.ReceiptFilter())) > before


@pytest.mark.sqlite_only  # backups are of the SQLite file (a server has its own)
def test_the_second_backup_folder_chosen_present_then_missing(qtbot, window, monkeypatch, tmp_path):
    key = tmp_path / "cle_usb"
    dialog = BackupPlacesDialog(window.paths, window)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.second, str(tmp_path / "absent"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "introuvable" in dialog.error.text() and safety.second_folder(window.paths) is None
    key.mkdir()
    monkeypatch.setattr(dialogs, "ask_directory", lambda *a: str(key))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() and safety.second_folder(window.paths) == key

    infos, warnings = [], []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(text))
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warnings.append(text))
    window.backup_now()
    assert len(safety.list_backups(key)) == 1 and str(key) in infos[-1] and warnings == []
    shutil.rmtree(key)  # the key unplugged
    window.backup_now()
    assert "introuvable" in warnings[-1] and "clé USB" in warnings[-1]
    # The data folder's backup is still made (the day's newest kept by the thinning).
    (newest,) = safety.list_backups(window.paths.backups)
    assert newest.reason == "manuelle-2" and str(newest.path) in infos[-1]


def test_a_person_looked_up_by_name_from_the_file_menu(qtbot, db, tmp_path, monkeypatch):
    office = build_office(db)
    window = make_window(qtbot, db, tmp_path)
    monkeypatch.setattr(dialogs, "ask_line", lambda *a: "Claire MARTIN")
    seen = {}

    def run(dialog):
        seen.update({h.ref: dialog.item_of(h.ref).checkState(0) for h in dialog.holdings})
        return 0

    monkeypatch.setattr(PersonalDataDialog, "exec", run)
    action = next(a for a in window.menuBar().actions()[0].menu().actions()
                  if a.text().replace("&", "").startswith("Données personnelles"))
    action.trigger()
    assert {f"donor:{office['donor']}", f"mandataire:{office['other']}",
            f"borrower:{office['loan']}"} <= set(seen)
    assert set(seen.values()) == {Qt.CheckState.Unchecked}  # found by name: each to confirm
