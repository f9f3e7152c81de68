"""What the Ventes tab's pages and dialogs share: pickers, a table sorted by the database."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter

from occe_bureau import coops, sales
from occe_bureau.db import Database
from ui.shell.table_model import Column, RowTableModel


def coop_combo(db: Database, name: str = "coop") -> QComboBox:
    """The coops that can order (archived ones are left out), searchable by typing."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for cid, label in coops.coop_choices(db):
        combo.addItem(label, cid)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setMinimumWidth(380)
    return combo


def combo_value(combo: QComboBox):
    """The chosen item's data, also when its text was typed in full rather than picked."""
    index = combo.findText(combo.currentText())
    return combo.itemData(index) if index >= 0 else None


def fill_payers(combo: QComboBox, db: Database, kind: sales.PayerKind, chosen: int | None = None) -> None:
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("", None)
    for payer in sales.list_payers(db):
        if payer.kind == kind:
            combo.addItem(payer.label, payer.id)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
    combo.blockSignals(False)


def enum_combo(members, name: str, labels=None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for member in members:
        combo.addItem(labels(member) if labels else member.label, member)
    return combo


class SqlSortedModel(RowTableModel):
    """A table whose rows come sorted by the database (the list of orders grows past a few
    thousand): clicking a header asks for the rows again in that order; `sort_keys` gives the
    database's key of each column (None: that column does not sort)."""

    sort_requested = Signal(str, bool)   # (key, descending)

    def __init__(self, columns: Sequence[Column], sort_keys: Sequence[str | None], parent=None,
                 style=None) -> None:
        super().__init__(columns, parent, style=style)
        self.sort_keys = list(sort_keys)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.sort_keys) and self.sort_keys[column]:
            self.sort_requested.emit(self.sort_keys[column], order == Qt.SortOrder.DescendingOrder)
