"""How the history (the audit trail) names the trainings records and their fields."""

from __future__ import annotations

from occe_bureau.audit import Action, describe
from occe_bureau.trainings.enums import (
    Presence, RegistrationEventKind, RegistrationStatus, SessionMode,
)
from occe_bureau.trainings.papers import HalfDay


def _participant_title(v: dict) -> str:
    return " ".join(p for p in (v.get("last_name"), v.get("first_name")) if p)


def _session_title(v: dict) -> str:
    day = v.get("day")
    if not day:
        return "Session"
    text = str(day)
    if len(text) == 10 and text[4] == "-":  # ISO, as the entry keeps it
        text = f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return f"Session du {text}"


describe("training_theme", "Thème de formation", title=lambda v: v.get("name", ""),
         labels={"name": "Nom", "position": "Rang", "archived": "Masqué"},
         actions={"archived": (Action.ARCHIVED, Action.REACTIVATED)})
describe("training", "Formation", title=lambda v: v.get("title", ""),
         labels={"title": "Intitulé", "theme_id": "Thème (n° interne)", "audience": "Public",
                 "description": "Description", "trainers": "Formateurs", "partner": "Partenaire",
                 "on_departmental_plan": "Au plan départemental de formation",
                 "is_course": "Parcours", "what_to_bring": "À apporter", "archived": "Archivée"},
         actions={"archived": (Action.ARCHIVED, Action.REACTIVATED)})
describe("training_session", "Session de formation", owner=("training", "training_id"),
         title=_session_title,
         labels={"training_id": "Formation (n° interne)", "day": "Date", "start_time": "Début",
                 "end_time": "Fin", "mode": "Modalité", "place": "Lieu",
                 "video_link": "Lien de visio", "capacity": "Capacité (places)",
                 "cancelled": "Annulée"},
         choices={"mode": SessionMode},
         actions={"cancelled": (Action.CANCELLED, Action.REACTIVATED)})
describe("training_participant", "Participant à une formation", title=_participant_title,
         labels={"last_name": "Nom", "first_name": "Prénom", "email": "E-mail",
                 "coop_id": "Coopérative (n° interne)"})
describe("training_registration", "Inscription à une formation",
         owner=("training", "training_id"),
         title=lambda v: f"Inscription n° {v['id']}" if v.get("id") else "Inscription",
         labels={"training_id": "Formation (n° interne)", "session_id": "Session (n° interne)",
                 "participant_id": "Participant (n° interne)", "status": "État",
                 "queue_number": "Rang d'arrivée", "registered_on": "Inscrit le",
                 "cancelled_on": "Annulée le"},
         choices={"status": RegistrationStatus},
         actions={"status": {RegistrationStatus.CANCELLED.value: Action.CANCELLED}})
describe("training_registration_event", "Suivi d'une inscription",
         owner=("training_registration", "registration_id"), listed=False, skip={"at"},
         labels={"registration_id": "Inscription (n° interne)", "kind": "Événement",
                 "note": "Note"},
         choices={"kind": RegistrationEventKind})
describe("training_attendance", "Présence à une formation",
         owner=("training_session", "session_id"),
         labels={"session_id": "Session (n° interne)", "participant_id": "Participant (n° interne)",
                 "half_day": "Demi-journée", "presence": "Présence"},
         choices={"half_day": HalfDay, "presence": Presence})
