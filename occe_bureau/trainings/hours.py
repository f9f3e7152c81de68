"""Hours from times, and the half-days a session covers.

- A session lasts from its start to its end time (the end after the start, the same day):
  14:00–16:00 is 120 minutes. A course lasts the sum of its sessions.
- A session covers the morning if it starts before 12:30, the afternoon if it starts at 12:30
  or later or ends after 13:30: 9:00–12:00 is a morning, 17:00–19:00 an afternoon, 9:00–16:00
  both. The attendance sheet has one signature box per half-day covered.
- The minutes attended of a session are its minutes times the share of its half-days the
  person was present at (présent; absent and excusé count nothing): present the morning of
  a 9:00–16:00 session is 210 minutes of 420.
"""

from __future__ import annotations

from datetime import datetime, time

from occe_bureau.trainings.papers import HalfDay

NOON = time(12, 30)
AFTERNOON_FROM = time(13, 30)


def minutes_between(start: time, end: time) -> int:
    day = datetime(2000, 1, 1)
    return int((datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() // 60)


def half_days(start: time, end: time) -> tuple[HalfDay, ...]:
    covered = []
    if start < NOON:
        covered.append(HalfDay.MORNING)
    if start >= NOON or end > AFTERNOON_FROM:
        covered.append(HalfDay.AFTERNOON)
    return tuple(covered)


def minutes_attended(start: time, end: time, present: set[HalfDay] | frozenset[HalfDay]) -> int:
    covered = half_days(start, end)
    shown = sum(1 for h in covered if h in present)
    return minutes_between(start, end) * shown // len(covered) if covered else 0


def hours_label(minutes: int) -> str:
    """120 -> "2 h"; 90 -> "1 h 30"; 45 -> "45 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d}"


def time_label(value: time) -> str:
    """9:00 -> "9 h"; 14:30 -> "14 h 30"."""
    return f"{value.hour} h" if not value.minute else f"{value.hour} h {value.minute:02d}"
