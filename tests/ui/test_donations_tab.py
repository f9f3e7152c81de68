"""The Dons et reçus tab driven through its real widgets, PDFs read back."""


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from occe_bureau.formats import fold, format_date, format_int, format_money, parse_money
from occe_bureau import gifts
from tests.pdf import pdf_text
from tests.ui.typing import type_text
from ui.shell import dialogs
from ui.shell import pdf_preview
from ui.gifts import tab as tab_module
from ui.gifts.donation_dialogs import COLUMN_INDEX, RequestDialog
from ui.gifts.receipt_batch_dialog import BatchDialog
from ui.gifts.replacement_dialog import ReplacementDialog
from ui.shell.table_model import OBJECT_ROLE, select_row_id
from occe_bureau import clock

COOP_NUMBER = "92-0001"
TODAY = format_date(clock.today())
THREE = [
    dict(last_name="Wiśniewski", first_names="Łukasz", address="12 rue des Lilas", postal_code="92000",
         city="Nanterre", amount="80", cheque_number="1234567"),
    dict(last_name="Phạm", first_names="Thị Hồng", address="3 allée Øresund", postal_code="92100",
         city="Boulogne-Billancourt", amount="201", method="especes"),
    dict(last_name="<b>Dupont</b>", first_names="Øyvind", address="8 place du Marché",
         postal_code="92200", city="Neuilly-sur-Seine", amount="1000000", method="virement"),
]


@pytest.fixture
def tab(window):
    window.tabs.setCurrentIndex([t for t, _f in tab_module_tabs()].index("Dons et reçus"))
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.DonationsTab))
    assert tab._loaded
    return tab


def tab_module_tabs():
    from ui.shell.main_window import TABS

    return TABS


REAL_CONFIRM_ISSUE = tab_module.confirm_issue
REAL_CONFIRM_PRINTED = tab_module.confirm_printed
REAL_CONFIRM_BATCH_PRINTED = tab_module.confirm_batch_printed


@pytest.fixture(autouse=True)
def issue_answers(monkeypatch):
    """Issuing asks first, and the preview of an original asks whether it was printed: both
    answered yes unless a test says otherwise (the questions asked are recorded)."""
    asked = []
    monkeypatch.setattr(tab_module, "confirm_issue",
                        lambda parent, d: asked.append(("issue", d.id)) or True)
    monkeypatch.setattr(tab_module, "confirm_printed",
                        lambda parent, number: asked.append(("printed", number)) or True)
    monkeypatch.setattr(tab_module, "confirm_batch_printed",
                        lambda parent, result: asked.append(("batch printed", result.numbers)) or True)
    return asked


@pytest.fixture
def pdfs(monkeypatch):
    shown = []
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda parent, pdf, title, name: shown.append((title, pdf)))
    return shown


def type_cell(qtbot, grid, row: int, name: str, text: str) -> None:
    if name == "method":
        combo = grid.cellWidget(row, COLUMN_INDEX["method"])
        combo.setCurrentIndex(combo.findData(text))
        return
    item = grid.item(row, COLUMN_INDEX[name])
    grid.setCurrentCell(row, COLUMN_INDEX[name])
    grid.editItem(item)
    from PySide6.QtWidgets import QLineEdit

    editor = next(e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    shown = text
    if name == "amount":  # an amount shows as money once typed
        try:
            shown = format_money(parse_money(text))
        except ValueError:
            pass
    qtbot.waitUntil(lambda: item.text() == shown, timeout=1000)  # the delegate commits queued


def fill_request(qtbot, dialog: RequestDialog, lines: list[dict], coop_number: str = COOP_NUMBER) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.coop.setCurrentIndex(next(i for i in range(dialog.coop.count())
                                     if dialog.coop.itemText(i).startswith(coop_number)))
    while dialog.grid.rowCount() < len(lines):
        dialog.add_row()
    for row, line in enumerate(lines):
        for name, value in line.items():
            type_cell(qtbot, dialog.grid, row, name, value)


def donations_shown(tab):
    return [tab.donation_model.index(r, 0).data(OBJECT_ROLE) for r in range(tab.donation_model.rowCount())]


def receipts_shown(tab):
    return [tab.receipt_model.index(r, 0).data(OBJECT_ROLE) for r in range(tab.receipt_model.rowCount())]


def select_row(table, model, predicate) -> None:
    for index, row in enumerate(model.rows()):
        if predicate(row):
            table.selectRow(index)
            return
    raise AssertionError("row not found")


def enter_three(qtbot, tab, monkeypatch):
    def run(dialog):
        fill_request(qtbot, dialog, THREE)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)


def correct_then_replace(qtbot, monkeypatch, edits: dict[str, str] | None = None, seen=None):
    """"Annuler et remplacer": the correction form gets `edits` typed, then is saved."""
    from PySide6.QtWidgets import QPlainTextEdit

    def run(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        if seen is not None:
            seen.append(dialog)
        widgets = {**dialog.donor.fields, **dialog.gift_fields}
        for name, text in (edits or {}).items():
            widget = widgets[name]
            widget.clear()
            if text:
                type_text(qtbot, widget, text)
            assert (widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()) == text
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ReplacementDialog, "exec", run)


def test_models_pass_the_qt_model_tester(qtmodeltester, tab):
    assert tab.donation_model.rowCount() > 0 and tab.receipt_model.rowCount() > 0
    qtmodeltester.check(tab.donation_model)
    qtmodeltester.check(tab.receipt_model)
    qtmodeltester.check(tab.coop_model)


