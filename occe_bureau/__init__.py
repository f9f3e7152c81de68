"""OCCE Bureau core: models, storage, rules and documents. Never imports Qt."""

__version__ = "0.1.0"
APP_NAME = "OCCE Bureau"
