"""Orders: a coop's order of products, who pays it, its lines (unit price from the catalogue,
editable), its total, delivery (the sale movements out of stock), cancellation, and the list
(search, filters, sort and paging in SQL: the list grows by some thousand orders a year).

An order's total, paid amount and state are written by `settle` only, from its lines, its
payments, its delivery and its cancellation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select

from occe_bureau import clock, versions
from occe_bureau.coops import Coop
from occe_bureau.counters import next_in_series
from occe_bureau.db import Database, write_lock
from occe_bureau.formats import fold, format_int, school_year_of
from occe_bureau.sales.catalogue import price_cents, quantity_of, stock_levels
from occe_bureau.sales.enums import (
    InvoiceKind, MovementReason, OrderState, PayerKind,
)
from occe_bureau.sales.models import (
    Invoice, OrderLine, Payer, Product, SaleOrder, SalePayment, SalesCounter, StockMovement,
)
from occe_bureau.validation import Checker, ValidationError
from occe_bureau.versions import LIST_ADVICE, LIST_SINCE


@dataclass
class LineData:
    product_id: int | None = None
    quantity: object = ""
    unit_price: str | int | None = None    # None or "": the catalogue's price


@dataclass
class OrderData:
    coop_id: int | None = None
    ordered_on: date | None = None
    payer_kind: PayerKind = PayerKind.COOP
    payer_id: int | None = None
    commitment_number: str = ""
    notes: str = ""
    lines: list[LineData] = field(default_factory=list)


@dataclass(slots=True)
class OrderRow:
    id: int
    number: str
    year: int
    ordered_on: date
    coop_id: int
    coop_number: str
    coop_name: str
    payer_kind: PayerKind
    payer_name: str
    state: OrderState
    total_cents: int
    paid_cents: int
    delivered_on: date | None
    invoice_id: int | None
    invoice_number: str
    invoice_on: date | None
    due_on: date | None
    reminded_on: date | None
    age_days: int | None          # days since the invoice (unpaid orders)
    days_overdue: int             # days past the due date (0 if not yet due)
    version: int = 1              # as listed (occe_bureau/versions.py)

    @property
    def due_cents(self) -> int:
        return self.total_cents - self.paid_cents

    @property
    def payer_label(self) -> str:
        return self.payer_name if self.payer_kind is not PayerKind.COOP else "La coopérative"


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderRow]
    count: int                 # every order matching the filter (the page shows some)
    total_cents: int
    due_cents: int

    @property
    def summary(self) -> str:
        from occe_bureau.formats import format_money

        shown = ("" if len(self.rows) == self.count
                 else f" ({format_int(len(self.rows))} affichées)")
        return (f"{format_int(self.count)} {'commande' if self.count < 2 else 'commandes'}"
                f"{shown} — {format_money(self.total_cents)}, reste dû "
                f"{format_money(self.due_cents)}")


SORTS = ("number", "date", "coop", "payer", "state", "total", "due", "invoice", "age")


@dataclass
class OrderFilter:
    search: str = ""
    state: OrderState | None = None
    school_year: int | None = None
    unpaid_only: bool = False        # invoiced, not cancelled, something still due
    coop_id: int | None = None
    sort: str = "number"
    descending: bool = True
    offset: int = 0
    limit: int | None = 500


@dataclass(frozen=True)
class LineView:
    product_id: int
    product_name: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class PaymentView:
    id: int
    paid_on: date
    amount_cents: int
    method: str
    reference: str
    described: str


@dataclass(frozen=True)
class InvoiceView:
    id: int
    kind: InvoiceKind
    number: str
    issued_on: date
    total_cents: int
    cancelled: bool
    due_on: date


@dataclass(frozen=True)
class OrderDetail:
    row: OrderRow
    payer_id: int | None
    commitment_number: str
    notes: str
    cancel_reason: str
    lines: list[LineView]
    payments: list[PaymentView]
    invoices: list[InvoiceView]

    @property
    def version(self) -> int:
        """The order's version as read: the form hands it back on saving."""
        return self.row.version

    @property
    def may_edit(self) -> bool:
        return (self.row.state is OrderState.ORDERED and self.row.invoice_id is None
                and self.row.paid_cents == 0)

    @property
    def may_deliver(self) -> bool:
        return self.row.state is not OrderState.CANCELLED and self.row.delivered_on is None

    @property
    def may_pay(self) -> bool:
        return self.row.state is not OrderState.CANCELLED and self.row.due_cents > 0

    @property
    def may_invoice(self) -> bool:
        return (self.row.state is not OrderState.CANCELLED and self.row.invoice_id is None
                and self.row.total_cents > 0)

    @property
    def may_cancel(self) -> bool:
        return self.row.state is not OrderState.CANCELLED and self.row.paid_cents == 0

    def to_data(self) -> OrderData:
        return OrderData(self.row.coop_id, self.row.ordered_on, self.row.payer_kind,
                         self.payer_id, self.commitment_number, self.notes,
                         [LineData(line.product_id, line.quantity, line.unit_price_cents)
                          for line in self.lines])


