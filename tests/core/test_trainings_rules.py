"""Trainings: capacity and the waiting list's order, promotion on cancellation, hours from the
times, distinct teachers across sessions, a course, attendance per half-day, and bad input."""

from datetime import date, time

import pytest

import dataclasses

from occe_bureau import safety, trainings, workstation
from occe_bureau.trainings import HalfDay, Presence, RegistrationStatus
from occe_bureau.validation import StaleRecord, ValidationError
from tests.core.trainings_helpers import coop, person, session, training

PAST = date(2026, 3, 4)


def statuses(db, training_id, session_id=None):
    return [(r.name, r.status, r.waiting_rank)
            for r in trainings.list_registrations(db, training_id, session_id)]


def test_capacity_then_the_waiting_list_in_its_order(db):
    t = training(db)
    s = session(db, t, capacity=2)
    people = [person(db, name) for name in ("Adam", "Bernard", "Costa", "Diallo")]
    results = [trainings.register(db, p, t, s) for p in people]
    assert [r.status for r in results] == [RegistrationStatus.REGISTERED] * 2 + [RegistrationStatus.WAITING] * 2
    assert [r.waiting_rank for r in results] == [None, None, 1, 2]
    assert statuses(db, t, s) == [("Adam Marie", "registered", None), ("Bernard Marie", "registered", None),
                                  ("Costa Marie", "waiting", 1), ("Diallo Marie", "waiting", 2)]
    row = next(r for r in trainings.list_sessions(db, t))
    assert (row.capacity, row.registered, row.waiting, row.free) == (2, 2, 2, 0)


def test_a_cancellation_offers_the_place_to_the_first_waiting_who_takes_it_when_confirmed(db):
    t = training(db)
    s = session(db, t, capacity=1)
    first, second, third = (person(db, n) for n in ("Adam", "Bernard", "Costa"))
    held = trainings.register(db, first, t, s).id
    waiting = [trainings.register(db, p, t, s).id for p in (second, third)]
    offer = trainings.cancel_registration(db, held)
    assert offer is not None and offer.registration_id == waiting[0] and offer.name == "Bernard Marie"
    # Until the secretary confirms, nothing moves, and the second waiting cannot jump the queue.
    assert statuses(db, t, s)[0] == ("Bernard Marie", "waiting", 1)
    with pytest.raises(ValidationError, match="revient d'abord à Bernard Marie"):
        trainings.promote(db, waiting[1])
    trainings.promote(db, waiting[0])
    assert statuses(db, t, s) == [("Bernard Marie", "registered", None), ("Costa Marie", "waiting", 1),
                                  ("Adam Marie", "cancelled", None)]
    kinds = [e.kind for e in trainings.registration_events(db, waiting[0])]
    assert kinds == [trainings.RegistrationEventKind.WAITING, trainings.RegistrationEventKind.PROMOTED]
    assert trainings.pending_offer(db, t, s) is None  # full again
    with pytest.raises(ValidationError, match="Aucune place"):
        trainings.promote(db, waiting[1])


def test_a_raised_capacity_offers_places_and_newcomers_queue_behind(db):
    t = training(db)
    s = session(db, t, capacity=1)
    a, b, c = (person(db, n) for n in ("Adam", "Bernard", "Costa"))
    trainings.register(db, a, t, s)
    wb = trainings.register(db, b, t, s)
    data = trainings.get_session(db, s)
    data.capacity = 3
    trainings.update_session(db, s, data)
    # A free place, but Bernard waits for it: Costa queues behind him.
    assert trainings.register(db, c, t, s).status == RegistrationStatus.WAITING
    assert trainings.pending_offer(db, t, s).registration_id == wb.id


def test_hours_from_the_times_and_half_days():
    assert trainings.minutes_between(time(14, 0), time(16, 0)) == 120
    assert trainings.minutes_between(time(9, 0), time(12, 0)) == 180
    assert trainings.hours_label(120) == "2 h" and trainings.hours_label(90) == "1 h 30"
    assert trainings.half_days(time(9, 0), time(12, 0)) == (HalfDay.MORNING,)
    assert trainings.half_days(time(17, 0), time(19, 0)) == (HalfDay.AFTERNOON,)
    assert trainings.half_days(time(9, 0), time(16, 0)) == (HalfDay.MORNING, HalfDay.AFTERNOON)
    assert trainings.minutes_attended(time(9, 0), time(16, 0), {HalfDay.MORNING}) == 210
    assert trainings.minutes_attended(time(9, 0), time(16, 0), set()) == 0


