"""The trainings' codes with their French labels: how a session is given, where a registration
stands, what the attendance checklist records. StrEnum members equal the stored strings; the
CHECK constraints of trainings/models.py are built from them."""

from __future__ import annotations

from enum import StrEnum


class SessionMode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    BOTH = "both"

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]

    @property
    def has_place(self) -> bool:
        return self in (SessionMode.IN_PERSON, SessionMode.BOTH)

    @property
    def has_link(self) -> bool:
        return self in (SessionMode.VIDEO, SessionMode.BOTH)


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"   # holds a place
    WAITING = "waiting"         # on the waiting list, in its order
    CANCELLED = "cancelled"     # kept, never deleted

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


class Presence(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return _PRESENCE_LABELS[self]


class RegistrationEventKind(StrEnum):
    """What happened to a registration, recorded with its day and time."""

    REGISTERED = "registered"
    WAITING = "waiting"
    PROMOTED = "promoted"       # the first waiting person took a freed place (secretary confirmed)
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_MODE_LABELS = {SessionMode.IN_PERSON: "En présentiel", SessionMode.VIDEO: "En visio",
                SessionMode.BOTH: "Présentiel et visio"}
_STATUS_LABELS = {RegistrationStatus.REGISTERED: "Inscrit", RegistrationStatus.WAITING: "En attente",
                  RegistrationStatus.CANCELLED: "Annulé"}
_PRESENCE_LABELS = {Presence.PRESENT: "Présent", Presence.ABSENT: "Absent",
                    Presence.EXCUSED: "Excusé"}
_EVENT_LABELS = {RegistrationEventKind.REGISTERED: "Inscription",
                 RegistrationEventKind.WAITING: "Mise en liste d'attente",
                 RegistrationEventKind.PROMOTED: "Place proposée et confirmée (liste d'attente)",
                 RegistrationEventKind.CANCELLED: "Annulation"}

def in_check(column: str, enum: type[StrEnum]) -> str:
    """The SQL of a CHECK constraint allowing the enum's values."""
    return f"{column} IN ({', '.join(repr(str(member.value)) for member in enum)})"
