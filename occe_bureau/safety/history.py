"""Reading the audit trail: a record's history, and every change page by page with filters.

Read only: nothing here writes (and the database refuses any change to the trail). Sorting,
filtering and paging are done by SQL: the trail grows with every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select

from occe_bureau import audit
from occe_bureau.audit import AuditEntry
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.tables import load_all

PAGE_SIZE = 200


@dataclass(frozen=True)
class HistoryLine:
    id: int
    at: datetime          # local time
    user: str
    workstation: str
    action: str           # "Modification"
    kind: str             # "Coopérative"
    title: str            # "0012 École A"
    changes: tuple[str, ...]

    @property
    def when(self) -> str:
        return f"{format_date(self.at.date())} {self.at.strftime('%H:%M')}"


@dataclass(frozen=True)
class HistoryFilter:
    start: date | None = None
    end: date | None = None
    kind: str | None = None   # a table name, from history_kinds()
    user: str | None = None


@dataclass(frozen=True)
class HistoryPage:
    lines: list[HistoryLine]
    total: int
    page: int      # from 0
    pages: int


def history_kinds() -> list[tuple[str, str]]:
    """(table, French name) of the kinds of record the trail lists, by name."""
    load_all()
    return sorted(((d.table, d.kind) for d in audit.DESCRIPTIONS.values() if d.listed),
                  key=lambda pair: pair[1])


def history_users(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry.user_name).distinct()
                                    .order_by(AuditEntry.user_name)))


def record_history(db: Database, table: str, record_id: int | str) -> list[HistoryLine]:
    """Every change to one record and to what belongs to it (a coop's years, a loan's
    lines), newest first."""
    load_all()
    key = str(record_id)
    query = select(AuditEntry).where(or_(
        and_(AuditEntry.table_name == table, AuditEntry.record_id == key),
        and_(AuditEntry.owner_table == table, AuditEntry.owner_id == key),
    )).order_by(AuditEntry.id.desc())
    with db.session() as session:
        return [_line(e, named=True) for e in session.scalars(query)]


def history_page(db: Database, flt: HistoryFilter, page: int = 0,
                 size: int = PAGE_SIZE) -> HistoryPage:
    """One page of every change, newest first, within the filter."""
    load_all()
    conditions = []
    if flt.start:
        conditions.append(AuditEntry.at >= _utc(flt.start))
    if flt.end:
        conditions.append(AuditEntry.at < _utc(flt.end + timedelta(days=1)))
    if flt.kind:
        # A kind includes the records that belong to it (a coop's years with the coops).
        owned = [d.table for d in audit.DESCRIPTIONS.values() if d.owner and d.owner[0] == flt.kind]
        conditions.append(AuditEntry.table_name.in_([flt.kind, *owned]))
    if flt.user:
        conditions.append(AuditEntry.user_name == flt.user)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
        pages = max(1, -(-total // size))
        page = min(max(page, 0), pages - 1)
        # Plain rows, not ORM objects: a page is read, never changed.
        query = (select(AuditEntry.__table__).where(*conditions)
                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                 .offset(page * size).limit(size))
        lines = [_line(e) for e in session.execute(query)]
    return HistoryPage(lines, total, page, pages)


def _utc(day: date) -> datetime:
    """Midnight of the office's day, in UTC (as stored)."""
    local = datetime.combine(day, time(0)).astimezone()
    return local.astimezone(UTC)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def _line(e, named: bool = False) -> HistoryLine:
    """`named`: in a record's history, the lines of what belongs to it say what it is
    ("Année 2025-2026 — Élèves : …"); the window has a column for that."""
    described = audit.description(e.table_name)
    try:
        action = audit.Action(e.action).label
    except ValueError:
        action = e.action
    changes = audit.change_lines(e.table_name, e.action, e.before, e.after, e.redacted_on)
    title = audit.redacted(e.title, e.redacted_on)
    if named and described.owner and e.owner_id is not None and title:
        changes = [f"{title} — {line}" for line in changes] or [title]
    return HistoryLine(e.id, _local(e.at), e.user_name, e.workstation, action, described.kind,
                       title, tuple(changes))
