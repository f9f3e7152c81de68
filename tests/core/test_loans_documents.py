"""The printed papers: slip (two copies), return receipt, reminder letter — read back as text."""

import pytest

from occe_bureau import lending
from occe_bureau.association.settings import AssociationData, save_association, save_settings
from occe_bureau.validation import ValidationError
from tests.core.loans_helpers import TODAY, d, make_coop, make_item
from tests.pdf import pdf_pages_text, pdf_text


@pytest.fixture
def loan(db):
    save_association(db, AssociationData(
        name="OCCE – Association départementale des Hauts-de-Seine", address="15 rue des Écoles",
        postal_code="92000", city="Nanterre", signatory_name="Marie-Claude Lefèvre",
        signatory_title="Présidente"))
    coop = make_coop(db, address="3 rue Victor Hugo", postal_code="92000")
    cam = make_item(db)
    box = make_item(db, "JC-01", "Malle jeux coopératifs – parachute", "Jeux coopératifs",
                    value=30000, accessories="parachute 6 m\n20 foulards")
    loan_id = lending.create_loan(db, lending.LoanData(
        coop_id=coop, borrower="Mme Zoé Łukasiewicz-Ødegård <b>CE2</b>", start_date=d(3),
        due_date=d(14), handed_over_by="Sylvie (secrétariat)",
        notes="Rendre avant les vacances & ne pas plier <i>la toile</i>", item_ids=[cam, box]),
        today=TODAY)
    return db, loan_id, cam, box


def test_slip_has_two_copies_with_everything_the_borrower_signs(loan):
    db, loan_id, cam, box = loan
    save_settings(db, {lending.LOAN_CONDITIONS.key: "Matériel prêté <gratuitement> & rendu propre."})
    pages = pdf_pages_text(lending.loan_slip_pdf(db, loan_id))
    assert len(pages) == 2
    assert "Exemplaire de l'association" in pages[0] and "Exemplaire de l'emprunteur" in pages[1]
    for page in pages:
        flat = " ".join(page.split())
        assert "Bon de prêt n° 00001" in flat
        assert "OCCE – Association départementale des Hauts-de-Seine" in flat
        assert "92-0100 – École élémentaire Jean Jaurès" in flat
        assert "Mme Zoé Łukasiewicz-Ødegård <b>CE2</b>" in flat  # exactly as typed
        assert "CAM-01" in flat and "JC-01" in flat and "2 batteries" in flat and "20 foulards" in flat
        assert "450,00 €" in flat and "750,00 €" in flat  # each value and the total
        assert "03/03/2025" in flat and "14/03/2025" in flat
        assert "Matériel prêté <gratuitement> & rendu propre." in flat
        assert "Remis par" in flat and "Reçu par l'emprunteur" in flat and "Sylvie (secrétariat)" in flat
        assert "Retour du matériel" in flat
        assert "<i>la toile</i>" in flat


def test_an_eight_item_slip_numbers_each_copy_and_names_it_on_every_page(db):
    coop = make_coop(db)
    items = [make_item(db, f"CAM-0{i}", f"Caméra HD n° {i}") for i in range(1, 9)]
    loan_id = lending.create_loan(db, lending.LoanData(
        coop_id=coop, borrower="Mme Nadia Benali", start_date=d(3), due_date=d(14),
        item_ids=items), today=TODAY)
    pages = [" ".join(page.split()) for page in pdf_pages_text(lending.loan_slip_pdf(db, loan_id))]
    assert len(pages) == 4  # each copy spills onto a second page
    copies = ["Exemplaire de l'association"] * 2 + ["Exemplaire de l'emprunteur"] * 2
    others = copies[::-1]
    for page, copy, other, number in zip(pages, copies, others, [1, 2, 1, 2], strict=True):
        assert f"Bon de prêt n° 00001 – {copy}" in page
        assert other not in page
        assert f"Page {number} sur 2" in page and "sur 4" not in page
    # a later page says again at its top which slip and copy it goes on with
    assert "Bon de prêt n° 00001 – Exemplaire de l'association (suite)" in pages[1]
    assert "Bon de prêt n° 00001 – Exemplaire de l'emprunteur (suite)" in pages[3]
    assert "(suite)" not in pages[0] + pages[2]


def test_return_receipt_lists_what_came_back_and_what_is_missing(loan):
    db, loan_id, cam, box = loan
    lending.return_items(db, loan_id, [lending.ReturnData(cam, d(7), "Bon état", "carte SD")], today=TODAY)
    text = " ".join(pdf_text(lending.return_receipt_pdf(db, loan_id)).split())
    assert "Reçu de retour – bon de prêt n° 00001" in text
    assert "07/03/2025" in text and "carte SD" in text
    assert "Encore en prêt" in text and "JC-01" in text


