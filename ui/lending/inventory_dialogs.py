"""The inventory's forms: an item, and the list of categories. Each saves through one service
call, or nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QVBoxLayout, QWidget,
)

from occe_bureau import lending
from occe_bureau.lending import ItemState
from occe_bureau.validation import StaleRecord, ValidationError
from ui.shell.history_dialog import history_button
from ui.shell.forms import ERROR_STYLE, FormDialog, MoneyEdit, add_row, line_edit, text_area


class ItemDialog(FormDialog):
    """An item of the inventory: code, name, category, accessories, value, loan length, state."""

    def __init__(self, db, item_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le matériel" if item_id else "Nouveau matériel", parent)
        self.db = db
        self.item_id = item_id
        self.code = line_edit(20, "ex. CAM-05", "code")
        self.name = line_edit(150, "ex. Caméra HD", "name")
        self.category = QComboBox()
        self.category.addItem("— choisir —", None)
        for category in lending.list_categories(db):
            self.category.addItem(category.name, category.id)
        self.description = text_area(50)
        self.accessories = text_area(80)
        self.accessories.setPlaceholderText("Un accessoire par ligne (caméra, trépied, 2 batteries…)")
        self.value = MoneyEdit()
        self.days = line_edit(3, "14", "default_loan_days")
        self.state = QComboBox()
        for state in ItemState:
            self.state.addItem(state.label, state.value)
        self.notes = text_area(50)
        form = QFormLayout()
        add_row(form, self.errors, "code", "Code d'inventaire", self.code)
        add_row(form, self.errors, "name", "Désignation", self.name)
        add_row(form, self.errors, "category_id", "Catégorie", self.category)
        add_row(form, self.errors, "description", "Description", self.description)
        add_row(form, self.errors, "accessories", "Accessoires à vérifier", self.accessories)
        add_row(form, self.errors, "replacement_value_cents", "Valeur de remplacement (€)", self.value)
        add_row(form, self.errors, "default_loan_days", "Durée de prêt par défaut (jours)", self.days)
        add_row(form, self.errors, "state", "État", self.state)
        add_row(form, self.errors, "notes", "Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        history_button(self, self.buttons, db, "item", item_id, lambda: f"{self.code.text()} {self.name.text()}")
        layout.addWidget(self.buttons)
        self.version = 1
        if item_id:
            self.reload()
        else:
            self.days.setText("14")

    def reload(self) -> None:
        """The item as saved now, and its version."""
        if self.item_id:
            detail = lending.get_item(self.db, self.item_id)
            self.version = detail.version
            d = detail.data
            self.code.setText(d.code)
            self.name.setText(d.name)
            self.category.setCurrentIndex(max(0, self.category.findData(d.category_id)))
            self.description.setPlainText(d.description)
            self.accessories.setPlainText(d.accessories)
            self.value.set_cents(d.replacement_value_cents)
            self.days.setText(str(d.default_loan_days))
            self.state.setCurrentIndex(self.state.findData(d.state))
            self.notes.setPlainText(d.notes)

    def save(self) -> None:
        try:
            cents = self.value.cents()
        except ValueError as exc:
            raise ValidationError({"replacement_value_cents": f"Valeur de remplacement : {exc}"}) from exc
        data = lending.ItemData(
            code=self.code.text(), name=self.name.text(), category_id=self.category.currentData(),
            description=self.description.toPlainText(), accessories=self.accessories.toPlainText(),
            replacement_value_cents=cents, default_loan_days=self.days.text(),
            state=self.state.currentData(), notes=self.notes.toPlainText())
        if self.item_id:
            lending.update_item(self.db, self.item_id, data, version=self.version)
            self.saved_id = self.item_id
        else:
            self.saved_id = lending.create_item(self.db, data)


class CategoriesDialog(QDialog):
    """The editable list of kinds of material: add, rename, hide (never delete: past figures
    use them)."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QPushButton

        from ui.shell import dialogs

        self.dialogs = dialogs
        self.db = db
        self.changed = False
        self.setWindowTitle("Catégories de matériel")
        self.list = QListWidget()
        self.list.setObjectName("categories")
        self.add_button = QPushButton("Ajouter…")
        self.rename_button = QPushButton("Renommer…")
        self.hide_button = QPushButton("Masquer")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        close = QPushButton("Fermer")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.hide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Les catégories servent aux filtres et aux jours de sortie du "
                                "rapport d'activité. Une catégorie masquée garde son historique."))
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.hide_button.clicked.connect(self.toggle_hidden)
        close.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.rows = lending.list_categories(self.db, include_archived=True)
        self.list.clear()
        for row in self.rows:
            text = f"{row.name} ({row.items} matériel{'s' if row.items > 1 else ''})"
            entry = QListWidgetItem(text + (" — masquée" if row.archived else ""))
            if row.archived:
                entry.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(entry)
            if row.id == select_id:
                self.list.setCurrentItem(entry)
        self._update()

    def current(self) -> lending.CategoryRow | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _update(self) -> None:
        row = self.current()
        self.rename_button.setEnabled(row is not None)
        self.hide_button.setEnabled(row is not None)
        self.hide_button.setText("Afficher" if row is not None and row.archived else "Masquer")

    def _run(self, action) -> None:
        self.message.clear()
        try:
            result = action()
        except StaleRecord as err:  # changed elsewhere: the list shows it as it is now
            self.reload(self.current().id if self.current() else None)
            self.message.setText(err.message)
            return
        except ValidationError as err:
            self.message.setText("\n".join(err.errors.values()))
            return
        self.changed = True
        self.reload(result)

    def add(self) -> None:
        name = self.dialogs.ask_text(self, "Nouvelle catégorie", "Nom de la catégorie :")
        if name and name.strip():
            self._run(lambda: lending.add_category(self.db, name))

    def rename(self) -> None:
        row = self.current()
        if row is None:
            return
        name = self.dialogs.ask_text(self, "Renommer la catégorie", "Nouveau nom :", row.name)
        if name and name.strip():
            self._run(lambda: (lending.rename_category(self.db, row.id, name,
                                                       version=row.version), row.id)[1])

    def toggle_hidden(self) -> None:
        row = self.current()
        if row is not None:
            self._run(lambda: (lending.set_category_archived(self.db, row.id, not row.archived,
                                                             version=row.version), row.id)[1])