def test_a_long_year_is_read_a_page_at_a_time_sorted_and_searched_by_the_database(qtbot, tab):
    """Issue 8: the tab loaded a whole year (15 000 gifts at ten times a real association)
    to sort and search it in memory; it now reads the first page, the next ones as the list
    scrolls, and sorts and searches in SQL, over the whole year."""
    from occe_bureau import gifts

    model, table = tab.donation_model, tab.donation_table
    year = gifts.list_donations(tab.db, gifts.DonationFilter(
        *gifts.financial_year_bounds(tab.year, gifts.financial_year_start(tab.db))))
    assert len(year) > model.page_size
    assert model.rowCount() == model.page_size and model.total() == len(year)
    assert tab.pages.tabText(0) == f"Dons ({format_int(len(year))})"
    assert tab.coop_model.rowCount() == 0  # the per-coop page is read when shown
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > model.page_size)
    # Sorting by amount sorts the whole year, not the rows read so far.
    table.sortByColumn(model.column("Montant"), Qt.SortOrder.DescendingOrder)
    assert donations_shown(tab)[0].amount_cents == max(r.amount_cents for r in year)
    assert model.rowCount() == model.page_size
    table.sortByColumn(model.column("Donateur"), Qt.SortOrder.AscendingOrder)
    names = [r.donor_name for r in donations_shown(tab)[:20]]
    assert names == sorted(names, key=lambda n: fold(n))
    # A search finds a gift far down the list, and selecting a gift reads on until it is there.
    last = min(year, key=lambda r: (r.received_on, r.id))
    type_text(qtbot, tab.search, last.donor_name)
    qtbot.waitUntil(lambda: model.total() < len(year))
    assert last.id in [r.id for r in donations_shown(tab)]
    tab.search.clear()
    qtbot.waitUntil(lambda: model.total() == len(year))
    assert select_row_id(table, last.id) and tab.selected_donation().id == last.id
    tab.pages.setCurrentWidget(tab.coop_table)
    assert tab.coop_model.rowCount() > 0


def test_request_for_three_donors_issue_preview_cancel_reissue(qtbot, tab, monkeypatch, pdfs):
    enter_three(qtbot, tab, monkeypatch)
    assert "3 dons enregistrés" in tab.window().status_text.text()  # issue 8: plurals
    type_text(qtbot, tab.search, "wisniewski")
    # The database is searched once the typing pauses.
    qtbot.waitUntil(lambda: len(donations_shown(tab)) == 1)
    rows = donations_shown(tab)
    assert [r.donor_name for r in rows] == ["Wiśniewski Łukasz"] and rows[0].receipt_id is None
    tab.search.clear()
    tab.pending_check.setChecked(True)
    mine = [r for r in donations_shown(tab) if r.coop_number == COOP_NUMBER
            and r.donor_name in ("Wiśniewski Łukasz", "Phạm Thị Hồng", "<b>Dupont</b> Øyvind")]
    assert len(mine) == 3
    tab.pages.setCurrentWidget(tab.coop_table)  # read when its page is shown
    per_coop = {r.coop_number: r for r in tab.coop_model.rows()}[COOP_NUMBER]
    tab.pages.setCurrentIndex(0)
    assert per_coop.pending >= 3 and per_coop.amount_cents >= 8000 + 20100 + 100000000

    # issue the three receipts one by one, each previewed
    numbers = []
    for row in mine:
        select_row(tab.donation_table, tab.donation_model, lambda r, i=row.id: r.id == i)
        qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
        title, pdf = pdfs[-1]
        text = pdf_text(pdf)
        numbers.append(title.split("n° ")[1])
        for mention in ["Cerfa n° 11580*05", "OCCE – Association départementale des Hauts-de-Seine",
                        "W922000092", "Objet : Promouvoir la coopération", "15 rue des Écoles",
                        f"Nom : {row.donor_name.split(' ', 1)[0]}",
                        "☒ 200 du CGI", "☒ Déclaration de don manuel", "☒ Numéraire",
                        "Marie-Claude Lefèvre, Présidente", f"Fait à Nanterre, le {TODAY}",
                        f"Reçu n° {numbers[-1]}", COOP_NUMBER]:
            assert mention in text, (mention, title)
        if row.donor_name.startswith("Wiś"):
            assert "quatre-vingts euros" in text and "☒ Chèque" in text and "12 rue des Lilas" in text
        elif row.donor_name.startswith("Phạm"):
            assert "deux cent un euros" in text and "☒ Remise d'espèces" in text
            assert "Prénoms : Thị Hồng" in text and "3 allée Øresund" in text
        else:
            assert "un million d'euros" in text and "<b>Dupont</b>" in text and "Øyvind" in text
            assert "☒ Virement, prélèvement, carte bancaire" in text
        assert "DUPLICATA" not in text
    seqs = sorted(int(n.split("-")[1]) for n in numbers)
    assert seqs == list(range(seqs[0], seqs[0] + 3))

    # a reprint is a duplicate
    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == numbers[0])
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    assert "duplicata" in pdfs[-1][0] and "DUPLICATA" in pdf_text(pdfs[-1][1])

    # cancel one with its replacement (the correction form saved as it is)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Erreur sur l'adresse")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    correct_then_replace(qtbot, monkeypatch)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == numbers[0])
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    replacement_text = pdf_text(pdfs[-1][1])
    assert f"annule et remplace le reçu n° {numbers[0]}" in replacement_text
    by_number = {r.number: r for r in receipts_shown(tab)}
    assert by_number[numbers[0]].cancelled and "Erreur sur l'adresse" in by_number[numbers[0]].cancel_reason
    cancelled_pdf = pdf_text(gifts.render_receipt(tab.db, by_number[numbers[0]].id)[0])
    assert "ANNULÉ" in cancelled_pdf and "Erreur sur l'adresse" in cancelled_pdf

    # cancel another without replacement, then reissue it from the list of gifts
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Chèque rejeté")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == numbers[1])
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    tab.pages.setCurrentIndex(0)
    pending = [r for r in donations_shown(tab) if r.receipt_id is None and r.coop_number == COOP_NUMBER
               and r.id in {m.id for m in mine}]
    assert len(pending) == 1
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == pending[0].id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert f"annule et remplace le reçu n° {numbers[1]}" in pdf_text(pdfs[-1][1])