def test_a_course_is_one_registration_for_all_its_sessions_and_one_certificate_each(db):
    t = training(db, course=True)
    days = [date(2026, 1, 14), date(2026, 2, 4), date(2026, 3, 4)]
    sessions = [session(db, t, day=d, capacity=2) for d in days]
    a, b, c = (person(db, n) for n in ("Adam", "Bernard", "Costa"))
    with pytest.raises(ValidationError, match="se suit en entier"):
        trainings.register(db, a, t, sessions[0])
    assert [trainings.register(db, p, t).status for p in (a, b, c)] == ["registered", "registered", "waiting"]
    assert all(row.registered == 2 and row.waiting == 1 for row in trainings.list_sessions(db, t))
    for s in sessions:
        assert [r.name for r in trainings.checklist(db, s).rows] == ["Adam Marie", "Bernard Marie"]
    for s in sessions:  # Adam comes to all three, Bernard to the first only
        trainings.record_attendance(db, s, {(a, HalfDay.AFTERNOON): Presence.PRESENT,
                                            (b, HalfDay.AFTERNOON): Presence.PRESENT if s == sessions[0]
                                            else Presence.EXCUSED})
    certs = trainings.certificates(db, t)
    assert [(c.participant, c.minutes_attended, c.course_minutes, c.days) for c in certs] == [
        ("Adam Marie", 360, 360, tuple(days)), ("Bernard Marie", 120, 360, (days[0],))]
    history = trainings.participant_history(db, b)
    assert [(h.day, h.attended) for h in history] == [(days[2], "Excusé"), (days[1], "Excusé"),
                                                      (days[0], "Présent")]


def test_attendance_per_half_day(db):
    t = training(db, title="THEA – théâtre", theme="Théâtre")
    s = session(db, t, start=time(9, 0), end=time(16, 0))
    a, b = person(db, "Adam"), person(db, "Bernard")
    for p in (a, b):
        trainings.register(db, p, t, s)
    trainings.record_attendance(db, s, {(a, HalfDay.MORNING): Presence.PRESENT,
                                        (a, HalfDay.AFTERNOON): Presence.ABSENT,
                                        (b, HalfDay.MORNING): Presence.EXCUSED,
                                        (b, HalfDay.AFTERNOON): Presence.EXCUSED})
    sheet = trainings.checklist(db, s)
    assert sheet.half_days == (HalfDay.MORNING, HalfDay.AFTERNOON)
    assert {r.name: r.marks for r in sheet.rows} == {
        "Adam Marie": {HalfDay.MORNING: Presence.PRESENT, HalfDay.AFTERNOON: Presence.ABSENT},
        "Bernard Marie": {HalfDay.MORNING: Presence.EXCUSED, HalfDay.AFTERNOON: Presence.EXCUSED}}
    assert [(c.participant, c.minutes_attended) for c in trainings.certificates(db, t, s)] == [("Adam Marie", 210)]
    assert trainings.participant_history(db, a)[0].attended == "Matin : présent ; Après-midi : absent"
    # Corrected, never doubled.
    trainings.record_attendance(db, s, {(a, HalfDay.AFTERNOON): Presence.PRESENT})
    assert trainings.certificates(db, t, s)[0].minutes_attended == 420
    outsider = person(db, "Costa")
    with pytest.raises(ValidationError, match="sans place"):
        trainings.record_attendance(db, s, {(outsider, HalfDay.MORNING): Presence.PRESENT})
    future = session(db, t, day=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="le jour de la session"):
        trainings.record_attendance(db, future, {})


def test_distinct_teachers_and_coops_across_sessions_in_the_year_figures(db):
    school = coop(db)
    t = training(db, title="Nouveaux mandataires", theme="Comptabilité et juridique pour les mandataires")
    s1 = session(db, t, day=date(2025, 9, 24), capacity=10, mode=trainings.SessionMode.BOTH,
                 link="https://visio.example.org/occe")
    s2 = session(db, t, day=date(2025, 10, 8), capacity=10, mode=trainings.SessionMode.VIDEO, place="",
                 link="https://visio.example.org/occe")
    later = session(db, t, day=date(2026, 5, 20), capacity=10)  # not held yet
    a, b, c = person(db, "Adam", coop_id=school), person(db, "Bernard", coop_id=school), person(db, "Costa")
    for s in (s1, s2):
        for p in (a, b, c):
            trainings.register(db, p, t, s)
    trainings.register(db, a, t, later)
    trainings.record_attendance(db, s1, {(p, HalfDay.AFTERNOON): Presence.PRESENT for p in (a, b, c)})
    trainings.record_attendance(db, s2, {(a, HalfDay.AFTERNOON): Presence.PRESENT,
                                         (c, HalfDay.AFTERNOON): Presence.ABSENT})
    figures = trainings.year_figures(db, 2025)
    f = figures.training("Nouveaux mandataires")
    assert (f.sessions, f.minutes, f.registrations, f.present, f.teachers, f.coops) == (2, 240, 6, 4, 3, 1)
    assert (f.in_person, f.video, f.both) == (0, 1, 1)
    assert f.report_line == "2 sessions de 2 h (4 h), 3 enseignants"
    assert figures.theme("Comptabilité et juridique pour les mandataires").teachers == 3
    assert figures.total.teachers == 3
    assert trainings.year_figures(db, 2024).total.sessions == 0


