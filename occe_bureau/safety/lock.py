"""One copy of the application per database file.

The lock is the operating system's (through the `filelock` library): it goes with the
process, so a copy that crashed leaves nothing behind that blocks the next start. Beside the
lock, a small file says who holds it (computer, user, since when), so that a second copy can
name them; a holder's note left by a crash is simply taken over.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from occe_bureau import clock
from occe_bureau.audit import operator


class AlreadyOpen(Exception):
    """The database is open in another copy of the application: said in French."""


@dataclass(frozen=True)
class Holder:
    computer: str
    user: str
    pid: int
    since: str

    @classmethod
    def me(cls) -> "Holder":
        who = operator()  # the same names the audit trail records
        return cls(who.workstation, who.user, os.getpid(),
                   clock.now().astimezone().strftime("%d/%m/%Y à %H:%M"))


class DatabaseLock:
    """Held for as long as the application has the database open."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._lock = FileLock(str(database) + ".verrou", timeout=0)
        self._note = Path(str(database) + ".poste")

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise AlreadyOpen(self._refusal()) from exc
        self._note.write_text(json.dumps(Holder.me().__dict__), encoding="utf-8")

    def release(self) -> None:
        if self._lock.is_locked:
            self._note.unlink(missing_ok=True)
            self._lock.release()

    def holder(self) -> Holder | None:
        try:
            return Holder(**json.loads(self._note.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def _refusal(self) -> str:
        who = self.holder()
        by = (f" sur l'ordinateur « {who.computer} » par {who.user} (depuis le {who.since})"
              if who else "")
        return (f"Cette base de données est déjà ouverte{by}. Pour ne rien perdre, un seul "
                "OCCE Bureau à la fois peut l'utiliser : fermez l'autre fenêtre, puis "
                "relancez le logiciel. (Plusieurs postes à la fois : utilisez un serveur "
                "PostgreSQL.)")
