from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from occe_bureau.db import Database
from occe_bureau.gifts.models import ReceiptCounter, TaxReceipt
from occe_bureau import gifts
from occe_bureau.gifts import issuing
from occe_bureau.association.settings import set_setting
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import PNG_1PX, TODAY, gift, make_coop, person, setup_association
from tests.pdf import pdf_char_boxes, pdf_find_box, pdf_text
from occe_bureau import clock


@pytest.fixture
def coop(db):
    setup_association(db, signature=PNG_1PX)
    return make_coop(db)


NAMES = ["Martin", "Nowak", "Nguyễn", "Hansen", "Traoré", "Garcia"]


def _gifts(db, coop, n, **kw):
    return gifts.enter_request(db, coop, [gift(str(10 + i), donor=person(NAMES[i], "Anne"), **kw)
                                         for i in range(n)], today=TODAY)


def test_numbers_are_consecutive_per_financial_year(db, coop):
    ids = _gifts(db, coop, 3)
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []  # the series starts empty
    r = [gifts.issue_receipt(db, ids[0], today=date(2025, 8, 31)),
         gifts.issue_receipt(db, ids[1], today=date(2025, 9, 1)),
         gifts.issue_receipt(db, ids[2], today=date(2025, 9, 2))]
    numbers = {row.id: row.number for row in gifts.list_receipts(db, gifts.ReceiptFilter())}
    assert [numbers[i] for i in r] == ["2024-00001", "2025-00001", "2025-00002"]


def test_calendar_year_numbering_when_the_financial_year_starts_in_january(db, coop):
    set_setting(db, gifts.FINANCIAL_YEAR_START.key, "01/01")
    ids = _gifts(db, coop, 1)
    rid = gifts.issue_receipt(db, ids[0], today=TODAY)
    assert gifts.receipt_doc(db, rid).number == "2025-00001"


def test_failure_in_the_middle_leaves_no_gap_and_no_duplicate(db, coop, monkeypatch):
    ids = _gifts(db, coop, 3)
    gifts.issue_receipt(db, ids[0], today=TODAY)

    real = issuing.amount_in_words

    def boom(cents):  # fails after the number was taken, before the receipt is stored
        raise RuntimeError("panne au milieu de l'émission")

    monkeypatch.setattr(issuing, "amount_in_words", boom)
    with pytest.raises(RuntimeError):
        gifts.issue_receipt(db, ids[1], today=TODAY)
    monkeypatch.setattr(issuing, "amount_in_words", real)
    gifts.issue_receipt(db, ids[1], today=TODAY)
    gifts.issue_receipt(db, ids[2], today=TODAY)
    numbers = sorted(r.number for r in gifts.list_receipts(db, gifts.ReceiptFilter()))
    assert numbers == ["2024-00001", "2024-00002", "2024-00003"]
    with db.session() as s:
        assert s.get(ReceiptCounter, 2024).last_seq == 3


def test_one_gift_gets_one_valid_receipt_only(db, coop):
    ids = _gifts(db, coop, 1)
    gifts.issue_receipt(db, ids[0], today=TODAY)
    with pytest.raises(ValidationError, match="existe déjà"):
        gifts.issue_receipt(db, ids[0], today=TODAY)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(TaxReceipt)) == 1


def test_schema_refuses_a_duplicate_number(db, coop):
    ids = _gifts(db, coop, 2)
    gifts.issue_receipt(db, ids[0], today=TODAY)
    with db.transaction() as s:  # simulate a broken counter: the next number is taken again
        s.get(ReceiptCounter, 2024).last_seq = 0
    with pytest.raises(ValidationError, match="au même moment"):  # French, not a crash
        gifts.issue_receipt(db, ids[1], today=TODAY)
    assert len(gifts.list_receipts(db, gifts.ReceiptFilter())) == 1