# ---- checks -------------------------------------------------------------------------------

def check_order(session, data: OrderData, *, kept_products: frozenset[int] = frozenset()) -> dict:
    """The order's values and lines, or a ValidationError field by field ("line_2_quantity").
    An inactive product is refused on a new line (a line already on the order may keep it)."""
    c = Checker()
    if data.coop_id is None or session.get(Coop, data.coop_id) is None:
        c.add("coop", "Coopérative : choisissez la coopérative qui commande.")
    payer_kind = PayerKind(data.payer_kind)
    if payer_kind is not PayerKind.COOP:
        payer = session.get(Payer, data.payer_id) if data.payer_id else None
        if payer is None:
            c.add("payer", "Payeur : choisissez la mairie ou le payeur de la commande.")
        elif payer.kind != payer_kind:
            c.add("payer", f"Payeur : {payer.name} n'est pas {payer_kind.label.lower()}.")
    commitment = c.text("commitment_number", "Numéro d'engagement", data.commitment_number,
                        max_length=50)
    if commitment and payer_kind is PayerKind.COOP:
        c.add("commitment_number", "Numéro d'engagement : seulement pour une commande payée par "
                                   "une mairie ou un autre payeur.")
    notes = c.text("notes", "Remarques", data.notes, max_length=1000, multiline=True)
    # A row left blank in the form is no line; the others keep their row number for the errors.
    lines = [(index, line) for index, line in enumerate(data.lines)
             if line.product_id is not None or str(line.quantity or "").strip()]
    if not lines:
        c.add("lines", "Lignes : une commande a au moins une ligne.")
    ids = {line.product_id for _i, line in lines if line.product_id is not None}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    checked = []
    for index, line in lines:
        product = products.get(line.product_id)
        if product is None:
            c.add(f"line_{index}_product", f"Ligne {index + 1} : choisissez un produit.")
            continue
        if not product.active and product.id not in kept_products:
            c.add(f"line_{index}_product",
                  f"Ligne {index + 1} : « {product.name} » n'est plus au catalogue (produit "
                  "inactif).")
        quantity = quantity_of(c, f"line_{index}_quantity", f"Ligne {index + 1}, quantité",
                               line.quantity)
        price = line.unit_price
        if price is None or (isinstance(price, str) and not price.strip()):
            price = product.unit_price_cents
        cents = price_cents(c, f"line_{index}_price", f"Ligne {index + 1}, prix unitaire", price)
        checked.append(dict(product_id=product.id, quantity=quantity, unit_price_cents=cents))
    c.raise_if_any()
    return dict(coop_id=data.coop_id, ordered_on=data.ordered_on or clock.today(),
                payer_kind=payer_kind,
                payer_id=data.payer_id if payer_kind is not PayerKind.COOP else None,
                commitment_number=commitment, notes=notes), checked


def format_order_number(year: int, seq: int) -> str:
    return f"C{year}-{seq:04d}"


def new_order(session, values: dict, lines: list[dict]) -> int:
    """Insert a checked order and its lines, numbered in the caller's transaction."""
    year = school_year_of(values["ordered_on"])
    seq = next_in_series(session.connection(), SalesCounter.__table__, {"series": "C", "year": year})
    order = SaleOrder(number=format_order_number(year, seq), year=year, seq=seq, **values)
    session.add(order)
    session.flush()
    session.add_all(OrderLine(order_id=order.id, **line) for line in lines)
    session.flush()
    settle(session, order.id)
    return order.id


def create_order(db: Database, data: OrderData) -> int:
    with db.transaction() as session:
        write_lock(session)
        values, lines = check_order(session, data)
        return new_order(session, values, lines)


def current_invoice_id(session, order_id: int) -> int | None:
    return session.scalar(select(Invoice.id).where(
        Invoice.order_id == order_id, Invoice.kind == InvoiceKind.INVOICE,
        Invoice.cancelled.is_(False)))


