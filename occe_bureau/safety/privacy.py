"""Personal data (RGPD): what the application holds about a person, exported as a readable
workbook; erased on request, except what the law keeps (and until when); and the yearly purge
of what is past its keeping time.

The service knows no domain's tables: it asks each domain's face for its provider
(`personal_data`, listed in PROVIDING_DOMAINS) and each provider answers with plain
`Holding`s. A provider implements:

    key: str                 the anchor name it reads in Person.anchors ("gifts", "trainings")
    label: str               its French name, for the sheet titles ("Dons et reçus")
    held_about(db, person, today) -> list[Holding]
        everything it holds about the person: the records reached by its anchor (certain),
        and those that only carry the same name or e-mail (certain=False, to be confirmed);
    erase(db, refs, today) -> None
        erases (blanks, keeping a marker) the records of these refs (refs it gave in its
        holdings) whose keeping time is over, and withholds from lists those still kept;
    past_keeping(db, today) -> list[Proposal]
        what the yearly purge should propose: records past their keeping time.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from occe_bureau import clock
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date
from occe_bureau.tabular import OutColumn, OutSheet, write_table

# The domains whose face gives a `personal_data` provider. A new domain adds its face here.
PROVIDING_DOMAINS = ("occe_bureau.gifts", "occe_bureau.coops", "occe_bureau.lending")

# Receipts (and the gifts they cover) are kept six years after the end of their year of issue.
RECEIPT_KEEPING_YEARS = 6
# The yearly purge is offered at the first start of each calendar year: a year of receipts
# (and the gifts they cover) has just passed its keeping time on 31 December.
PURGE_OFFERED_KEY = "privacy.purge_offered_year"


def receipt_kept_until(issued_on: date) -> date:
    """The last day the law keeps a tax receipt: 31 December, six years after its issue."""
    return date(issued_on.year + RECEIPT_KEEPING_YEARS, 12, 31)


@dataclass(frozen=True)
class Person:
    """Who the data is about: a name and an e-mail (to find the same person in the other
    domains), and the record the secretary started from, per provider ({"gifts": donor id})."""

    name: str
    email: str = ""
    anchors: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Holding:
    """One record that holds personal data about the person, as a provider describes it."""

    provider: str                      # the provider's key
    ref: str                           # the provider's own reference ("receipt:42")
    section: str                       # French, one sheet per section ("Reçus fiscaux")
    fields: tuple[tuple[str, str], ...]  # (French label, value as shown)
    summary: str                       # one line, French ("Reçu 2025-00042 du 05/03/2025")
    erasure: str                       # what erasing does (French)
    kept_until: date | None = None     # kept by the law until that day (inclusive), else None
    why_kept: str = ""                 # the law or the reason, French
    certain: bool = True               # False: found by name or e-mail only, to be confirmed

    def kept_on(self, today: date) -> bool:
        return self.kept_until is not None and today <= self.kept_until


@dataclass(frozen=True)
class Proposal:
    """What the yearly purge proposes to erase: one person or record past its keeping time."""

    provider: str
    label: str                         # French ("Claire Martin, Nanterre")
    reason: str                        # French ("dernier reçu émis le 05/03/2018 …")
    refs: tuple[str, ...]              # given to the provider's erase()


class Provider(Protocol):
    key: str
    label: str

    def held_about(self, db: Database, person: Person, today: date) -> list[Holding]: ...

    def erase(self, db: Database, refs: list[str], today: date) -> None: ...

    def past_keeping(self, db: Database, today: date) -> list[Proposal]: ...


def providers() -> list[Provider]:
    """Every domain's provider, in PROVIDING_DOMAINS's order."""
    return [importlib.import_module(name).personal_data for name in PROVIDING_DOMAINS]


def _provider(key: str) -> Provider:
    for p in providers():
        if p.key == key:
            return p
    raise KeyError(key)


# ---- what is held, exported ---------------------------------------------------------------

def held_about(db: Database, person: Person, today: date | None = None) -> list[Holding]:
    """What every domain holds about the person (certain records first in each domain)."""
    today = today or clock.today()
    found: list[Holding] = []
    for p in providers():
        found += p.held_about(db, person, today)
    return found


def export_personal_data(path: str | Path, person: Person, holdings: Iterable[Holding],
                         today: date | None = None) -> int:
    """The workbook given to the person: a first sheet saying what it is, then one sheet per
    section, a row per record, a column per field. Returns the number of records written."""
    today = today or clock.today()
    holdings = list(holdings)
    sections: dict[str, list[Holding]] = {}
    for h in holdings:
        sections.setdefault(h.section, []).append(h)
    summary = OutSheet(
        "Sommaire", [OutColumn("Rubrique", width=40), OutColumn("Enregistrements", "int", 16)],
        [(name, len(rows)) for name, rows in sections.items()],
        preamble=[[f"Données personnelles de {person.name}"],
                  [f"Extraites le {format_date(today)} : tout ce que l'association conserve "
                   "à ce nom dans OCCE Bureau, rubrique par rubrique."]])
    sheets = [summary]
    used: set[str] = set()
    for name, rows in sections.items():
        labels: list[str] = []
        for h in rows:
            labels += [label for label, _v in h.fields if label not in labels]
        labels.append("Conservation")
        title = _sheet_title(name, used)
        sheets.append(OutSheet(title, [OutColumn(label, width=22) for label in labels],
                               [_export_row(h, labels, today) for h in rows]))
    write_table(path, sheets=sheets)
    return len(holdings)


def _sheet_title(name: str, used: set[str]) -> str:
    # A sheet title: 31 characters at most, none of : \ / ? * [ ], and unique.
    clean = "".join(" " if c in ":\\/?*[]" else c for c in name)[:28].strip()
    title, n = clean, 1
    while title in used:
        n += 1
        title = f"{clean} {n}"
    used.add(title)
    return title


def _export_row(h: Holding, labels: list[str], today: date) -> list[str]:
    values = dict(h.fields)
    keeping = (f"conservé jusqu'au {format_date(h.kept_until)} ({h.why_kept})"
               if h.kept_on(today) else "")
    return [values.get(label, "") for label in labels[:-1]] + [keeping]


# ---- erasure on request ---------------------------------------------------------------------

@dataclass(frozen=True)
class ErasurePlan:
    """What erasing the chosen records does, as the secretary confirms it."""

    erased: list[Holding]
    kept: list[Holding]

    def text(self) -> str:
        lines = []
        if self.erased:
            lines.append(f"Seront effacés ({counted(len(self.erased), 'enregistrement', 'enregistrements')}) :")
            lines += [f"  • {h.summary} : {h.erasure}" for h in self.erased]
        if self.kept:
            if lines:
                lines.append("")
            lines.append(f"Seront conservés ({counted(len(self.kept), 'enregistrement', 'enregistrements')}), "
                         "jusqu'à la date indiquée :")
            lines += [f"  • {h.summary} : jusqu'au {format_date(h.kept_until)} ({h.why_kept})"
                      for h in self.kept]
            lines.append("Ce qui est conservé pour la loi n'apparaît plus dans les listes ni les "
                         "recherches.")
        return "\n".join(lines)


def erasure_plan(holdings: Iterable[Holding], today: date | None = None) -> ErasurePlan:
    today = today or clock.today()
    holdings = list(holdings)
    return ErasurePlan([h for h in holdings if not h.kept_on(today)],
                       [h for h in holdings if h.kept_on(today)])


def erase(db: Database, holdings: Iterable[Holding], today: date | None = None) -> ErasurePlan:
    """Erase the chosen records (each provider its own), what the law keeps being withheld."""
    today = today or clock.today()
    holdings = list(holdings)
    by_provider: dict[str, list[str]] = {}
    for h in holdings:
        by_provider.setdefault(h.provider, []).append(h.ref)
    for key, refs in by_provider.items():
        _provider(key).erase(db, refs, today)
    return erasure_plan(holdings, today)


# ---- the yearly purge -----------------------------------------------------------------------

def purge_proposals(db: Database, today: date | None = None) -> list[Proposal]:
    """What is past its keeping time, in every domain."""
    today = today or clock.today()
    found: list[Proposal] = []
    for p in providers():
        found += p.past_keeping(db, today)
    return found


def purge(db: Database, chosen: Iterable[Proposal], today: date | None = None) -> int:
    """Erase what the secretary chose among the proposals; returns how many were erased."""
    today = today or clock.today()
    chosen = list(chosen)
    by_provider: dict[str, list[str]] = {}
    for proposal in chosen:
        by_provider.setdefault(proposal.provider, []).extend(proposal.refs)
    for key, refs in by_provider.items():
        _provider(key).erase(db, refs, today)
    return len(chosen)


def purge_offer_due(db: Database, today: date | None = None) -> bool:
    """Whether the purge is to be offered at this start: at the first start of each calendar
    year (1 January: the day a whole year of receipts passes its keeping time)."""
    from occe_bureau.association import get_setting

    today = today or clock.today()
    return get_setting(db, PURGE_OFFERED_KEY, "") != str(today.year)


def purge_offered(db: Database, today: date | None = None) -> None:
    """The offer of this year was made (accepted or not): not again before next year."""
    from occe_bureau.association import set_setting

    set_setting(db, PURGE_OFFERED_KEY, str((today or clock.today()).year))


# ---- finding the person in the other domains -----------------------------------------------

@functools.lru_cache(maxsize=65536)
def name_words(text: str) -> frozenset[str]:
    """The folded words of a name, civilities aside ("Mme Claire Martin" -> {claire, martin});
    remembered, since the same names come back on thousands of loans."""
    from occe_bureau.formats import fold

    words = "".join(c if c.isalnum() else " " for c in fold(text)).split()
    return frozenset(w for w in words if w not in CIVILITIES)


CIVILITIES = frozenset({"m", "mr", "mme", "mlle", "madame", "monsieur", "mademoiselle", "dr"})


def same_person(person: Person, name: str = "", email: str = "") -> bool:
    """Whether a name (or an e-mail) held elsewhere may be the person's: every word of the
    person's name (two at least) in it, or the same e-mail. A guess: to be confirmed."""
    return matcher(person)(name, email)


def matcher(person: Person):
    """same_person for one person, prepared once (providers test thousands of rows)."""
    wanted = name_words(person.name) if len(name_words(person.name)) >= 2 else None
    mail = person.email.strip().lower()

    def match(name: str = "", email: str = "") -> bool:
        if mail and email and email.strip().lower() == mail:
            return True
        return wanted is not None and bool(name) and wanted <= name_words(name)

    return match
