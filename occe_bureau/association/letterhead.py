"""The association as every document prints it: its name, address lines, logo and signature."""

from __future__ import annotations

from typing import TYPE_CHECKING

from occe_bureau.association.settings import AssociationData, get_association
from occe_bureau.db import Database

if TYPE_CHECKING:
    from occe_bureau.printing import Letterhead


def letterhead_of(a: AssociationData) -> Letterhead:
    from occe_bureau.printing import Letterhead  # ReportLab is loaded when something prints

    contact = " – ".join(p for p in (a.phone, a.email) if p)
    return Letterhead(
        name=a.name or "Association départementale OCCE",
        lines=tuple(a.address_lines + ([contact] if contact else [])),
        logo=a.logo, signature=a.signature,
        signatory_name=a.signatory_name, signatory_title=a.signatory_title,
        siren_rna=a.siren_rna, object=a.object,
    )


def letterhead(db: Database) -> Letterhead:
    """The letterhead from the current settings."""
    return letterhead_of(get_association(db))
