"""The gifts' part of personal data (RGPD): a donor's details, gifts and receipts, as the
safety domain's privacy service asks for them (export, erasure on request, yearly purge).

What the law keeps: a tax receipt, and the gifts it covers, six years after the end of its
year of issue (safety's `receipt_kept_until`). Erasing a donor on request blanks the donor's
details (the row stays, marked `erased_on`), the cheque numbers and notes of the gifts no
receipt keeps (a gift still waiting for its receipt is withdrawn: no receipt can be made for
a blank donor), and withholds the kept receipts from lists and searches (each stays
printable as a duplicate, found by its exact number). Once past keeping, the purge blanks the
donor's identity on the receipt itself (the database allows nothing else, see migration
0012_personal_data); number, amount and dates stay.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dataclasses import replace

from sqlalchemy import func, or_, select, update

from occe_bureau import audit, clock
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import format_date, format_money
from occe_bureau.gifts.donors import display_name
from occe_bureau.gifts.enums import DonorKind, GiftForm, GiftNature, GiftSource, PaymentMethod
from occe_bureau.gifts.models import Donation, Donor, ReceiptLine, TaxReceipt
from occe_bureau.safety import (
    RECEIPT_KEEPING_YEARS, Holding, Person, Proposal, name_words, receipt_kept_until, same_person,
)

# Blanking the donor's identity on a receipt past keeping (the database allows it, migration
# 0012) would break the receipt chain (gifts/chain.py hashes the identity as printed): off
# until the chain hashes the identity through a digest kept at anonymisation. Meanwhile such
# a receipt is withheld from lists and searches, unchanged.
BLANK_PAST_KEEPING = False
RECEIPT_WHY = "reçu fiscal : la loi impose d'en garder la copie six ans après l'année d'émission"
GIFT_WHY = "couvert par le reçu fiscal n° {}, que la loi conserve"
WITHDRAWN_ERASED = "Donateur effacé à sa demande : plus de reçu possible."
ERASED_NAME = "Donateur effacé"
# A donor's personal fields, taken out of the history (audit trail) when the donor is erased;
# a receipt's copy of them (the receipt itself keeps them for the law, its history not); a
# gift's, when erased.
DONOR_FIELDS = ("last_name", "first_names", "company_name", "siren", "legal_form", "address",
                "postal_code", "city", "country", "email")
RECEIPT_FIELDS = ("donor_name", "donor_first_names", "donor_address", "donor_email")
GIFT_FIELDS = ("cheque_number", "notes")


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _donor_holding(d: Donor) -> Holding:
    name = display_name(d.kind, d.last_name, d.first_names, d.company_name) or ERASED_NAME
    fields = [("Nature", DonorKind(d.kind).label), ("Nom", d.last_name),
              ("Prénoms", d.first_names), ("Raison sociale", d.company_name),
              ("SIREN", d.siren), ("Forme juridique", d.legal_form), ("Adresse", d.address),
              ("Code postal", d.postal_code), ("Commune", d.city), ("Pays", d.country),
              ("E-mail", d.email), ("Enregistré le", format_date(d.created_at.date())),
              ("Modifié le", format_date(d.updated_at.date()))]
    if d.erased_on:
        fields.append(("Effacé le", format_date(d.erased_on)))
    return Holding("gifts", f"donor:{d.id}", "Donateur", tuple(fields),
                   f"Fiche du donateur {name}",
                   "nom, prénoms, raison sociale, adresse, e-mail effacés (la fiche garde la "
                   "mention « effacé le »)")


def _receipt_state(r: TaxReceipt) -> str:
    if r.cancelled:
        return f"Annulé le {format_date(r.cancelled_on)} ({r.cancel_reason})"
    return "Valide"


def _receipt_holding(r: TaxReceipt) -> Holding:
    period = (format_date(r.gift_date) if r.gift_date
              else f"{format_date(r.period_start)} – {format_date(r.period_end)}")
    fields = (("N° du reçu", r.number), ("Émis le", format_date(r.issued_on)),
              ("Montant", format_money(r.amount_cents)), ("Date du don ou période", period),
              ("Nom imprimé", r.donor_name), ("Prénoms imprimés", r.donor_first_names),
              ("Adresse imprimée", r.donor_address.replace("\n", ", ")),
              ("E-mail", r.donor_email), ("Coopérative", r.coop_label),
              ("État", _receipt_state(r)), ("Original imprimé", _yes(r.printed_at is not None)))
    return Holding("gifts", f"receipt:{r.id}", "Reçus fiscaux", fields,
                   f"Reçu n° {r.number} du {format_date(r.issued_on)} "
                   f"({format_money(r.amount_cents)})",
                   "identité du donateur effacée du reçu (numéro, montant et dates restent)"
                   if BLANK_PAST_KEEPING else
                   "retiré des listes et des recherches (le reçu reste tel qu'il a été émis)",
                   kept_until=receipt_kept_until(r.issued_on), why_kept=RECEIPT_WHY)


def _gift_holding(g: Donation, coop: str, receipts: list[TaxReceipt]) -> Holding:
    current = next((r.number for r in receipts if r.id == g.receipt_id), "")
    state = (f"Retiré ({g.withdrawn_reason})" if g.withdrawn
             else f"Reçu {current}" if current else "Reçu à établir")
    fields = (("Reçu le", format_date(g.received_on)), ("Montant", format_money(g.amount_cents)),
              ("Coopérative", coop), ("Mode", PaymentMethod(g.method).label),
              ("N° de chèque", g.cheque_number), ("Origine", GiftSource(g.source).label),
              ("Forme", GiftForm(g.form).label), ("Nature", GiftNature(g.nature).label),
              ("Biens donnés", g.kind_description), ("Évaluation", g.kind_valuation),
              ("Projet", g.project), ("Notes", g.notes), ("État", state),
              ("Reçus", ", ".join(r.number for r in receipts)))
    kept = max((receipt_kept_until(r.issued_on) for r in receipts), default=None)
    erasure = "n° de chèque et notes effacés"
    if g.receipt_id is None and not g.withdrawn:
        erasure += " ; le don est retiré (plus de reçu possible)"
    return Holding("gifts", f"gift:{g.id}", "Dons", fields,
                   f"Don du {format_date(g.received_on)} ({format_money(g.amount_cents)})",
                   erasure, kept_until=kept,
                   why_kept=GIFT_WHY.format(", ".join(r.number for r in receipts)))


def _holdings_of(session, donor_ids: list[int]) -> list[Holding]:
    found = []
    donors = session.scalars(select(Donor).where(Donor.id.in_(donor_ids)).order_by(Donor.id)).all()
    for d in donors:
        found.append(_donor_holding(d))
        receipts = session.scalars(select(TaxReceipt).where(TaxReceipt.donor_id == d.id)
                                   .order_by(TaxReceipt.issued_on, TaxReceipt.id)).all()
        by_id = {r.id: r for r in receipts}
        covering: dict[int, list[TaxReceipt]] = defaultdict(list)
        if by_id:
            for rid, gid in session.execute(select(ReceiptLine.receipt_id, ReceiptLine.donation_id)
                                            .where(ReceiptLine.receipt_id.in_(list(by_id)))):
                covering[gid].append(by_id[rid])
        for g, number, name in session.execute(
                select(Donation, Coop.number, Coop.name).join(Coop, Coop.id == Donation.coop_id)
                .where(Donation.donor_id == d.id).order_by(Donation.received_on, Donation.id)):
            found.append(_gift_holding(g, f"{number} – {name}", covering.get(g.id, [])))
        found += [_receipt_holding(r) for r in receipts]
    return found


class GiftsPersonalData:
    """The provider the privacy service asks (see occe_bureau/safety/privacy.py)."""

    key = "gifts"
    label = "Dons et reçus"

    def held_about(self, db: Database, person: Person, today: date) -> list[Holding]:
        """The anchored donor's records; without an anchor (a person looked up by name or
        e-mail), those of the donors bearing that name or e-mail, to be confirmed."""
        donor_id = person.anchors.get(self.key)
        with db.session() as session:
            if donor_id is not None:
                return _holdings_of(session, [donor_id])
            found = _holdings_of(session, _namesakes(session, person))
        return [replace(h, certain=False) for h in found]

    def erase(self, db: Database, refs: list[str], today: date) -> None:
        ids: dict[str, list[int]] = defaultdict(list)
        for ref in refs:
            kind, _, number = ref.partition(":")
            ids[kind].append(int(number))
        with db.transaction() as session:
            for r in session.scalars(select(TaxReceipt).where(TaxReceipt.id.in_(ids["receipt"]))):
                _erase_receipt(r, today)
            session.flush()
            erased_gifts = [g.id for g in session.scalars(
                select(Donation).where(Donation.id.in_(ids["gift"]))) if _erase_gift(session, g, today)]
            for d in session.scalars(select(Donor).where(Donor.id.in_(ids["donor"]))):
                _erase_donor(session, d, today)
            session.flush()  # the erasure's own entries hold the old values too
            for rid in ids["receipt"]:
                audit.redact(session, "tax_receipt", rid, RECEIPT_FIELDS, today)
            for gid in erased_gifts:
                audit.redact(session, "donation", gid, GIFT_FIELDS, today)
            for did in ids["donor"]:
                audit.redact(session, "donor", did, DONOR_FIELDS, today)

    def past_keeping(self, db: Database, today: date) -> list[Proposal]:
        with db.session() as session:
            return _idle_donors(session, today) + _expired_receipts(session, today)


def _namesakes(session, person: Person) -> list[int]:
    """Donors (not erased) whose name or e-mail is the person's."""
    words = sorted(name_words(person.name))
    query = select(Donor.id, Donor.kind, Donor.last_name, Donor.first_names, Donor.company_name,
                   Donor.email).where(Donor.erased_on.is_(None))
    if person.email:
        query = query.where(or_(*[Donor.search_key.contains(w) for w in words[:1]],
                                func.lower(Donor.email) == person.email.strip().lower()))
    elif words:
        query = query.where(*[Donor.search_key.contains(w) for w in words])
    else:
        return []
    return [r[0] for r in session.execute(query.order_by(Donor.name_key))
            if same_person(person, display_name(r[1], r[2], r[3], r[4]), r[5])]


