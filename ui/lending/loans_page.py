"""The Prêts tab's first page: loans and bookings, and what is done with them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from occe_bureau.formats import (
    format_date, format_int, school_year_bounds, school_year_label, school_year_of,
)
from occe_bureau import lending
from occe_bureau.lending import LineStatus, LoanAction, LoanStatus, days_label
from ui.shell import dialogs
from ui.shell import pdf_preview
from ui.lending.loan_dialogs import (
    CheckOutDialog, ExtendDialog, LoanDialog, LostDialog, ReturnDialog, TransferDialog,
)
from ui.lending.loan_tables import (
    BOOKED_STYLE, DONE_STYLE, OVERDUE_STYLE,
)
from ui.shell.changes import Domain
from ui.shell.history_dialog import add_history_menu
from ui.shell.table_model import make_table, CENTER, Column, RowStyle, RowTableModel, select_row_id, selected_row
from occe_bureau import clock
from occe_bureau.validation import StaleRecord

if TYPE_CHECKING:
    from ui.lending.tab import LoansTab

LOAN_COLUMNS = [
    Column("Bon n°", lambda r: r.slip_label, width=64),
    Column("Coopérative", lambda r: f"{r.coop_number} – {r.coop_name}",
           sort_key=lambda r: r.coop_number, width=300),
    Column("Emprunteur", lambda r: r.borrower, sort_key=lambda r: r.borrower.casefold(), width=170),
    Column("Matériel", lambda r: r.items, width=170, tooltip=lambda r: r.items),
    Column("Départ", lambda r: format_date(r.start_date), sort_key=lambda r: r.start_date,
           align=CENTER, width=84),
    Column("Retour prévu", lambda r: format_date(r.due_date), sort_key=lambda r: r.due_date,
           align=CENTER, width=100),
    Column("Situation", lambda r: r.status_label, sort_key=lambda r: (r.days_late, r.status),
           width=170),
    Column("Relances", lambda r: (f"{r.reminders} (dernière : {format_date(r.last_reminder)})"
                                  if r.reminders else ""), sort_key=lambda r: r.reminders, width=200),
]


def _loan_style(row: lending.LoanRow) -> RowStyle | None:
    if row.days_late or row.missed_start:
        return OVERDUE_STYLE
    if row.status == LoanStatus.BOOKED:
        return BOOKED_STYLE
    if row.status in (LoanStatus.CLOSED, LoanStatus.CANCELLED):
        return DONE_STYLE
    return None


class LoansPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.LENDING})

    def __init__(self, tab: LoansTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self._all: list[lending.LoanRow] = []
        self.view_combo = QComboBox()
        self.view_combo.setObjectName("loan_view")
        for key, label in lending.VIEW_LABELS.items():
            self.view_combo.addItem(label, key)
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("Avec « Tous » : les prêts de cette année scolaire")
        current = school_year_of(clock.today())
        for year in range(current, current - 6, -1):
            self.year_combo.addItem(school_year_label(year), year)
        self.search = QLineEdit()
        self.search.setObjectName("loan_search")
        self.search.setPlaceholderText("Rechercher : bon, coopérative, emprunteur, code du matériel…")
        self.search.setClearButtonEnabled(True)

        self.new_loan_button = QPushButton("Nouveau prêt…")
        self.new_booking_button = QPushButton("Nouvelle réservation…")
        self.checkout_button = QPushButton("Départ du matériel…")
        self.checkout_button.setToolTip("La réservation devient un prêt le jour où le matériel part "
                                        "(aujourd'hui, ou la date choisie).")
        self.return_button = QPushButton("Retour…")
        self.extend_button = QPushButton("Prolonger…")
        self.transfer_button = QPushButton("Transmettre à l'école suivante…")
        self.slip_button = QPushButton("Bon de prêt")
        self.receipt_button = QPushButton("Reçu de retour")
        self.reminder_button = QPushButton("Lettre de relance")
        self.remind_all_button = QPushButton("Relancer tous les retards…")
        self.remind_all_button.setToolTip("Une lettre par prêt en retard, dans un seul document ; "
                                          "chaque relance est notée sur son prêt.")
        self.lost_button = QPushButton("Déclarer perdu…")
        self.cancel_button = QPushButton("Annuler la réservation")
        self.edit_button = QPushButton("Modifier la réservation…")
        self.edit_button.setToolTip("Coopérative, emprunteur, matériel, dates, notes : tant que "
                                    "le matériel n'est pas parti.")

        self.model = RowTableModel(LOAN_COLUMNS, self, style=_loan_style)
        self.table = make_table(self.model, "loan_table")
        add_history_menu(self.table, self.db, [("Historique…", "loan", lambda r: (r.id, f"bon n° {r.slip_number}"))])
        # The next returns first: overdue loans (in red) come at the top.
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.detail = QLabel()
        self.detail.setObjectName("loan_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")

        filters = QHBoxLayout()
        filters.addWidget(self.view_combo)
        filters.addWidget(self.year_combo)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for button in (self.new_loan_button, self.new_booking_button, self.checkout_button,
                       self.return_button, self.extend_button, self.transfer_button):
            actions.addWidget(button)
        actions.addStretch(1)
        papers = QHBoxLayout()
        for button in (self.slip_button, self.receipt_button, self.reminder_button,
                       self.remind_all_button):
            papers.addWidget(button)
        papers.addStretch(1)
        papers.addWidget(self.lost_button)
        papers.addWidget(self.edit_button)
        papers.addWidget(self.cancel_button)
        # The Bilan's narrowing (the loans of a period, an item, a category): said and undone here.
        self.narrowed: lending.LoanFilter | None = None
        self.narrowed_label = QLabel()
        self.narrowed_label.setObjectName("loan_narrowed")
        self.narrowed_label.setStyleSheet("padding: 4px; background: #fff4d6; border-radius: 4px;")
        self.unnarrow_button = QPushButton("Tout afficher")
        self.unnarrow_button.clicked.connect(lambda: self.narrow(None))
        narrowed = QHBoxLayout()
        narrowed.addWidget(self.narrowed_label, 1)
        narrowed.addWidget(self.unnarrow_button)
        self.narrowed_bar = QWidget()
        self.narrowed_bar.setLayout(narrowed)
        self.narrowed_bar.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.narrowed_bar)
        layout.addLayout(actions)
        layout.addLayout(papers)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

        g = dialogs.guard
        self.new_loan_button.clicked.connect(g(self, "la saisie d'un prêt", lambda: self.create(False)))
        self.new_booking_button.clicked.connect(g(self, "la saisie d'une réservation", lambda: self.create(True)))
        self.checkout_button.clicked.connect(g(self, "le départ du matériel", self.check_out))
        self.return_button.clicked.connect(g(self, "le retour du matériel", self.return_items))
        self.extend_button.clicked.connect(g(self, "la prolongation", self.extend))
        self.transfer_button.clicked.connect(g(self, "la transmission", self.transfer))
        self.slip_button.clicked.connect(g(self, "le bon de prêt", self.show_slip))
        self.receipt_button.clicked.connect(g(self, "le reçu de retour", self.show_receipt))
        self.reminder_button.clicked.connect(g(self, "la lettre de relance", self.remind))
        self.remind_all_button.clicked.connect(g(self, "les lettres de relance", self.remind_all))
        self.lost_button.clicked.connect(g(self, "la déclaration de perte", self.mark_lost))
        self.cancel_button.clicked.connect(g(self, "l'annulation de la réservation", self.cancel))
        self.edit_button.clicked.connect(g(self, "la modification de la réservation", self.edit_booking))
        self.table.doubleClicked.connect(lambda _i: self.show_slip())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.view_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.apply_search())
        self._update()

    # -- data ---------------------------------------------------------------------------------
    _status_line = ""

    def reload(self, select_id: int | None = None) -> None:
        view = self.view_combo.currentData()
        self.year_combo.setEnabled(view == lending.VIEW_ALL and self.narrowed is None)
        self.view_combo.setEnabled(self.narrowed is None)
        period = school_year_bounds(self.year_combo.currentData()) if view == lending.VIEW_ALL else None
        flt = self.narrowed or lending.LoanFilter(view=view, period=period)
        self._all = lending.list_loans(self.db, flt)
        self.apply_search(select_id)

    def narrow(self, flt: lending.LoanFilter | None, said: str = "") -> None:
        """Show only the loans `flt` selects (from the Bilan), saying which; None: as before."""
        self.narrowed = flt
        self.narrowed_label.setText(said)
        self.narrowed_bar.setVisible(flt is not None)
        self.reload()

    def apply_search(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = lending.search_loans(self._all, self.search.text())
        self.model.set_rows(rows)
        select_row_id(self.table, chosen)
        late = sum(1 for r in rows if r.days_late)
        plural = "s" if len(rows) > 1 else ""
        self._status_line = (f"{format_int(len(rows))} prêt{plural} affiché{plural}"
                             + (f" — {late} en retard" if late else ""))
        if self.tab.pages.currentWidget() is self:
            self.tab.status.emit(self._status_line)
        self._update()

    def status_line(self) -> str:
        return self._status_line

    def selected(self) -> lending.LoanRow | None:
        return selected_row(self.table)

    def _buttons(self) -> dict[LoanAction, QPushButton]:
        return {LoanAction.CHECK_OUT: self.checkout_button, LoanAction.CANCEL: self.cancel_button,
                LoanAction.EDIT_BOOKING: self.edit_button, LoanAction.RETURN: self.return_button,
                LoanAction.TRANSFER: self.transfer_button, LoanAction.MARK_LOST: self.lost_button,
                LoanAction.EXTEND: self.extend_button, LoanAction.PRINT_SLIP: self.slip_button,
                LoanAction.PRINT_RECEIPT: self.receipt_button,
                LoanAction.REMIND: self.reminder_button}

    def _update(self) -> None:
        row = self.selected()
        allowed = lending.loan_actions(row, clock.today()) if row else frozenset()
        for action, button in self._buttons().items():
            button.setEnabled(action in allowed)
        self.detail.setText(self._detail_text(row) if row else
                            "Choisissez un prêt pour voir son détail. Les prêts en retard sont en rouge.")

    def _detail_text(self, row: lending.LoanRow) -> str:
        loan = lending.get_loan(self.db, row.id)
        lines = []
        for line in loan.lines:
            text = f"{line.code} – {line.name} : {line.status_label.lower()}"
            if line.returned_on:
                text += f" le {format_date(line.returned_on)}"
            if line.condition and line.status in (LineStatus.RETURNED, LineStatus.LOST):
                text += f" ({line.condition})"
            if line.missing_accessories:
                text += f", manque : {line.missing_accessories}"
            lines.append(text)
        head = (f"Bon n° {loan.slip_label} – {loan.coop_number} – {loan.coop_name} – "
                f"{loan.borrower}" + (f" – remis par {loan.handed_over_by}" if loan.handed_over_by else ""))
        if loan.reminders:
            lines.append("Relances : " + ", ".join(format_date(d) for d in loan.reminders))
        if loan.notes:
            lines.append(f"Notes : {loan.notes}")
        return head + "\n" + "\n".join(lines)

    # -- actions ------------------------------------------------------------------------------
    def _ran(self, dialog) -> bool:
        """Whether the dialog was saved; one that found its loan changed meanwhile (and was
        closed) refreshes the list, so that the loan shows as it is now."""
        if dialog.exec():
            return True
        if dialog.stale:
            self.reload(select_id=dialog.loan_id)
        return False

    def create(self, booking: bool, item_ids: list[int] | None = None, *,
               start: date | None = None, due: date | None = None) -> None:
        dialog = LoanDialog(self.db, booking=booking, item_ids=item_ids, parent=self,
                            start=start, due=due)
        if self._ran(dialog):
            self.tab.announce(Domain.LENDING)
            self.view_combo.setCurrentIndex(self.view_combo.findData(lending.VIEW_OPEN))
            self.reload(select_id=dialog.saved_id)
            loan = lending.get_loan(self.db, dialog.saved_id)
            kind = "Réservation" if booking else "Prêt"
            self.tab.status.emit(f"{kind} enregistré : bon n° {loan.slip_label} – {loan.coop_number}.")
            if dialog.show_slip.isChecked():
                self._preview_slip(dialog.saved_id)

    def edit_booking(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = LoanDialog(self.db, loan_id=row.id, parent=self)
        if self._ran(dialog):
            self.tab.announce(Domain.LENDING)
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Réservation n° {row.slip_label} modifiée.")
            if dialog.show_slip.isChecked():
                self._preview_slip(row.id)

    def check_out(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = CheckOutDialog(self.db, row.id, self)
        if not self._ran(dialog):
            return
        self.tab.announce(Domain.LENDING)
        self.reload(select_id=row.id)
        loan = lending.get_loan(self.db, row.id)
        self.tab.status.emit(f"Bon n° {row.slip_label} : le matériel est parti le "
                             f"{format_date(loan.start_date)}.")
        self._preview_slip(row.id)

    def return_items(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ReturnDialog(self.db, row.id, self)
        if self._ran(dialog):
            self.tab.announce(Domain.LENDING)
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Retour enregistré (bon n° {row.slip_label}).")
            if dialog.print_receipt.isChecked():
                pdf_preview.show_pdf(self, lending.return_receipt_pdf(self.db, row.id),
                                     f"Reçu de retour – bon n° {row.slip_label}",
                                     f"recu-retour-{row.slip_label}.pdf")

    def extend(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ExtendDialog(self.db, row.id, self)
        if self._ran(dialog):
            self.tab.announce(Domain.LENDING)
            self.reload(select_id=row.id)
            loan = lending.get_loan(self.db, row.id)
            self.tab.status.emit(f"Bon n° {row.slip_label} prolongé jusqu'au {format_date(loan.due_date)}.")

    def transfer(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = TransferDialog(self.db, row.id, self)
        if self._ran(dialog):
            self.tab.announce(Domain.LENDING)
            self.reload(select_id=dialog.saved_id)
            new = lending.get_loan(self.db, dialog.saved_id)
            self.tab.status.emit(f"Matériel transmis à {new.coop_number} – {new.coop_name} : "
                                 f"bon n° {new.slip_label}.")
            self._preview_slip(dialog.saved_id)

    def _preview_slip(self, loan_id: int) -> None:
        loan = lending.get_loan(self.db, loan_id)
        kind = "Bon de réservation" if loan.status == LoanStatus.BOOKED else "Bon de prêt"
        pdf_preview.show_pdf(self, lending.loan_slip_pdf(self.db, loan_id),
                             f"{kind} n° {loan.slip_label}", f"bon-de-pret-{loan.slip_label}.pdf")

    def show_slip(self) -> None:
        row = self.selected()
        if row is not None:
            self._preview_slip(row.id)

    def show_receipt(self) -> None:
        row = self.selected()
        if row is not None:
            pdf_preview.show_pdf(self, lending.return_receipt_pdf(self.db, row.id),
                                 f"Reçu de retour – bon n° {row.slip_label}",
                                 f"recu-retour-{row.slip_label}.pdf")

    def remind(self) -> None:
        row = self.selected()
        if row is None:
            return
        number = row.reminders + 1
        if not dialogs.ask_confirm(
                self, "Lettre de relance",
                f"Préparer la {'première' if number == 1 else f'{number}e'} relance du bon n° "
                f"{row.slip_label} ({row.coop_number}, {days_label(row.days_late)} de retard) ?\n\n"
                "La relance sera notée à la date d'aujourd'hui sur le prêt.", yes="Préparer"):
            return
        pdf = lending.reminder_letter_pdf(self.db, row.id)
        self.tab.announce(Domain.LENDING)
        self.reload(select_id=row.id)
        self.tab.status.emit(f"Relance n° {number} notée sur le bon n° {row.slip_label}.")
        pdf_preview.show_pdf(self, pdf, f"Relance – bon n° {row.slip_label}",
                             f"relance-{row.slip_label}-{number}.pdf")

    def remind_all(self) -> None:
        from ui.shell.operations import Cancelled, Progress, run_with_progress

        batch = lending.ReminderBatch(self.db)
        late, today = batch.loans, batch.today
        if not late:
            dialogs.show_info(self, "Relances", "Aucun prêt n'est en retard.")
            return
        if not dialogs.ask_confirm(
                self, "Relancer tous les retards",
                f"Préparer {len(late)} lettre{'s' if len(late) > 1 else ''} de relance (une par "
                "prêt en retard) ?\n\nChaque relance sera notée à la date d'aujourd'hui sur son "
                "prêt. Si vous annulez pendant la préparation, rien n'est noté.", yes="Préparer"):
            return

        def job():
            for done, total, text in batch.steps():
                yield Progress(done, total, text)
            return batch.pdf

        try:
            pdf = run_with_progress(self, "Relances", "Préparation des lettres de relance…", job)
        except Cancelled:
            self.tab.status.emit("Relances annulées : rien n'a été noté.")
            return
        self.tab.announce(Domain.LENDING)
        self.reload()
        self.tab.status.emit(f"{len(late)} relances notées à la date du {format_date(today)}.")
        pdf_preview.show_pdf(self, pdf, f"Relances du {format_date(today)}",
                             f"relances-{today.isoformat()}.pdf")

    def mark_lost(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = LostDialog(self.db, row.id, self)
        if not self._ran(dialog):
            return
        self.tab.announce(Domain.LENDING)
        self.reload(select_id=row.id)
        self.tab.status.emit(f"Matériel déclaré perdu (bon n° {row.slip_label}).")

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not dialogs.ask_confirm(self, "Annuler la réservation",
                                   f"Annuler la réservation n° {row.slip_label} de {row.coop_number} ?\n\n"
                                   "Elle reste dans l'historique, marquée annulée ; son numéro "
                                   "n'est jamais réutilisé.", yes="Annuler la réservation", no="Garder"):
            return
        try:
            lending.cancel_booking(self.db, row.id, version=row.version)
        except StaleRecord:
            self.reload(select_id=row.id)  # the list shows the booking as it is now
            raise
        self.tab.announce(Domain.LENDING)
        self.reload()
        self.tab.status.emit(f"Réservation n° {row.slip_label} annulée.")
