"""The application's one clock: every "today" and "now" of the core and the widgets.

Nothing else reads the calendar, so that a test can set the day (`fixed`) and the suite
behaves the same whatever the date. `today()` is the office's local day; `now()` an aware
UTC timestamp, as stored in the `created_at`/`updated_at` columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

_fixed: datetime | None = None


def now() -> datetime:
    """This instant, in UTC."""
    if _fixed is not None:
        return _fixed
    return datetime.now(UTC)


def today() -> date:
    """The office's day (local calendar)."""
    if _fixed is not None:
        return _fixed.date()
    return date.today()


def set_fixed(moment: date | datetime | None) -> None:
    """Stop the clock at `moment` (a day stops at 10:00 UTC); None lets it run again."""
    global _fixed
    if moment is None or isinstance(moment, datetime):
        _fixed = moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)
    else:
        _fixed = datetime.combine(moment, time(10, 0), tzinfo=UTC)


@contextmanager
def fixed(moment: date | datetime) -> Iterator[None]:
    """The clock stopped at `moment` for the duration of the block."""
    before = _fixed
    set_fixed(moment)
    try:
        yield
    finally:
        globals()["_fixed"] = before
