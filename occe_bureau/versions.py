"""Optimistic concurrency: no save overwrites a change it did not see.

Every record a form edits is `Versioned`: it carries a version (1 when created, one more at
each change) and who changed it last (the computer's user and workstation, see workstation.py)
and when (clock.now()).

- A form opens a record with its version and hands it back on saving. The save begins with
  `claim`, a compare-and-set: ``UPDATE … SET version = version + 1, changed_… WHERE id = :id
  AND version = :opened``. If the record changed meanwhile (another window, another
  workstation, an import, a return at the desk), no row matches: nothing is written and
  StaleRecord (occe_bureau.validation) says who changed it and when. On PostgreSQL the UPDATE
  takes the row's lock, so that a second save of the same version waits for the first, then
  finds the version moved on; on SQLite it takes the database's write lock.
- Every other change of a versioned row through the ORM bumps the version as well (a
  before_flush hook writes ``version = version + 1`` into the UPDATE itself, and the stamp),
  so that a form opened before it is refused, naming it. A bulk UPDATE adds `bumped(table)`
  to its values.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, event, select, update
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from occe_bureau import clock, workstation
from occe_bureau.validation import StaleRecord

_CLAIMED = "versions.claimed"

# An action taken from a list (cancel, return, archive…) on a record changed since it was listed.
LIST_SINCE = "depuis l'affichage de la liste"
LIST_ADVICE = "Rien n'a été fait : la liste est mise à jour, vérifiez puis recommencez."


class Versioned(SQLModel):
    """The version and the last change of a record (a mixin: `class Coop(Versioned, table=True)`)."""

    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    changed_by: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    changed_from: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    changed_at: datetime | None = Field(default=None, sa_type=DateTime)


def stamp() -> dict[str, object]:
    """Who changes a record now, and when: the values of the three stamp columns."""
    who = workstation.me()
    return {"changed_by": who.user[:100], "changed_from": who.computer[:100],
            "changed_at": clock.now()}


def bumped(table) -> dict[str, object]:
    """The values a bulk UPDATE of versioned rows adds: the version one more, and the stamp."""
    return {"version": table.c.version + 1, **stamp()}


def claim(session, model: type[Versioned], row_id: int | None, opened: int | None, *,
          what: str = "Cette fiche", feminine: bool = True, plural: bool = False,
          since: str = "depuis que vous l'avez ouverte", advice: str | None = None) -> None:
    """Take the record `row_id` of `model` as it was at version `opened`, or raise StaleRecord.

    Call it first in the transaction, before anything is read for the save. `opened` None
    means the record did not exist when the form was opened (a coop's figures for a year not
    entered yet): then it must still not exist. `row_id` None: the record does not exist now.
    """
    extra = {"what": what, "feminine": feminine, "plural": plural, "since": since}
    if advice is not None:
        extra["advice"] = advice
    if opened is None:
        if row_id is not None:
            raise stale_error(session, model, row_id, **extra)
        return
    if row_id is None:
        raise StaleRecord(gone=True, **extra)
    table = model.__table__
    result = session.execute(update(table).where(table.c.id == row_id, table.c.version == opened)
                             .values(**bumped(table)).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise stale_error(session, model, row_id, **extra)
    session.info.setdefault(_CLAIMED, set()).add((model, row_id))
    loaded = session.identity_map.get(session.identity_key(model, row_id))
    if loaded is not None:
        session.expire(loaded, ["version", "changed_by", "changed_from", "changed_at"])


def touch(session, model: type[Versioned], row_id: int) -> None:
    """Bump the record's version without comparing it (a change made over whatever is there,
    such as a loan whose lines change): forms opened before it will be refused."""
    table = model.__table__
    session.execute(update(table).where(table.c.id == row_id).values(**bumped(table))
                    .execution_options(synchronize_session=False))
    session.info.setdefault(_CLAIMED, set()).add((model, row_id))
    loaded = session.identity_map.get(session.identity_key(model, row_id))
    if loaded is not None:
        session.expire(loaded, ["version", "changed_by", "changed_from", "changed_at"])


def stale_error(session, model: type[Versioned], row_id: int, **extra) -> StaleRecord:
    """The refusal naming the last change of the record as it is now (or saying it is gone)."""
    table = model.__table__
    row = session.execute(select(table.c.changed_by, table.c.changed_from, table.c.changed_at)
                          .where(table.c.id == row_id)).first()
    if row is None:
        return StaleRecord(gone=True, **extra)
    return StaleRecord(by=row.changed_by, workstation=row.changed_from, at=row.changed_at, **extra)


@event.listens_for(Session, "before_flush")
def _bump_changed(session, _context, _instances) -> None:
    """Every change of a versioned row bumps its version in the UPDATE, and says who made it."""
    claimed = session.info.get(_CLAIMED, ())
    now = None
    for row in session.new:
        if isinstance(row, Versioned):
            now = now or stamp()
            for name, value in now.items():
                setattr(row, name, value)
    for row in session.dirty:
        if not isinstance(row, Versioned) or (type(row), row.id) in claimed:
            continue
        if not session.is_modified(row, include_collections=False):
            continue
        now = now or stamp()
        row.version = type(row).version + 1
        for name, value in now.items():
            setattr(row, name, value)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_claims(session) -> None:
    session.info.pop(_CLAIMED, None)
