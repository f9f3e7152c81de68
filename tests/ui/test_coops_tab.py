"""The Coopératives tab driven through its real widgets."""

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from occe_bureau import clock
from occe_bureau.coops.models import Coop, CoopKind, CoopYear
from occe_bureau.formats import school_year_of
from occe_bureau.coops import under_way as coop_activity
from occe_bureau.coops import register as svc
from ui.shell import dialogs
from ui.coops.coop_dialog import CoopDialog
from ui.coops.import_dialog import CoopImportDialog
from ui.coops.tab import CoopsTab
from ui.shell.table_model import OBJECT_ROLE

from tests.ui.typing import type_text


def tab_of(window) -> CoopsTab:
    return window.tab_widgets[0]


def shown(tab: CoopsTab) -> list[svc.CoopRow]:
    return [tab.model.index(r, 0).data(OBJECT_ROLE) for r in range(tab.model.rowCount())]


def count_coops(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Coop))


def test_search_as_you_type_ignores_accents_and_case(qtbot, window):
    tab = tab_of(window)
    everything = tab.model.rowCount()
    assert everything > 600
    type_text(qtbot, tab.search, "JAURES")
    rows = shown(tab)
    assert 0 < len(rows) < everything
    assert all("jaures" in r.search_key for r in rows)
    assert any("Jaurès" in r.name for r in rows)
    assert f"{len(rows)} coopérative" in tab.totals_label.text()
    tab.search.clear()
    assert tab.model.rowCount() == everything


def test_filters_by_type_and_circonscription_and_totals_follow(qtbot, window):
    tab = tab_of(window)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(CoopKind.MATERNELLE))
    rows = shown(tab)
    assert rows and all(r.kind == CoopKind.MATERNELLE for r in rows)
    assert f"{len(rows)} coopératives</b> ({len(rows)} maternelles)" in tab.totals_label.text()
    tab.circ_combo.setCurrentIndex(tab.circ_combo.findText("Nanterre 1"))
    narrowed = shown(tab)
    assert narrowed and len(narrowed) < len(rows)
    assert all(r.circonscription == "Nanterre 1" for r in narrowed)
    pupils = sum(r.pupils for r in narrowed)
    assert f"{pupils:,}".replace(",", "\u00a0") + " élèves" in tab.totals_label.text()


def test_report_year_totals_are_the_annual_report_figures(qtbot, window):
    tab = tab_of(window)
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(svc.CoopStatus.ALL))
    # The register opens on the last closed school year: the report's year.
    assert tab.year == school_year_of(clock.today()) - 1
    text = tab.totals_label.text().replace("\u00a0", " ")
    assert "625 coopératives" in text
    assert "268 maternelles, 249 élémentaires, 71 primaires, 19 collèges, 5 lycées, 1 SEGPA" in text
    assert "146 262 adhérents" in text and "6 198 classes" in text


def test_missing_documents_filter(qtbot, window):
    tab = tab_of(window)
    everything = tab.model.rowCount()
    tab.missing_check.setChecked(True)
    rows = shown(tab)
    assert 0 < len(rows) < everything
    assert all(r.missing_documents for r in rows)


def test_sorting_by_pupils(qtbot, window):
    tab = tab_of(window)
    column = [c.title for c in tab.model.columns].index("Élèves")
    tab.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    pupils = [r.pupils for r in shown(tab)]
    assert pupils == sorted(pupils, reverse=True)


def test_table_model_passes_qt_model_tester(qtmodeltester, qtbot, window):
    """The model the table really shows (archived rows styled), checked while it reloads,
    is searched and sorted."""
    tab = tab_of(window)
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(svc.CoopStatus.ALL))
    qtmodeltester.check(tab.model, force_py=True)
    type_text(qtbot, tab.search, "jau")
    tab.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    tab.search.clear()
    assert tab.model.rowCount() > 600


