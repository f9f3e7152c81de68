"""Participants: the teachers who train, linked to their school's coop when they have one.

Found again by name and e-mail, never entered twice:
- the same name (folded: accents and case aside) and the same e-mail, or the same name where
  one of the two has no e-mail: that person, no question (`same`);
- the same name with another e-mail (`namesakes`), or a near spelling of the name, or the same
  e-mail under another name (`similar`): the secretary is asked, as for donors.

Names print exactly as typed ("<b>Dupont</b>", "=1+1" included): they are escaped on the
documents and neutralised in spreadsheets, not refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import false, func, or_, select

from occe_bureau import clock, versions
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.formats import fold
from occe_bureau.likeness import likeness
from occe_bureau.trainings.enums import Presence, RegistrationStatus
from occe_bureau.trainings.models import (
    Attendance, Participant, Registration, Training, TrainingSession,
)
from occe_bureau.validation import Checker, ValidationError


@dataclass
class ParticipantData:
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    coop_id: int | None = None


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    last_name: str
    first_name: str
    email: str
    coop_id: int | None
    coop: str
    version: int = 1  # as read: a form hands it back on saving (occe_bureau/versions.py)

    @property
    def name(self) -> str:
        return participant_name(self.last_name, self.first_name)


@dataclass
class KnownParticipants:
    same: int | None = None
    namesakes: list[ParticipantRow] = field(default_factory=list)
    similar: list[ParticipantRow] = field(default_factory=list)

    @property
    def asks(self) -> bool:
        return self.same is None and bool(self.namesakes or self.similar)


@dataclass(frozen=True)
class HistoryLine:
    training: str
    day: date
    times: str
    status: str          # Inscrit, En attente, Annulé
    attended: str        # "Présent", "Absent", "Présent le matin", "" (not taken yet)


def participant_name(last_name: str, first_name: str) -> str:
    return " ".join(p for p in (last_name, first_name) if p)


def coop_label(name: str | None, number: str | None) -> str:
    return f"{name} ({number})" if name else ""


def name_key(last_name: str, first_name: str) -> str:
    return fold(f"{last_name} {first_name}")


def check_participant(db_session, data: ParticipantData) -> ParticipantData:
    c = Checker()
    clean = ParticipantData(
        last_name=c.text("last_name", "Nom", data.last_name, max_length=100, required=True),
        first_name=c.text("first_name", "Prénom", data.first_name, max_length=100, required=True),
        email=c.email("email", "E-mail", data.email),
        coop_id=data.coop_id,
    )
    if data.coop_id is not None and db_session.get(Coop, data.coop_id) is None:
        c.add("coop_id", "Coopérative : cette coopérative n'existe plus.")
    c.raise_if_any()
    return clean


_COLUMNS = (Participant.id, Participant.last_name, Participant.first_name, Participant.email,
            Participant.coop_id, Coop.name, Coop.number, Participant.version)


def _row(r) -> ParticipantRow:
    return ParticipantRow(r[0], r[1], r[2], r[3], r[4], coop_label(r[5], r[6]), r[7])


def _select():
    return select(*_COLUMNS).outerjoin(Coop, Coop.id == Participant.coop_id)


def known_participants(db_session, data: ParticipantData) -> KnownParticipants:
    key = name_key(data.last_name, data.first_name)
    email = data.email.strip().lower()
    namesakes = [_row(r) for r in db_session.execute(
        _select().where(Participant.name_key == key).order_by(Participant.id))]
    for row in namesakes:
        if not email or not row.email or row.email.lower() == email:
            return KnownParticipants(same=row.id)
    if namesakes:
        return KnownParticipants(namesakes=namesakes)
    query = _select().add_columns(Participant.name_key).where(or_(
        Participant.name_key.startswith(key[:3]),
        func.lower(Participant.email) == email if email else false())).limit(5000)
    found = []
    for r in db_session.execute(query):
        ratio = likeness(key, r[-1])
        if email and r[3].lower() == email:
            ratio = max(ratio or 0.0, 0.99)
        if ratio is not None:
            found.append((ratio, _row(r)))
    found.sort(key=lambda t: (-t[0], t[1].id))
    return KnownParticipants(similar=[row for _, row in found[:5]])


def find_participant(db: Database, data: ParticipantData) -> KnownParticipants:
    """The known participants these details match (checked first: a bad field is named)."""
    with db.session() as session:
        clean = check_participant(session, data)
        return known_participants(session, clean)


def create_participant(db: Database, data: ParticipantData, *, new_person_ok: bool = False) -> int:
    """A new participant; the same person already known is given back, never entered twice;
    a namesake or near spelling is refused unless the secretary said it is someone else."""
    with db.transaction() as session:
        clean = check_participant(session, data)
        known = known_participants(session, clean)
        if known.same is not None:
            p = session.get(Participant, known.same)
            if clean.email and not p.email:
                p.email = clean.email
            if clean.coop_id and not p.coop_id:
                p.coop_id = clean.coop_id
            _keys(p)
            return known.same
        if known.asks and not new_person_ok:
            like = (known.namesakes or known.similar)[0]
            raise ValidationError({"last_name": f"Nom : une personne proche est déjà connue "
                                                f"(« {like.name} », {like.email or 'sans e-mail'}) : "
                                                "est-ce la même ?"})
        p = Participant(**vars(clean))
        _keys(p)
        session.add(p)
        session.flush()
        return p.id


def update_participant(db: Database, participant_id: int, data: ParticipantData, *,
                       version: int | None = None) -> None:
    """With the version read (`ParticipantRow.version`), a person changed since is refused
    with StaleRecord, and nothing is written."""
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Participant, participant_id, version, what="Cette personne")
        p = session.get(Participant, participant_id)
        if p is None:
            raise ValidationError({"last_name": "Cette personne n'existe plus."})
        clean = check_participant(session, data)
        for name, value in vars(clean).items():
            setattr(p, name, value)
        _keys(p)


def _keys(p: Participant) -> None:
    p.name_key = name_key(p.last_name, p.first_name)[:220]
    p.search_key = fold(" ".join(x for x in (p.last_name, p.first_name, p.email) if x))[:600]
    p.updated_at = clock.now()


def get_participant(db: Database, participant_id: int) -> ParticipantRow:
    with db.session() as session:
        r = session.execute(_select().where(Participant.id == participant_id)).first()
        if r is None:
            raise ValidationError({"participant": "Cette personne n'existe plus."})
        return _row(r)


def search_participants(db: Database, text: str, limit: int = 50) -> list[ParticipantRow]:
    query = _select()
    for word in fold(text).split():
        query = query.where(Participant.search_key.contains(word))
    with db.session() as session:
        return [_row(r) for r in session.execute(
            query.order_by(Participant.name_key).limit(limit))]


def participant_history(db: Database, participant_id: int) -> list[HistoryLine]:
    """What the person registered for (each session, those of a course one by one) and what
    they attended, newest first."""
    from occe_bureau.trainings.hours import time_label

    with db.session() as session:
        marks: dict[int, dict[str, str]] = {}
        for session_id, half_day, presence in session.execute(
                select(Attendance.session_id, Attendance.half_day, Attendance.presence)
                .where(Attendance.participant_id == participant_id)):
            marks.setdefault(session_id, {})[half_day] = presence
        rows = session.execute(
            select(Training.title, TrainingSession.id, TrainingSession.day,
                   TrainingSession.start_time, TrainingSession.end_time, Registration.status)
            .join(Training, Training.id == Registration.training_id)
            .join(TrainingSession, or_(TrainingSession.id == Registration.session_id,
                                       (Registration.session_id.is_(None))
                                       & (TrainingSession.training_id == Registration.training_id)))
            .where(Registration.participant_id == participant_id,
                   TrainingSession.cancelled.is_(False))
            .order_by(TrainingSession.day.desc(), TrainingSession.start_time.desc())).all()
    lines = []
    for title, session_id, day, start, end, status in rows:
        lines.append(HistoryLine(title, day, f"{time_label(start)} – {time_label(end)}",
                                 RegistrationStatus(status).label,
                                 attended_label(marks.get(session_id, {}))))
    return lines


def attended_label(marks: dict[str, str]) -> str:
    """"Présent", "Absent", "Excusé", or by half-day ("Matin : présent ; après-midi : absent")."""
    from occe_bureau.trainings.papers import HalfDay

    if not marks:
        return ""
    values = set(marks.values())
    if len(values) == 1:
        return Presence(values.pop()).label
    return " ; ".join(f"{HalfDay(h).label} : {Presence(p).label.lower()}"
                      for h, p in sorted(marks.items(), key=lambda kv: list(HalfDay).index(HalfDay(kv[0]))))