def test_bad_input_is_shown_per_row_and_nothing_is_saved(qtbot, demo_db):
    before = len(gifts.list_donations(demo_db, gifts.DonationFilter()))
    dialog = RequestDialog(demo_db)
    qtbot.addWidget(dialog)
    future = format_date(clock.today().replace(year=clock.today().year + 1))
    fill_request(qtbot, dialog, [
        dict(last_name="Martin", first_names="Claire", address="1 rue A", postal_code="92000",
             city="Nanterre", amount="0"),
        dict(last_name="Petit", first_names="Jean", address="", postal_code="92000", city="",
             amount="-5"),
        dict(last_name="Roux", first_names="Inès", address="2 rue B", postal_code="92000",
             city="Nanterre", amount="20", received_on=future),
    ])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    errors = dialog.error_label.text()
    assert "Ligne 1 : Montant : doit être supérieur à zéro." in errors
    assert "Ligne 2 : Adresse : ce champ est obligatoire." in errors
    assert "Ligne 3 : Date du don : la date est dans le futur." in errors
    assert dialog.grid.item(1, COLUMN_INDEX["address"]).toolTip().startswith("Adresse")
    assert len(gifts.list_donations(demo_db, gifts.DonationFilter())) == before


def test_gift_for_an_outing_asks_before_saving(qtbot, tab, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or False)

    def run(dialog):
        fill_request(qtbot, dialog, [dict(last_name="Haddad", first_names="Karim", address="4 rue C",
                                          postal_code="92000", city="Nanterre", amount="15",
                                          project="Sortie au zoo")])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    before = len(gifts.list_donations(tab.db, gifts.DonationFilter()))
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert asked and "sortie" in asked[0]
    assert len(gifts.list_donations(tab.db, gifts.DonationFilter())) == before


def test_batch_issue_with_progress_into_one_pdf(qtbot, tab, monkeypatch, pdfs):
    enter_three(qtbot, tab, monkeypatch)
    coop_id = next(r.coop_id for r in donations_shown(tab) if r.coop_number == COOP_NUMBER)

    def run(dialog):
        dialog.coop.setCurrentIndex(dialog.coop.findData(coop_id))
        assert dialog.count_label.text().startswith("<b>")
        return 1

    monkeypatch.setattr(BatchDialog, "exec", run)
    pending = gifts.pending_count(tab.db, gifts.BatchSelection(coop_id=coop_id))
    assert pending >= 3
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    title, pdf = pdfs[-1]
    text = pdf_text(pdf)
    assert text.count("Reçu au titre des dons") == pending
    assert "Wiśniewski" in text and "<b>Dupont</b>" in text
    assert gifts.pending_count(tab.db, gifts.BatchSelection(coop_id=coop_id)) == 0
    assert f"{pending} reçus émis" in tab.window().status_text.text()


