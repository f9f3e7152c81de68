"""Entering gifts (one, or a coop's request for several) in two steps, like the coop import:
`plan_request` checks every line and finds each donor again (known, new, or a question for
the user) and writes nothing; `apply_request` saves the whole plan in one transaction, all
or nothing.

The questions a plan asks: a gift that looks like a payment for a service (confirm it, or
correct it), and a donor close to a known one, or to another line's new donor (the same
person? the same person who moved?). The screen asks them from the plan, records the answers
on it, then applies it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from sqlalchemy import insert, select

from occe_bureau.coops import Coop
from occe_bureau import audit, clock
from occe_bureau.db import Database
from occe_bureau.formats import format_date, format_money
from occe_bureau.gifts.donations import DonationData, check_donation
from occe_bureau.gifts.donors import (
    DonorData, DonorIndex, DonorRow, address_key, apply_details, insert_donors, name_key,
    postal_key, refresh_email,
)
from occe_bureau.gifts.models import Donation, Donor, TaxReceipt
from occe_bureau.likeness import Comparable, alike, file_entry, likeness_of
from occe_bureau.validation import ValidationError


class DonorMatch(StrEnum):
    """How a line's donor was found."""

    CHOSEN = "chosen"        # a known donor, chosen by the user
    KNOWN = "known"          # same name, postal code and address as a known donor: that one
    SAME_LINE = "same_line"  # the same person as an earlier line's new donor
    NEW = "new"              # like nobody known: a new donor
    SIMILAR = "similar"      # a near spelling of known donors: a question
    NAMESAKE = "namesake"    # same name and postal code, another address: a question

    @property
    def label(self) -> str:
        return {"chosen": "Donateur choisi", "known": "Donateur connu",
                "same_line": "Même donateur qu'une autre ligne", "new": "Nouveau donateur",
                "similar": "Donateur proche d'un donateur connu",
                "namesake": "Homonyme à une autre adresse"}[self]


QUESTIONS = frozenset({DonorMatch.SIMILAR, DonorMatch.NAMESAKE})


@dataclass(frozen=True)
class DonorCandidate:
    """A donor a line may be: a known one (donor_id) or an earlier line's new one (line)."""

    display_name: str
    address: str
    town: str
    donor_id: int | None = None
    line: int | None = None

    @classmethod
    def of_row(cls, row: DonorRow) -> DonorCandidate:
        return cls(row.display_name, row.address, row.town, donor_id=row.id)

    @classmethod
    def of_line(cls, line: int, d: DonorData) -> DonorCandidate:
        town = " ".join(p for p in (d.postal_code, d.city) if p)
        return cls(d.display_name, d.address, town, line=line)


@dataclass
class PlannedGift:
    """One line of a request, checked, with its donor found or a question."""

    line: int                        # as the user numbers it (the row, or the file's line)
    data: DonationData               # cleaned (as given while it has errors)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    match: DonorMatch | None = None  # None while the line has errors
    candidates: list[DonorCandidate] = field(default_factory=list)
    donor_id: int | None = None      # CHOSEN, KNOWN
    same_line: int | None = None     # SAME_LINE
    update_details: bool = False     # CHOSEN, SAME_LINE: the typed details replace the stored
    duplicate: str = ""              # why it looks like a gift entered twice (French), or ""
    duplicate_of_saved: bool = False  # …of a gift already saved (not of another line)

    @property
    def error_text(self) -> str:
        return " ".join(self.errors.values())

    @property
    def asks(self) -> bool:
        return self.match in QUESTIONS

    def take(self, candidate: DonorCandidate, *, moved: bool = False) -> None:
        """The answer: this line's donor is `candidate` (moved: with the address typed)."""
        if candidate.donor_id is not None:
            self.match, self.donor_id = DonorMatch.CHOSEN, candidate.donor_id
        else:
            self.match, self.same_line = DonorMatch.SAME_LINE, candidate.line
        self.update_details = moved

    def take_new(self) -> None:
        """The answer: another person, a new donor."""
        self.match, self.donor_id, self.same_line, self.update_details = DonorMatch.NEW, None, None, False


