"""Issue 8, what the secretary sees of the tax rules: the declaration of the last closed
year, summaries offered for the calendar year."""

import pytest
from PySide6.QtCore import Qt

from occe_bureau import clock, gifts
from tests.pdf import pdf_text
from ui.gifts import tab as tab_module
from ui.gifts.receipt_batch_dialog import BatchDialog
from ui.shell import pdf_preview


@pytest.fixture
def tab(window):
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "Dons et reçus")
    window.tabs.setCurrentIndex(index)
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.DonationsTab))
    assert tab._loaded
    return tab


def test_the_declaration_opens_on_the_last_closed_year(qtbot, tab, monkeypatch):
    shown = []
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda parent, pdf, title, name: shown.append((title, pdf)))
    current = gifts.current_financial_year(tab.db)
    assert tab.year == current  # the tab shows the open year (2025-2026 on the suite's day)…
    qtbot.mouseClick(tab.declaration_button, Qt.MouseButton.LeftButton)
    title, pdf = shown[-1]
    closed = gifts.financial_year_label(current - 1, gifts.financial_year_start(tab.db))
    assert closed in title and f"exercice {closed}" in pdf_text(pdf)  # …the declaration, the closed one
    assert "Fait à" in pdf_text(pdf)


def test_a_summary_batch_offers_the_last_calendar_year(qtbot, tab):
    dialog = BatchDialog(tab.db, None, tab.year)
    qtbot.addWidget(dialog)
    last = clock.today().year - 1
    dialog.summary_check.setChecked(True)
    assert (dialog.start.value().isoformat(), dialog.end.value().isoformat()) == (
        f"{last}-01-01", f"{last}-12-31")
    assert dialog.selection().start.year == dialog.selection().end.year == last


def test_the_type_of_organisation_is_chosen_among_the_cerfa_boxes(qtbot, tab, monkeypatch):
    from PySide6.QtWidgets import QComboBox

    from tests.ui.typing import type_text
    from ui.shell import dialogs
    from ui.shell.settings_dialog import SettingsDialog

    monkeypatch.setattr(dialogs, "show_warning", lambda *a, **k: None)
    dialog = SettingsDialog(tab.db)
    qtbot.addWidget(dialog)
    choice = dialog.setting_widgets[gifts.BENEFICIARY_TYPE.key]
    assert isinstance(choice, QComboBox)  # no free text
    assert choice.currentData() == gifts.OrganisationType.INTERET_GENERAL
    choice.setCurrentIndex(choice.findData(gifts.OrganisationType.RUP))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0  # the decree's dates are missing: nothing saved
    assert "reconnue d'utilité publique" in dialog.errors.message(gifts.RUP_DECREE.key)
    from occe_bureau.association import setting_value

    assert setting_value(tab.db, gifts.BENEFICIARY_TYPE) != gifts.OrganisationType.RUP
    type_text(qtbot, dialog.setting_widgets[gifts.RUP_DECREE.key], "12/03/1959")
    type_text(qtbot, dialog.setting_widgets[gifts.RUP_JOURNAL.key], "20/03/1959")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert setting_value(tab.db, gifts.BENEFICIARY_TYPE) == gifts.OrganisationType.RUP


def test_cancelling_before_the_issue_date_is_refused_in_french(qtbot, tab, monkeypatch):
    from datetime import timedelta

    from ui.shell import dialogs
    from ui.shell.table_model import select_row_id

    gid = gifts.list_donations(tab.db, gifts.DonationFilter(pending_only=True))[0].id
    with clock.fixed(clock.today() + timedelta(days=2)):  # a workstation whose clock ran ahead
        rid = gifts.issue_receipt(tab.db, gid)
    tab.reload(select_receipt=rid)
    tab.pages.setCurrentIndex(1)
    select_row_id(tab.receipt_table, rid)
    warned = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Erreur sur le nom")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warned.append(text))
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert warned and "précède l'émission du reçu" in warned[0]
    assert not next(r for r in gifts.list_receipts(tab.db, gifts.ReceiptFilter()) if r.id == rid).cancelled
