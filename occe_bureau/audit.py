"""The audit trail: every change to an audited record, kept for good.

A domain opts a model in with the mixin on its class line (`class Coop(Audited, SQLModel,
table=True)`) and names its fields in French with `describe(...)` (the domain's
`history.py`). From then on every insert, update and delete the ORM flushes for that class
is written to `audit_entry` in the same transaction (the session events below), with when
(`clock.now()`), who (the computer's user and the workstation, as the database lock names
its holder), what (table, record id, action) and the values: all of them for a creation or
a deletion, the changed fields only (before and after) for a modification.

Core statements (`insert(...)`, `update(...)` run on a connection) are not seen by the ORM:
the code that writes them calls `record(...)` / `record_many(...)` beside them.

The table is append-only: triggers (migration 0009_audit) refuse any DELETE of it, and any
UPDATE but one, on SQLite and PostgreSQL (migration 0012_personal_data): a redaction, when a
person's data is erased (RGPD), which replaces the erased values in the entries of that
record by REDACTED and sets `redacted_on` (`redact(...)`); the entry's when, who, table,
record and action stay. The history shows such a value « (effacé le 02/12/2026) ».
This module knows no domain.
"""

from __future__ import annotations

import enum
import functools
import json

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Column, DateTime, Index, Text, and_, bindparam, event, insert, inspect, or_, select, update,
)
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from occe_bureau import clock, workstation
from occe_bureau.formats import format_date, format_money

# Never worth a line of history: derived search keys and the timestamps the entry carries.
# Derived, or said by the entry itself (who changed a record and when: occe_bureau.versions).
ALWAYS_SKIPPED = frozenset({"search_key", "name_key", "created_at", "updated_at", "version",
                            "changed_by", "changed_from", "changed_at"})
REFUSED = "Le journal des modifications ne se modifie pas et ne s'efface pas."
REDACTED = "(effacé)"  # an erased person's value, in an entry's values and title


class Action(StrEnum):
    CREATED = "creation"
    UPDATED = "modification"
    DELETED = "suppression"
    CANCELLED = "annulation"
    ARCHIVED = "archivage"
    REACTIVATED = "reactivation"
    ISSUED = "emission"
    REPLACED = "remplacement"
    PRINTED = "impression"
    WITHDRAWN = "retrait"
    IMPORTED = "import"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.CREATED: "Création", Action.UPDATED: "Modification", Action.DELETED: "Suppression",
    Action.CANCELLED: "Annulation", Action.ARCHIVED: "Archivage",
    Action.REACTIVATED: "Réactivation", Action.ISSUED: "Émission",
    Action.REPLACED: "Remplacement", Action.PRINTED: "Impression",
    Action.WITHDRAWN: "Retrait", Action.IMPORTED: "Import",
}


class AuditEntry(SQLModel, table=True):
    """One change to one record. Written once, never updated nor deleted (triggers)."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_record", "table_name", "record_id"),
        Index("ix_audit_entry_owner", "owner_table", "owner_id"),
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_kind_at", "table_name", "at"),
        Index("ix_audit_entry_user_at", "user_name", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime)
    user_name: str = Field(max_length=100)
    workstation: str = Field(max_length=100)
    table_name: str = Field(max_length=60)
    record_id: str = Field(max_length=60)
    # The record this one belongs to (a coop's year, a loan's line): shown in its history.
    owner_table: str | None = Field(default=None, max_length=60)
    owner_id: str | None = Field(default=None, max_length=60)
    action: str = Field(max_length=20)
    title: str = Field(default="", max_length=300)  # the record as named at the time
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))   # JSON
    redacted_on: date | None = None  # a person's values erased from it that day (RGPD)


class Audited:
    """The mixin that opts a model in: `class Sale(Audited, SQLModel, table=True)`."""

    __slots__ = ()


# ---- who ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Operator:
    user: str
    workstation: str


@functools.cache
def operator() -> Operator:
    """The computer's user and the workstation (named once, in occe_bureau.workstation: the
    same names the database lock and a record's last change show)."""
    who = workstation.me()
    return Operator(who.user[:100] or "inconnu", who.computer[:100] or "inconnu")


# ---- how a table is named in French -----------------------------------------------------------