def fill_new_coop(qtbot, dialog: CoopDialog, **values):
    defaults = dict(number="92-9001", name="École maternelle Gisèle Halimi", uai="",
                    commune="Nanterre", pupils="84", adults="7", classes="4")
    defaults.update(values)
    for field in ("number", "name", "uai", "commune", "pupils", "adults", "classes"):
        edit = getattr(dialog, field)
        edit.clear()
        type_text(qtbot, edit, defaults[field])
    dialog.kind.setCurrentIndex(dialog.kind.findData(CoopKind.MATERNELLE))


def test_create_a_coop_through_the_form(qtbot, window, monkeypatch):
    tab = tab_of(window)

    def run(dialog):
        fill_new_coop(qtbot, dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CoopDialog, "exec", run)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    selected = tab.selected()
    assert selected is not None and selected.number == "92-9001"
    assert (selected.classes, selected.pupils, selected.adults) == (4, 84, 7)
    assert "92-9001 créée" in window.status_text.text()


def test_bad_input_is_shown_at_each_field_and_nothing_is_saved(qtbot, demo_db):
    before = count_coops(demo_db)
    dialog = CoopDialog(demo_db, None, 2026)
    qtbot.addWidget(dialog)
    fill_new_coop(qtbot, dialog, number="92-0001", name="<b>École</b>", uai="0920001Z",
                  pupils="-4")
    type_text(qtbot, dialog.mandataire_email, "pas-une-adresse")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert "balises" in dialog.error_text("name")
    assert "lettre de contrôle" in dialog.error_text("uai")
    assert "négatif" in dialog.error_text("pupils")
    assert "e-mail invalide" in dialog.error_text("mandataire_email")
    assert count_coops(demo_db) == before

    dialog.name.clear()
    type_text(qtbot, dialog.name, "x" * 151)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "150 au plus" in dialog.error_text("name")

    # Once the rest is right, the duplicate number names the coop that has it.
    dialog.name.clear()
    type_text(qtbot, dialog.name, "École maternelle Les Lilas")
    dialog.uai.clear()
    dialog.pupils.clear()
    type_text(qtbot, dialog.pupils, "40")
    dialog.mandataire_email.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "92-0001 est déjà celui de" in dialog.error_text("number")
    assert count_coops(demo_db) == before


def test_edit_a_coop_and_its_year(qtbot, window, monkeypatch):
    tab = tab_of(window)
    tab.table.selectRow(0)
    target = tab.selected()

    def run(dialog):
        dialog.name.clear()
        type_text(qtbot, dialog.name, "École maternelle Rosa Parks")
        dialog.classes.clear()
        type_text(qtbot, dialog.classes, "12")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CoopDialog, "exec", run)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    row = tab.selected()
    assert row.id == target.id and row.name == "École maternelle Rosa Parks" and row.classes == 12
    detail = svc.get_coop(window.db, target.id)
    assert detail.data.name == "École maternelle Rosa Parks"


def test_archive_then_find_it_among_archived(qtbot, window, monkeypatch):
    tab = tab_of(window)
    tab.table.selectRow(3)
    target = tab.selected()
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or True)
    qtbot.mouseClick(tab.archive_button, Qt.MouseButton.LeftButton)
    assert target.name in asked[0]
    assert target.id not in [r.id for r in shown(tab)]
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(svc.CoopStatus.ARCHIVED))
    assert target.id in [r.id for r in shown(tab)]
    with window.db.session() as s:
        assert s.get(Coop, target.id).archived


def test_delete_a_coop_with_history_is_refused(qtbot, window, monkeypatch):
    tab = tab_of(window)
    tab.table.selectRow(0)
    warnings = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    monkeypatch.setattr(dialogs, "show_warning", lambda *a, **k: warnings.append(a[2]))
    before = count_coops(window.db)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "Archivez-la" in warnings[0]
    assert count_coops(window.db) == before


