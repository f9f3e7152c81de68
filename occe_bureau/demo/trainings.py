"""Demo trainings: the OCCE 92 report's year, the year before, and the year under way.

The last closed school year (relative to `today`) reproduces the report: nine 2-hour sessions
for mandataires (five in September–October, in person and by video, with 100 teachers; four in
March–June with 54 others: 154), THEA, a 9-hour theatre course with 8 teachers, "Réaliser un
film avec sa classe", 6 hours on three dates with 17 teachers, then cooperative games, l'école
dehors, new school heads, pre-cinema and cooperative councils. The year before is shaped alike;
the year under way has its past sessions with their attendance, its coming ones with their
registrations and waiting lists, the theatre day of 4 February and the partnership day of 7 May
(OCCE 84). About 65 sessions and 700 registrations a year; scale 10 repeats each training in
ten groups (≈ 2 000 sessions, 20 000 registrations).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import insert, select

from occe_bureau import clock
from occe_bureau.coops import Coop
from occe_bureau.db import Database
from occe_bureau.demo.coops import FIRST_NAMES, LAST_NAMES
from occe_bureau.formats import fold, school_year_of
from occe_bureau.trainings import (
    HalfDay, Presence, RegistrationEventKind, RegistrationStatus, SessionMode, half_days,
)
from occe_bureau.trainings.models import (
    Attendance, Participant, Registration, RegistrationEvent, Training, TrainingSession,
    TrainingTheme,
)

MORE_LAST = ["Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Chevalier",
             "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
             "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Diallo",
             "Nowak", "Nguyễn", "Øster", "Yılmaz", "Łukaszewicz"]
PARTICIPANTS_PER_SCALE = 1200
PLACE = "OCCE 92, 12 rue des Écoles, 92000 Nanterre"
LINK = "https://visio.occe92.example.org/formation"

MANDATAIRES = "Comptabilité et juridique pour les mandataires"


@dataclass
class Plan:
    """One training to write: its sessions (day, start, end, mode, capacity) and its people."""

    title: str
    theme: str
    course: bool = False
    trainers: str = "Claire Dubois (animatrice)"
    partner: str = ""
    on_plan: bool = False
    audience: str = "Enseignants du premier degré"
    what_to_bring: str = ""
    sessions: list[tuple] = field(default_factory=list)
    # per session (or one list for a course): (participant index, status, presence or None)
    people: list[list[tuple[int, str, str | None]]] = field(default_factory=list)


def _wednesday(day: date) -> date:
    return day + timedelta(days=(2 - day.weekday()) % 7)


class People:
    """Participant indexes, drawn without repeat inside a year (distinct teachers)."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng = rng
        self.count = count
        self.free = list(range(count))
        rng.shuffle(self.free)

    def take(self, n: int) -> list[int]:
        taken, self.free = self.free[:n], self.free[n:]
        return taken

    def any(self, n: int) -> list[int]:
        return self.rng.sample(range(self.count), n)


def _seats(present: list[int], absent: list[int], excused: list[int] = (), waiting: list[int] = (),
           held: bool = True) -> list[tuple[int, str, str | None]]:
    seats = [(p, RegistrationStatus.REGISTERED.value, Presence.PRESENT.value if held else None) for p in present]
    seats += [(p, RegistrationStatus.REGISTERED.value, Presence.ABSENT.value if held else None) for p in absent]
    seats += [(p, RegistrationStatus.REGISTERED.value, Presence.EXCUSED.value if held else None) for p in excused]
    seats += [(p, RegistrationStatus.WAITING.value, None) for p in waiting]
    return seats


