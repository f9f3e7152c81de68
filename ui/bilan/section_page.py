"""One section of the Bilan on screen: the report's sentences, the figures beside the previous
period's (a click on one opens the list behind it), the charts, the free text for the report."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from occe_bureau import bilan
from occe_bureau.validation import StaleRecord, ValidationError
from ui.shell import dialogs
from ui.shell.table_model import RIGHT, Column, RowStyle, RowTableModel, make_table

PIXELS_PER_POINT = 1.9
LINK_COLOUR = "#1f4e8c"


def figure_columns(current: str, previous: str) -> list[Column]:
    def opens(f) -> str:
        return "Cliquer pour ouvrir la liste correspondante" if f.link else ""

    return [
        Column("Chiffre", lambda f: ("      " if f.level else "") + f.label, width=360, tooltip=opens),
        Column(current, lambda f: f.value_text, align=RIGHT, width=115, tooltip=opens),
        Column(previous, lambda f: f.previous_text, align=RIGHT, width=115),
        Column("Évolution", lambda f: f.change_text, align=RIGHT, width=160),
    ]


def _style(f) -> RowStyle | None:
    if f.level == 0:
        return RowStyle(foreground=LINK_COLOUR if f.link else None, bold=True)
    return RowStyle(foreground=LINK_COLOUR) if f.link else None


class ChartView(QLabel):
    """A chart drawn from its one definition (the same drawing as in the PDF): its SVG rendered
    by Qt's SVG renderer onto a white picture."""

    def __init__(self, chart: bilan.Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setObjectName(f"chart_{chart.key}")
        self.renderer = QSvgRenderer(QByteArray(bilan.chart_svg(chart)), self)
        width, height = bilan.chart_size(chart)
        size = QSize(round(width * PIXELS_PER_POINT), round(height * PIXELS_PER_POINT))
        ratio = self.devicePixelRatioF()
        image = QImage(size * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        self.setPixmap(QPixmap.fromImage(image))
        self.setFixedSize(size)
        self.setToolTip(chart.title)


class SectionPage(QWidget):
    """A page of the Bilan tab; `list_wanted` carries the ListLink of a figure clicked."""

    list_wanted = Signal(object)

    def __init__(self, key: bilan.SectionKey, save_text: Callable[[bilan.SectionKey, str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.section: bilan.Section | None = None
        self._charts_to_draw: tuple = ()
        self._save_text = save_text
        self.setObjectName(f"bilan_{key.value}")
        title = QLabel(f"<b>{key.title}</b>")
        title.setStyleSheet(f"font-size: 14pt; color: {LINK_COLOUR};")
        self.sentences = QLabel()
        self.sentences.setObjectName(f"sentences_{key.value}")
        self.sentences.setWordWrap(True)
        self.sentences.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentences.setTextFormat(Qt.TextFormat.RichText)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555; font-style: italic;")
        self.model = RowTableModel(figure_columns("", ""), self, style=_style)
        self.table = make_table(self.model, f"figures_{key.value}")
        self.table.setSortingEnabled(False)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)

        self.charts = QVBoxLayout()
        self.charts.setContentsMargins(0, 0, 0, 0)
        self.text = QPlainTextEdit()
        self.text.setObjectName(f"text_{key.value}")
        self.text.setPlaceholderText("Un texte libre pour cette section du rapport : les actions de "
                                     "l'année, les projets, un mot de remerciement…")
        self.text.setMinimumHeight(110)
        self.text_error = QLabel()
        self.text_error.setObjectName(f"text_error_{key.value}")
        self.text_error.setStyleSheet("color: #b00020;")
        self.text_error.setWordWrap(True)
        self.text_saved = QLabel()
        self.save_button = QPushButton("Enregistrer le texte")
        self.save_button.setObjectName(f"save_text_{key.value}")
        self.save_button.clicked.connect(dialogs.guard(self, "l'enregistrement du texte", self.save_text))

        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(self.sentences)
        left.addWidget(self.note)
        left.addWidget(self.table, 1)
        right_inner = QWidget()
        right = QVBoxLayout(right_inner)
        right.addLayout(self.charts)
        right.addWidget(QLabel("<b>Texte de la section dans le rapport</b>"))
        right.addWidget(self.text)
        right.addWidget(self.text_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.text_saved, 1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(right_inner)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(round(bilan.CHART_WIDTH * PIXELS_PER_POINT) + 40)
        scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(scroll)

    # -- showing ------------------------------------------------------------------------------
    def show_section(self, section: bilan.Section, report: bilan.Report) -> None:
        self.section = section
        self.sentences.setText("".join(f"<p>• {_html(line)}</p>" for line in section.sentences))
        self.note.setText(section.note)
        self.note.setVisible(bool(section.note))
        self.model.set_rows_and_columns(
            section.figures, figure_columns(report.period.short_label, report.previous.short_label))
        while self.charts.count():
            widget = self.charts.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        # Drawn when the page is first seen: a tab of five pages draws one page's charts.
        self._charts_to_draw = section.charts
        if self.isVisible():
            self._draw_charts()
        self.text.setPlainText(section.text)
        self.text_error.clear()
        self.text_saved.clear()

    def _draw_charts(self) -> None:
        for chart in self._charts_to_draw:
            self.charts.addWidget(ChartView(chart))
        self._charts_to_draw = ()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._charts_to_draw:
            self._draw_charts()

    def _clicked(self, index) -> None:
        figure = self.model.row_at(index.row())
        if figure is not None and figure.link is not None:
            self.list_wanted.emit(figure.link)

    # -- the free text ------------------------------------------------------------------------
    def save_text(self) -> None:
        self.text_error.clear()
        try:
            self.text_saved.setText(self._save_text(self.key, self.text.toPlainText()))
        except StaleRecord as stale:
            self.text_error.setText(stale.message)
        except ValidationError as error:
            self.text_error.setText(" ".join(error.errors.values()))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
