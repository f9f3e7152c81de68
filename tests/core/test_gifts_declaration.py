"""The yearly declaration (article 222 bis CGI): the two figures as the law counts them, the
document dated and signed, many receipts a page, exact amounts in the workbook."""

from datetime import date
from decimal import Decimal

import pytest

from occe_bureau import gifts
from occe_bureau.association import letterhead
from tests.core.donations_helpers import PNG_1PX, gift, make_coop, person, setup_association
from tests.pdf import pdf_pages_text, pdf_text

ISSUED = date(2025, 6, 15)


@pytest.fixture
def coop(db):
    setup_association(db, signature=PNG_1PX)
    return make_coop(db)


def _year_with_a_late_receipt_and_a_late_correction(db, coop):
    """Three gifts received and receipted in 2024-2025; a gift received on 20/08/2025 and
    receipted on 05/09/2025; on 20/09/2025 the first receipt is cancelled and replaced."""
    ids = gifts.enter_request(db, coop, [
        gift("10", donor=person("Martin", "Anne")), gift("11", donor=person("Nowak", "Ewa")),
        gift("12", donor=person("Traoré", "Awa")),
        gift("13", on=date(2025, 8, 20), donor=person("Hansen", "Ole"))], today=date(2025, 9, 1))
    first = [gifts.issue_receipt(db, i, today=ISSUED) for i in ids[:3]]
    gifts.issue_receipt(db, ids[3], today=date(2025, 9, 5))
    gifts.cancel_receipt(db, first[0], "Erreur sur le nom", replace=True, today=date(2025, 9, 20))
    return ids


def test_the_number_counts_receipts_issued_and_the_amount_gifts_received(db, coop):
    _year_with_a_late_receipt_and_a_late_correction(db, coop)
    decl = gifts.declaration(db, 2024)
    # three receipts issued in the year (the one cancelled after the close still counts)…
    assert decl.count == 3
    assert [r.number for r in decl.rows] == ["2024-00001", "2024-00002", "2024-00003"]
    assert decl.cancelled == []
    # …and every gift received in the year that has a valid receipt, whenever issued
    assert decl.total_cents == 1000 + 1100 + 1200 + 1300
    assert [r.number for r in decl.late] == ["2025-00001", "2025-00002"]
    assert [r.counted_cents for r in decl.rows] == [0, 1100, 1200]
    nxt = gifts.declaration(db, 2025)
    assert (nxt.count, nxt.total_cents) == (2, 0)  # the next year counts the two receipts only


def test_a_summary_receipt_counts_each_gift_in_the_year_it_was_received(db, coop):
    company = gifts.DonorData(kind="company", company_name="Boulangerie Martin", siren="123456789",
                              legal_form="SARL", address="1 rue X", postal_code="92000",
                              city="Nanterre")
    gifts.enter_request(db, coop, [gift("100", on=date(2025, 8, 1), donor=company),
                                   gift("40", on=date(2025, 9, 10), donor=company)],
                        today=date(2025, 9, 30))
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    gifts.issue_summary(db, donor_id, date(2025, 1, 1), date(2025, 9, 30), today=date(2025, 10, 1))
    assert (gifts.declaration(db, 2024).count, gifts.declaration(db, 2024).total_cents) == (0, 10000)
    assert (gifts.declaration(db, 2025).count, gifts.declaration(db, 2025).total_cents) == (1, 4000)


def test_a_receipt_cancelled_before_the_close_is_not_counted(db, coop):
    ids = gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Ewa"))],
                              today=ISSUED)
    rid = gifts.issue_receipt(db, ids[0], today=ISSUED)
    gifts.issue_receipt(db, ids[1], today=ISSUED)
    gifts.cancel_receipt(db, rid, "Chèque rejeté", today=date(2025, 8, 31))
    decl = gifts.declaration(db, 2024)
    assert (decl.count, decl.total_cents) == (1, 2000)
    assert [r.number for r in decl.cancelled] == ["2024-00001"]


def test_the_document_says_how_it_counts_and_is_dated_and_signed(db, coop):
    from occe_bureau.gifts.declaration_pdf import declaration_pdf

    _year_with_a_late_receipt_and_a_late_correction(db, coop)
    text = " ".join(pdf_text(declaration_pdf(gifts.declaration(db, 2024), letterhead(db))).split())
    for mention in ["Nombre de reçus délivrés pendant l'exercice",
                    "Montant total des dons reçus pendant l'exercice", "46,00 €",
                    "quarante-six euros", "Comment ces chiffres sont comptés",
                    "sauf ceux annulés au plus tard le 31/08/2025",
                    "Reçus délivrés après la clôture pour des dons reçus pendant l'exercice",
                    "annulé le 20/09/2025, après la clôture",
                    "Fait à Nanterre, le 12/03/2026", "Marie-Claude Lefèvre, Présidente"]:
        assert mention in text, mention
    assert "(s)" not in text