@dataclass
class Description:
    """How the history names an audited table, its records and its fields."""

    table: str
    kind: str                                   # "Coopérative"
    labels: dict[str, str] = field(default_factory=dict)
    title: Callable[[dict], str] | None = None  # the record's name, from its values
    owner: tuple[str, str] | None = None        # (owner table, column holding its id)
    skip: frozenset[str] = frozenset()
    # A field whose change names the action: {field: (action if truthy, action if falsy)},
    # or {field: {new value: action}}.
    actions: dict[str, tuple | dict] = field(default_factory=dict)
    choices: dict[str, Callable[[str], str]] = field(default_factory=dict)  # code -> label
    money: frozenset[str] = frozenset()
    listed: bool = True                         # offered as a kind in the window's filter

    @functools.cached_property
    def kept_out(self) -> frozenset[str]:
        """Left out of a creation's values: the skipped fields, the id and the owner's id
        (both in the entry's own columns)."""
        return self.skip | {"id"} | ({self.owner[1]} if self.owner else set())

    def label(self, name: str) -> str:
        return self.labels.get(name, name.replace("_", " ").capitalize())


DESCRIPTIONS: dict[str, Description] = {}


def describe(table: str, kind: str, *, labels: dict[str, str] | None = None,
             title: Callable[[dict], str] | None = None, owner: tuple[str, str] | None = None,
             skip: Iterable[str] = (), actions: dict | None = None,
             choices: dict[str, Callable[[str], str] | type[enum.Enum]] | None = None,
             money: Iterable[str] = (), listed: bool = True) -> Description:
    """Name an audited table for the history (called once, by the domain's history.py).
    `choices` maps a field to its enum (whose members have a `.label`) or to a function."""
    readers = {name: (_enum_reader(c) if isinstance(c, type) else c)
               for name, c in (choices or {}).items()}
    money_fields = set(money) | {n for n in (labels or {}) if n.endswith("_cents")}
    described = Description(table, kind, dict(labels or {}), title, owner,
                            frozenset(skip) | ALWAYS_SKIPPED, dict(actions or {}), readers,
                            frozenset(money_fields), listed)
    DESCRIPTIONS[table] = described
    return described


def _enum_reader(enum_type: type[enum.Enum]) -> Callable[[str], str]:
    def read(code: str) -> str:
        try:
            member = enum_type(code)
        except ValueError:
            return str(code)
        return getattr(member, "label", str(code))
    return read


def description(table: str) -> Description:
    return DESCRIPTIONS.get(table) or Description(table, table, skip=ALWAYS_SKIPPED)


# ---- values ---------------------------------------------------------------------------------