@dataclass
class RequestPlan:
    coop_id: int | None
    lines: list[PlannedGift]
    coop_error: str = ""
    confirmed: bool = False          # the warnings were confirmed: these are gifts
    duplicates_confirmed: bool = False  # the probable duplicates were confirmed: save them

    @property
    def errors(self) -> dict[str, str]:
        """French errors: "coop", "lines", then "<line>.<field>" (e.g. "2.amount")."""
        errors = {"coop": self.coop_error} if self.coop_error else {}
        if not self.lines:
            errors["lines"] = "Aucun don à enregistrer."
        for g in self.lines:
            errors.update({f"{g.line}.{name}": message for name, message in g.errors.items()})
        return errors

    @property
    def warnings(self) -> list[str]:
        return [f"Ligne {g.line} : {w}" for g in self.lines for w in g.warnings]

    @property
    def questions(self) -> list[PlannedGift]:
        """The lines whose donor the user must answer about, in order."""
        return [g for g in self.lines if g.asks]

    @property
    def duplicates(self) -> list[PlannedGift]:
        """The lines that look like a gift entered twice (find_duplicates), in order."""
        return [g for g in self.lines if g.duplicate]

    @property
    def already_imported(self) -> bool:
        """Every line is a gift already saved: the same file (or request) entered again."""
        valid = [g for g in self.lines if not g.errors]
        return bool(valid) and all(g.duplicate_of_saved for g in valid)

    @property
    def ready(self) -> bool:
        return (not self.errors and not self.questions and (self.confirmed or not self.warnings)
                and (self.duplicates_confirmed or not self.duplicates))

    def confirm_duplicates(self) -> None:
        self.duplicates_confirmed = True

    @property
    def total_cents(self) -> int:
        return sum(g.data.amount for g in self.lines if not g.errors)

    def confirm(self) -> None:
        self.confirmed = True

    def all_new(self) -> None:
        """Every open donor question answered "another person"."""
        for g in self.questions:
            g.take_new()


# ---- plan -------------------------------------------------------------------------------------

def _plan_gift(line: int, data: DonationData, coop_id: int | None, today: date | None
              ) -> PlannedGift:
    """One line checked (the coop is the request's, checked once for all)."""
    clean, errors, warnings = check_donation(replace(data, coop_id=coop_id), today=today)
    errors.pop("coop", None)
    return PlannedGift(line, clean if not errors else data, errors, warnings)


def _same_person(a: DonorData, b: DonorData) -> bool | None:
    """True: the same person (same name, postal code, address); False: a namesake at another
    address; None: someone else."""
    if a.kind != b.kind or name_key(a) != name_key(b) or postal_key(a.postal_code) != postal_key(
            b.postal_code):
        return None
    address = address_key(a.address)
    return not address or address == address_key(b.address)


class EarlierLines:
    """The new donors of a request's earlier lines, filed by name and postal code, by
    postal code and by the first letters of the name: a line is compared with the few that
    may match it, not with every earlier line."""

    def __init__(self) -> None:
        self.lines: list[PlannedGift] = []
        self.exact: dict[tuple, list[int]] = defaultdict(list)
        self.by_postal: dict[tuple, dict] = defaultdict(dict)
        self.by_prefix: dict[tuple, dict] = defaultdict(dict)

    def add(self, g: PlannedGift) -> None:
        d, index = g.data.donor, len(self.lines)
        key = name_key(d)
        self.lines.append(g)
        c = Comparable.of(key)
        self.exact[(d.kind, key, postal_key(d.postal_code))].append(index)
        file_entry(self.by_postal[(d.kind, d.postal_code)], (index, c.squashed, c.mask))
        file_entry(self.by_prefix[(d.kind, key[:3])], (index, c.squashed, c.mask))

    def match(self, g: PlannedGift) -> None:
        """Match g's donor with these: the same person, a namesake, a near spelling (as
        comparing it with each earlier line in turn; g.match stays None when none)."""
        d = g.data.donor
        key = name_key(d)
        exact = self.exact.get((d.kind, key, postal_key(d.postal_code)), [])
        for i in exact:
            if _same_person(d, self.lines[i].data.donor):
                g.match, g.same_line = DonorMatch.SAME_LINE, self.lines[i].line
                return
        if exact:
            g.match = DonorMatch.NAMESAKE
            g.candidates = [DonorCandidate.of_line(self.lines[i].line, self.lines[i].data.donor)
                            for i in exact]
            return
        prefix, mine = key[:3], Comparable.of(key)
        near = {i for _ratio, i in alike(mine, self.by_postal.get((d.kind, d.postal_code), {}))}
        if len(prefix) < 3:  # a name this short: every earlier line whose name starts so
            near.update(i for i, o in enumerate(self.lines)
                        if o.data.donor.kind == d.kind and name_key(o.data.donor).startswith(prefix)
                        and likeness_of(mine, Comparable.of(name_key(o.data.donor))) is not None)
        else:
            near.update(i for _ratio, i in alike(mine, self.by_prefix.get((d.kind, prefix), {})))
        similar = [DonorCandidate.of_line(self.lines[i].line, self.lines[i].data.donor)
                   for i in sorted(near)]
        if similar:
            g.match, g.candidates = DonorMatch.SIMILAR, similar


