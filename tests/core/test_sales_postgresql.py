"""Sales on a PostgreSQL server (the multi-workstation setup): the migration and its guards,
orders, payments, invoices and credit notes, figures; numbers under two workstations at once."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from occe_bureau import sales
from occe_bureau.db import Database
from occe_bureau.validation import ValidationError
from tests.core.sales_helpers import ORDERED, order, setup_sales


def another_workstation_issues_first(db, statement: str, order_id: int):
    """When `db` is about to run `statement`, another workstation issues the invoice of
    `order_id` and commits (the race of two issues, made deterministic)."""
    fired = []

    def before(conn, cursor, sql, params, context, executemany):
        if not fired and sql.startswith(statement):
            fired.append(sql)
            other = Database(db.url)
            try:
                sales.issue_invoice(other, order_id)
            finally:
                other.dispose()

    event.listen(db.engine, "before_cursor_execute", before)
    return fired


def issue_from_two_workstations(db, ctx, per_side: int = 12):
    """Two workstations (threads, each its own engine) issue invoices at the same moment: every
    number is used once, none is skipped."""
    ids = [order(db, ctx, [(ctx["book"], 1 + n % 4, None)]) for n in range(2 * per_side)]
    barrier = threading.Barrier(2)
    errors = []

    def side(mine):
        other = Database(db.url)
        try:
            barrier.wait()
            for order_id in mine:
                sales.issue_invoice(other, order_id)
                time.sleep(0.001)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=side, args=(ids[k::2],)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(d.number for d in sales.invoice_documents(db, sales.invoice_ids_for(db)))
    assert numbers == [f"F2026-{n:04d}" for n in range(1, 2 * per_side + 1)]


@pytest.fixture
def pg(pg_db_migrated):
    return pg_db_migrated, setup_sales(pg_db_migrated)


def test_sales_on_postgresql(pg):
    db, ctx = pg
    a = order(db, ctx, [(ctx["agendas"][2], 370, None)], payer=True, commitment="ENG-1")
    b = order(db, ctx, [(ctx["agendas"][3], 65, None), (ctx["book"], 20, "0,90")])
    sales.add_movement(db, ctx["agendas"][2], 400, sales.MovementReason.RECEIVED, on=date(2025, 9, 1))
    sales.deliver_order(db, a, on=date(2025, 9, 16))
    first = sales.issue_invoice(db, a, on=date(2025, 9, 20))
    second = sales.issue_invoice(db, b, on=date(2025, 9, 20))
    sales.record_payment(db, a, sales.PaymentData(date(2025, 10, 1), "1000", sales.PaymentMethod.MANDAT, "M1"))
    with pytest.raises(ValidationError):
        sales.record_payment(db, a, sales.PaymentData(date(2025, 10, 1), "2000", sales.PaymentMethod.MANDAT))
    credit = sales.cancel_invoice(db, second, "Erreur de cycle", on=date(2025, 9, 21))
    docs = sales.invoice_documents(db, [first, second, credit])
    assert [d.number for d in docs] == ["F2025-0001", "F2025-0002", "AV2025-0001"]
    assert docs[0].buyer.commitment_number == "ENG-1"
    f = sales.year_figures(db, 2025)
    assert [(c.cycle, c.quantity) for c in f.cycles] == [(1, 0), (2, 370), (3, 65)]
    assert f.paid_cents == 100000 and f.unpaid_cents == 370 * 650 + 65 * 650 + 1800 - 100000
    page = sales.list_orders(db, sales.OrderFilter(search="mairie", sort="due"))
    assert [r.id for r in page.rows] == [a]
    assert next(p.stock for p in sales.list_products(db) if p.id == ctx["agendas"][2]) == 30
    with db.engine.connect() as conn:
        for statement in ("UPDATE sale_invoice SET total_cents = 1", "DELETE FROM sale_invoice_line"):
            with pytest.raises(DBAPIError) as err:
                conn.execute(text(statement))
            assert "facture émise" in str(err.value)
            conn.rollback()


@pytest.mark.parametrize("statement", ["UPDATE sale_counter", "INSERT INTO sale_counter"])
def test_two_workstations_issue_the_first_invoice_at_once(pg, statement):
    db, ctx = pg
    mine_id, theirs = order(db, ctx, [(ctx["book"], 1, None)]), order(db, ctx, [(ctx["book"], 2, None)])
    fired = another_workstation_issues_first(db, statement, theirs)
    mine = sales.issue_invoice(db, mine_id)
    assert fired
    assert sales.invoice_document(db, mine).number == "F2026-0002"
    assert [i.number for i in sales.get_order(db, theirs).invoices] == ["F2026-0001"]


def test_two_workstations_issue_together_on_postgresql(pg):
    issue_from_two_workstations(*pg)


def test_numbering_survives_a_failure_on_postgresql(pg, monkeypatch):
    from occe_bureau.sales import invoicing

    db, ctx = pg
    one, two = order(db, ctx, [(ctx["book"], 1, None)]), order(db, ctx, [(ctx["book"], 2, None)])
    real = invoicing.coop_label
    monkeypatch.setattr(invoicing, "coop_label", lambda coop: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        sales.issue_invoice(db, one)
    monkeypatch.setattr(invoicing, "coop_label", real)
    sales.issue_invoice(db, two)
    sales.issue_invoice(db, one)
    assert [sales.get_order(db, o).invoices[0].number for o in (two, one)] == ["F2026-0001", "F2026-0002"]
    assert sales.get_order(db, one).row.state is sales.OrderState.ORDERED
    assert ORDERED.year == 2025
