"""Change notices: after an action, the shell tells every tab which domains changed.

A tab (or a page of a tab) says which domains it shows; when one of them changes it is
marked out of date and reloads the next time it is shown (at once if it is on screen).
No widget reaches into a sibling to reload it.
"""

from __future__ import annotations

from enum import StrEnum


class Domain(StrEnum):
    ASSOCIATION = "association"  # the association's settings and letterhead
    COOPS = "coops"
    LENDING = "lending"
    GIFTS = "gifts"
    SALES = "sales"
    TRAININGS = "trainings"
    BILAN = "bilan"  # the free texts of the activity report


EVERYTHING = frozenset(Domain)


class StaleSet:
    """Which of some widgets are out of date, by the domains each shows.

    `widgets` maps each widget to the domains it shows. A widget reloads through its
    `reload()` method.
    """

    def __init__(self) -> None:
        self._shows: dict[object, frozenset[Domain]] = {}
        self._stale: set[object] = set()

    def add(self, widget, shows: frozenset[Domain] | set[Domain]) -> None:
        self._shows[widget] = frozenset(shows)
        self._stale.add(widget)

    def note(self, domains: frozenset[Domain]) -> None:
        """These domains changed: every widget showing one of them is out of date."""
        self._stale |= {w for w, shows in self._shows.items() if shows & domains}

    def is_stale(self, widget) -> bool:
        return widget in self._stale

    def fresh(self, widget) -> None:
        """The widget has just reloaded itself (after its own action): up to date."""
        self._stale.discard(widget)

    def refresh(self, widget) -> bool:
        """Reload the widget if it is out of date; True if it reloaded."""
        if widget not in self._stale:
            return False
        self._stale.discard(widget)
        widget.reload()
        return True
