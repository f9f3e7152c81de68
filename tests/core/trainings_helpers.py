"""Small builders for the trainings tests."""

from datetime import date, time

from occe_bureau import trainings
from occe_bureau.coops import CoopData, CoopKind, create_coop


def theme_id(db, name="Cinéma"):
    return next(t.id for t in trainings.list_themes(db) if t.name == name)


def training(db, title="Réaliser un film avec sa classe", course=False, theme="Cinéma", **kw):
    return trainings.create_training(db, trainings.TrainingData(
        title=title, theme_id=theme_id(db, theme), is_course=course, trainers="Mme Claire Dubois",
        partner="Canopé", **kw))


def session(db, training_id, day=date(2026, 3, 4), start=time(14, 0), end=time(16, 0), capacity=3,
            mode=trainings.SessionMode.IN_PERSON, place="OCCE, 12 rue des Écoles, Nanterre", link=""):
    return trainings.create_session(db, training_id, trainings.SessionData(
        day=day, start_time=start, end_time=end, mode=mode, place=place, video_link=link,
        capacity=capacity))


def person(db, last, first="Marie", email=None, coop_id=None, new=True):
    return trainings.create_participant(db, trainings.ParticipantData(
        last_name=last, first_name=first, email=email if email is not None else f"{last.lower()}@ecole.fr",
        coop_id=coop_id), new_person_ok=new)


def coop(db, number="92-001", name="École Jean Jaurès"):
    return create_coop(db, CoopData(number=number, name=name, kind=CoopKind.ELEMENTAIRE,
                                    commune="Nanterre", postal_code="92000"))