def test_return_receipt_says_damaged_and_prints_the_return_notes(loan):
    db, loan_id, cam, box = loan
    lending.return_items(db, loan_id, [
        # "Abîmé → maintenance" ticked, the state left at its "Bon état" default
        lending.ReturnData(cam, d(7), damaged=True, notes="Objectif rayé, rendu sans sa housse"),
        lending.ReturnData(box, d(7), "Sale", damaged=True, notes="Parachute taché <encre>"),
    ], today=TODAY)
    lines = {l.code: l for l in lending.get_loan(db, loan_id).lines}
    assert lines["CAM-01"].condition == "Abîmé – envoyé en maintenance"
    assert lines["JC-01"].condition == "Sale – envoyé en maintenance"
    text = " ".join(pdf_text(lending.return_receipt_pdf(db, loan_id)).split())
    assert "Bon état" not in text
    assert "Abîmé – envoyé en maintenance" in text and "Sale – envoyé en maintenance" in text
    assert "Remarques : Objectif rayé, rendu sans sa housse" in text
    assert "Remarques : Parachute taché <encre>" in text


def test_returned_condition_never_says_good_for_a_damaged_item():
    from occe_bureau.lending.loans import returned_condition

    assert returned_condition("", False) == "Bon état"
    assert returned_condition("Usure normale", False) == "Usure normale"
    assert returned_condition("Bon état", True) == "Abîmé – envoyé en maintenance"
    assert returned_condition("", True) == "Abîmé – envoyé en maintenance"
    long = returned_condition("é" * 200, True)
    assert len(long) == 200 and long.endswith(" – envoyé en maintenance")


def test_reminder_letter_is_logged_and_numbered(loan):
    db, loan_id, cam, box = loan
    with pytest.raises(ValidationError, match="pas en retard"):
        lending.reminder_letter_pdf(db, loan_id, today=TODAY)
    later = d(20)
    text = " ".join(pdf_text(lending.reminder_letter_pdf(db, loan_id, today=later)).split())
    assert "Relance – matériel non rendu (bon de prêt n° 00001" in text
    assert "14/03/2025" in text and "6 jours" in text and "Nanterre, le 20/03/2025" in text
    assert "Marie-Claude Lefèvre" in text
    second = " ".join(pdf_text(lending.reminder_letter_pdf(db, loan_id, today=d(27))).split())
    assert "2e relance" in second
    assert lending.get_loan(db, loan_id).reminders == [d(20), d(27)]


def test_reminder_letters_escalate_and_greet_the_borrower_they_are_addressed_to(loan):
    db, loan_id, cam, box = loan

    def letter(day):
        return " ".join(pdf_text(lending.reminder_letter_pdf(db, loan_id, today=day)).split())

    first, second, third = letter(d(20)), letter(d(27)), letter(d(3, 4))
    fourth = letter(d(10, 4))
    assert "Objet : Relance – matériel non rendu" in first
    assert "Objet : 2e relance" in second and "Objet : 3e et dernière relance" in third
    assert "Objet : 4e et dernière relance" in fourth
    assert "Sauf erreur de notre part" in first and "Sauf erreur" not in second + third
    assert "Notre courrier du 20/03/2025 est resté sans réponse" in second
    assert "13 jours de retard" in second
    assert "la dernière du 27/03/2025" in third and "il y a 20 jours" in third
    assert "valeur de remplacement (750,00 €) sera facturée" in third
    for text in (first, second, third):
        # addressed to "Mme Zoé …": greeted as Madame, not "Madame, Monsieur"
        assert "À l'attention de Mme Zoé" in text
        assert "Madame, Monsieur" not in text
        assert "Madame, Sauf erreur" in text or "Madame, Notre" in text or "Madame, Malgré" in text
        assert "Nous vous prions d'agréer, Madame, nos salutations coopératives." in text


