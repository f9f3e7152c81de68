"""The Ventes tab through its real widgets: the September grid, a delivery, an invoice paid by a
town hall (its PDF read back), the Factur-X file saved and its XML checked, bad input refused at
its field, names printed as typed, two forms on one record (the second save refused, the record
reloaded), and every table model under the Qt model tester."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from occe_bureau import clock, sales, workstation
from occe_bureau.formats import format_money
from tests.core.sales_helpers import SELLER_SIRET, TOWN_SIRET, setup_sales
from tests.pdf import pdf_text
from tests.ui.conftest import make_window
from tests.ui.typing import type_text
from ui.sales.dialogs import OrderDialog, PayerDialog, PaymentDialog, ProductDialog
from ui.sales.september_dialog import SeptemberDialog
from ui.sales.tab import SalesTab
from ui.shell import dialogs, pdf_preview
from ui.shell.table_model import OBJECT_ROLE

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def shop(db):
    clock.set_fixed(date(2025, 9, 15))
    ctx = setup_sales(db)
    sales.add_movement(db, ctx["agendas"][2], 100, sales.MovementReason.RECEIVED, on=date(2025, 9, 1))
    return db, ctx


@pytest.fixture
def tab(qtbot, shop, tmp_path):
    db, _ctx = shop
    window = make_window(qtbot, db, tmp_path)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles.index("Ventes") == titles.index("Dons et reçus") + 1
    window.tabs.setCurrentIndex(titles.index("Ventes"))
    sales_tab = window.tabs.currentWidget()
    assert isinstance(sales_tab, SalesTab)
    return sales_tab


@pytest.fixture
def pdfs(monkeypatch):
    shown = []
    monkeypatch.setattr(pdf_preview, "show_pdf", lambda parent, pdf, title, name: shown.append((title, pdf)))
    return shown


def rows(model):
    return [model.index(r, 0).data(OBJECT_ROLE) for r in range(model.rowCount())]


def select(page, number: str) -> None:
    for index, row in enumerate(page.model.rows()):
        if row.number == number:
            page.table.selectRow(index)
            return
    raise AssertionError(f"commande {number} absente")


def type_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Type into a grid cell as the secretary does: go to it, type, Enter."""
    table.setCurrentCell(row, column)
    table.setFocus()
    qtbot.keyClicks(table, text[0])          # the first key opens the cell's editor…
    editor = table.focusWidget()
    assert editor is not table
    qtbot.keyClicks(editor, text[1:])        # …which takes the rest
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(row, column).text() == text)   # Qt commits it queued


def test_the_september_grid_creates_the_orders_in_one_go(qtbot, tab, shop, monkeypatch):
    db, ctx = shop
    page = tab.orders_page
    seen = {}

    def run(dialog: SeptemberDialog):
        coop_row = next(i for i, (cid, _l) in enumerate(dialog.coops) if cid == ctx["coop"])
        other_row = next(i for i, (cid, _l) in enumerate(dialog.coops) if cid == ctx["other"])
        type_cell(qtbot, dialog.table, coop_row, 2, "12")       # cycle 2
        type_cell(qtbot, dialog.table, coop_row, 3, "-3")       # cycle 3: refused
        type_cell(qtbot, dialog.table, other_row, 2, "8")
        dialog.set_town_hall_pays(ctx["other"])
        assert dialog.summary.text() == "2 commandes, 20 agendas"
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen["error"] = dialog.general_error.text()
        seen["red"] = dialog.table.item(coop_row, 3).background().color().name()
        assert sales.list_orders(db, sales.OrderFilter()).count == 0
        dialog.table.item(coop_row, 3).setText("3")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(SeptemberDialog, "exec", run)
    qtbot.mouseClick(page.buttons["september"], CLICK)
    assert "92-0001 École maternelle Jean Jaurès, cycle 3 : doit être supérieur à zéro" in seen["error"]
    assert seen["red"] == "#f6d5d5"
    listed = rows(page.model)
    assert len(listed) == 2 and {r.payer_label for r in listed} == {"La coopérative", "Mairie de Nanterre"}
    assert "2 commandes" in page.summary.text()
    f = sales.year_figures(db, 2025)
    assert [(c.cycle, c.quantity) for c in f.cycles] == [(1, 0), (2, 20), (3, 3)]


