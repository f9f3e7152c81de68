""""Relancer tous les retards": one letter per overdue loan in one document, and each reminder
recorded on its loan, in one step (like the gifts' receipt batch)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from occe_bureau.db import Database
from occe_bureau.lending.papers import reminder_data, reminder_letters_pdf
from occe_bureau.lending.queries import LoanRow, overdue_loans
from occe_bureau.lending.reminders import record_reminders
from occe_bureau import clock


class ReminderBatch:
    """The overdue loans of today, gathered when the batch is made (`loans`).

    `steps()` yields (done, total, text) between letters, then lays the letters out and
    records every reminder at once: stopped before its end (the generator closed), nothing is
    recorded. Once it has run, `pdf` holds the letters.
    """

    def __init__(self, db: Database, today: date | None = None) -> None:
        self.db = db
        self.today = today or clock.today()
        self.loans: list[LoanRow] = overdue_loans(db, self.today)
        self.total = len(self.loans)
        self.pdf: bytes | None = None

    def steps(self) -> Iterator[tuple[int, int, str]]:
        letters = []
        for index, row in enumerate(self.loans):
            yield (index, self.total + 1,
                   f"Lettre {index + 1} sur {self.total} : {row.coop_number} – {row.coop_name}")
            letters.append(reminder_data(self.db, row.id, self.today))
        yield self.total, self.total + 1, "Mise en page des lettres…"
        pdf = reminder_letters_pdf(self.db, letters)
        record_reminders(self.db, [row.id for row in self.loans], self.today)
        self.pdf = pdf

    def run(self) -> bytes | None:
        """The whole batch at once (no progress): the letters, or None when nothing is late."""
        if not self.loans:
            return None
        for _step in self.steps():
            pass
        return self.pdf
