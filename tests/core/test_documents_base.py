from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from occe_bureau.association import letterhead_of
from occe_bureau.printing import esc, render, styles
from occe_bureau.association.settings import AssociationData, check_association

from tests.pdf import pdf_pages_text

ICON = (Path(__file__).parents[2] / "ressources" / "icons" / "occe_bureau.png").read_bytes()


def test_render_prints_the_letterhead_user_text_as_typed_and_page_numbers():
    head = letterhead_of(AssociationData(
        name="OCCE – Association départementale de Meurthe-et-Moselle et des territoires voisins réunis",
        address="4 rue des Écoles", postal_code="54000", city="Nancy", email="ad54@occe.coop",
        logo=ICON))
    story = [Paragraph(esc("Łukasz <b>Nguyễn</b> & Øyvind = 1+1"), styles()["body"]) for _ in range(120)]
    pdf = render(story, head, title="Essai")
    pages = pdf_pages_text(pdf)
    assert len(pages) > 1
    assert "Łukasz <b>Nguyễn</b> & Øyvind = 1+1" in pages[0]
    assert "OCCE – Association départementale de Meurthe-et-Moselle" in pages[0]
    assert "54000 Nancy" in pages[1]
    assert f"Page 2 sur {len(pages)}" in pages[1]


def test_a_damaged_image_is_refused_in_the_settings():
    damaged = b"\x89PNG\r\n\x1a\n" + b"garbage" * 10
    _clean, errors = check_association(AssociationData(
        name="AD", address="1 rue", city="Nancy", signatory_name="X", logo=damaged))
    assert "abîmé" in errors["logo"]
    _clean, errors = check_association(AssociationData(
        name="AD", address="1 rue", city="Nancy", signatory_name="X", logo=ICON))
    assert "logo" not in errors


@pytest.mark.parametrize("bad", [b"GIF89a", b"%PDF-1.4"])
def test_only_png_and_jpeg(bad):
    _clean, errors = check_association(AssociationData(name="AD", address="1", city="N",
                                                       signatory_name="X", signature=bad))
    assert "PNG ou JPEG" in errors["signature"]