def test_the_three_reminder_texts_are_editable_and_their_fields_checked(loan):
    db, loan_id, cam, box = loan
    save_settings(db, {lending.REMINDER_TEXT.key: "Premier rappel, échéance {echeance}.",
                       lending.SECOND_REMINDER_TEXT.key: "Deuxième rappel après le {relance}.",
                       lending.LAST_REMINDER_TEXT.key: "Dernier rappel : {retard}, {valeur}."})
    texts = [" ".join(pdf_text(lending.reminder_letter_pdf(db, loan_id, today=day)).split())
             for day in (d(20), d(27), d(3, 4))]
    assert "Premier rappel, échéance 14/03/2025." in texts[0]
    assert "Deuxième rappel après le 20/03/2025." in texts[1]
    assert "Dernier rappel : 20 jours, 750,00 €." in texts[2]
    with pytest.raises(ValidationError) as err:
        save_settings(db, {lending.LAST_REMINDER_TEXT.key: "Rendu attendu le {echance}."})
    assert "{echance} n'existe pas" in err.value.errors[lending.LAST_REMINDER_TEXT.key]


def test_salutation_follows_the_civility_of_the_borrower():
    assert lending.salutation("Mme Nadia Benali") == "Madame"
    assert lending.salutation("Madame Benali") == "Madame"
    assert lending.salutation("M. Karim Haddad") == "Monsieur"
    assert lending.salutation("Mme A et M. Élie") == "Madame, Monsieur"
    assert lending.salutation("Nadia Benali") == "Madame, Monsieur"
    assert lending.salutation("Jean-Marc Dupont (CM2)") == "Madame, Monsieur"
    assert [lending.reminder_step(n) for n in (1, 2, 3, 4)] == [
        lending.ReminderStep.FIRST, lending.ReminderStep.SECOND, lending.ReminderStep.LAST,
        lending.ReminderStep.LAST]


def test_very_long_texts_still_render(db):
    coop = make_coop(db)
    item = make_item(db, name="M" * 150, accessories="\n".join(f"accessoire {i}" for i in range(60)))
    loan_id = lending.create_loan(db, lending.LoanData(
        coop_id=coop, borrower="B" * 150, start_date=d(3), due_date=d(4),
        notes=("Très long texte <script> " * 150)[:4000], item_ids=[item]), today=TODAY)
    pdf = lending.loan_slip_pdf(db, loan_id)
    text = pdf_text(pdf)
    assert "accessoire 59" in text and "<script>" in text
    assert "Exemplaire de l'emprunteur" in text


def test_batch_of_reminders_is_one_document_and_recorded_all_or_nothing(loan):
    db, loan_id, cam, box = loan
    later = d(20)
    pdf = lending.reminder_letters_pdf(db, [lending.reminder_data(db, loan_id, later)] * 2)
    assert len(pdf_pages_text(pdf)) == 2 and "Page 1 sur" not in pdf_text(pdf)
    lending.return_items(db, loan_id, [lending.ReturnData(cam, d(8)), lending.ReturnData(box, d(8))], today=later)
    with pytest.raises(ValidationError, match="aucune relance"):
        lending.record_reminders(db, [loan_id], later)
    assert lending.get_loan(db, loan_id).reminders == []


def _slip(items):
    from datetime import date

    from occe_bureau.lending.slip_pdf import SlipData
    return SlipData(slip_label="00042", coop_number="92-0100", coop_name="École Jean Jaurès",
                    coop_address_lines=["3 rue Victor Hugo"], borrower="Mme Nadia Benali",
                    start_date=date(2025, 3, 3), due_date=date(2025, 3, 14), items=items)


def test_slip_with_hundreds_of_accessories_and_endless_words_splits_across_pages():
    from occe_bureau.printing import Letterhead
    from occe_bureau.lending.slip_pdf import SlipItem, loan_slip_pdf, return_receipt_pdf
    word = "X" * 2000
    many = SlipItem(code="MAL-01", name="Malle de jeux", replacement_value_cents=100,
                    accessories=[f"accessoire n° {i}" for i in range(200)] + [word])
    other = SlipItem(code="CAM-01", name="Caméra " + "Y" * 2000, accessories=["trépied"])
    pages = pdf_pages_text(loan_slip_pdf(_slip([many, other]), Letterhead(name="OCCE 92", lines=())))
    assert len(pages) > 2
    text = "".join("".join(page.split()) for page in pages)
    assert "accessoiren°199" in text and "CAM-01" in text
    assert text.count("X") >= 2 * 2000  # the endless word is cut, not dropped (two copies)
    back = SlipItem(code="MAL-01", name="Malle", status_label="Rendu",
                    condition="Bon état", missing_accessories="Z" * 2000)
    text = "".join(pdf_text(return_receipt_pdf(_slip([back]), Letterhead(name="OCCE 92", lines=()))).split())
    assert text.count("Z") >= 2 * 2000  # in the table and in the list of what to bring back
