"""Demo gifts and receipts: GIFTS_PER_SCALE (674) gifts per full financial year and scale
unit over three closed financial years and the one under way (about 2 700 gifts at scale 1,
27 000 at scale 10, the benchmark set), with the receipts the office would have issued.

The last closed financial year (1 September – 31 August, the one before today's) is the
OCCE 92 report's, exactly, whatever the day the demo is built on: 508 gifts through the
coops' requests for 150 859 € (about 300 € on average, many 20–100 € parents' gifts and some
large ones) and 166 through the crowdfunding platform for 14 721 € (about 90 €), times the
scale. The other years have about as many (±10 %). Every gift of the report's year has its
receipt (some issued in September, after the close); gifts of the last ninety days of the
year under way are still waiting for theirs; a few receipts were cancelled and replaced.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from occe_bureau.db import Database
from occe_bureau.demo.coops import (
    COMMUNES, FIRST_NAMES, LAST_NAMES, STREET_NAMES, STREETS, fit_to_total,
)
from occe_bureau.formats import amount_in_words, fold
from occe_bureau.association.models import Association
from occe_bureau.coops import Coop
from occe_bureau.gifts import (
    DonorKind, GiftForm, GiftNature, GiftSource, PaymentMethod, ReceiptKind, format_number,
)
from occe_bureau.gifts.chain import chain_inserted, record_inserted
from occe_bureau.gifts.models import (
    Donation, Donor, ReceiptCounter, ReceiptImage, ReceiptLine, TaxReceipt,
)
from occe_bureau import clock

# A financial year's gifts at scale 1: the report's year, by source (count, total in euros).
REPORT_GIFTS = {GiftSource.COOP: (508, 150_859), GiftSource.PLATEFORME: (166, 14_721)}
GIFTS_PER_SCALE = sum(n for n, _total in REPORT_GIFTS.values())  # per full financial year
PENDING_DAYS = 90
FOREIGN = [("Nowak", "Łukasz"), ("Nguyễn", "Thị Lan"), ("Hansen", "Øyvind"), ("Yılmaz", "Ayşe"),
           ("Müller", "Jürgen"), ("Kowalczyk", "Małgorzata"), ("Trần", "Văn Đức"),
           ("Søndergaard", "Åse"), ("Dvořák", "Tomáš"), ("Öztürk", "Çağla")]
COMPANIES = [("Boulangerie du Marché", "SARL"), ("Pharmacie des Écoles", "SELARL"),
             ("Garage Martin et Fils", "SAS"), ("Librairie La Page", "SARL"),
             ("Crédit Coopératif – agence locale", "SA"), ("Imprimerie Moderne", "SAS")]
PROJECTS = ["", "", "", "Jardin de l'école", "Bibliothèque de classe", "Projet cirque",
            "Spectacle de fin d'année", "Instruments de musique", "Jeux de cour",
            "Livres pour la BCD", "Projet théâtre", "Malle de jeux coopératifs"]
METHODS = [PaymentMethod.CHEQUE] * 6 + [PaymentMethod.VIREMENT] * 3 + [PaymentMethod.ESPECES]


def _financial_year(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def _plan(rng: random.Random, scale: int, today: date) -> list[tuple[date, GiftSource]]:
    """(received on, source) of every gift: exactly the report's counts in the last closed
    financial year, about as many (±10 %) in the two before, and in the year under way as
    many as its days so far call for."""
    current = _financial_year(today)
    plan = []
    for year in range(current - 3, current + 1):
        first = date(year, 9, 1)
        last = min(today, date(year + 1, 8, 31))
        days = (last - first).days + 1
        for source, (count, _total) in REPORT_GIFTS.items():
            if year == current - 1:
                n = count * scale
            else:
                n = round(count * scale * rng.uniform(0.9, 1.1) * min(1.0, days / 365))
            plan.extend((first + timedelta(days=rng.randrange(days)), source) for _ in range(n))
    return plan


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    with db.session() as session:
        coops = session.execute(select(Coop.id, Coop.number, Coop.name, Coop.commune)
                                .where(Coop.archived.is_(False))).all()
        a = session.get(Association, 1)
    if not coops or a is None:
        return
    now = clock.now()
    plan = _plan(rng, scale, today)
    n_gifts = len(plan)
    # donors: a quarter of them give more than once
    donors = []
    n_donors = int(n_gifts * 0.8)
    for i in range(n_donors):
        postal_city = rng.choice(COMMUNES)
        if i % 97 == 0:
            company, form = COMPANIES[i % len(COMPANIES)]
            donors.append(dict(kind=DonorKind.COMPANY, last_name="", first_names="", company_name=company,
                               siren=f"{rng.randint(100_000_000, 999_999_999)}", legal_form=form))
        else:
            last, first = (rng.choice(FOREIGN) if i % 23 == 0 else
                           (rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)))
            donors.append(dict(kind=DonorKind.PERSON, last_name=last, first_names=first, company_name="",
                               siren="", legal_form=""))
        d = donors[-1]
        d.update(address=f"{rng.randint(1, 140)} {rng.choice(STREETS)} {rng.choice(STREET_NAMES)}",
                 postal_code=postal_city[1], city=postal_city[0], country="",
                 email=(f"{fold(d['first_names'] or 'contact').split()[0]}.{i}@exemple.fr"),
                 created_at=now, updated_at=now)
        name = d["company_name"] if d["kind"] == DonorKind.COMPANY else f"{d['last_name']} {d['first_names']}"
        d["name_key"] = fold(name)
        d["search_key"] = fold(" ".join(p for p in (d["last_name"], d["first_names"], d["company_name"],
                                                    d["siren"], d["postal_code"], d["city"], d["email"]) if p))

    with db.transaction() as session:
        session.execute(insert(Donor), donors)
        donor_ids = list(session.scalars(select(Donor.id).order_by(Donor.id)))[-n_donors:]

        gifts = []
        for i, (received, source) in enumerate(plan):
            donor_index = i if i < n_donors else rng.randrange(n_donors)
            coop = rng.choice(coops)
            platform = source == GiftSource.PLATEFORME
            if donors[donor_index]["kind"] == DonorKind.COMPANY:
                amount = rng.choice([200, 300, 500, 1000, 1500]) * 100
            elif platform:
                amount = rng.choice([20, 30, 50, 50, 80, 100, 150]) * 100
            else:
                amount = rng.choice([15, 20, 30, 50, 50, 80, 100, 150, 200, 300, 500, 1200]) * 100
                if rng.random() < 0.05:
                    amount += rng.choice([50, 1, 99])
            method = PaymentMethod.VIREMENT if platform else rng.choice(METHODS)
            gifts.append(dict(
                donor_id=donor_ids[donor_index], coop_id=coop[0],
                project=rng.choice(PROJECTS), amount_cents=amount, received_on=received,
                method=method,
                cheque_number=f"{rng.randint(1000000, 9999999)}" if method == PaymentMethod.CHEQUE
                else "", form=GiftForm.MANUEL, nature=GiftNature.NUMERAIRE,
                source=source, notes="", kind_description="", kind_valuation="",
                service_confirmed=False, withdrawn=False, withdrawn_reason="", receipt_id=None,
                created_at=now))
        # The report's year: the drawn amounts fitted to its totals (whole euros).
        report_year = _financial_year(today) - 1
        for source, (_count, total) in REPORT_GIFTS.items():
            group = [g for g in gifts if g["source"] == source
                     and _financial_year(g["received_on"]) == report_year]
            euros = fit_to_total([g["amount_cents"] // 100 for g in group], total * scale, rng, minimum=5)
            for g, value in zip(group, euros):
                g["amount_cents"] = value * 100
        gifts.sort(key=lambda g: g["received_on"])
        session.execute(insert(Donation), gifts)
        gift_rows = session.execute(select(Donation.id, Donation.donor_id, Donation.coop_id,
                                           Donation.amount_cents, Donation.received_on,
                                           Donation.method, Donation.cheque_number,
                                           Donation.project)
                                    .order_by(Donation.id)).all()[-n_gifts:]

        coop_labels = {c[0]: f"{c[1]} – {c[2]}" + (f" ({c[3]})" if c[3] else "") for c in coops}
        donor_by_id = dict(zip(donor_ids, donors))
        address = "\n".join(p for p in (a.address, " ".join(x for x in (a.postal_code, a.city) if x)) if p)
        to_issue = []
        for g in gift_rows:
            # Every gift of the report's year has its receipt (those of August issued in
            # September, after the close); the last ninety days' are still waiting.
            if (_financial_year(g.received_on) != report_year
                    and (today - g.received_on).days < PENDING_DAYS):
                continue
            issued = min(today, g.received_on + timedelta(days=rng.randint(5, 40)))
            to_issue.append((issued, g))
        to_issue.sort(key=lambda t: (t[0], t[1].id))
        # A few receipts cancelled (a wrong name, amount, address) and replaced the same day.
        cancelled = {g.id: min(today, issued + timedelta(days=10)) for issued, g in
                     rng.sample(to_issue, k=max(1, len(to_issue) // 300))}
        events = [(issued, 0, g) for issued, g in to_issue]
        events += [(cancelled[g.id], 1, g) for _issued, g in to_issue if g.id in cancelled]
        events.sort(key=lambda e: (e[0], e[1], e[2].id))

        signature_id = None
        if a.signature:  # the receipts were signed with the association's signature
            import hashlib

            signature_id = session.execute(insert(ReceiptImage).values(
                sha256=hashlib.sha256(a.signature).hexdigest(), data=a.signature)
            ).inserted_primary_key[0]
        logo_id = None
        if a.logo:  # and printed with its logo, frozen with them
            import hashlib

            logo_id = session.execute(insert(ReceiptImage).values(
                sha256=hashlib.sha256(a.logo).hexdigest(), data=a.logo)).inserted_primary_key[0]
        seqs: dict[int, int] = defaultdict(int)
        number_of: dict[int, str] = {}  # a cancelled gift's first receipt
        ids: dict[str, int] = {}
        receipts, lines = [], []

        def flush() -> None:
            """Seal and insert the receipts gathered so far (a replacement names the id of
            the receipt it replaces: that one must be in the database first)."""
            if not receipts:
                return
            chain_inserted(session.connection(), receipts, [[line] for line in lines])
            session.execute(insert(TaxReceipt), receipts)
            record_inserted(session.connection())
            numbers = [r["number"] for r in receipts]
            ids.update(session.execute(select(TaxReceipt.number, TaxReceipt.id)
                                       .where(TaxReceipt.number.in_(numbers))).all())
            for r, line in zip(receipts, lines):
                line["receipt_id"] = ids[r["number"]]
            session.execute(insert(ReceiptLine), lines)
            receipts.clear()
            lines.clear()

        for issued, replacing, g in events:
            replaces_id = None
            if replacing:
                flush()
                replaces_id = ids[number_of[g.id]]
            year = _financial_year(issued)
            seqs[year] += 1
            d = donor_by_id[g.donor_id]
            company = d["kind"] == DonorKind.COMPANY
            number = format_number(year, seqs[year])
            if g.id in cancelled and not replacing:
                number_of[g.id] = number
            receipts.append(dict(
                number=number, year=year, seq=seqs[year], kind=ReceiptKind.SINGLE, issued_on=issued,
                issued_at=now, donor_id=g.donor_id, coop_id=g.coop_id, donor_kind=d["kind"],
                donor_name=d["company_name"] if company else d["last_name"],
                donor_first_names="" if company else d["first_names"],
                donor_siren=d["siren"], donor_legal_form=d["legal_form"],
                donor_address=f"{d['address']}\n{d['postal_code']} {d['city']}", donor_email=d["email"],
                amount_cents=g.amount_cents, amount_words=amount_in_words(g.amount_cents),
                gift_date=g.received_on, period_start=None, period_end=None, form=GiftForm.MANUEL,
                nature=GiftNature.NUMERAIRE, methods=g.method, kind_description="",
                kind_valuation="", coop_label=coop_labels[g.coop_id],
                project=g.project, beneficiary_name=a.name, beneficiary_address=address,
                beneficiary_siren_rna=a.siren_rna, beneficiary_object=a.object,
                beneficiary_type="Association loi 1901 – œuvre ou organisme d'intérêt général",
                articles="238 bis" if company else "200", statement="",
                signatory_name=a.signatory_name, signatory_title=a.signatory_title,
                signature_id=signature_id, logo_id=logo_id, signed_place=a.city, printed_at=now,
                cancelled=False,
                cancelled_on=None, cancel_reason="", replaces_id=replaces_id,
                search_key=fold(f"{number} {d['last_name']} {d['first_names']} {d['company_name']} "
                                f"{coop_labels[g.coop_id]}")[:800]))
            lines.append(dict(donation_id=g.id, received_on=g.received_on, amount_cents=g.amount_cents,
                              method=g.method, cheque_number=g.cheque_number))
        flush()
        if not ids:
            return
        from sqlalchemy import bindparam, update

        # Each gift points to its last receipt (the replacement, for a cancelled one).
        table = Donation.__table__
        links = session.execute(select(ReceiptLine.donation_id, func.max(ReceiptLine.receipt_id))
                                .group_by(ReceiptLine.donation_id)).all()
        session.connection().execute(update(table).where(table.c.id == bindparam("did"))
                                     .values(receipt_id=bindparam("rid")),
                                     [{"did": did, "rid": rid} for did, rid in links])
        for gift_id, number in number_of.items():
            session.execute(update(TaxReceipt).where(TaxReceipt.id == ids[number]).values(
                cancelled=True, cancelled_on=cancelled[gift_id],
                cancel_reason=rng.choice(["Erreur sur le nom du donateur", "Erreur sur l'adresse",
                                          "Erreur sur le montant"])))
        session.execute(insert(ReceiptCounter), [dict(year=y, last_seq=s) for y, s in seqs.items()])
