"""How late a loan is: the one rule every list, page, letter and grid asks.

A loan is late from the day after its due date while something of it is still out: on the
due date itself it is not late; the next day it is 1 day late.
"""

from __future__ import annotations

from datetime import date


def days_late(due: date, today: date) -> int:
    """The days past the due date (0 on the due date and before)."""
    return max(0, (today - due).days)


def is_late(due: date, today: date) -> bool:
    return days_late(due, today) > 0
