"""What the pages of the Prêts tab share: the row colours, the read-only tables and the
category filter."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from occe_bureau import lending

from ui.shell.table_model import RowStyle

RED = "#b00020"
OVERDUE_STYLE = RowStyle(foreground=RED, bold=True)
BOOKED_STYLE = RowStyle(foreground="#7a4d00")
DONE_STYLE = RowStyle(foreground="#777777")

def fill_category_combo(combo: QComboBox, db, *, with_counts: bool) -> None:
    """"Toutes les catégories" then each category (with its number of items if asked), keeping
    the choice, without emitting a change."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("Toutes les catégories", None)
    for category in lending.list_categories(db):
        combo.addItem(f"{category.name} ({category.items})" if with_counts else category.name,
                      category.id)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)
