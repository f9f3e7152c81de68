"""Sales rules: stock as the sum of movements, orders and their totals, partial payments and an
overpayment refused, delivery, invoices frozen and numbered, cancellation answered by a credit
note, bad input refused at the field, the year's figures per cycle, and no lost update on a
product, a payer or an order."""

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from occe_bureau import sales, workstation
from occe_bureau.validation import StaleRecord, ValidationError
from tests.core.sales_helpers import ORDERED, SELLER_SIRET, TOWN_SIRET, order, setup_sales

PAID_ON = date(2025, 10, 2)


@pytest.fixture
def ctx(db):
    return setup_sales(db)


def stock(db, product_id):
    return next(p.stock for p in sales.list_products(db) if p.id == product_id)


def test_stock_is_the_sum_of_its_movements(db, ctx):
    book = ctx["book"]
    assert stock(db, book) == 0
    sales.add_movement(db, book, "500", sales.MovementReason.RECEIVED, on=date(2025, 9, 1))
    sales.add_movement(db, book, "-3", sales.MovementReason.CORRECTION, on=date(2025, 9, 2))
    sales.add_movement(db, book, 2, sales.MovementReason.RETURN, on=date(2025, 9, 3))
    assert stock(db, book) == 499
    oid = order(db, ctx, [(book, 420, None)])
    assert sales.stock_shortfalls(db, oid) == []
    sales.deliver_order(db, oid, on=date(2025, 9, 20))
    assert stock(db, book) == 79
    row = next(p for p in sales.list_products(db) if p.id == book)
    assert row.is_low and row.stock_warning == "Stock bas."
    assert [m.reason for m in sales.list_movements(db, book)][0] is sales.MovementReason.SALE
    # a delivery taking stock below zero is warned of, then allowed
    second = order(db, ctx, [(book, 100, None)])
    [short] = sales.stock_shortfalls(db, second)
    assert short.text.startswith("Lire c'est partir – album : 79 en stock, 100 à livrer")
    sales.deliver_order(db, second, on=date(2025, 9, 21))
    assert stock(db, book) == -21
    with pytest.raises(ValidationError) as err:
        sales.add_movement(db, book, "0", sales.MovementReason.CORRECTION)
    assert "ne peut pas être nul" in err.value.errors["quantity"]
    with pytest.raises(ValidationError):
        sales.add_movement(db, book, "5", sales.MovementReason.SALE)


def test_order_total_price_from_the_catalogue_and_editable(db, ctx):
    oid = order(db, ctx, [(ctx["agendas"][2], 25, None), (ctx["book"], 10, "0,80")])
    detail = sales.get_order(db, oid)
    assert detail.row.number == "C2025-0001"
    assert [(l.quantity, l.unit_price_cents) for l in detail.lines] == [(25, 650), (10, 80)]
    assert detail.row.total_cents == 25 * 650 + 800
    assert detail.row.state is sales.OrderState.ORDERED


@pytest.mark.parametrize("quantity, price, field, words", [
    ("0", None, "line_0_quantity", "supérieur à zéro"),
    ("-4", None, "line_0_quantity", "supérieur à zéro"),
    ("2,5", None, "line_0_quantity", "nombre entier"),
    ("3", "0", "line_0_price", "supérieur à zéro"),
    ("3", "-1,00", "line_0_price", "supérieur à zéro"),
])
def test_bad_lines_are_refused_at_their_field(db, ctx, quantity, price, field, words):
    with pytest.raises(ValidationError) as err:
        order(db, ctx, [(ctx["book"], quantity, price)])
    assert words in err.value.errors[field]
    assert sales.list_orders(db, sales.OrderFilter()).count == 0


def test_an_inactive_product_is_refused_on_a_new_line(db, ctx):
    data = sales.get_product(db, ctx["book"])
    data.active = False
    sales.update_product(db, ctx["book"], data)
    with pytest.raises(ValidationError) as err:
        order(db, ctx, [(ctx["book"], 3, None)])
    assert "n'est plus au catalogue" in err.value.errors["line_0_product"]
    assert ctx["book"] not in [p.id for p in sales.list_products(db, active_only=True)]


