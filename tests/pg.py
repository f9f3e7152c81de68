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
