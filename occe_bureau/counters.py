"""Unbroken number series: the next number of a series, taken inside the caller's transaction.

A counter row per series key (a year, or a (series, year) pair) holds the last number used. The
UPDATE … RETURNING comes first, so that the row is write-locked before it is read: two
workstations issuing at once queue on that row instead of reading the same value. The first
number of a series creates its row with an insert-or-ignore (another workstation may be
creating it at the same moment: then its row is used) and bumps it. Everything rolls back with
the caller's transaction, so a failure halfway leaves no gap; the numbered rows carry a unique
constraint as the last line of defence.

Used by the tax receipts (gifts) and the invoices (sales); each domain owns its counter table.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Table, and_, bindparam, update


def insert_or_ignore(conn, table: Table, keys: list[str]):
    """INSERT … ON CONFLICT (keys) DO NOTHING, on SQLite and PostgreSQL."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=keys)


@lru_cache(maxsize=16)
def _bump(table: Table, keys: tuple[str, ...], column: str):
    where = and_(*(table.c[key] == bindparam(f"k_{key}") for key in keys))
    return (update(table).where(where).values({column: table.c[column] + 1})
            .returning(table.c[column]))


def next_in_series(conn, table: Table, key: dict[str, object], column: str = "last_seq") -> int:
    """The next number of the series `key` in the counter `table` (its primary key columns are
    the keys of `key`; `column` holds the last number used)."""
    keys = tuple(key)
    params = {f"k_{name}": value for name, value in key.items()}
    statement = _bump(table, keys, column)
    seq = conn.execute(statement, params).scalar()
    if seq is None:
        conn.execute(insert_or_ignore(conn, table, list(keys)), {**key, column: 0})
        seq = conn.execute(statement, params).scalar()
    return seq
