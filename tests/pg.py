"""A throw-away PostgreSQL server for the tests that prove the code runs on PostgreSQL too
(the multi-workstation setup). Started from the machine's PostgreSQL binaries, on a Unix
socket in a temporary folder, with no TCP port; stopped at the end of the session."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class TempPostgres:
    def __init__(self) -> None:
        self.initdb = find_binary("initdb")
        self.pg_ctl = find_binary("pg_ctl")
        self.base: Path | None = None

    @property
    def available(self) -> bool:
        return bool(self.initdb and self.pg_ctl)

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + list(args), check=True, capture_output=True, text=True)

    def start(self) -> str:
        self.base = Path(tempfile.mkdtemp(prefix="occe-pg-"))
        os.chmod(self.base, 0o777)
        data = self.base / "data"
        self._run(self.initdb, "-D", str(data), "-A", "trust", "-U", "occe", "-E", "UTF8",
                  "--no-sync", "--locale=C.UTF-8")
        self._run(self.pg_ctl, "-D", str(data), "-l", str(self.base / "server.log"), "-w",
                  "-o", f"-k {self.base} -c listen_addresses='' -c fsync=off -p 54329", "start")
        return f"postgresql+psycopg://occe@/postgres?host={self.base}&port=54329"

    def stop(self) -> None:
        if self.base is not None:
            try:
                self._run(self.pg_ctl, "-D", str(self.base / "data"), "-m", "immediate", "stop")
            finally:
                shutil.rmtree(self.base, ignore_errors=True)


# One server per test process, started when first needed (by the PostgreSQL tests, or by the
# whole suite when it runs on PostgreSQL), stopped when the process ends.
_shared: dict[str, object] = {}


def shared_server() -> str | None:
    """The URL of this process's throw-away server (None if PostgreSQL is not installed)."""
    if "url" not in _shared:
        import atexit

        pg = TempPostgres()
        _shared["url"] = pg.start() if pg.available else None
        if pg.available:
            atexit.register(pg.stop)
    return _shared["url"]  # type: ignore[return-value]


_counter = [0]


def new_database_name(prefix: str = "t") -> str:
    _counter[0] += 1
    return f"{prefix}{os.getpid()}_{_counter[0]}"


def create_database(url: str, name: str, template: str | None = None) -> str:
    """Create a database on the server (a copy of `template` if given); its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return url.replace("/postgres?", f"/{name}?")


def drop_database(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