def _erase_receipt(r: TaxReceipt, today: date) -> None:
    r.withheld_on = r.withheld_on or today
    r.search_key = ""
    if BLANK_PAST_KEEPING and today > receipt_kept_until(r.issued_on) and r.anonymised_on is None:
        r.donor_name = r.donor_first_names = r.donor_address = r.donor_email = ""
        r.anonymised_on = today


def _erase_gift(session, g: Donation, today: date) -> bool:
    """Whether the gift was erased (False: kept with its receipt)."""
    kept = session.scalars(select(TaxReceipt.issued_on).join(
        ReceiptLine, ReceiptLine.receipt_id == TaxReceipt.id)
        .where(ReceiptLine.donation_id == g.id)).all()
    if any(today <= receipt_kept_until(issued) for issued in kept):
        return False  # kept with its receipt; no longer listed (its donor is erased)
    g.cheque_number = ""
    g.notes = ""
    if g.receipt_id is None and not g.withdrawn:
        g.withdrawn = True
        g.withdrawn_reason = WITHDRAWN_ERASED
    return True


def _erase_donor(session, d: Donor, today: date) -> None:
    for name in (*DONOR_FIELDS, "name_key", "search_key"):
        setattr(d, name, "")
    d.erased_on = d.erased_on or today
    d.updated_at = clock.now()
    # Whatever is still held about this donor is withheld from lists and searches.
    session.execute(update(TaxReceipt).where(TaxReceipt.donor_id == d.id,
                                             TaxReceipt.withheld_on.is_(None))
                    .values(withheld_on=today, search_key=""))


