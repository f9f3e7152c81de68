"""Data safety: backups (taken, checked, thinned, restored), the database file checked at
start and set aside when damaged, and one copy of the application per database file.

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
from occe_bureau.safety.integrity import (
    FileCheck, Health, check_content, check_file, check_header, set_aside,
)
from occe_bureau.safety.lock import AlreadyOpen, DatabaseLock, Holder

__all__ = [
    "AlreadyOpen", "BackupContents", "BackupError", "BackupInfo", "DatabaseLock", "FileCheck",
    "Health", "Holder", "changed_since_last_backup", "check_content", "check_file", "check_header",
    "contents",
    "integrity_problem", "list_backups", "restore_backup", "set_aside", "take_backup",
    "thin_backups", "to_keep",
]