def _find_donor(index: DonorIndex, g: PlannedGift, earlier: EarlierLines) -> None:
    """g's donor: chosen, known, an earlier line's, new, or a question (with candidates):
    the same person first, then namesakes at another address, then near spellings."""
    if g.data.donor_id:
        g.match, g.donor_id = DonorMatch.CHOSEN, g.data.donor_id
        g.update_details = g.data.donor is not None
        return
    known = index.matches(g.data.donor)
    if known.same:
        g.match, g.donor_id = DonorMatch.KNOWN, known.same
        return
    earlier.match(g)
    if g.match == DonorMatch.SAME_LINE:
        return
    in_lines = g.match
    if known.namesakes or in_lines == DonorMatch.NAMESAKE:
        g.match = DonorMatch.NAMESAKE
        g.candidates = [DonorCandidate.of_row(r) for r in known.namesakes] + (
            g.candidates if in_lines == DonorMatch.NAMESAKE else [])
    elif known.similar or in_lines == DonorMatch.SIMILAR:
        g.match = DonorMatch.SIMILAR
        g.candidates = [DonorCandidate.of_row(r) for r in known.similar] + g.candidates
    else:
        g.match = DonorMatch.NEW


STEP = 250  # lines between two progress reports


def _find_donors(db: Database, lines: list[PlannedGift]) -> Iterator[int]:
    """Find the donor of every line without errors (nothing written); yields the lines done
    every STEP lines."""
    earlier = EarlierLines()  # earlier lines that may bring a new donor
    with db.session() as session:
        index = DonorIndex(session, [g.data.donor for g in lines
                                     if not g.errors and not g.data.donor_id])
        for done, g in enumerate(lines, start=1):
            if not g.errors:
                _find_donor(index, g, earlier)
                if g.match in QUESTIONS or g.match == DonorMatch.NEW:
                    earlier.add(g)
            if done % STEP == 0:
                yield done


def plan_steps(db: Database, coop_id: int | None, lines: list[DonationData], *,
               today: date | None = None, numbers: list[int] | None = None
               ) -> Generator[tuple[int, int], None, RequestPlan]:
    """plan_request, a step at a time for a worker thread: yields (lines done, total) and
    returns the plan (closing it stops it: nothing was written)."""
    numbers = numbers or list(range(1, len(lines) + 1))
    total = len(lines)
    planned = []
    for done, (n, line) in enumerate(zip(numbers, lines), start=1):
        planned.append(_plan_gift(n, line, coop_id, today))
        if done % STEP == 0:
            yield done // 2, total
    for done in _find_donors(db, planned):
        yield (total + done) // 2, total
    error = "" if coop_id else "Coopérative : choisissez la coopérative qui reçoit le don."
    plan = RequestPlan(coop_id, planned, coop_error=error)
    find_duplicates(db, plan)
    yield total, total
    return plan


def run_steps(steps: Generator) -> object:
    """What a step-by-step job returns, run at once."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def plan_request(db: Database, coop_id: int | None, lines: list[DonationData], *,
                 today: date | None = None, numbers: list[int] | None = None) -> RequestPlan:
    """Every line checked, its donor found (or a question) and its probable duplicates
    found; nothing is written. Lines are numbered from 1, or by `numbers` (a file's lines)."""
    return run_steps(plan_steps(db, coop_id, lines, today=today, numbers=numbers))


# ---- the same gift twice --------------------------------------------------------------------

def _gift_key(donor, amount: int, on: date, cheque: str, coop_id: int) -> tuple:
    """Two gifts alike on this are probably one gift entered twice: the same donor, amount,
    date and cheque number (without a cheque number: for the same coop; a parent may give
    the same sum to two coops on one day)."""
    cheque = cheque.replace(" ", "")
    return donor, amount, on, cheque, None if cheque else coop_id


def _saved_gifts(db: Database, donor_ids: list[int]) -> dict[tuple, tuple]:
    """{key: (coop number, receipt number)} of the gifts already saved for these donors."""
    found: dict[tuple, tuple] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(donor_ids), 900):
            query = (select(Donation.donor_id, Donation.amount_cents, Donation.received_on,
                            Donation.cheque_number, Donation.coop_id, Coop.number,
                            TaxReceipt.number)
                     .join(Coop, Coop.id == Donation.coop_id)
                     .outerjoin(TaxReceipt, TaxReceipt.id == Donation.receipt_id)
                     .where(Donation.donor_id.in_(donor_ids[start:start + 900]),
                            Donation.withdrawn.is_(False)))
            for donor_id, amount, on, cheque, coop_id, coop, receipt in conn.execute(query):
                found[_gift_key(("donor", donor_id), amount, on, cheque, coop_id)] = (coop, receipt)
    return found


