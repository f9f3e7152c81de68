"""Data safety: backups (taken, checked, thinned, restored), the database file checked at
start and set aside when damaged, one copy of the application per database file, and the
history of every change (the audit trail, read only: `history.py`).

The public face; the UI imports from here.
"""

from occe_bureau.safety.backups import (
    BackupContents,
    BackupError,
    BackupInfo,
    changed_since_last_backup,
    contents,
    integrity_problem,
    list_backups,
    restore_backup,
    take_backup,
    thin_backups,
    to_keep,
)
from occe_bureau.safety.history import (
    PAGE_SIZE, HistoryFilter, HistoryLine, HistoryPage, history_kinds, history_page, history_users,
    record_history,
)
from occe_bureau.safety.integrity import (
    FileCheck, Health, check_content, check_file, check_header, set_aside,
)
from occe_bureau.safety.lock import AlreadyOpen, DatabaseLock, Holder
from occe_bureau.safety.places import BackupOutcome, back_up, second_folder, set_second_folder
from occe_bureau.safety.privacy import (
    PROVIDING_DOMAINS, RECEIPT_KEEPING_YEARS, ErasurePlan, Holding, Person, Proposal, Provider,
    erase, erasure_plan, export_personal_data, held_about, providers, purge, purge_offer_due,
    purge_offered, purge_proposals, receipt_kept_until, same_person, name_words,
    matcher,
)

__all__ = [
    "AlreadyOpen", "BackupContents", "BackupError", "BackupInfo", "DatabaseLock", "FileCheck",
    "Health", "Holder", "PAGE_SIZE", "HistoryFilter", "HistoryLine", "HistoryPage", "history_kinds",
    "history_page", "history_users", "record_history", "changed_since_last_backup", "check_content", "check_file", "check_header",
    "contents",
    "integrity_problem", "list_backups", "restore_backup", "set_aside", "take_backup",
    "thin_backups", "to_keep",
    # where backups go
    "BackupOutcome", "back_up", "second_folder", "set_second_folder",
    # personal data (RGPD)
    "PROVIDING_DOMAINS", "RECEIPT_KEEPING_YEARS", "ErasurePlan", "Holding", "Person", "Proposal",
    "Provider", "erase", "erasure_plan", "export_personal_data", "held_about", "providers",
    "purge", "purge_offer_due", "purge_offered", "purge_proposals", "receipt_kept_until",
    "same_person", "name_words", "matcher",
]