def test_partial_payments_add_up_and_an_overpayment_is_refused(db, ctx):
    oid = order(db, ctx, [(ctx["agendas"][3], 10, None)], payer=True, commitment="ENG-2025-77")
    sales.issue_invoice(db, oid, on=ORDERED)
    sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "20,00", sales.PaymentMethod.MANDAT, "M-12"))
    with pytest.raises(ValidationError) as err:
        sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "45,01", sales.PaymentMethod.VIREMENT))
    assert err.value.errors["amount"] == "Montant : 45,01\u00a0€ dépasse ce qui reste dû (45,00\u00a0€)."
    with pytest.raises(ValidationError) as err:
        sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "10", sales.PaymentMethod.CHEQUE, ""))
    assert "Numéro du chèque" in err.value.errors["reference"]
    assert sales.get_order(db, oid).row.state is sales.OrderState.ORDERED
    sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "45", sales.PaymentMethod.CHEQUE, "1234567"))
    detail = sales.get_order(db, oid)
    assert (detail.row.paid_cents, detail.row.state) == (6500, sales.OrderState.PAID)
    with pytest.raises(ValidationError) as err:
        sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "1", sales.PaymentMethod.ESPECES))
    assert "déjà entièrement payée" in err.value.errors["amount"]
    receipt = sales.receipt_document(db, oid)
    assert [p[1] for p in receipt.payments] == ["Mandat administratif n° M-12", "Chèque n° 1234567"]
    assert receipt.total_cents == 6500


def test_delivery_then_payment_states(db, ctx):
    oid = order(db, ctx, [(ctx["agendas"][1], 2, None)])
    sales.deliver_order(db, oid, on=date(2025, 9, 16))
    assert sales.get_order(db, oid).row.state is sales.OrderState.DELIVERED
    with pytest.raises(ValidationError):
        sales.deliver_order(db, oid, on=date(2025, 9, 17))
    sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "13", sales.PaymentMethod.ESPECES))
    assert sales.get_order(db, oid).row.state is sales.OrderState.PAID


def test_an_invoice_is_frozen_and_its_town_hall_identified(db, ctx):
    oid = order(db, ctx, [(ctx["agendas"][2], 30, None)], payer=True, commitment="ENG-42")
    first = sales.issue_invoice(db, oid, on=date(2025, 9, 20))
    doc = sales.invoice_document(db, first)
    assert doc.number == "F2025-0001" and doc.kind == sales.InvoiceKind.INVOICE
    assert (doc.seller.siret, doc.seller.siren, doc.buyer.siret) == (SELLER_SIRET, SELLER_SIRET[:9], TOWN_SIRET)
    assert (doc.buyer.is_public_body, doc.buyer.service_code, doc.buyer.commitment_number) == (
        True, "SCOLAIRE", "ENG-42")
    assert doc.recovery_indemnity and doc.vat_mention == "TVA non applicable, art. 261-7-1° b du CGI"
    assert doc.due_date == date(2025, 10, 20) and doc.total_cents == 19500
    assert doc.lines[0].description == "Agenda coopératif cycle 2 – édition 2025-2026"
    with pytest.raises(ValidationError):
        sales.issue_invoice(db, oid)
    with pytest.raises(ValidationError):
        sales.update_order(db, oid, sales.get_order(db, oid).to_data())
    # the town hall renamed later: the invoice printed keeps its name
    town = sales.get_payer(db, ctx["town"])
    sales.update_payer(db, town.id, sales.PayerData(town.kind, "Ville de Nanterre", town.address,
                                                    town.postal_code, town.city, "", town.siret))
    assert sales.invoice_document(db, first).buyer.name == "Mairie de Nanterre"


def test_the_database_refuses_to_change_or_delete_an_invoice(db, ctx):
    oid = order(db, ctx, [(ctx["book"], 3, None)])
    sales.issue_invoice(db, oid)
    with db.engine.connect() as conn:
        for statement in ("UPDATE sale_invoice SET total_cents = 1",
                          "UPDATE sale_invoice SET buyer_name = 'X'",
                          "UPDATE sale_invoice_line SET quantity = 9",
                          "DELETE FROM sale_invoice_line", "DELETE FROM sale_invoice"):
            with pytest.raises(DBAPIError) as err:
                conn.execute(text(statement))
            assert "facture émise" in str(err.value)
            conn.rollback()
        conn.execute(text("UPDATE sale_invoice SET printed_at = '2025-09-20 10:00:00'"))
        conn.rollback()


