"""The Ventes tab's forms: an order with its lines, a payment, a product, a stock movement, a
payer. Each saves through one call of the sales face; its refusals show at their fields."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGridLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
    QWidget,
)

from occe_bureau import clock, sales
from occe_bureau.db import Database
from occe_bureau.formats import format_money, school_year_of
from ui.sales.widgets import coop_combo, combo_value, enum_combo, fill_payers
from ui.shell.forms import DateEdit, FormDialog, MoneyEdit, add_row, line_edit, text_area


class OrderDialog(FormDialog):
    """A new order, or an order not yet delivered nor invoiced."""

    START_LINES = 3

    def __init__(self, db: Database, order_id: int | None = None, parent: QWidget | None = None,
                 coop_id: int | None = None) -> None:
        super().__init__("Modifier la commande" if order_id else "Nouvelle commande", parent)
        self.db, self.order_id = db, order_id
        detail = sales.get_order(db, order_id) if order_id else None
        self.version = detail.version if detail else None   # handed back on saving
        data = detail.to_data() if detail else sales.OrderData(coop_id=coop_id)
        kept = {line.product_id for line in data.lines}
        self.products = [p for p in sales.list_products(db) if p.active or p.id in kept]
        self.coop = coop_combo(db)
        self.coop.setCurrentIndex(max(0, self.coop.findData(data.coop_id)))
        self.ordered_on = DateEdit(data.ordered_on or clock.today())
        self.ordered_on.setObjectName("ordered_on")
        self.payer_kind = enum_combo(sales.PayerKind, "payer_kind")
        self.payer_kind.setCurrentIndex(self.payer_kind.findData(data.payer_kind))
        self.payer = QComboBox()
        self.payer.setObjectName("payer")
        self.commitment = line_edit(50, "donné par la mairie, s'il y en a un", "commitment_number")
        self.commitment.setText(data.commitment_number)
        self.notes = text_area(50)
        self.notes.setPlainText(data.notes)
        form = QFormLayout()
        add_row(form, self.errors, "coop", "Coopérative", self.coop)
        add_row(form, self.errors, "ordered_on", "Date de la commande", self.ordered_on)
        add_row(form, self.errors, "payer_kind", "Payée par", self.payer_kind)
        add_row(form, self.errors, "payer", "Payeur", self.payer)
        add_row(form, self.errors, "commitment_number", "Numéro d'engagement", self.commitment)
        add_row(form, self.errors, "notes", "Remarques", self.notes)
        self.grid = QGridLayout()
        for column, title in enumerate(("Produit", "Quantité", "Prix unitaire (€)")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.rows: list[tuple[QComboBox, object, MoneyEdit]] = []
        for line in data.lines:
            self.add_line(line)
        while len(self.rows) < self.START_LINES:
            self.add_line()
        more = QPushButton("Ajouter une ligne")
        more.clicked.connect(lambda: self.add_line())
        self.total = QLabel()
        self.total.setObjectName("order_total")
        lines_box = QWidget()
        lines_box.setLayout(self.grid)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.wrap("lines", lines_box))
        layout.addWidget(more)
        layout.addWidget(self.total)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.payer_kind.currentIndexChanged.connect(lambda _i: self._payer_kind_changed())
        fill_payers(self.payer, db, sales.PayerKind(data.payer_kind), data.payer_id)
        self._payer_kind_changed(keep=True)
        self._update_total()

    def reload(self) -> None:
        """The order as saved now (its lines too), and its new version."""
        detail = sales.get_order(self.db, self.order_id)
        data = detail.to_data()
        self.version = detail.version
        self.coop.setCurrentIndex(max(0, self.coop.findData(data.coop_id)))
        self.ordered_on.set_value(data.ordered_on)
        self.payer_kind.blockSignals(True)
        self.payer_kind.setCurrentIndex(self.payer_kind.findData(data.payer_kind))
        self.payer_kind.blockSignals(False)
        fill_payers(self.payer, self.db, sales.PayerKind(data.payer_kind), data.payer_id)
        self._payer_kind_changed(keep=True)
        self.commitment.setText(data.commitment_number)
        self.notes.setPlainText(data.notes)
        while len(self.rows) < len(data.lines):
            self.add_line()
        for index, (product, quantity, price) in enumerate(self.rows):
            line = data.lines[index] if index < len(data.lines) else None
            product.setCurrentIndex(max(0, product.findData(line.product_id)) if line else 0)
            quantity.setText(str(line.quantity) if line else "")
            price.set_cents(line.unit_price if line and isinstance(line.unit_price, int) else 0)
        self._update_total()

    def add_line(self, line: sales.LineData | None = None) -> None:
        index = len(self.rows)
        product = QComboBox()
        product.setObjectName(f"line_{index}_product")
        product.addItem("", None)
        for p in self.products:
            product.addItem(f"{p.name} – {format_money(p.unit_price_cents)}", p.id)
        quantity = line_edit(10, "", f"line_{index}_quantity")
        price = MoneyEdit()
        price.setObjectName(f"line_{index}_price")
        if line is not None:
            product.setCurrentIndex(max(0, product.findData(line.product_id)))
            quantity.setText(str(line.quantity))
            if isinstance(line.unit_price, int):
                price.set_cents(line.unit_price)
        product.currentIndexChanged.connect(lambda _i, r=index: self._product_chosen(r))
        quantity.textChanged.connect(lambda _t: self._update_total())
        price.textChanged.connect(lambda _t: self._update_total())
        row = index + 1
        self.grid.addWidget(self.errors.wrap(f"line_{index}_product", product), row, 0)
        self.grid.addWidget(self.errors.wrap(f"line_{index}_quantity", quantity), row, 1)
        self.grid.addWidget(self.errors.wrap(f"line_{index}_price", price), row, 2)
        self.rows.append((product, quantity, price))

    def _product_chosen(self, index: int) -> None:
        product, _quantity, price = self.rows[index]
        chosen = next((p for p in self.products if p.id == product.currentData()), None)
        price.set_cents(chosen.unit_price_cents if chosen else 0)
        self._update_total()

    def _payer_kind_changed(self, keep: bool = False) -> None:
        kind = self.payer_kind.currentData()
        if not keep:
            fill_payers(self.payer, self.db, kind)
        self.payer.setEnabled(kind != sales.PayerKind.COOP)
        self.commitment.setEnabled(kind != sales.PayerKind.COOP)

    def _update_total(self) -> None:
        total = 0
        for _product, quantity, price in self.rows:
            try:
                total += int(quantity.text().strip() or 0) * price.cents()
            except ValueError:
                continue
        self.total.setText(f"Total : {format_money(total)}")

    def data(self) -> sales.OrderData:
        lines = []
        for product, quantity, price in self.rows:
            typed = price.text().strip()
            lines.append(sales.LineData(product.currentData(), quantity.text(), typed or None))
        kind = self.payer_kind.currentData()
        return sales.OrderData(
            coop_id=combo_value(self.coop), ordered_on=self.ordered_on.value(), payer_kind=kind,
            payer_id=self.payer.currentData() if kind != sales.PayerKind.COOP else None,
            commitment_number=self.commitment.text() if kind != sales.PayerKind.COOP else "",
            notes=self.notes.toPlainText(), lines=lines)

    def save(self) -> None:
        if self.order_id is None:
            self.saved_id = sales.create_order(self.db, self.data())
        else:
            sales.update_order(self.db, self.order_id, self.data(), version=self.version)
            self.saved_id = self.order_id


class PaymentDialog(FormDialog):
    def __init__(self, db: Database, order: sales.OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(f"Paiement de la commande {order.number}", parent)
        self.db, self.order = db, order
        self.paid_on = DateEdit(clock.today())
        self.paid_on.setObjectName("paid_on")
        self.amount = MoneyEdit()
        self.amount.setObjectName("amount")
        self.amount.set_cents(order.due_cents)
        methods = list(sales.PaymentMethod)
        if order.payer_kind is sales.PayerKind.TOWN_HALL:   # a town hall pays by mandat
            methods.sort(key=lambda m: m is not sales.PaymentMethod.MANDAT)
        self.method = enum_combo(methods, "method")
        self.reference = line_edit(100, "numéro du chèque, référence du virement ou du mandat",
                                   "reference")
        form = QFormLayout()
        form.addRow("Payeur", QLabel(order.payer_label))
        form.addRow("Reste dû", QLabel(format_money(order.due_cents)))
        add_row(form, self.errors, "paid_on", "Date", self.paid_on)
        add_row(form, self.errors, "amount", "Montant (€)", self.amount)
        add_row(form, self.errors, "method", "Mode de paiement", self.method)
        add_row(form, self.errors, "reference", "Référence", self.reference)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.saved_id = sales.record_payment(self.db, self.order.id, sales.PaymentData(
            self.paid_on.value(), self.amount.text(), self.method.currentData(),
            self.reference.text()))


class ProductDialog(FormDialog):
    def __init__(self, db: Database, product_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier le produit" if product_id else "Nouveau produit", parent)
        self.db, self.product_id = db, product_id
        data = sales.get_product(db, product_id) if product_id else sales.ProductData(
            kind=sales.ProductKind.AGENDA, cycle=2, edition_year=school_year_of(clock.today()))
        self.kind = enum_combo(sales.ProductKind, "kind")
        self.cycle = QComboBox()
        self.cycle.setObjectName("cycle")
        for cycle in sales.AGENDA_CYCLES:
            self.cycle.addItem(f"Cycle {cycle}", cycle)
        self.edition = QComboBox()
        self.edition.setObjectName("edition_year")
        this_year = school_year_of(clock.today())
        for year in range(this_year + 1, this_year - 6, -1):
            self.edition.addItem(f"{year}-{year + 1}", year)
        self.name = line_edit(200, "laissé vide pour un agenda : son nom vient du cycle et de "
                                   "l'édition", "name")
        self.price = MoneyEdit()
        self.price.setObjectName("unit_price")
        self.low = QSpinBox()
        self.low.setObjectName("low_stock")
        self.low.setRange(0, 100_000)
        self.active = QCheckBox("Au catalogue (proposé dans les nouvelles commandes)")
        self._fill(data)
        form = QFormLayout()
        add_row(form, self.errors, "kind", "Type", self.kind)
        add_row(form, self.errors, "cycle", "Cycle", self.cycle)
        add_row(form, self.errors, "edition_year", "Édition", self.edition)
        add_row(form, self.errors, "name", "Désignation", self.name)
        add_row(form, self.errors, "unit_price", "Prix unitaire (€)", self.price)
        add_row(form, self.errors, "low_stock", "Seuil de stock bas", self.low)
        form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _fill(self, data: sales.ProductData) -> None:
        self.version = data.version       # handed back on saving (occe_bureau/versions.py)
        self.kind.setCurrentIndex(self.kind.findData(data.kind))
        self.cycle.setCurrentIndex(max(0, self.cycle.findData(data.cycle)))
        self.edition.setCurrentIndex(max(0, self.edition.findData(data.edition_year)))
        self.name.setText(data.name)
        self.price.set_cents(data.unit_price if isinstance(data.unit_price, int) else 0)
        self.low.setValue(int(data.low_stock or 0))
        self.active.setChecked(data.active)

    def _kind_changed(self) -> None:
        agenda = self.kind.currentData() == sales.ProductKind.AGENDA
        self.cycle.setEnabled(agenda)
        self.edition.setEnabled(agenda)

    def reload(self) -> None:
        """The product as saved now, and its new version."""
        self._fill(sales.get_product(self.db, self.product_id))

    def save(self) -> None:
        agenda = self.kind.currentData() == sales.ProductKind.AGENDA
        data = sales.ProductData(self.name.text(), self.kind.currentData(),
                                 self.cycle.currentData() if agenda else None,
                                 self.edition.currentData() if agenda else None,
                                 self.price.text(), self.low.value(), self.active.isChecked())
        if self.product_id is None:
            self.saved_id = sales.create_product(self.db, data)
        else:
            sales.update_product(self.db, self.product_id, data, version=self.version)
            self.saved_id = self.product_id


class MovementDialog(FormDialog):
    """Goods received, a return, or an inventory correction (sales come from deliveries)."""

    def __init__(self, db: Database, product: sales.ProductRow, parent: QWidget | None = None) -> None:
        super().__init__(f"Mouvement de stock – {product.name}", parent)
        self.db, self.product = db, product
        reasons = [r for r in sales.MovementReason if r is not sales.MovementReason.SALE]
        self.reason = enum_combo(reasons, "reason")
        self.quantity = line_edit(10, "une correction peut être négative", "quantity")
        self.moved_on = DateEdit(clock.today())
        self.note = line_edit(300, "bon de livraison, inventaire…", "note")
        form = QFormLayout()
        form.addRow("Stock aujourd'hui", QLabel(str(product.stock)))
        add_row(form, self.errors, "reason", "Motif", self.reason)
        add_row(form, self.errors, "quantity", "Quantité", self.quantity)
        add_row(form, self.errors, "moved_on", "Date", self.moved_on)
        add_row(form, self.errors, "note", "Commentaire", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.saved_id = sales.add_movement(self.db, self.product.id, self.quantity.text(),
                                           self.reason.currentData(), on=self.moved_on.value(),
                                           note=self.note.text())


class PayerDialog(FormDialog):
    def __init__(self, db: Database, payer_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier le payeur" if payer_id else "Nouveau payeur", parent)
        self.db, self.payer_id = db, payer_id
        row = sales.get_payer(db, payer_id) if payer_id else None
        self.kind = enum_combo([sales.PayerKind.TOWN_HALL, sales.PayerKind.OTHER], "kind")
        self.name = line_edit(200, "Mairie de …", "name")
        self.address = line_edit(300, "", "address")
        self.postal_code = line_edit(5, "", "postal_code")
        self.city = line_edit(100, "", "city")
        self.email = line_edit(200, "", "email")
        self.siret = line_edit(20, "14 chiffres", "siret")
        self.service_code = line_edit(100, "donné par la mairie pour Chorus Pro", "service_code")
        self.version: int | None = None
        if row is not None:
            self._fill(row)
        form = QFormLayout()
        for name, label, widget in (("kind", "Type", self.kind), ("name", "Nom", self.name),
                                    ("address", "Adresse", self.address),
                                    ("postal_code", "Code postal", self.postal_code),
                                    ("city", "Commune", self.city), ("email", "E-mail", self.email),
                                    ("siret", "SIRET", self.siret),
                                    ("service_code", "Code service Chorus Pro", self.service_code)):
            add_row(form, self.errors, name, label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _fill(self, row: sales.PayerRow) -> None:
        self.version = row.version        # handed back on saving (occe_bureau/versions.py)
        self.kind.setCurrentIndex(self.kind.findData(row.kind))
        for edit, value in ((self.name, row.name), (self.address, row.address),
                            (self.postal_code, row.postal_code), (self.city, row.city),
                            (self.email, row.email), (self.siret, row.siret),
                            (self.service_code, row.service_code)):
            edit.setText(value)

    def reload(self) -> None:
        """The payer as saved now, and its new version."""
        self._fill(sales.get_payer(self.db, self.payer_id))

    def save(self) -> None:
        data = sales.PayerData(self.kind.currentData(), self.name.text(), self.address.text(),
                               self.postal_code.text(), self.city.text(), self.email.text(),
                               self.siret.text(), self.service_code.text())
        if self.payer_id is None:
            self.saved_id = sales.create_payer(self.db, data)
        else:
            sales.update_payer(self.db, self.payer_id, data, version=self.version)
            self.saved_id = self.payer_id