def test_cancelled_batch_issues_nothing_and_the_window_stays_alive(qtbot, tab, monkeypatch):
    """Annuler in the progress dialog: the worker stops between two receipts, the batch
    transaction is rolled back, no number is used."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    before = len(gifts.list_receipts(tab.db, gifts.ReceiptFilter()))
    counter_before = gifts.pending_count(tab.db, gifts.BatchSelection())
    monkeypatch.setattr(BatchDialog, "exec", lambda dialog: 1)
    real_steps = gifts.ReceiptBatch.steps

    def slow_steps(self):
        for step in real_steps(self):
            time.sleep(0.01)
            yield step

    monkeypatch.setattr(gifts.ReceiptBatch, "steps", slow_steps)
    clicked = []

    def press_cancel():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        if boxes:
            clicked.append(True)
            boxes[0].canceled.emit()
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(300, press_cancel)
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    assert clicked
    assert "aucun reçu n'a été émis" in tab.window().status_text.text()
    assert len(gifts.list_receipts(tab.db, gifts.ReceiptFilter())) == before
    assert gifts.pending_count(tab.db, gifts.BatchSelection()) == counter_before
    # the next receipt takes the number right after the last one issued
    last = max((r for r in gifts.list_receipts(tab.db, gifts.ReceiptFilter())
                if r.year == gifts.current_financial_year(tab.db)), key=lambda r: r.seq)
    gid = next(r.id for r in gifts.list_donations(tab.db, gifts.DonationFilter(pending_only=True)))
    new = gifts.issue_receipt(tab.db, gid)
    assert gifts.receipt_doc(tab.db, new).number == gifts.format_number(last.year, last.seq + 1)


def test_declaration_pdf_and_excel(qtbot, tab, monkeypatch, pdfs, tmp_path):
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(tab.year - 1))
    decl = gifts.declaration(tab.db, tab.year)
    assert decl.count > 100
    qtbot.mouseClick(tab.declaration_button, Qt.MouseButton.LeftButton)
    text = pdf_text(pdfs[-1][1])
    flat = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "222 bis" in flat and f"{decl.count:,}".replace(",", " ") in flat
    target = tmp_path / "declaration.xlsx"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a, **k: str(target))
    infos = []
    monkeypatch.setattr(dialogs, "ask_open_exported",  # issue 8: offers to open the file
                        lambda *a, **k: infos.append(a[2]) or "")
    qtbot.mouseClick(tab.declaration_xlsx_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    ws = load_workbook(target).active
    assert ws["B3"].value == decl.count and round(ws["B4"].value * 100) == decl.total_cents
    assert infos


def test_import_a_request_from_a_spreadsheet(qtbot, tab, monkeypatch, tmp_path):
    from ui.gifts.donation_dialogs import ImportRequestDialog

    path = tmp_path / "demande.csv"
    path.write_text(
        "Nom;Prénom;Adresse;Code postal;Commune;Montant;Date;Mode de paiement\n"
        f"Wójcik;Bożena;5 rue D;92000;Nanterre;45;{TODAY};chèque\n"
        f"Øberg;Åsa;6 rue E;92100;Boulogne;12,50;{TODAY};espèces\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: str(path))
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)  # any look-alike: new donor
    seen = {}

    def run(dialog):
        assert not dialog.import_button.isEnabled()  # no coop chosen yet
        dialog.coop.setCurrentIndex(next(i for i in range(dialog.coop.count())
                                         if dialog.coop.itemText(i).startswith(COOP_NUMBER)))
        seen["rows"] = dialog.model.rowCount()
        assert dialog.import_button.isEnabled()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ImportRequestDialog, "exec", run)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert seen["rows"] == 2
    type_text(qtbot, tab.search, "wojcik bozena")
    qtbot.waitUntil(lambda: len(donations_shown(tab)) == 1)
    rows = donations_shown(tab)
    assert [(r.donor_name, r.amount_cents, r.coop_number) for r in rows] == [
        ("Wójcik Bożena", 4500, COOP_NUMBER)]


def issue_first_of_three(qtbot, tab, monkeypatch, pdfs):
    """The three donors entered, Wiśniewski's receipt issued from the Dons page: (row, number)."""
    enter_three(qtbot, tab, monkeypatch)
    tab.pending_check.setChecked(True)
    row = next(r for r in donations_shown(tab) if r.donor_name == "Wiśniewski Łukasz")
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    number = pdfs[-1][0].split("n° ")[1]
    return row, number


def test_donor_moves_issued_receipt_stays_frozen_replacement_takes_new_address(
        qtbot, tab, monkeypatch, pdfs):
    from ui.gifts.donor_dialog import DonorDialog

    row, number = issue_first_of_three(qtbot, tab, monkeypatch, pdfs)

    def run(dialog):
        dialog.show()
        dialog.fields["address"].clear()
        type_text(qtbot, dialog.fields["address"], "7 impasse Nouvelle")
        dialog.fields["city"].clear()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "obligatoire" in dialog.error_text("city") and dialog.result() == 0
        type_text(qtbot, dialog.fields["city"], "Nanterre")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DonorDialog, "exec", run)
    tab.pending_check.setChecked(False)
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    qtbot.mouseClick(tab.donor_button, Qt.MouseButton.LeftButton)
    assert "Donateur enregistré" in tab.window().status_text.text()

    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    reprint = pdf_text(pdfs[-1][1])
    assert "DUPLICATA" in reprint and "12 rue des Lilas" in reprint and "impasse" not in reprint

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Le donateur a déménagé")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    correct_then_replace(qtbot, monkeypatch)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    replacement = pdf_text(pdfs[-1][1])
    assert "7 impasse Nouvelle" in replacement and "12 rue des Lilas" not in replacement
    assert f"annule et remplace le reçu n° {number}" in replacement


def test_a_typo_on_a_known_donor_asks_which_donor(qtbot, tab, monkeypatch):
    # A donor without a namesake (the demo has a few: which one the look-alike names first
    # then depends on the database's order).
    known = next(d for d in gifts.search_donors(tab.db, "") if d.kind == "person" and [
        x.id for x in gifts.search_donors(tab.db, d.display_name) if x.display_name == d.display_name] == [d.id])
    donor = gifts.get_donor(tab.db, known.id)
    typo = donor.last_name + donor.last_name[-1]  # "Martin" -> "Martinn"
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or True)

    def run(dialog):
        fill_request(qtbot, dialog, [dict(last_name=typo, first_names=donor.first_names,
                                          address="1 rue Nouvelle", postal_code=donor.postal_code,
                                          city=donor.city, amount="25")])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert asked and "un donateur proche existe déjà" in asked[0] and donor.last_name in asked[0]
    newest = max(gifts.list_donations(tab.db, gifts.DonationFilter()), key=lambda r: r.id)
    assert newest.donor_id == known.id and newest.amount_cents == 2500
    assert not gifts.search_donors(tab.db, typo + " " + donor.first_names)


def test_withdraw_a_gift_entered_by_mistake(qtbot, tab, monkeypatch):
    enter_three(qtbot, tab, monkeypatch)
    tab.pending_check.setChecked(True)
    row = next(r for r in donations_shown(tab) if r.donor_name == "Phạm Thị Hồng")
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Saisi deux fois")
    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    assert row.id not in {r.id for r in donations_shown(tab)}
    kept = gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True, search="pham"))
    assert any(r.id == row.id and r.withdrawn for r in kept)
    assert gifts.pending_count(tab.db, gifts.BatchSelection()) == len(
        gifts.list_donations(tab.db, gifts.DonationFilter(pending_only=True)))


