"""Registrations: to a session, or (a course) to all its sessions at once; the waiting list.

- A session (a course: each of its sessions) has `capacity` places. A registration takes a
  place while there is one, else goes on the waiting list; the list keeps the order people
  came in (`queue_number`, given at registration and never changed).
- The same person registered twice to the same session or course is refused.
- When someone holding a place cancels (and whenever a place is free, a capacity raised), the
  first person waiting is offered it (`pending_offer`): the secretary confirms (`promote`),
  and the change is recorded (RegistrationEvent), as every registration and cancellation is.
- A cancelled registration is kept, with its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from occe_bureau import clock
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.trainings.catalogue import load_training
from occe_bureau.trainings.enums import RegistrationEventKind, RegistrationStatus
from occe_bureau.trainings.models import (
    Participant, Registration, RegistrationEvent, Training, TrainingSession,
)
from occe_bureau.trainings.participants import coop_label, participant_name
from occe_bureau.validation import ValidationError


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    participant_id: int
    name: str
    email: str
    coop: str
    status: RegistrationStatus
    queue_number: int
    registered_on: date
    cancelled_on: date | None
    waiting_rank: int | None   # 1 for the first waiting, None when not waiting

    @property
    def status_label(self) -> str:
        if self.status == RegistrationStatus.WAITING:
            return f"En attente ({self.waiting_rank}ᵉ)" if self.waiting_rank != 1 else "En attente (1ʳᵉ)"
        if self.status == RegistrationStatus.CANCELLED and self.cancelled_on:
            return f"Annulé le {format_date(self.cancelled_on)}"
        return self.status.label


@dataclass(frozen=True)
class Offer:
    """A free place, and the first person waiting for it."""

    registration_id: int
    name: str
    target: str          # "la session du 05/10/2025" or "le parcours « … »"


@dataclass(frozen=True)
class Registered:
    id: int
    status: RegistrationStatus
    waiting_rank: int | None


def _target(session, training_id: int, session_id: int | None) -> tuple[Training, list[TrainingSession]]:
    training = load_training(session, training_id)
    if training.is_course:
        if session_id is not None:
            raise ValidationError({"session": "Ce parcours se suit en entier : l'inscription vaut "
                                              "pour toutes ses sessions."})
        sessions = list(session.scalars(select(TrainingSession).where(
            TrainingSession.training_id == training_id, TrainingSession.cancelled.is_(False))))
        if not sessions:
            raise ValidationError({"session": "Ce parcours n'a encore aucune session."})
        return training, sessions
    if session_id is None:
        raise ValidationError({"session": "Choisissez la session."})
    s = session.get(TrainingSession, session_id)
    if s is None or s.training_id != training_id:
        raise ValidationError({"session": "Cette session n'existe plus."})
    if s.cancelled:
        raise ValidationError({"session": "Cette session est annulée."})
    return training, [s]


def _of_target(query, training_id: int, session_id: int | None):
    query = query.where(Registration.training_id == training_id)
    if session_id is None:
        return query.where(Registration.session_id.is_(None))
    return query.where(Registration.session_id == session_id)


def _count(session, training_id: int, session_id: int | None, status: RegistrationStatus) -> int:
    return session.scalar(_of_target(select(func.count()).select_from(Registration), training_id,
                                     session_id).where(Registration.status == status.value)) or 0


def _target_label(training: Training, sessions: list[TrainingSession]) -> str:
    if training.is_course:
        return f"le parcours « {training.title} »"
    return f"la session du {format_date(sessions[0].day)} (« {training.title} »)"


def _record(session, registration_id: int, kind: RegistrationEventKind, note: str = "") -> None:
    session.add(RegistrationEvent(registration_id=registration_id, kind=kind.value, note=note,
                                  at=clock.now()))


def register(db: Database, participant_id: int, training_id: int, session_id: int | None = None,
             today: date | None = None) -> Registered:
    """Register a person: a place if there is one, else the waiting list (at its end)."""
    today = today or clock.today()
    with db.transaction() as session:
        training, sessions = _target(session, training_id, session_id)
        person = session.get(Participant, participant_id)
        if person is None:
            raise ValidationError({"participant": "Cette personne n'existe plus."})
        twice = session.scalar(_of_target(select(Registration.status), training_id, session_id).where(
            Registration.participant_id == participant_id,
            Registration.status != RegistrationStatus.CANCELLED.value))
        if twice is not None:
            where = "sur la liste d'attente de" if twice == RegistrationStatus.WAITING else "inscrite à"
            raise ValidationError({"participant": f"{participant_name(person.last_name, person.first_name)} "
                                                  f"est déjà {where} {_target_label(training, sessions)}."})
        places = min(s.capacity for s in sessions)
        taken = _count(session, training_id, session_id, RegistrationStatus.REGISTERED)
        waiting = _count(session, training_id, session_id, RegistrationStatus.WAITING)
        status = RegistrationStatus.REGISTERED if taken < places and not waiting else RegistrationStatus.WAITING
        last = session.scalar(_of_target(select(func.max(Registration.queue_number)), training_id,
                                         session_id)) or 0
        r = Registration(training_id=training_id, session_id=session_id, participant_id=participant_id,
                         status=status.value, queue_number=last + 1, registered_on=today)
        session.add(r)
        session.flush()
        _record(session, r.id, RegistrationEventKind.REGISTERED if status == RegistrationStatus.REGISTERED
                else RegistrationEventKind.WAITING)
        return Registered(r.id, status, waiting + 1 if status == RegistrationStatus.WAITING else None)


def cancel_registration(db: Database, registration_id: int, today: date | None = None) -> Offer | None:
    """Cancel (the registration is kept); returns the offer to make if a place is now free and
    someone waits for it."""
    today = today or clock.today()
    with db.transaction() as session:
        r = _load(session, registration_id)
        if r.status == RegistrationStatus.CANCELLED:
            raise ValidationError({"registration": "Cette inscription est déjà annulée."})
        r.status = RegistrationStatus.CANCELLED.value
        r.cancelled_on = today
        _record(session, r.id, RegistrationEventKind.CANCELLED)
        session.flush()
        return _offer(session, r.training_id, r.session_id)


def pending_offer(db: Database, training_id: int, session_id: int | None = None) -> Offer | None:
    """The first person waiting, when a place is free for them; None otherwise."""
    with db.session() as session:
        return _offer(session, training_id, session_id)


def _offer(session, training_id: int, session_id: int | None) -> Offer | None:
    training = session.get(Training, training_id)
    if training is None:
        return None
    try:
        training, sessions = _target(session, training_id, session_id)
    except ValidationError:
        return None
    places = min(s.capacity for s in sessions)
    if _count(session, training_id, session_id, RegistrationStatus.REGISTERED) >= places:
        return None
    first = session.execute(_of_target(
        select(Registration.id, Participant.last_name, Participant.first_name)
        .join(Participant, Participant.id == Registration.participant_id), training_id, session_id)
        .where(Registration.status == RegistrationStatus.WAITING.value)
        .order_by(Registration.queue_number).limit(1)).first()
    if first is None:
        return None
    return Offer(first[0], participant_name(first[1], first[2]), _target_label(training, sessions))


def promote(db: Database, registration_id: int) -> None:
    """The secretary confirms the offer: the first person waiting takes the free place."""
    with db.transaction() as session:
        r = _load(session, registration_id)
        offer = _offer(session, r.training_id, r.session_id)
        if r.status != RegistrationStatus.WAITING:
            raise ValidationError({"registration": "Cette personne n'est pas sur la liste d'attente."})
        if offer is None:
            raise ValidationError({"registration": "Aucune place n'est libre."})
        if offer.registration_id != r.id:
            raise ValidationError({"registration": f"La place revient d'abord à {offer.name}, "
                                                   "premier sur la liste d'attente."})
        r.status = RegistrationStatus.REGISTERED.value
        _record(session, r.id, RegistrationEventKind.PROMOTED,
                note=f"Place libre proposée et confirmée le {format_date(clock.today())}")


def _load(session, registration_id: int) -> Registration:
    r = session.get(Registration, registration_id)
    if r is None:
        raise ValidationError({"registration": "Cette inscription n'existe plus."})
    return r


def list_registrations(db: Database, training_id: int, session_id: int | None = None,
                       *, with_cancelled: bool = True) -> list[RegistrationRow]:
    """The people of a session (or a course): those with a place, then the waiting list in its
    order, then the cancelled."""
    query = _of_target(
        select(Registration.id, Registration.participant_id, Participant.last_name,
               Participant.first_name, Participant.email, Coop.name, Coop.number,
               Registration.status, Registration.queue_number, Registration.registered_on,
               Registration.cancelled_on)
        .join(Participant, Participant.id == Registration.participant_id)
        .outerjoin(Coop, Coop.id == Participant.coop_id), training_id, session_id)
    if not with_cancelled:
        query = query.where(Registration.status != RegistrationStatus.CANCELLED.value)
    order = {RegistrationStatus.REGISTERED: 0, RegistrationStatus.WAITING: 1, RegistrationStatus.CANCELLED: 2}
    with db.session() as session:
        raw = session.execute(query.order_by(Registration.queue_number)).all()
    rows, rank = [], 0
    for r in sorted(raw, key=lambda r: (order[RegistrationStatus(r[7])], r[8])):
        status = RegistrationStatus(r[7])
        rank += status == RegistrationStatus.WAITING
        rows.append(RegistrationRow(r[0], r[1], participant_name(r[2], r[3]), r[4], coop_label(r[5], r[6]),
                                    status, r[8], r[9], r[10],
                                    rank if status == RegistrationStatus.WAITING else None))
    return rows


@dataclass(frozen=True)
class EventLine:
    at: object
    kind: RegistrationEventKind
    note: str


def registration_events(db: Database, registration_id: int) -> list[EventLine]:
    with db.session() as session:
        return [EventLine(at, RegistrationEventKind(kind), note) for at, kind, note in session.execute(
            select(RegistrationEvent.at, RegistrationEvent.kind, RegistrationEvent.note)
            .where(RegistrationEvent.registration_id == registration_id)
            .order_by(RegistrationEvent.id))]
