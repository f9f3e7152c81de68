"""Shared set-up for the donations tests: an association, coops, donors."""

from datetime import date

from occe_bureau.coops import register as coops
from occe_bureau import gifts
from occe_bureau.association.settings import AssociationData, save_association

TODAY = date(2025, 6, 15)

def _signature_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (60, 15), (110, 55), (160, 20), (230, 50)],
                               fill="navy", width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PNG_1PX = _signature_png()


def setup_association(db, **kw):
    data = dict(name="OCCE – Association départementale des Hauts-de-Seine",
                address="15 rue des Écoles", postal_code="92000", city="Nanterre",
                siren_rna="W922000092",
                object="Promouvoir la coopération à l'école et gérer les coopératives scolaires.",
                signatory_name="Marie-Claude Lefèvre", signatory_title="Présidente")
    data.update(kw)
    save_association(db, AssociationData(**data))


def make_coop(db, number="92-0001", name="École maternelle Jean Jaurès"):
    return coops.create_coop(db, coops.CoopData(number=number, name=name, kind="maternelle",
                                                commune="Nanterre"))


def person(last="Martin", first="Claire", **kw):
    base = dict(last_name=last, first_names=first, address="3 rue des Lilas",
                postal_code="92000", city="Nanterre", email="")
    base.update(kw)
    return gifts.DonorData(**base)


def gift(amount="50", on=date(2025, 3, 5), donor=None, **kw):
    return gifts.DonationData(amount=amount, received_on=on, donor=donor or person(), **kw)
