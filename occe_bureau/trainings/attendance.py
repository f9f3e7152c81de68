"""Attendance, taken per session and per half-day (présent, absent, excusé) in a checklist of
the people holding a place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from occe_bureau import clock
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.trainings.enums import Presence, RegistrationStatus
from occe_bureau.trainings.hours import half_days
from occe_bureau.trainings.models import Attendance, Participant, Registration, Training
from occe_bureau.trainings.papers import HalfDay
from occe_bureau.trainings.participants import coop_label, participant_name
from occe_bureau.trainings.sessions import load_session
from occe_bureau.validation import ValidationError


@dataclass(frozen=True)
class ChecklistRow:
    participant_id: int
    name: str
    coop: str
    marks: dict[HalfDay, Presence]   # the half-days already taken

    @property
    def id(self) -> int:
        return self.participant_id


@dataclass(frozen=True)
class Checklist:
    session_id: int
    half_days: tuple[HalfDay, ...]
    rows: list[ChecklistRow]


def holders(db_session, training: Training, session_id: int):
    """(participant id, last name, first name, coop name, coop number) of the people holding a
    place in a session (a course's people hold one in each of its sessions), by name."""
    query = (select(Participant.id, Participant.last_name, Participant.first_name, Coop.name, Coop.number)
             .join(Registration, Registration.participant_id == Participant.id)
             .outerjoin(Coop, Coop.id == Participant.coop_id)
             .where(Registration.training_id == training.id,
                    Registration.status == RegistrationStatus.REGISTERED.value))
    query = query.where(Registration.session_id.is_(None) if training.is_course
                        else Registration.session_id == session_id)
    return db_session.execute(query.order_by(Participant.name_key, Participant.id)).all()


def checklist(db: Database, session_id: int) -> Checklist:
    with db.session() as session:
        s = load_session(session, session_id)
        training = session.get(Training, s.training_id)
        marks: dict[int, dict[HalfDay, Presence]] = {}
        for pid, half_day, presence in session.execute(
                select(Attendance.participant_id, Attendance.half_day, Attendance.presence)
                .where(Attendance.session_id == session_id)):
            marks.setdefault(pid, {})[HalfDay(half_day)] = Presence(presence)
        rows = [ChecklistRow(pid, participant_name(last, first), coop_label(cname, cnum), marks.get(pid, {}))
                for pid, last, first, cname, cnum in holders(session, training, session_id)]
        return Checklist(session_id, half_days(s.start_time, s.end_time), rows)


def record_attendance(db: Database, session_id: int,
                      marks: dict[tuple[int, HalfDay], Presence | None]) -> int:
    """Record (or correct) the checklist: {(participant id, half-day): presence, or None when
    not taken}. Only the people holding a place, only the half-days the session covers. Returns
    the number of marks kept."""
    with db.transaction() as session:
        s = load_session(session, session_id)
        if s.day > clock.today():
            raise ValidationError({"attendance": "Les présences se relèvent le jour de la session, "
                                                 "ou après."})
        training = session.get(Training, s.training_id)
        allowed = {row[0] for row in holders(session, training, session_id)}
        covered = set(half_days(s.start_time, s.end_time))
        for (pid, half_day), presence in marks.items():
            if pid not in allowed:
                raise ValidationError({"attendance": "Présences : une personne sans place dans cette "
                                                     "session ne peut pas être pointée."})
            if HalfDay(half_day) not in covered:
                raise ValidationError({"attendance": f"Présences : la session ne couvre pas "
                                                     f"« {HalfDay(half_day).label} »."})
        existing = {(pid, h): a for a in session.scalars(select(Attendance).where(
            Attendance.session_id == session_id)) for pid, h in [(a.participant_id, a.half_day)]}
        now = clock.now()
        for (pid, half_day), presence in marks.items():
            key = (pid, HalfDay(half_day).value)
            current = existing.get(key)
            if presence is None:  # not taken: a mark once taken is corrected, never removed
                continue
            if current is None:
                session.add(Attendance(session_id=session_id, participant_id=pid, half_day=key[1],
                                       presence=Presence(presence).value, updated_at=now))
            elif current.presence != presence:
                current.presence = Presence(presence).value
                current.updated_at = now
        session.flush()
        return len(list(session.scalars(select(Attendance.id).where(Attendance.session_id == session_id))))
