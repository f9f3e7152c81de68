"""Safety at start and at close, as the secretary meets it: a second copy refused with who
holds the base; a damaged base set aside and the newest sound backup offered; automatic
backups when something changed, and a failed one said in a box."""

import sqlite3

from PySide6.QtWidgets import QMessageBox

from occe_bureau import safety
from occe_bureau.coops import CoopData, CoopKind, create_coop
from occe_bureau.db import Database
from occe_bureau.migrate import prepare_database
from occe_bureau.paths import DataPaths
from ui.shell import app, dialogs, safekeeping


def office(tmp_path, coops=3, name="École"):
    paths = DataPaths(tmp_path / "data").ensure()
    db = Database(paths.sqlite_url)
    prepare_database(db, paths.backups)
    for n in range(coops):
        create_coop(db, CoopData(number=f"92-0{n:03d}", name=f"{name} {n}", kind=CoopKind.PRIMAIRE))
    db.dispose()
    return paths


def coop_count(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM coop").fetchone()[0]
    finally:
        con.close()


def test_a_second_copy_on_the_same_base_is_refused_naming_who_holds_it(tmp_path, monkeypatch, qapp):
    paths = office(tmp_path)
    first = safety.DatabaseLock(paths.database)
    first.acquire()
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append(text))
    try:
        assert app.main(["--data-dir", str(paths.root)]) == 2
    finally:
        first.release()
    assert "déjà ouverte" in said[0] and safety.Holder.me().user in said[0]


def test_a_damaged_base_is_set_aside_and_the_newest_sound_backup_restored(tmp_path, monkeypatch):
    paths = office(tmp_path, coops=3)
    safety.take_backup(paths.database, paths.backups, "demarrage")
    paths.database.write_bytes(b"")  # emptied by an incident
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or True)
    found = safety.check_header(paths.database)
    assert not found.usable
    assert safekeeping.recover(paths, found) is True
    assert "vide" in asked[0] and "3 coopératives" in asked[0]
    assert coop_count(paths.database) == 3  # the backup's data is back
    assert list(paths.root.glob("occe_bureau_endommagee_*.sqlite3"))  # the damaged file is kept


def test_declining_the_restore_quits_without_touching_anything(tmp_path, monkeypatch):
    paths = office(tmp_path)
    safety.take_backup(paths.database, paths.backups, "demarrage")
    paths.database.write_text("pas une base", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)
    assert safekeeping.recover(paths, safety.check_header(paths.database)) is False
    assert not paths.database.exists()
    (kept,) = paths.root.glob("occe_bureau_endommagee_*.sqlite3")
    assert kept.read_text(encoding="utf-8") == "pas une base"


def test_an_automatic_backup_only_when_something_changed(tmp_path):
    paths = office(tmp_path)
    first = safekeeping.automatic_backup(paths, "demarrage")
    assert first is not None and safety.integrity_problem(first.path) is None
    assert safekeeping.automatic_backup(paths, "fermeture") is None  # nothing new since
    assert [b.reason for b in safety.list_backups(paths.backups)] == ["demarrage"]


def test_a_failed_backup_is_said_in_a_box(tmp_path, monkeypatch):
    paths = office(tmp_path, coops=60, name="x" * 140)  # enough pages for the damage to land in
    with paths.database.open("r+b") as handle:  # damage inside the data
        handle.seek(paths.database.stat().st_size // 2 // 4096 * 4096)
        handle.write(bytes(range(256)) * 16)  # a whole page overwritten
    said = []
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: said.append(text))
    assert safekeeping.automatic_backup(paths, "fermeture") is None
    assert said and "pas saine" in said[0]
    assert safety.list_backups(paths.backups) == []


def test_backup_now_then_restore_from_the_menu_and_every_tab_reloads(qtbot, tmp_path, monkeypatch):
    from tests.ui.conftest import make_window
    from ui.shell.restore_dialog import RestoreDialog

    paths = office(tmp_path, coops=3)
    db = Database(paths.sqlite_url)
    window = make_window(qtbot, db, paths.root)
    window.paths = paths
    infos = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(text))
    window.backup_now()
    assert "vérifiée" in infos[-1] and len(safety.list_backups(paths.backups)) == 1
    create_coop(db, CoopData(number="92-0999", name="Après la sauvegarde", kind=CoopKind.LYCEE))
    coops_tab = window.tab(0)
    coops_tab.refresh()
    assert coops_tab.model.rowCount() == 4

    def choose_first(dialog):
        dialog.list.setCurrentRow(0)
        assert "3 coopératives" in dialog.details.text()
        return 1

    monkeypatch.setattr(RestoreDialog, "exec", choose_first)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    window.restore()
    assert coop_count(paths.database) == 3
    assert coops_tab.model.rowCount() == 3  # the register shows the restored state at once
    assert [b.reason for b in safety.list_backups(paths.backups)][0] == "avant-restauration"
