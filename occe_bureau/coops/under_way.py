"""What is still under way with a coop across the lending desk and the gifts: told to the
secretary before she archives it. Each domain says its own part, through its face."""

from __future__ import annotations

from occe_bureau.db import Database
from occe_bureau.formats import counted


def open_business(db: Database, coop_id: int) -> list[str]:
    """What is still under way with this coop, in French, to tell before it is archived:
    loans out, bookings, gifts waiting for their receipt."""
    # Imported here: the lending desk and the gifts build on the register, not the reverse.
    from occe_bureau import gifts, lending

    lines = lending.open_loans_with(db, coop_id)
    pending = gifts.pending_gift_count(db, coop_id)
    if pending:
        lines.append(counted(pending, "don sans reçu", "dons sans reçu")
                     + " (les reçus restent possibles)")
    return lines
