"""The trainings on PostgreSQL (the several-workstations setup): the migration's tables, the
waiting list, attendance, the figures and the trainings list."""

from datetime import date, time

from occe_bureau import trainings
from occe_bureau.trainings import HalfDay, Presence, RegistrationStatus
from tests.core.trainings_helpers import coop, person, session, training


def test_registrations_attendance_and_figures_on_postgresql(pg_db_migrated):
    db = pg_db_migrated
    school = coop(db)
    t = training(db, course=True)
    sessions = [session(db, t, day=d, start=time(9, 0), end=time(16, 0), capacity=2)
                for d in (date(2025, 10, 1), date(2025, 11, 5))]
    people = [person(db, n, coop_id=school) for n in ("Adam", "Bernard", "Costa")]
    assert [trainings.register(db, p, t).status for p in people] == [
        RegistrationStatus.REGISTERED, RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    for s in sessions:
        trainings.record_attendance(db, s, {(people[0], HalfDay.MORNING): Presence.PRESENT,
                                            (people[1], HalfDay.AFTERNOON): Presence.PRESENT})
    f = trainings.year_figures(db, 2025).training("Réaliser un film avec sa classe")
    assert (f.sessions, f.minutes, f.registrations, f.teachers, f.coops) == (2, 840, 2, 2, 1)
    row = trainings.list_trainings(db, 2025)[0]
    assert (row.sessions, row.registered, row.waiting) == (2, 2, 1)
    assert [c.minutes_attended for c in trainings.certificates(db, t)] == [420, 420]
