"""The catalogue and its stock: products (agendas by cycle and edition, books, kits…), active
or not, and stock as dated movements with a reason. Stock is the sum of the movements, never
typed in; the list warns at the low-stock threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from occe_bureau import clock, versions
from occe_bureau.db import Database
from occe_bureau.formats import format_money, parse_money, school_year_label
from occe_bureau.sales.enums import AGENDA_CYCLES, MovementReason, ProductKind, agenda_name
from occe_bureau.sales.models import Product, StockMovement
from occe_bureau.validation import MAX_AMOUNT_CENTS, Checker, ValidationError

MAX_QUANTITY = 100_000


@dataclass
class ProductData:
    name: str = ""
    kind: ProductKind = ProductKind.BOOK
    cycle: int | None = None
    edition_year: int | None = None
    unit_price: str | int = ""          # typed euros ("6,50") or cents (int)
    low_stock: str | int = 0
    active: bool = True
    version: int = 1                    # as the form opened it (occe_bureau/versions.py)


@dataclass(frozen=True)
class ProductRow:
    id: int
    name: str
    kind: ProductKind
    cycle: int | None
    edition_year: int | None
    unit_price_cents: int
    active: bool
    low_stock: int
    stock: int
    version: int = 1                    # as listed

    @property
    def is_low(self) -> bool:
        return self.stock <= self.low_stock

    @property
    def kind_label(self) -> str:
        if self.kind is ProductKind.AGENDA and self.cycle:
            return f"Agenda cycle {self.cycle}"
        return self.kind.label

    @property
    def edition_label(self) -> str:
        return school_year_label(self.edition_year) if self.edition_year else ""

    @property
    def stock_warning(self) -> str:
        if self.stock < 0:
            return "Stock négatif : une vente a été livrée sans stock enregistré."
        if self.is_low:
            return "Stock bas."
        return ""


@dataclass(frozen=True)
class MovementRow:
    id: int
    moved_on: date
    quantity: int
    reason: MovementReason
    note: str
    order_number: str


def price_cents(c: Checker, field: str, label: str, value: str | int) -> int:
    """A unit price: more than zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value
    else:
        text = str(value or "").strip()
        if not text:
            c.add(field, f"{label} : ce champ est obligatoire.")
            return 0
        try:
            cents = parse_money(text)
        except ValueError as err:
            c.add(field, f"{label} : {err}")
            return 0
    if cents <= 0:
        c.add(field, f"{label} : doit être supérieur à zéro.")
    elif cents > MAX_AMOUNT_CENTS:
        c.add(field, f"{label} : {format_money(cents)} semble trop élevé.")
    return cents


