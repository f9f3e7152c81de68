"""The trainings section: sessions, hours, teachers and coops per theme and per training, in person
and by video, as the report writes them ("9 sessions de 2 h (18 h), 154 enseignants")."""

from __future__ import annotations

from datetime import date
from functools import partial

from occe_bureau import trainings
from occe_bureau.bilan.links import ListView
from occe_bureau.bilan.papers import (
    Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit, list_link,
)
from occe_bureau.db import Database
from occe_bureau.formats import counted


def trainings_section(db: Database, period: Period, previous: Period, today: date) -> Section:
    now = trainings.period_figures(db, period.start, period.end, today)
    before = trainings.period_figures(db, previous.start, previous.end, today)

    link = partial(list_link, period=period)

    t, p = now.total, before.total
    figures = [
        ReportFigure("Sessions tenues", t.sessions, p.sessions, link=link(ListView.TRAINING_FIGURES)),
        ReportFigure("Heures de formation", t.minutes, p.minutes, Unit.MINUTES,
                     link=link(ListView.TRAINING_FIGURES)),
        ReportFigure("Enseignants formés", t.teachers, p.teachers, link=link(ListView.TRAINING_FIGURES)),
        ReportFigure("Coopératives représentées", t.coops, p.coops, link=link(ListView.TRAINING_FIGURES)),
        ReportFigure("Sessions en présentiel", t.in_person, p.in_person, level=1),
        ReportFigure("Sessions en visio", t.video, p.video, level=1),
        ReportFigure("Sessions en présentiel et en visio", t.both, p.both, level=1),
        ReportFigure("Inscriptions", t.registrations, p.registrations, link=link(ListView.TRAININGS)),
    ]
    themes_before = {f.key: f for f in before.by_theme}
    figures += [ReportFigure(f"{f.label} : sessions", f.sessions,
                             getattr(themes_before.get(f.key), "sessions", 0), level=1,
                             link=link(ListView.TRAINING_FIGURES, theme_id=f.key)) for f in now.by_theme]
    # a training given again the next year is often a new record under the same title
    trainings_before = {f.label: f for f in before.by_training}
    figures += [ReportFigure(f"{f.label} : enseignants", f.teachers,
                             getattr(trainings_before.get(f.label), "teachers", 0), level=1,
                             link=link(ListView.TRAININGS, training_id=f.key)) for f in now.by_training]

    lines = [f"Au total : {t.report_line}, {counted(t.coops, 'coopérative', 'coopératives')} ; "
             f"{counted(t.in_person, 'session', 'sessions')} en présentiel, {t.video} en visio, "
             f"{t.both} en présentiel et en visio."] if t.sessions else ["Aucune session tenue."]
    lines += [f"{f.label} : {f.report_line}." for f in now.by_theme]
    lines += [f"{f.label} : {f.report_line}." for f in now.by_training]
    shown = now.by_theme + [f for f in before.by_theme if f.key not in {g.key for g in now.by_theme}]
    chart = Chart("sessions_per_theme", "Sessions par thème", ChartKind.BARS,
                  tuple(f.label for f in shown),
                  tuple(f.sessions if f in now.by_theme else 0 for f in shown),
                  tuple(getattr(themes_before.get(f.key), "sessions", 0) for f in shown),
                  series=(period.short_label, previous.short_label))
    return Section(SectionKey.TRAININGS, tuple(lines), tuple(figures), (chart,))
