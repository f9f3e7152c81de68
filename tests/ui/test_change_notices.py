"""Change notices: after an action, the tabs that show what changed reload when shown, and
the others do not reload at all."""

from PySide6.QtCore import Qt

from occe_bureau.coops import register as coops
from ui.shell import dialogs
from ui.shell.changes import Domain


def index_of(window, title):
    return next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == title)


def count_refreshes(monkeypatch, tab):
    calls = []
    real = tab.refresh
    monkeypatch.setattr(tab, "refresh", lambda: calls.append(1) or real())
    return calls


def test_archiving_a_coop_reloads_the_gifts_tab_when_shown(qtbot, window, monkeypatch):
    coops_tab = window.tab(index_of(window, "Coopératives"))
    gifts_index = index_of(window, "Dons et reçus")
    window.tabs.setCurrentIndex(gifts_index)  # built and loaded once
    gifts_tab = window.tab(gifts_index)
    window.tabs.setCurrentIndex(index_of(window, "Coopératives"))
    refreshed = count_refreshes(monkeypatch, gifts_tab)

    row = coops_tab.model.row_at(0)
    coops_tab.table.selectRow(0)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    qtbot.mouseClick(coops_tab.archive_button, Qt.MouseButton.LeftButton)
    assert coops.get_coop(window.db, row.id).archived
    assert refreshed == []  # not on screen: it reloads when shown, not before
    window.tabs.setCurrentIndex(gifts_index)
    assert refreshed == [1]
    window.tabs.setCurrentIndex(index_of(window, "Coopératives"))
    window.tabs.setCurrentIndex(gifts_index)
    assert refreshed == [1]  # shown again with nothing new: no reload


def test_a_tab_that_does_not_show_a_domain_is_not_reloaded(qtbot, window, monkeypatch):
    coops_tab = window.tab(index_of(window, "Coopératives"))
    refreshed = count_refreshes(monkeypatch, coops_tab)
    window.announce({Domain.GIFTS})
    window.announce({Domain.LENDING})
    assert refreshed == []
    window.announce({Domain.COOPS})  # on screen: at once
    assert refreshed == [1]
