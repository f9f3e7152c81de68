"""Demo sales: the agendas coopératifs of four editions (cycles 1, 2 and 3), the books of « Lire
c'est partir », kits; about 1 000 orders per scale unit over four school years (scale 10 is the
10 000-order benchmark set), with their deliveries, invoices, payments and town-hall payers.

The report's year (the last closed school year) has the OCCE 92 figures exactly, times the
scale: 0 / 370 / 65 agendas of cycles 1 / 2 / 3 sold in September, and 1 936 « Lire c'est
partir » books. One invoice of that year was cancelled: a credit note answers it (its order,
entered twice by mistake, is cancelled and counts in no figure).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from occe_bureau.association.models import AppSetting, Association
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.demo.coops import COMMUNES
from occe_bureau.formats import fold, school_year_of
from occe_bureau.sales.enums import (
    InvoiceKind, MovementReason, OrderState, PayerKind, PaymentMethod, ProductKind, agenda_name,
)
from occe_bureau.sales.models import (
    Invoice, InvoiceLine, OrderLine, Payer, Product, SaleOrder, SalePayment, SalesCounter,
    StockMovement,
)
from occe_bureau.sales.settings import LATE_PENALTY, SELLER_SIRET, VAT_MENTIONS
from occe_bureau import clock

REPORT_AGENDAS = {1: 0, 2: 370, 3: 65}
REPORT_BOOKS = 1936
ORDERS_PER_YEAR = 250          # per scale unit
AGENDA_PRICE = 650
BOOKS = [("Lire c'est partir – Le loup qui voulait changer de couleur", 100),
         ("Lire c'est partir – La petite poule rousse", 100),
         ("Lire c'est partir – Les trois brigands", 100),
         ("Lire c'est partir – Max et les maximonstres", 100)]
OTHERS = [("Kit « Jeux coopératifs en classe »", ProductKind.KIT, 2500),
          ("Kit « Droits de l'enfant »", ProductKind.KIT, 1800),
          ("Affiche « Conseil de coopérative »", ProductKind.OTHER, 350)]
DEMO_SIRET = "77567227200025"      # a real-looking SIRET (its check digits are right)


def luhn_complete(digits: str) -> str:
    """`digits` followed by the Luhn check digit (SIREN and SIRET end with one)."""
    total = 0
    for i, ch in enumerate(reversed(digits + "0")):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def town_siret(index: int) -> str:
    siren = luhn_complete(f"2192{index:04d}")
    return luhn_complete(siren + "0001")


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` positive whole numbers adding up to `total` exactly (fewer if total is small)."""
    parts = min(parts, total)
    if parts <= 0:
        return []
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _products(session, years: list[int], now) -> dict:
    rows = []
    for year in years:
        for cycle in (1, 2, 3):
            rows.append(dict(name=agenda_name(cycle, year), kind=ProductKind.AGENDA, cycle=cycle,
                             edition_year=year, unit_price_cents=AGENDA_PRICE,
                             active=year >= years[-1], low_stock=20, created_at=now))
    for name, price in BOOKS:
        rows.append(dict(name=name, kind=ProductKind.BOOK, cycle=None, edition_year=None,
                         unit_price_cents=price, active=True, low_stock=200, created_at=now))
    for name, kind, price in OTHERS:
        rows.append(dict(name=name, kind=kind, cycle=None, edition_year=None,
                         unit_price_cents=price, active=True, low_stock=5, created_at=now))
    session.execute(insert(Product), rows)
    return {(p.kind, p.cycle, p.edition_year, p.name): p for p in session.scalars(select(Product))}


def _payers(session, now) -> dict[str, int]:
    rows = []
    for index, (commune, postal) in enumerate(COMMUNES, start=1):
        name = f"Mairie de {commune}"
        service = "SCOLAIRE" if index % 2 else ""
        rows.append(dict(kind=PayerKind.TOWN_HALL, name=name, address="Hôtel de ville",
                         postal_code=postal, city=commune, email="", siret=town_siret(index),
                         service_code=service, archived=False,
                         search_key=fold(f"{name} {commune}"), created_at=now))
    rows.append(dict(kind=PayerKind.OTHER, name="Amicale des parents d'élèves Jules Ferry",
                     address="2 rue des Écoles", postal_code="92000", city="Nanterre", email="",
                     siret="", service_code="", archived=False,
                     search_key=fold("Amicale des parents d'élèves Jules Ferry Nanterre"),
                     created_at=now))
    session.execute(insert(Payer), rows)
    return {p.city if p.kind == PayerKind.TOWN_HALL else "": p.id
            for p in session.scalars(select(Payer))}


