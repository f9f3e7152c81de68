"""The association's identity (one row) and free-form application settings."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from occe_bureau.audit import Audited
from occe_bureau.versions import Versioned


class Association(Audited, Versioned, table=True):
    """The departmental association that prints every document: header and signature."""

    __tablename__ = "association"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=30)
    siren_rna: str = Field(default="", max_length=20)
    object: str = Field(default="", max_length=1000)
    signatory_name: str = Field(default="", max_length=200)
    signatory_title: str = Field(default="", max_length=100)
    logo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    signature: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class AppSetting(Audited, SQLModel, table=True):
    """A named setting kept with the data (texts printed on documents, year boundaries…)."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="")
