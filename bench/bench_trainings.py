"""Benchmarks of the trainings on the 10× data set (≈ 2 000 sessions, 20 000 registrations).

    .venv/bin/python -m bench.bench_trainings

Each measure beside its floor, the bare stack doing the least for the same result:
- opening the Formations tab (the tab built, its year's trainings listed with their sessions
  and registrations counted, the first training's sessions and people shown), beside the bare
  SQL of the trainings list;
- the year's figures (`year_figures`, per training and per theme, the last closed year),
  beside the bare SQL reading the same rows (held sessions, registrations, present people);
- the certificates of a 30-person course of three sessions (read from the records, one PDF),
  beside ReportLab's bare canvas writing the same 30 pages of text.
"""

from __future__ import annotations

import sqlite3

from bench.common import copy_of, dataset, measure, print_table
from occe_bureau import clock
from occe_bureau.db import Database
from occe_bureau.formats import school_year_bounds, school_year_of


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from occe_bureau import trainings
    from ui.trainings.tab import TrainingsTab

    path = copy_of(dataset(), "trainings.sqlite3")
    db = Database(f"sqlite:///{path}")
    app = QApplication.instance() or QApplication([])
    con = sqlite3.connect(path)
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("training", "training_session", "training_registration", "training_attendance",
                        "training_participant")}
    print("Data set:", ", ".join(f"{n} {t}" for t, n in counts.items()))
    current = school_year_of(clock.today())
    last = current - 1
    start, end = school_year_bounds(current)

    def open_tab():
        tab = TrainingsTab(db)
        tab.on_shown()
        app.processEvents()
        tab.deleteLater()

    def floor_list():
        con.execute(
            "SELECT t.id, t.title, th.name, s.n, s.first, s.last, r.reg FROM training t "
            "JOIN training_theme th ON th.id = t.theme_id "
            "LEFT JOIN (SELECT training_id, COUNT(*) n, MIN(day) first, MAX(day) last FROM training_session "
            "WHERE NOT cancelled AND day BETWEEN ? AND ? GROUP BY training_id) s ON s.training_id = t.id "
            "LEFT JOIN (SELECT training_id, COUNT(*) reg FROM training_registration GROUP BY training_id) r "
            "ON r.training_id = t.id WHERE s.n IS NOT NULL ORDER BY s.first",
            (start.isoformat(), end.isoformat())).fetchall()

    last_start, last_end = school_year_bounds(last)

    def floor_figures():
        bounds = (last_start.isoformat(), last_end.isoformat())
        con.execute("SELECT id, training_id, start_time, end_time, mode FROM training_session "
                    "WHERE day BETWEEN ? AND ? AND NOT cancelled", bounds).fetchall()
        con.execute("SELECT r.training_id, r.session_id, COUNT(*) FROM training_registration r WHERE "
                    "r.status = 'registered' AND r.training_id IN (SELECT training_id FROM training_session "
                    "WHERE day BETWEEN ? AND ?) GROUP BY r.training_id, r.session_id", bounds).fetchall()
        con.execute("SELECT DISTINCT a.session_id, a.participant_id, p.coop_id FROM training_attendance a "
                    "JOIN training_participant p ON p.id = a.participant_id JOIN training_session s "
                    "ON s.id = a.session_id WHERE s.day BETWEEN ? AND ? AND NOT s.cancelled AND "
                    "a.presence = 'present'", bounds).fetchall()

    course = thirty_person_course(db)
    certificate_lines = [(c.participant, c.coop, c.training_title, trainings.hours_label(c.minutes_attended))
                         for c in trainings.certificates(db, course)]

    def floor_certificates():
        import io

        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        for line in certificate_lines:
            for n, text in enumerate(line):
                pdf.drawString(72, 700 - 20 * n, text)
            pdf.showPage()
        pdf.save()

    figures = trainings.year_figures(db, last)
    print(f"Année {figures.label} : {figures.total.report_line}")
    rows = [
        ("opening the Formations tab", measure(open_tab), "bare SQL of the year's list",
         measure(floor_list), "goal < 150 ms"),
        (f"yearly figures {figures.label}", measure(lambda: trainings.year_figures(db, last)),
         "bare SQL of the same rows", measure(floor_figures), "goal < 100 ms"),
        ("certificates of a 30-person course", measure(lambda: trainings.certificates_pdf(db, course), repeat=7),
         "ReportLab canvas, same 30 pages", measure(floor_certificates, repeat=7), "goal < 300 ms"),
    ]
    print_table("Trainings (10× data set)", rows)
    con.close()
    db.dispose()


def thirty_person_course(db: Database) -> int:
    """A course of three dates with 30 people present (made in the bench's copy of the data)."""
    from datetime import date, time

    from occe_bureau import trainings

    theme = next(t.id for t in trainings.list_themes(db) if t.name == "Cinéma")
    course = trainings.create_training(db, trainings.TrainingData(
        title="Réaliser un film avec sa classe (bench)", theme_id=theme, is_course=True,
        trainers="Julien Petit", partner="Canopé"))
    days = [date(2025, 1, 8), date(2025, 1, 29), date(2025, 2, 19)]
    sessions = [trainings.create_session(db, course, trainings.SessionData(
        day=d, start_time=time(14, 0), end_time=time(16, 0), place="OCCE, Nanterre", capacity=30))
        for d in days]
    people = [r.id for r in trainings.search_participants(db, "", limit=30)]
    for pid in people:
        trainings.register(db, pid, course)
    for s in sessions:
        trainings.record_attendance(db, s, {(pid, trainings.HalfDay.AFTERNOON): trainings.Presence.PRESENT
                                            for pid in people})
    return course


if __name__ == "__main__":
    main()
