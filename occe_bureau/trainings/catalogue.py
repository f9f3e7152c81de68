"""Trainings: their details, checks, and the list the tab shows (with each training's sessions
and registrations counted in the same query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, func, or_, select

from occe_bureau import clock, versions
from occe_bureau.db import Database
from occe_bureau.formats import fold, school_year_bounds
from occe_bureau.trainings.enums import RegistrationStatus
from occe_bureau.trainings.models import Registration, Training, TrainingSession, TrainingTheme
from occe_bureau.validation import Checker, ValidationError


@dataclass
class TrainingData:
    title: str = ""
    theme_id: int | None = None
    audience: str = ""
    description: str = ""
    trainers: str = ""
    partner: str = ""
    on_departmental_plan: bool = False
    is_course: bool = False
    what_to_bring: str = ""
    version: int | None = None  # as the form opened it (occe_bureau/versions.py)


@dataclass(frozen=True)
class TrainingRow:
    id: int
    title: str
    theme: str
    partner: str
    on_departmental_plan: bool
    is_course: bool
    sessions: int
    first_day: date | None
    last_day: date | None
    registered: int
    waiting: int

    @property
    def kind_label(self) -> str:
        return "Parcours" if self.is_course else "Sessions"


def check_training(session, data: TrainingData) -> TrainingData:
    c = Checker()
    clean = TrainingData(
        title=c.text("title", "Intitulé", data.title, max_length=200, required=True),
        theme_id=data.theme_id,
        audience=c.text("audience", "Public", data.audience, max_length=200),
        description=c.text("description", "Description", data.description, max_length=4000,
                           multiline=True),
        trainers=c.text("trainers", "Formateurs", data.trainers, max_length=300),
        partner=c.text("partner", "Partenaire", data.partner, max_length=200),
        on_departmental_plan=bool(data.on_departmental_plan),
        is_course=bool(data.is_course),
        what_to_bring=c.text("what_to_bring", "À apporter", data.what_to_bring, max_length=1000,
                             multiline=True),
    )
    if data.theme_id is None or session.get(TrainingTheme, data.theme_id) is None:
        c.add("theme_id", "Thème : choisissez un thème dans la liste.")
    c.raise_if_any()
    return clean


def create_training(db: Database, data: TrainingData) -> int:
    with db.transaction() as session:
        clean = check_training(session, data)
        training = Training(**fields_of(clean))
        session.add(training)
        session.flush()
        return training.id


def fields_of(data: TrainingData) -> dict:
    """The training's columns a form sets (its version aside)."""
    return {name: value for name, value in vars(data).items() if name != "version"}


def update_training(db: Database, training_id: int, data: TrainingData, *,
                    version: int | None = None) -> None:
    """With the version the form opened (`TrainingData.version`), a training changed since is
    refused with StaleRecord, and nothing is written."""
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Training, training_id, version, what="Cette formation")
        training = load_training(session, training_id)
        clean = check_training(session, data)
        has_registrations = session.scalar(select(func.count()).select_from(Registration).where(
            Registration.training_id == training_id)) > 0
        if has_registrations and clean.is_course != training.is_course:
            raise ValidationError({"is_course": "Parcours : des personnes sont déjà inscrites ; "
                                                "on ne peut plus passer d'inscriptions par session "
                                                "à un parcours, ni l'inverse."})
        for name, value in fields_of(clean).items():
            setattr(training, name, value)
        training.updated_at = clock.now()


def load_training(session, training_id: int) -> Training:
    training = session.get(Training, training_id)
    if training is None:
        raise ValidationError({"training": "Cette formation n'existe plus."})
    return training


def get_training(db: Database, training_id: int) -> TrainingData:
    with db.session() as session:
        training = load_training(session, training_id)
        return TrainingData(**{name: getattr(training, name) for name in TrainingData.__dataclass_fields__})


def list_trainings(db: Database, school_year: int | None = None, search: str = "") -> list[TrainingRow]:
    """The trainings with a session in the school year (and those without any session yet),
    or all of them (school_year None); `search` matches the title, theme and partner."""
    sessions = (select(TrainingSession.training_id, func.count().label("n"),
                       func.min(TrainingSession.day).label("first"),
                       func.max(TrainingSession.day).label("last"))
                .where(TrainingSession.cancelled.is_(False)))
    if school_year is not None:
        start, end = school_year_bounds(school_year)
        sessions = sessions.where(TrainingSession.day.between(start, end))
    sessions = sessions.group_by(TrainingSession.training_id).subquery()
    counts = (select(Registration.training_id,
                     func.sum(func.cast(Registration.status == RegistrationStatus.REGISTERED.value,
                                        Integer())).label("registered"),
                     func.sum(func.cast(Registration.status == RegistrationStatus.WAITING.value,
                                        Integer())).label("waiting"))
              .group_by(Registration.training_id).subquery())
    query = (select(Training.id, Training.title, TrainingTheme.name, Training.partner,
                    Training.on_departmental_plan, Training.is_course,
                    func.coalesce(sessions.c.n, 0), sessions.c.first, sessions.c.last,
                    func.coalesce(counts.c.registered, 0), func.coalesce(counts.c.waiting, 0))
             .join(TrainingTheme, TrainingTheme.id == Training.theme_id)
             .outerjoin(sessions, sessions.c.training_id == Training.id)
             .outerjoin(counts, counts.c.training_id == Training.id)
             .where(Training.archived.is_(False)))
    if school_year is not None:
        any_session = select(TrainingSession.id).where(TrainingSession.training_id == Training.id).exists()
        query = query.where(or_(sessions.c.n.is_not(None), ~any_session))
    rows = []
    words = fold(search).split()
    with db.session() as session:
        for r in session.execute(query.order_by(sessions.c.first, Training.title)):
            row = TrainingRow(*r)
            if words:
                text = fold(" ".join((row.title, row.theme, row.partner)))
                if not all(w in text for w in words):
                    continue
            rows.append(row)
    return rows