def test_the_declaration_opens_on_the_last_closed_year(db, coop):
    # the suite runs on 12/03/2026: 2025-2026 is open, 2024-2025 the last closed
    assert gifts.last_closed_financial_year(db) == 2024
    assert gifts.declared_year(db, 2025) == 2024
    assert gifts.declared_year(db, 2023) == 2023
    assert gifts.declared_year(db) == 2024


def _synthetic(n: int):
    from occe_bureau.gifts.declaration_pdf import Declaration, DeclaredReceipt

    rows = [DeclaredReceipt(
        f"2024-{i:05d}", date(2025, 3, 5), f"Wiśniewska-Nguyễn Marie-Łucja {i}",
        f"92-{i % 600:04d} – École élémentaire Jean-Baptiste Clément (Boulogne-Billancourt)",
        9931, date(2025, 3, 1), None, None, "cheque", counted_cents=9931) for i in range(1, n + 1)]
    return Declaration(2024, "2024-2025", date(2024, 9, 1), date(2025, 8, 31), n, 9931 * n, rows,
                       [], association="OCCE – Association départementale des Hauts-de-Seine",
                       siren_rna="W922000092", made_on=date(2026, 3, 12), place="Nanterre")


def test_many_receipts_a_page_and_the_letterhead_on_the_first_page_only(db, coop):
    from occe_bureau.gifts.declaration_pdf import declaration_pdf

    pages = pdf_pages_text(declaration_pdf(_synthetic(1519), letterhead(db)))
    assert len(pages) <= 34  # 84 pages before: some forty-five receipts a page now
    assert "15 rue des Écoles" in pages[0]
    assert not any("15 rue des Écoles" in page for page in pages[1:])
    assert "2024-01519" in pages[-1] or "2024-01519" in pages[-2]


def test_the_workbook_holds_exact_amounts_and_both_figures(db, coop, tmp_path):
    from openpyxl import load_workbook

    _year_with_a_late_receipt_and_a_late_correction(db, coop)
    path = tmp_path / "declaration.xlsx"
    gifts.export_declaration(db, 2024, path)
    ws = load_workbook(path).active
    assert ws["B3"].value == 3 and Decimal(str(ws["B4"].value)) == Decimal("46.00")
    assert "sauf ceux annulés" in ws["C3"].value and "quelle que soit sa date" in ws["C4"].value
    header = [c.value for c in ws[7]]
    counted = header.index("Dons de l'exercice (€)") + 1
    cells = [ws.cell(r, counted).value for r in range(8, ws.max_row + 1)]
    assert sum(Decimal(str(v)) for v in cells) == Decimal("46.00")
    assert [ws.cell(r, 1).value for r in range(8, ws.max_row + 1)] == [
        "2024-00001", "2024-00002", "2024-00003", "2025-00001", "2025-00002"]


def test_the_writer_gives_exact_decimal_euros():
    from occe_bureau.tabular import euros

    cents = [1, 10, 1999, 15085900, 33]
    assert sum(euros(c) for c in cents) == Decimal("150879.43")
    assert euros(1234) == Decimal("12.34") and isinstance(euros(5), Decimal)


def test_the_bilan_s_totals_count_as_the_declaration_does(db, coop):
    """declaration_totals adds up in the database what declaration() counts receipt by receipt:
    a late receipt, a cancellation after the close (in the number, no amount), one before it,
    a summary over two years."""
    _year_with_a_late_receipt_and_a_late_correction(db, coop)
    ids = gifts.enter_request(db, coop, [gift("20", donor=person("Kowalski", "Jan")),
                                         gift("30", on=date(2025, 3, 2), donor=person("Nowak", "Ewa"))],
                              today=ISSUED)
    rid = gifts.issue_receipt(db, ids[0], today=ISSUED)
    gifts.cancel_receipt(db, rid, "Chèque rejeté", today=date(2025, 8, 31))
    company = gifts.DonorData(kind="company", company_name="Boulangerie Martin", siren="123456789",
                              legal_form="SARL", address="1 rue X", postal_code="92000", city="Nanterre")
    gifts.enter_request(db, coop, [gift("100", on=date(2025, 8, 1), donor=company),
                                   gift("40", on=date(2025, 9, 10), donor=company)], today=date(2025, 9, 30))
    donor_id = next(r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())
                    if r.amount_cents == 10000)
    gifts.issue_summary(db, donor_id, date(2025, 1, 1), date(2025, 9, 30), today=date(2025, 10, 1))
    for year in (2023, 2024, 2025):
        decl = gifts.declaration(db, year)
        assert gifts.declaration_totals(db, year) == (decl.count, decl.total_cents), year
        figures = gifts.declared_figures(db, year)
        assert (figures.count, figures.total_cents, figures.label) == (decl.count, decl.total_cents, decl.label)
    assert gifts.declaration_totals(db, 2024)[0] == 3