CSV_OK_AND_BAD = (
    "Numéro;Nom;Type;UAI;Commune;Élèves;Adultes\n"
    "92-8001;École élémentaire Simone Veil;élémentaire;;Antony;250;12\n"
    "92-8002;=HYPERLINK(\"http://x\");maternelle;;Sceaux;80;6\n"
    "92-8003;École maternelle Les Lilas;fusée;;Sceaux;80;6\n"
    "92-8004;École primaire Jean Zay;primaire;;Vanves;-3;6\n"
    "92-8001;Doublon;primaire;;Vanves;30;6\n"
    "92-0001;École élémentaire Victor Hugo (renommée);élémentaire;;Levallois-Perret;270;15\n"
)


def test_import_with_errors_then_confirm_imports_only_valid_rows(qtbot, window, monkeypatch, tmp_path):
    tab = tab_of(window)
    path = tmp_path / "registre.csv"
    path.write_bytes(CSV_OK_AND_BAD.encode("cp1252"))
    before = count_coops(window.db)
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a: str(path))
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    seen = {}

    def run(dialog: CoopImportDialog):
        assert count_coops(window.db) == before  # nothing written by opening or checking
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
        seen["label"] = dialog.plan_label.text()
        seen["errors"] = {r.line: r.message for r in dialog.plan.rows if r.message}
        assert count_coops(window.db) == before
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CoopImportDialog, "exec", run)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "1 à créer, 1 à mettre à jour" in seen["label"] and "4 en erreur" in seen["label"]
    assert "formule" in seen["errors"][3]
    assert "fusée" in seen["errors"][4]
    assert "négatif" in seen["errors"][5]
    assert "déjà présent ligne 2" in seen["errors"][6]
    assert count_coops(window.db) == before + 1
    with window.db.session() as s:
        created = s.scalars(select(Coop).where(Coop.number == "92-8001")).one()
        year = s.scalars(select(CoopYear).where(CoopYear.coop_id == created.id)).one()
        assert (created.kind, year.pupils, year.adults) == (CoopKind.ELEMENTAIRE, 250, 12)
        renamed = s.scalars(select(Coop).where(Coop.number == "92-0001")).one()
        assert renamed.name == "École élémentaire Victor Hugo (renommée)"
        assert renamed.mandataire_name  # not in the file: kept, not blanked
    assert ("1 coopérative créée, 1 mise à jour, 4 lignes en erreur non importées"  # issue 8: plurals
            in window.status_text.text())


def test_import_of_a_malformed_spreadsheet_is_refused_with_a_message(qtbot, window, monkeypatch, tmp_path):
    tab = tab_of(window)
    path = tmp_path / "abime.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    warnings = []
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a: str(path))
    monkeypatch.setattr(dialogs, "show_warning", lambda *a: warnings.append(a[2]))
    before = count_coops(window.db)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "illisible" in warnings[0]
    assert count_coops(window.db) == before


def test_import_with_missing_columns_says_which(qtbot, demo_db, tmp_path):
    path = tmp_path / "incomplet.csv"
    path.write_text("Nom,Commune\nÉcole X,Antony\n", encoding="utf-8")
    dialog = CoopImportDialog(demo_db, str(path), 2026)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "Numéro OCCE" in dialog.mapping_error.text() and "Type" in dialog.mapping_error.text()
    assert not dialog.import_button.isEnabled()


def test_export_what_the_list_shows(qtbot, window, monkeypatch, tmp_path):
    tab = tab_of(window)
    type_text(qtbot, tab.search, "antony")
    expected = [r.number for r in shown(tab)]
    target = tmp_path / "export.xlsx"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "ask_open_exported", lambda *a: "")  # issue 8: offers to open
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Numéro OCCE", "Nom", "Type")
    assert [r[0] for r in rows[1:]] == expected
    assert all(r[4] == "Antony" for r in rows[1:])
    # The exported file imports back (same column titles).
    from occe_bureau.coops.exchange import guess_mapping

    mapping = guess_mapping(list(rows[0]))
    assert mapping["number"] == 0 and mapping["name"] == 1 and mapping["kind"] == 2
    assert Path(target).stat().st_size > 0