def _described(g: PlannedGift) -> str:
    d = g.data
    cheque = f", chèque n° {d.cheque_number}" if d.cheque_number else ""
    return f"{d.donor.display_name if d.donor else ''} – {format_money(d.amount)} – " \
           f"{format_date(d.received_on)}{cheque}".lstrip(" –")


def find_duplicates(db: Database, plan: RequestPlan) -> None:
    """Mark the lines that look like a gift entered twice: the same donor, amount, date and
    cheque number as an earlier line, or as a gift already saved (withdrawn ones aside). Run
    again once the donor questions are answered (a donor chosen may be a known one)."""
    identity: dict[int, tuple] = {}
    for g in plan.lines:
        g.duplicate, g.duplicate_of_saved = "", False
        if g.errors or g.match is None:
            continue
        if g.match in (DonorMatch.KNOWN, DonorMatch.CHOSEN):
            identity[g.line] = ("donor", g.donor_id)
        elif g.match == DonorMatch.SAME_LINE:
            identity[g.line] = identity.get(g.same_line, ("line", g.same_line))
        else:
            identity[g.line] = ("line", g.line)
    donor_ids = sorted({who[1] for who in identity.values() if who[0] == "donor"})
    saved = _saved_gifts(db, donor_ids) if donor_ids else {}
    seen: dict[tuple, int] = {}
    for g in plan.lines:
        if g.line not in identity:
            continue
        key = _gift_key(identity[g.line], g.data.amount, g.data.received_on,
                        g.data.cheque_number, plan.coop_id)
        if key in saved:
            coop, receipt = saved[key]
            state = f"reçu n° {receipt}" if receipt else "reçu à établir"
            g.duplicate = (f"Ligne {g.line} : un don identique est déjà enregistré ({_described(g)}, "
                           f"coopérative {coop}, {state}).")
            g.duplicate_of_saved = True
        elif key in seen:
            g.duplicate = (f"Ligne {g.line} : identique à la ligne {seen[key]} ({_described(g)}) : "
                           "même donateur, même montant, même date et même n° de chèque.")
        seen.setdefault(key, g.line)


# ---- apply ------------------------------------------------------------------------------------

def _line_donor(session, g: PlannedGift, donor_of: dict[int, int]) -> int:
    """The donor of a line that is not a new one: chosen, known, or an earlier line's."""
    donor_id = donor_of[g.same_line] if g.match == DonorMatch.SAME_LINE else g.donor_id
    d = session.get(Donor, donor_id)
    if d is None:
        raise ValidationError({f"{g.line}.last_name": "Ce donateur n'existe plus."})
    if g.match == DonorMatch.KNOWN:
        refresh_email(d, g.data.donor.email)
    elif g.update_details and g.data.donor is not None:
        apply_details(d, g.data.donor)
    return d.id


def _gift_values(g: PlannedGift, donor_id: int, now) -> dict:
    clean = g.data
    return dict(
        donor_id=donor_id, coop_id=clean.coop_id, project=clean.project,
        amount_cents=clean.amount, received_on=clean.received_on, method=clean.method,
        cheque_number=clean.cheque_number, form=clean.form, nature=clean.nature,
        source=clean.source, notes=clean.notes, service_confirmed=bool(g.warnings),
        kind_description=clean.kind_description, kind_valuation=clean.kind_valuation,
        withdrawn=False, withdrawn_reason="", receipt_id=None, created_at=now)


