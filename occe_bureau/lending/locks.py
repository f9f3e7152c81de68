"""The overlap check and the write that follows it as one atomic step.

Two workstations booking the same item for the same days must not both pass the overlap
check (lending/conflicts.py) before either has written its line. So every write that checks
the overlap rule (a loan, a booking and its change, an extension, a check-out, a transfer)
first calls `lock_items`, before it reads anything the check depends on:

- on SQLite, the database's write lock is taken at once (``BEGIN IMMEDIATE``) instead of at
  the first INSERT: another writer waits (the busy timeout of occe_bureau/db.py) until this
  one has committed, then reads what it wrote;
- on PostgreSQL, the items' rows are locked (``SELECT … FOR UPDATE``, in id order, so that two
  writers never wait on each other): a writer on one of the same items waits until this one
  has committed; under READ COMMITTED its overlap query, a new statement, then sees the line
  the first one wrote. Writers on other items go on side by side.
"""

from __future__ import annotations

from sqlalchemy import select

from occe_bureau.db import write_lock

from occe_bureau.lending.models import Item, LoanLine


def lock_items(session, item_ids: list[int]) -> None:
    """Take the lock that makes the overlap check and the write one step (see above)."""
    if session.connection().dialect.name == "sqlite":
        write_lock(session)  # held already if this transaction has written
        return
    ids = sorted(set(item_ids))
    if ids:
        session.execute(select(Item.id).where(Item.id.in_(ids)).order_by(Item.id)
                        .with_for_update())


def lock_loan_items(session, loan_id: int, more_item_ids: list[int] | tuple[int, ...] = ()) -> None:
    """`lock_items` for a write on an existing loan: its items, and any it is about to take.

    Called first in the transaction, so that the loan and its lines are read under the lock."""
    ids = session.scalars(select(LoanLine.item_id).where(LoanLine.loan_id == loan_id)).all()
    lock_items(session, [*ids, *more_item_ids])
