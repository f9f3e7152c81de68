"""The year's figures, per training and per theme (the annual report's "9 sessions de 2 h,
154 enseignants"), read by the Bilan through the trainings' face.

Definitions, for a school year (1 September – 31 August) or any period (`period_figures`):
- *sessions held*: sessions not cancelled, dated in the period, up to today;
- *hours*: the sum of their lengths (hours from their times);
- *registrations*: the registrations holding a place in them (a course's count once);
- *present*: the people present at least one half-day of a session, counted per session;
- *teachers*: the distinct people present at least once; *coops*: their distinct coops;
- *in person / by video / both*: the sessions held, by how they were given.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import false, func, select

from occe_bureau import clock
from occe_bureau.db import Database
from occe_bureau.formats import (counted, format_date, school_year_bounds, school_year_label,
                                 school_year_of)
from occe_bureau.tabular import OutColumn, OutSheet, write_table
from occe_bureau.trainings.enums import Presence, RegistrationStatus, SessionMode
from occe_bureau.trainings.hours import hours_label, minutes_between
from occe_bureau.trainings.models import (
    Attendance, Participant, Registration, Training, TrainingSession, TrainingTheme,
)


@dataclass
class TrainingFigure:
    key: int | None
    label: str
    theme: str = ""
    sessions: int = 0
    minutes: int = 0
    registrations: int = 0
    present: int = 0
    teachers: int = 0
    coops: int = 0
    in_person: int = 0
    video: int = 0
    both: int = 0
    lengths: set[int] = field(default_factory=set, repr=False)

    @property
    def hours_label(self) -> str:
        return hours_label(self.minutes)

    @property
    def report_line(self) -> str:
        """"9 sessions de 2 h (18 h), 154 enseignants"; "1 session de 6 h, 12 enseignants"."""
        if not self.sessions:
            return "aucune session"
        sessions = counted(self.sessions, "session", "sessions")
        if len(self.lengths) == 1:
            each = hours_label(next(iter(self.lengths)))
            sessions += f" de {each}" + (f" ({self.hours_label})" if self.sessions > 1 else "")
        else:
            sessions += f" ({self.hours_label})"
        return f"{sessions}, {counted(self.teachers, 'enseignant', 'enseignants')}"


@dataclass
class YearFigures:
    school_year: int  # the school year of `start`
    today: date
    by_training: list[TrainingFigure]
    by_theme: list[TrainingFigure]
    total: TrainingFigure
    # The period asked (a school year's bounds for `year_figures`); sessions count up to
    # `counted_until`, today at the latest.
    start: date
    end: date

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def counted_until(self) -> date:
        return min(self.end, self.today)

    @property
    def period_label(self) -> str:
        """ "année scolaire 2024-2025", or "du 01/01/2025 au 30/06/2025" for another period."""
        if (self.start, self.end) == school_year_bounds(self.school_year):
            return f"année scolaire {self.label}"
        return f"du {format_date(self.start)} au {format_date(self.end)}"

    def training(self, title: str) -> TrainingFigure | None:
        return next((f for f in self.by_training if f.label == title), None)

    def theme(self, name: str) -> TrainingFigure | None:
        return next((f for f in self.by_theme if f.label == name), None)


def year_figures(db: Database, school_year: int, today: date | None = None) -> YearFigures:
    """The figures of school year `school_year` (1 September – 31 August), up to today."""
    start, end = school_year_bounds(school_year)
    return period_figures(db, start, end, today)


def period_figures(db: Database, start: date, end: date, today: date | None = None) -> YearFigures:
    """The figures of the sessions from `start` to `end` (both included), up to today."""
    today = today or clock.today()
    period_start, period_end = start, end
    end = min(end, today)
    with db.session() as session:
        conn = session.connection()
        trainings = {tid: (title, theme_id, theme, course) for tid, title, theme_id, theme, course in conn.execute(
            select(Training.id, Training.title, Training.theme_id, TrainingTheme.name, Training.is_course)
            .join(TrainingTheme, TrainingTheme.id == Training.theme_id))}
        held = conn.execute(
            select(TrainingSession.id, TrainingSession.training_id, TrainingSession.start_time,
                   TrainingSession.end_time, TrainingSession.mode)
            .where(TrainingSession.day.between(start, end), TrainingSession.cancelled.is_(False))).all()
        session_training = {sid: tid for sid, tid, *_ in held}
        held_trainings = set(session_training.values())
        registrations = conn.execute(
            select(Registration.training_id, Registration.session_id, func.count())
            .where(Registration.status == RegistrationStatus.REGISTERED.value,
                   Registration.training_id.in_(held_trainings) if held_trainings else false())
            .group_by(Registration.training_id, Registration.session_id)).all()
        present = conn.execute(
            select(Attendance.session_id, Attendance.participant_id, Participant.coop_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .where(TrainingSession.day.between(start, end), TrainingSession.cancelled.is_(False),
                   Attendance.presence == Presence.PRESENT.value)).all()  # a person's two half-days: one pair

    per_training: dict[int, TrainingFigure] = {}
    per_theme: dict[int, TrainingFigure] = {}
    total = TrainingFigure(None, "Ensemble des formations")

    def figures_of(tid: int) -> tuple[TrainingFigure, TrainingFigure, TrainingFigure]:
        title, theme_id, theme, _course = trainings[tid]
        if tid not in per_training:
            per_training[tid] = TrainingFigure(tid, title, theme)
        if theme_id not in per_theme:
            per_theme[theme_id] = TrainingFigure(theme_id, theme, theme)
        return per_training[tid], per_theme[theme_id], total

    for sid, tid, s_start, s_end, mode in held:
        minutes = minutes_between(s_start, s_end)
        for f in figures_of(tid):
            f.sessions += 1
            f.minutes += minutes
            f.lengths.add(minutes)
            if mode == SessionMode.IN_PERSON:
                f.in_person += 1
            elif mode == SessionMode.VIDEO:
                f.video += 1
            else:
                f.both += 1
    for tid, sid, count in registrations:
        if (sid is None and trainings[tid][3]) or sid in session_training:
            for f in figures_of(tid):
                f.registrations += count
    # The people present at each session (a person's half-days once), then their unions.
    at_session: dict[int, set[int]] = {}
    coop_of: dict[int, int | None] = {}
    for sid, pid, coop_id in present:
        at_session.setdefault(sid, set()).add(pid)
        coop_of[pid] = coop_id
    people: dict[int, set[int]] = {}
    for sid, pids in at_session.items():
        tid = session_training.get(sid)
        if tid is not None:
            people.setdefault(tid, set()).update(pids)
            per_training[tid].present += len(pids)
    theme_people: dict[int, set[int]] = {}
    everyone: set[int] = set()
    for tid, pids in people.items():
        theme_id = trainings[tid][1]
        theme_people.setdefault(theme_id, set()).update(pids)
        per_theme[theme_id].present += per_training[tid].present
        total.present += per_training[tid].present
        everyone.update(pids)
    for figure, pids in [*((per_training[t], p) for t, p in people.items()),
                         *((per_theme[t], p) for t, p in theme_people.items()), (total, everyone)]:
        figure.teachers = len(pids)
        figure.coops = len({coop_of[p] for p in pids} - {None})
    by_training = sorted(per_training.values(), key=lambda f: (f.theme, f.label))
    by_theme = sorted(per_theme.values(), key=lambda f: f.label)
    return YearFigures(school_year_of(period_start), today, by_training, by_theme, total,
                       start=period_start, end=period_end)


_COLUMNS = (("Sessions", "int", 11), ("Heures", "text", 10), ("Inscriptions", "int", 13),
            ("Présences", "int", 12), ("Enseignants", "int", 13), ("Coopératives", "int", 14),
            ("Présentiel", "int", 12), ("Visio", "int", 9), ("Les deux", "int", 10),
            ("Ligne du rapport d'activité", "text", 48))


def _values(f: TrainingFigure) -> list:
    return [f.sessions, f.hours_label, f.registrations, f.present, f.teachers, f.coops,
            f.in_person, f.video, f.both, f.report_line]


def export_figures_xlsx(figures: YearFigures) -> bytes:
    """The figures as a workbook: per theme (with the total), per training (written by
    occe_bureau.tabular, which neutralises the cells a spreadsheet would run)."""
    heading = ((f"Formations – {figures.period_label}",), ())
    columns = [OutColumn(*c) for c in _COLUMNS]
    sheets = [
        OutSheet("Par thème", [OutColumn("Thème", "text", 44), *columns],
                 [[f.label, *_values(f)] for f in [*figures.by_theme, figures.total]], heading),
        OutSheet("Par formation", [OutColumn("Formation", "text", 48), OutColumn("Thème", "text", 30),
                                   *columns],
                 [[f.label, f.theme, *_values(f)] for f in figures.by_training], heading),
    ]
    buffer = io.BytesIO()
    write_table(buffer, sheets=sheets)
    return buffer.getvalue()
