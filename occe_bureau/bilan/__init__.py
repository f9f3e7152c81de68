"""Bilan: the year's activity report — the figures of every domain for a school year or any
period, beside the previous one, their charts, the "Rapport d'activité" PDF and workbook.

The public face; the UI imports from here. The Bilan reads the other domains' public figures and
recomputes nothing they compute.
"""

from occe_bureau.bilan.links import ListLink, ListView

__all__ = ["ListLink", "ListView"]