def test_receipt_is_frozen_and_reprint_is_a_duplicate(db, coop):
    gid = gifts.create_donation(db, gift("80", coop_id=coop, donor=person("<b>Dupont</b>", "Łukasz")),
                               today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    first, doc = gifts.render_receipt(db, rid)
    assert not doc.duplicate
    gifts.mark_printed(db, [rid])
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    moved = gifts.get_donor(db, donor_id)
    moved.address, moved.postal_code, moved.city = "99 avenue Nouvelle", "75011", "Paris"
    gifts.update_donor(db, donor_id, moved)
    from occe_bureau.association.settings import get_association, save_association
    a = get_association(db)
    a.signatory_name = "Nouveau Président"
    save_association(db, a)
    again, doc2 = gifts.render_receipt(db, rid)
    text = pdf_text(again)
    assert "3 rue des Lilas" in text and "Paris" not in text
    assert "Marie-Claude Lefèvre" in text and "Nouveau Président" not in text
    assert "DUPLICATA" in text and "DUPLICATA" not in pdf_text(first)
    assert "<b>Dupont</b>" in text and "Łukasz" in text
    # issue 8: a duplicate also says when it was delivered
    delivered = f"Duplicata délivré le {clock.today():%d/%m/%Y}"
    assert delivered in text
    assert pdf_text(first).split() == [w for w in text.replace(delivered, "").split()
                                       if w != "DUPLICATA"]
    assert doc2.signature == PNG_1PX


def test_every_mandatory_mention_is_printed(db, coop):
    gid = gifts.create_donation(db, gift("201", coop_id=coop, method="cheque", cheque_number="0012",
                                        donor=person("Nguyễn", "Øyvind")), today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    text = pdf_text(gifts.render_receipt(db, rid)[0])
    for mention in ["Reçu n° 2024-00001", "Cerfa n° 11580*05",
                    "OCCE – Association départementale des Hauts-de-Seine", "W922000092",
                    "15 rue des Écoles", "Promouvoir la coopération",
                    "œuvre ou organisme d'intérêt général",
                    "Nom : Nguyễn", "Prénoms : Øyvind", "3 rue des Lilas", "92000 Nanterre",
                    "201,00 €", "deux cent un euros", "Date du versement ou du don : 05/03/2025",
                    "☒ 200 du CGI", "☐ 238 bis du CGI", "☒ Déclaration de don manuel",
                    "☒ Numéraire", "☒ Chèque", "☐ Remise d'espèces",
                    "Fait à Nanterre, le 15/06/2025", "Marie-Claude Lefèvre, Présidente",
                    "92-0001 – École maternelle Jean Jaurès", "☐ 978 du CGI",
                    "Ce reçu est à joindre à votre déclaration de revenus"]:
        assert mention in " ".join(text.split()), mention


def test_company_receipt_follows_cerfa_16216(db, coop):
    company = gifts.DonorData(kind="company", company_name="Boulangerie Øyvind", siren="123456789",
                             legal_form="SARL", address="1 rue X", postal_code="92000", city="Nanterre")
    gid = gifts.create_donation(db, gift("1000000", coop_id=coop, method="virement", donor=company),
                               today=TODAY)
    text = pdf_text(gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))[0])
    for mention in ["Cerfa n° 16216", "238 bis", "Dénomination : Boulangerie Øyvind",
                    "N° SIREN : 123456789", "SARL", "un million d'euros", "☒ 238 bis du CGI",
                    "☒ Virement, prélèvement, carte bancaire", "article 238 bis du CGI",
                    "déclaration de résultats"]:
        assert mention in text, mention
    for individual in ["200 du CGI", "978 du CGI", "déclaration de revenus", "Cerfa n° 11580"]:
        assert individual not in text, individual


def test_cancel_keeps_the_receipt_and_the_replacement_refers_to_it(db, coop):
    gid = _gifts(db, coop, 1)[0]
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    with pytest.raises(ValidationError):
        gifts.cancel_receipt(db, rid, "  ", replace=True)
    new = gifts.cancel_receipt(db, rid, "Erreur sur le nom", replace=True, today=date(2025, 6, 20))
    rows = {r.id: r for r in gifts.list_receipts(db, gifts.ReceiptFilter())}
    assert rows[rid].cancelled and rows[rid].cancel_reason == "Erreur sur le nom"
    assert rows[rid].cancelled_on == date(2025, 6, 20)
    assert rows[new].number == "2024-00002" and rows[new].replaces_id == rid
    assert gifts.list_donations(db, gifts.DonationFilter())[0].receipt_id == new
    old_text = pdf_text(gifts.render_receipt(db, rid)[0])
    assert "ANNULÉ" in old_text and "Erreur sur le nom" in old_text and "2024-00002" in old_text
    assert "annule et remplace le reçu n° 2024-00001" in pdf_text(gifts.render_receipt(db, new)[0])
    with pytest.raises(ValidationError, match="déjà annulé"):
        gifts.cancel_receipt(db, rid, "encore")


