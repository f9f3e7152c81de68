"""Formations: trainings and their sessions, participants, registrations with a waiting list,
attendance per half-day, attendance sheets, certificates, invitations with calendar files, and
the year's figures.

The public face; the UI, the demo, the bench and the other domains (the Bilan) import from here:
- codes and labels (`enums.py`; the half-days and the documents' plain types in `papers.py`);
- hours from times and half-days (`hours.py`); the editable themes (`themes.py`);
- trainings (`catalogue.py`), their sessions (`sessions.py`), participants found again by name
  and e-mail (`participants.py`), registrations and the waiting list (`registrations.py`),
  attendance (`attendance.py`);
- the year's figures (`figures.py`: `year_figures`, `period_figures`, read by the Bilan);
- the documents built from the records (`documents.py`; laid out by sheet_pdf, certificate_pdf,
  invitation_pdf and calendar_file, imported when a document is made).
"""

from occe_bureau.trainings.attendance import Checklist, ChecklistRow, checklist, record_attendance
from occe_bureau.trainings.catalogue import (
    TrainingData, TrainingRow, create_training, get_training, list_trainings, update_training,
)
from occe_bureau.trainings.documents import (
    attendance_sheet, attendance_sheet_pdf, certificates, certificates_pdf, invitation,
    invitation_calendar, invitation_letter_pdf, session_paper,
)
from occe_bureau.trainings.enums import (
    Presence, RegistrationEventKind, RegistrationStatus, SessionMode,
)
from occe_bureau.trainings.figures import (
    TrainingFigure, YearFigures, export_figures_xlsx, period_figures, year_figures,
)
from occe_bureau.trainings.hours import half_days, hours_label, minutes_attended, minutes_between, time_label
from occe_bureau.trainings.papers import (
    AttendanceSheet, Certificate, HalfDay, Invitation, SessionPaper, SheetRow,
)
from occe_bureau.trainings.participants import (
    HistoryLine, KnownParticipants, ParticipantData, ParticipantRow, create_participant,
    find_participant, get_participant, participant_history, search_participants, update_participant,
)
from occe_bureau.trainings.registrations import (
    EventLine, Offer, Registered, RegistrationRow, cancel_registration, list_registrations,
    pending_offer, promote, register, registration_events,
)
from occe_bureau.trainings.sessions import (
    MAX_CAPACITY, SessionData, SessionRow, create_session, get_session, list_sessions,
    set_session_cancelled, update_session,
)
from occe_bureau.trainings.themes import ThemeRow, add_theme, list_themes, rename_theme, set_theme_archived

__all__ = [
    "MAX_CAPACITY", "AttendanceSheet", "Certificate", "Checklist", "ChecklistRow", "EventLine",
    "HalfDay", "HistoryLine", "Invitation", "KnownParticipants", "Offer", "ParticipantData",
    "ParticipantRow", "Presence", "Registered", "RegistrationEventKind", "RegistrationRow",
    "RegistrationStatus", "SessionData", "SessionMode", "SessionPaper", "SessionRow", "SheetRow",
    "ThemeRow", "TrainingData", "TrainingFigure", "TrainingRow", "YearFigures",
    "add_theme", "attendance_sheet", "attendance_sheet_pdf", "cancel_registration", "certificates",
    "certificates_pdf", "checklist", "create_participant", "create_session", "create_training",
    "export_figures_xlsx", "find_participant", "get_participant", "get_session", "get_training",
    "half_days", "hours_label", "invitation", "invitation_calendar", "invitation_letter_pdf",
    "list_registrations", "list_sessions", "list_themes", "list_trainings", "minutes_attended",
    "minutes_between", "participant_history", "pending_offer", "promote", "record_attendance",
    "register", "registration_events", "rename_theme", "search_participants", "session_paper",
    "set_session_cancelled", "set_theme_archived", "time_label", "update_participant",
    "update_session", "update_training", "period_figures", "year_figures",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.trainings import history as history  # noqa: E402,F401