def _idle_donors(session, today: date) -> list[Proposal]:
    """Donors not erased whose last gift and last receipt are past keeping: nothing the law
    keeps is left, and nothing new for six full years."""
    last_gift = (select(Donation.donor_id, func.max(Donation.received_on).label("last"))
                 .group_by(Donation.donor_id).subquery())
    last_receipt = (select(TaxReceipt.donor_id, func.max(TaxReceipt.issued_on).label("last"))
                    .group_by(TaxReceipt.donor_id).subquery())
    limit = date(today.year - RECEIPT_KEEPING_YEARS - 1, 12, 31)  # the last day past keeping
    rows = session.execute(
        select(Donor.id, Donor.kind, Donor.last_name, Donor.first_names, Donor.company_name,
               Donor.city, last_gift.c.last, last_receipt.c.last)
        .outerjoin(last_gift, last_gift.c.donor_id == Donor.id)
        .outerjoin(last_receipt, last_receipt.c.donor_id == Donor.id)
        .where(Donor.erased_on.is_(None), last_gift.c.last <= limit,
               (last_receipt.c.last.is_(None)) | (last_receipt.c.last <= limit))
        .order_by(Donor.name_key)).all()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    refs: dict[int, list[str]] = {i: [f"donor:{i}"] for i in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for gid, did in session.execute(select(Donation.id, Donation.donor_id)
                                        .where(Donation.donor_id.in_(chunk))):
            refs[did].append(f"gift:{gid}")
        for rid, did in session.execute(select(TaxReceipt.id, TaxReceipt.donor_id)
                                        .where(TaxReceipt.donor_id.in_(chunk))):
            refs[did].append(f"receipt:{rid}")
    proposals = []
    for r in rows:
        name = display_name(r[1], r[2], r[3], r[4])
        last = max(d for d in (r[6], r[7]) if d is not None)
        said = f"dernier don le {format_date(r[6])}"
        if r[7] is not None:
            said += f", dernier reçu le {format_date(r[7])}"
        proposals.append(Proposal(
            "gifts", f"Donateur {name}" + (f", {r[5]}" if r[5] else ""),
            f"{said} : conservation terminée le {format_date(receipt_kept_until(last))}",
            tuple(refs[r[0]])))
    return proposals


def _expired_receipts(session, today: date) -> list[Proposal]:
    """Receipts of donors already erased, kept for the law until now: their identity goes."""
    if not BLANK_PAST_KEEPING:
        return []
    rows = session.execute(
        select(TaxReceipt.id, TaxReceipt.number, TaxReceipt.issued_on, Donor.erased_on)
        .join(Donor, Donor.id == TaxReceipt.donor_id)
        .where(Donor.erased_on.is_not(None), TaxReceipt.anonymised_on.is_(None))
        .order_by(TaxReceipt.year, TaxReceipt.seq)).all()
    return [Proposal("gifts", f"Reçu n° {number} (donateur effacé le {format_date(erased)})",
                     f"émis le {format_date(issued)}, conservé jusqu'au "
                     f"{format_date(receipt_kept_until(issued))}", (f"receipt:{rid}",))
            for rid, number, issued, erased in rows if receipt_kept_until(issued) < today]


personal_data = GiftsPersonalData()
