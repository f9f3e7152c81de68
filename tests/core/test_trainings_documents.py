"""The trainings' papers read back: the attendance sheet, the certificates of a course, the
invitation (PDF text through tests/pdf.py) and the calendar file (parsed back by icalendar)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from occe_bureau import clock
from occe_bureau.formats import format_clock, format_duration
from occe_bureau.printing import Letterhead
from occe_bureau.trainings.calendar_file import calendar_file, read_calendar
from occe_bureau.trainings.certificate_pdf import certificates_pdf
from occe_bureau.trainings.invitation_pdf import invitation_pdf
from occe_bureau.trainings.papers import (AttendanceSheet, Certificate, HalfDay, Invitation,
                                          SessionPaper, SheetRow)
from occe_bureau.trainings.sheet_pdf import attendance_sheet_pdf
from tests.pdf import pdf_pages_text, pdf_text

ICON = (Path(__file__).parents[2] / "ressources" / "icons" / "occe_bureau.png").read_bytes()
MARKUP = "<b>Zoé</b> & Łukasz =1+1 <i>CE2</i>"
LINK = "https://visio.example.org/occe92/film?id=12&pwd=a\"b"

HEAD = Letterhead(name="OCCE – Association départementale des Hauts-de-Seine",
                  lines=("15 rue des Écoles", "92000 Nanterre"), logo=ICON, signature=ICON,
                  signatory_name="Marie-Claude Lefèvre", signatory_title="présidente")


def flat(text: str) -> str:
    return " ".join(text.split())


def session(**changes) -> SessionPaper:
    base = SessionPaper(
        training_title="Réaliser un film avec sa classe", theme_label="Cinéma",
        day=date(2026, 3, 12), start=time(9, 0), end=time(16, 30),
        half_days=(HalfDay.MORNING, HalfDay.AFTERNOON),
        place="École Jean Jaurès, 3 avenue de la République, 92000 Nanterre", video_link="",
        trainers="Mme Durand, M. Lefèvre", partner="Canopé 92",
        what_to_bring="Une tablette chargée", uid="session-12@occe-bureau")
    return replace(base, **changes)


def image_count(pdf: bytes, page: int) -> int:
    """Images drawn on a page, inside form objects too."""
    document = pdfium.PdfDocument(pdf)
    try:
        return sum(1 for obj in document[page].get_objects(max_depth=4)
                   if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE)
    finally:
        document.close()


# ---- hours and times -----------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "text"), [(540, "9 h"), (90, "1 h 30"), (120, "2 h"),
                                               (45, "45 min"), (605, "10 h 05"), (0, "0 h")])
def test_hours_are_printed_the_french_way(minutes, text):
    assert format_duration(minutes) == text


def test_times_of_day_are_printed_the_french_way():
    assert format_clock(time(9, 0)) == "9 h"
    assert format_clock(time(13, 30)) == "13 h 30"
    assert format_clock(time(8, 5)) == "8 h 05"


# ---- the attendance sheet ------------------------------------------------------------------

def test_a_long_sheet_repeats_its_header_on_every_page_with_one_line_per_participant():
    rows = tuple(SheetRow(f"PARTICIPANT{i:02d} Marie", f"Coop école n° {i} (0920{i:03d}A)" if i % 3 else "")
                 for i in range(1, 46))
    pdf = attendance_sheet_pdf(AttendanceSheet(session(), rows, HEAD))
    pages = [flat(p) for p in pdf_pages_text(pdf)]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "OCCE – Association départementale des Hauts-de-Seine" in page
        assert "Feuille d'émargement" in page
        assert "Réaliser un film avec sa classe" in page
        assert "jeudi 12/03/2026" in page and "de 9 h à 16 h 30" in page
        assert "École Jean Jaurès, 3 avenue de la République, 92000 Nanterre" in page
        assert "Mme Durand, M. Lefèvre" in page and "Canopé 92" in page
        assert "Nom et prénom" in page and "Coopérative" in page
        # one box to sign per half-day, titled on every page
        assert page.count("Signature Matin") == 1 and page.count("Signature Après-midi") == 1
        assert f"Page {number} sur {len(pages)}" in page
    text = " ".join(pages)
    positions = [text.index(f"PARTICIPANT{i:02d} Marie") for i in range(1, 46)]
    assert positions == sorted(positions)  # in the order given, each once
    assert all(text.count(f"PARTICIPANT{i:02d} Marie") == 1 for i in range(1, 46))
    assert "Coop école n° 44 (0920044A)" in text and "(0920045A)" not in text
    assert "45 participants inscrits." in pages[-1] and "participants inscrits" not in pages[0]
    assert "Signature de la personne qui anime la formation" in pages[-1]


@pytest.mark.parametrize(("half_days", "titles"), [
    ((HalfDay.MORNING,), ["Signature Matin"]),
    ((HalfDay.AFTERNOON,), ["Signature Après-midi"]),
    ((HalfDay.MORNING, HalfDay.AFTERNOON), ["Signature Matin", "Signature Après-midi"]),
])
def test_the_sheet_has_one_box_per_half_day_of_the_session(half_days, titles):
    pdf = attendance_sheet_pdf(AttendanceSheet(session(half_days=half_days),
                                               (SheetRow("DUPONT Marie", ""),), HEAD))
    page = flat(pdf_text(pdf))
    assert page.count("Signature ") - page.count("Signature de la personne") == len(titles)
    for title in titles:
        assert title in page
    assert "1 participant inscrit." in page


def test_a_sheet_by_video_only_or_both_says_the_link():
    video = flat(pdf_text(attendance_sheet_pdf(AttendanceSheet(
        session(place="", video_link=LINK), (SheetRow("DUPONT Marie", ""),), HEAD))))
    assert f"Visioconférence : {LINK}" in video and "Lieu :" not in video
    both = flat(pdf_text(attendance_sheet_pdf(AttendanceSheet(
        session(video_link=LINK), (SheetRow("DUPONT Marie", ""),), HEAD))))
    assert f"Visioconférence : {LINK}" in both and "Lieu : École Jean Jaurès" in both


def test_a_session_of_a_course_says_which_one_it_is():
    second = session(session_label="Séance 2 sur 3", half_days=(HalfDay.AFTERNOON, HalfDay.MORNING))
    sheet = flat(pdf_text(attendance_sheet_pdf(AttendanceSheet(second, (SheetRow("DUPONT Marie", ""),), HEAD))))
    assert "Réaliser un film avec sa classe Séance 2 sur 3" in sheet
    assert sheet.index("Signature Matin") < sheet.index("Signature Après-midi")  # morning first
    invitation = flat(pdf_text(invitation_pdf(Invitation("DUPONT Marie", "", "Film", (second,), HEAD))))
    assert "jeudi 12/03/2026 Séance 2 sur 3" in invitation
    ((_uid, summary, *_rest),) = read_calendar(calendar_file([second], "", ""))
    assert summary == "Formation : Réaliser un film avec sa classe – Séance 2 sur 3"


def test_an_empty_sheet_says_so():
    page = flat(pdf_text(attendance_sheet_pdf(AttendanceSheet(session(), (), HEAD))))
    assert "Aucun participant inscrit." in page and "0 participant inscrit." in page


# ---- the certificates ----------------------------------------------------------------------

DAYS = (date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19))


def certificate(i: int, **changes) -> Certificate:
    base = Certificate(
        participant=f"PARTICIPANT{i:02d} Marie", coop=f"Coop école n° {i} (0920{i:03d}A)",
        training_title="Réaliser un film avec sa classe",
        days=DAYS if i % 2 else DAYS[:2], minutes_attended=360 if i % 2 else 270,
        course_minutes=360, place_and_date="Fait à Nanterre, le 12/03/2026", letterhead=HEAD)
    return replace(base, **changes)


def test_a_course_of_thirty_prints_one_certificate_page_each_in_one_pdf():
    certs = [certificate(i) for i in range(1, 31)]
    pdf = certificates_pdf(certs)
    pages = [flat(p) for p in pdf_pages_text(pdf)]
    assert len(pages) == 30
    for i, page in enumerate(pages, start=1):
        assert "OCCE – Association départementale des Hauts-de-Seine" in page
        assert "Attestation de présence" in page
        assert f"PARTICIPANT{i:02d} Marie" in page
        assert all(f"PARTICIPANT{j:02d}" not in page for j in range(1, 31) if j != i)
        assert f"Coop école n° {i} (0920{i:03d}A)" in page
        assert "« Réaliser un film avec sa classe »" in page
        assert "Marie-Claude Lefèvre, présidente, atteste que" in page
        assert "Fait à Nanterre, le 12/03/2026" in page
        if i % 2:
            assert "Dates de présence : 05/03/2026, 12/03/2026 et 19/03/2026." in page
            assert "Durée de présence : 6 h, soit la totalité de la formation." in page
        else:
            assert "Dates de présence : 05/03/2026 et 12/03/2026." in page
            assert "Durée de présence : 4 h 30, sur une formation de 6 h." in page


def test_the_certificate_is_signed_with_the_image_when_there_is_one():
    signed = certificates_pdf([certificate(1, letterhead=replace(HEAD, logo=None))])
    unsigned = certificates_pdf([certificate(1, letterhead=replace(HEAD, logo=None, signature=None))])
    assert image_count(signed, 0) == 1 and image_count(unsigned, 0) == 0
    assert "Marie-Claude Lefèvre, présidente" in flat(pdf_text(unsigned))
    one_day = flat(pdf_text(certificates_pdf([certificate(1, days=(date(2026, 2, 4),),
                                                          minutes_attended=540, course_minutes=540)])))
    assert "Date de présence : 04/02/2026." in one_day and "9 h, soit la totalité" in one_day


def test_a_name_of_120_characters_is_printed_whole_on_its_one_page():
    name = ("DE LA FONTAINE-" + "ÉLISABETH " * 12)[:120]
    pdf = certificates_pdf([certificate(1, participant=name)])
    pages = pdf_pages_text(pdf)
    assert len(pages) == 1
    assert "".join(name.split()) in "".join(pages[0].split())
    sheet = pdf_pages_text(attendance_sheet_pdf(AttendanceSheet(session(), (SheetRow(name, ""),), HEAD)))
    assert len(sheet) == 1 and "".join(name.split()) in "".join(sheet[0].split())
    invitation = pdf_text(invitation_pdf(Invitation(name, "", "Film", (session(),), HEAD)))
    assert "".join(name.split()) in "".join(invitation.split())


def test_a_pasted_page_of_text_in_a_name_stops_after_a_few_lines_on_the_sheet():
    pasted = "Lorem ipsum dolor sit amet " * 60
    page = pdf_text(attendance_sheet_pdf(AttendanceSheet(session(), (SheetRow(pasted, ""),), HEAD)))
    assert "…" in page and page.count("Lorem") < 40


def test_no_certificate_to_print_is_said_in_french():
    with pytest.raises(ValueError, match="Aucune attestation"):
        certificates_pdf([])


# ---- the invitation ------------------------------------------------------------------------

def test_the_invitation_of_a_course_gives_every_date_place_link_and_what_to_bring():
    course = (session(), session(day=date(2026, 3, 19), start=time(13, 30), end=time(16, 30),
                                 half_days=(HalfDay.AFTERNOON,), place="", video_link=LINK,
                                 uid="session-13@occe-bureau"))
    pdf = invitation_pdf(Invitation(participant="DUPONT Marie", email="marie.dupont@ac-versailles.fr",
                                    training_title="Réaliser un film avec sa classe",
                                    sessions=course, letterhead=HEAD,
                                    place_and_date="Nanterre, le 12/03/2026"))
    page = flat(pdf_text(pdf))
    assert "DUPONT Marie" in page and "marie.dupont@ac-versailles.fr" in page
    assert "Objet : convocation à la formation « Réaliser un film avec sa classe »" in page
    assert "Elle se déroule en 2 séances" in page
    assert "jeudi 12/03/2026" in page and "de 9 h à 16 h 30" in page
    assert "École Jean Jaurès, 3 avenue de la République, 92000 Nanterre" in page
    assert "jeudi 19/03/2026" in page and "de 13 h 30 à 16 h 30" in page
    assert "".join(f"En visioconférence : {LINK}".split()) in "".join(page.split())  # wrapped
    assert "À apporter : Une tablette chargée" in page
    assert "Formation animée par : Mme Durand, M. Lefèvre" in page
    assert "Nanterre, le 12/03/2026" in page and "Marie-Claude Lefèvre, présidente" in page
    assert "liste d'attente" in page


def test_the_invitation_of_one_session_in_person():
    pdf = invitation_pdf(Invitation("DUPONT Marie", "", "THEA", (session(training_title="THEA",
                                    what_to_bring=""),), HEAD))
    page = flat(pdf_text(pdf))
    assert "Nous vous y attendons" in page and "séances" not in page
    assert "À apporter" not in page and "visioconférence" not in page


# ---- the calendar file ---------------------------------------------------------------------

def test_the_calendar_file_has_one_event_per_session_in_paris_time():
    course = (session(),
              session(day=date(2026, 6, 18), start=time(13, 30), end=time(16, 30), place="",
                      video_link=LINK, uid="session-13@occe-bureau"),
              session(day=date(2026, 4, 2), video_link=LINK, uid=""))
    data = calendar_file(course, "Marie-Claude Lefèvre", "ad92@occe.coop")
    events = read_calendar(data)
    assert len(events) == 3
    (uid1, summary1, start1, end1, where1), (_u3, _s3, start3, _e3, where3), (uid2, _s2, start2, end2, where2) = events
    assert uid1 == "session-12@occe-bureau" and uid2 == "session-13@occe-bureau"
    assert _u3.endswith("@occe-bureau") and _u3 == read_calendar(calendar_file(course, "", ""))[1][0]
    assert "Réaliser un film avec sa classe" in summary1
    assert start1.tzinfo is not None and str(start1.tzinfo) == "Europe/Paris"
    assert (start1.replace(tzinfo=None), end1.replace(tzinfo=None)) == (datetime(2026, 3, 12, 9), datetime(2026, 3, 12, 16, 30))
    assert start1.utcoffset() == timedelta(hours=1) and start2.utcoffset() == timedelta(hours=2)
    assert start2.replace(tzinfo=None) == datetime(2026, 6, 18, 13, 30) and end2.hour == 16
    assert start3.date() == date(2026, 4, 2)
    assert where1 == "École Jean Jaurès, 3 avenue de la République, 92000 Nanterre"
    assert where2 == LINK  # by video only: the link is where it happens
    assert where3 == where1  # both: the place, and the link as URL
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "\r\nEND:VCALENDAR\r\n" in text
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/Paris" in text
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/Paris:20260312T090000" in unfolded
    assert unfolded.count("URL:https://visio.example.org/occe92/film?id=12&pwd=a\"b") == 2
    assert unfolded.count("mailto:ad92@occe.coop") == 3
    assert f"DTSTAMP:{clock.now():%Y%m%dT%H%M%SZ}" in unfolded
    assert "À apporter : Une tablette chargée" in unfolded
    # RFC 5545: CRLF lines of at most 75 octets, folded by a space
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_the_calendar_file_opens_in_icalendar_with_its_timezone():
    from icalendar import Calendar

    cal = Calendar.from_ical(calendar_file([session()], "AD 92", "ad92@occe.coop"))
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Paris"]
    assert cal.get_missing_tzids() == set()
    # The zone as the file writes it (not looked up by its name, as Outlook reads it) gives
    # Paris time, summer and winter, on the days the clocks change too.
    written = cal.timezones[0].to_tz(lookup_tzid=False)
    paris = ZoneInfo("Europe/Paris")
    for moment in (datetime(2026, 3, 12, 9), datetime(2026, 6, 18, 13, 30), datetime(2026, 3, 29, 9),
                   datetime(2026, 10, 25, 9), datetime(2026, 10, 24, 9), datetime(2031, 1, 6, 14)):
        assert moment.replace(tzinfo=written).utcoffset() == moment.replace(tzinfo=paris).utcoffset()
    assert [str(e["summary"]) for e in cal.events] == ["Formation : Réaliser un film avec sa classe"]
    organiser = cal.events[0]["organizer"]
    assert str(organiser) == "mailto:ad92@occe.coop" and organiser.params["CN"] == "AD 92"


def test_were_the_summer_time_rule_to_change_the_file_takes_the_zone_database(monkeypatch):
    from icalendar import Calendar

    import occe_bureau.trainings.calendar_file as module

    monkeypatch.setattr(module, "summer_by_rule", lambda moment: False)
    data = calendar_file([session(day=date(2026, 6, 18))], "AD 92", "ad92@occe.coop")
    assert b"RRULE" not in data and b"TZOFFSETTO:+0200" in data
    written = Calendar.from_ical(data).timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2026, 6, 18, 9).replace(tzinfo=written).utcoffset() == timedelta(hours=2)
    ((_uid, _summary, start, _end, _where),) = read_calendar(data)
    assert start.utcoffset() == timedelta(hours=2)


# ---- user text as typed, and text no document may fail on ----------------------------------

def test_markup_and_formulas_are_printed_exactly_as_typed():
    typed = session(training_title=MARKUP, place=MARKUP, trainers=MARKUP, what_to_bring=MARKUP)
    sheet = flat(pdf_text(attendance_sheet_pdf(AttendanceSheet(typed, (SheetRow(MARKUP, MARKUP),), HEAD))))
    assert sheet.count(MARKUP) >= 4
    cert = flat(pdf_text(certificates_pdf([certificate(1, participant=MARKUP, coop=MARKUP,
                                                       training_title=MARKUP)])))
    assert cert.count(MARKUP) == 3
    invitation = flat(pdf_text(invitation_pdf(Invitation(MARKUP, "", MARKUP, (typed,), HEAD))))
    assert invitation.count(MARKUP) >= 4
    ((_uid, summary, _start, _end, where),) = read_calendar(calendar_file([typed], MARKUP, "a@b.fr"))
    assert summary == f"Formation : {MARKUP}" and where == MARKUP


@pytest.mark.parametrize("odd", ["\ud800 seul", "nul\x00 et échap\x1b[31m", "🎭 théâtre",
                                 "x" * 3000, "mot " * 800, "ligne\r\nligne\tfin"])
def test_no_text_however_odd_breaks_a_document(odd):
    typed = session(training_title=odd, theme_label=odd, place=odd, video_link=odd, trainers=odd,
                    partner=odd, what_to_bring=odd, uid=odd)
    assert attendance_sheet_pdf(AttendanceSheet(typed, (SheetRow(odd, odd),) * 3, HEAD)).startswith(b"%PDF")
    cert = certificates_pdf([certificate(1, participant=odd, coop=odd, training_title=odd,
                                         place_and_date=odd)])
    assert len(pdf_pages_text(cert)) == 1
    assert invitation_pdf(Invitation(odd, odd, odd, (typed,), HEAD, odd)).startswith(b"%PDF")
    assert len(read_calendar(calendar_file([typed], odd, odd))) == 1
