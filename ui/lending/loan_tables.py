"""What the pages of the Prêts tab share: the row colours, the read-only tables and the
category filter."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QTableView

from occe_bureau.lending import inventory

from ui.shell.table_model import RowStyle, RowTableModel

RED = "#b00020"
OVERDUE_STYLE = RowStyle(foreground=RED, bold=True)
BOOKED_STYLE = RowStyle(foreground="#7a4d00")
DONE_STYLE = RowStyle(foreground="#777777")

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


def fill_category_combo(combo: QComboBox, db, *, with_counts: bool) -> None:
    """"Toutes les catégories" then each category (with its number of items if asked), keeping
    the choice, without emitting a change."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("Toutes les catégories", None)
    for category in inventory.list_categories(db):
        combo.addItem(f"{category.name} ({category.items})" if with_counts else category.name,
                      category.id)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)
