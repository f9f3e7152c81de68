"""The trainings' papers on 10× a real département, beside their floors.

Run: .venv/bin/python -m bench.bench_trainings_documents   (prints a table; nothing is asserted)

- the certificates of a 30-person course in one PDF (goal under 300 ms), against the floor of
  bare ReportLab drawing 30 pages with a few strings each;
- the attendance sheet of a 40-person session, against bare ReportLab drawing its 3 pages;
- a course's invitation and its calendar file.

The papers are filled from the data set (the association's letterhead, with its logo and
signature image, and real coop names), the participants' names made up: what is measured is
the printing, which the trainings core feeds with these same dataclasses.
"""

from __future__ import annotations

import io
from datetime import date, time

from sqlalchemy import text

from bench.common import dataset, measure, print_table
from occe_bureau.association import letterhead
from occe_bureau.db import Database
from occe_bureau.trainings.calendar_file import calendar_file
from occe_bureau.trainings.certificate_pdf import certificates_pdf
from occe_bureau.trainings.invitation_pdf import invitation_pdf
from occe_bureau.trainings.papers import (AttendanceSheet, Certificate, HalfDay, Invitation,
                                          SessionPaper, SheetRow)
from occe_bureau.trainings.sheet_pdf import attendance_sheet_pdf

DAYS = (date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19))


def bare_pages(pages: int, strings: int) -> bytes:
    """The floor: bare ReportLab, the embedded font, `strings` short strings on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from occe_bureau.printing import FONT, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        c.setFont(FONT, 10)
        for i in range(strings):
            c.drawString(50, 800 - 20 * i, f"Attestation de présence n° {page} – ligne {i}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def main() -> None:
    db = Database(f"sqlite:///{dataset()}")
    head = letterhead(db)
    with db.engine.connect() as conn:
        coops = [f"{name} ({number})" for number, name in conn.execute(
            text("SELECT number, name FROM coop ORDER BY number LIMIT 40"))]
    db.dispose()
    print(f"(letterhead: logo {'yes' if head.logo else 'no'}, signature "
          f"{'yes' if head.signature else 'no'})")

    course = [Certificate(participant=f"PARTICIPANT{i:02d} Marie-Hélène", coop=coops[i % len(coops)],
                          training_title="Réaliser un film avec sa classe", days=DAYS,
                          minutes_attended=360 if i % 4 else 240, course_minutes=360,
                          place_and_date="Fait à Nanterre, le 12/03/2026", letterhead=head)
              for i in range(30)]
    sessions = tuple(SessionPaper(
        training_title="Réaliser un film avec sa classe", theme_label="Cinéma", day=day,
        start=time(9), end=time(16, 30), half_days=(HalfDay.MORNING, HalfDay.AFTERNOON),
        place="École Jean Jaurès, 3 avenue de la République, 92000 Nanterre",
        video_link="https://visio.example.org/occe/film" if day.day == 19 else "",
        trainers="Mme Durand, M. Lefèvre", partner="Canopé 92",
        what_to_bring="Une tablette chargée", uid=f"session-{day.day}@occe-bureau") for day in DAYS)
    sheet = AttendanceSheet(sessions[0], tuple(SheetRow(f"PARTICIPANT{i:02d} Marie-Hélène",
                                                        coops[i % len(coops)]) for i in range(40)),
                            head)
    invitation = Invitation("PARTICIPANT01 Marie-Hélène", "marie@example.org",
                            "Réaliser un film avec sa classe", sessions, head,
                            "Nanterre, le 12/03/2026")

    rows = [
        ("certificates, 30-person course (30 pages)", measure(lambda: certificates_pdf(course)),
         "bare ReportLab, 30 pages × 4 strings", measure(lambda: bare_pages(30, 4)), "< 300 ms"),
        ("attendance sheet, 40 participants (3 pages)", measure(lambda: attendance_sheet_pdf(sheet)),
         "bare ReportLab, 3 pages × 40 strings", measure(lambda: bare_pages(3, 40)), "-"),
        ("invitation of a 3-session course", measure(lambda: invitation_pdf(invitation)),
         "bare ReportLab, 1 page × 20 strings", measure(lambda: bare_pages(1, 20)), "-"),
        ("calendar file, 3 sessions", measure(lambda: calendar_file(sessions, head.signatory_name,
                                                                    "ad@occe.coop")),
         "-", None, "-"),
    ]
    print_table("Trainings papers (median of 15 runs)", rows)


if __name__ == "__main__":
    main()