def test_sorting_by_name_ignores_accents(qtbot, window):
    from occe_bureau.formats import fold

    tab = tab_of(window)
    column = [c.title for c in tab.model.columns].index("Nom")
    tab.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    names = [r.name for r in shown(tab)]
    assert names == sorted(names, key=fold)
    assert names.index(next(n for n in names if n.startswith("École"))) < names.index(
        next(n for n in names if n.startswith("IME")))


def test_a_mistake_in_another_year_is_shown_in_that_year(qtbot, demo_db):
    rows = svc.list_coops(demo_db, svc.CoopFilter(year=2025))
    dialog = CoopDialog(demo_db, rows[0].id, 2024)
    qtbot.addWidget(dialog)
    dialog.classes.clear()
    type_text(qtbot, dialog.classes, "abc")
    dialog.year_combo.setCurrentIndex(dialog.year_combo.findData(2025))
    assert dialog.year_combo.currentData() == 2025
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert dialog.year_combo.currentData() == 2024
    assert dialog.classes.text() == "abc"
    assert "nombre entier" in dialog.error_text("classes")
    stored = svc.get_coop(demo_db, rows[0].id).years[2024].classes
    assert isinstance(stored, int) and stored > 0  # nothing saved


def test_export_to_a_file_open_in_another_program_says_so(qtbot, window, monkeypatch, tmp_path):
    tab = tab_of(window)
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(tmp_path / "verrouille.xlsx"))
    warnings = []
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warnings.append(text))

    def locked(*_a, **_k):
        raise PermissionError(13, "Permission denied", str(tmp_path / "verrouille.xlsx"))

    monkeypatch.setattr("occe_bureau.coops.exchange.write_table", locked)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert "ouvert dans un autre programme" in warnings[0] and "verrouille.xlsx" in warnings[0]


def test_archiving_a_coop_with_business_under_way_says_what(qtbot, window, monkeypatch):
    tab = tab_of(window)
    rows = shown(tab)
    busy = next(i for i, r in enumerate(rows) if coop_activity.open_business(window.db, r.id))
    tab.table.selectRow(busy)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or False)
    qtbot.mouseClick(tab.archive_button, Qt.MouseButton.LeftButton)
    assert "Encore en cours avec elle" in asked[0]
    assert any(word in asked[0] for word in ("prêt", "réservation", "don"))
    assert not svc.get_coop(window.db, rows[busy].id).archived  # she said no


def test_documents_not_yet_due_read_a_venir_and_are_not_missing(qtbot, window):
    """In March, the year under way's CRA and CRF are due next 30 September: « à venir »,
    and « Documents manquants » does not list every coop for them."""
    tab = tab_of(window)
    current = school_year_of(clock.today())
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(current))
    column = tab.model.column("CRA")
    shown_texts = {tab.model.index(r, column).data() for r in range(tab.model.rowCount())}
    assert "à venir" in shown_texts and "manquant" not in shown_texts
    everything = tab.model.rowCount()
    tab.missing_check.setChecked(True)
    rows = shown(tab)
    assert len(rows) < everything
    assert all("CRA" not in r.missing_documents and "CRF" not in r.missing_documents for r in rows)


def test_the_chosen_year_stays_after_an_import(qtbot, window):
    tab = tab_of(window)
    earlier = tab.year - 1
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(earlier))
    tab._fill_years()
    assert tab.year == earlier


def test_escape_on_a_half_filled_form_asks_before_losing_it(qtbot, window, monkeypatch):
    tab = tab_of(window)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[1]) or False)
    untouched = CoopDialog(tab.db, None, tab.year, tab)
    qtbot.addWidget(untouched)
    untouched.show()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert asked == [] and not untouched.isVisible()  # nothing typed: it just closes

    dialog = CoopDialog(tab.db, None, tab.year, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.name, "École à moitié saisie")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Fermer sans enregistrer ?"] and dialog.isVisible()  # she keeps typing
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_taken_number_shows_at_the_first_save(qtbot, window):
    tab = tab_of(window)
    taken = tab.model.row_at(0)
    dialog = CoopDialog(tab.db, None, tab.year, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.number, taken.number)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert taken.name in dialog.error_text("number")
    assert dialog.error_text("name")
