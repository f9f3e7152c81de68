"""Where the data, backups and logs live.

By default in the user's data folder (platformdirs); `--data-dir` or the
`OCCE_BUREAU_DATA` environment variable put them elsewhere.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "OCCE_BUREAU_DATA"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "occe_bureau.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "sauvegardes"

    @property
    def logs(self) -> Path:
        return self.root / "journaux"

    @property
    def log_file(self) -> Path:
        return self.logs / "occe_bureau.log"

    def ensure(self) -> "DataPaths":
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def sqlite_url(self) -> str:
        return f"sqlite:///{self.database}"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("OCCE Bureau", appauthor=False, roaming=True)


def resolve_data_paths(data_dir: str | os.PathLike | None = None) -> DataPaths:
    """The explicit folder wins, then the environment variable, then the user's data folder."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR)
    root = Path(chosen).expanduser() if chosen else default_data_dir()
    return DataPaths(root.resolve())


def ressources_dir() -> Path:
    """The shipped `ressources/` folder, laid out the same in the source tree and the bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "ressources"
    return Path(__file__).resolve().parent.parent / "ressources"