def _report_year(year: int, people: People, rng: random.Random, today: date, exact: bool) -> list[Plan]:
    """The report's trainings of one school year (exact: the report's figures to the teacher)."""
    plans = []
    held = lambda day: day <= today  # noqa: E731
    # Nine 2-hour sessions for mandataires: 5 in Sept–Oct (100 teachers), 4 in March–June (54).
    autumn_counts = [20] * 5 if exact else [rng.randint(15, 22) for _ in range(5)]
    spring_counts = [14, 14, 13, 13] if exact else [rng.randint(10, 15) for _ in range(4)]
    autumn = Plan("Nouveaux mandataires : prendre en main la coopérative", MANDATAIRES,
                  partner="DSDEN 92", on_plan=True, audience="Nouveaux mandataires",
                  what_to_bring="Le cahier de comptes et le dernier relevé bancaire de la coopérative.")
    modes = [SessionMode.BOTH, SessionMode.VIDEO, SessionMode.IN_PERSON, SessionMode.VIDEO, SessionMode.BOTH]
    for i, n in enumerate(autumn_counts):
        day = _wednesday(date(year, 9, 17) + timedelta(days=9 * i))
        autumn.sessions.append((day, time(17, 0), time(19, 0), modes[i], 25))
        autumn.people.append(_seats(people.take(n), people.take(2), held=held(day)))
    spring = Plan("Mandataires : clôture des comptes et compte rendu financier", MANDATAIRES,
                  partner="DSDEN 92", on_plan=True, audience="Mandataires")
    for i, n in enumerate(spring_counts):
        day = _wednesday(date(year + 1, 3 + i, 10))
        spring.sessions.append((day, time(17, 0), time(19, 0),
                                SessionMode.IN_PERSON if i % 2 == 0 else SessionMode.VIDEO, 20))
        spring.people.append(_seats(people.take(n), people.take(1), held=held(day)))
    plans += [autumn, spring]
    # THEA: a 9-hour theatre course (three mornings of 3 hours), 8 teachers.
    thea = Plan("THEA – théâtre à l'école", "Théâtre", course=True, partner="DSDEN 92", on_plan=True,
                trainers="Compagnie du Petit Théâtre, Claire Dubois",
                what_to_bring="Une tenue souple.")
    for i in range(3):
        thea.sessions.append((_wednesday(date(year, 11, 5) + timedelta(days=35 * i)), time(9, 0),
                              time(12, 0), SessionMode.IN_PERSON, 12))
    thea.people.append(_seats(people.take(8 if exact else rng.randint(6, 10)), people.take(1),
                              held=held(thea.sessions[0][0])))
    # "Réaliser un film avec sa classe": 6 hours on three dates, 17 teachers.
    film = Plan("Réaliser un film avec sa classe", "Cinéma", course=True, partner="Canopé",
                trainers="Julien Petit (animateur)", what_to_bring="Un smartphone ou une tablette chargés.")
    for i in range(3):
        film.sessions.append((_wednesday(date(year + 1, 1, 8) + timedelta(days=21 * i)), time(14, 0),
                              time(16, 0), SessionMode.IN_PERSON, 18))
    film.people.append(_seats(people.take(17 if exact else rng.randint(12, 18)), [],
                              held=held(film.sessions[0][0])))
    plans += [thea, film]
    plans += _other_trainings(year, people, rng, today)
    return plans


def _other_trainings(year: int, people: People, rng: random.Random, today: date) -> list[Plan]:
    """The trainings the report names without figures: about fifty sessions a year."""
    specs = [
        ("Jeux coopératifs en classe", "Jeux coopératifs", 12, (14, 0), (17, 0), ""),
        ("L'école dehors : apprendre dehors toute l'année", "École dehors", 10, (9, 0), (16, 0), "Canopé"),
        ("Le conseil de coopérative", "Autre", 12, (17, 0), (19, 0), ""),
        ("Nouveaux directeurs d'école : la coopérative scolaire", "Autre", 6, (9, 0), (12, 0), "DSDEN 92"),
        ("Précinéma : jouets optiques et cinéma d'animation", "Cinéma", 6, (14, 0), (17, 0), "Canopé"),
    ]
    plans = []
    for title, theme, count, start, end, partner in specs:
        plan = Plan(title, theme, partner=partner, on_plan=bool(partner),
                    what_to_bring="Des vêtements adaptés à la météo." if theme == "École dehors" else "")
        for i in range(count):
            day = _wednesday(date(year, 9, 24) + timedelta(days=rng.randint(0, 260)))
            capacity = rng.choice([10, 12, 15])
            mode = SessionMode.IN_PERSON if theme != "Autre" else rng.choice(list(SessionMode))
            plan.sessions.append((day, time(*start), time(*end), mode, capacity))
            wanted = rng.randint(capacity - 6, capacity + 3)
            seated = min(wanted, capacity)
            held = day <= today
            absent = rng.randint(0, 2) if held else 0
            excused = rng.randint(0, 1) if held else 0
            chosen = people.any(wanted)
            plan.people.append(_seats(chosen[:seated - absent - excused],
                                      chosen[seated - absent - excused:seated - excused],
                                      chosen[seated - excused:seated], chosen[seated:], held=held))
        plans.append(plan)
    return plans


