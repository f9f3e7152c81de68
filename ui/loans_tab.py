"""The Prêts tab: loans and bookings, the inventory, the planning of the coming weeks, and the
days-out figures of the annual report — four pages of one tab."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSpinBox, QTabWidget, QTableView, QVBoxLayout, QWidget,
)

from occe_bureau.db import Database
from occe_bureau.formats import format_date, format_int, format_money, school_year_bounds, \
    school_year_label, school_year_of
from occe_bureau.services import loan_stats as stats
from occe_bureau.services import inventory
from occe_bureau.services import loan_base
from occe_bureau.services import loan_papers
from occe_bureau.services import loan_queries
from occe_bureau.services import loans as svc
from occe_bureau.services import planning
from occe_bureau.services.validation import ValidationError
from ui import dialogs, pdf_preview
from ui.forms import DateEdit
from ui.loan_dialogs import CategoriesDialog, ExtendDialog, ItemDialog, LoanDialog, ReturnDialog, TransferDialog
from ui.tab_base import BaseTab
from ui.table_model import CENTER, RIGHT, Column, RowStyle, RowTableModel

RED = "#b00020"
OVERDUE_STYLE = RowStyle(foreground=RED, bold=True)
BOOKED_STYLE = RowStyle(foreground="#7a4d00")
DONE_STYLE = RowStyle(foreground="#777777")

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

ITEM_COLUMNS = [
    Column("Code", lambda r: r.code, width=70),
    Column("Désignation", lambda r: r.name, sort_key=lambda r: r.name.casefold(), width=260,
           tooltip=lambda r: "Accessoires : " + (", ".join(r.accessories) or "aucun")),
    Column("Catégorie", lambda r: r.category, width=200),
    Column("Aujourd'hui", lambda r: r.situation_label, sort_key=lambda r: (r.situation, r.days_late),
           width=420, tooltip=lambda r: r.situation_label),
    Column("Prochaine réservation", lambda r: r.next_label, sort_key=lambda r: r.next_booking_start,
           width=280),
    Column("Valeur", lambda r: format_money(r.replacement_value_cents),
           sort_key=lambda r: r.replacement_value_cents, align=RIGHT, width=90),
    Column("Durée", lambda r: f"{r.default_loan_days} j", sort_key=lambda r: r.default_loan_days,
           align=RIGHT, width=54),
]

FIGURE_COLUMNS = [
    Column("", lambda f: f.label, sort_key=lambda f: f.label.casefold(), width=380),
    Column("Jours de sortie", lambda f: format_int(f.days), sort_key=lambda f: f.days, align=RIGHT,
           width=110),
    Column("Prêts", lambda f: format_int(f.loans), sort_key=lambda f: f.loans, align=RIGHT, width=70),
    Column("Coopératives", lambda f: format_int(f.coops), sort_key=lambda f: f.coops, align=RIGHT,
           width=100),
    Column("Ligne du rapport d'activité", stats.report_line, width=460),
]


def _loan_style(row: loan_queries.LoanRow) -> RowStyle | None:
    if row.days_late:
        return OVERDUE_STYLE
    if row.status == loan_base.BOOKED:
        return BOOKED_STYLE
    if row.status in (loan_base.CLOSED, loan_base.CANCELLED):
        return DONE_STYLE
    return None


def _item_style(row: inventory.ItemRow) -> RowStyle | None:
    if row.situation == inventory.SIT_OVERDUE:
        return OVERDUE_STYLE
    if row.state != loan_base.AVAILABLE:
        return DONE_STYLE
    return None


def _table(model, name: str, columns) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for index, column in enumerate(columns):
        if column.width:
            table.setColumnWidth(index, column.width)
    return table


def _selected(table: QTableView, model: RowTableModel):
    indexes = table.selectionModel().selectedRows()
    return model.row_at(indexes[0].row()) if indexes else None


def _select_id(table: QTableView, model: RowTableModel, row_id: int | None) -> None:
    if row_id is None:
        return
    for index, row in enumerate(model.rows()):
        if row.id == row_id:
            table.selectRow(index)
            table.scrollTo(model.index(index, 0))
            return


# ---- loans and bookings ----------------------------------------------------------------------

class LoansPage(QWidget):
    def __init__(self, tab: "LoansTab") -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self._all: list[loan_queries.LoanRow] = []
        self.view_combo = QComboBox()
        self.view_combo.setObjectName("loan_view")
        for key, label in loan_queries.VIEW_LABELS.items():
            self.view_combo.addItem(label, key)
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("Avec « Tous » : les prêts de cette année scolaire")
        current = school_year_of(date.today())
        for year in range(current, current - 6, -1):
            self.year_combo.addItem(school_year_label(year), year)
        self.search = QLineEdit()
        self.search.setObjectName("loan_search")
        self.search.setPlaceholderText("Rechercher : bon, coopérative, emprunteur, code du matériel…")
        self.search.setClearButtonEnabled(True)

        self.new_loan_button = QPushButton("Nouveau prêt…")
        self.new_booking_button = QPushButton("Nouvelle réservation…")
        self.checkout_button = QPushButton("Départ du matériel")
        self.checkout_button.setToolTip("La réservation devient un prêt : le matériel part aujourd'hui.")
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

        self.model = RowTableModel(LOAN_COLUMNS, self, style=_loan_style)
        self.table = _table(self.model, "loan_table", LOAN_COLUMNS)
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
        papers.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
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
        self.table.doubleClicked.connect(lambda _i: self.show_slip())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.view_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.apply_search())
        self._update()

    # -- data ---------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        view = self.view_combo.currentData()
        self.year_combo.setEnabled(view == loan_queries.VIEW_ALL)
        period = school_year_bounds(self.year_combo.currentData()) if view == loan_queries.VIEW_ALL else None
        self._all = loan_queries.list_loans(self.db, loan_queries.LoanFilter(view=view, period=period))
        self.apply_search(select_id)

    def apply_search(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = loan_queries.search_loans(self._all, self.search.text())
        self.model.set_rows(rows)
        _select_id(self.table, self.model, chosen)
        late = sum(1 for r in rows if r.days_late)
        self.tab.status.emit(f"{format_int(len(rows))} prêts affichés"
                             + (f" — {late} en retard" if late else ""))
        self._update()

    def selected(self) -> loan_queries.LoanRow | None:
        return _selected(self.table, self.model)

    def _update(self) -> None:
        row = self.selected()
        status = row.status if row else None
        self.checkout_button.setEnabled(status == loan_base.BOOKED)
        self.cancel_button.setEnabled(status == loan_base.BOOKED)
        for button in (self.return_button, self.transfer_button, self.lost_button):
            button.setEnabled(status == loan_base.OUT)
        self.extend_button.setEnabled(status in (loan_base.OUT, loan_base.BOOKED))
        self.slip_button.setEnabled(row is not None)
        self.receipt_button.setEnabled(row is not None and row.open_count < row.item_count
                                       and status in (loan_base.OUT, loan_base.CLOSED))
        self.reminder_button.setEnabled(bool(row and row.days_late))
        self.detail.setText(self._detail_text(row) if row else
                            "Choisissez un prêt pour voir son détail. Les prêts en retard sont en rouge.")

    def _detail_text(self, row: loan_queries.LoanRow) -> str:
        loan = loan_queries.get_loan(self.db, row.id)
        lines = []
        for line in loan.lines:
            text = f"{line.code} – {line.name} : {line.status_label.lower()}"
            if line.returned_on:
                text += f" le {format_date(line.returned_on)}"
            if line.condition and line.status in (loan_base.RETURNED, loan_base.LOST):
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
    def create(self, booking: bool, item_ids: list[int] | None = None) -> None:
        dialog = LoanDialog(self.db, booking=booking, item_ids=item_ids, parent=self)
        if dialog.exec():
            self.tab.changed()
            self.view_combo.setCurrentIndex(self.view_combo.findData(loan_queries.VIEW_OPEN))
            self.reload(select_id=dialog.saved_id)
            loan = loan_queries.get_loan(self.db, dialog.saved_id)
            kind = "Réservation" if booking else "Prêt"
            self.tab.status.emit(f"{kind} enregistré : bon n° {loan.slip_label} – {loan.coop_number}.")
            if dialog.show_slip.isChecked():
                self._preview_slip(dialog.saved_id)

    def check_out(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            svc.check_out_booking(self.db, row.id)
        except ValidationError as err:
            dialogs.show_warning(self, "Départ impossible", "\n".join(err.errors.values()))
            return
        self.tab.changed()
        self.reload(select_id=row.id)
        self.tab.status.emit(f"Bon n° {row.slip_label} : le matériel est parti aujourd'hui.")
        self._preview_slip(row.id)

    def return_items(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ReturnDialog(self.db, row.id, self)
        if dialog.exec():
            self.tab.changed()
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Retour enregistré (bon n° {row.slip_label}).")
            if dialog.print_receipt.isChecked():
                pdf_preview.show_pdf(self, loan_papers.return_receipt_pdf(self.db, row.id),
                                     f"Reçu de retour – bon n° {row.slip_label}",
                                     f"recu-retour-{row.slip_label}.pdf")

    def extend(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ExtendDialog(self.db, row.id, self)
        if dialog.exec():
            self.tab.changed()
            self.reload(select_id=row.id)
            loan = loan_queries.get_loan(self.db, row.id)
            self.tab.status.emit(f"Bon n° {row.slip_label} prolongé jusqu'au {format_date(loan.due_date)}.")

    def transfer(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = TransferDialog(self.db, row.id, self)
        if dialog.exec():
            self.tab.changed()
            self.reload(select_id=dialog.saved_id)
            new = loan_queries.get_loan(self.db, dialog.saved_id)
            self.tab.status.emit(f"Matériel transmis à {new.coop_number} – {new.coop_name} : "
                                 f"bon n° {new.slip_label}.")
            self._preview_slip(dialog.saved_id)

    def _preview_slip(self, loan_id: int) -> None:
        loan = loan_queries.get_loan(self.db, loan_id)
        kind = "Bon de réservation" if loan.status == loan_base.BOOKED else "Bon de prêt"
        pdf_preview.show_pdf(self, loan_papers.loan_slip_pdf(self.db, loan_id),
                             f"{kind} n° {loan.slip_label}", f"bon-de-pret-{loan.slip_label}.pdf")

    def show_slip(self) -> None:
        row = self.selected()
        if row is not None:
            self._preview_slip(row.id)

    def show_receipt(self) -> None:
        row = self.selected()
        if row is not None:
            pdf_preview.show_pdf(self, loan_papers.return_receipt_pdf(self.db, row.id),
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
                f"{row.slip_label} ({row.coop_number}, {row.days_late} jours de retard) ?\n\n"
                "La relance sera notée à la date d'aujourd'hui sur le prêt.", yes="Préparer"):
            return
        pdf = loan_papers.reminder_letter_pdf(self.db, row.id)
        self.reload(select_id=row.id)
        self.tab.status.emit(f"Relance n° {number} notée sur le bon n° {row.slip_label}.")
        pdf_preview.show_pdf(self, pdf, f"Relance – bon n° {row.slip_label}",
                             f"relance-{row.slip_label}-{number}.pdf")

    def remind_all(self) -> None:
        from ui.operations import Cancelled, Progress, run_with_progress

        late = loan_queries.overdue_loans(self.db)
        if not late:
            dialogs.show_info(self, "Relances", "Aucun prêt n'est en retard.")
            return
        if not dialogs.ask_confirm(
                self, "Relancer tous les retards",
                f"Préparer {len(late)} lettre{'s' if len(late) > 1 else ''} de relance (une par "
                "prêt en retard) ?\n\nChaque relance sera notée à la date d'aujourd'hui sur son "
                "prêt. Si vous annulez pendant la préparation, rien n'est noté.", yes="Préparer"):
            return
        db, today = self.db, date.today()

        def job():
            letters = []
            for index, row in enumerate(late):
                yield Progress(index, len(late) + 1, f"Lettre {index + 1} sur {len(late)} : "
                                                     f"{row.coop_number} – {row.coop_name}")
                letters.append(loan_papers.reminder_data(db, row.id, today))
            yield Progress(len(late), len(late) + 1, "Mise en page des lettres…")
            pdf = loan_papers.reminder_letters_pdf(db, letters)
            svc.record_reminders(db, [row.id for row in late], today)
            return pdf

        try:
            pdf = run_with_progress(self, "Relances", "Préparation des lettres de relance…", job)
        except Cancelled:
            self.tab.status.emit("Relances annulées : rien n'a été noté.")
            return
        self.reload()
        self.tab.status.emit(f"{len(late)} relances notées à la date du {format_date(today)}.")
        pdf_preview.show_pdf(self, pdf, f"Relances du {format_date(today)}",
                             f"relances-{today.isoformat()}.pdf")

    def mark_lost(self) -> None:
        row = self.selected()
        if row is None:
            return
        loan = loan_queries.get_loan(self.db, row.id)
        out = [l for l in loan.lines if l.status == loan_base.OUT]
        from ui import loan_dialogs

        choice = loan_dialogs.ask_item(self, "Déclarer perdu",
                                       "Quel matériel est perdu ? (il ne pourra plus être prêté)",
                                       [(l.item_id, f"{l.code} – {l.name}") for l in out])
        if choice is None:
            return
        svc.mark_lost(self.db, row.id, choice)
        self.tab.changed()
        self.reload(select_id=row.id)
        self.tab.status.emit("Matériel déclaré perdu.")

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not dialogs.ask_confirm(self, "Annuler la réservation",
                                   f"Annuler la réservation n° {row.slip_label} de {row.coop_number} ?\n\n"
                                   "Elle reste dans l'historique, marquée annulée ; son numéro "
                                   "n'est jamais réutilisé.", yes="Annuler la réservation", no="Garder"):
            return
        svc.cancel_booking(self.db, row.id)
        self.tab.changed()
        self.reload()
        self.tab.status.emit(f"Réservation n° {row.slip_label} annulée.")


# ---- inventory ----------------------------------------------------------------------------

class ItemsPage(QWidget):
    def __init__(self, tab: "LoansTab") -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("item_category")
        self.situation_combo = QComboBox()
        self.situation_combo.setObjectName("item_situation")
        for key, label in inventory.SITUATION_LABELS.items():
            self.situation_combo.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher : code, désignation…")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("Nouveau matériel…")
        self.edit_button = QPushButton("Modifier…")
        self.lend_button = QPushButton("Prêter…")
        self.book_button = QPushButton("Réserver…")
        self.category_button = QPushButton("Catégories…")
        self.model = RowTableModel(ITEM_COLUMNS, self, style=_item_style)
        self.table = _table(self.model, "item_table", ITEM_COLUMNS)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.summary = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.category_combo)
        filters.addWidget(self.situation_combo)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.lend_button, self.book_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.category_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        g = dialogs.guard
        self.new_button.clicked.connect(g(self, "la création d'un matériel", self.create))
        self.edit_button.clicked.connect(g(self, "la modification d'un matériel", self.edit))
        self.lend_button.clicked.connect(g(self, "la saisie d'un prêt", lambda: self._lend(False)))
        self.book_button.clicked.connect(g(self, "la saisie d'une réservation", lambda: self._lend(True)))
        self.category_button.clicked.connect(g(self, "les catégories de matériel", self.edit_categories))
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.situation_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        self.fill_categories()
        self._update()

    def fill_categories(self) -> None:
        chosen = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem("Toutes les catégories", None)
        for category in inventory.list_categories(self.db):
            self.category_combo.addItem(f"{category.name} ({category.items})", category.id)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(chosen)))
        self.category_combo.blockSignals(False)

    def reload(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.selected(), "id", None)
        rows = inventory.list_items(self.db, inventory.ItemFilter(
            category_id=self.category_combo.currentData(),
            situation=self.situation_combo.currentData(), search=self.search.text()))
        self.model.set_rows(rows)
        _select_id(self.table, self.model, chosen)
        out = sum(1 for r in rows if r.situation in (inventory.SIT_OUT, inventory.SIT_OVERDUE))
        late = sum(1 for r in rows if r.situation == inventory.SIT_OVERDUE)
        self.summary.setText(f"{format_int(len(rows))} matériels affichés — {out} en prêt"
                             + (f", dont {late} en retard" if late else ""))
        self._update()

    def selected(self) -> inventory.ItemRow | None:
        return _selected(self.table, self.model)

    def _update(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        lendable = row is not None and row.state == loan_base.AVAILABLE
        self.lend_button.setEnabled(lendable and row.situation == inventory.SIT_FREE)
        self.book_button.setEnabled(row is not None and row.state in (loan_base.AVAILABLE, loan_base.MAINTENANCE))

    def create(self) -> None:
        dialog = ItemDialog(self.db, None, self)
        if dialog.exec():
            self.fill_categories()
            self.reload(select_id=dialog.saved_id)
            self.tab.status.emit("Matériel ajouté à l'inventaire.")

    def edit(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ItemDialog(self.db, row.id, self)
        if dialog.exec():
            self.tab.changed()
            self.reload(select_id=row.id)
            self.tab.status.emit(f"Matériel {row.code} enregistré.")

    def _lend(self, booking: bool) -> None:
        row = self.selected()
        if row is not None:
            self.tab.pages.setCurrentWidget(self.tab.loans_page)
            self.tab.loans_page.create(booking, [row.id])

    def edit_categories(self) -> None:
        dialog = CategoriesDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self.fill_categories()
            self.tab.categories_changed()
            self.reload()
            self.tab.status.emit("Catégories de matériel enregistrées.")


# ---- planning -------------------------------------------------------------------------------

PLANNING_COLORS = {loan_base.OUT: "#9ec5e8", loan_base.BOOKED: "#f6d58e", inventory.SIT_OVERDUE: "#f19c9c"}
WEEKDAYS = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]


class PlanningModel(QAbstractTableModel):
    """Items down, days across; each cell coloured out / booked / overdue, white when free."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[planning.PlanningRow] = []
        self.days: list[date] = []
        self._brushes = {k: QBrush(QColor(v)) for k, v in PLANNING_COLORS.items()}
        self._weekend = QBrush(QColor("#f0f0f0"))

    def set_data(self, rows: list[planning.PlanningRow], days: list[date]) -> None:
        self.beginResetModel()
        self.rows, self.days = rows, days
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.days)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.days):
            day = self.days[section]
            return f"{WEEKDAYS[day.weekday()]}\n{day.day:02d}/{day.month:02d}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            row = self.rows[section]
            suffix = " (maintenance)" if row.state == loan_base.MAINTENANCE else ""
            return f"{row.code} – {row.name}{suffix}"
        return None

    def segment(self, index: QModelIndex) -> planning.Segment | None:
        if not index.isValid():
            return None
        return self.rows[index.row()].on(self.days[index.column()])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.days):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            segment = self.segment(index)
            if segment is not None:
                return self._brushes[segment.kind]
            if self.days[index.column()].weekday() >= 5:
                return self._weekend
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            segment = self.segment(index)
            row = self.rows[index.row()]
            if segment is None:
                return f"{row.code} : libre le {format_date(self.days[index.column()])}"
            what = {loan_base.OUT: "En prêt", loan_base.BOOKED: "Réservé", inventory.SIT_OVERDUE: "En retard"}[segment.kind]
            return (f"{row.code} – {what} : {segment.coop}\n"
                    f"du {format_date(segment.start)} au {format_date(segment.end)}")
        if role == Qt.ItemDataRole.DisplayRole:
            segment = self.segment(index)
            if segment is not None and segment.start == self.days[index.column()]:
                return segment.coop.split(" – ")[0][-4:]
            return None
        return None