def update_order(db: Database, order_id: int, data: OrderData, *,
                 version: int | None = None) -> None:
    """With the version the form opened (`OrderDetail.version`), an order changed since
    (edited, delivered, paid, cancelled…) is refused with StaleRecord, and nothing is written."""
    with db.transaction() as session:
        write_lock(session)
        if version is not None:
            versions.claim(session, SaleOrder, order_id, version)
        order = session.get(SaleOrder, order_id)
        if order is None:
            raise ValidationError({"coop": "Cette commande n'existe plus."})
        if current_invoice_id(session, order_id) is not None:
            raise ValidationError({"lines": "La facture de cette commande est émise : annulez-la "
                                            "(un avoir lui répond) avant de corriger la commande."})
        if order.state == OrderState.CANCELLED or order.delivered_on is not None:
            raise ValidationError({"lines": "Une commande livrée ou annulée ne se modifie plus."})
        old = session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).all()
        values, lines = check_order(session, data,
                                    kept_products=frozenset(line.product_id for line in old))
        if school_year_of(values["ordered_on"]) != order.year:
            raise ValidationError({"ordered_on": "Date : la commande reste dans l'année scolaire de "
                                                 "son numéro."})
        for key, value in values.items():
            setattr(order, key, value)
        for line in old:
            session.delete(line)
        session.flush()
        session.add_all(OrderLine(order_id=order_id, **line) for line in lines)
        session.flush()
        settle(session, order_id)


# ---- the one function that writes an order's amounts and state -----------------------------

def settle(session, order_id: int) -> None:
    order = session.get(SaleOrder, order_id)
    order.total_cents = session.scalar(
        select(func.coalesce(func.sum(OrderLine.quantity * OrderLine.unit_price_cents), 0))
        .where(OrderLine.order_id == order_id))
    order.paid_cents = session.scalar(
        select(func.coalesce(func.sum(SalePayment.amount_cents), 0))
        .where(SalePayment.order_id == order_id))
    if order.cancelled_on is not None:
        order.state = OrderState.CANCELLED
    elif order.total_cents > 0 and order.paid_cents >= order.total_cents:
        order.state = OrderState.PAID
    elif order.delivered_on is not None:
        order.state = OrderState.DELIVERED
    else:
        order.state = OrderState.ORDERED
    session.flush()


# ---- delivery and cancellation -------------------------------------------------------------

@dataclass(frozen=True)
class Shortfall:
    product_name: str
    stock: int
    quantity: int

    @property
    def text(self) -> str:
        return (f"{self.product_name} : {format_int(self.stock)} en stock, "
                f"{format_int(self.quantity)} à livrer (le stock passera à "
                f"{format_int(self.stock - self.quantity)}).")


def stock_shortfalls(db: Database, order_id: int) -> list[Shortfall]:
    """The products this delivery would take below zero (a warning: the delivery may still
    go ahead, the stock then shows negative until goods received are entered)."""
    with db.session() as session:
        lines = session.execute(
            select(OrderLine.product_id, Product.name, func.sum(OrderLine.quantity))
            .join(Product, Product.id == OrderLine.product_id)
            .where(OrderLine.order_id == order_id)
            .group_by(OrderLine.product_id, Product.name)).all()
        stock = stock_levels(session, [pid for pid, _n, _q in lines])
    return [Shortfall(name, stock.get(pid, 0), int(qty)) for pid, name, qty in lines
            if stock.get(pid, 0) - qty < 0]


def claim_listed(session, order_id: int, version: int | None) -> None:
    """An action from the list on the order as listed (`OrderRow.version`), or StaleRecord."""
    if version is not None:
        versions.claim(session, SaleOrder, order_id, version, what="Cette commande",
                       since=LIST_SINCE, advice=LIST_ADVICE)


def deliver_order(db: Database, order_id: int, *, on: date | None = None,
                  version: int | None = None) -> None:
    """The goods handed over: one sale movement out of stock per line. With the version
    listed, an order changed since is refused (StaleRecord)."""
    on = on or clock.today()
    with db.transaction() as session:
        write_lock(session)
        claim_listed(session, order_id, version)
        order = session.get(SaleOrder, order_id, with_for_update=True)
        if order is None or order.state == OrderState.CANCELLED:
            raise ValidationError({"order": "Une commande annulée ne se livre pas."})
        if order.delivered_on is not None:
            raise ValidationError({"order": f"La commande {order.number} est déjà livrée."})
        if on < order.ordered_on:
            raise ValidationError({"delivered_on": "Date de livraison : avant la commande."})
        order.delivered_on = on
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)):
            session.add(StockMovement(product_id=line.product_id, moved_on=on,
                                      quantity=-line.quantity, reason=MovementReason.SALE,
                                      note=order.number, order_id=order_id))
        session.flush()
        settle(session, order_id)