def _days_of_84(year: int, people: People, today: date) -> list[Plan]:
    """OCCE 84: a theatre day on 4 February and a partnership day on 7 May."""
    plans = []
    for title, theme, day, partner in (
            ("Journée théâtre", "Théâtre", date(year + 1, 2, 4), "DSDEN"),
            ("Journée partenariale OCCE – UNSA", "Autre", date(year + 1, 5, 7), "UNSA")):
        plan = Plan(title, theme, partner=partner, on_plan=True)
        plan.sessions.append((day, time(9, 0), time(16, 30), SessionMode.IN_PERSON, 30))
        held = day <= today
        chosen = people.any(34)
        plan.people.append(_seats(chosen[:26], chosen[26:28], chosen[28:30], chosen[30:] if not held else [],
                                  held=held))
        plans.append(plan)
    return plans


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    current = school_year_of(today)
    now = clock.now()
    with db.transaction() as session:
        themes = {name: tid for tid, name in session.execute(select(TrainingTheme.id, TrainingTheme.name))}
        coops = [cid for cid, in session.execute(select(Coop.id).where(Coop.archived.is_(False)).order_by(Coop.id))]
        count = PARTICIPANTS_PER_SCALE * scale
        firsts, lasts = FIRST_NAMES, LAST_NAMES + MORE_LAST
        rows = []
        for n in range(count):
            first, last = rng.choice(firsts), rng.choice(lasts)
            email = f"{fold(first).replace(' ', '')}.{fold(last).replace(' ', '')}{n}@ac-versailles.fr"
            rows.append(dict(last_name=last, first_name=first, email=email,
                             coop_id=rng.choice(coops) if coops and rng.random() < 0.8 else None,
                             name_key=fold(f"{last} {first}"), search_key=fold(f"{last} {first} {email}"),
                             created_at=now, updated_at=now))
        pids = list(session.execute(insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                                    rows).scalars())
        for year in (current - 2, current - 1, current):
            for group in range(scale):
                people = People(rng, count)
                plans = _report_year(year, people, rng, today, exact=year == current - 1)
                if year == current:
                    plans += _days_of_84(year, people, today)
                for plan in plans:
                    _write(session, plan, themes, pids, group, scale, today, now)


def _write(session, plan: Plan, themes: dict, pids: list[int], group: int, scale: int,
           today: date, now) -> None:
    title = plan.title + (f" (groupe {group + 1})" if scale > 1 else "")
    training = Training(title=title, theme_id=themes[plan.theme], audience=plan.audience,
                        description="", trainers=plan.trainers, partner=plan.partner,
                        on_departmental_plan=plan.on_plan, is_course=plan.course,
                        what_to_bring=plan.what_to_bring, created_at=now, updated_at=now)
    session.add(training)
    session.flush()
    sessions = []
    for day, start, end, mode, capacity in plan.sessions:
        s = TrainingSession(training_id=training.id, day=day, start_time=start, end_time=end, mode=mode.value,
                            place=PLACE if mode.has_place else "", video_link=LINK if mode.has_link else "",
                            capacity=capacity, created_at=now, updated_at=now)
        session.add(s)
        sessions.append(s)
    session.flush()
    first_day = min(s.day for s in sessions)
    targets = [(None, plan.people[0], sessions)] if plan.course else [
        (s.id, seats, [s]) for s, seats in zip(sessions, plan.people, strict=True)]
    regs, marks = [], []
    for session_id, seats, attended in targets:
        for number, (index, status, presence) in enumerate(seats, start=1):
            regs.append(dict(training_id=training.id, session_id=session_id, participant_id=pids[index],
                             status=status, queue_number=number,
                             registered_on=first_day - timedelta(days=30 - number % 20),
                             cancelled_on=None, created_at=now))
            if presence is None:
                continue
            for s in attended:
                if s.day > today:
                    continue
                for half in half_days(s.start_time, s.end_time):
                    marks.append(dict(session_id=s.id, participant_id=pids[index], half_day=HalfDay(half).value,
                                      presence=presence, updated_at=now))
    if regs:
        ids = list(session.execute(insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
                                   regs).scalars())
        session.execute(insert(RegistrationEvent), [
            dict(registration_id=rid, note="",
                 kind=(RegistrationEventKind.REGISTERED if r["status"] == RegistrationStatus.REGISTERED
                       else RegistrationEventKind.WAITING).value, at=now)
            for rid, r in zip(ids, regs, strict=True)])
    if marks:
        session.execute(insert(Attendance), marks)