class PlanningPage(QWidget):
    def __init__(self, tab: "LoansTab") -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        today = date.today()
        self.start = DateEdit(today - timedelta(days=today.weekday()))
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 26)
        self.weeks.setValue(6)
        self.weeks.setSuffix(" semaines")
        self.category_combo = QComboBox()
        self.fill_categories()
        self.model = PlanningModel(self)
        self.table = QTableView()
        self.table.setObjectName("planning_table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setDefaultSectionSize(44)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        legend = QLabel(
            f"<span style='background:{PLANNING_COLORS[loan_base.OUT]}'>&nbsp;en prêt&nbsp;</span> "
            f"<span style='background:{PLANNING_COLORS[loan_base.BOOKED]}'>&nbsp;réservé&nbsp;</span> "
            f"<span style='background:{PLANNING_COLORS[inventory.SIT_OVERDUE]}'>&nbsp;en retard&nbsp;</span> "
            "&nbsp;blanc : libre — le numéro de la coopérative est écrit le premier jour ; "
            "survolez une case pour le détail.")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("À partir du"))
        bar.addWidget(self.start)
        bar.addWidget(self.weeks)
        bar.addWidget(self.category_combo)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.start.dateChanged.connect(lambda _d: self.reload())
        self.weeks.valueChanged.connect(lambda _v: self.reload())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.reload())

    def fill_categories(self) -> None:
        chosen = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem("Toutes les catégories", None)
        for category in inventory.list_categories(self.db):
            self.category_combo.addItem(category.name, category.id)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(chosen)))
        self.category_combo.blockSignals(False)

    def reload(self) -> None:
        start = self.start.value()
        count = self.weeks.value() * 7
        rows = planning.planning(self.db, start, count, self.category_combo.currentData())
        self.model.set_data(rows, [start + timedelta(days=i) for i in range(count)])


