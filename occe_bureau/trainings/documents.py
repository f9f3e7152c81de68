"""From the records to the printed documents' plain types (papers.py): a session's paper, the
attendance sheet, the certificates (one PDF for a whole course), the invitation and its
calendar file. The layout modules (sheet_pdf, certificate_pdf, invitation_pdf, calendar_file)
are imported when a document is made, so that importing the trainings does not load ReportLab."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from occe_bureau import clock
from occe_bureau.association import get_association, letterhead
from occe_bureau.db import Database
from occe_bureau.formats import format_date
from occe_bureau.trainings.attendance import holders
from occe_bureau.trainings.enums import Presence, RegistrationStatus, SessionMode
from occe_bureau.trainings.hours import half_days, minutes_attended, minutes_between
from occe_bureau.trainings.models import (
    Attendance, Participant, Registration, Training, TrainingSession, TrainingTheme,
)
from occe_bureau.trainings.papers import (
    AttendanceSheet, Certificate, HalfDay, Invitation, SessionPaper, SheetRow,
)
from occe_bureau.trainings.participants import coop_label, participant_name
from occe_bureau.trainings.sessions import load_session
from occe_bureau.validation import ValidationError


def paper_of(s: TrainingSession, training: Training, theme: str, label: str = "") -> SessionPaper:
    mode = SessionMode(s.mode)
    return SessionPaper(
        training_title=training.title, theme_label=theme, day=s.day, start=s.start_time,
        end=s.end_time, half_days=half_days(s.start_time, s.end_time),
        place=s.place if mode.has_place else "", video_link=s.video_link if mode.has_link else "",
        trainers=training.trainers, partner=training.partner, what_to_bring=training.what_to_bring,
        uid=f"session-{s.id}@occe-bureau", session_label=label)


def course_label(session, training: Training, s: TrainingSession) -> str:
    """"Séance 2 sur 3" for a session of a course (its place among the course's sessions by
    date), "" otherwise."""
    if not training.is_course:
        return ""
    ids = [x.id for x in _course_sessions(session, training.id)]
    return f"Séance {ids.index(s.id) + 1} sur {len(ids)}" if s.id in ids else ""


def _theme(session, training: Training) -> str:
    return session.scalar(select(TrainingTheme.name).where(TrainingTheme.id == training.theme_id)) or ""


def session_paper(db: Database, session_id: int) -> SessionPaper:
    with db.session() as session:
        s = load_session(session, session_id)
        training = session.get(Training, s.training_id)
        return paper_of(s, training, _theme(session, training), course_label(session, training, s))


def attendance_sheet(db: Database, session_id: int) -> AttendanceSheet:
    """One line per person holding a place, sorted by name, with their coop."""
    head = letterhead(db)
    with db.session() as session:
        s = load_session(session, session_id)
        training = session.get(Training, s.training_id)
        rows = tuple(SheetRow(participant_name(last, first), coop_label(cname, cnum))
                     for _pid, last, first, cname, cnum in holders(session, training, session_id))
        return AttendanceSheet(paper_of(s, training, _theme(session, training),
                                        course_label(session, training, s)), rows, head)


def _course_sessions(session, training_id: int) -> list[TrainingSession]:
    return list(session.scalars(select(TrainingSession).where(
        TrainingSession.training_id == training_id, TrainingSession.cancelled.is_(False))
        .order_by(TrainingSession.day, TrainingSession.start_time)))


def certificates(db: Database, training_id: int, session_id: int | None = None,
                 today: date | None = None) -> list[Certificate]:
    """The certificates of attendance of a session, or (a course, session_id None) of the whole
    course: one per person present at least one half-day, with the dates and the minutes
    actually attended (trainings/hours.py), signed by the president."""
    today = today or clock.today()
    head = letterhead(db)
    city = get_association(db).city
    place_and_date = (f"Fait à {city}, le {format_date(today)}" if city
                      else f"Fait le {format_date(today)}")
    with db.session() as session:
        training = session.get(Training, training_id)
        if training is None:
            raise ValidationError({"training": "Cette formation n'existe plus."})
        sessions = _course_sessions(session, training_id)
        if session_id is not None:
            sessions = [s for s in sessions if s.id == session_id]
        by_id = {s.id: s for s in sessions}
        present: dict[int, dict[int, set[HalfDay]]] = {}
        for pid, sid, half_day in session.execute(
                select(Attendance.participant_id, Attendance.session_id, Attendance.half_day)
                .where(Attendance.session_id.in_(list(by_id)) if by_id else Attendance.id < 0,
                       Attendance.presence == Presence.PRESENT.value)):
            present.setdefault(pid, {}).setdefault(sid, set()).add(HalfDay(half_day))
        people = {pid: (last, first, coop_label(cname, cnum)) for pid, last, first, cname, cnum in
                  _people(session, training, session_id)}
    course_minutes = sum(minutes_between(s.start_time, s.end_time) for s in sessions)
    certs = []
    for pid, (last, first, coop) in sorted(people.items(), key=lambda kv: (kv[1][0].casefold(),
                                                                            kv[1][1].casefold(), kv[0])):
        attended = present.get(pid, {})
        minutes = sum(minutes_attended(by_id[sid].start_time, by_id[sid].end_time, halves)
                      for sid, halves in attended.items())
        if not minutes:
            continue
        certs.append(Certificate(
            participant=participant_name(last, first), coop=coop, training_title=training.title,
            days=tuple(sorted(by_id[sid].day for sid in attended)), minutes_attended=minutes,
            course_minutes=course_minutes, place_and_date=place_and_date, letterhead=head))
    return certs


def _people(session, training: Training, session_id: int | None):
    from occe_bureau.coops import Coop

    query = (select(Participant.id, Participant.last_name, Participant.first_name, Coop.name, Coop.number)
             .join(Registration, Registration.participant_id == Participant.id)
             .outerjoin(Coop, Coop.id == Participant.coop_id)
             .where(Registration.training_id == training.id,
                    Registration.status == RegistrationStatus.REGISTERED.value))
    if session_id is not None and not training.is_course:
        query = query.where(Registration.session_id == session_id)
    return session.execute(query).all()


def invitation(db: Database, registration_id: int) -> Invitation:
    """The invitation of a registration: its session, or every session of its course."""
    head = letterhead(db)
    with db.session() as session:
        r = session.get(Registration, registration_id)
        if r is None:
            raise ValidationError({"registration": "Cette inscription n'existe plus."})
        if r.status != RegistrationStatus.REGISTERED:
            raise ValidationError({"registration": "Convocation : cette personne n'a pas de place "
                                                   "(liste d'attente ou inscription annulée)."})
        training = session.get(Training, r.training_id)
        theme = _theme(session, training)
        sessions = (_course_sessions(session, training.id) if r.session_id is None
                    else [load_session(session, r.session_id)])
        person = session.get(Participant, r.participant_id)
        return Invitation(participant=participant_name(person.last_name, person.first_name),
                          email=person.email, training_title=training.title,
                          sessions=tuple(paper_of(s, training, theme, course_label(session, training, s))
                                         for s in sessions),
                          letterhead=head)


# ---- the documents themselves (bytes) ---------------------------------------------------------

def attendance_sheet_pdf(db: Database, session_id: int) -> bytes:
    from occe_bureau.trainings import sheet_pdf

    return sheet_pdf.attendance_sheet_pdf(attendance_sheet(db, session_id))


def certificates_pdf(db: Database, training_id: int, session_id: int | None = None,
                     today: date | None = None) -> bytes:
    from occe_bureau.trainings import certificate_pdf

    certs = certificates(db, training_id, session_id, today)
    if not certs:
        raise ValidationError({"certificates": "Attestations : personne n'est noté présent ; "
                                               "relevez d'abord les présences."})
    return certificate_pdf.certificates_pdf(certs)


def invitation_letter_pdf(db: Database, registration_id: int) -> bytes:
    """The invitation as a PDF (named apart from the invitation_pdf module, whose import would
    take its name on the package)."""
    from occe_bureau.trainings.invitation_pdf import invitation_pdf as lay_out

    return lay_out(invitation(db, registration_id))


def invitation_calendar(db: Database, registration_id: int) -> bytes:
    """The .ics saved beside the invitation: one event per session."""
    from occe_bureau.trainings import calendar_file

    inv = invitation(db, registration_id)
    a = get_association(db)
    return calendar_file.calendar_file(inv.sessions, a.name or "OCCE", a.email or "")