def test_the_figures_export_reads_back(db, tmp_path):
    from openpyxl import load_workbook

    t = training(db, title="=HYPERLINK(\"x\")")
    s = session(db, t)
    p = person(db, "Adam")
    trainings.register(db, p, t, s)
    trainings.record_attendance(db, s, {(p, HalfDay.AFTERNOON): Presence.PRESENT})
    path = tmp_path / "f.xlsx"
    path.write_bytes(trainings.export_figures_xlsx(trainings.year_figures(db, 2025)))
    sheet = load_workbook(path)["Par formation"]
    assert sheet["A4"].value == "'=HYPERLINK(\"x\")"
    assert [c.value for c in sheet[4]][2:5] == [1, "2 h", 1]


# ---- bad input: a French message at the field, nothing saved -------------------------------------

def test_an_end_before_the_start_is_refused_at_its_field(db):
    t = training(db)
    with pytest.raises(ValidationError) as err:
        session(db, t, start=time(16, 0), end=time(14, 0))
    assert "après l'heure de début" in err.value.errors["end_time"]
    with pytest.raises(ValidationError) as err:
        session(db, t, start=time(14, 0), end=time(14, 0))
    assert "end_time" in err.value.errors
    assert trainings.list_sessions(db, t) == []


def test_a_capacity_of_zero_or_below_the_registered_is_refused(db):
    t = training(db)
    with pytest.raises(ValidationError) as err:
        session(db, t, capacity=0)
    assert err.value.errors["capacity"] == "Capacité : au moins une place."
    with pytest.raises(ValidationError) as err:
        session(db, t, capacity="-3")
    assert "négatif" in err.value.errors["capacity"]
    s = session(db, t, capacity=3)
    for name in ("Adam", "Bernard", "Costa"):
        trainings.register(db, person(db, name), t, s)
    data = trainings.get_session(db, s)
    data.capacity = 2
    with pytest.raises(ValidationError) as err:
        trainings.update_session(db, s, data)
    assert "3 personnes sont déjà inscrites" in err.value.errors["capacity"]
    assert trainings.get_session(db, s).capacity == 3


def test_the_same_person_twice_is_refused_and_never_entered_twice(db):
    t = training(db)
    s = session(db, t)
    a = person(db, "Adam")
    trainings.register(db, a, t, s)
    with pytest.raises(ValidationError) as err:
        trainings.register(db, a, t, s)
    assert "Adam Marie est déjà inscrite" in err.value.errors["participant"]
    assert len(trainings.list_registrations(db, t, s)) == 1
    # Found again by name and e-mail: the same person is given back, not duplicated.
    again = trainings.ParticipantData(last_name="ADAM", first_name="marie", email="adam@ecole.fr")
    assert trainings.find_participant(db, again).same == a
    assert trainings.create_participant(db, again) == a
    # A near spelling, or the same name with another e-mail, asks.
    near = trainings.ParticipantData(last_name="Adams", first_name="Marie", email="m.adams@ecole.fr")
    found = trainings.find_participant(db, near)
    assert found.asks and [r.id for r in found.similar] == [a]
    with pytest.raises(ValidationError, match="proche est déjà connue"):
        trainings.create_participant(db, near)
    other = trainings.ParticipantData(last_name="Adam", first_name="Marie", email="autre@ecole.fr")
    assert [r.id for r in trainings.find_participant(db, other).namesakes] == [a]
    assert trainings.create_participant(db, other, new_person_ok=True) != a


def test_markup_and_formulas_in_names_are_kept_exactly_as_typed(db):
    t = training(db, title="<b>Cinéma</b> & co")
    s = session(db, t)
    p = person(db, "<script>alert(1)</script>", first="=1+1", email="x@ecole.fr")
    trainings.register(db, p, t, s)
    row = trainings.get_participant(db, p)
    assert (row.last_name, row.first_name) == ("<script>alert(1)</script>", "=1+1")
    sheet = trainings.attendance_sheet(db, s)
    assert sheet.rows[0].name == "<script>alert(1)</script> =1+1"
    assert sheet.session.training_title == "<b>Cinéma</b> & co"


