"""Ventes: the catalogue (agendas coopératifs, books, kits), stock as movements, orders and who
pays them, payments, invoices and credit notes in unbroken series, Factur-X for public payers,
and the year's figures.

The public face; the UI and the other domains (the Bilan reads `year_figures`) import from here:
- the codes (`enums.py`): ProductKind, OrderState, PayerKind, PaymentMethod, MovementReason,
  InvoiceKind;
- the catalogue and its stock (`catalogue.py`), the payers (`payers.py`);
- orders, delivery, cancellation and the list (`orders.py`), payments (`payments.py`), the
  September grid (`september.py`);
- invoices, credit notes, receipts and reminders (`invoicing.py`) and their papers
  (`invoice_pdf.py`, `facturx.py`, built on branch sales-docs);
- what Réglages holds for the invoices (`settings.py`), the year's figures (`figures.py`).
"""

from occe_bureau.sales.catalogue import (
    MovementRow, ProductData, ProductRow, add_movement, agenda_products, get_product,
    list_movements, list_products, update_product, create_product,
)
from occe_bureau.sales.enums import (
    AGENDA_CYCLES, InvoiceKind, MovementReason, OrderState, PayerKind, PaymentMethod,
    ProductKind, agenda_name,
)
from occe_bureau.sales.figures import (
    CoopFigure, CycleFigure, ProductFigure, YearFigures, export_year_figures, period_figures,
    year_figures,
)
from occe_bureau.sales.invoicing import (
    ReminderResult, batch_pdf, cancel_invoice, facturx_file, format_invoice_number, invoice_document,
    invoice_documents, invoice_file, invoice_ids_for, invoices_pdf, render_invoice, is_public,
    issue_invoice, issue_invoices, mark_printed, payment_receipt_pdf, read_facturx,
    receipt_document, remind, reminder_pdf,
)
from occe_bureau.sales.orders import (
    SORTS, InvoiceView, LineData, LineView, OrderData, OrderDetail, OrderFilter, OrderPage,
    OrderRow, PaymentView, Shortfall, cancel_order, create_order, deliver_order, get_order,
    list_orders, order_years, orders_to_invoice, stock_shortfalls, update_order,
)
from occe_bureau.sales.payers import PayerData, PayerRow, create_payer, get_payer, list_payers, update_payer
from occe_bureau.sales.payments import PaymentData, record_payment
from occe_bureau.sales.september import GridColumn, GridRow, enter_grid, grid_columns
from occe_bureau.sales.settings import (
    BANK_DETAILS, LATE_PENALTY, PAYMENT_DAYS, SELLER_SIRET, VAT_MENTION, VAT_MENTIONS,
    InvoiceTerms, invoice_terms, siret_problem,
)

__all__ = [
    "AGENDA_CYCLES", "BANK_DETAILS", "LATE_PENALTY", "PAYMENT_DAYS", "SELLER_SIRET", "SORTS",
    "VAT_MENTION", "VAT_MENTIONS", "CoopFigure", "CycleFigure", "GridColumn",
    "GridRow", "InvoiceKind", "InvoiceTerms", "InvoiceView", "LineData",
    "LineView", "MovementReason", "MovementRow", "OrderData", "OrderDetail", "OrderFilter",
    "OrderPage", "OrderRow", "OrderState", "PayerData", "PayerKind", "PayerRow",
    "PaymentData", "PaymentMethod", "PaymentView", "ProductData",
    "ProductFigure", "ProductKind", "ProductRow", "ReminderResult",
    "Shortfall", "YearFigures", "add_movement", "agenda_name", "batch_pdf", "agenda_products",
    "cancel_invoice", "cancel_order", "create_order", "create_payer", "create_product",
    "deliver_order", "enter_grid", "export_year_figures", "facturx_file",
    "format_invoice_number", "get_order",
    "get_payer", "get_product", "grid_columns", "invoice_document", "invoice_documents",
    "invoice_file", "invoice_ids_for", "is_public", "render_invoice", "invoice_terms", "invoices_pdf", "issue_invoice",
    "issue_invoices", "list_movements", "list_orders", "list_payers", "list_products",
    "mark_printed", "order_years", "orders_to_invoice", "payment_receipt_pdf", "read_facturx", "receipt_document", "record_payment",
    "remind", "reminder_pdf", "siret_problem", "stock_shortfalls", "update_order",
    "update_payer", "update_product", "period_figures", "year_figures",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.sales import history as history  # noqa: E402,F401