def new_order(qtbot, tab, monkeypatch, fill):
    monkeypatch.setattr(OrderDialog, "exec", lambda dialog: (fill(dialog), dialog.result())[1])
    qtbot.mouseClick(tab.orders_page.buttons["new"], CLICK)


def pick(combo, starts: str) -> None:
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(starts)))


def test_bad_lines_are_refused_at_their_field_and_nothing_is_saved(qtbot, tab, shop, monkeypatch):
    db, _ctx = shop
    errors = {}

    def fill(dialog: OrderDialog):
        pick(dialog.coop, "92-0001")
        product, quantity, price = dialog.rows[0]
        pick(product, "Agenda coopératif cycle 2")
        assert price.text() == "6,50"
        type_text(qtbot, quantity, "0")
        product2, quantity2, price2 = dialog.rows[1]
        pick(product2, "Lire c'est partir")
        type_text(qtbot, quantity2, "4")
        price2.clear()
        type_text(qtbot, price2, "-2")
        qtbot.mouseClick(dialog.save_button, CLICK)
        errors.update(q=dialog.error_text("line_0_quantity"), p=dialog.error_text("line_1_price"))
        quantity.clear()
        type_text(qtbot, quantity, "25")
        price2.clear()
        type_text(qtbot, price2, "0,90")
        assert dialog.total.text() == "Total : 166,10\u00a0€"
        qtbot.mouseClick(dialog.save_button, CLICK)

    new_order(qtbot, tab, monkeypatch, fill)
    assert errors == {"q": "Ligne 1, quantité : doit être supérieur à zéro.",
                      "p": "Ligne 2, prix unitaire : doit être supérieur à zéro."}
    [row] = rows(tab.orders_page.model)
    assert row.total_cents == 25 * 650 + 4 * 90


def test_delivery_warns_of_a_stock_going_below_zero(qtbot, tab, shop, monkeypatch):
    db, ctx = shop
    oid = sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), lines=[
        sales.LineData(ctx["agendas"][2], 30, None), sales.LineData(ctx["book"], 5, None)]))
    page = tab.orders_page
    page.reload(select_id=oid)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda parent, title, text, **kw: asked.append(text) or True)
    qtbot.mouseClick(page.buttons["deliver"], CLICK)
    assert "Lire c'est partir – album : 0 en stock, 5 à livrer (le stock passera à −5)" in asked[0] \
        or "Lire c'est partir – album : 0 en stock, 5 à livrer (le stock passera à -5)" in asked[0]
    assert page.selected().state is sales.OrderState.DELIVERED
    assert not page.buttons["deliver"].isEnabled()
    tab.pages.setCurrentWidget(tab.catalogue_page)
    stocks = {r.id: r.stock for r in rows(tab.catalogue_page.model)}
    assert (stocks[ctx["agendas"][2]], stocks[ctx["book"]]) == (70, -5)