def _save_chunk(session, chunk: list[PlannedGift], donor_of: dict[int, int]) -> list[int]:
    """A chunk of lines saved with a few statements: its new donors, then the others'
    donors in order, then its gifts; the gifts' ids."""
    new = [g for g in chunk if g.match == DonorMatch.NEW]
    for g, donor_id in zip(new, insert_donors(session, [g.data.donor for g in new])):
        donor_of[g.line] = donor_id
    for g in chunk:
        if g.match != DonorMatch.NEW:
            donor_of[g.line] = _line_donor(session, g, donor_of)
    session.flush()
    now = clock.now()
    rows = [_gift_values(g, donor_of[g.line], now) for g in chunk]
    ids = list(session.execute(
        insert(Donation).returning(Donation.id, sort_by_parameter_order=True), rows).scalars())
    audit.record_many(session, [audit.created("donation", i, {**r, "id": i})
                                for i, r in zip(ids, rows)])
    return ids


def unready_reasons(plan: RequestPlan) -> dict[str, str]:
    """Why a plan cannot be applied yet, in French (nothing: it can)."""
    reasons = dict(plan.errors)
    if plan.warnings and not plan.confirmed:
        reasons["warnings"] = "\n".join(plan.warnings) + "\nConfirmez qu'il s'agit bien de dons."
    if plan.duplicates and not plan.duplicates_confirmed:
        reasons["duplicates"] = "\n".join(g.duplicate for g in plan.duplicates) + (
            "\nConfirmez qu'il s'agit bien de dons distincts.")
    for g in plan.questions:
        names = ", ".join(f"« {c.display_name} » ({c.town})" for c in g.candidates[:3])
        reasons[f"{g.line}.donor"] = (f"Ligne {g.line} : donateur proche déjà connu : {names}. "
                                      "Choisissez-le ou confirmez un nouveau donateur.")
    return reasons


def apply_steps(db: Database, plan: RequestPlan) -> Generator[tuple[int, int], None, list[int]]:
    """apply_request a step at a time for a worker thread: yields (lines saved, total) in
    the one transaction, returns the ids; closing it rolls everything back."""
    if not plan.ready:
        raise ValidationError(unready_reasons(plan))
    ids = []
    donor_of: dict[int, int] = {}
    total = len(plan.lines)
    with db.transaction() as session:
        if session.get(Coop, plan.coop_id) is None:
            raise ValidationError({"coop": "Cette coopérative n'existe plus."})
        for start in range(0, total, STEP):
            chunk = plan.lines[start:start + STEP]
            ids.extend(_save_chunk(session, chunk, donor_of))
            yield start + len(chunk), total
    return ids


def apply_request(db: Database, plan: RequestPlan) -> list[int]:
    """Save the gifts of a ready plan (its questions answered) in one transaction, all or
    nothing; returns their ids. ValidationError while it is not ready."""
    return run_steps(apply_steps(db, plan))


# ---- in one call, for callers who answer in advance (scripts, tests, set-up) -----------------

def _answered(db: Database, plan: RequestPlan, confirmed: bool, new_donor_ok: bool,
              twice_ok: bool) -> RequestPlan:
    if confirmed:
        plan.confirm()
    if new_donor_ok:
        plan.all_new()
        find_duplicates(db, plan)
    if twice_ok:
        plan.confirm_duplicates()
    return plan


def enter_request(db: Database, coop_id: int, lines: list[DonationData], *,
                  confirmed: bool = False, new_donor_ok: bool = False, twice_ok: bool = False,
                  today: date | None = None) -> list[int]:
    """Plan and apply at once: `confirmed` answers the warnings, `new_donor_ok` every donor
    question ("another person"), `twice_ok` the probable duplicates ("distinct gifts").
    Errors come keyed "<row>.<field>" (rows from 1)."""
    plan = _answered(db, plan_request(db, coop_id, lines, today=today), confirmed,
                     new_donor_ok, twice_ok)
    return apply_request(db, plan)


def create_donation(db: Database, data: DonationData, *, confirmed: bool = False,
                    new_donor_ok: bool = False, twice_ok: bool = False,
                    today: date | None = None) -> int:
    """Record one gift (its coop in data.coop_id), as enter_request; errors keyed by field."""
    plan = _answered(db, plan_request(db, data.coop_id, [data], today=today), confirmed,
                     new_donor_ok, twice_ok)
    if not plan.ready:
        raise ValidationError({key.removeprefix("1."): message
                               for key, message in unready_reasons(plan).items()})
    return apply_request(db, plan)[0]
