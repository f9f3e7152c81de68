"""Donations and receipts on a PostgreSQL server (the multi-workstation setup): migration,
numbering in the issuing transaction, cancel/replace, summary, declaration, batch."""

from datetime import date

import pytest

from occe_bureau.db import Database
from occe_bureau import gifts
from occe_bureau.gifts import issuing
from tests.core.donations_helpers import PNG_1PX, TODAY, gift, make_coop, person, setup_association
from tests.pdf import pdf_text


def test_receipts_on_postgresql(pg_db_migrated, monkeypatch):
    db = pg_db_migrated
    setup_association(db, signature=PNG_1PX)
    coop = make_coop(db)
    ids = gifts.enter_request(db, coop, [
        gift("80", donor=person("Nowak", "Łukasz")),
        gift("201", donor=person("<b>Dupont</b>", "Øyvind", postal_code="92100")),
        gift("30", on=date(2025, 1, 2), donor=person("Bernard", "Luc", postal_code="92200")),
        gift("20", on=date(2025, 1, 5), donor=person("Bernard", "Luc", postal_code="92200")),
    ], today=TODAY)
    first = gifts.issue_receipt(db, ids[0], today=TODAY)

    def boom(cents):
        raise RuntimeError("panne")

    real = issuing.amount_in_words
    monkeypatch.setattr(issuing, "amount_in_words", boom)
    with pytest.raises(RuntimeError):
        gifts.issue_receipt(db, ids[1], today=TODAY)
    monkeypatch.setattr(issuing, "amount_in_words", real)
    second = gifts.issue_receipt(db, ids[1], today=TODAY)
    assert [gifts.receipt_doc(db, r).number for r in (first, second)] == ["2024-00001", "2024-00002"]

    new = gifts.cancel_receipt(db, first, "Erreur", replace=True, today=TODAY)
    assert gifts.receipt_doc(db, new).replaces_number == "2024-00001"
    bernard = gifts.list_donations(db, gifts.DonationFilter(search="bernard"))[0].donor_id
    summary = gifts.issue_summary(db, bernard, date(2025, 1, 1), TODAY, today=TODAY)
    assert gifts.receipt_doc(db, summary).amount_words == "cinquante euros"
    text_pdf = pdf_text(gifts.render_receipt(db, second)[0])
    assert "<b>Dupont</b>" in text_pdf and "deux cent un euros" in text_pdf

    decl = gifts.declaration(db, 2024)
    assert (decl.count, decl.total_cents, len(decl.cancelled)) == (3, 20100 + 8000 + 5000, 1)
    totals = gifts.year_totals(db, 2024, coop)
    assert (totals.receipts, totals.cancelled, totals.pending) == (3, 1, 0)
    assert gifts.totals_by_coop(db, date(2024, 9, 1), date(2025, 8, 31))[0].gifts == 4

    gifts.create_donation(db, gift("15", coop_id=coop, donor=person("Zimmer", "Eva")), today=TODAY)
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY).run()
    assert result.numbers == ["2024-00005"]


def _another_workstation_issues_first(db, statement: str, gift_id: int):
    """When `db` is about to run `statement`, another workstation issues a receipt for
    `gift_id` and commits (the race of two issues, made deterministic)."""
    from sqlalchemy import event

    fired = []

    def before(conn, cursor, sql, params, context, executemany):
        if not fired and sql.startswith(statement):
            fired.append(sql)
            other = Database(db.url)
            try:
                gifts.issue_receipt(other, gift_id, today=TODAY)
            finally:
                other.dispose()

    event.listen(db.engine, "before_cursor_execute", before)
    return fired


@pytest.mark.parametrize("statement, signature", [("INSERT INTO receipt_counter", None),
                                                  ("INSERT INTO receipt_image", PNG_1PX)])
def test_two_workstations_issue_the_first_receipt_at_once(pg_db_migrated, statement, signature):
    setup_association(pg_db_migrated, signature=signature)
    coop = make_coop(pg_db_migrated)
    ids = gifts.enter_request(pg_db_migrated, coop, [gift("10", donor=person("Nowak", "Anna")),
                                           gift("20", donor=person("Hansen", "Eva"))], today=TODAY)
    fired = _another_workstation_issues_first(pg_db_migrated, statement, ids[1])
    mine = gifts.issue_receipt(pg_db_migrated, ids[0], today=TODAY)
    assert fired
    numbers = sorted(r.number for r in gifts.list_receipts(pg_db_migrated, gifts.ReceiptFilter()))
    assert numbers == ["2024-00001", "2024-00002"]
    assert gifts.receipt_doc(pg_db_migrated, mine).number == "2024-00002"
    assert gifts.receipt_doc(pg_db_migrated, mine).signature == signature
