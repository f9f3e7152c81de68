"""Engine and sessions.

SQLite by default (WAL, foreign keys on, synchronous=FULL); any SQLAlchemy URL
otherwise, e.g. a PostgreSQL server once the office has several workstations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


# Money columns (cents) are 64-bit: PostgreSQL's INTEGER stops at 21 474 836,47 €.
# SQLite's INTEGER is 64-bit already, so its columns stay as they are.
MONEY = BigInteger().with_variant(Integer(), "sqlite")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One database: the engine, and short sessions for each user action."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._url = make_url(url)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """Made on first use (creating it loads the driver: some 20 ms at start-up)."""
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return self._url.get_backend_name() == "sqlite"

    @property
    def sqlite_file(self) -> str | None:
        if not self.is_sqlite:
            return None
        name = self._url.database
        return name if name and name != ":memory:" else None

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back whole on error."""
        with self.session() as session:
            with session.begin():
                yield session

    def describe(self) -> str:
        """Where the data lives, for the user (no password)."""
        return self.sqlite_file or self._url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def lock_series(session, series: str) -> None:
    """Serialize the writers that take the next number of a series (max + 1), until the end of
    the transaction: on SQLite the database's write lock is taken now (``BEGIN IMMEDIATE``);
    on PostgreSQL, where writers on other rows go on side by side, a transaction advisory
    lock named after the series makes the second workstation wait until the first has
    committed, then read the number it took."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(series)s))", {"series": series})
