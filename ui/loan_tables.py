"""What the pages of the Prêts tab share: the row colours and the read-only tables."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.table_model import RowStyle, RowTableModel

RED = "#b00020"
OVERDUE_STYLE = RowStyle(foreground=RED, bold=True)
BOOKED_STYLE = RowStyle(foreground="#7a4d00")
DONE_STYLE = RowStyle(foreground="#777777")


def make_table(model, name: str, columns) -> QTableView:
    table = QTableView()
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
    for index, column in enumerate(columns):
        if column.width:
            table.setColumnWidth(index, column.width)
    return table


def selected_row(table: QTableView, model: RowTableModel):
    indexes = table.selectionModel().selectedRows()
    return model.row_at(indexes[0].row()) if indexes else None


def select_row_id(table: QTableView, model: RowTableModel, row_id: int | None) -> None:
    if row_id is None:
        return
    for index, row in enumerate(model.rows()):
        if row.id == row_id:
            table.selectRow(index)
            table.scrollTo(model.index(index, 0))
            return