def test_cancel_without_replacement_then_reissue(db, coop):
    gid = _gifts(db, coop, 1)[0]
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    gifts.cancel_receipt(db, rid, "Chèque rejeté", today=TODAY)
    assert gifts.list_donations(db, gifts.DonationFilter(pending_only=True))[0].id == gid
    new = gifts.reissue_for_donation(db, gid, today=TODAY)
    doc = gifts.receipt_doc(db, new)
    assert doc.number == "2024-00002" and doc.replaces_number == "2024-00001"


def test_yearly_summary_receipt_per_donor(db, coop):
    # A company: its summary may cover a financial year (an individual's covers a calendar
    # year, issue 8: see test_an_individual_summary_covers_one_calendar_year).
    donor = gifts.DonorData(kind="company", company_name="Bernard SARL", siren="123456789",
                            legal_form="SARL", address="3 rue des Lilas", postal_code="92000",
                            city="Nanterre")
    gifts.enter_request(db, coop, [
        gift("30", on=date(2024, 10, 1), donor=donor, method="cheque", cheque_number="111"),
        gift("20", on=date(2025, 1, 15), donor=donor, method="especes"),
        gift("50,50", on=date(2025, 5, 2), donor=donor, method="cheque", cheque_number="112"),
        gift("99", on=date(2024, 8, 1), donor=donor),  # outside the period
    ], today=TODAY)
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    rid = gifts.issue_summary(db, donor_id, date(2024, 9, 1), date(2025, 8, 31), today=date(2025, 9, 1))
    doc = gifts.receipt_doc(db, rid)
    assert doc.kind == "summary" and doc.amount_cents == 10050 and len(doc.lines) == 3
    assert doc.amount_words == "cent euros et cinquante centimes"
    text = pdf_text(gifts.render_receipt(db, rid)[0])
    for mention in ["Reçu récapitulatif annuel", "du 01/09/2024 au 31/08/2025", "01/10/2024",
                    "15/01/2025", "02/05/2025", "Sous-total chèque", "80,50 €",
                    "Sous-total remise d'espèces", "20,00 €", "100,50 €", "☒ Chèque",
                    "☒ Remise d'espèces"]:
        assert mention in text, mention
    assert len(gifts.list_donations(db, gifts.DonationFilter(pending_only=True))) == 1


def test_declaration_counts_the_financial_year_without_cancelled_receipts(db, coop, tmp_path):
    # 10, 11, 12, 13 €; the amount counts the gifts received in the year (issue 8)
    ids = _gifts(db, coop, 1, on=date(2024, 8, 1)) + gifts.enter_request(
        db, coop, [gift(str(11 + i), on=date(2024, 9, 1), donor=person(NAMES[1 + i], "Anne"))
                   for i in range(3)], today=TODAY)
    gifts.issue_receipt(db, ids[0], today=date(2024, 8, 31))      # previous financial year
    a = gifts.issue_receipt(db, ids[1], today=date(2024, 9, 1))
    gifts.issue_receipt(db, ids[2], today=date(2025, 3, 1))
    gifts.cancel_receipt(db, a, "Erreur", today=date(2025, 3, 2))
    gifts.issue_receipt(db, ids[3], today=date(2025, 8, 31))
    decl = gifts.declaration(db, 2024)
    assert (decl.start, decl.end, decl.label) == (date(2024, 9, 1), date(2025, 8, 31), "2024-2025")
    assert decl.count == 2 and decl.total_cents == 1200 + 1300
    assert [r.number for r in decl.cancelled] == ["2024-00001"]
    from occe_bureau.association import letterhead
    from occe_bureau.gifts.declaration_pdf import declaration_pdf
    from occe_bureau.gifts.declaration_xlsx import declaration_xlsx

    text = pdf_text(declaration_pdf(decl, letterhead(db)))
    assert "222 bis" in text and "25,00 €" in text and "vingt-cinq euros" in text
    from openpyxl import load_workbook

    declaration_xlsx(decl, tmp_path / "declaration.xlsx")
    ws = load_workbook(tmp_path / "declaration.xlsx").active
    assert ws["B3"].value == 2 and ws["B4"].value == 25.0
    numbers = [ws.cell(r, 1).value for r in range(8, ws.max_row + 1)]
    assert numbers == ["2024-00002", "2024-00003", "2024-00001"]