def _two_dupont(qtbot, tab, monkeypatch, answer: bool):
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or answer)
    line = dict(last_name="Dupont", first_names="Marie", postal_code="92000", city="Nanterre",
                amount="10")

    def run(dialog):
        fill_request(qtbot, dialog, [dict(line, address="1 rue A"), dict(line, address="200 bd B")])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    dupont = [d for d in gifts.search_donors(tab.db, "Dupont Marie 92000")]
    return asked, dupont


def test_namesake_at_another_address_asks_which_donor_a_different_person(qtbot, tab, monkeypatch):
    asked, dupont = _two_dupont(qtbot, tab, monkeypatch, False)
    assert asked and "autre adresse" in asked[0] and "1 rue A" in asked[0]
    assert sorted(d.address for d in dupont) == ["1 rue A", "200 bd B"]


def test_namesake_at_another_address_the_same_person_who_moved(qtbot, tab, monkeypatch):
    asked, dupont = _two_dupont(qtbot, tab, monkeypatch, True)
    assert asked and [d.address for d in dupont] == ["200 bd B"]
    found = gifts.list_donations(tab.db, gifts.DonationFilter(search="dupont marie"))
    assert len(found) == 2 and len({g.donor_id for g in found}) == 1


def test_receipt_cancelled_alone_then_batch_issue_says_it_replaces_it(qtbot, tab, monkeypatch, pdfs):
    row, number = issue_first_of_three(qtbot, tab, monkeypatch, pdfs)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Chèque rejeté")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)  # "Annuler seulement"
    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(BatchDialog, "exec", lambda dialog: 1)
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    text = pdf_text(pdfs[-1][1])
    assert "Wiśniewski" in text and f"annule et remplace le reçu n° {number}" in text


def test_a_numbering_conflict_is_a_french_message_not_a_crash(qtbot, tab, monkeypatch, pdfs):
    from sqlalchemy import update

    from occe_bureau.gifts.models import ReceiptCounter

    enter_three(qtbot, tab, monkeypatch)
    tab.pending_check.setChecked(True)
    rows = [r for r in donations_shown(tab) if r.coop_number == COOP_NUMBER][:2]
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == rows[0].id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    with tab.db.transaction() as s:  # another workstation took the next number meanwhile
        s.execute(update(ReceiptCounter).values(last_seq=0))
    warned = []
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warned.append(text))
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == rows[1].id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert warned and "au même moment" in warned[0]


@pytest.mark.parametrize("project, asks", [("Plantation d'arbustes", False),
                                           ("Classe de découverte", True)])
def test_service_warning_on_whole_words_only(qtbot, tab, monkeypatch, project, asks):
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append(a[2]) or False)

    def run(dialog):
        fill_request(qtbot, dialog, [dict(last_name="Quillard", first_names="Zéphyrin", address="4 rue C",
                                          postal_code="92000", city="Nanterre", amount="15",
                                          project=project)])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    before = len(gifts.list_donations(tab.db, gifts.DonationFilter()))
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert bool(asked) == asks
    assert len(gifts.list_donations(tab.db, gifts.DonationFilter())) == before + (0 if asks else 1)


def test_settings_refuse_moving_the_financial_year_once_its_receipts_exist(qtbot, tab, monkeypatch):
    from ui.shell.settings_dialog import SettingsDialog

    gid = gifts.list_donations(tab.db, gifts.DonationFilter(pending_only=True))[0].id
    gifts.issue_receipt(tab.db, gid)
    warned = []
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warned.append(text))
    dialog = SettingsDialog(tab.db)
    qtbot.addWidget(dialog)
    widget = dialog.setting_widgets[gifts.FINANCIAL_YEAR_START.key]
    widget.clear()
    type_text(qtbot, widget, "01/01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert "exercice en cours" in dialog.errors.message(gifts.FINANCIAL_YEAR_START.key) + " ".join(warned)
    assert gifts.financial_year_start(tab.db) == (1, 9)


def test_batch_dialog_greys_out_the_period_it_does_not_use(qtbot, tab):
    all_pending = gifts.pending_count(tab.db, gifts.BatchSelection())
    assert all_pending > 0
    dialog = BatchDialog(tab.db, None, tab.year)
    qtbot.addWidget(dialog)
    dialog.start.setDate(clock.today())  # a period that would leave nothing…
    dialog.end.setDate(clock.today())
    assert not dialog.start.isEnabled() and not dialog.end.isEnabled()
    assert dialog.count_label.text().startswith(f"<b>{all_pending} reçu")  # …is not used
    assert dialog.selection().start is None
    dialog.period_check.setChecked(True)
    assert dialog.start.isEnabled() and dialog.end.isEnabled()
    used = gifts.pending_count(tab.db, dialog.selection())
    assert used < all_pending and dialog.count_label.text().startswith(f"<b>{used} reçu")
    assert format_date(clock.today()) in dialog.count_label.text()


def test_batch_dialog_refuses_a_summary_period_ending_after_today(qtbot, tab):
    from datetime import timedelta

    dialog = BatchDialog(tab.db, None, tab.year)
    qtbot.addWidget(dialog)
    dialog.summary_check.setChecked(True)
    assert "après aujourd'hui" not in dialog.count_label.text()
    dialog.end.setDate(clock.today() + timedelta(days=1))
    assert "après aujourd'hui" in dialog.count_label.text()
    assert not dialog.ok_button.isEnabled()


def test_the_association_warning_names_a_missing_address(qtbot, tab):
    from occe_bureau.association.models import Association

    tab.reload()
    assert tab.association_warning.isHidden()
    with tab.db.transaction() as s:  # saved by an older version, which did not require it
        s.get(Association, 1).address = ""
    tab.reload()
    assert not tab.association_warning.isHidden()
    assert "adresse" in tab.association_warning.text()


def test_buttons_follow_what_the_core_allows(qtbot, tab):
    # The newest gifts wait for their receipts: sorted by receipt, the receipted come first.
    tab.donation_table.sortByColumn(tab.donation_model.column("Reçu"), Qt.SortOrder.DescendingOrder)
    receipted = next(r for r in donations_shown(tab) if r.receipt_id is not None)
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == receipted.id)
    assert not tab.issue_button.isEnabled() and not tab.withdraw_button.isEnabled()
    assert tab.donor_button.isEnabled()
    tab.pending_check.setChecked(True)
    select_row(tab.donation_table, tab.donation_model, lambda r: r.receipt_id is None)
    assert tab.issue_button.isEnabled() and tab.withdraw_button.isEnabled()
    valid = next(r for r in receipts_shown(tab) if not r.cancelled)
    gifts.cancel_receipt(tab.db, valid.id, "Chèque rejeté")
    tab.reload()
    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.id == valid.id)
    assert tab.preview_button.isEnabled() and not tab.cancel_button.isEnabled()
    select_row(tab.receipt_table, tab.receipt_model, lambda r: not r.cancelled)
    assert tab.cancel_button.isEnabled()