def test_bad_participant_and_training_fields_are_named(db):
    with pytest.raises(ValidationError) as err:
        trainings.create_participant(db, trainings.ParticipantData(last_name="", first_name="Ann\u202eé",
                                                                   email="pas-une-adresse"))
    assert set(err.value.errors) == {"last_name", "first_name", "email"}
    with pytest.raises(ValidationError) as err:
        trainings.create_training(db, trainings.TrainingData(title=" ", theme_id=None))
    assert set(err.value.errors) == {"title", "theme_id"}
    with pytest.raises(ValidationError) as err:
        session(db, training(db), mode=trainings.SessionMode.VIDEO, place="", link="visio.example.org")
    assert "https://" in err.value.errors["video_link"]


def test_the_demo_s_last_closed_year_reproduces_the_report(db):
    from occe_bureau.demo import build_demo
    from occe_bureau.formats import school_year_of

    build_demo(db, scale=1)
    last = school_year_of(trainings_today()) - 1
    figures = trainings.year_figures(db, last)
    mandataires = figures.theme("Comptabilité et juridique pour les mandataires")
    assert mandataires.report_line == "9 sessions de 2 h (18 h), 154 enseignants"
    autumn = figures.training("Nouveaux mandataires : prendre en main la coopérative")
    spring = figures.training("Mandataires : clôture des comptes et compte rendu financier")
    assert (autumn.sessions, autumn.teachers, spring.sessions, spring.teachers) == (5, 100, 4, 54)
    assert autumn.in_person + autumn.both > 0 and autumn.video + autumn.both > 0
    thea = figures.training("THEA – théâtre à l'école")
    assert (thea.minutes, thea.teachers) == (540, 8)
    film = figures.training("Réaliser un film avec sa classe")
    assert (film.sessions, film.minutes, film.teachers) == (3, 360, 17)
    assert figures.theme("Jeux coopératifs").sessions and figures.theme("École dehors").sessions
    # The year under way: sessions still to come, with people waiting for a place.
    current = trainings.list_trainings(db, last + 1)
    assert any(r.title == "Journée partenariale OCCE – UNSA" for r in current)
    assert sum(r.waiting for r in current) > 0


def trainings_today():
    from occe_bureau import clock

    return clock.today()


def test_the_records_print_the_sheet_the_course_certificates_and_the_invitation_with_its_calendar(db):
    from occe_bureau.trainings.calendar_file import read_calendar
    from tests.pdf import pdf_text

    school = coop(db)
    t = training(db, title="<b>Film</b> =SUM(A1)", course=True)
    days = [date(2026, 1, 14), date(2026, 2, 4)]
    sessions = [session(db, t, day=d, capacity=5) for d in days]
    a = person(db, "<i>Dupont</i>", first="=1+1", email="dupont@ecole.fr", coop_id=school)
    b = person(db, "Łukaszewicz", first="Zoé", email="zoe.l@ecole.fr")
    regs = [trainings.register(db, p, t).id for p in (a, b)]
    for s in sessions:
        trainings.record_attendance(db, s, {(a, HalfDay.AFTERNOON): Presence.PRESENT,
                                            (b, HalfDay.AFTERNOON): Presence.PRESENT})
    sheet = pdf_text(trainings.attendance_sheet_pdf(db, sessions[0]))
    assert "<i>Dupont</i> =1+1" in sheet and "Łukaszewicz Zoé" in sheet and "École Jean Jaurès" in sheet
    assert "<b>Film</b> =SUM(A1)" in sheet
    assert trainings.attendance_sheet(db, sessions[1]).session.session_label == "Séance 2 sur 2"
    certs = pdf_text(trainings.certificates_pdf(db, t))
    assert "<i>Dupont</i> =1+1" in certs and "Łukaszewicz Zoé" in certs and "4 h" in certs
    invitation = pdf_text(trainings.invitation_letter_pdf(db, regs[0]))
    assert "<b>Film</b> =SUM(A1)" in invitation and "14/01/2026" in invitation
    events = read_calendar(trainings.invitation_calendar(db, regs[0]))
    assert [e[2].date() for e in events] == days and events[0][2].hour == 14
    assert events[0][1] == "Formation : <b>Film</b> =SUM(A1) – Séance 1 sur 2" and events[0][0] == f"session-{sessions[0]}@occe-bureau"


# ---- the audit trail and lost updates ---------------------------------------------------------