def cancel_order(db: Database, order_id: int, reason: str, *, on: date | None = None,
                 version: int | None = None) -> None:
    """Cancel an order that nothing was paid on: delivered goods come back into stock (a
    return), and its invoice, if issued, is answered by a credit note. With the version
    listed, an order changed since is refused (StaleRecord), nothing done."""
    from occe_bureau.sales.invoicing import credit_invoice

    c = Checker()
    reason = c.text("reason", "Motif", reason, max_length=300, required=True)
    c.raise_if_any()
    on = on or clock.today()
    with db.transaction() as session:
        write_lock(session)
        claim_listed(session, order_id, version)
        order = session.get(SaleOrder, order_id)
        if order is None or order.state == OrderState.CANCELLED:
            raise ValidationError({"reason": "Cette commande est déjà annulée."})
        if order.paid_cents:
            raise ValidationError({"reason": "Des paiements sont enregistrés sur cette commande : "
                                             "elle ne s'annule pas."})
        invoice_id = current_invoice_id(session, order_id)
        if invoice_id is not None:
            credit_invoice(session, invoice_id, reason, on)
        if order.delivered_on is not None:
            for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)):
                session.add(StockMovement(product_id=line.product_id, moved_on=on,
                                          quantity=line.quantity, reason=MovementReason.RETURN,
                                          note=f"Annulation {order.number}", order_id=order_id))
        order.cancelled_on, order.cancel_reason = on, reason
        session.flush()
        settle(session, order_id)


# ---- the list ------------------------------------------------------------------------------

_INVOICES = []


def _invoices():
    """The invoice in force of each order (built once: its column proxies cost to make)."""
    if not _INVOICES:
        _INVOICES.append(_live_invoices())
    return _INVOICES[0]


def _live_invoices():
    return (select(Invoice.order_id, Invoice.id.label("invoice_id"), Invoice.number.label("inv_number"),
                   Invoice.issued_on.label("inv_on"), Invoice.due_on.label("due_on"))
            .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.cancelled.is_(False))
            .subquery())


def _query(f: OrderFilter):
    inv = _invoices()
    columns = (SaleOrder.id, SaleOrder.number, SaleOrder.year, SaleOrder.ordered_on,
               SaleOrder.coop_id, Coop.number, Coop.name, SaleOrder.payer_kind, Payer.name,
               SaleOrder.state, SaleOrder.total_cents, SaleOrder.paid_cents,
               SaleOrder.delivered_on, inv.c.invoice_id, inv.c.inv_number, inv.c.inv_on,
               inv.c.due_on, SaleOrder.reminded_on, SaleOrder.version)
    query = (select(*columns).join(Coop, Coop.id == SaleOrder.coop_id)
             .outerjoin(Payer, Payer.id == SaleOrder.payer_id)
             .outerjoin(inv, inv.c.order_id == SaleOrder.id))
    conditions = []
    if f.school_year is not None:
        conditions.append(SaleOrder.year == f.school_year)
    if f.state is not None:
        conditions.append(SaleOrder.state == f.state)
    if f.coop_id is not None:
        conditions.append(SaleOrder.coop_id == f.coop_id)
    if f.unpaid_only:
        conditions += [inv.c.invoice_id.is_not(None), SaleOrder.state != OrderState.CANCELLED,
                       SaleOrder.paid_cents < SaleOrder.total_cents]
    for word in fold(f.search).split():
        conditions.append(or_(SaleOrder.number.ilike(f"%{word}%"), Coop.search_key.contains(word),
                              Payer.search_key.contains(word), inv.c.inv_number.ilike(f"%{word}%")))
    if conditions:
        query = query.where(and_(*conditions))
    return query, inv