def test_withdrawing_reloads_once_and_announces_the_gifts(qtbot, tab, monkeypatch):
    from ui.shell.changes import Domain

    tab.pending_check.setChecked(True)
    row = donations_shown(tab)[0]
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    reloads, announced = [], []
    real = tab.reload
    monkeypatch.setattr(tab, "reload", lambda *a, **k: reloads.append(1) or real(*a, **k))
    tab.changes_made.connect(announced.append)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Saisi deux fois")
    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    assert reloads == [1] and announced == [frozenset({Domain.GIFTS})]
    assert row.id not in {r.id for r in donations_shown(tab)}


def test_issuing_asks_first_and_no_issues_nothing(qtbot, tab, monkeypatch, pdfs):
    enter_three(qtbot, tab, monkeypatch)
    tab.pending_check.setChecked(True)
    row = next(r for r in donations_shown(tab) if r.donor_name == "Wiśniewski Łukasz")
    receipts_before = len(gifts.list_receipts(tab.db, gifts.ReceiptFilter()))
    asked = []
    monkeypatch.setattr(tab_module, "confirm_issue", REAL_CONFIRM_ISSUE)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2], k)) or False)
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    title, text, buttons = asked[0]
    assert title == "Émettre le reçu fiscal ?" and "Wiśniewski Łukasz" in text and "80,00\u00a0€" in text
    assert "numéro" in text and "figé" in text and buttons["yes"] == "Émettre le reçu"
    assert not pdfs and len(gifts.list_receipts(tab.db, gifts.ReceiptFilter())) == receipts_before
    assert next(r for r in donations_shown(tab) if r.id == row.id).receipt_id is None

    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)
    select_row(tab.donation_table, tab.donation_model, lambda r: r.id == row.id)
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert len(pdfs) == 1 and len(gifts.list_receipts(tab.db, gifts.ReceiptFilter())) == receipts_before + 1


def test_the_original_stays_the_original_until_its_print_is_confirmed(qtbot, tab, monkeypatch, pdfs):
    asked = []
    monkeypatch.setattr(tab_module, "confirm_printed", REAL_CONFIRM_PRINTED)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2])) or False)
    row, number = issue_first_of_three(qtbot, tab, monkeypatch, pdfs)  # a jam: "pas encore"
    assert asked and asked[-1][0] == "Original imprimé ?" and number in asked[-1][1]
    assert "DUPLICATA" not in pdf_text(pdfs[-1][1])
    assert "l'original reste à imprimer" in tab.window().status_text.text()

    tab.pages.setCurrentIndex(1)
    receipt = next(r for r in receipts_shown(tab) if r.number == number)
    assert not receipt.printed and gifts.ReceiptAction.PRINT_ORIGINAL in gifts.receipt_actions(receipt)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    assert tab.preview_button.toolTip() == "Imprimer l'original"
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)  # closed again: still not printed
    assert "duplicata" not in pdfs[-1][0] and "DUPLICATA" not in pdf_text(pdfs[-1][1])

    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2])) or True)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)  # printed this time
    assert "DUPLICATA" not in pdf_text(pdfs[-1][1]) and "original imprimé" in tab.window().status_text.text()
    count = len(asked)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    assert tab.preview_button.toolTip() == "Imprimer un duplicata"
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    assert "duplicata" in pdfs[-1][0] and "DUPLICATA" in pdf_text(pdfs[-1][1])
    assert len(asked) == count  # a duplicate asks nothing


def test_cancel_then_correct_the_first_name_before_the_replacement(qtbot, tab, monkeypatch, pdfs):
    row, number = issue_first_of_three(qtbot, tab, monkeypatch, pdfs)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Erreur sur le prénom")
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[2], k)) or True)
    seen = []
    correct_then_replace(qtbot, monkeypatch, {"first_names": "Lukas", "amount": "85"}, seen)
    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert asked[0][1]["yes"] == "Corriger et remplacer" and "corrigerez d'abord" in asked[0][0]
    dialog = seen[0]
    assert number in dialog.windowTitle() and "Erreur sur le prénom" in dialog.findChild(
        QLabel, "replacement_intro").text()
    replacement = pdf_text(pdfs[-1][1])
    assert "Prénoms : Lukas" in replacement and "Łukasz" not in replacement
    assert "quatre-vingt-cinq euros" in replacement
    assert f"annule et remplace le reçu n° {number}" in replacement
    by_number = {r.number: r for r in receipts_shown(tab)}
    assert by_number[number].cancelled and by_number[number].cancel_reason == "Erreur sur le prénom"
    assert "Prénoms : Łukasz" in pdf_text(gifts.render_receipt(tab.db, by_number[number].id)[0])