def quantity_of(c: Checker, field: str, label: str, value: object, *, signed: bool = False) -> int:
    """A whole number of items: more than zero (or, `signed`, anything but zero)."""
    text = str(value if value is not None else "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        c.add(field, f"{label} : ce champ est obligatoire.")
        return 0
    try:
        number = int(text)
    except ValueError:
        c.add(field, f"{label} : un nombre entier est attendu.")
        return 0
    if signed and number == 0:
        c.add(field, f"{label} : ne peut pas être nul.")
    elif not signed and number <= 0:
        c.add(field, f"{label} : doit être supérieur à zéro.")
    elif abs(number) > MAX_QUANTITY:
        c.add(field, f"{label} : {number} semble trop grand (au plus {MAX_QUANTITY}).")
    return number


def check_product(data: ProductData) -> dict:
    c = Checker()
    kind = ProductKind(data.kind)
    values = dict(kind=kind, active=bool(data.active), cycle=None, edition_year=None)
    if kind is ProductKind.AGENDA:
        if data.cycle not in AGENDA_CYCLES:
            c.add("cycle", "Cycle : choisissez le cycle 1, 2 ou 3.")
        if not data.edition_year or not 2000 <= int(data.edition_year) <= 2100:
            c.add("edition_year", "Édition : l'année scolaire de l'édition est obligatoire.")
        values.update(cycle=data.cycle, edition_year=data.edition_year)
        name = data.name.strip() or (agenda_name(data.cycle, data.edition_year)
                                     if not c.errors else "")
        values["name"] = c.text("name", "Désignation", name, max_length=200, required=True,
                                name_like=True)
    else:
        values["name"] = c.text("name", "Désignation", data.name, max_length=200, required=True,
                                name_like=True)
    values["unit_price_cents"] = price_cents(c, "unit_price", "Prix unitaire", data.unit_price)
    low = str(data.low_stock if data.low_stock is not None else "0").strip() or "0"
    values["low_stock"] = c.count("low_stock", "Seuil de stock bas", low, maximum=MAX_QUANTITY)
    c.raise_if_any()
    return values


def _same_agenda(session, values: dict, product_id: int | None) -> bool:
    if values["kind"] is not ProductKind.AGENDA:
        return False
    query = select(Product.id).where(Product.kind == ProductKind.AGENDA,
                                     Product.cycle == values["cycle"],
                                     Product.edition_year == values["edition_year"])
    if product_id is not None:
        query = query.where(Product.id != product_id)
    return session.scalar(query) is not None


def create_product(db: Database, data: ProductData) -> int:
    values = check_product(data)
    with db.transaction() as session:
        if _same_agenda(session, values, None):
            raise ValidationError({"cycle": "Cet agenda (même cycle, même édition) est déjà au "
                                            "catalogue."})
        product = Product(**values)
        session.add(product)
        session.flush()
        return product.id


def update_product(db: Database, product_id: int, data: ProductData, *,
                   version: int | None = None) -> None:
    """With the version the form opened (`ProductData.version`), a product changed since is
    refused with StaleRecord, and nothing is written."""
    values = check_product(data)
    with db.transaction() as session:
        if version is not None:
            versions.claim(session, Product, product_id, version)
        product = session.get(Product, product_id)
        if product is None:
            raise ValidationError({"name": "Ce produit n'existe plus."})
        if _same_agenda(session, values, product_id):
            raise ValidationError({"cycle": "Cet agenda (même cycle, même édition) est déjà au "
                                            "catalogue."})
        for key, value in values.items():
            setattr(product, key, value)


def get_product(db: Database, product_id: int) -> ProductData:
    with db.session() as session:
        p = session.get(Product, product_id)
        return ProductData(p.name, ProductKind(p.kind), p.cycle, p.edition_year,
                           p.unit_price_cents, p.low_stock, p.active, p.version)


def stock_column():
    return func.coalesce(func.sum(StockMovement.quantity), 0)


def stock_levels(session, product_ids=None) -> dict[int, int]:
    """Each product's stock today: the sum of its movements."""
    query = select(StockMovement.product_id, stock_column()).group_by(StockMovement.product_id)
    if product_ids is not None:
        query = query.where(StockMovement.product_id.in_(list(product_ids)))
    return dict(session.execute(query).all())


def list_products(db: Database, *, active_only: bool = False, kind: ProductKind | None = None
                  ) -> list[ProductRow]:
    stock = (select(StockMovement.product_id.label("pid"), stock_column().label("stock"))
             .group_by(StockMovement.product_id).subquery())
    query = (select(Product, func.coalesce(stock.c.stock, 0))
             .outerjoin(stock, stock.c.pid == Product.id)
             .order_by(case((Product.kind == ProductKind.AGENDA, 0), else_=1),
                       Product.edition_year.desc(), Product.cycle, Product.name))
    if active_only:
        query = query.where(Product.active.is_(True))
    if kind is not None:
        query = query.where(Product.kind == kind)
    with db.session() as session:
        return [ProductRow(p.id, p.name, ProductKind(p.kind), p.cycle, p.edition_year,
                           p.unit_price_cents, p.active, p.low_stock, int(s), p.version)
                for p, s in session.execute(query).all()]


def add_movement(db: Database, product_id: int, quantity: object, reason: MovementReason,
                 *, on: date | None = None, note: str = "") -> int:
    """Goods received, a return or a correction (sales come from deliveries)."""
    c = Checker()
    reason = MovementReason(reason)
    signed = reason is MovementReason.CORRECTION
    number = quantity_of(c, "quantity", "Quantité", quantity, signed=signed)
    note = c.text("note", "Commentaire", note, max_length=300)
    if reason is MovementReason.SALE:
        c.add("reason", "Motif : une vente sort du stock à la livraison de sa commande.")
    c.raise_if_any()
    with db.transaction() as session:
        if session.get(Product, product_id) is None:
            raise ValidationError({"product": "Ce produit n'existe plus."})
        movement = StockMovement(product_id=product_id, moved_on=on or clock.today(),
                                 quantity=number, reason=reason, note=note)
        session.add(movement)
        session.flush()
        return movement.id


def list_movements(db: Database, product_id: int) -> list[MovementRow]:
    from occe_bureau.sales.models import SaleOrder

    query = (select(StockMovement, SaleOrder.number)
             .outerjoin(SaleOrder, SaleOrder.id == StockMovement.order_id)
             .where(StockMovement.product_id == product_id)
             .order_by(StockMovement.moved_on.desc(), StockMovement.id.desc()))
    with db.session() as session:
        return [MovementRow(m.id, m.moved_on, m.quantity, MovementReason(m.reason), m.note,
                            number or "")
                for m, number in session.execute(query).all()]


def agenda_products(db: Database, edition_year: int) -> list[ProductRow]:
    """The agendas of an edition, by cycle (the columns of the September grid)."""
    return sorted((p for p in list_products(db, kind=ProductKind.AGENDA)
                   if p.edition_year == edition_year), key=lambda p: p.cycle or 0)
