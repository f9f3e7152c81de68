"""A table model over a list of plain rows, described by columns (after Vorta's table models).

Each column says how to show a row and how to sort it; the model sorts its own list
(None last), gives the raw sort value on SORT_ROLE and the row itself on OBJECT_ROLE.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

SORT_ROLE = Qt.ItemDataRole.UserRole
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1

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

    # -- rows -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

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
                return int(self.columns[section].align)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return (column.sort_key or column.text)(row)
        if role == OBJECT_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if self._style is not None and role in (Qt.ItemDataRole.ForegroundRole,
                                                Qt.ItemDataRole.BackgroundRole,
                                                Qt.ItemDataRole.FontRole):
            style = self._style(row)
            if style is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole and style.foreground:
                return self._brush(style.foreground)
            if role == Qt.ItemDataRole.BackgroundRole and style.background:
                return self._brush(style.background)
            if role == Qt.ItemDataRole.FontRole and style.bold:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return None

    def _brush(self, color: str) -> QBrush:
        if color not in self._brushes:
            self._brushes[color] = QBrush(QColor(color))
        return self._brushes[color]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        spec = self.columns[column]
        key = spec.sort_key or spec.text

        def safe(row: Any) -> tuple[bool, Any]:
            value = key(row)
            return (value is None, value if value is not None else 0)

        self._rows.sort(key=safe, reverse=order == Qt.SortOrder.DescendingOrder)
