"""Who is at the keyboard: the computer's user and the workstation's name.

Named once here so that everything that says who did something says it the same way: the
holder of the database's lock (safety/lock.py), the last change of a record (versions.py).
A test stands for another workstation with `acting_as`.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Workstation:
    user: str
    computer: str


_acting: Workstation | None = None


def me() -> Workstation:
    """This process's user and computer ("inconnu" where the system gives no user name)."""
    if _acting is not None:
        return _acting
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 (no user name in this environment)
        user = "inconnu"
    return Workstation(user or "inconnu", socket.gethostname() or "inconnu")


@contextmanager
def acting_as(user: str, computer: str) -> Iterator[None]:
    """For the duration of the block, changes are made in the name of `user` on `computer`
    (tests: a second workstation in the same process)."""
    global _acting
    before = _acting
    _acting = Workstation(user, computer)
    try:
        yield
    finally:
        _acting = before
