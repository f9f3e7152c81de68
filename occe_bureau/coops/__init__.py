"""The register of school cooperatives (the Coopératives tab).

The public face; the UI and the other domains import from here. (Minimal version written by
the lending helper: the lead's fuller face replaces it.)
"""

from occe_bureau.coops.models import Coop
from occe_bureau.coops.register import coop_choices

__all__ = ["Coop", "coop_choices"]