def _order_by(f: OrderFilter, inv):
    keys = {
        "number": (SaleOrder.year, SaleOrder.seq), "date": (SaleOrder.ordered_on, SaleOrder.id),
        "coop": (Coop.name, Coop.number), "payer": (SaleOrder.payer_kind, Payer.name),
        "state": (SaleOrder.state, SaleOrder.id), "total": (SaleOrder.total_cents, SaleOrder.id),
        "due": (SaleOrder.total_cents - SaleOrder.paid_cents, SaleOrder.id),
        "invoice": (inv.c.inv_number, SaleOrder.id), "age": (inv.c.inv_on, SaleOrder.id),
    }[f.sort if f.sort in SORTS else "number"]
    # the oldest invoice is the greatest age
    descending = f.descending != (f.sort == "age")
    return [key.desc() if descending else key for key in keys]


_STATES = {state.value: state for state in OrderState}
_PAYERS = {kind.value: kind for kind in PayerKind}


def _row(r, today: date) -> OrderRow:
    (oid, number, year, ordered_on, coop_id, coop_number, coop_name, payer_kind, payer_name,
     state, total, paid, delivered_on, invoice_id, inv_number, inv_on, due_on, reminded_on,
     version) = r
    unpaid = invoice_id is not None and paid < total and state != "annulee"
    return OrderRow(oid, number, year, ordered_on, coop_id, coop_number, coop_name,
                    _PAYERS[payer_kind], payer_name or "", _STATES[state], total, paid,
                    delivered_on, invoice_id, inv_number or "", inv_on, due_on, reminded_on,
                    (today - inv_on).days if unpaid else None,
                    max(0, (today - due_on).days) if unpaid else 0, version)


def list_orders(db: Database, f: OrderFilter, *, today: date | None = None) -> OrderPage:
    today = today or clock.today()
    query, inv = _query(f)
    counted = query.with_only_columns(
        func.count(), func.coalesce(func.sum(SaleOrder.total_cents), 0),
        func.coalesce(func.sum(SaleOrder.paid_cents), 0), maintain_column_froms=True)
    ordered = query.order_by(*_order_by(f, inv)).offset(f.offset)
    if f.limit is not None:
        ordered = ordered.limit(f.limit)
    with db.engine.connect() as conn:
        count, total, paid = conn.execute(counted).one()
        rows = [_row(r, today) for r in conn.execute(ordered)]
    return OrderPage(rows, count, total, total - paid)


def order_years(db: Database) -> list[int]:
    with db.session() as session:
        years = set(session.scalars(select(SaleOrder.year).distinct()))
    years.add(school_year_of(clock.today()))
    return sorted(years, reverse=True)


def get_order(db: Database, order_id: int) -> OrderDetail:
    from occe_bureau.sales.enums import PaymentMethod

    f = OrderFilter(limit=None)
    query, _inv = _query(f)
    with db.session() as session:
        row = _row(session.execute(query.where(SaleOrder.id == order_id)).one(), clock.today())
        order = session.get(SaleOrder, order_id)
        lines = [LineView(line.product_id, name, line.quantity, line.unit_price_cents)
                 for line, name in session.execute(
                     select(OrderLine, Product.name).join(Product, Product.id == OrderLine.product_id)
                     .where(OrderLine.order_id == order_id).order_by(OrderLine.id))]
        payments = [PaymentView(p.id, p.paid_on, p.amount_cents, p.method, p.reference,
                                PaymentMethod(p.method).described(p.reference))
                    for p in session.scalars(select(SalePayment).where(
                        SalePayment.order_id == order_id).order_by(SalePayment.paid_on, SalePayment.id))]
        invoices = [InvoiceView(i.id, InvoiceKind(i.kind), i.number, i.issued_on, i.total_cents,
                                i.cancelled, i.due_on)
                    for i in session.scalars(select(Invoice).where(Invoice.order_id == order_id)
                                             .order_by(Invoice.issued_at, Invoice.id))]
    return OrderDetail(row, order.payer_id, order.commitment_number, order.notes,
                       order.cancel_reason, lines, payments, invoices)


def orders_to_invoice(db: Database, school_year: int | None = None) -> list[int]:
    """The orders delivered and not cancelled that have no invoice yet, by number."""
    inv = _invoices()
    query = (select(SaleOrder.id).outerjoin(inv, inv.c.order_id == SaleOrder.id)
             .where(inv.c.invoice_id.is_(None), SaleOrder.delivered_on.is_not(None),
                    SaleOrder.state != OrderState.CANCELLED, SaleOrder.total_cents > 0)
             .order_by(SaleOrder.year, SaleOrder.seq))
    if school_year is not None:
        query = query.where(SaleOrder.year == school_year)
    with db.session() as session:
        return list(session.scalars(query))