def test_year_totals_per_coop(db, coop):
    other = make_coop(db, "92-0002", "École élémentaire Victor Hugo")
    ids = _gifts(db, coop, 2) + _gifts(db, other, 1)
    gifts.issue_receipt(db, ids[0], today=TODAY)
    t = gifts.year_totals(db, 2024, coop)
    assert (t.gifts, t.gifts_cents, t.receipts, t.receipts_cents, t.pending) == (2, 2100, 1, 1000, 1)
    assert gifts.year_totals(db, 2024).gifts == 3


def test_issuing_needs_a_complete_association(db):
    coop = make_coop(db)
    gid = gifts.create_donation(db, gift(coop_id=coop), today=TODAY)
    with pytest.raises(ValidationError, match="association"):
        gifts.issue_receipt(db, gid, today=TODAY)
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []


def test_batch_one_pdf(db, coop):
    _gifts(db, coop, 5)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(coop_id=coop), today=TODAY)
    seen = []
    result = batch.run(progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert result.numbers == [f"2024-0000{i}" for i in range(1, 6)]
    text = pdf_text(result.pdf)
    assert all(n in text for n in result.numbers) and "DUPLICATA" not in text
    assert all(r.printed for r in gifts.list_receipts(db, gifts.ReceiptFilter()))
    assert gifts.pending_count(db, gifts.BatchSelection()) == 0


def test_batch_per_donor_writes_one_file_per_donor(db, coop, tmp_path):
    donor = person("Bernard", "Luc")
    gifts.enter_request(db, coop, [gift("30", donor=donor), gift("5", donor=person("Zimmer", "Eva")),
                                  gift("20", donor=donor)], today=TODAY)
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), output=gifts.PER_DONOR,
                               folder=tmp_path / "out", today=TODAY).run()
    assert len(result.numbers) == 3 and len(result.files) == 2
    texts = {p.name: pdf_text(p.read_bytes()) for p in result.files}
    bernard = next(t for name, t in texts.items() if "bernard" in name)
    assert bernard.count("Reçu au titre des dons") == 2 and "Zimmer" not in bernard


def test_batch_cancelled_midway_issues_nothing_and_uses_no_number(db, coop, tmp_path):
    _gifts(db, coop, 5)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), output=gifts.PER_DONOR,
                              folder=tmp_path / "out", today=TODAY)
    with pytest.raises(gifts.BatchCancelled):
        batch.run(cancelled=lambda: len(list((tmp_path / "out").rglob("*.pdf"))) >= 3)
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []
    assert list((tmp_path / "out").rglob("*")) == []
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), output=gifts.PER_DONOR,
                               folder=tmp_path / "out", today=TODAY).run()
    assert result.numbers[0] == "2024-00001" and len(result.files) == 5
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.files)
    assert "Martin" in pdf_text(result.files[0].read_bytes())


def test_batch_of_summaries(db, coop):
    donor = person("Bernard", "Luc")
    gifts.enter_request(db, coop, [gift("30", donor=donor), gift("20", donor=donor),
                                  gift("5", donor=person("Zimmer", "Eva"))], today=TODAY)
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(start=date(2025, 1, 1), end=TODAY,
                                                       summary=True), today=TODAY).run()
    assert len(result.numbers) == 2 and result.total_cents == 5500


def test_gift_receipted_elsewhere_during_a_batch_rolls_the_batch_back(db, coop):
    """Another workstation issues one of the batch's gifts after the batch has read them: the
    batch fails as a whole (stale snapshot or claim refused), nothing is issued twice."""
    ids = _gifts(db, coop, 4)
    gifts.issue_receipt(db, ids[3], today=TODAY)  # 2024-00001 (stores the signature image)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY)
    steps = batch.steps()
    assert next(steps) == (0, 3)  # the batch has read its gifts, and written nothing yet
    other = Database(db.url)
    try:
        gifts.issue_receipt(other, ids[1], today=TODAY)
    finally:
        other.dispose()
    with pytest.raises(Exception) as failure:
        list(steps)
    assert isinstance(failure.value, (ValidationError, OperationalError))
    rows = gifts.list_receipts(db, gifts.ReceiptFilter())
    assert sorted(r.number for r in rows) == ["2024-00001", "2024-00002"]
    assert gifts.pending_count(db, gifts.BatchSelection()) == 2
    result = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY).run()
    assert result.numbers == ["2024-00003", "2024-00004"]


