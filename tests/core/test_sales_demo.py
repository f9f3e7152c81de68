"""The demo département sells as the OCCE 92 report says, and its sales obey the rules they
demonstrate (totals, payments, stock, unbroken invoice series, a credit note)."""

import pytest

from occe_bureau import clock, sales
from occe_bureau.demo import build_demo
from occe_bureau.formats import school_year_of
from tests.conftest import build_template, copy_database


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("sales_demo"),
                          lambda db: build_demo(db, today=clock.today()))


@pytest.fixture
def demo(demo_template, tmp_path):
    database = copy_database(demo_template, tmp_path)
    yield database
    database.dispose()


def test_the_report_year_has_the_report_s_figures(demo):
    report = school_year_of(clock.today()) - 1
    f = sales.year_figures(demo, report)
    assert [(c.cycle, c.quantity) for c in f.cycles] == [(1, 0), (2, 370), (3, 65)]
    assert [c.text for c in f.cycles][1:] == ["370 agendas cycle 2 vendus", "65 agendas cycle 3 vendus"]
    lire = sum(p.quantity for p in f.products if p.name.startswith("Lire c'est partir"))
    assert lire == f.quantity_of(sales.ProductKind.BOOK) == 1936
    assert 200 <= f.orders <= 300 and 0 < f.paid_cents < f.amount_cents
    assert sum(c.amount_cents for c in f.coops) == f.amount_cents
    assert sum(p.amount_cents for p in f.products) == f.amount_cents


def test_demo_sales_are_consistent(demo):
    page = sales.list_orders(demo, sales.OrderFilter(limit=None))
    assert 900 <= page.count <= 1100
    with demo.engine.connect() as conn:
        q = conn.exec_driver_sql
        assert q("SELECT COUNT(*) FROM sale_order o WHERE total_cents != (SELECT SUM(quantity * "
                 "unit_price_cents) FROM sale_order_line l WHERE l.order_id = o.id)").scalar() == 0
        assert q("SELECT COUNT(*) FROM sale_order o WHERE paid_cents != (SELECT COALESCE(SUM("
                 "amount_cents), 0) FROM sale_payment p WHERE p.order_id = o.id)").scalar() == 0
        series = q("SELECT kind, year, COUNT(*), MAX(seq) FROM sale_invoice GROUP BY kind, year").all()
        assert series and all(count == top for _k, _y, count, top in series)
        counters = dict(((s, y), n) for s, y, n in q("SELECT series, year, last_seq FROM sale_counter"))
        assert all(counters[({"facture": "F", "avoir": "AV"}[k], y)] == top for k, y, _c, top in series)
        town_halls = q("SELECT COUNT(*), SUM(CASE WHEN service_code <> '' THEN 1 ELSE 0 END) FROM sale_payer WHERE kind = 'mairie'").one()
        assert town_halls[0] > 20 and 0 < town_halls[1] < town_halls[0]
        assert q("SELECT COUNT(*) FROM sale_order WHERE payer_kind = 'mairie'").scalar() > 100
        with pytest.raises(Exception):
            q("DELETE FROM sale_invoice")
    assert all(p.stock >= 0 for p in sales.list_products(demo))
    [credit] = sales.invoice_documents(demo, sales.invoice_ids_for(demo, kind=sales.InvoiceKind.CREDIT_NOTE))
    assert credit.credited_number.startswith("F") and credit.cancel_reason
    cancelled = sales.list_orders(demo, sales.OrderFilter(state=sales.OrderState.CANCELLED))
    assert cancelled.count == 1
    detail = sales.get_order(demo, cancelled.rows[0].id)
    assert [i.cancelled for i in detail.invoices] == [True, False]
    unpaid = sales.list_orders(demo, sales.OrderFilter(unpaid_only=True, sort="age"))
    assert unpaid.count > 10 and unpaid.rows[0].age_days >= unpaid.rows[-1].age_days
    # a demo invoice can be answered by the rules like any other
    row = unpaid.rows[-1]
    sales.record_payment(demo, row.id, sales.PaymentData(clock.today(), row.due_cents,
                                                         sales.PaymentMethod.VIREMENT, "VIR"))
    assert sales.get_order(demo, row.id).row.state is sales.OrderState.PAID


def test_a_demo_town_hall_invoice_makes_a_valid_factur_x_file(demo):
    ids = sales.invoice_ids_for(demo, kind=sales.InvoiceKind.INVOICE)
    public = next(i for i in ids if sales.is_public(demo, i))
    doc = sales.invoice_document(demo, public)
    summary = sales.read_facturx(sales.facturx_file(demo, public))
    assert (summary.number, summary.buyer_siret, summary.total_cents) == (
        doc.number, doc.buyer.siret, doc.total_cents)
    assert summary.seller_siret == doc.seller.siret and len(summary.seller_siret) == 14
