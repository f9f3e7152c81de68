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

__all__ = [
    "AlreadyOpen", "BackupContents", "BackupError", "BackupInfo", "DatabaseLock", "FileCheck",
    "Health", "Holder", "PAGE_SIZE", "HistoryFilter", "HistoryLine", "HistoryPage", "history_kinds",
    "history_page", "history_users", "record_history", "changed_since_last_backup", "check_content", "check_file", "check_header",
    "contents",
    "integrity_problem", "list_backups", "restore_backup", "set_aside", "take_backup",
    "thin_backups", "to_keep",
]