def _cancel(db, rid):
    gifts.cancel_receipt(db, rid, "Erreur de montant", today=TODAY)


def test_any_new_receipt_for_a_gift_whose_receipt_was_cancelled_replaces_it(db, coop):
    ids = _gifts(db, coop, 2)
    first = [gifts.issue_receipt(db, i, today=TODAY) for i in ids]  # 2024-00001, 2024-00002
    for rid in first:
        _cancel(db, rid)
    single = gifts.issue_receipt(db, ids[0], today=TODAY)  # the plain issue, not reissue_for_…
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY).run()
    assert "annule et remplace le reçu n° 2024-00002" in pdf_text(batch.pdf)
    doc = gifts.receipt_doc(db, single)
    assert doc.replaces_number == "2024-00001"
    assert "annule et remplace le reçu n° 2024-00001" in pdf_text(gifts.render_receipt(db, single)[0])
    rows = {r.number: r for r in gifts.list_receipts(db, gifts.ReceiptFilter())}
    assert rows["2024-00003"].replaces_id == first[0] and rows["2024-00004"].replaces_id == first[1]
    assert gifts.receipt_doc(db, first[1]).replaced_by_number == "2024-00004"


def test_a_summary_receipt_replaces_each_cancelled_receipt_it_covers(db, coop):
    donor = person("Bernard", "Luc")
    ids = gifts.enter_request(db, coop, [gift("30", donor=donor), gift("20", donor=donor),
                                        gift("5", donor=donor)], today=TODAY)
    for gid in ids[:2]:
        _cancel(db, gifts.issue_receipt(db, gid, today=TODAY))
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    rid = gifts.issue_summary(db, donor_id, date(2025, 1, 1), TODAY, today=TODAY)
    doc = gifts.receipt_doc(db, rid)
    assert doc.replaces_number == "2024-00001, 2024-00002"
    text = pdf_text(gifts.render_receipt(db, rid)[0])
    assert "annule et remplace les reçus n° 2024-00001, 2024-00002" in text
    for old in ("2024-00001", "2024-00002"):
        old_doc = next(r for r in gifts.list_receipts(db, gifts.ReceiptFilter()) if r.number == old)
        assert gifts.receipt_doc(db, old_doc.id).replaced_by_number == doc.number


@pytest.mark.parametrize("start, end, message", [
    (date(2024, 9, 1), date(2025, 8, 31), "après aujourd'hui"),   # TODAY is 15/06/2025
    (date(2025, 3, 1), date(2024, 10, 1), "le début est après la fin"),
    (date(2024, 9, 1), date(2025, 3, 1), "une seule année civile"),  # issue 8: was allowed
])
def test_a_summary_period_must_be_past_ordered_and_in_one_calendar_year(db, coop, start, end,
                                                                        message):
    donor = person("Bernard", "Luc")
    gifts.enter_request(db, coop, [gift("30", on=date(2024, 10, 1), donor=donor)], today=TODAY)
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    with pytest.raises(ValidationError, match=message):
        gifts.issue_summary(db, donor_id, start, end, today=TODAY)
    with pytest.raises(ValidationError, match=message):
        gifts.ReceiptBatch(db, gifts.BatchSelection(start=start, end=end, summary=True), today=TODAY)
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []
    gifts.issue_summary(db, donor_id, date(2024, 1, 1), date(2024, 12, 31), today=TODAY)


LONG_REASON = ("Le donateur nous a signalé que son nom était mal orthographié, que l'adresse "
               "avait changé depuis la demande de la coopérative, que le montant ne correspondait "
               "pas au chèque encaissé et que la date était fausse ; un nouveau reçu lui est "
               "adressé avec nos excuses pour ce désagrément.")
LONG_WORD = "https://www.exemple-de-cagnotte.fr/coop/" + "x" * 120