def test_a_bad_correction_is_shown_at_its_field_and_cancels_nothing(qtbot, tab, monkeypatch, pdfs):
    row, number = issue_first_of_three(qtbot, tab, monkeypatch, pdfs)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Erreur sur le prénom")
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: True)  # also "fermer sans enregistrer"
    seen = []
    correct_then_replace(qtbot, monkeypatch, {"city": "", "amount": "abc"}, seen)
    tab.pages.setCurrentIndex(1)
    select_row(tab.receipt_table, tab.receipt_model, lambda r: r.number == number)
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    dialog = seen[0]
    assert "obligatoire" in dialog.error_text("city") and "Montant" in dialog.error_text("amount")
    assert "rien n'a été annulé" in tab.window().status_text.text()
    receipt = next(r for r in receipts_shown(tab) if r.number == number)
    assert not receipt.cancelled
    assert gifts.get_donor(tab.db, row.donor_id).city == "Nanterre"


def test_the_same_gift_twice_in_a_request_asks_and_correct_saves_nothing(qtbot, tab, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2])) or False)
    before = len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True)))
    seen = {}

    def run(dialog):
        fill_request(qtbot, dialog, [THREE[0], THREE[0]])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["result"] = dialog.result()
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert seen["result"] == 0 and asked and asked[-1][0] == "Don en double ?"
    assert "Ligne 2 : identique à la ligne 1" in asked[-1][1] and "chèque n° 1234567" in asked[-1][1]
    assert len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True))) == before


def test_a_file_imported_again_says_so_and_asks(qtbot, tab, monkeypatch, tmp_path):
    from ui.gifts.donation_dialogs import ImportRequestDialog

    path = tmp_path / "demande.csv"
    path.write_text(
        "Nom;Prénom;Adresse;Code postal;Commune;Montant;Date;Mode de paiement;N° de chèque\n"
        f"Wójcik;Bożena;5 rue D;92000;Nanterre;45;{TODAY};chèque;555\n"
        f"Øberg;Åsa;6 rue E;92100;Boulogne;12,50;{TODAY};espèces;\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: str(path))
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2])) or False)
    seen = []

    def run(dialog):
        dialog.coop.setCurrentIndex(next(i for i in range(dialog.coop.count())
                                         if dialog.coop.itemText(i).startswith(COOP_NUMBER)))
        seen.append(dialog.summary.text())
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ImportRequestDialog, "exec", run)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    count = len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True)))
    assert "déjà importé" not in seen[0] and not any(t == "Demande déjà enregistrée" for t, _ in asked)

    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)  # the same file again
    assert "Ce fichier a déjà été importé" in seen[1] and "ses 2 dons sont déjà enregistrés" in seen[1]
    assert asked[-1][0] == "Demande déjà enregistrée" and "2 dons en double" in asked[-1][1]
    assert len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True))) == count


def test_a_large_import_runs_off_the_interface_thread_and_annuler_saves_nothing(
        qtbot, tab, monkeypatch, tmp_path):
    """Reading and saving run in a worker with a progress dialog; Annuler while saving rolls
    the whole import back."""
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from ui.gifts.donation_dialogs import ImportRequestDialog

    path = tmp_path / "grosse_demande.csv"
    lines = ["Nom;Prénom;Adresse;Code postal;Commune;Montant;Date;Mode de paiement;N° de chèque"]
    lines += [f"Zyx{i:04d};Anne;{i} rue Neuve;92000;Nanterre;10;{TODAY};chèque;{800000 + i}"
              for i in range(600)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: str(path))
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: False)  # any look-alike: new donor
    threads = []
    real_plan, real_import = gifts.plan_file_steps, gifts.import_steps

    def plan_steps(*a, **k):
        threads.append(("plan", threading.current_thread() is threading.main_thread()))
        return (yield from real_plan(*a, **k))

    def slow_import(*a, **k):
        threads.append(("import", threading.current_thread() is threading.main_thread()))
        for step in real_import(*a, **k):
            time.sleep(0.2)
            yield step

    monkeypatch.setattr(gifts, "plan_file_steps", plan_steps)
    monkeypatch.setattr(gifts, "import_steps", slow_import)
    before = len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True)))
    seen = {}

    def press_cancel():
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and "Enregistrement" in w.labelText()]
        if boxes:
            seen["cancelled"] = True
            boxes[0].canceled.emit()
        else:
            QTimer.singleShot(50, press_cancel)

    def run(dialog):
        dialog.coop.setCurrentIndex(next(i for i in range(dialog.coop.count())
                                         if dialog.coop.itemText(i).startswith(COOP_NUMBER)))
        seen["rows"] = dialog.model.rowCount()
        QTimer.singleShot(100, press_cancel)
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        seen["summary"] = dialog.summary.text()
        return dialog.result()

    monkeypatch.setattr(ImportRequestDialog, "exec", run)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert seen["rows"] == 600 and seen.get("cancelled")
    assert threads and all(not on_main for _what, on_main in threads)
    assert ("import", False) in threads
    assert "Import interrompu : aucun don n'a été enregistré." == seen["summary"]
    assert len(gifts.list_donations(tab.db, gifts.DonationFilter(include_withdrawn=True))) == before


