"""The association's identity (printed on every document) and named application settings."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, fields

from sqlalchemy import select

from occe_bureau import versions
from occe_bureau.db import Database
from occe_bureau.association.models import AppSetting, Association
from occe_bureau.validation import Checker, ValidationError, character_problem

MAX_IMAGE_BYTES = 2 * 1024 * 1024


@dataclass
class AssociationData:
    name: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    siren_rna: str = ""
    object: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    logo: bytes | None = None
    signature: bytes | None = None

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return [line for line in (self.address, town) if line]


# What a tax receipt prints about the association (Cerfa 11580 and 16216: name, SIREN or RNA,
# address, object; the place and the signatory): (field, French name), in the form's order.
RECEIPT_FIELDS = (("name", "nom"), ("address", "adresse"), ("city", "commune"),
                  ("siren_rna", "SIREN ou RNA"), ("object", "objet"),
                  ("signatory_name", "signataire"))


def missing_for_receipts(a: AssociationData) -> list[str]:
    """The French names of the fields a tax receipt needs that are still blank (none: the
    association may issue receipts). The one definition: issuing refuses, the tab warns."""
    return [label for name, label in RECEIPT_FIELDS if not getattr(a, name).strip()]


def image_problem(data: bytes | None) -> str | None:
    if not data:
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return f"image trop lourde ({len(data) // 1024} Ko, 2 048 Ko au plus)."
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8")):
        return "seules les images PNG ou JPEG sont acceptées."
    try:
        from PIL import Image  # installed with ReportLab, which draws these images

        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.width < 8 or image.height < 8:
                return "image trop petite."
    except Exception:  # noqa: BLE001 (any decoding failure means the file is damaged)
        return "le fichier image est abîmé ou illisible."
    return None


def check_association(data: AssociationData) -> tuple[AssociationData, dict[str, str]]:
    c = Checker()
    clean = AssociationData(
        name=c.text("name", "Nom de l'association", data.name, max_length=200, required=True,
                    name_like=True),
        address=c.text("address", "Adresse", data.address, max_length=300, required=True),
        postal_code=c.postal_code("postal_code", "Code postal", data.postal_code),
        city=c.text("city", "Commune", data.city, max_length=100, required=True, name_like=True),
        email=c.email("email", "E-mail", data.email),
        phone=c.phone("phone", "Téléphone", data.phone),
        siren_rna=c.text("siren_rna", "SIREN ou RNA", data.siren_rna, max_length=20).upper(),
        object=c.text("object", "Objet", data.object, max_length=1000, multiline=True),
        signatory_name=c.text("signatory_name", "Signataire", data.signatory_name, max_length=200,
                              required=True, name_like=True),
        signatory_title=c.text("signatory_title", "Qualité du signataire", data.signatory_title,
                               max_length=100, name_like=True),
        logo=data.logo or None,
        signature=data.signature or None,
    )
    compact = clean.siren_rna.replace(" ", "")
    if compact and not (re.fullmatch(r"[0-9]{9}", compact) or re.fullmatch(r"W[0-9]{9}", compact)):
        c.add("siren_rna", "SIREN ou RNA : 9 chiffres (SIREN) ou W suivi de 9 chiffres (RNA).")
    for name, label, image in (("logo", "Logo", clean.logo), ("signature", "Signature", clean.signature)):
        problem = image_problem(image)
        if problem:
            c.add(name, f"{label} : {problem}")
    return clean, c.errors


def get_association(db: Database) -> AssociationData:
    return open_association(db)[0]


def open_association(db: Database) -> tuple[AssociationData, int]:
    """The association's identity and its version, read together (what "Paramètres" opens
    with; version 0: nothing saved yet). Read it before the settings: a save made between
    the two reads then refuses this form rather than being overwritten by it."""
    with db.session() as session:
        row = session.get(Association, 1)
        if row is None:
            return AssociationData(), 0
        return (AssociationData(**{f.name: getattr(row, f.name) for f in fields(AssociationData)}),
                row.version)


def save_association(db: Database, data: AssociationData) -> None:
    save_association_and_settings(db, data, {})


def is_configured(db: Database) -> bool:
    return bool(get_association(db).name)


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.session() as session:
        row = session.get(AppSetting, key)
        return row.value if row is not None else default


def set_setting(db: Database, key: str, value: str) -> None:
    with db.transaction() as session:
        row = session.get(AppSetting, key) or AppSetting(key=key)
        row.value = value
        session.add(row)


# ---- named settings that other domains declare (shown in "Paramètres", page "Réglages") ----

@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    default: str
    multiline: bool = False
    help: str = ""
    # Returns a French message when the value is not acceptable, else None.
    check: "object | None" = None
    # check_change(db, old, new): a French message when changing the stored value is not
    # acceptable now (the data depends on it), else None.
    check_change: "object | None" = None
    # ((code, French label), …): the value is one of these codes (shown as a choice).
    choices: tuple = ()
    # check_with(values): a French message when this value does not go with the others
    # ({key: value} of every declared setting, as they would be saved), else None.
    check_with: "object | None" = None


SETTING_DEFS: dict[str, SettingDef] = {}

# The modules that declare settings when imported (the application loads its tabs lazily,
# so the "Réglages" page imports them itself through `declared_settings`).
DECLARING_MODULES = ("occe_bureau.coops.numbers", "occe_bureau.lending.papers",
                     "occe_bureau.gifts.numbering", "occe_bureau.sales.settings")


def declared_settings() -> dict[str, SettingDef]:
    """Every setting the application declares, whichever tabs have been opened."""
    import importlib

    for module in DECLARING_MODULES:
        importlib.import_module(module)
    return SETTING_DEFS


def define_setting(key: str, label: str, default: str, *, multiline: bool = False,
                   help: str = "", check=None, check_change=None, choices: tuple = (),
                   check_with=None) -> SettingDef:
    """Declare a setting (at import time of the domain's service module)."""
    definition = SettingDef(key, label, default, multiline, help, check, check_change,
                            tuple(choices), check_with)
    SETTING_DEFS[key] = definition
    return definition


def setting_value(db: Database, definition: SettingDef) -> str:
    return get_setting(db, definition.key, definition.default)


def check_settings(values: dict[str, str], db: Database | None = None) -> dict[str, str]:
    """The declared settings given, trimmed and checked (with `db`, changes too); raises
    ValidationError."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for key, value in values.items():
        definition = SETTING_DEFS.get(key)
        if definition is None:
            raise KeyError(key)
        text = (value or "").strip()
        if len(text) > 8000:
            errors[key] = f"{definition.label} : {len(text)} caractères, 8 000 au plus."
            continue
        # Settings are printed (slip conditions, reminder letter, receipt note): kept exactly.
        problem = character_problem(text, multiline=True) or None
        if not problem and definition.check:
            problem = definition.check(text)
        if not problem and definition.choices and text not in {c for c, _l in definition.choices}:
            problem = "choisissez une des propositions."
        if not problem and db is not None and definition.check_change:
            old = setting_value(db, definition)
            problem = definition.check_change(db, old, text) if old != text else None
        if problem:
            errors[key] = f"{definition.label} : {problem}"
            continue
        clean[key] = text
    errors.update(_checked_together(clean, db))
    if errors:
        raise ValidationError(errors)
    return clean


def _checked_together(clean: dict[str, str], db: Database | None) -> dict[str, str]:
    """The settings that must go with others (check_with), over the values to be saved."""
    together = {key: SETTING_DEFS[key] for key in clean if SETTING_DEFS[key].check_with}
    if not together:
        return {}
    values = {key: (setting_value(db, d) if db is not None else d.default)
              for key, d in SETTING_DEFS.items()}
    values.update(clean)
    errors = {}
    for key, definition in together.items():
        problem = definition.check_with(values)
        if problem:
            errors[key] = f"{definition.label} : {problem}"
    return errors


def _store_settings(session, clean: dict[str, str]) -> None:
    for key, text in clean.items():
        row = session.get(AppSetting, key) or AppSetting(key=key)
        row.value = text
        session.add(row)


def save_settings(db: Database, values: dict[str, str]) -> None:
    """Check every declared setting given, then save them all in one transaction."""
    clean = check_settings(values, db)
    with db.transaction() as session:
        _store_settings(session, clean)


def save_association_and_settings(db: Database, data: AssociationData,
                                  values: dict[str, str], *, version: int | None = None) -> None:
    """The "Paramètres" dialog's save: identity and settings together, or nothing.

    With the version the dialog opened (`open_association`), a save made since by another
    window or workstation is refused (StaleRecord) and nothing is written: the association's
    row stands for the whole dialog, and every save of it moves its version on."""
    clean, errors = check_association(data)
    try:
        settings = check_settings(values, db)
    except ValidationError as err:
        errors = {**errors, **err.errors}
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        existing = session.scalar(select(Association.id).where(Association.id == 1))
        if version is not None:
            versions.claim(session, Association, existing, version or None,
                           what="Les paramètres de l'association", feminine=False, plural=True,
                           advice="Vos changements n'ont pas été enregistrés : rechargez "
                                  "les paramètres pour voir leurs nouvelles valeurs.")
        elif existing is not None:
            versions.touch(session, Association, existing)
        row = session.get(Association, 1) or Association(id=1)
        for f in fields(AssociationData):
            setattr(row, f.name, getattr(clean, f.name))
        session.add(row)
        _store_settings(session, settings)
