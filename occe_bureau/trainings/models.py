"""Formations: trainings and their sessions, participants, registrations (to a session, or to a
whole course) with their waiting list and their recorded history, and attendance per half-day.

Nothing here is deleted: a session or a registration is cancelled and kept, a theme is hidden.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from occe_bureau import clock
from occe_bureau.audit import Audited
from occe_bureau.trainings.enums import (
    Presence, RegistrationEventKind, RegistrationStatus, SessionMode, in_check,
)
from occe_bureau.trainings.papers import HalfDay
from occe_bureau.versions import Versioned


def _now() -> datetime:
    return clock.now()


class TrainingTheme(Audited, SQLModel, table=True):
    """A theme of the editable list (seeded with the report's themes)."""

    __tablename__ = "training_theme"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    position: int = 0
    archived: bool = False


class Training(Audited, Versioned, table=True):
    __tablename__ = "training"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    theme_id: int = Field(foreign_key="training_theme.id", index=True)
    audience: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=4000)
    trainers: str = Field(default="", max_length=300)
    partner: str = Field(default="", max_length=200)
    on_departmental_plan: bool = False
    # A course: its sessions are attended as one (one registration for them all).
    is_course: bool = False
    what_to_bring: str = Field(default="", max_length=1000)
    archived: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class TrainingSession(Audited, Versioned, table=True):
    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="ck_training_session_times"),
        CheckConstraint("capacity > 0", name="ck_training_session_capacity"),
        CheckConstraint(in_check("mode", SessionMode), name="ck_training_session_mode"),
        Index("ix_training_session_training_day", "training_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id")
    day: date = Field(index=True)
    start_time: time
    end_time: time
    mode: str = Field(default=SessionMode.IN_PERSON.value, max_length=20)
    place: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    capacity: int = 20
    cancelled: bool = False
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class Participant(Audited, Versioned, table=True):
    """A teacher who trains, linked to their school's coop when they have one; found again by
    name and e-mail (`name_key`), never entered twice."""

    __tablename__ = "training_participant"

    id: int | None = Field(default=None, primary_key=True)
    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    email: str = Field(default="", max_length=200, index=True)
    coop_id: int | None = Field(default=None, foreign_key="coop.id", index=True)
    name_key: str = Field(default="", max_length=220, index=True)
    search_key: str = Field(default="", max_length=600)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class Registration(Audited, SQLModel, table=True):
    """A participant registered to one session, or (session_id empty) to a whole course.
    On the waiting list, `queue_number` keeps the order people came in."""

    __tablename__ = "training_registration"
    __table_args__ = (
        CheckConstraint(in_check("status", RegistrationStatus), name="ck_training_registration_status"),
        Index("ix_training_registration_target", "training_id", "session_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id")
    session_id: int | None = Field(default=None, foreign_key="training_session.id", index=True)
    participant_id: int = Field(foreign_key="training_participant.id", index=True)
    status: str = Field(default=RegistrationStatus.REGISTERED.value, max_length=20)
    queue_number: int = 0
    registered_on: date
    cancelled_on: date | None = None
    created_at: datetime = Field(default_factory=_now)


class RegistrationEvent(Audited, SQLModel, table=True):
    """What happened to a registration, and when: registered, put on the waiting list,
    promoted from it, cancelled."""

    __tablename__ = "training_registration_event"
    __table_args__ = (
        CheckConstraint(in_check("kind", RegistrationEventKind), name="ck_training_event_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="training_registration.id", index=True)
    kind: str = Field(max_length=20)
    at: datetime = Field(default_factory=_now)
    note: str = Field(default="", max_length=300)


class Attendance(Audited, SQLModel, table=True):
    """One half-day of one session for one participant: présent, absent or excusé."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id", "half_day", name="uq_training_attendance"),
        CheckConstraint(in_check("presence", Presence), name="ck_training_attendance_presence"),
        CheckConstraint(in_check("half_day", HalfDay), name="ck_training_attendance_half_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="training_session.id")
    participant_id: int = Field(foreign_key="training_participant.id", index=True)
    half_day: str = Field(max_length=20)
    presence: str = Field(max_length=20)
    updated_at: datetime = Field(default_factory=_now)