class _Orders:
    """The orders of the demo as rows, before they are written."""

    def __init__(self, rng: random.Random, coops: list, payers: dict, today: date) -> None:
        self.rng, self.coops, self.payers, self.today = rng, coops, payers, today
        self.orders: list[dict] = []
        self.lines: list[list[tuple[int, int, int]]] = []

    def add(self, on: date, lines: list[tuple[int, int, int]], coop=None) -> int:
        rng = self.rng
        coop = coop or rng.choice(self.coops)
        kind = PayerKind.COOP
        payer_id = None
        draw = rng.random()
        if draw < 0.25 and coop.commune in self.payers:
            kind, payer_id = PayerKind.TOWN_HALL, self.payers[coop.commune]
        elif draw < 0.27:
            kind, payer_id = PayerKind.OTHER, self.payers[""]
        commitment = f"EJ{on.year}{rng.randint(10000, 99999)}" if kind is PayerKind.TOWN_HALL and rng.random() < 0.6 else ""
        self.orders.append(dict(ordered_on=on, coop=coop, payer_kind=kind, payer_id=payer_id,
                                commitment_number=commitment))
        self.lines.append(lines)
        return len(self.orders) - 1


def _year_orders(book: _Orders, year: int, products: dict, scale: int, report: bool) -> None:
    rng = book.rng
    agendas = {c: products[(ProductKind.AGENDA, c, year, agenda_name(c, year))] for c in (1, 2, 3)}
    books = [products[(ProductKind.BOOK, None, None, name)] for name, _p in BOOKS]
    others = [products[(kind, None, None, name)] for name, kind, _p in OTHERS]
    if report:
        wanted = {c: n * scale for c, n in REPORT_AGENDAS.items()}
        book_total = REPORT_BOOKS * scale
    else:
        wanted = {1: rng.randint(0, 30) * scale, 2: rng.randint(300, 420) * scale,
                  3: rng.randint(50, 90) * scale}
        book_total = rng.randint(1700, 2100) * scale
    coops = rng.sample(book.coops, min(len(book.coops), 40 * scale))
    cycle_orders = {1: 2 * scale, 2: 24 * scale, 3: 6 * scale}
    position = 0
    for cycle in (1, 2, 3):
        for quantity in split(wanted[cycle], cycle_orders[cycle], rng):
            on = date(year, 9, rng.randint(2, 28))
            book.add(on, [(agendas[cycle].id, quantity, AGENDA_PRICE)], coops[position % len(coops)])
            position += 1
    n_books = 170 * scale
    for quantity in split(book_total, n_books, rng):
        on = date(year, 10, 1) + timedelta(days=rng.randint(0, 150))
        product = rng.choice(books)
        book.add(on, [(product.id, quantity, product.unit_price_cents)])
    for _ in range((ORDERS_PER_YEAR - 200) * scale):
        on = date(year, 9, 15) + timedelta(days=rng.randint(0, 260))
        product = rng.choice(others)
        book.add(on, [(product.id, rng.randint(1, 3), product.unit_price_cents)])


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    now = clock.now()
    current = school_year_of(today)
    report = current - 1
    years = [report - 2, report - 1, report, current]
    with db.transaction() as session:
        association = session.get(Association, 1)
        coops = session.execute(select(Coop.id, Coop.number, Coop.name, Coop.uai, Coop.address,
                                       Coop.postal_code, Coop.commune, Coop.mandataire_email)
                                .where(Coop.archived.is_(False)).order_by(Coop.id)).all()
        if not coops or association is None:
            return
        session.add_all([AppSetting(key=SELLER_SIRET.key, value=DEMO_SIRET)])
        products = _products(session, years, now)
        payers = _payers(session, now)
        payer_rows = {p.id: p for p in session.scalars(select(Payer))}
        book = _Orders(rng, coops, payers, today)
        for year in years:
            _year_orders(book, year, products, scale, year == report)
        # the order entered twice by mistake: invoiced, then cancelled with a credit note
        twin = book.add(date(report, 9, 20), [(products[(ProductKind.AGENDA, 2, report, agenda_name(2, report))].id, 12, AGENDA_PRICE)])
        keep = [i for i, o in enumerate(book.orders) if o["ordered_on"] <= today]
        _write(session, book, keep, twin, association, payer_rows, products, years, today, now)


