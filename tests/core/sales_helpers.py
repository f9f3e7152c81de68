"""Shared set-up for the sales tests: an association with its SIRET, coops, a catalogue, a town
hall."""

from datetime import date

from occe_bureau import sales
from occe_bureau.association import save_settings
from tests.core.donations_helpers import make_coop, setup_association

# Real SIRET numbers (their check digit is right): the association's and a town hall's.
SELLER_SIRET = "73282932000074"
TOWN_SIRET = "21920050800014"
ORDERED = date(2025, 9, 15)
EDITION = 2025


def setup_sales(db):
    setup_association(db)
    save_settings(db, {sales.SELLER_SIRET.key: SELLER_SIRET})
    coop = make_coop(db)
    other = make_coop(db, number="92-0002", name="École élémentaire Victor Hugo")
    agendas = {cycle: sales.create_product(db, sales.ProductData(
        kind=sales.ProductKind.AGENDA, cycle=cycle, edition_year=EDITION, unit_price="6,50"))
        for cycle in (1, 2, 3)}
    book = sales.create_product(db, sales.ProductData(name="Lire c'est partir – album",
                                                      kind=sales.ProductKind.BOOK,
                                                      unit_price="1,00", low_stock=100))
    town = sales.create_payer(db, sales.PayerData(
        kind=sales.PayerKind.TOWN_HALL, name="Mairie de Nanterre", address="88 rue du 8 Mai 1945",
        postal_code="92000", city="Nanterre", siret=TOWN_SIRET, service_code="SCOLAIRE"))
    return dict(coop=coop, other=other, agendas=agendas, book=book, town=town)


def order(db, ctx, lines, *, payer=False, commitment="", on=ORDERED):
    return sales.create_order(db, sales.OrderData(
        coop_id=ctx["coop"], ordered_on=on,
        payer_kind=sales.PayerKind.TOWN_HALL if payer else sales.PayerKind.COOP,
        payer_id=ctx["town"] if payer else None, commitment_number=commitment,
        lines=[sales.LineData(pid, q, price) for pid, q, price in lines]))