_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value):
    """A column value as JSON keeps it (dates ISO, enums their code, images their size)."""
    if type(value) in _AS_IS:  # most values: the fast way out
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"octets": len(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def _dumps(values: dict | None) -> str | None:
    return None if values is None else _JSON.encode(values)


def entry(table: str, record_id, action: Action | str, *, before: dict | None = None,
          after: dict | None = None, title: str = "", owner_id=None,
          at: datetime | None = None) -> dict:
    """One row of audit_entry, ready for an insert (the values already plain)."""
    who = operator()
    described = DESCRIPTIONS.get(table)
    owner = described.owner if described else None
    return {
        "at": at or clock.now(), "user_name": who.user, "workstation": who.workstation,
        "table_name": table, "record_id": str(record_id),
        "owner_table": owner[0] if owner and owner_id is not None else None,
        "owner_id": str(owner_id) if owner and owner_id is not None else None,
        "action": str(action), "title": title[:300],
        "before": _dumps(before), "after": _dumps(after),
    }


def record_many(session_or_connection, rows: list[dict]) -> None:
    """Write entries made by `entry(...)` (one statement for all of them)."""
    if not rows:
        return
    conn = session_or_connection
    if isinstance(conn, OrmSession):
        conn = conn.connection()
    conn.execute(insert(AuditEntry.__table__), rows)


def record(session_or_connection, table: str, record_id, action: Action | str, *,
           before: dict | None = None, after: dict | None = None, owner_id=None) -> None:
    """Write one entry for a change made with a core statement. `before`/`after` are the
    record's values (all of them for a creation or deletion, the changed ones otherwise);
    they are made plain here, and the record's title and owner taken from them."""
    before = None if before is None else {k: plain(v) for k, v in before.items()}
    after = None if after is None else {k: plain(v) for k, v in after.items()}
    described = description(table)
    values = {**(before or {}), **(after or {})}
    if owner_id is None and described.owner:
        owner_id = values.get(described.owner[1])
    record_many(session_or_connection, [entry(table, record_id, action, before=before,
                                              after=after, title=title_of(described, values),
                                              owner_id=owner_id)])


def created(table: str, record_id, values: dict, action: Action = Action.CREATED) -> dict:
    """The entry of a row inserted with a core statement (`values`: the row's columns);
    with action=Action.DELETED, of a row deleted."""
    described = description(table)
    kept_out = described.kept_out
    kept = {k: plain(v) for k, v in values.items() if k not in kept_out}
    owner = values.get(described.owner[1]) if described.owner else None
    deleted = action == Action.DELETED
    return entry(table, record_id, action, before=kept if deleted else None,
                 after=None if deleted else kept, title=title_of(described, values),
                 owner_id=owner)


def changed(table: str, record_id, before: dict, after: dict, *,
            action: Action = Action.UPDATED, current: dict | None = None) -> dict | None:
    """The entry of a row updated with a core statement: the fields whose value differs
    (None when none does). `current` (the row's other columns) names the record."""
    described = description(table)
    old_values, new_values = {}, {}
    for name, value in after.items():
        new, old = plain(value), plain(before.get(name))
        if name not in described.skip and new != old:
            old_values[name], new_values[name] = old, new
    if not new_values:
        return None
    every = {**(current or {}), **after}
    owner = every.get(described.owner[1]) if described.owner else None
    return entry(table, record_id, action, before=old_values, after=new_values,
                 title=title_of(described, every), owner_id=owner)


def title_of(described: Description, values: dict) -> str:
    if described.title is None:
        return ""
    try:
        return str(described.title(values) or "")
    except (KeyError, TypeError, ValueError):
        return ""


# ---- the ORM's inserts, updates and deletes ---------------------------------------------------

def _columns(state) -> list[tuple[str, str]]:
    """(attribute key, column name) of a mapped class's columns."""
    return [(attr.key, attr.columns[0].name) for attr in state.mapper.column_attrs]


def _identity(state) -> str:
    ident = state.mapper.primary_key_from_instance(state.obj())
    return str(ident[0]) if len(ident) == 1 else "/".join(str(i) for i in ident)


def _created(state, action: Action) -> dict:
    table = state.mapper.local_table.name
    described = description(table)
    d = state.dict
    every = {name: d.get(key) for key, name in _columns(state)}
    kept_out = described.kept_out
    values = {name: plain(value) for name, value in every.items() if name not in kept_out}
    owner = every.get(described.owner[1]) if described.owner else None
    return entry(table, _identity(state), action,
                 before=values if action == Action.DELETED else None,
                 after=values if action != Action.DELETED else None,
                 title=title_of(described, every), owner_id=owner)


def _modified(state) -> dict | None:
    table = state.mapper.local_table.name
    described = description(table)
    before, after = {}, {}
    for key, name in _columns(state):
        if name in described.skip:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        new = plain(history.added[0]) if history.added else None
        old = plain(history.deleted[0]) if history.deleted else None
        if old == new:
            continue
        before[name], after[name] = old, new
    if not after:
        return None
    action = named_action(described, after)
    d = state.dict
    current = {name: d.get(key) for key, name in _columns(state)}
    owner = current.get(described.owner[1]) if described.owner else None
    return entry(table, _identity(state), action, before=before, after=after,
                 title=title_of(described, current), owner_id=owner)


def named_action(described: Description, after: dict) -> Action:
    """The action a modification's new values name (a receipt cancelled, a coop archived),
    or a plain modification."""
    for name, rule in described.actions.items():
        if name not in after:
            continue
        if isinstance(rule, dict):
            chosen = rule.get(after[name])
        else:
            chosen = rule[0] if after[name] else rule[1]
        if chosen is not None:
            return chosen
    return Action.UPDATED


def after_flush(session, _flush_context) -> None:
    """The session event: the entries of what this flush wrote for audited classes, written
    in the same transaction (the flush's own state is still there: new, dirty, deleted and
    each attribute's history)."""
    rows = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append(_created(inspect(obj), Action.CREATED))
    for obj in session.dirty:
        if isinstance(obj, Audited):
            row = _modified(inspect(obj))
            if row is not None:
                rows.append(row)
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append(_created(inspect(obj), Action.DELETED))
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


event.listen(OrmSession, "after_flush", after_flush)


# ---- erasing a person's values (RGPD) -------------------------------------------------------

def redact(session, table: str, record_id, fields: Iterable[str],
           on: date | None = None) -> int:
    """Replace the values of `fields` by REDACTED in the entries of one record and of the
    records it owns (as its history shows them), in their before/after and in their title,
    and mark them redacted `on` that day (the one change the database allows on the trail).
    Called by an erasure once its own changes are flushed (their entry holds the old values
    too). Returns the number of entries changed."""
    if isinstance(session, OrmSession):
        session.flush()
        conn = session.connection()
    else:
        conn = session
    names = frozenset(fields)
    if not names:
        return 0
    on = on or clock.today()
    key = str(record_id)
    t = AuditEntry.__table__
    rows = conn.execute(select(t.c.id, t.c.title, t.c.before, t.c.after).where(or_(
        and_(t.c.table_name == table, t.c.record_id == key),
        and_(t.c.owner_table == table, t.c.owner_id == key)))).all()
    values: dict[int, tuple] = {}
    erased: set[str] = set()  # the old values, to take out of the titles
    for entry_id, title, before, after in rows:
        old = json.loads(before) if before else None
        new = json.loads(after) if after else None
        for part in (old, new):
            for name in names & set(part or ()):
                if isinstance(part[name], str) and part[name] not in ("", REDACTED):
                    erased.add(part[name])
                if part[name] not in (None, "", REDACTED):
                    part[name] = REDACTED
        values[entry_id] = (title, before, after, old, new)
    changes = []
    for entry_id, (title, before, after, old, new) in values.items():
        new_title = _redacted_title(title, erased)
        row = {"the_id": entry_id, "the_title": new_title, "the_before": _dumps(old),
               "the_after": _dumps(new)}
        if (new_title, row["the_before"], row["the_after"]) != (title, before, after):
            changes.append(row)
    if changes:
        conn.execute(update(t).where(t.c.id == bindparam("the_id"))
                     .values(title=bindparam("the_title"), before=bindparam("the_before"),
                             after=bindparam("the_after"), redacted_on=on), changes)
    return len(changes)


def _redacted_title(title: str, erased: set[str]) -> str:
    # Longest first: "Claire Anne" goes before "Claire".
    for value in sorted(erased, key=len, reverse=True):
        if len(value.strip()) >= 2:
            title = title.replace(value, REDACTED)
    return title


def redacted(text: str, on: date | None) -> str:
    """A title as the history shows it: an erased value says when it was erased."""
    return text.replace(REDACTED, f"(effacé le {format_date(on)})") if on else text


# ---- reading it back ------------------------------------------------------------------------

def shown(described: Description, name: str, value, redacted_on: date | None = None) -> str:
    """A stored value as the history shows it, in French."""
    if value is None or value == "":
        return "(vide)"
    if value == REDACTED:
        return f"(effacé le {format_date(redacted_on)})" if redacted_on else REDACTED
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict) and "octets" in value:
        return f"image de {max(1, round(value['octets'] / 1024))} Ko"
    if isinstance(value, list):
        return ", ".join(shown(described, name, v) for v in value)
    if name in described.money and isinstance(value, int):
        return format_money(value)
    if name in described.choices:
        return described.choices[name](value)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return format_date(date.fromisoformat(value))
            moment = datetime.fromisoformat(value)
            return f"{format_date(moment.date())} à {moment.strftime('%H:%M')}"
        except ValueError:
            pass
    return str(value)


def change_lines(table: str, action: str, before: str | None, after: str | None,
                 redacted_on: date | None = None) -> list[str]:
    """The entry's values in French: "Nom : « École A » → « École B »" for a modification,
    "Nom : « École A »" for a creation or deletion; an erased value « (effacé le …) »."""
    described = description(table)
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    lines = []
    if old and new:
        for name in new:
            lines.append(f"{described.label(name)} : "
                         f"{quoted(described, name, old.get(name), redacted_on)} → "
                         f"{quoted(described, name, new[name], redacted_on)}")
        return lines
    for name, value in (new or old).items():
        if value is None or value == "" or value is False or value == 0:
            continue  # a creation lists what was filled in
        lines.append(f"{described.label(name)} : {quoted(described, name, value, redacted_on)}")
    return lines


def quoted(described: Description, name: str, value, redacted_on: date | None = None) -> str:
    text = shown(described, name, value, redacted_on)
    return text if text == "(vide)" else f"« {text} »"
