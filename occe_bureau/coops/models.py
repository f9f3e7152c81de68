"""The register of school cooperatives and their yearly figures."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Enum, UniqueConstraint
from sqlmodel import Field, SQLModel
from occe_bureau import clock
from occe_bureau.audit import Audited
from occe_bureau.db import MONEY
from occe_bureau.versions import Versioned


class CoopKind(str, enum.Enum):
    MATERNELLE = "maternelle"
    ELEMENTAIRE = "elementaire"
    PRIMAIRE = "primaire"
    COLLEGE = "college"
    LYCEE = "lycee"
    SEGPA = "segpa"
    SPECIALISE = "specialise"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    def counted(self, n: int) -> str:
        """The kind after a number, as the annual report writes it ("1 SEGPA", "268 maternelles")."""
        return _KIND_NOUNS[self][0 if n == 1 else 1]

    @property
    def degree(self) -> int:
        """1 for the schools of the first degree (maternelle, élémentaire, primaire), 2 otherwise."""
        return 1 if self in _FIRST_DEGREE else 2


_FIRST_DEGREE = frozenset({CoopKind.MATERNELLE, CoopKind.ELEMENTAIRE, CoopKind.PRIMAIRE})

_KIND_LABELS = {
    CoopKind.MATERNELLE: "Maternelle",
    CoopKind.ELEMENTAIRE: "Élémentaire",
    CoopKind.PRIMAIRE: "Primaire",
    CoopKind.COLLEGE: "Collège",
    CoopKind.LYCEE: "Lycée",
    CoopKind.SEGPA: "SEGPA",
    CoopKind.SPECIALISE: "Établissement spécialisé",
    CoopKind.AUTRE: "Autre",
}

_KIND_NOUNS = {
    CoopKind.MATERNELLE: ("maternelle", "maternelles"),
    CoopKind.ELEMENTAIRE: ("élémentaire", "élémentaires"),
    CoopKind.PRIMAIRE: ("primaire", "primaires"),
    CoopKind.COLLEGE: ("collège", "collèges"),
    CoopKind.LYCEE: ("lycée", "lycées"),
    CoopKind.SEGPA: ("SEGPA", "SEGPA"),
    CoopKind.SPECIALISE: ("établissement spécialisé", "établissements spécialisés"),
    CoopKind.AUTRE: ("autre", "autres"),
}


class Coop(Audited, Versioned, table=True):
    __tablename__ = "coop"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=150)
    kind: CoopKind = Field(
        sa_column=Column(Enum(CoopKind, native_enum=False, length=20, name="coop_kind"), nullable=False)
    )
    uai: str | None = Field(default=None, max_length=8, unique=True)
    address: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=5)
    commune: str = Field(default="", max_length=100, index=True)
    circonscription: str = Field(default="", max_length=100, index=True)
    mandataire_name: str = Field(default="", max_length=150)
    mandataire_email: str = Field(default="", max_length=200)
    mandataire_phone: str = Field(default="", max_length=30)
    director: str = Field(default="", max_length=150)
    notes: str = Field(default="", max_length=4000)
    archived: bool = Field(default=False, index=True)
    archived_on: date | None = None
    # Lower-case, accent-free concatenation of the searchable fields (number, name,
    # commune, UAI, mandataire), kept by the service so that a search is one LIKE.
    search_key: str = Field(default="", max_length=800)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    updated_at: datetime = Field(default_factory=lambda: clock.now())


class CoopYear(Audited, Versioned, table=True):
    """One coop's figures and duties for one school year (1 Sept – 31 Aug)."""

    __tablename__ = "coop_year"
    __table_args__ = (
        UniqueConstraint("coop_id", "year", name="uq_coop_year"),
        CheckConstraint("classes >= 0 AND pupils >= 0 AND adults >= 0", name="ck_coop_year_counts"),
        CheckConstraint(
            "cotisation_due_cents >= 0 AND cotisation_paid_cents >= 0", name="ck_coop_year_money"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    coop_id: int = Field(foreign_key="coop.id", index=True)
    # The year the school year starts in: 2024 is "2024-2025".
    year: int = Field(index=True)
    classes: int = 0
    pupils: int = 0
    adults: int = 0
    cotisation_due_cents: int = Field(default=0, sa_type=MONEY)
    cotisation_paid_cents: int = Field(default=0, sa_type=MONEY)
    cotisation_paid_on: date | None = None
    cra_received_on: date | None = None
    crf_received_on: date | None = None
    quitus_on: date | None = None
    control_reason: str = Field(default="", max_length=300)
    control_on: date | None = None
    control_outcome: str = Field(default="", max_length=500)

    @property
    def members(self) -> int:
        return self.pupils + self.adults