def test_a_town_hall_is_invoiced_and_pays_by_mandat(qtbot, tab, shop, pdfs, monkeypatch, tmp_path):
    db, ctx = shop

    def fill(dialog: OrderDialog):
        pick(dialog.coop, "92-0002")
        dialog.payer_kind.setCurrentIndex(dialog.payer_kind.findData(sales.PayerKind.TOWN_HALL))
        pick(dialog.payer, "Mairie de Nanterre")
        type_text(qtbot, dialog.commitment, "EJ-2025-0042")
        pick(dialog.rows[0][0], "Agenda coopératif cycle 3")
        type_text(qtbot, dialog.rows[0][1], "65")
        qtbot.mouseClick(dialog.save_button, CLICK)

    new_order(qtbot, tab, monkeypatch, fill)
    page = tab.orders_page
    order = page.selected()
    assert order.payer_label == "Mairie de Nanterre" and order.total_cents == 42250
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **kw: True)
    qtbot.mouseClick(page.buttons["invoice"], CLICK)
    title, pdf = pdfs[-1]
    assert title == "Facture F2025-0001"
    text = pdf_text(pdf).replace("\u00a0", " ").replace("\u202f", " ")
    for expected in ("FACTURE", "F2025-0001", "Mairie de Nanterre", "EJ-2025-0042", "SCOLAIRE",
                     "422,50", "TVA non applicable, art. 261-7-1° b du CGI", "40 €", "C2025-0001"):
        assert expected in text, expected
    assert TOWN_SIRET[:9] in text.replace(" ", "") and SELLER_SIRET[:9] in text.replace(" ", "")

    # the Factur-X file Chorus Pro takes: saved, then its XML read back and checked
    target = tmp_path / "chorus"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(target))
    told = []
    monkeypatch.setattr(dialogs, "show_exported", lambda parent, title, text, path: told.append(path))
    qtbot.mouseClick(page.buttons["facturx"], CLICK)
    data = (tmp_path / "chorus.pdf").read_bytes()
    summary = sales.read_facturx(data)
    assert (summary.number, summary.buyer_siret, summary.seller_siret) == ("F2025-0001", TOWN_SIRET, SELLER_SIRET)
    assert (summary.service_code, summary.commitment_number, summary.total_cents) == ("SCOLAIRE", "EJ-2025-0042", 42250)
    assert summary.line_quantities == (65,) and summary.line_amounts == (42250,)
    from facturx import get_xml_from_pdf, xml_check_xsd

    _name, xml = get_xml_from_pdf(data, check_xsd=False)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")

    # paid in two mandats; one above what remains is refused at its field
    def pay(amount, reference, check=None):
        def run(dialog: PaymentDialog):
            assert dialog.method.currentData() == sales.PaymentMethod.MANDAT
            dialog.amount.clear()
            type_text(qtbot, dialog.amount, amount)
            type_text(qtbot, dialog.reference, reference)
            qtbot.mouseClick(dialog.save_button, CLICK)
            if check:
                check(dialog)
                dialog.amount.clear()
                type_text(qtbot, dialog.amount, "22,50")
                qtbot.mouseClick(dialog.save_button, CLICK)
            return dialog.result()
        monkeypatch.setattr(PaymentDialog, "exec", run)
        qtbot.mouseClick(page.buttons["pay"], CLICK)

    refused = []
    pay("400", "M-1")
    pay("30", "M-2", check=lambda d: refused.append(d.error_text("amount")))
    assert refused == ["Montant : 30,00\u00a0€ dépasse ce qui reste dû (22,50\u00a0€)."]
    assert page.selected().state is sales.OrderState.PAID
    qtbot.mouseClick(page.buttons["receipt"], CLICK)
    receipt = pdf_text(pdfs[-1][1])
    assert "Mandat administratif n° M-1" in receipt and "Mandat administratif n° M-2" in receipt


def test_a_payer_s_bad_siret_is_refused_and_its_name_printed_as_typed(qtbot, tab, shop, pdfs, monkeypatch):
    db, ctx = shop
    tab.pages.setCurrentWidget(tab.payers_page)
    odd = "<b>Mairie</b> =SOMME(A1) & « Cie »"
    seen = []

    def run(dialog: PayerDialog):
        type_text(qtbot, dialog.name, odd)
        type_text(qtbot, dialog.address, "1 place de la Mairie")
        type_text(qtbot, dialog.postal_code, "92330")
        type_text(qtbot, dialog.city, "Sceaux")
        type_text(qtbot, dialog.siret, "21920050800015")
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen.append(dialog.error_text("siret"))
        dialog.siret.clear()
        type_text(qtbot, dialog.siret, "219 200 508 00014")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(PayerDialog, "exec", run)
    qtbot.mouseClick(tab.payers_page.new_button, CLICK)
    assert seen == ["SIRET : ce numéro SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le."]
    payer = tab.payers_page.selected()
    assert payer.name == odd and payer.siret == TOWN_SIRET
    oid = sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), sales.PayerKind.TOWN_HALL,
                                                 payer.id, lines=[sales.LineData(ctx["book"], 2, None)]))
    tab.pages.setCurrentWidget(tab.orders_page)
    tab.orders_page.reload(select_id=oid)
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **kw: True)
    qtbot.mouseClick(tab.orders_page.buttons["invoice"], CLICK)
    assert odd in pdf_text(pdfs[-1][1])


