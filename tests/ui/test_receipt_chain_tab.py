"""« Vérifier les reçus » in the Dons tab: the chain recomputed with a progress bar, the
result said; a receipt changed on the file directly is named and selected."""

import sqlite3

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from ui.gifts import tab as tab_module
from ui.shell import dialogs
from ui.shell.main_window import TABS


@pytest.fixture
def tab(window):
    window.tabs.setCurrentIndex([t for t, _f in TABS].index("Dons et reçus"))
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.DonationsTab))
    assert tab._loaded
    return tab


def said(monkeypatch) -> list:
    boxes = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, msg: boxes.append(("info", title, msg)))
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, msg: boxes.append(("warning", title, msg)))
    return boxes


def test_verifying_an_intact_demo_says_how_many_receipts_were_checked(qtbot, tab, monkeypatch):
    boxes = said(monkeypatch)
    with tab.db.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM tax_receipt")).scalar()
    assert count > 1000
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes))
    from occe_bureau.formats import format_int

    assert boxes == [("info", "Reçus vérifiés", f"{format_int(count)} reçus fiscaux vérifiés : aucun n'a "
                      "été modifié, supprimé, ajouté ni déplacé en dehors de l'application.")]


@pytest.mark.sqlite_only  # the sqlite3 module on the file itself
def test_a_receipt_changed_on_the_file_is_named_and_selected(qtbot, tab, monkeypatch):
    """A receipt of the year before the one shown: the tab goes to its year and selects it."""
    from occe_bureau import gifts

    boxes = said(monkeypatch)
    earlier = gifts.list_receipts(tab.db, gifts.ReceiptFilter(year=tab.year - 1))
    shown = earlier[len(earlier) // 2]
    con = sqlite3.connect(tab.db.sqlite_file, isolation_level=None)
    con.execute("DROP TRIGGER tax_receipt_frozen")
    con.execute("DROP TRIGGER tax_receipt_identity")  # 0012: the donor's identity guarded too
    con.execute("UPDATE tax_receipt SET amount_cents = amount_cents * 10, donor_name = 'Escroc' "
                "WHERE id = ?", (shown.id,))
    con.close()
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes))
    kind, title, message = boxes[0]
    assert (kind, title) == ("warning", "Reçu modifié")
    assert message.startswith(f"Le reçu n° {shown.number} a été modifié en dehors de l'application")
    assert "gardez le fichier tel quel" in message
    assert tab.year == tab.year_combo.currentData() == shown.year
    assert tab.pages.currentIndex() == 1 and tab.selected_receipt().id == shown.id


def test_at_start_a_receipt_changed_on_the_file_is_said_and_a_backup_offered(tmp_path, monkeypatch):
    """The check at start, as the secretary meets it: the file is set aside, the receipt is
    named in the box that offers the newest sound backup."""
    from occe_bureau import gifts, safety
    from occe_bureau.db import Database
    from occe_bureau.migrate import prepare_database
    from occe_bureau.paths import DataPaths
    from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association
    from ui.shell import safekeeping

    paths = DataPaths(tmp_path / "data").ensure()
    db = Database(paths.sqlite_url)
    prepare_database(db, paths.backups)
    setup_association(db)
    coop = make_coop(db)
    for last in ("Nowak", "Dupont", "Bernard"):
        gid = gifts.create_donation(db, gift("40", coop_id=coop, donor=person(last, "Ana")), today=TODAY)
        gifts.issue_receipt(db, gid, today=TODAY)
    db.dispose()
    assert safekeeping.ContentCheck(paths.database).result().usable
    safety.take_backup(paths.database, paths.backups, "fermeture")
    con = sqlite3.connect(paths.database, isolation_level=None)
    con.execute("DROP TRIGGER tax_receipt_frozen")
    con.execute("UPDATE tax_receipt SET amount_cents = 400000 WHERE seq = 2")
    con.close()
    found = safekeeping.ContentCheck(paths.database).result()
    assert not found.usable
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or True)
    assert safekeeping.recover(paths, found) is True
    assert asked[0].startswith("La base de données est endommagée : le reçu n° 2024-00002 a été "
                               "modifié en dehors de l'application")
    assert "Voulez-vous reprendre la sauvegarde du" in asked[0]
    restored = Database(paths.sqlite_url)
    assert gifts.verify_receipt_chain(restored).ok  # the backup's receipts, intact
    restored.dispose()
