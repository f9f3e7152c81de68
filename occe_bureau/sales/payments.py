"""Payments of an order: date, method (a cheque with its number, a transfer, cash, a mandat
administratif) and reference. Partial payments add up; a payment above what is still due is
refused at its field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from occe_bureau import clock
from occe_bureau.db import Database, write_lock
from occe_bureau.formats import format_money, parse_money
from occe_bureau.sales.enums import OrderState, PaymentMethod
from occe_bureau.sales.models import SaleOrder, SalePayment
from occe_bureau.sales.orders import settle
from occe_bureau.validation import MAX_AMOUNT_CENTS, Checker, ValidationError


@dataclass
class PaymentData:
    paid_on: date | None = None
    amount: str | int = ""            # typed euros, or cents
    method: PaymentMethod = PaymentMethod.CHEQUE
    reference: str = ""


def _amount(c: Checker, value: str | int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value
    else:
        if not str(value or "").strip():
            c.add("amount", "Montant : ce champ est obligatoire.")
            return 0
        try:
            cents = parse_money(value)
        except ValueError as err:
            c.add("amount", f"Montant : {err}")
            return 0
    if cents <= 0:
        c.add("amount", "Montant : doit être supérieur à zéro.")
    elif cents > MAX_AMOUNT_CENTS:
        c.add("amount", f"Montant : {format_money(cents)} semble trop élevé.")
    return cents


def record_payment(db: Database, order_id: int, data: PaymentData) -> int:
    c = Checker()
    cents = _amount(c, data.amount)
    method = PaymentMethod(data.method)
    reference = c.text("reference", "Référence", data.reference, max_length=100)
    if method is PaymentMethod.CHEQUE and not reference:
        c.add("reference", "Numéro du chèque : ce champ est obligatoire.")
    paid_on = data.paid_on or clock.today()
    if paid_on > clock.today():
        c.add("paid_on", "Date : un paiement ne se reçoit pas dans le futur.")
    c.raise_if_any()
    with db.transaction() as session:
        write_lock(session)
        # Locked (PostgreSQL): two workstations entering payments of one order queue here.
        order = session.get(SaleOrder, order_id, with_for_update=True)
        if order is None or order.state == OrderState.CANCELLED:
            raise ValidationError({"amount": "Montant : cette commande est annulée, elle ne se "
                                             "paie plus."})
        settle(session, order_id)
        due = order.total_cents - order.paid_cents
        if due <= 0:
            raise ValidationError({"amount": f"Montant : la commande {order.number} est déjà "
                                             "entièrement payée."})
        if cents > due:
            raise ValidationError({"amount": f"Montant : {format_money(cents)} dépasse ce qui reste "
                                             f"dû ({format_money(due)})."})
        if paid_on < order.ordered_on:
            raise ValidationError({"paid_on": "Date : avant la commande."})
        payment = SalePayment(order_id=order_id, paid_on=paid_on, amount_cents=cents,
                              method=method, reference=reference)
        session.add(payment)
        session.flush()
        settle(session, order_id)
        return payment.id
