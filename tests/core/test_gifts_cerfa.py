"""The Cerfa's own boxes and words on the receipt: the type of organisation chosen among the
form's boxes (with the decree of an association reconnue d'utilité publique), the labels."""

import pytest

from occe_bureau import gifts
from occe_bureau.association.settings import save_settings, setting_value
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association
from tests.pdf import pdf_text


@pytest.fixture
def coop(db):
    setup_association(db)
    return make_coop(db)


def _receipt_text(db, coop) -> str:
    gid = gifts.create_donation(db, gift("80", coop_id=coop, donor=person()), today=TODAY)
    return " ".join(pdf_text(gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))[0]).split())


def test_the_type_of_organisation_is_one_of_the_cerfa_boxes(db):
    with pytest.raises(ValidationError, match="choisissez une des propositions") as refused:
        save_settings(db, {gifts.BENEFICIARY_TYPE.key: "Association loi 1901, sympathique"})
    assert gifts.BENEFICIARY_TYPE.key in refused.value.errors
    assert setting_value(db, gifts.BENEFICIARY_TYPE) == gifts.OrganisationType.INTERET_GENERAL
    assert {code for code, _label in gifts.BENEFICIARY_TYPE.choices} == set(gifts.OrganisationType)


def test_an_association_reconnue_d_utilite_publique_gives_its_decree_and_its_publication(db, coop):
    rup = gifts.OrganisationType.RUP
    with pytest.raises(ValidationError) as refused:
        save_settings(db, {gifts.BENEFICIARY_TYPE.key: rup, gifts.RUP_DECREE.key: "",
                           gifts.RUP_JOURNAL.key: ""})
    assert set(refused.value.errors) == {gifts.RUP_DECREE.key, gifts.RUP_JOURNAL.key}
    assert "reconnue d'utilité publique" in refused.value.errors[gifts.RUP_DECREE.key]
    with pytest.raises(ValidationError, match="date attendue"):
        save_settings(db, {gifts.BENEFICIARY_TYPE.key: rup, gifts.RUP_DECREE.key: "en 1959",
                           gifts.RUP_JOURNAL.key: "20/03/1959"})
    with pytest.raises(ValidationError, match="ne peut pas précéder le décret"):
        save_settings(db, {gifts.BENEFICIARY_TYPE.key: rup, gifts.RUP_DECREE.key: "12/03/1959",
                           gifts.RUP_JOURNAL.key: "01/03/1959"})
    assert setting_value(db, gifts.BENEFICIARY_TYPE) == gifts.OrganisationType.INTERET_GENERAL
    save_settings(db, {gifts.BENEFICIARY_TYPE.key: rup, gifts.RUP_DECREE.key: "12/03/1959",
                       gifts.RUP_JOURNAL.key: "20/03/1959"})
    text = _receipt_text(db, coop)
    assert ("☒ Association ou fondation reconnue d'utilité publique par décret en date du "
            "12/03/1959 publié au Journal officiel du 20/03/1959") in text
    assert "œuvre ou organisme d'intérêt général" not in text


def test_the_labels_follow_the_form(db, coop):
    text = _receipt_text(db, coop)
    for label in ["Numéro d'ordre du reçu", "En cas de don en numéraire, mode de versement du don",
                  "Date et signature"]:
        assert label in text, label
    assert "Mode de versement :" not in text


def test_a_receipt_issued_before_a_change_of_type_prints_as_issued(db, coop):
    gid = gifts.create_donation(db, gift("80", coop_id=coop, donor=person()), today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    save_settings(db, {gifts.BENEFICIARY_TYPE.key: gifts.OrganisationType.RUP,
                       gifts.RUP_DECREE.key: "12/03/1959", gifts.RUP_JOURNAL.key: "20/03/1959"})
    text = " ".join(pdf_text(gifts.render_receipt(db, rid)[0]).split())
    assert "œuvre ou organisme d'intérêt général" in text and "1959" not in text


def test_a_company_receipt_shows_the_company_s_legal_form(db, coop):
    company = gifts.DonorData(kind="company", company_name="Boulangerie du Parc", siren="123456789",
                              address="1 rue X", postal_code="92000", city="Nanterre")
    gid = gifts.create_donation(db, gift("300", coop_id=coop, donor=company), today=TODAY)
    with pytest.raises(ValidationError, match="Forme juridique de l'entreprise « Boulangerie du Parc »"):
        gifts.issue_receipt(db, gid, today=TODAY)
    assert gifts.list_receipts(db, gifts.ReceiptFilter()) == []
    donor_id = gifts.list_donations(db, gifts.DonationFilter())[0].donor_id
    known = gifts.get_donor(db, donor_id)
    known.legal_form = "SAS"
    gifts.update_donor(db, donor_id, known)
    text = pdf_text(gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))[0])
    assert "Forme juridique : SAS" in text and "Dénomination : Boulangerie du Parc" in text


def test_a_gift_in_kind_carries_its_description_and_its_valuation(db, coop):
    in_kind = dict(coop_id=coop, donor=person("Nowak", "Ewa"), nature=gifts.GiftNature.AUTRE)
    with pytest.raises(ValidationError) as refused:
        gifts.create_donation(db, gift("120", **in_kind), today=TODAY)
    assert {"kind_description", "kind_valuation"} <= set(refused.value.errors)
    assert "description des biens" in refused.value.errors["kind_description"]
    assert gifts.list_donations(db, gifts.DonationFilter()) == []
    gid = gifts.create_donation(db, gift(
        "120", kind_description="Dix ballons de basket neufs",
        kind_valuation="Prix d'achat sur la facture du 02/03/2025", **in_kind), today=TODAY)
    text = " ".join(pdf_text(gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))[0]).split())
    for mention in ["Nature du don : ☐ Numéraire ☐ Titres de sociétés cotés ☒ Autres",
                    "Description des biens donnés : Dix ballons de basket neufs",
                    "Évaluation : Prix d'achat sur la facture du 02/03/2025", "120,00 €",
                    "☐ Remise d'espèces ☐ Chèque ☐ Virement"]:  # no payment method: not money
        assert mention in text, mention

