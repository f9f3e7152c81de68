"""The Ventes tab's orders: the list (search by coop, number or payer; state, school year,
unpaid only; sorted and paged by the database), and what is done to an order — deliver, pay,
invoice, the invoice's PDF and Factur-X file, cancel, remind, the payment receipt — and to
many at once (invoice the delivered orders, print a year's invoices)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from occe_bureau import sales
from occe_bureau.formats import counted, format_date, format_money, school_year_label
from occe_bureau.validation import StaleRecord
from ui.sales.dialogs import OrderDialog, PaymentDialog
from ui.sales.september_dialog import SeptemberDialog
from ui.sales.widgets import SqlSortedModel
from ui.shell import dialogs, pdf_preview
from ui.shell.changes import Domain
from ui.shell.operations import Cancelled, Progress, run_with_progress
from ui.shell.tab_base import choose_year
from ui.shell.table_model import RIGHT, Column, RowStyle, make_table, select_row_id, selected_row

if TYPE_CHECKING:
    from ui.sales.tab import SalesTab

PAGE_SIZE = 500
CANCELLED_STYLE = RowStyle(foreground="#8a8a8a")
OVERDUE_STYLE = RowStyle(foreground="#b3261e")

ORDER_COLUMNS = [
    (Column("Numéro", lambda r: r.number, width=95), "number"),
    (Column("Date", lambda r: format_date(r.ordered_on), width=85), "date"),
    (Column("Coopérative", lambda r: f"{r.coop_number} – {r.coop_name}", width=300), "coop"),
    (Column("Payeur", lambda r: r.payer_label, width=200), "payer"),
    (Column("État", lambda r: r.state.label, width=85), "state"),
    (Column("Montant", lambda r: format_money(r.total_cents), align=RIGHT, width=95), "total"),
    (Column("Reste dû", lambda r: format_money(r.due_cents) if r.due_cents else "", align=RIGHT,
            width=95), "due"),
    (Column("Facture", lambda r: r.invoice_number, width=95), "invoice"),
    (Column("Âge", lambda r: counted(r.age_days, "jour", "jours") if r.age_days is not None else "",
            align=RIGHT, width=75,
            tooltip=lambda r: (f"Échue depuis {counted(r.days_overdue, 'jour', 'jours')}"
                               + (f", relancée le {format_date(r.reminded_on)}" if r.reminded_on else "")
                               if r.days_overdue else None)), "age"),
]


def _style(row: sales.OrderRow) -> RowStyle | None:
    if row.state is sales.OrderState.CANCELLED:
        return CANCELLED_STYLE
    if row.days_overdue:
        return OVERDUE_STYLE
    return None


class OrdersPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.SALES, Domain.ASSOCIATION})

    def __init__(self, tab: SalesTab) -> None:
        super().__init__(tab)
        self.tab, self.db = tab, tab.db
        self.sort, self.descending, self.offset = "number", True, 0
        self.page: sales.OrderPage | None = None
        self.search = QLineEdit()
        self.search.setObjectName("order_search")
        self.search.setPlaceholderText("Rechercher : coopérative, numéro de commande ou de facture, payeur…")
        self.search.setClearButtonEnabled(True)
        self.state = QComboBox()
        self.state.setObjectName("order_state")
        self.state.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.state.addItem("Tous les états", None)
        for state in sales.OrderState:
            self.state.addItem(state.label, state)
        self.year = QComboBox()
        self.year.setObjectName("order_year")
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unpaid = QCheckBox("Factures impayées seulement")
        self.unpaid.setObjectName("unpaid_only")
        self.model = SqlSortedModel([c for c, _k in ORDER_COLUMNS], [k for _c, k in ORDER_COLUMNS],
                                    self, style=_style)
        self.table = make_table(self.model, "order_table")
        header = self.table.horizontalHeader()
        header.blockSignals(True)   # the database's order (newest first) shown, not asked again
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.blockSignals(False)
        self.model.sort_requested.connect(self._sort)
        self.summary = QLabel()
        self.summary.setObjectName("order_summary")
        self.previous_button = QPushButton("◀ Précédentes")
        self.next_button = QPushButton("Suivantes ▶")
        self.buttons: dict[str, QPushButton] = {}
        first = QHBoxLayout()
        second = QHBoxLayout()
        g = dialogs.guard
        for key, text, doing, action, bar in (
            ("new", "Nouvelle commande…", "la saisie d'une commande", self.create, first),
            ("september", "Saisie de septembre…", "la saisie de septembre", self.september, first),
            ("edit", "Modifier…", "la modification d'une commande", self.edit, first),
            ("deliver", "Livrer", "la livraison", self.deliver, first),
            ("pay", "Paiement…", "l'enregistrement d'un paiement", self.pay, first),
            ("invoice", "Facturer", "l'émission de la facture", self.invoice, first),
            ("show_invoice", "Facture…", "l'aperçu de la facture", self.show_invoice, first),
            ("facturx", "Factur-X (Chorus Pro)…", "l'enregistrement du fichier Factur-X", self.save_facturx, second),
            ("receipt", "Reçu de paiement…", "le reçu de paiement", self.receipt, second),
            ("remind", "Relance…", "la relance", self.remind, second),
            ("cancel_invoice", "Annuler la facture…", "l'annulation de la facture", self.cancel_invoice, second),
            ("cancel", "Annuler la commande…", "l'annulation de la commande", self.cancel, second),
            ("invoice_all", "Facturer les commandes livrées…", "la facturation des commandes livrées", self.invoice_delivered, second),
            ("print_all", "Imprimer les factures de l'année…", "l'impression des factures", self.print_year, second),
        ):
            button = QPushButton(text)
            button.setObjectName(f"sales_{key}")
            button.clicked.connect(g(self, doing, action))
            self.buttons[key] = button
            bar.addWidget(button)
        first.addStretch(1)
        second.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.state)
        filters.addWidget(self.year)
        filters.addWidget(self.unpaid)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.search.textChanged.connect(lambda _t: self._filter_changed())
        self.state.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.year.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.unpaid.toggled.connect(lambda _b: self._filter_changed())
        self.previous_button.clicked.connect(lambda: self._move(-PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._move(PAGE_SIZE))
        self.table.doubleClicked.connect(lambda _i: g(self, "la modification d'une commande", self.edit)())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.detail: sales.OrderDetail | None = None
        self._years_filled = False

    # -- the list -----------------------------------------------------------------------------
    def fill_years(self) -> None:
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Toutes les années", None)
        for year in sales.order_years(self.db):
            self.year.addItem(school_year_label(year), year)
        index = self.year.findData(chosen) if self._years_filled else 1
        self.year.setCurrentIndex(max(0, index))
        self.year.blockSignals(False)
        self._years_filled = True

    def show_year(self, year: int) -> None:
        """The orders of school year `year` (from the Bilan), every state, from the first page."""
        if not self._years_filled:
            self.fill_years()
        choose_year(self.year, year, school_year_label(year))
        self.state.setCurrentIndex(0)
        self.unpaid.setChecked(False)
        self.offset = 0
        self.reload()

    def filter(self) -> sales.OrderFilter:
        return sales.OrderFilter(search=self.search.text(), state=self.state.currentData(),
                                 school_year=self.year.currentData(), unpaid_only=self.unpaid.isChecked(),
                                 sort=self.sort, descending=self.descending, offset=self.offset,
                                 limit=PAGE_SIZE)

    def reload(self, select_id: int | None = None) -> None:
        if not self._years_filled:
            self.fill_years()
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        self.page = sales.list_orders(self.db, self.filter())
        self.model.set_rows(self.page.rows)
        select_row_id(self.table, chosen)
        self.summary.setText(self.page.summary)
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + len(self.page.rows) < self.page.count)
        self._update()

    def _filter_changed(self) -> None:
        self.offset = 0
        with dialogs.guarded(self, "la recherche des commandes"):
            self.reload()

    def _sort(self, key: str, descending: bool) -> None:
        self.sort, self.descending, self.offset = key, descending, 0
        with dialogs.guarded(self, "le tri des commandes"):
            self.reload()

    def _move(self, step: int) -> None:
        self.offset = max(0, self.offset + step)
        with dialogs.guarded(self, "l'affichage des commandes"):
            self.reload()

    def status_line(self) -> str:
        return self.summary.text()

    def selected(self) -> sales.OrderRow | None:
        return selected_row(self.table)

    def _update(self) -> None:
        row = self.selected()
        self.detail = sales.get_order(self.db, row.id) if row is not None else None
        d = self.detail
        state = {
            "edit": d is not None and d.may_edit,
            "deliver": d is not None and d.may_deliver,
            "pay": d is not None and d.may_pay,
            "invoice": d is not None and d.may_invoice,
            "show_invoice": d is not None and bool(d.invoices),
            "facturx": d is not None and row.invoice_id is not None and row.payer_kind.is_public_body,
            "receipt": d is not None and row.state is sales.OrderState.PAID and row.invoice_id is not None,
            "remind": d is not None and row.days_overdue > 0,
            "cancel_invoice": d is not None and row.invoice_id is not None and row.paid_cents == 0,
            "cancel": d is not None and d.may_cancel,
        }
        for key, enabled in state.items():
            self.buttons[key].setEnabled(enabled)

    def _done(self, order_id: int | None, message: str) -> None:
        self.tab.announce(Domain.SALES)
        self.fill_years()
        self.reload(select_id=order_id)
        self.tab.status.emit(message)

    def _listed(self, action, row: sales.OrderRow) -> None:
        """An action on the order as listed; changed meanwhile, the list shows it anew and the
        refusal says who changed it (StaleRecord, shown by the guard)."""
        try:
            action()
        except StaleRecord:
            self.reload(select_id=row.id)
            raise

    # -- one order ------------------------------------------------------------------------------
    def create(self) -> None:
        dialog = OrderDialog(self.db, None, self)
        if dialog.exec():
            self._done(dialog.saved_id, "Commande enregistrée.")

    def september(self) -> None:
        dialog = SeptemberDialog(self.db, self)
        if dialog.exec():
            self._done(dialog.saved_id, f"{counted(len(dialog.saved_ids), 'commande créée', 'commandes créées')}.")

    def edit(self) -> None:
        row = self.selected()
        if row is None or self.detail is None or not self.detail.may_edit:
            return
        dialog = OrderDialog(self.db, row.id, self)
        if dialog.exec():
            self._done(row.id, f"Commande {row.number} enregistrée.")

    def deliver(self) -> None:
        row = self.selected()
        if row is None:
            return
        shortfalls = sales.stock_shortfalls(self.db, row.id)
        if shortfalls and not dialogs.ask_confirm(
                self, "Stock insuffisant",
                "Cette livraison fait passer le stock sous zéro :\n"
                + "\n".join(s.text for s in shortfalls)
                + "\n\nLivrer quand même ? (Enregistrez la réception des marchandises dans la page "
                  "Catalogue et stock.)", yes="Livrer quand même", no="Ne pas livrer"):
            return
        self._listed(lambda: sales.deliver_order(self.db, row.id, version=row.version), row)
        self._done(row.id, f"Commande {row.number} livrée.")

    def pay(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PaymentDialog(self.db, row, self)
        if dialog.exec():
            self._done(row.id, f"Paiement de la commande {row.number} enregistré.")

    def invoice(self) -> None:
        row = self.selected()
        if row is None or not dialogs.ask_confirm(
                self, "Émettre la facture ?",
                f"La facture de la commande {row.number} ({format_money(row.total_cents)}, "
                f"{row.payer_label}) prend le numéro suivant de la série, définitivement : elle ne "
                "se modifie plus, elle s'annule par un avoir.", yes="Émettre la facture"):
            return
        invoice_id = sales.issue_invoice(self.db, row.id)
        self._done(row.id, f"Facture de la commande {row.number} émise.")
        self._preview(invoice_id)

    def _current_invoice(self) -> sales.InvoiceView | None:
        if self.detail is None or not self.detail.invoices:
            return None
        live = [i for i in self.detail.invoices if i.kind is sales.InvoiceKind.INVOICE and not i.cancelled]
        return live[-1] if live else self.detail.invoices[-1]

    def _preview(self, invoice_id: int) -> None:
        doc = sales.invoice_document(self.db, invoice_id)
        pdf_preview.show_pdf(self, sales.invoice_file(self.db, invoice_id),
                             f"{doc.kind.label} {doc.number}", f"{doc.kind.label} {doc.number}.pdf")

    def show_invoice(self) -> None:
        invoice = self._current_invoice()
        if invoice is not None:
            self._preview(invoice.id)

    def save_facturx(self) -> None:
        invoice = self._current_invoice()
        if invoice is None or invoice.kind is not sales.InvoiceKind.INVOICE or invoice.cancelled:
            return
        data = sales.facturx_file(self.db, invoice.id)
        path = dialogs.ask_save_file(self, "Enregistrer le fichier Factur-X pour Chorus Pro",
                                     f"Facture {invoice.number} Factur-X.pdf", "Documents PDF (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        Path(path).write_bytes(data)
        sales.mark_printed(self.db, invoice.id)
        dialogs.show_exported(self, "Fichier Factur-X enregistré",
                              f"La facture {invoice.number} est prête à déposer sur Chorus Pro :\n{path}",
                              path)

    def receipt(self) -> None:
        row = self.selected()
        if row is None:
            return
        doc = sales.receipt_document(self.db, row.id)
        pdf_preview.show_pdf(self, sales.payment_receipt_pdf(doc), f"Reçu de paiement {doc.number}",
                             f"Reçu de paiement {doc.number}.pdf")

    def remind(self) -> None:
        row = self.selected()
        if row is None:
            return
        result = sales.remind(self.db, row.id)
        self._done(row.id, f"Relance de la facture {row.invoice_number} enregistrée "
                           f"({counted(result.reminders, 'relance', 'relances')}).")
        pdf_preview.show_pdf(self, sales.reminder_pdf(result.document),
                             f"Relance {row.invoice_number}", f"Relance {row.invoice_number}.pdf")

    def cancel_invoice(self) -> None:
        invoice = self._current_invoice()
        if invoice is None or invoice.cancelled or invoice.kind is not sales.InvoiceKind.INVOICE:
            return
        reason = dialogs.ask_text(self, f"Annuler la facture {invoice.number}",
                                  "La facture garde son numéro ; un avoir, numéroté dans sa propre "
                                  "série, lui répond.\nMotif de l'annulation :")
        if reason is None:
            return
        credit = sales.cancel_invoice(self.db, invoice.id, reason)
        row = self.selected()
        self._done(row.id if row else None, f"Facture {invoice.number} annulée par un avoir.")
        self._preview(credit)

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = dialogs.ask_text(self, f"Annuler la commande {row.number}",
                                  "La commande reste, marquée annulée ; ce qui a été livré revient "
                                  "en stock et sa facture, si elle est émise, est annulée par un "
                                  "avoir.\nMotif :")
        if reason is None:
            return
        self._listed(lambda: sales.cancel_order(self.db, row.id, reason, version=row.version), row)
        self._done(row.id, f"Commande {row.number} annulée.")

    # -- many at once ---------------------------------------------------------------------------
    def invoice_delivered(self) -> None:
        year = self.year.currentData()
        ids = sales.orders_to_invoice(self.db, year)
        if not ids:
            dialogs.show_info(self, "Rien à facturer", "Toutes les commandes livrées ont leur facture.")
            return
        if not dialogs.ask_confirm(self, "Facturer les commandes livrées ?",
                                   f"{counted(len(ids), 'facture sera émise', 'factures seront émises')}, "
                                   "numérotées à la suite, définitivement.", yes="Émettre les factures"):
            return

        def job():
            batch = sales.issue_invoices(self.db, ids)
            while True:
                try:
                    done, total = next(batch)
                except StopIteration as stop:
                    return stop.value
                yield Progress(done, total, f"Facture {done} sur {total}…")

        try:
            made = run_with_progress(self, "Facturation", "Émission des factures…", job)
        except Cancelled:
            self.tab.status.emit("Facturation annulée : aucune facture émise.")
            return
        self._done(None, f"{counted(len(made), 'facture émise', 'factures émises')}.")

    def print_year(self) -> None:
        year = self.year.currentData()
        ids = sales.invoice_ids_for(self.db, school_year=year)
        if not ids:
            dialogs.show_info(self, "Aucune facture", "Aucune facture pour cette année scolaire.")
            return

        def job():
            batch = sales.batch_pdf(self.db, ids)
            while True:
                try:
                    done, total = next(batch)
                except StopIteration as stop:
                    return stop.value
                yield Progress(done, total, f"Facture {done} sur {total}…")

        try:
            pdf = run_with_progress(self, "Factures", "Préparation des factures…", job)
        except Cancelled:
            return
        label = school_year_label(year) if year else "toutes les années"
        pdf_preview.show_pdf(self, pdf, f"Factures {label}", f"Factures {label}.pdf")
