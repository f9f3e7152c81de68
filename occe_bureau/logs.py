"""Logging to a rotating file in the data folder."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from occe_bureau.paths import DataPaths


def setup_logging(paths: DataPaths, level: int = logging.INFO) -> None:
    paths.logs.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_occe_bureau", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(paths.log_file, maxBytes=1_000_000, backupCount=5,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s : %(message)s"))
    handler._occe_bureau = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