def test_cancellation_keeps_the_number_and_a_credit_note_answers_it(db, ctx):
    oid = order(db, ctx, [(ctx["agendas"][2], 4, None)])
    first = sales.issue_invoice(db, oid, on=date(2025, 9, 20))
    with pytest.raises(ValidationError) as err:
        sales.cancel_invoice(db, first, "  ")
    assert "obligatoire" in err.value.errors["reason"]
    credit = sales.cancel_invoice(db, first, "Quantité erronée", on=date(2025, 9, 22))
    note = sales.invoice_document(db, credit)
    assert (note.kind, note.number, note.credited_number, note.cancel_reason) == (
        sales.InvoiceKind.CREDIT_NOTE, "AV2025-0001", "F2025-0001", "Quantité erronée")
    assert note.total_cents == 2600 and note.credited_date == date(2025, 9, 20)
    detail = sales.get_order(db, oid)
    assert [(i.number, i.cancelled) for i in detail.invoices] == [("F2025-0001", True), ("AV2025-0001", False)]
    assert detail.may_edit
    data = detail.to_data()
    data.lines[0].quantity = 3
    sales.update_order(db, oid, data)
    again = sales.issue_invoice(db, oid, on=date(2025, 9, 23))
    assert sales.invoice_document(db, again).number == "F2025-0002"
    with pytest.raises(ValidationError):
        sales.cancel_invoice(db, first, "encore")
    # an order cancelled with its invoice: a second credit note, delivered goods back in stock
    sales.deliver_order(db, oid, on=date(2025, 9, 24))
    before = stock(db, ctx["agendas"][2])
    sales.cancel_order(db, oid, "Classe fermée", on=date(2025, 9, 25))
    detail = sales.get_order(db, oid)
    assert detail.row.state is sales.OrderState.CANCELLED
    assert [i.number for i in detail.invoices][-1] == "AV2025-0002"
    assert stock(db, ctx["agendas"][2]) == before + 3


