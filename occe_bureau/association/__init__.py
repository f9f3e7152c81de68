"""The association itself: its identity and letterhead (printed on every document), and the
named settings that the other domains declare (shown on the "Réglages" page).

The public face; the UI and the other domains import from here.
"""

from occe_bureau.association.letterhead import letterhead, letterhead_of
from occe_bureau.association.settings import (
    AssociationData,
    SettingDef,
    check_association,
    declared_settings,
    define_setting,
    get_association,
    get_setting,
    is_configured,
    missing_for_receipts,
    open_association,
    save_association,
    save_association_and_settings,
    save_settings,
    set_setting,
    setting_value,
)

__all__ = [
    "AssociationData", "SettingDef", "check_association", "declared_settings", "define_setting",
    "get_association", "get_setting", "is_configured", "letterhead", "letterhead_of",
    "missing_for_receipts", "open_association",
    "save_association", "save_association_and_settings", "save_settings", "set_setting", "setting_value",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.association import history as history  # noqa: E402,F401
