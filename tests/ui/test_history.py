"""The Historique: a coop edited through its real form, then its history opened from the
list's right-click menu and from the form's button; every change in Fichier ▸ Historique des
modifications, filtered and paged; nothing in it can be edited."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from occe_bureau import audit, clock, coops, gifts, lending
from occe_bureau.coops import register as svc
from ui.coops.coop_dialog import CoopDialog
from ui.shell import history_dialog
from ui.shell.history_dialog import ChangesWindow, HistoryDialog, HistoryModel
from ui.shell.table_model import OBJECT_ROLE

from tests.ui.typing import type_text


@pytest.fixture(autouse=True)
def at_the_office(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "secretariat")
    monkeypatch.setattr("socket.gethostname", lambda: "POSTE-ACCUEIL")
    audit.operator.cache_clear()
    yield
    audit.operator.cache_clear()


def open_dialogs() -> list[HistoryDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryDialog) and w.isVisible()]


def cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def right_click_first_entry(monkeypatch, view, row: int, wanted: str = "Historique…") -> list[list[str]]:
    """Right-click a row and choose an entry of the menu (the menu is not shown); the texts of
    each menu that opened."""
    opened = []

    def choose(menu, _position):
        opened.append([a.text() for a in menu.actions() if not a.isSeparator()])
        next(a for a in menu.actions() if a.text() == wanted).trigger()

    monkeypatch.setattr(history_dialog, "popup", choose)
    rect = view.visualRect(view.model().index(row, 1))
    view.customContextMenuRequested.emit(rect.center())
    return opened


def test_a_coop_edited_through_its_form_shows_the_change_in_its_history(qtbot, window, monkeypatch):
    tab = window.tab_widgets[0]
    tab.table.selectRow(0)
    target = tab.selected()
    with clock.fixed(datetime(2026, 3, 12, 15, 42)):
        def run(dialog):
            dialog.name.clear()
            type_text(qtbot, dialog.name, "École Rosa Parks")
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            return dialog.result()

        monkeypatch.setattr(CoopDialog, "exec", run)
        qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)

    row = next(r for r in range(tab.model.rowCount())
               if tab.model.index(r, 0).data(OBJECT_ROLE).id == target.id)
    right_click_first_entry(monkeypatch, tab.table, row)
    (dialog,) = open_dialogs()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Historique — {target.number} École Rosa Parks"
    model = dialog.model
    last = cells(model, 0)  # newest first
    when = datetime(2026, 3, 12, 15, 42, tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M")
    assert last[:4] == [when, "secretariat", "POSTE-ACCUEIL", "Modification"]
    assert last[4] == f"Nom : « {target.name} » → « École Rosa Parks »"
    assert "modification" in dialog.summary.text() and "ne se modifie pas" in dialog.summary.text()
    # Read only: nothing in the table can be edited.
    assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not (model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable)
    dialog.close()


def test_the_coop_form_has_a_history_button(qtbot, demo_db):
    (first, *_rest) = svc.list_coops(demo_db, svc.CoopFilter(year=2025))
    coops.set_archived(demo_db, first.id, True)
    dialog = CoopDialog(demo_db, first.id, 2025)
    qtbot.addWidget(dialog)
    button = dialog.findChild(type(dialog.save_button), "history_button")
    assert button is not None and button.text() == "Historique…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (history,) = open_dialogs()
    qtbot.addWidget(history)
    assert cells(history.model, 0)[3] == "Archivage"
    history.close()
    new = CoopDialog(demo_db, None, 2025)
    qtbot.addWidget(new)
    assert new.findChild(type(new.save_button), "history_button") is None  # nothing to show yet


def test_history_models_pass_the_model_tester(qtmodeltester, db):
    cid = coops.create_coop(db, coops.CoopData(number="92-0001", name="École A", kind="maternelle"))
    coops.set_archived(db, cid, True)
    from occe_bureau import safety

    for every in (False, True):
        model = HistoryModel(every_record=every)
        model.set_rows(safety.record_history(db, "coop", cid))
        assert model.rowCount() == 2
        qtmodeltester.check(model)


def test_every_change_window_filters_and_pages(qtbot, db):
    with clock.fixed(datetime(2026, 1, 10, 9)):
        for n in range(1, 206):
            coops.create_coop(db, coops.CoopData(number=f"92-{n:04d}", name=f"École {n}",
                                                 kind="primaire"))
    with clock.fixed(datetime(2026, 3, 12, 9)):
        category = lending.list_categories(db)[0].id
        lending.create_item(db, lending.ItemData(code="CAM-01", name="Caméra", category_id=category))

    window = ChangesWindow(db)
    qtbot.addWidget(window)
    window.show()
    assert window.page_label.text() == "206 modifications — page 1 sur 2"
    assert window.model.rowCount() == 200
    assert cells(window.model, 0)[4:6] == ["Matériel", "CAM-01 Caméra"]  # newest first
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.page_label.text() == "206 modifications — page 2 sur 2"
    assert window.model.rowCount() == 6 and not window.next_button.isEnabled()

    window.kind.setCurrentIndex(window.kind.findData("item"))
    assert window.page_label.text() == "1 modification — page 1 sur 1"
    window.kind.setCurrentIndex(0)
    window.period.setChecked(True)
    window.start.setDate(datetime(2026, 3, 1).date())
    window.end.setDate(datetime(2026, 3, 31).date())
    assert window.model.rowCount() == 1
    window.end.setDate(datetime(2026, 2, 1).date())
    assert window.page_label.text() == "Période : la date de début est après la date de fin."
    assert window.model.rowCount() == 0
    window.period.setChecked(False)
    window.user.setCurrentIndex(window.user.findData("secretariat"))
    assert window.page_label.text().startswith("206 modifications")
    assert window.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers


def test_the_file_menu_opens_every_change(qtbot, window):
    file_menu = window.menuBar().actions()[0].menu()
    entry = next(a for a in file_menu.actions() if a.text() == "&Historique des modifications…")
    entry.trigger()
    changes = window.changes_window
    qtbot.waitUntil(changes.isVisible)
    assert changes.windowTitle() == "Historique des modifications"
    changes.close()


def test_a_receipt_s_history_from_the_gifts_lists(qtbot, window, monkeypatch):
    tab = next(t for t in (window.tab(i) for i in range(window.tabs.count()))
               if type(t).__name__ == "DonationsTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._loaded)
    row = next(r for r in range(tab.receipt_model.rowCount())
               if not tab.receipt_model.row_at(r).cancelled)
    receipt = tab.receipt_model.row_at(row)
    gifts.cancel_receipt(window.db, receipt.id, "Erreur de montant")
    opened = right_click_first_entry(monkeypatch, tab.receipt_table, row, "Historique du reçu…")
    # One menu, with the list's own entries and the history's (two menus opened one after the other).
    assert len(opened) == 1 and "Aperçu / imprimer…" in opened[0] and "Historique du reçu…" in opened[0]
    (dialog,) = open_dialogs()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Historique — reçu {receipt.number}"
    line = cells(dialog.model, 0)
    assert line[3] == "Annulation" and "Motif de l'annulation : (vide) → « Erreur de montant »" in line[4]
    dialog.close()


def test_the_list_of_material_offers_its_history(qtbot, window, monkeypatch):
    tab = next(t for t in (window.tab(i) for i in range(window.tabs.count()))
               if type(t).__name__ == "LoansTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._loaded)
    page = next(p for p in tab.findChildren(QWidget) if type(p).__name__ == "ItemsPage")
    page.reload()  # the page fills when shown
    item = page.model.row_at(0)
    right_click_first_entry(monkeypatch, page.table, 0)
    (dialog,) = open_dialogs()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Historique — {item.code} {item.name}"
    # The demo's material was built before any history: said plainly.
    assert dialog.summary.text() == "Aucune modification enregistrée."
    dialog.close()
    loans = next(p for p in tab.findChildren(QWidget) if type(p).__name__ == "LoansPage")
    assert loans.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
