"""The September rush: every coop on a line, a column per agenda cycle of the edition, and
whether its town hall pays; the orders are created in one go (all, or none with the bad cells
named and shown in red)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from occe_bureau import clock, coops, sales
from occe_bureau.db import Database
from occe_bureau.validation import ValidationError
from occe_bureau.formats import counted, fold, format_money, school_year_label, school_year_of
from ui.shell.forms import DateEdit, FormDialog

BAD = QBrush(QColor("#f6d5d5"))
CELL = re.compile(r"row_(\d+)_(cell_(\d+)|coop|payer)")


class SeptemberDialog(FormDialog):
    COOP, FIRST_CYCLE = 0, 1

    def __init__(self, db: Database, parent: QWidget | None = None,
                 edition_year: int | None = None) -> None:
        year = edition_year if edition_year is not None else school_year_of(clock.today())
        super().__init__(f"Saisie de septembre – agendas {school_year_label(year)}", parent,
                         save_text="Créer les commandes")
        self.db = db
        self.columns = [c for c in sales.grid_columns(db, year) if c.active]
        self.coops = coops.coop_choices(db)
        self.ordered_on = DateEdit(clock.today())
        self.ordered_on.setObjectName("ordered_on")
        self.find = QLineEdit()
        self.find.setObjectName("find_coop")
        self.find.setPlaceholderText("Trouver une coopérative : numéro, nom, commune…")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self._filter)
        self.town_column = self.FIRST_CYCLE + len(self.columns)
        self.table = QTableWidget(len(self.coops), self.town_column + 1)
        self.table.setObjectName("september_grid")
        self.table.setHorizontalHeaderLabels(
            ["Coopérative"] + [f"Cycle {c.cycle} ({format_money(c.unit_price_cents)})"
                               for c in self.columns] + ["Payé par la mairie"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setColumnWidth(self.COOP, 420)
        for column in range(self.FIRST_CYCLE, self.town_column):
            self.table.setColumnWidth(column, 115)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (_cid, label) in enumerate(self.coops):
            item = QTableWidgetItem(label)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, self.COOP, item)
            for column in range(self.FIRST_CYCLE, self.town_column):
                cell = QTableWidgetItem("")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
            town = QTableWidgetItem("")
            town.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            town.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, self.town_column, town)
        self.summary = QLabel()
        self.summary.setObjectName("grid_summary")
        self.table.itemChanged.connect(lambda _item: self._update_summary())
        top = QHBoxLayout()
        top.addWidget(QLabel("Date des commandes"))
        top.addWidget(self.ordered_on)
        top.addWidget(self.find, 1)
        layout = QVBoxLayout(self)
        if not self.columns:
            layout.addWidget(QLabel(f"Aucun agenda de l'édition {school_year_label(year)} n'est au "
                                    "catalogue : ajoutez-les dans la page Catalogue et stock."))
            self.save_button.setEnabled(False)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(900, 700)
        self._update_summary()

    def _entries(self) -> list[object]:
        """What the grid holds (for the question before leaving with something typed)."""
        return [self.table.item(r, c).text() for r in range(self.table.rowCount())
                for c in range(self.FIRST_CYCLE, self.town_column)]

    def set_quantity(self, coop_id: int, cycle: int, text: str) -> None:
        row = next(i for i, (cid, _l) in enumerate(self.coops) if cid == coop_id)
        column = self.FIRST_CYCLE + [c.cycle for c in self.columns].index(cycle)
        self.table.item(row, column).setText(text)

    def set_town_hall_pays(self, coop_id: int, pays: bool = True) -> None:
        row = next(i for i, (cid, _l) in enumerate(self.coops) if cid == coop_id)
        self.table.item(row, self.town_column).setCheckState(
            Qt.CheckState.Checked if pays else Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        for row, (_cid, label) in enumerate(self.coops):
            folded = fold(label)
            self.table.setRowHidden(row, not all(w in folded for w in words))

    def rows(self) -> tuple[list[sales.GridRow], list[int]]:
        """The lines typed, and the table row of each (for the errors)."""
        rows, where = [], []
        for row, (cid, _label) in enumerate(self.coops):
            typed = {c.product_id: self.table.item(row, self.FIRST_CYCLE + i).text()
                     for i, c in enumerate(self.columns)}
            if not any(t.strip() for t in typed.values()):
                continue
            town = self.table.item(row, self.town_column).checkState() == Qt.CheckState.Checked
            rows.append(sales.GridRow(cid, typed, sales.PayerKind.TOWN_HALL if town else sales.PayerKind.COOP))
            where.append(row)
        return rows, where

    def _update_summary(self) -> None:
        total = 0
        for row in range(self.table.rowCount()):
            for column in range(self.FIRST_CYCLE, self.town_column):
                text = self.table.item(row, column).text().strip()
                total += int(text) if text.isdigit() else 0
        typed, _where = self.rows()
        self.summary.setText(f"{counted(len(typed), 'commande', 'commandes')}, "
                             f"{counted(total, 'agenda', 'agendas')}")

    def save(self) -> None:
        rows, where = self.rows()
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                self.table.item(row, column).setBackground(QBrush())
        try:
            self.saved_ids = sales.enter_grid(self.db, rows, ordered_on=self.ordered_on.value())
        except ValidationError as err:
            for key in err.errors:
                match = CELL.fullmatch(key)
                if not match:
                    continue
                table_row = where[int(match[1])]
                if match[3]:
                    ids = [c.product_id for c in self.columns]
                    column = self.FIRST_CYCLE + ids.index(int(match[3]))
                else:
                    column = self.COOP if match[2] == "coop" else self.town_column
                self.table.item(table_row, column).setBackground(BAD)
                self.table.scrollToItem(self.table.item(table_row, column))
            raise
        self.saved_id = self.saved_ids[0] if self.saved_ids else None