def test_a_registration_its_cancellation_and_the_promotion_are_in_the_history_in_french(db):
    t = training(db)
    s = session(db, t, capacity=1)
    first, second = person(db, "Adam"), person(db, "Bernard")
    held = trainings.register(db, first, t, s).id
    waiting = trainings.register(db, second, t, s).id
    trainings.cancel_registration(db, held)
    trainings.promote(db, waiting)

    cancelled = safety.record_history(db, "training_registration", held)[::-1]  # oldest first
    assert [(line.action, line.kind) for line in cancelled if line.kind == "Inscription à une formation"] == [
        ("Création", "Inscription à une formation"), ("Annulation", "Inscription à une formation")]
    assert any("État : « Inscrit » → « Annulé »" in c for line in cancelled for c in line.changes)
    assert any(line.kind == "Suivi d'une inscription" and "Événement : « Annulation »" in line.changes
               for line in cancelled), [(l.kind, l.changes) for l in cancelled]

    promoted = safety.record_history(db, "training_registration", waiting)
    changes = [c for line in promoted for c in line.changes]
    assert any(c.endswith("État : « En attente » → « Inscrit »") for c in changes), changes
    assert any(line.kind == "Suivi d'une inscription" and "Événement : « Place proposée et confirmée (liste d'attente) »" in line.changes
               for line in promoted), [(l.kind, l.changes) for l in promoted]
    # The training's own history holds its sessions and registrations, named.
    kinds = {line.kind for line in safety.record_history(db, "training", t)}
    assert {"Formation", "Session de formation", "Inscription à une formation"} <= kinds


def elsewhere(action):
    with workstation.acting_as("marie", "BUREAU-2"):
        return action()


def refused(action) -> StaleRecord:
    with pytest.raises(StaleRecord) as caught:
        action()
    assert "par marie sur BUREAU-2 le 12/03/2026 à " in caught.value.message, caught.value.message
    return caught.value


def test_a_training_changed_elsewhere_is_not_overwritten(db):
    t = training(db)
    mine, theirs = trainings.get_training(db, t), trainings.get_training(db, t)
    elsewhere(lambda: trainings.update_training(
        db, t, dataclasses.replace(theirs, partner="DSDEN 92"), version=theirs.version))
    err = refused(lambda: trainings.update_training(
        db, t, dataclasses.replace(mine, audience="Cycle 3"), version=mine.version))
    assert err.message.startswith("Cette formation a été modifiée par marie")
    now = trainings.get_training(db, t)
    assert (now.partner, now.audience, now.version) == ("DSDEN 92", "", mine.version + 1)
    trainings.update_training(db, t, dataclasses.replace(now, audience="Cycle 3"), version=now.version)
    assert trainings.get_training(db, t).audience == "Cycle 3"


def test_a_session_changed_elsewhere_is_not_overwritten(db):
    t = training(db)
    s = session(db, t, capacity=3)
    mine, theirs = trainings.get_session(db, s), trainings.get_session(db, s)
    elsewhere(lambda: trainings.update_session(
        db, s, dataclasses.replace(theirs, capacity=12), version=theirs.version))
    err = refused(lambda: trainings.update_session(
        db, s, dataclasses.replace(mine, place="Salle 2"), version=mine.version))
    assert err.message.startswith("Cette session a été modifiée par marie")
    now = trainings.get_session(db, s)
    assert (now.capacity, now.place) == (12, "OCCE, 12 rue des Écoles, Nanterre")
    # Cancelling it from the list moves its version on too: a form opened before is refused.
    trainings.set_session_cancelled(db, s, True)
    with pytest.raises(StaleRecord):
        trainings.update_session(db, s, dataclasses.replace(now, place="Salle 2"), version=now.version)
    assert trainings.get_session(db, s).place == "OCCE, 12 rue des Écoles, Nanterre"


def test_a_participant_changed_elsewhere_is_not_overwritten(db):
    p = person(db, "Adam")
    mine, theirs = trainings.get_participant(db, p), trainings.get_participant(db, p)

    def data(row, **kw):
        return dataclasses.replace(trainings.ParticipantData(row.last_name, row.first_name, row.email,
                                                             row.coop_id), **kw)

    elsewhere(lambda: trainings.update_participant(db, p, data(theirs, email="m.adam@ac-versailles.fr"),
                                                   version=theirs.version))
    err = refused(lambda: trainings.update_participant(db, p, data(mine, first_name="Marion"),
                                                       version=mine.version))
    assert err.message.startswith("Cette personne a été modifiée par marie")
    now = trainings.get_participant(db, p)
    assert (now.first_name, now.email) == ("Marie", "m.adam@ac-versailles.fr")
