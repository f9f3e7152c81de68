"""Issue 8 through the real widgets: tables that fill the window and show cut text whole,
the import preview in the file's order with its messages readable, the offer to open an
export, the coop number refused at its field."""

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from ui.coops.coop_dialog import CoopDialog
from ui.coops.import_dialog import CoopImportDialog
from ui.shell import dialogs
from ui.shell.table_model import (
    RIGHT, Column, RowTableModel, cut_text_tooltip, make_table,
)

from tests.ui.typing import type_text

LONG_NAME = "École élémentaire d'application Jean-Baptiste Poquelin de Nanterre-Université"


def _visible_width(table) -> int:
    return sum(table.columnWidth(i) for i in range(table.model().columnCount())
               if not table.isColumnHidden(i))


def test_columns_fill_the_window_and_a_cut_name_shows_whole_in_a_tooltip(qtbot):
    model = RowTableModel([Column("Nom", lambda r: r, width=120),
                           Column("Élèves", lambda r: "84", width=60, align=RIGHT)])
    model.set_rows([LONG_NAME, "École A"])
    table = make_table(model, "t")
    qtbot.addWidget(table)
    table.resize(900, 300)
    table.show()
    qtbot.waitExposed(table)
    assert _visible_width(table) == table.viewport().width()
    assert table.columnWidth(1) == 60  # the extra room went to the text column
    assert cut_text_tooltip(table, model.index(0, 0)) is None  # the whole name shows
    table.resize(260, 300)
    QApplication.processEvents()
    assert _visible_width(table) == table.viewport().width()
    assert cut_text_tooltip(table, model.index(0, 0)) == LONG_NAME
    assert cut_text_tooltip(table, model.index(1, 0)) is None
    rect = table.visualRect(model.index(0, 0))
    QApplication.sendEvent(table.viewport(), QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())))
    assert QToolTip.text() == LONG_NAME


IMPORT = "Numéro;Nom;Type\n" + "".join(
    f"92-80{i:02d};École {i};{'primaire' if i % 3 else 'fusée'}\n" for i in range(1, 9))


def test_in_a_narrow_window_the_wide_text_columns_shrink_and_codes_keep_their_width(qtbot):
    model = RowTableModel([Column("N°", lambda r: "92-0042", width=80),
                           Column("Nom", lambda r: r, width=400),
                           Column("Commune", lambda r: "Nanterre", width=300),
                           Column("Élèves", lambda r: "84", width=60, align=RIGHT)])
    model.set_rows([LONG_NAME])
    table = make_table(model, "t")
    qtbot.addWidget(table)
    table.resize(560, 300)
    table.show()
    qtbot.waitExposed(table)
    room = table.viewport().width()
    assert room < 840 and _visible_width(table) == room  # no horizontal scrolling
    assert (table.columnWidth(0), table.columnWidth(3)) == (80, 60)
    assert table.columnWidth(1) > table.columnWidth(2) >= 150
    assert cut_text_tooltip(table, model.index(0, 1)) == LONG_NAME


def test_the_import_preview_lists_the_file_in_order_and_shows_a_message_whole(qtbot, demo_db,
                                                                           tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text(IMPORT, encoding="utf-8")
    dialog = CoopImportDialog(demo_db, str(path), 2025)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    lines = [dialog.model.row_at(r).line for r in range(dialog.model.rowCount())]
    assert lines == list(range(2, 10))
    header = dialog.preview.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0, Qt.SortOrder.AscendingOrder)
    bad = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).errors)
    dialog.preview.selectRow(bad)
    row = dialog.model.row_at(bad)
    assert dialog.row_message.text() == f"Ligne {row.line} : {row.message}"
    assert "fusée" in dialog.row_message.text() and dialog.row_message.wordWrap()


def test_after_an_export_the_file_or_its_folder_can_be_opened(qtbot, window, monkeypatch,
                                                           tmp_path):
    tab = window.tab_widgets[0]
    target = tmp_path / "export.xlsx"
    opened, asked = [], []
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "open_path", lambda path: opened.append(Path(path)) or True)
    for choice in (dialogs.OPEN_FILE, dialogs.OPEN_FOLDER, ""):
        monkeypatch.setattr(dialogs, "ask_open_exported",
                            lambda parent, title, text, c=choice: asked.append(text) or c)
        qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert opened == [target, tmp_path]
    assert "coopératives exportées" in asked[0] and str(target) in asked[0]


def test_a_number_that_is_not_one_is_refused_at_its_field(qtbot, demo_db):
    dialog = CoopDialog(demo_db, None, 2025)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.number, "abc")
    type_text(qtbot, dialog.name, "École des tests")
    dialog.kind.setCurrentIndex(1)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert "« abc » n'est pas un numéro" in dialog.error_text("number")


def test_the_settings_explain_their_placeholders_and_the_cgi_articles(qtbot, db):
    from PySide6.QtWidgets import QLabel

    from ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pages.setCurrentIndex(1)

    def shown_help(key: str) -> str:
        label = dialog.findChild(QLabel, f"help_{key}")
        assert label is not None and label.isVisible() and label.wordWrap()
        return label.text()

    assert "{echeance} est remplacé par la date de retour prévue" in shown_help("loans.reminder_text")
    articles = shown_help("receipts.person_articles")
    assert "Article 200" in articles and "Article 978" in articles and "IFI" in articles
    assert "# tient la place d'un chiffre" in shown_help("coops.number_pattern")


def _loans_tab(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index("Prêts"))
    return window.tabs.currentWidget()


def test_the_days_out_status_line_follows_the_year_shown(qtbot, window):
    tab = _loans_tab(window)
    tab.pages.setCurrentWidget(tab.stats_page)
    combo = tab.stats_page.year_combo
    for index in (1, 2, 0):
        combo.setCurrentIndex(index)
        year = combo.currentText().removeprefix("Année scolaire ")
        assert f"Année scolaire {year}" in window.status_text.text()


def test_the_page_per_coop_does_not_count_one_coop_per_coop(qtbot, window):
    tab = _loans_tab(window)
    page = tab.stats_page
    tab.pages.setCurrentWidget(page)
    page.year_combo.setCurrentIndex(1)  # a whole past year of the demo
    page.group_combo.setCurrentIndex(page.group_combo.findData("by_coop"))
    model = page.model
    assert model.rowCount() > 0
    coops = model.column("Coopératives")
    line = model.column("Ligne du rapport d'activité")
    for r in range(model.rowCount()):
        assert model.index(r, coops).data() == ""
        assert "coop)" not in model.index(r, line).data() and " prêt" in model.index(r, line).data()
