"""In-app preview of a generated PDF: pages rendered with PDFium, printed through the
system's print dialog, or saved as a PDF file."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from ui.shell import dialogs


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, rev_byteorder=False, may_draw_forms=False)
        width, height = bitmap.width, bitmap.height
        image = QImage(bitmap.buffer, width, height, bitmap.stride, QImage.Format.Format_RGB32
                       if bitmap.n_channels == 4 else QImage.Format.Format_BGR888)
        return image.copy()
    finally:
        page.close()


def print_pdf(parent: QWidget | None, pdf: bytes, title: str) -> bool:
    """Show the system print dialog and print every page; False if the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Imprimer – {title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = pdfium.PdfDocument(pdf)
    try:
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("L'imprimante n'a pas pu être ouverte.")
        try:
            dpi = min(printer.resolution(), 300)
            count = len(document)
            first = max(1, printer.fromPage() or 1) - 1
            last = min(count, printer.toPage() or count)
            for index in range(first, last):
                if index > first:
                    printer.newPage()
                image = render_page(document, index, dpi)
                target = painter.viewport()
                size = image.size()
                size.scale(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(target)
        finally:
            painter.end()
    finally:
        document.close()
    return True


class PdfPreviewDialog(QDialog):
    """One page at a time (a batch of receipts may have thousands), with zoom, print and save."""

    def __init__(self, pdf: bytes, title: str, suggested_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.suggested_name = suggested_name
        self.setWindowTitle(f"Aperçu – {title}")
        self.resize(820, 980)
        self.document = pdfium.PdfDocument(pdf)
        self.page_count = len(self.document)

        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(1, self.page_count))
        self.page_box.setPrefix("Page ")
        self.page_box.setSuffix(f" sur {self.page_count}")
        self.page_box.valueChanged.connect(self._show_page)
        self.zoom_box = QSpinBox()
        self.zoom_box.setRange(50, 250)
        self.zoom_box.setSingleStep(25)
        self.zoom_box.setValue(100)
        self.zoom_box.setSuffix(" %")
        self.zoom_box.valueChanged.connect(lambda _v: self._show_page(self.page_box.value()))
        previous = QPushButton("◀ Précédente")
        previous.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() - 1))
        following = QPushButton("Suivante ▶")
        following.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() + 1))
        self.print_button = QPushButton("Imprimer…")
        self.print_button.clicked.connect(dialogs.guard(self, "l'impression", self._print))
        self.save_button = QPushButton("Enregistrer en PDF…")
        self.save_button.clicked.connect(dialogs.guard(self, "l'enregistrement du PDF", self._save))
        close = QPushButton("Fermer")
        close.clicked.connect(self.accept)

        bar = QHBoxLayout()
        for widget in (previous, self.page_box, following, QLabel("Zoom"), self.zoom_box):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.print_button, self.save_button, close):
            bar.addWidget(widget)

        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setStyleSheet("background: #7a7a7a; padding: 12px;")
        scroll = QScrollArea()
        scroll.setWidget(self.page_label)
        scroll.setWidgetResizable(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        self._show_page(1)

    def _show_page(self, number: int) -> None:
        if not self.page_count:
            self.page_label.setText("Document vide")
            return
        image = render_page(self.document, number - 1, 96 * self.zoom_box.value() / 100)
        self.page_label.setPixmap(QPixmap.fromImage(image))

    def _print(self) -> None:
        print_pdf(self, self.pdf, self.title)

    def _save(self) -> None:
        path = dialogs.ask_save_file(self, "Enregistrer en PDF", self.suggested_name,
                                     "Documents PDF (*.pdf)")
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            Path(path).write_bytes(self.pdf)
            dialogs.show_info(self, "Enregistré", f"Le document a été enregistré :\n{path}")

    def done(self, result: int) -> None:  # noqa: D102
        self.document.close()
        super().done(result)


def show_pdf(parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> None:
    """Open the preview (tests replace this function to catch the PDF instead)."""
    PdfPreviewDialog(pdf, title, suggested_name, parent).exec()