def test_the_coop_picker_has_a_hint_not_a_choice_ignores_accents_and_enter_saves_nothing(
        qtbot, demo_db):
    dialog = RequestDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    picker = dialog.coop
    assert picker.currentIndex() == -1 and picker.currentText() == ""
    assert picker.lineEdit().placeholderText() == "— choisir la coopérative —"
    assert picker.findText("— choisir la coopérative —") == -1 and picker.findData(None) == -1

    picker.lineEdit().setFocus()
    type_text(qtbot, picker.lineEdit(), "emile zola")
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown and all("Émile Zola" in label for label in shown)

    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.currentIndex() >= 0, timeout=2000)
    assert "Émile Zola" in picker.currentText() and picker.currentData() is not None
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Down)
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.error_label.isHidden()  # "Enregistrer les dons" was not pressed


def test_an_amount_typed_in_the_request_grid_shows_as_money(qtbot, tab, monkeypatch):
    seen = {}

    def run(dialog):
        fill_request(qtbot, dialog, [dict(THREE[0], amount="1234,5")])
        item = dialog.grid.item(0, COLUMN_INDEX["amount"])
        seen["shown"] = item.text()
        type_cell(qtbot, dialog.grid, 1, "amount", "douze")
        seen["unreadable"] = dialog.grid.item(1, COLUMN_INDEX["amount"]).text()
        seen["total"] = dialog.total_label.text()
        dialog.grid.item(1, COLUMN_INDEX["amount"]).setText("")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert seen["shown"] == "1\u00a0234,50\u00a0€" and seen["unreadable"] == "douze"
    assert seen["total"] == "Total : 1\u00a0234,50\u00a0€"
    newest = max(gifts.list_donations(tab.db, gifts.DonationFilter()), key=lambda r: r.id)
    assert newest.amount_cents == 123450 and newest.donor_name == "Wiśniewski Łukasz"


def test_a_batch_in_one_pdf_stays_original_until_its_print_is_confirmed(qtbot, tab, monkeypatch, pdfs):
    enter_three(qtbot, tab, monkeypatch)
    coop_id = next(r.coop_id for r in donations_shown(tab) if r.coop_number == COOP_NUMBER)
    monkeypatch.setattr(BatchDialog, "exec", lambda dialog: dialog.coop.setCurrentIndex(
        dialog.coop.findData(coop_id)) or 1)
    monkeypatch.setattr(tab_module, "confirm_batch_printed", REAL_CONFIRM_BATCH_PRINTED)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **k: asked.append((a[1], a[2])) or False)
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    assert asked[-1][0] == "Originaux imprimés ?" and "originaux" in asked[-1][1]
    assert "Les originaux restent à imprimer." in tab.window().status_text.text()
    first, last = pdfs[-1][0].removeprefix("Reçus fiscaux ").split(" à ")
    issued = [r for r in gifts.list_receipts(tab.db, gifts.ReceiptFilter())
              if first <= r.number <= last]
    assert len(issued) >= 3 and all(not r.printed for r in issued)
    assert "DUPLICATA" not in pdf_text(gifts.render_receipt(tab.db, issued[0].id)[0])


def test_the_totals_line_says_what_each_figure_counts(qtbot, tab):
    """Gifts received during the year and receipts issued during it are two different sets:
    the line names each, so 375 gifts beside 115 receipts and 368 pending reads right."""
    from ui.gifts.tab import totals_text

    text = tab.totals_label.text()
    assert "Dons reçus pendant l'exercice" in text and "Reçus émis pendant l'exercice" in text
    assert "encore sans reçu" in text
    t = gifts.YearTotals(1, 5000, 0, 0, 0, 1)
    assert totals_text("2025-2026", t) == (
        "<b>Dons reçus pendant l'exercice 2025-2026</b> : 1 don pour 50,00\u00a0€, dont "
        "<span style='color:#8a4b00'><b>1 encore sans reçu</b></span> — <b>Reçus émis pendant "
        "l'exercice</b> : 0 reçu valide pour 0,00\u00a0€ (aucun annulé).")


def test_a_gift_in_kind_is_entered_in_the_grid_with_its_goods_and_valuation(qtbot, tab, monkeypatch):
    """« En nature » in the Mode column: the goods and their valuation are required at their
    cells, then the gift is saved as a gift in kind (nature « Autres »), with no cheque."""
    from sqlalchemy import select

    from occe_bureau.gifts.models import Donation

    line = dict(last_name="Quillard", first_names="Zéphyrin", address="4 rue C", postal_code="92000",
                city="Nanterre", amount="120", cheque_number="1234567", method="en-nature")
    outcome = {}

    def run(dialog):
        fill_request(qtbot, dialog, [line])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        column = COLUMN_INDEX["kind_description"]
        outcome["error"] = dialog.grid.item(0, column).toolTip()
        type_cell(qtbot, dialog.grid, 0, "kind_description", "Six ballons et un filet de volley")
        type_cell(qtbot, dialog.grid, 0, "kind_valuation", "Prix d'achat sur facture")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RequestDialog, "exec", run)
    with tab.db.session() as session:
        before = session.scalars(select(Donation.id)).all()
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    assert "description des biens" in outcome["error"]
    with tab.db.session() as session:
        (saved,) = session.scalars(select(Donation).where(Donation.id.not_in(before))).all()
    assert saved.nature == gifts.GiftNature.AUTRE and saved.cheque_number == ""
    assert saved.kind_description == "Six ballons et un filet de volley"
    assert saved.kind_valuation == "Prix d'achat sur facture" and saved.amount_cents == 12000
