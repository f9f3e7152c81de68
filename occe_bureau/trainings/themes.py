"""The editable list of training themes: add, rename, hide (never delete: past figures use them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from occe_bureau.db import Database
from occe_bureau.trainings.models import Training, TrainingTheme
from occe_bureau.validation import Checker, ValidationError


@dataclass(frozen=True)
class ThemeRow:
    id: int
    name: str
    archived: bool
    trainings: int


def list_themes(db: Database, *, include_archived: bool = False) -> list[ThemeRow]:
    counts = select(Training.theme_id, func.count().label("n")).group_by(Training.theme_id).subquery()
    query = (select(TrainingTheme.id, TrainingTheme.name, TrainingTheme.archived,
                    func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.theme_id == TrainingTheme.id)
             .order_by(TrainingTheme.position, TrainingTheme.name))
    if not include_archived:
        query = query.where(TrainingTheme.archived.is_(False))
    with db.session() as session:
        return [ThemeRow(*row) for row in session.execute(query)]


def _check_name(session, name: str, exclude_id: int | None) -> str:
    c = Checker()
    clean = c.text("name", "Thème", name, max_length=100, required=True, name_like=True)
    c.raise_if_any()
    other = session.scalar(select(TrainingTheme.id).where(
        func.lower(TrainingTheme.name) == clean.lower()))
    if other is not None and other != exclude_id:
        raise ValidationError({"name": f"Thème : « {clean} » existe déjà."})
    return clean


def add_theme(db: Database, name: str) -> int:
    with db.transaction() as session:
        clean = _check_name(session, name, None)
        position = (session.scalar(select(func.max(TrainingTheme.position))) or 0) + 1
        theme = TrainingTheme(name=clean, position=position)
        session.add(theme)
        session.flush()
        return theme.id


def rename_theme(db: Database, theme_id: int, name: str) -> None:
    with db.transaction() as session:
        theme = session.get(TrainingTheme, theme_id)
        if theme is None:
            raise ValidationError({"name": "Ce thème n'existe plus."})
        theme.name = _check_name(session, name, theme_id)


def set_theme_archived(db: Database, theme_id: int, archived: bool) -> None:
    with db.transaction() as session:
        theme = session.get(TrainingTheme, theme_id)
        if theme is None:
            raise ValidationError({"name": "Ce thème n'existe plus."})
        theme.archived = archived