def _chars_past_the_margin(pdf: bytes) -> int:
    from occe_bureau.gifts.receipt_pdf import RIGHT

    return sum(1 for box in pdf_char_boxes(pdf) if box[2] > RIGHT + 1)


def test_a_long_cancel_reason_wraps_whole_and_the_replacement_always_shows(db, coop):
    gid = _gifts(db, coop, 1)[0]
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    new = gifts.cancel_receipt(db, rid, LONG_REASON, replace=True, today=TODAY)
    pdf = gifts.render_receipt(db, rid)[0]
    text = " ".join(pdf_text(pdf).split())
    assert len(LONG_REASON) <= 300 and "avec nos excuses pour ce désagrément." in text
    assert "Remplacé par le reçu n° 2024-00002." in text
    assert _chars_past_the_margin(pdf) == 0
    # the beneficiary block comes below the banner, not over it
    banner_end = pdf_find_box(pdf, "Remplacé par le reçu")[1]
    assert pdf_find_box(pdf, "Bénéficiaire des versements")[3] < banner_end
    assert new


def test_very_long_words_are_cut_to_stay_on_the_receipt(db, coop):
    gid = gifts.create_donation(db, gift("20", coop_id=coop, project=LONG_WORD,
                                        donor=person("Martin", "Anne", address=LONG_WORD)),
                               today=TODAY)
    pdf = gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))[0]
    assert _chars_past_the_margin(pdf) == 0
    assert "x" * 60 in "".join(pdf_text(pdf).split())


def _overlapping_chars(pdf: bytes) -> int:
    """Characters drawn over their neighbours on the same line (one cell running into the next)."""
    lines: dict[int, list] = {}
    for box in pdf_char_boxes(pdf):
        lines.setdefault(round(box[1]), []).append(box)
    overlaps = 0
    for boxes in lines.values():
        boxes.sort()
        overlaps += sum(1 for a, b in zip(boxes, boxes[1:]) if b[0] < a[2] - 0.5)
    return overlaps


def test_declaration_columns_do_not_overlap(db, coop):
    from occe_bureau.association import letterhead
    from occe_bureau.gifts.declaration_pdf import declaration_pdf

    donor = person("Wiśniewska-Nguyễn de la Tour d'Auvergne", "Marie-Łucja Anne-Sophie")
    gifts.enter_request(db, coop, [gift("30", donor=donor, method="especes"),
                                  gift("1000000", donor=donor, method="cheque"),
                                  gift("20", donor=donor, method="virement"),
                                  gift("999999,99", donor=person("Martin", "Anne"), method="virement")],
                       today=TODAY)
    donor_id = next(r.donor_id for r in gifts.list_donations(db, gifts.DonationFilter())
                    if r.donor_name.startswith("Wi"))
    gifts.issue_summary(db, donor_id, date(2025, 1, 1), TODAY, today=TODAY)
    rid = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=TODAY).run().receipt_ids[0]
    gifts.cancel_receipt(db, rid, "Erreur de nom et d'adresse signalée par le donateur " * 5,
                        today=TODAY)
    pdf = declaration_pdf(gifts.declaration(db, 2024), letterhead(db))
    text = " ".join(pdf_text(pdf).split())
    assert "Virement/carte" in text and "1 000 050,00 €" in text and "999 999,99 €" in text
    assert _overlapping_chars(pdf) == 0


def test_the_financial_year_start_cannot_move_once_its_series_has_begun(db, coop):
    from occe_bureau.association.settings import save_settings, setting_value

    ids = _gifts(db, coop, 1)
    save_settings(db, {gifts.FINANCIAL_YEAR_START.key: "01/01"})  # no receipt yet: allowed
    save_settings(db, {gifts.FINANCIAL_YEAR_START.key: "01/09"})
    gifts.issue_receipt(db, ids[0], today=clock.today())
    with pytest.raises(ValidationError, match="exercice en cours") as refused:
        save_settings(db, {gifts.FINANCIAL_YEAR_START.key: "01/01"})
    assert "début de l'exercice" in refused.value.errors[gifts.FINANCIAL_YEAR_START.key]
    assert setting_value(db, gifts.FINANCIAL_YEAR_START) == "01/09"
    save_settings(db, {gifts.FINANCIAL_YEAR_START.key: " 01/09 "})  # unchanged: fine
