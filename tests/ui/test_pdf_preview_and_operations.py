"""The PDF preview (pages, save) and long operations (progress, clean cancel)."""

from reportlab.platypus import Paragraph
from sqlalchemy import func, select

from occe_bureau.association import letterhead
from occe_bureau.printing import esc, render, styles
from occe_bureau.coops.models import Coop
from occe_bureau.coops import register as svc
from ui.shell import dialogs
from ui.shell.operations import Cancelled, Operation, Progress, run_with_progress
from ui.shell.pdf_preview import PdfPreviewDialog


def sample_pdf(db, pages_of_text: int = 90) -> bytes:
    head = letterhead(db)
    return render([Paragraph(esc(f"Ligne {i} : Łukasz"), styles()["body"]) for i in range(pages_of_text)],
                  head, title="Essai")


def test_preview_shows_pages_and_saves_the_pdf(qtbot, demo_db, tmp_path, monkeypatch):
    pdf = sample_pdf(demo_db)
    dialog = PdfPreviewDialog(pdf, "Essai", "essai.pdf")
    qtbot.addWidget(dialog)
    assert dialog.page_count == 2
    assert dialog.page_box.suffix() == " sur 2"
    first = dialog.page_label.pixmap().toImage()
    dialog.page_box.setValue(2)
    assert dialog.page_label.pixmap().toImage() != first
    width = dialog.page_label.pixmap().width()
    dialog.zoom_box.setValue(150)
    assert dialog.page_label.pixmap().width() > width
    target = tmp_path / "copie"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    dialog.save_button.click()
    assert (tmp_path / "copie.pdf").read_bytes() == pdf


def count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Coop))


def creating_job(db, n):
    """A job that creates n coops in one transaction, reporting progress after each."""

    def job():
        with db.transaction() as session:
            for i in range(n):
                session.add(Coop(number=f"OP-{i}", name=f"Coop {i}", kind="AUTRE"))
                session.flush()
                yield Progress(i + 1, n, f"Coopérative {i + 1} sur {n}")
        return n

    return job


def test_operation_reports_progress_and_returns_its_result(qtbot, db):
    before = count(db)
    seen = []
    operation = Operation(creating_job(db, 5))
    operation.progressed.connect(lambda done, total, text: seen.append((done, total)))
    with qtbot.waitSignal(operation.done, timeout=5000):
        operation.start()
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert operation.result == 5 and operation.error is None and not operation.cancelled
    assert seen[-1] == (5, 5)
    assert count(db) == before + 5


def test_cancelling_an_operation_leaves_nothing_half_done(qtbot, db):
    before = count(db)
    operation = Operation(creating_job(db, 1000))
    operation.progressed.connect(lambda done, total, text: operation.cancel() if done == 3 else None)
    with qtbot.waitSignal(operation.done, timeout=10000):
        operation.start()
    assert operation.cancelled
    assert count(db) == before


def test_run_with_progress_raises_cancelled_and_reports_errors(qtbot, db, monkeypatch):
    def failing():
        yield Progress(1, 2)
        raise RuntimeError("imprimante débranchée")

    reported = []
    monkeypatch.setattr(dialogs, "show_unexpected_error", lambda p, doing, exc: reported.append((doing, exc)))
    try:
        run_with_progress(None, "Essai", "l'impression des reçus", failing)
    except Cancelled:
        pass
    else:
        raise AssertionError("Cancelled expected")
    assert reported[0][0] == "l'impression des reçus" and "débranchée" in str(reported[0][1])
    assert svc.list_coops(db, svc.CoopFilter(year=2025)) == []