# ---- days out -----------------------------------------------------------------------------

class StatsPage(QWidget):
    GROUPS = [("Par catégorie", "by_category"), ("Par matériel", "by_item"),
              ("Par coopérative", "by_coop")]

    def __init__(self, tab: "LoansTab") -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.report: stats.UsageReport | None = None
        self.year_combo = QComboBox()
        current = school_year_of(date.today())
        for year in range(current, current - 6, -1):
            self.year_combo.addItem(f"Année scolaire {school_year_label(year)}", year)
        self.free_period = QCheckBox("Autre période :")
        self.period_start = DateEdit(date.today().replace(day=1))
        self.period_end = DateEdit(date.today())
        self.group_combo = QComboBox()
        for label, key in self.GROUPS:
            self.group_combo.addItem(label, key)
        self.export_button = QPushButton("Exporter en Excel…")
        self.model = RowTableModel(FIGURE_COLUMNS, self)
        self.table = _table(self.model, "stats_table", FIGURE_COLUMNS)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.total = QLabel()
        self.total.setObjectName("stats_total")
        self.total.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")
        self.total.setWordWrap(True)
        note = QLabel("Jours de sortie : du jour du départ au jour du retour, les deux comptés ; "
                      "un prêt en cours compte jusqu'à aujourd'hui ; seuls les jours de la période "
                      "comptent. Coopératives : nombre de coopératives différentes servies.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(self.year_combo)
        bar.addWidget(self.free_period)
        bar.addWidget(self.period_start)
        bar.addWidget(QLabel("au"))
        bar.addWidget(self.period_end)
        bar.addWidget(self.group_combo)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(note)
        for widget in (self.year_combo, self.group_combo):
            widget.currentIndexChanged.connect(lambda _i: self.reload())
        self.free_period.toggled.connect(lambda _c: self.reload())
        self.period_start.dateChanged.connect(lambda _d: self.free_period.isChecked() and self.reload())
        self.period_end.dateChanged.connect(lambda _d: self.free_period.isChecked() and self.reload())
        self.export_button.clicked.connect(dialogs.guard(self, "l'export des jours de sortie", self.export))

    def period(self) -> tuple[date, date]:
        if self.free_period.isChecked():
            return self.period_start.value(), self.period_end.value()
        return school_year_bounds(self.year_combo.currentData())

    def reload(self) -> None:
        free = self.free_period.isChecked()
        self.year_combo.setEnabled(not free)
        self.period_start.setEnabled(free)
        self.period_end.setEnabled(free)
        start, end = self.period()
        try:
            self.report = stats.usage(self.db, start, end)
        except ValidationError as err:
            self.report = None
            self.model.set_rows([])
            self.total.setText("\n".join(err.errors.values()))
            return
        self.model.set_rows(getattr(self.report, self.group_combo.currentData()))
        self.total.setText(f"{self.report.period_label.capitalize()} — "
                           f"{stats.report_line(self.report.total)}, "
                           f"{format_int(self.report.total.loans)} prêts")

    def export(self) -> None:
        if self.report is None:
            return
        path = dialogs.ask_save_file(self, "Exporter les jours de sortie",
                                     f"jours-de-sortie-{self.report.period_label.replace(' ', '-')}.xlsx",
                                     "Classeur Excel (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        Path(path).write_bytes(stats.export_xlsx(self.report))
        dialogs.show_info(self, "Export terminé", f"Les jours de sortie ont été exportés :\n{path}")


# ---- the tab --------------------------------------------------------------------------------

class LoansTab(BaseTab):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pages = QTabWidget()
        self.loans_page = LoansPage(self)
        self.items_page = ItemsPage(self)
        self.planning_page = PlanningPage(self)
        self.stats_page = StatsPage(self)
        self.pages.addTab(self.loans_page, "Prêts et réservations")
        self.pages.addTab(self.items_page, "Matériel")
        self.pages.addTab(self.planning_page, "Planning")
        self.pages.addTab(self.stats_page, "Jours de sortie")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._stale: set[QWidget] = set()
        self.pages.currentChanged.connect(self._page_shown)

    def load(self) -> None:
        self.loans_page.reload()
        self.items_page.reload()
        self._stale = {self.planning_page, self.stats_page}

    def refresh(self) -> None:
        self.load()
        self._page_shown(self.pages.currentIndex())

    def categories_changed(self) -> None:
        self.planning_page.fill_categories()
        self._stale |= {self.planning_page, self.stats_page}

    def changed(self) -> None:
        """Something was saved: the other pages reload when next shown."""
        self.items_page.reload()
        self._stale |= {self.planning_page, self.stats_page}

    def _page_shown(self, _index: int) -> None:
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            with dialogs.guarded(self, "l'affichage de la page"):
                page.reload()

    def export_actions(self):
        return [("Jours de sortie du matériel (Excel)…", self._export_stats)]

    def _export_stats(self) -> None:
        if self.stats_page.report is None:
            self.stats_page.reload()
        self.stats_page.export()

    def screenshot_dialogs(self):
        return [("nouveau-pret", LoanDialog(self.db, parent=self))]