def test_numbering_survives_a_failure_halfway(db, ctx, monkeypatch):
    from occe_bureau.sales import invoicing

    one, two = order(db, ctx, [(ctx["book"], 1, None)]), order(db, ctx, [(ctx["book"], 2, None)])
    real = invoicing.coop_label
    monkeypatch.setattr(invoicing, "coop_label", lambda coop: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        sales.issue_invoice(db, one)
    monkeypatch.setattr(invoicing, "coop_label", real)
    assert sales.get_order(db, one).invoices == []
    sales.issue_invoice(db, two)
    sales.issue_invoice(db, one)
    assert [sales.get_order(db, o).invoices[0].number for o in (two, one)] == ["F2026-0001", "F2026-0002"]


def test_a_batch_cancelled_halfway_issues_nothing(db, ctx):
    ids = [order(db, ctx, [(ctx["book"], n, None)]) for n in (1, 2, 3)]
    batch = sales.issue_invoices(db, ids)
    assert next(batch) == (1, 3)
    batch.close()
    assert all(sales.get_order(db, o).invoices == [] for o in ids)
    batch = sales.issue_invoices(db, ids)
    with pytest.raises(StopIteration) as done:
        while True:
            next(batch)
    assert len(done.value.value) == 3
    assert [d.number for d in sales.invoice_documents(db, done.value.value)] == [
        "F2026-0001", "F2026-0002", "F2026-0003"]


def test_two_workstations_issue_at_once_on_sqlite(db, ctx):
    from tests.core.test_sales_postgresql import issue_from_two_workstations

    issue_from_two_workstations(db, ctx)


def test_payer_checks(db, ctx):
    bad = sales.PayerData(sales.PayerKind.TOWN_HALL, "Mairie", "1 place", "92000", "Sceaux",
                          siret="21920050800015")
    with pytest.raises(ValidationError) as err:
        sales.create_payer(db, bad)
    assert "clé de contrôle" in err.value.errors["siret"]
    bad.siret = "2192005080"
    with pytest.raises(ValidationError) as err:
        sales.create_payer(db, bad)
    assert "14 chiffres" in err.value.errors["siret"]
    bad.siret = ""
    with pytest.raises(ValidationError) as err:
        sales.create_payer(db, bad)
    assert "obligatoire pour une mairie" in err.value.errors["siret"]
    odd = "<b>Mairie</b> =SOMME(A1) & Cie"
    pid = sales.create_payer(db, sales.PayerData(sales.PayerKind.OTHER, odd, siret=""))
    assert sales.get_payer(db, pid).name == odd
    assert [p.id for p in sales.list_payers(db, "somme")] == [pid]


def test_seller_siret_is_checked_in_settings(db):
    from occe_bureau.association import save_settings

    with pytest.raises(ValidationError) as err:
        save_settings(db, {sales.SELLER_SIRET.key: "73282932000075"})
    assert "clé de contrôle" in err.value.errors[sales.SELLER_SIRET.key]
    with pytest.raises(ValidationError):
        save_settings(db, {sales.PAYMENT_DAYS.key: "90"})
    save_settings(db, {sales.SELLER_SIRET.key: "732 829 320 00074", sales.VAT_MENTION.key: "293B"})
    terms = sales.invoice_terms(db)
    assert (terms.seller_siret, terms.vat_mention) == (SELLER_SIRET, "TVA non applicable, art. 293 B du CGI")


def test_september_grid_creates_every_order_or_none(db, ctx):
    columns = sales.grid_columns(db, 2025)
    assert [c.cycle for c in columns] == [1, 2, 3]
    ids = {c.cycle: c.product_id for c in columns}
    bad = [sales.GridRow(ctx["coop"], {ids[2]: "12", ids[3]: "-1"}),
           sales.GridRow(ctx["other"], {ids[2]: "8"}, sales.PayerKind.OTHER, None)]
    with pytest.raises(ValidationError) as err:
        sales.enter_grid(db, bad, ordered_on=ORDERED)
    assert set(err.value.errors) == {f"row_0_cell_{ids[3]}", "row_1_payer"}
    assert sales.list_orders(db, sales.OrderFilter()).count == 0
    good = [sales.GridRow(ctx["coop"], {ids[2]: "12", ids[3]: "3", ids[1]: ""}),
            sales.GridRow(None, {}),
            sales.GridRow(ctx["other"], {ids[2]: "8"}, sales.PayerKind.TOWN_HALL, None, "E-1")]
    made = sales.enter_grid(db, good, ordered_on=ORDERED)
    assert len(made) == 2
    # the town hall of the coop's commune (Nanterre) pays the second
    assert sales.get_order(db, made[1]).payer_id == ctx["town"]
    figures = sales.year_figures(db, 2025)
    assert [(c.cycle, c.quantity) for c in figures.cycles] == [(1, 0), (2, 20), (3, 3)]
    assert figures.cycle(2).text == "20 agendas cycle 2 vendus"
    assert figures.cycle(1).text == "0 agenda cycle 1 vendu"
    assert figures.amount_cents == 23 * 650


def test_year_figures_per_product_cycle_coop_paid_and_unpaid(db, ctx):
    a = order(db, ctx, [(ctx["agendas"][2], 10, None), (ctx["book"], 5, None)])
    b = sales.create_order(db, sales.OrderData(ctx["other"], ORDERED, lines=[
        sales.LineData(ctx["agendas"][3], 4, None)]))
    c = order(db, ctx, [(ctx["agendas"][2], 100, None)])
    sales.cancel_order(db, c, "Doublon")
    sales.record_payment(db, a, sales.PaymentData(PAID_ON, "30", sales.PaymentMethod.VIREMENT, "VIR 1"))
    order(db, ctx, [(ctx["agendas"][2], 7, None)], on=date(2024, 9, 10))  # another school year
    f = sales.year_figures(db, 2025)
    assert (f.orders, f.amount_cents, f.paid_cents, f.unpaid_cents) == (2, 6500 + 500 + 2600, 3000, 6600)
    assert [(c.cycle, c.quantity, c.amount_cents) for c in f.cycles] == [(1, 0, 0), (2, 10, 6500), (3, 4, 2600)]
    assert f.quantity_of(sales.ProductKind.BOOK) == 5
    assert [(c.coop_number, c.agendas, c.books, c.unpaid_cents) for c in f.coops] == [
        ("92-0001", 10, 5, 4000), ("92-0002", 4, 0, 2600)]
    assert sales.year_figures(db, 2024).cycle(2).quantity == 7


def test_year_figures_export(db, ctx, tmp_path):
    from openpyxl import load_workbook

    order(db, ctx, [(ctx["agendas"][2], 10, None)])
    sales.create_order(db, sales.OrderData(ctx["other"], ORDERED, lines=[sales.LineData(ctx["book"], 2, None)]))
    path = tmp_path / "ventes.xlsx"
    sales.export_year_figures(db, 2025, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Par produit", "Par cycle", "Par coopérative"]
    cycles = [[c.value for c in row] for row in book["Par cycle"].iter_rows(min_row=3)]
    assert cycles[1][:2] == ["Cycle 2", 10]


def test_the_list_searches_filters_sorts_and_pages_in_sql(db, ctx):
    ids = [order(db, ctx, [(ctx["book"], n, None)]) for n in (1, 2, 3)]
    town = order(db, ctx, [(ctx["agendas"][1], 1, None)], payer=True)
    sales.deliver_order(db, ids[0], on=date(2025, 9, 16))
    assert sales.list_orders(db, sales.OrderFilter(search="nanterre mairie")).rows[0].id == town
    assert sales.list_orders(db, sales.OrderFilter(search="jaures")).count == 4
    assert sales.list_orders(db, sales.OrderFilter(search="C2025-0002")).rows[0].id == ids[1]
    assert [r.id for r in sales.list_orders(db, sales.OrderFilter(state=sales.OrderState.DELIVERED)).rows] == [ids[0]]
    assert sales.list_orders(db, sales.OrderFilter(school_year=2024)).count == 0
    page = sales.list_orders(db, sales.OrderFilter(sort="total", descending=False, limit=2, offset=1))
    assert (page.count, [r.total_cents for r in page.rows]) == (4, [200, 300])
    assert "4 commandes (2 affichées)" in page.summary


def test_unpaid_orders_with_their_age_and_a_reminder(db, ctx):
    oid = order(db, ctx, [(ctx["book"], 3, None)], payer=True)
    sales.issue_invoice(db, oid, on=date(2026, 1, 10))
    with pytest.raises(ValidationError):
        sales.remind(db, oid, on=date(2026, 2, 1))
    [row] = sales.list_orders(db, sales.OrderFilter(unpaid_only=True)).rows
    assert (row.age_days, row.days_overdue) == (61, 31)      # on 12/03/2026
    result = sales.remind(db, oid)
    assert (result.reminders, result.document.days_overdue, result.document.total_cents) == (1, 31, 300)
    sales.record_payment(db, oid, sales.PaymentData(date(2026, 3, 12), "3", sales.PaymentMethod.MANDAT))
    assert sales.list_orders(db, sales.OrderFilter(unpaid_only=True)).count == 0


def test_orders_payments_and_invoices_are_recorded_in_the_history(db, ctx):
    """Issue 9: every change to the sales is in the audit trail, named in French."""
    from occe_bureau import safety

    oid = order(db, ctx, [(ctx["agendas"][3], 10, None)], payer=True, commitment="ENG-2025-77")
    invoice = sales.issue_invoice(db, oid, on=ORDERED)
    sales.record_payment(db, oid, sales.PaymentData(PAID_ON, "20,00", sales.PaymentMethod.MANDAT, "M-12"))
    lines = safety.record_history(db, "sale_order", oid)
    assert lines and all(line.user and line.workstation for line in lines)
    assert {line.kind for line in lines} >= {"Commande", "Paiement", "Ligne de commande"}
    assert any(line.kind == "Paiement" and any("Mode : " in c and "Mandat" in c for c in line.changes)
               for line in lines)
    issued = safety.record_history(db, "sale_invoice", invoice)
    assert issued[-1].action == "Création" and issued[-1].kind == "Facture"


# ---- no lost update (occe_bureau/versions.py) ----------------------------------------------

def refused_naming_marie(action) -> StaleRecord:
    with pytest.raises(StaleRecord) as caught:
        action()
    assert "par marie sur BUREAU-2 le 12/03/2026 à " in caught.value.message, caught.value.message
    return caught.value


def test_a_product_changed_elsewhere_is_not_overwritten(db, ctx):
    book = ctx["book"]
    mine, theirs = sales.get_product(db, book), sales.get_product(db, book)
    theirs.unit_price = "1,20"
    with workstation.acting_as("marie", "BUREAU-2"):
        sales.update_product(db, book, theirs, version=theirs.version)
    mine.low_stock = 5
    err = refused_naming_marie(lambda: sales.update_product(db, book, mine, version=mine.version))
    assert err.message.startswith("Cette fiche a été modifiée par marie")
    now = sales.get_product(db, book)
    assert (now.unit_price, now.low_stock, now.version) == (120, 100, mine.version + 1)
    listed = next(p for p in sales.list_products(db) if p.id == book)
    assert listed.version == now.version
    # Opened again, the save goes through and keeps marie's price.
    again = sales.get_product(db, book)
    again.low_stock = 5
    sales.update_product(db, book, again, version=again.version)
    assert (sales.get_product(db, book).unit_price, sales.get_product(db, book).low_stock) == (120, 5)


def test_a_payer_changed_elsewhere_is_not_overwritten(db, ctx):
    mine, theirs = sales.get_payer(db, ctx["town"]), sales.get_payer(db, ctx["town"])

    def data(row, **changed):
        values = dict(kind=row.kind, name=row.name, address=row.address,
                      postal_code=row.postal_code, city=row.city, email=row.email,
                      siret=row.siret, service_code=row.service_code)
        return sales.PayerData(**{**values, **changed})

    with workstation.acting_as("marie", "BUREAU-2"):
        sales.update_payer(db, ctx["town"], data(theirs, service_code="ECOLES"),
                           version=theirs.version)
    refused_naming_marie(lambda: sales.update_payer(
        db, ctx["town"], data(mine, email="mairie@nanterre.fr"), version=mine.version))
    now = sales.get_payer(db, ctx["town"])
    assert (now.service_code, now.email, now.version) == ("ECOLES", "", mine.version + 1)
    assert [p.version for p in sales.list_payers(db) if p.id == ctx["town"]] == [now.version]


def test_an_order_changed_elsewhere_is_not_overwritten_nor_cancelled(db, ctx):
    oid = order(db, ctx, [(ctx["book"], 10, None)])
    mine, theirs = sales.get_order(db, oid), sales.get_order(db, oid)
    listed = sales.list_orders(db, sales.OrderFilter()).rows[0]
    assert listed.id == oid and listed.version == mine.version
    changed = theirs.to_data()
    changed.lines[0].quantity = 12
    with workstation.acting_as("marie", "BUREAU-2"):
        sales.update_order(db, oid, changed, version=theirs.version)
    mine_data = mine.to_data()
    mine_data.notes = "Livrer à l'accueil."
    refused_naming_marie(lambda: sales.update_order(db, oid, mine_data, version=mine.version))
    now = sales.get_order(db, oid)
    assert (now.lines[0].quantity, now.notes, now.row.total_cents) == (12, "", 1200)
    assert now.version == mine.version + 1
    # From the list as it was before marie's change: neither cancelled nor delivered.
    err = refused_naming_marie(lambda: sales.cancel_order(db, oid, "Doublon",
                                                          version=listed.version))
    assert err.message.startswith("Cette commande a été modifiée par marie")
    assert "depuis l'affichage de la liste" in err.message
    refused_naming_marie(lambda: sales.deliver_order(db, oid, on=date(2025, 9, 20),
                                                     version=listed.version))
    now = sales.get_order(db, oid)
    assert (now.row.state, now.row.delivered_on, now.cancel_reason) == (
        sales.OrderState.ORDERED, None, "")
    assert sales.list_movements(db, ctx["book"]) == []
    # As listed now, the cancellation goes through.
    sales.cancel_order(db, oid, "Doublon", version=sales.get_order(db, oid).version)
    assert sales.get_order(db, oid).row.state is sales.OrderState.CANCELLED