def _write(session, book: _Orders, keep: list[int], twin: int, association, payer_rows: dict,
           products: dict, years: list[int], today: date, now) -> None:
    rng = book.rng
    keep.sort(key=lambda i: (book.orders[i]["ordered_on"], i))
    seqs: dict[int, int] = {}
    order_rows = []
    for index in keep:
        o = book.orders[index]
        year = school_year_of(o["ordered_on"])
        seqs[year] = seqs.get(year, 0) + 1
        o["number"] = f"C{year}-{seqs[year]:04d}"
        total = sum(q * p for _pid, q, p in book.lines[index])
        delivered = o["ordered_on"] + timedelta(days=rng.randint(3, 15))
        recent = (today - o["ordered_on"]).days < 20
        o["delivered_on"] = None if recent or delivered > today else delivered
        o["invoiced_on"] = o["delivered_on"] if o["delivered_on"] and rng.random() < 0.95 else None
        paid = 0
        o["payments"] = []
        if o["invoiced_on"]:
            late = (45 if o["payer_kind"] is PayerKind.TOWN_HALL else 20)
            paid_on = o["invoiced_on"] + timedelta(days=rng.randint(5, late + 60))
            settled = school_year_of(o["ordered_on"]) < years[-2] or rng.random() < 0.9
            if paid_on <= today and settled:
                if rng.random() < 0.15 and total >= 200:
                    first = total // 2
                    o["payments"] = [(paid_on, first), (min(today, paid_on + timedelta(days=30)), total - first)]
                else:
                    o["payments"] = [(paid_on, total)]
                paid = total
        cancelled = index == twin
        if cancelled:
            o["payments"], paid = [], 0
        state = (OrderState.CANCELLED if cancelled else OrderState.PAID if paid >= total
                 else OrderState.DELIVERED if o["delivered_on"] else OrderState.ORDERED)
        order_rows.append(dict(
            number=o["number"], year=year, seq=seqs[year], ordered_on=o["ordered_on"],
            coop_id=o["coop"].id, payer_kind=o["payer_kind"], payer_id=o["payer_id"],
            commitment_number=o["commitment_number"], notes="", state=state, total_cents=total,
            paid_cents=paid, delivered_on=o["delivered_on"],
            cancelled_on=o["delivered_on"] + timedelta(days=5) if cancelled else None,
            cancel_reason="Commande saisie deux fois" if cancelled else "",
            reminded_on=None, reminders=0, created_at=now))
    session.execute(insert(SaleOrder), order_rows)
    ids = dict(session.execute(select(SaleOrder.number, SaleOrder.id)).all())
    lines, payments, movements = [], [], []
    for index in keep:
        o = book.orders[index]
        oid = ids[o["number"]]
        for pid, quantity, price in book.lines[index]:
            lines.append(dict(order_id=oid, product_id=pid, quantity=quantity, unit_price_cents=price))
            if o["delivered_on"]:
                movements.append(dict(product_id=pid, moved_on=o["delivered_on"], quantity=-quantity,
                                      reason=MovementReason.SALE, note=o["number"], order_id=oid,
                                      created_at=now))
                if index == twin:
                    movements.append(dict(product_id=pid, moved_on=o["delivered_on"] + timedelta(days=5),
                                          quantity=quantity, reason=MovementReason.RETURN,
                                          note=f"Annulation {o['number']}", order_id=oid, created_at=now))
        method = PaymentMethod.MANDAT if o["payer_kind"] is PayerKind.TOWN_HALL else rng.choice(
            [PaymentMethod.CHEQUE, PaymentMethod.CHEQUE, PaymentMethod.VIREMENT, PaymentMethod.ESPECES])
        for paid_on, cents in o["payments"]:
            reference = (f"{rng.randint(1000000, 9999999)}" if method is PaymentMethod.CHEQUE else
                         f"M{paid_on.year}-{rng.randint(100, 9999)}" if method is PaymentMethod.MANDAT else
                         f"VIR {o['number']}" if method is PaymentMethod.VIREMENT else "")
            payments.append(dict(order_id=oid, paid_on=paid_on, amount_cents=cents, method=method,
                                 reference=reference, created_at=now))
    session.execute(insert(OrderLine), lines)
    # goods received before each September: enough for the year's sales, and some to spare
    sold: dict[tuple[int, int], int] = {}
    for m in movements:
        if m["reason"] is MovementReason.SALE:
            key = (m["product_id"], school_year_of(m["moved_on"]))
            sold[key] = sold.get(key, 0) - m["quantity"]
    for (pid, year), quantity in sorted(sold.items()):
        movements.append(dict(product_id=pid, moved_on=date(year, 8, 28), quantity=quantity + rng.randint(10, 60),
                              reason=MovementReason.RECEIVED, note="Livraison de l'éditeur",
                              order_id=None, created_at=now))
    session.execute(insert(StockMovement), movements)
    session.execute(insert(SalePayment), payments)
    _invoices(session, book, keep, twin, ids, association, payer_rows, today, now)
    counters = [dict(series="C", year=year, last_seq=seq) for year, seq in seqs.items()]
    counters += [dict(series=InvoiceKind(kind).prefix, year=year, last_seq=seq) for kind, year, seq in
                 session.execute(select(Invoice.kind, Invoice.year, func.max(Invoice.seq))
                                 .group_by(Invoice.kind, Invoice.year)).all()]
    session.execute(insert(SalesCounter), counters)


