"""What the trainings' printed documents and calendar files are given: plain types, no rule.

The trainings core builds these from its records (which participants, which half-days, how many
minutes attended); `sheet_pdf`, `certificate_pdf`, `invitation_pdf` and `calendar_file` only lay
them out. Standard library only at run time (the letterhead's type is named for the checkers:
ReportLab is loaded when something prints).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from occe_bureau.printing import Letterhead


class HalfDay(StrEnum):
    MORNING = "matin"          # "Matin"
    AFTERNOON = "apres_midi"   # "Après-midi"

    @property
    def label(self) -> str:
        return _HALF_DAY_LABELS[self]


_HALF_DAY_LABELS = {HalfDay.MORNING: "Matin", HalfDay.AFTERNOON: "Après-midi"}


@dataclass(frozen=True)
class SessionPaper:
    training_title: str
    theme_label: str
    day: date
    start: time
    end: time
    half_days: tuple[HalfDay, ...]   # the half-days the session covers (from its times: before 12:30 morning…)
    place: str                       # "" when by video only
    video_link: str                  # "" when in person only
    trainers: str                    # "Mme A, M. B"
    partner: str                     # "DSDEN 92", "" if none
    what_to_bring: str = ""
    uid: str = ""                    # stable id for the .ics ("session-123@occe-bureau")
    session_label: str = ""          # "Séance 2 sur 3" for a session of a course, "" otherwise


@dataclass(frozen=True)
class SheetRow:
    name: str                        # "DUPONT Marie"
    coop: str                        # "Coop école Jean Jaurès (0920001A)" or ""


@dataclass(frozen=True)
class AttendanceSheet:
    session: SessionPaper
    rows: tuple[SheetRow, ...]       # one line per registered participant, sorted by name
    letterhead: Letterhead           # occe_bureau.printing.Letterhead


@dataclass(frozen=True)
class Certificate:
    participant: str
    coop: str
    training_title: str
    days: tuple[date, ...]           # the dates attended
    minutes_attended: int            # hours actually attended (e.g. 540 → "9 h", 90 → "1 h 30")
    course_minutes: int              # hours of the whole training/course
    place_and_date: str              # "Fait à Nanterre, le 12/03/2026"
    letterhead: Letterhead           # carries signatory_name/title and the signature image (president)


@dataclass(frozen=True)
class Invitation:
    participant: str
    email: str
    training_title: str
    sessions: tuple[SessionPaper, ...]   # one session, or every session of a course
    letterhead: Letterhead
    place_and_date: str = ""             # "Nanterre, le 12/03/2026" ("" prints no date line)
