"""A training's sessions: date, times (so that hours are known), in person / by video / both,
capacity. The end before the start, a capacity of zero, or one below the people already
registered, are refused at their field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select

from occe_bureau import clock, versions
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.trainings.enums import RegistrationStatus, SessionMode
from occe_bureau.trainings.hours import half_days, hours_label, minutes_between, time_label
from occe_bureau.trainings.models import Registration, Training, TrainingSession
from occe_bureau.trainings.papers import HalfDay
from occe_bureau.validation import Checker, ValidationError

MAX_CAPACITY = 500


@dataclass
class SessionData:
    day: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    mode: str = SessionMode.IN_PERSON
    place: str = ""
    video_link: str = ""
    capacity: object = 20  # as typed: the check makes it a number or names the field
    version: int | None = None  # as the form opened it (occe_bureau/versions.py)


@dataclass(frozen=True)
class SessionRow:
    id: int
    training_id: int
    day: date
    start_time: time
    end_time: time
    mode: SessionMode
    place: str
    video_link: str
    capacity: int
    registered: int
    waiting: int
    cancelled: bool

    @property
    def minutes(self) -> int:
        return minutes_between(self.start_time, self.end_time)

    @property
    def half_days(self) -> tuple[HalfDay, ...]:
        return half_days(self.start_time, self.end_time)

    @property
    def times_label(self) -> str:
        return f"{time_label(self.start_time)} – {time_label(self.end_time)}"

    @property
    def label(self) -> str:
        return f"{format_date(self.day)}, {self.times_label} ({hours_label(self.minutes)})"

    @property
    def where(self) -> str:
        if self.mode == SessionMode.VIDEO:
            return "En visio"
        if self.mode == SessionMode.BOTH:
            return f"{self.place} et en visio"
        return self.place

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.registered)


def check_session(data: SessionData, registered: int = 0) -> SessionData:
    c = Checker()
    if data.day is None:
        c.add("day", "Date : obligatoire.")
    if data.start_time is None:
        c.add("start_time", "Début : obligatoire.")
    if data.end_time is None:
        c.add("end_time", "Fin : obligatoire.")
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        c.add("end_time", "Fin : l'heure de fin doit venir après l'heure de début "
                          f"({time_label(data.start_time)}).")
    mode = SessionMode(data.mode) if data.mode in set(SessionMode) else None
    if mode is None:
        c.add("mode", "Modalité : choisissez présentiel, visio ou les deux.")
    place = c.text("place", "Lieu", data.place, max_length=300, required=bool(mode and mode.has_place))
    link = c.text("video_link", "Lien de visio", data.video_link, max_length=500,
                  required=bool(mode and mode.has_link), printed=True)
    if link and not link.lower().startswith(("https://", "http://")):
        c.add("video_link", "Lien de visio : une adresse commençant par https:// est attendue.")
    capacity = c.count("capacity", "Capacité", data.capacity, maximum=MAX_CAPACITY)
    if "capacity" not in c.errors:
        if capacity == 0:
            c.add("capacity", "Capacité : au moins une place.")
        elif capacity < registered:
            c.add("capacity", f"Capacité : {registered} personnes sont déjà inscrites ; la capacité "
                              "ne peut pas être inférieure (annulez d'abord des inscriptions).")
    c.raise_if_any()
    return SessionData(day=data.day, start_time=data.start_time, end_time=data.end_time,
                       mode=mode, place=place if mode.has_place else "",
                       video_link=link if mode.has_link else "", capacity=capacity)


def registered_count(session, s: TrainingSession, training: Training) -> int:
    """The places taken in a session: its registrations, or (a course) the course's."""
    query = select(func.count()).select_from(Registration).where(
        Registration.training_id == training.id,
        Registration.status == RegistrationStatus.REGISTERED.value)
    if training.is_course:
        query = query.where(Registration.session_id.is_(None))
    else:
        query = query.where(Registration.session_id == s.id)
    return session.scalar(query) or 0


def create_session(db: Database, training_id: int, data: SessionData) -> int:
    from occe_bureau.trainings.catalogue import load_training

    with db.transaction() as session:
        training = load_training(session, training_id)
        registered = 0
        if training.is_course:  # the course's people take a place in every session
            registered = session.scalar(select(func.count()).select_from(Registration).where(
                Registration.training_id == training_id, Registration.session_id.is_(None),
                Registration.status == RegistrationStatus.REGISTERED.value)) or 0
        clean = check_session(data, registered)
        s = TrainingSession(training_id=training_id, **fields_of(clean))
        session.add(s)
        session.flush()
        return s.id


def fields_of(data: SessionData) -> dict:
    """The session's columns a form sets (its version aside)."""
    return {name: value for name, value in vars(data).items() if name != "version"}


def update_session(db: Database, session_id: int, data: SessionData, *,
                   version: int | None = None) -> None:
    """With the version the form opened (`SessionData.version`), a session changed since is
    refused with StaleRecord, and nothing is written."""
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, TrainingSession, session_id, version, what="Cette session")
        s = load_session(session, session_id)
        training = session.get(Training, s.training_id)
        clean = check_session(data, registered_count(session, s, training))
        for name, value in fields_of(clean).items():
            setattr(s, name, value)
        s.updated_at = clock.now()


def set_session_cancelled(db: Database, session_id: int, cancelled: bool) -> None:
    """A session is cancelled (and kept), or given back."""
    with db.transaction() as session:
        s = load_session(session, session_id)
        s.cancelled = cancelled
        s.updated_at = clock.now()


def load_session(session, session_id: int) -> TrainingSession:
    s = session.get(TrainingSession, session_id)
    if s is None:
        raise ValidationError({"session": "Cette session n'existe plus."})
    return s


def get_session(db: Database, session_id: int) -> SessionData:
    with db.session() as session:
        s = load_session(session, session_id)
        return SessionData(day=s.day, start_time=s.start_time, end_time=s.end_time,
                           mode=SessionMode(s.mode), place=s.place, video_link=s.video_link,
                           capacity=s.capacity, version=s.version)


def list_sessions(db: Database, training_id: int) -> list[SessionRow]:
    """The sessions of a training by date, with their places taken and waiting."""
    with db.session() as session:
        training = session.get(Training, training_id)
        if training is None:
            return []
        counts = {}
        for session_id, status, n in session.execute(
                select(Registration.session_id, Registration.status, func.count())
                .where(Registration.training_id == training_id)
                .group_by(Registration.session_id, Registration.status)):
            counts[(session_id, status)] = n
        rows = []
        for s in session.scalars(select(TrainingSession).where(
                TrainingSession.training_id == training_id)
                .order_by(TrainingSession.day, TrainingSession.start_time)):
            key = None if training.is_course else s.id
            rows.append(SessionRow(
                s.id, s.training_id, s.day, s.start_time, s.end_time, SessionMode(s.mode), s.place,
                s.video_link, s.capacity, counts.get((key, RegistrationStatus.REGISTERED.value), 0),
                counts.get((key, RegistrationStatus.WAITING.value), 0), s.cancelled))
        return rows
