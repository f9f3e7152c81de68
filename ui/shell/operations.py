"""Long work off the UI thread, with a progress bar and a clean cancel (after Anki's ops).

A job is a generator function: it yields `Progress(done, total, text)` between units of
work and returns its result. Cancelling closes the generator at its next yield, so the
job's own `with db.transaction()` blocks roll back: nothing half-done is kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.shell import dialogs

log = logging.getLogger("occe_bureau.ui")


@dataclass
class Progress:
    done: int
    total: int
    text: str = ""


class Cancelled(Exception):
    """The user cancelled; whatever the job did in its open transaction was rolled back."""


Job = Callable[[], Generator[Progress, None, Any]]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel_requested = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False

    def run(self) -> None:
        try:
            generator = self.job()
            while True:
                if self.cancel_requested.is_set():
                    generator.close()
                    self.cancelled = True
                    break
                try:
                    step = next(generator)
                except StopIteration as stop:
                    self.result = stop.value
                    break
                self.progressed.emit(step.done, step.total, step.text)
        except BaseException as exc:  # noqa: BLE001 (reported on the UI thread)
            self.error = exc
        finally:
            self.finished.emit()


class Operation(QObject):
    """Runs one job in a thread; the progress dialog can be left out (tests, small jobs)."""

    progressed = Signal(int, int, str)
    done = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = _Worker(job)
        self.thread = QThread()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self.progressed)
        self.worker.finished.connect(self.thread.quit)
        self.thread.finished.connect(self._thread_finished)

    def _thread_finished(self) -> None:
        # The thread has left its event loop; wait until it has really ended before anyone
        # can drop the last reference to it.
        self.thread.wait()
        self.done.emit()

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel_requested.set()

    def wait(self) -> None:
        if self.thread.isRunning():
            loop = QEventLoop()
            self.done.connect(loop.quit)
            if self.thread.isRunning():
                loop.exec()

    @property
    def result(self) -> Any:
        return self.worker.result

    @property
    def error(self) -> BaseException | None:
        return self.worker.error

    @property
    def cancelled(self) -> bool:
        return self.worker.cancelled


def run_with_progress(parent: QWidget | None, title: str, doing: str, job: Job, *,
                      cancellable: bool = True) -> Any:
    """Run the job with a modal progress dialog (Annuler stops it cleanly; a job that
    cannot stop halfway has no Annuler button).

    Returns the job's result; raises Cancelled if the user stopped it. An unexpected error
    is logged and shown; the ValidationError of a job is raised for the caller to show.
    """
    dialog = QProgressDialog(doing, "Annuler", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    operation = Operation(job)

    def on_progress(done: int, total: int, text: str) -> None:
        if total and dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    operation.progressed.connect(on_progress)
    dialog.canceled.connect(operation.cancel)
    operation.start()
    operation.wait()
    dialog.close()
    if operation.error is not None:
        from occe_bureau.validation import ValidationError

        if isinstance(operation.error, ValidationError):
            raise operation.error
        dialogs.report_unexpected_error(parent, doing, operation.error)
        raise Cancelled() from operation.error
    if operation.cancelled:
        raise Cancelled()
    return operation.result