def test_cancel_an_invoice_then_the_batch_print(qtbot, tab, shop, pdfs, monkeypatch):
    db, ctx = shop
    ids = [sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), lines=[
        sales.LineData(ctx["book"], n, None)])) for n in (1, 2)]
    for oid in ids:
        sales.deliver_order(db, oid)
    page = tab.orders_page
    page.reload()
    monkeypatch.setattr(dialogs, "ask_confirm", lambda *a, **kw: True)
    qtbot.mouseClick(page.buttons["invoice_all"], CLICK)
    assert [r.invoice_number for r in rows(page.model)] == ["F2025-0002", "F2025-0001"]
    select(page, "C2025-0001")
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: "Erreur de quantité")
    qtbot.mouseClick(page.buttons["cancel_invoice"], CLICK)
    title, pdf = pdfs[-1]
    assert title == "Avoir AV2025-0001" and "F2025-0001" in pdf_text(pdf)
    assert page.selected().invoice_number == "" and page.buttons["invoice"].isEnabled()
    qtbot.mouseClick(page.buttons["print_all"], CLICK)
    title, pdf = pdfs[-1]
    text = pdf_text(pdf)
    assert title == "Factures 2025-2026"
    assert all(n in text for n in ("F2025-0001", "F2025-0002", "AV2025-0001"))


def test_the_models_pass_the_qt_model_tester(qtmodeltester, qtbot, tab, shop):
    db, ctx = shop
    sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), lines=[sales.LineData(ctx["book"], 3, None)]))
    tab.orders_page.reload()
    for page in (tab.catalogue_page, tab.payers_page, tab.figures_page):
        tab.pages.setCurrentWidget(page)
    tab.catalogue_page.reload(select_id=ctx["agendas"][2])
    models = [tab.orders_page.model, tab.catalogue_page.model, tab.catalogue_page.movements,
              tab.payers_page.model, tab.figures_page.products, tab.figures_page.coops]
    assert [m.rowCount() for m in models] == [1, 4, 1, 1, 1, 1]
    for model in models:
        qtmodeltester.check(model)


def test_the_tab_opens_on_the_demo_and_shows_the_report_s_figures(qtbot, demo_db, tmp_path):
    window = make_window(qtbot, demo_db, tmp_path)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index("Ventes"))
    tab = window.tabs.currentWidget()
    assert tab.orders_page.model.rowCount() > 50
    assert tab.orders_page.year.currentText() == "2025-2026"
    tab.pages.setCurrentWidget(tab.figures_page)
    tab.figures_page.year.setCurrentIndex(tab.figures_page.year.findText("2024-2025"))
    assert tab.figures_page.cycles.text().startswith(
        "0 agenda cycle 1 vendu — 370 agendas cycle 2 vendus — 65 agendas cycle 3 vendus — 1\u00a0936 livres vendus")
    # sorting by a header asks the database again
    tab.pages.setCurrentWidget(tab.orders_page)
    page = tab.orders_page
    page.table.sortByColumn(page.model.sort_keys.index("total"), Qt.SortOrder.DescendingOrder)
    totals = [r.total_cents for r in rows(page.model)]
    assert totals == sorted(totals, reverse=True)
    page.unpaid.setChecked(True)
    assert all(r.age_days is not None for r in rows(page.model))


def test_an_inactive_product_is_not_offered_to_a_new_order(qtbot, shop):
    db, _ctx = shop
    old = sales.create_product(db, sales.ProductData(name="Kit « Ancien »", kind=sales.ProductKind.KIT,
                                                     unit_price="12", active=False))
    dialog = OrderDialog(db)
    qtbot.addWidget(dialog)
    offered = [dialog.rows[0][0].itemData(i) for i in range(dialog.rows[0][0].count())]
    assert old not in offered and len(offered) == 5   # the blank choice and the 4 active products


# ---- no lost update: two forms on the same record (occe_bureau/versions.py) ------------------

