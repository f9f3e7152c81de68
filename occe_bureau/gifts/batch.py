"""Tax receipts in batches.

Batches (`ReceiptBatch`) run in ONE transaction, rolled back whole if cancelled or if any
receipt fails: the user sees "nothing was issued" rather than "part of the batch was", and
no number is consumed. Each step of the generator issues and renders one receipt, so the
progress bar moves and a cancel stops between two receipts. The PDF (or the folder of
per-donor PDFs) only appears once the transaction has committed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from occe_bureau.db import Database
from occe_bureau.gifts.enums import ReceiptKind
from occe_bureau.gifts.issuing import (
    check_summary_period, has_person_pending, issue_context, issue_gifts, issuing_transaction,
    pending_summary_groups,
)
from occe_bureau.gifts.models import Donation
from occe_bureau.gifts.receipts import issued_doc, record_printed
from occe_bureau.validation import ValidationError
from occe_bureau import clock


# ---- batches ----------------------------------------------------------------------------------

ONE_PDF = "one_pdf"
PER_DONOR = "per_donor"


@dataclass
class BatchSelection:
    """Which pending gifts: a coop's, those received in a period, or all (None = no limit).
    summary=True: one yearly summary receipt per donor over [start, end]."""

    coop_id: int | None = None
    start: date | None = None
    end: date | None = None
    summary: bool = False


@dataclass
class BatchResult:
    receipt_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    pdf: bytes | None = None
    files: list[Path] = field(default_factory=list)
    total_cents: int = 0

    @property
    def first_last(self) -> str:
        return f"{self.numbers[0]} à {self.numbers[-1]}" if self.numbers else ""


def pending_groups(db: Database, sel: BatchSelection, today: date | None = None
                   ) -> list[list[int]]:
    """The gifts of each receipt the batch would issue (one gift each, or a donor's for a
    summary), in issuing order. Raises ValidationError for a period that cannot be used."""
    if sel.summary:
        # A company's summary may cover a financial year; an individual's, a calendar year.
        check_summary_period(db, sel.start, sel.end, today, person=False)
        if sel.start.year != sel.end.year and has_person_pending(db, sel.start, sel.end,
                                                                 coop_id=sel.coop_id):
            check_summary_period(db, sel.start, sel.end, today, person=True)
        return pending_summary_groups(db, sel.start, sel.end, coop_id=sel.coop_id)
    if sel.start and sel.end and sel.start > sel.end:
        raise ValidationError({"period": "Période : le début est après la fin."})
    query = select(Donation.id).where(Donation.receipt_id.is_(None), Donation.withdrawn.is_(False))
    if sel.coop_id:
        query = query.where(Donation.coop_id == sel.coop_id)
    if sel.start:
        query = query.where(Donation.received_on >= sel.start)
    if sel.end:
        query = query.where(Donation.received_on <= sel.end)
    with db.session() as session:
        return [[i] for i in session.scalars(query.order_by(Donation.received_on, Donation.id))]


def pending_count(db: Database, sel: BatchSelection, today: date | None = None) -> int:
    return len(pending_groups(db, sel, today))


class BatchCancelled(Exception):
    """The user stopped the batch: nothing was issued."""


class ReceiptBatch:
    """Issue and print the pending receipts of a selection, one step per receipt.

    Use `steps()` (a generator yielding (done, total)) from a worker; close it (or stop
    iterating and call close) to cancel: the transaction is rolled back, nothing issued, no
    number used, no file left. Or call `run(progress, cancelled)`.
    """

    def __init__(self, db: Database, sel: BatchSelection, *, output: str = ONE_PDF,
                 folder: str | Path | None = None, today: date | None = None,
                 printed: bool = True) -> None:
        """printed=False: the originals are not recorded as printed with the issue (one
        PDF shown in a preview: mark_printed once the secretary confirms they came out)."""
        if output == PER_DONOR and not folder:
            raise ValidationError({"folder": "Choisissez le dossier où enregistrer les reçus."})
        self.db = db
        self.sel = sel
        self.output = output
        self.folder = Path(folder) if folder else None
        self.today = today or clock.today()
        self.printed = printed or output == PER_DONOR  # files written are the originals
        self.groups = pending_groups(db, sel, self.today)
        if output == PER_DONOR:  # a donor's receipts follow each other: one file per donor
            with db.session() as session:
                donor_of = dict(session.execute(select(Donation.id, Donation.donor_id).where(
                    Donation.receipt_id.is_(None), Donation.withdrawn.is_(False))).all())
            self.groups.sort(key=lambda group: donor_of.get(group[0], 0))
        self.total = len(self.groups)
        self.result: BatchResult | None = None

    def steps(self) -> Iterator[tuple[int, int]]:
        from occe_bureau.gifts.receipt_pdf import ReceiptWriter

        result = BatchResult()
        staging = None
        writer = ReceiptWriter() if self.output == ONE_PDF else None
        donor_docs: list = []  # PER_DONOR: the current donor's receipts, written on change

        def write_donor_file() -> None:
            from occe_bureau.gifts.receipt_pdf import receipts_pdf

            if donor_docs:
                first = donor_docs[0]
                path = staging / f"{first.file_stem}.pdf"
                path.write_bytes(receipts_pdf(donor_docs, f"Reçus fiscaux – {first.donor_display}"))
                result.files.append(path)
                donor_docs.clear()

        try:
            if self.output == PER_DONOR:
                self.folder.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=".recus-", dir=self.folder))
            with issuing_transaction(self.db) as session:
                ctx = issue_context(self.db, session)
                ctx.prefetch(session.connection(), [i for group in self.groups for i in group])
                yield 0, self.total
                period = (self.sel.start, self.sel.end) if self.sel.summary else None
                kind = ReceiptKind.SUMMARY if self.sel.summary else ReceiptKind.SINGLE
                for done, group in enumerate(self.groups, start=1):
                    issued = issue_gifts(session, ctx, group, kind=kind, today=self.today,
                                         period=period)
                    values = issued.values
                    doc = issued_doc(issued.id, values, issued.lines, signature=ctx.signature,
                                     logo=ctx.logo)
                    result.receipt_ids.append(issued.id)
                    result.numbers.append(doc.number)
                    result.total_cents += doc.amount_cents
                    if writer is not None:
                        writer.add(doc)
                    else:
                        if donor_docs and values["donor_id"] != donor_docs[0].donor_id:
                            write_donor_file()
                        doc.donor_id = values["donor_id"]
                        donor_docs.append(doc)
                    yield done, self.total
                write_donor_file()
                if self.printed:
                    record_printed(session, result.receipt_ids)
                if writer is not None:
                    result.pdf = writer.finish()
            if staging is not None:  # committed: move the files into place
                final = []
                for path in result.files:
                    target = self.folder / path.name
                    shutil.move(str(path), target)
                    final.append(target)
                result.files = final
            self.result = result
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def run(self, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> BatchResult:
        steps = self.steps()
        try:
            for done, total in steps:
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    steps.close()  # GeneratorExit inside the transaction: rolled back
                    raise BatchCancelled("Émission annulée : aucun reçu n'a été émis.")
        finally:
            steps.close()
        return self.result
