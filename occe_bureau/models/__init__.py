"""SQLModel tables, one module per domain. Importing this package registers them all."""

from occe_bureau.models.association import AppSetting, Association
from occe_bureau.models.coops import Coop, CoopKind, CoopYear

__all__ = ["AppSetting", "Association", "Coop", "CoopKind", "CoopYear"]