def opened(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_two_product_forms_the_price_saved_first_is_not_lost(qtbot, shop, monkeypatch):
    db, ctx = shop
    book = ctx["book"]
    first = opened(qtbot, ProductDialog(db, book))
    second = opened(qtbot, ProductDialog(db, book))
    first.price.clear()
    type_text(qtbot, first.price, "1,20")
    with workstation.acting_as("marie", "BUREAU-2"):
        qtbot.mouseClick(first.save_button, CLICK)
    assert first.result() == 1

    second.name.clear()
    type_text(qtbot, second.name, "Lire c'est partir – album illustré")
    qtbot.mouseClick(second.save_button, CLICK)
    assert second.isVisible() and second.result() == 0
    message = second.general_error.text()
    assert message.startswith("Cette fiche a été modifiée par marie sur BUREAU-2 le "), message
    assert "n'ont pas été enregistrés" in message
    assert second.reload_button.isVisible() and second.reload_button.text() == "Recharger la fiche"
    stored = sales.get_product(db, book)
    assert (stored.name, stored.unit_price) == ("Lire c'est partir – album", 120)

    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.price.text() == "1,20"          # marie's change, now in the form
    assert second.errors.message("name") == "Vous aviez saisi : « Lire c'est partir – album illustré »"
    assert not second.reload_button.isVisible()
    type_text(qtbot, second.name, " illustré")
    qtbot.mouseClick(second.save_button, CLICK)
    assert second.result() == 1
    stored = sales.get_product(db, book)
    assert (stored.name, stored.unit_price) == ("Lire c'est partir – album illustré", 120)


def test_two_payer_forms_the_service_code_saved_first_is_not_lost(qtbot, shop):
    db, ctx = shop
    first = opened(qtbot, PayerDialog(db, ctx["town"]))
    second = opened(qtbot, PayerDialog(db, ctx["town"]))
    first.service_code.clear()
    type_text(qtbot, first.service_code, "ECOLES")
    with workstation.acting_as("marie", "BUREAU-2"):
        qtbot.mouseClick(first.save_button, CLICK)
    assert first.result() == 1

    type_text(qtbot, second.email, "mairie@nanterre.fr")
    qtbot.mouseClick(second.save_button, CLICK)
    assert second.isVisible() and second.result() == 0
    assert second.general_error.text().startswith("Cette fiche a été modifiée par marie sur BUREAU-2")
    assert second.reload_button.isVisible() and second.reload_button.text() == "Recharger la fiche"
    stored = sales.get_payer(db, ctx["town"])
    assert (stored.service_code, stored.email) == ("ECOLES", "")
    qtbot.mouseClick(second.reload_button, CLICK)
    assert second.service_code.text() == "ECOLES"
    assert second.errors.message("email") == "Vous aviez saisi : « mairie@nanterre.fr »"


def test_an_order_form_reloads_the_lines_changed_meanwhile(qtbot, shop):
    db, ctx = shop
    oid = sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), lines=[
        sales.LineData(ctx["book"], 10, None)]))
    form = opened(qtbot, OrderDialog(db, oid))
    changed = sales.get_order(db, oid)
    data = changed.to_data()
    data.lines.append(sales.LineData(ctx["agendas"][2], 30, None))
    with workstation.acting_as("marie", "BUREAU-2"):
        sales.update_order(db, oid, data, version=changed.version)
    type_text(qtbot, form.notes, "Livrer à l'accueil.")
    qtbot.mouseClick(form.save_button, CLICK)
    assert form.result() == 0 and "par marie sur BUREAU-2" in form.general_error.text()
    assert [line.quantity for line in sales.get_order(db, oid).lines] == [10, 30]
    qtbot.mouseClick(form.reload_button, CLICK)
    assert [(p.currentData(), q.text()) for p, q, _price in form.rows[:2]] == [
        (ctx["book"], "10"), (ctx["agendas"][2], "30")]
    assert form.total.text() == f"Total : {format_money(20500)}"
    type_text(qtbot, form.notes, "Livrer à l'accueil.")
    qtbot.mouseClick(form.save_button, CLICK)
    assert form.result() == 1
    stored = sales.get_order(db, oid)
    assert stored.notes == "Livrer à l'accueil." and stored.row.total_cents == 20500


def test_an_order_changed_since_it_was_listed_is_not_cancelled(qtbot, tab, shop, monkeypatch):
    db, ctx = shop
    oid = sales.create_order(db, sales.OrderData(ctx["coop"], clock.today(), lines=[
        sales.LineData(ctx["book"], 10, None)]))
    page = tab.orders_page
    tab.pages.setCurrentWidget(page)
    page.reload(select_id=oid)
    listed = page.selected()
    with workstation.acting_as("marie", "BUREAU-2"):
        sales.deliver_order(db, oid)
    warnings = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: "Doublon")
    monkeypatch.setattr(dialogs, "show_warning", lambda parent, title, text: warnings.append(text))
    qtbot.mouseClick(page.buttons["cancel"], CLICK)
    assert len(warnings) == 1 and warnings[0].startswith(
        "Cette commande a été modifiée par marie sur BUREAU-2"), warnings
    assert sales.get_order(db, oid).row.state is sales.OrderState.DELIVERED
    shown = page.selected()   # the list shows the order as it is now
    assert shown.id == oid and shown.version == sales.get_order(db, oid).version > listed.version
    assert shown.state is sales.OrderState.DELIVERED
