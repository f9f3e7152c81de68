"""The calendar file (.ics) of an invitation: one event per session, for any calendar program.

Made with the `icalendar` library (RFC 5545): times in Europe/Paris with the zone's VTIMEZONE
written into the file, by its yearly rule (the last Sundays of March and October, as Outlook,
Thunderbird and Google write it themselves: Outlook reads the rule, not the zone's name), a
stable UID per session (sending the file again updates the event instead of doubling it), the
place as LOCATION (or the video link when there is no place), the link as URL, and the session's
facts in DESCRIPTION. `read_calendar` reads a file back (for the tests, and to check a file).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import (Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress,
                       vText)

from occe_bureau import clock
from occe_bureau.formats import format_clock, format_day
from occe_bureau.trainings.papers import SessionPaper

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//OCCE Bureau//Formations//FR"


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def summer_by_rule(moment: datetime) -> bool:
    """Whether the EU rule puts this Paris time in summer time (from 2 h on the last Sunday of
    March to 3 h on the last Sunday of October)."""
    local = moment.replace(tzinfo=None)
    start = datetime.combine(_last_sunday(local.year, 3), time(2))
    end = datetime.combine(_last_sunday(local.year, 10), time(3))
    return start <= local < end


def _paris_by_rule() -> Timezone:
    """Europe/Paris as a VTIMEZONE with its yearly rule."""
    zone = Timezone()
    zone.add("tzid", "Europe/Paris")
    for part, name, before, after, start, month in (
            (TimezoneDaylight(), "CEST", 1, 2, datetime(1970, 3, 29, 2), 3),
            (TimezoneStandard(), "CET", 2, 1, datetime(1970, 10, 25, 3), 10)):
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def clean(text: str) -> str:
    """Text a calendar program can show: control characters (other than new lines and tabs)
    and unpaired surrogates dropped, so that no user text can break the file."""
    kept = []
    for ch in text or "":
        category = unicodedata.category(ch)
        if ch in "\n\t" or (category != "Cc" and category != "Cs"):
            kept.append(ch)
    return "".join(kept).replace("\r", "")


def session_uid(session: SessionPaper) -> str:
    """The session's UID: the one the core gives, or one made from what the session is."""
    if session.uid:
        return clean(session.uid)
    key = "\x1f".join([session.training_title, session.day.isoformat(), session.start.isoformat()])
    return f"session-{hashlib.sha1(key.encode('utf-8', 'replace')).hexdigest()[:16]}@occe-bureau"


def _description(session: SessionPaper) -> str:
    lines = [f"{format_day(session.day)}, de {format_clock(session.start)} à "
             f"{format_clock(session.end)}"]
    if session.theme_label:
        lines.append(f"Thème : {session.theme_label}")
    if session.place:
        lines.append(f"Lieu : {session.place}")
    if session.video_link:
        lines.append(f"Visioconférence : {session.video_link}")
    if session.trainers:
        lines.append(f"Formation animée par : {session.trainers}")
    if session.partner:
        lines.append(f"En partenariat avec : {session.partner}")
    if session.what_to_bring:
        lines.append(f"À apporter : {session.what_to_bring}")
    return clean("\n".join(lines))


def calendar_file(sessions: Sequence[SessionPaper], organiser_name: str, organiser_email: str) -> bytes:
    """The .ics file with one VEVENT per session (bytes, UTF-8, CRLF lines)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    stamp = clock.now()
    organiser = None
    address = "".join(clean(organiser_email).split())
    if address:
        organiser = vCalAddress(f"mailto:{address}")
        name = clean(organiser_name).replace('"', "'").replace("\n", " ").strip()
        if name:
            organiser.params["cn"] = vText(name)
    for session in sorted(sessions, key=lambda x: (x.day, x.start)):
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(session.day, session.start, tzinfo=PARIS))
        event.add("dtend", datetime.combine(session.day, session.end, tzinfo=PARIS))
        summary = f"Formation : {session.training_title}"
        if session.session_label:
            summary += f" – {session.session_label}"
        event.add("summary", clean(summary))
        where = session.place or session.video_link
        if where:
            event.add("location", clean(where))
        url = "".join(clean(session.video_link).split())
        if url:
            event.add("url", url)
        event.add("description", _description(session))
        if session.theme_label:
            event.add("categories", [clean(session.theme_label)])
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        if organiser is not None:
            event.add("organizer", organiser)
        cal.add_component(event)
    if sessions:
        moments = [datetime.combine(x.day, t, tzinfo=PARIS) for x in sessions for t in (x.start, x.end)]
        if all((m.utcoffset() == timedelta(hours=2)) == summer_by_rule(m) for m in moments):
            cal.subcomponents.insert(0, _paris_by_rule())
        else:
            # The rule has changed (summer time given up?): the zone's real changes over the
            # sessions' years, from the time zone database.
            years = [x.day.year for x in sessions]
            cal.add_missing_timezones(first_date=date(min(years) - 1, 12, 1),
                                      last_date=date(max(years) + 1, 1, 31))
    return cal.to_ical()


def read_calendar(data: bytes) -> list[tuple[str, str, datetime, datetime, str]]:
    """(uid, summary, start, end, location) of each event of a .ics file, in its order; the
    times are aware datetimes in their zone (Europe/Paris for ours)."""
    cal = Calendar.from_ical(data)
    events = []
    for event in cal.walk("VEVENT"):
        events.append((str(event.get("uid", "")), str(event.get("summary", "")),
                       event.decoded("dtstart"), event.decoded("dtend"),
                       str(event.get("location", ""))))
    return events