def _invoices(session, book: _Orders, keep: list[int], twin: int, ids: dict, association,
              payer_rows: dict, today: date, now) -> None:
    seller = dict(seller_name=association.name, seller_address=association.address,
                  seller_postal_code=association.postal_code, seller_city=association.city,
                  seller_siret=DEMO_SIRET, seller_rna=association.siren_rna if association.siren_rna.startswith("W") else "",
                  seller_email=association.email, vat_mention=VAT_MENTIONS[0][1],
                  payment_terms="Paiement à 30 jours par virement, chèque ou mandat administratif",
                  late_penalty_text=LATE_PENALTY.default, bank_details="")
    product_names = {p.id: p.name for p in session.scalars(select(Product))}
    planned = sorted((book.orders[i]["invoiced_on"], i) for i in keep if book.orders[i]["invoiced_on"])
    seqs: dict[tuple[str, int], int] = {}
    rows, line_groups = [], []

    def number(kind: InvoiceKind, on: date) -> tuple[str, int, int]:
        key = (kind.prefix, on.year)
        seqs[key] = seqs.get(key, 0) + 1
        return f"{kind.prefix}{on.year}-{seqs[key]:04d}", on.year, seqs[key]

    for on, index in planned:
        o = book.orders[index]
        coop = o["coop"]
        if o["payer_kind"] is PayerKind.COOP:
            buyer = dict(buyer_name=f"Coopérative scolaire {coop.name}", buyer_address=coop.address,
                         buyer_postal_code=coop.postal_code, buyer_city=coop.commune, buyer_siret="",
                         buyer_email=coop.mandataire_email or "", buyer_public=False, service_code="")
        else:
            p = payer_rows[o["payer_id"]]
            buyer = dict(buyer_name=p.name, buyer_address=p.address, buyer_postal_code=p.postal_code,
                         buyer_city=p.city, buyer_siret=p.siret, buyer_email=p.email,
                         buyer_public=p.kind == PayerKind.TOWN_HALL, service_code=p.service_code)
        lines = [dict(position=n, description=product_names[pid], quantity=q, unit_price_cents=price,
                      total_cents=q * price) for n, (pid, q, price) in enumerate(book.lines[index], start=1)]
        text, year, seq = number(InvoiceKind.INVOICE, on)
        cancelled_on = on + timedelta(days=5) if index == twin else None
        base = dict(order_id=ids[o["number"]], total_cents=sum(line["total_cents"] for line in lines),
                    recovery_indemnity=o["payer_kind"] is not PayerKind.COOP,
                    commitment_number=o["commitment_number"], order_number=o["number"],
                    delivered_to=f"{coop.name} ({coop.uai or coop.number})", issued_at=now,
                    printed_at=None, **seller, **buyer)
        rows.append(dict(kind=InvoiceKind.INVOICE, number=text, year=year, seq=seq, issued_on=on,
                         due_on=on + timedelta(days=30), credited_id=None, credit_reason="",
                         cancelled=index == twin, cancelled_on=cancelled_on, **base))
        line_groups.append(lines)
        if index == twin:
            text, year, seq = number(InvoiceKind.CREDIT_NOTE, cancelled_on)
            rows.append(dict(kind=InvoiceKind.CREDIT_NOTE, number=text, year=year, seq=seq,
                             issued_on=cancelled_on, due_on=cancelled_on, credited_id=None,
                             credit_reason="Commande saisie deux fois", cancelled=False,
                             cancelled_on=None, credits=rows[-1]["number"], **base))
            line_groups.append(lines)
    invoices = [(row, lines) for row, lines in zip(rows, line_groups, strict=True) if "credits" not in row]
    notes = [(row, lines) for row, lines in zip(rows, line_groups, strict=True) if "credits" in row]
    session.execute(insert(Invoice), [row for row, _lines in invoices])
    invoice_ids = dict(session.execute(select(Invoice.number, Invoice.id)).all())
    # a credit note points at the invoice it answers, written with it (the guards refuse any
    # later change to an issued invoice's content)
    for row, _lines in notes:
        row["credited_id"] = invoice_ids[row.pop("credits")]
    if notes:
        session.execute(insert(Invoice), [row for row, _lines in notes])
        invoice_ids = dict(session.execute(select(Invoice.number, Invoice.id)).all())
    session.execute(insert(InvoiceLine), [dict(invoice_id=invoice_ids[row["number"]], **line)
                                          for row, lines in invoices + notes for line in lines])
