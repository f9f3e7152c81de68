"""A table model over a list of plain rows, described by columns (after Vorta's table models).

Each column says how to show a row and how to sort it; the model sorts its own list
(None last), gives the raw sort value on SORT_ROLE and the row itself on OBJECT_ROLE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QTableView, QToolTip, QWidget,
)

SORT_ROLE = Qt.ItemDataRole.UserRole
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1

# Roles as plain ints: data() is called for every visible cell and role at each repaint,
# and comparing ints is much cheaper than going through the enum each time.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_SORT = int(SORT_ROLE.value)
_OBJECT = int(OBJECT_ROLE.value) if hasattr(OBJECT_ROLE, "value") else int(OBJECT_ROLE)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Any], str] | None = None
    width: int | None = None
    # For a paged table (PagedTableModel): what the core sorts by for this column (one of
    # its order enums); None when the column cannot be sorted.
    order_by: Any = None


@dataclass(frozen=True)
class RowStyle:
    foreground: str | None = None
    background: str | None = None
    bold: bool = False


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None,
                 style: Callable[[Any], RowStyle | None] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._style = style
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._brushes: dict[str, QBrush] = {}
        self._aligns = [int(c.align.value) if hasattr(c.align, "value") else int(c.align)
                        for c in self.columns]

    # -- rows -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows_and_columns(self, rows: Sequence[Any], columns: Sequence[Column]) -> None:
        """New rows under new columns (titles that name a period, say), in one reset."""
        self.beginResetModel()
        self.columns = list(columns)
        self._aligns = [int(c.align.value) if hasattr(c.align, "value") else int(c.align)
                        for c in self.columns]
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def column(self, title: str) -> int:
        """The number of the column with this title."""
        return next(i for i, c in enumerate(self.columns) if c.title == title)

    def find_row(self, row_id: Any) -> int | None:
        """The number of the row whose id is `row_id`, or None."""
        return next((i for i, row in enumerate(self._rows) if row.id == row_id), None)

    # -- Qt ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._aligns[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        role = role if type(role) is int else int(getattr(role, "value", role))
        row_number = index.row()
        if row_number < 0 or row_number >= len(self._rows):
            return None
        if role == _DISPLAY:
            return self.columns[index.column()].text(self._rows[row_number])
        if role == _ALIGN:
            return self._aligns[index.column()]
        if role in (_FOREGROUND, _BACKGROUND, _FONT):
            if self._style is None:
                return None
            style = self._style(self._rows[row_number])
            if style is None:
                return None
            if role == _FOREGROUND and style.foreground:
                return self._brush(style.foreground)
            if role == _BACKGROUND and style.background:
                return self._brush(style.background)
            if role == _FONT and style.bold:
                return self._bold_font()
            return None
        if role == _SORT:
            column = self.columns[index.column()]
            return (column.sort_key or column.text)(self._rows[row_number])
        if role == _OBJECT:
            return self._rows[row_number]
        if role == _TOOLTIP:
            column = self.columns[index.column()]
            return column.tooltip(self._rows[row_number]) if column.tooltip else None
        return None

    def _bold_font(self):
        from PySide6.QtGui import QFont

        font = QFont()
        font.setBold(True)
        return font

    def _brush(self, color: str) -> QBrush:
        if color not in self._brushes:
            self._brushes[color] = QBrush(QColor(color))
        return self._brushes[color]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        # A reset rather than layoutChanged: the view re-reads everything and no persistent
        # index is left pointing at a row that moved.
        self.beginResetModel()
        self._sort_rows(column, order)
        self.endResetModel()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        spec = self.columns[column]
        key = spec.sort_key or spec.text

        def safe(row: Any) -> tuple[bool, Any]:
            value = key(row)
            return (value is None, value if value is not None else 0)

        self._rows.sort(key=safe, reverse=order == Qt.SortOrder.DescendingOrder)


# The core's answer to a page: an object with `rows` and `total` (occe_bureau.paging.RowPage).
PageFetch = Callable[[Any, bool, int, int], Any]


class PagedTableModel(RowTableModel):
    """A table over a list too long to load at once (a year of gifts at ten times a real
    association): the core sorts, searches and counts it in SQL and hands over a page at a
    time; the view asks for the next page as it scrolls (Qt's canFetchMore/fetchMore).
    Clicking a header sorts by the column's `order_by`, asking the core again.

    `fetch(order_by, descending, offset, limit)` returns the page (rows and total)."""

    def __init__(self, columns: Sequence[Column], parent=None,
                 style: Callable[[Any], RowStyle | None] | None = None, page_size: int = 200) -> None:
        super().__init__(columns, parent, style)
        self.page_size = page_size
        self._fetch: PageFetch | None = None
        self._total = 0
        first = next((c.order_by for c in self.columns if c.order_by is not None), None)
        self._order: tuple[Any, bool] = (first, True)

    def set_fetch(self, fetch: PageFetch) -> None:
        """Show the list that `fetch` reads (its first page), in the current order."""
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self._fetch is None:
            self._rows, self._total = [], 0
        else:
            page = self._fetch(self._order[0], self._order[1], 0, self.page_size)
            self._rows, self._total = list(page.rows), page.total
        self.endResetModel()

    def set_rows(self, rows: Sequence[Any]) -> None:
        raise TypeError("a paged table reads its rows from its fetch function (set_fetch)")

    def total(self) -> int:
        """How many rows the whole list has (loaded or not)."""
        return self._total

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008,N802
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008,N802
        if not self.canFetchMore(parent):
            return
        page = self._fetch(self._order[0], self._order[1], len(self._rows), self.page_size)
        rows = list(page.rows)
        if not rows:  # the list shrank meanwhile
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self._total = max(page.total, len(self._rows))

    def find_row(self, row_id: Any) -> int | None:
        """The row whose id is `row_id`, reading further pages until it is found."""
        found = super().find_row(row_id)
        while found is None and self.canFetchMore():
            before = len(self._rows)
            self.fetchMore()
            if len(self._rows) == before:
                return None
            found = next((i for i in range(before, len(self._rows)) if self._rows[i].id == row_id), None)
        return found

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].order_by is None:
            return
        self._order = (self.columns[column].order_by, order == Qt.SortOrder.DescendingOrder)
        self.reload()


class FillingTable(QTableView):
    """A table whose columns fill its width: the number columns keep their chosen widths and
    the text columns share the rest in proportion to theirs; in a narrow window the wide
    text columns shrink, down to half their width (then the table scrolls). The columns
    stay resizable by hand; a cell whose text is cut shows it whole in a tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(CutTextTooltips(self))

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt's name)
        # The viewport, not the table: a vertical scroll bar appearing narrows it too.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fill_width()
        return handled

    def fill_width(self) -> None:
        model = self.model()
        columns = getattr(model, "columns", None)
        if not columns:
            return
        shown = [i for i in range(len(columns)) if not self.isColumnHidden(i)]
        if not shown:
            return
        default = self.horizontalHeader().defaultSectionSize()
        widths = {i: columns[i].width or default for i in shown}
        room = self.viewport().width()
        texts = [i for i in shown if columns[i].align == LEFT] or shown
        space = room - sum(widths.values())
        if space >= 0:  # the text columns share the room left, in proportion to their widths
            chosen = sum(widths[i] for i in texts)
            for i in texts:
                widths[i] += space * widths[i] // chosen
        else:  # the wide ones give some back, down to half (a code of 100 px keeps its width)
            give = {i: widths[i] - max(min(widths[i], 100), widths[i] // 2) for i in texts}
            given = min(-space, sum(give.values()))
            for i in texts:
                widths[i] -= -(-give[i] * given // max(sum(give.values()), 1))
        if sum(widths.values()) < room:
            widths[texts[-1]] += room - sum(widths.values())
        for i, width in widths.items():
            self.setColumnWidth(i, width)


def cut_text_tooltip(view: QTableView, index: QModelIndex) -> str | None:
    """The whole text of a cell too narrow to show it (None when it shows whole, or when the
    model gives its own tooltip)."""
    if not index.isValid() or index.data(_TOOLTIP):
        return None
    text = index.data(_DISPLAY)
    if not text:
        return None
    text = str(text)
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    needed = view.fontMetrics().horizontalAdvance(text) + margin
    return text if needed > view.visualRect(index).width() else None


class CutTextTooltips(QStyledItemDelegate):
    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and isinstance(view, QTableView):
            text = cut_text_tooltip(view, index)
            if text:
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


def make_table(model: RowTableModel, name: str) -> QTableView:
    """The usual read-only list: whole rows selected one at a time, sortable by its header,
    alternate row colours, the columns at their chosen widths and filling the table's width,
    a cut text shown whole in a tooltip."""
    table = FillingTable()
    table.setObjectName(name)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.fill_width()
    return table


# ---- selection ----------------------------------------------------------------------------------
# Rows are plain data with an `id`; a table selects one whole row at a time (make_table).

def selected_row(table: QTableView) -> Any | None:
    """The row (plain data) selected in the table, or None."""
    indexes = table.selectionModel().selectedRows()
    return table.model().row_at(indexes[0].row()) if indexes else None


def select_row_id(table: QTableView, row_id: Any) -> bool:
    """Select and show the row whose id is `row_id`; False if it is not in the table."""
    if row_id is None:
        return False
    model = table.model()
    index = model.find_row(row_id)
    if index is None:
        return False
    table.selectRow(index)
    table.scrollTo(model.index(index, 0))
    return True


@contextmanager
def keeping_selection(table: QTableView) -> Iterator[None]:
    """Reload the table's rows inside the block: the row selected before stays selected
    (if it is still there)."""
    before = selected_row(table)
    yield
    if before is not None:
        select_row_id(table, before.id)
