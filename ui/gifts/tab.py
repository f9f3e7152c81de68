"""The Dons et reçus tab: gifts received for the coops, the tax receipts issued for them,
the batch issue, and the yearly declaration (article 222 bis CGI)."""

from __future__ import annotations


from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from occe_bureau import gifts
from occe_bureau.association import get_association, missing_for_receipts
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date, format_int, format_money
from occe_bureau.gifts import GiftAction, PaymentMethod, ReceiptAction
from occe_bureau.validation import ValidationError
from ui.shell import dialogs, safekeeping
from ui.shell.history_dialog import add_history_menu
from ui.gifts.donation_dialogs import ImportRequestDialog, RequestDialog, coop_combo
from ui.shell.operations import Cancelled, Progress, run_with_progress
from ui.gifts.donor_menu import donor_menu, receipt_menu
from ui.gifts.receipt_batch_dialog import BatchDialog
from ui.shell.changes import Domain
from ui.shell.tab_base import BaseTab
from ui.shell.table_model import (
    RIGHT, Column, PagedTableModel, RowStyle, RowTableModel, make_table, select_row_id, selected_row,
)

# The gifts and receipts of a year are long lists (15 000 of each at ten times a real
# association): they are sorted, searched and read a page at a time by the core.
DonationOrder, ReceiptOrder = gifts.DonationOrder, gifts.ReceiptOrder
DONATION_COLUMNS = [
    Column("Reçu le", lambda r: format_date(r.received_on), width=80, order_by=DonationOrder.RECEIVED),
    Column("Donateur", lambda r: r.donor_name, width=200, order_by=DonationOrder.DONOR),
    Column("Commune", lambda r: r.donor_town, width=150, order_by=DonationOrder.TOWN),
    Column("Coopérative", lambda r: f"{r.coop_number} – {r.coop_name}", width=280,
           order_by=DonationOrder.COOP),
    Column("Montant", lambda r: format_money(r.amount_cents), align=RIGHT, width=90,
           order_by=DonationOrder.AMOUNT),
    Column("Mode", lambda r: PaymentMethod(r.method).short_label
           + (f" n° {r.cheque_number}" if r.cheque_number else ""), width=150,
           order_by=DonationOrder.METHOD),
    Column("Origine", lambda r: gifts.GiftSource(r.source).short_label, width=90,
           order_by=DonationOrder.SOURCE),
    Column("Projet", lambda r: r.project, width=140, order_by=DonationOrder.PROJECT),
    Column("Reçu", lambda r: r.status_label, width=140, order_by=DonationOrder.RECEIPT),
]
RECEIPT_COLUMNS = [
    Column("N°", lambda r: r.number, width=95, order_by=ReceiptOrder.NUMBER),
    Column("Émis le", lambda r: format_date(r.issued_on), width=80, order_by=ReceiptOrder.ISSUED),
    Column("Donateur", lambda r: r.donor_display, width=200, order_by=ReceiptOrder.DONOR),
    Column("Coopérative", lambda r: r.coop_label, width=300, order_by=ReceiptOrder.COOP),
    Column("Date ou période", lambda r: r.date_label, width=150, order_by=ReceiptOrder.GIFT_DATE),
    Column("Montant", lambda r: format_money(r.amount_cents), align=RIGHT, width=90,
           order_by=ReceiptOrder.AMOUNT),
    Column("État", lambda r: r.status_label + (f" – {r.cancel_reason}" if r.cancelled else "")
           + (" (remplace un reçu annulé)" if r.replaces_id else ""),
           tooltip=lambda r: r.cancel_reason, width=260, order_by=ReceiptOrder.STATE),
]
COOP_COLUMNS = [
    Column("N°", lambda r: r.coop_number, width=90),
    Column("Coopérative", lambda r: r.coop_name, sort_key=lambda r: r.coop_name.casefold(), width=320),
    Column("Dons", lambda r: format_int(r.gifts), sort_key=lambda r: r.gifts, align=RIGHT, width=70),
    Column("Montant des dons", lambda r: format_money(r.amount_cents), sort_key=lambda r: r.amount_cents,
           align=RIGHT, width=130),
    Column("Reçus", lambda r: format_int(r.receipts), sort_key=lambda r: r.receipts, align=RIGHT, width=70),
    Column("Dons sans reçu", lambda r: format_int(r.pending), sort_key=lambda r: r.pending, align=RIGHT,
           width=110),
]
PRINTS = frozenset({ReceiptAction.PRINT_ORIGINAL, ReceiptAction.PRINT_DUPLICATE})
PENDING_STYLE = RowStyle(foreground="#8a4b00")
CANCELLED_STYLE = RowStyle(foreground="#b00020")
WITHDRAWN_STYLE = RowStyle(foreground="#8a8a8a")

def confirm_issue(parent, d: gifts.DonationRow) -> bool:
    """Issuing takes the next number for good and freezes the receipt: asked first."""
    return dialogs.ask_confirm(
        parent, "Émettre le reçu fiscal ?",
        f"Don de {d.donor_name}, {format_money(d.amount_cents)}, reçu le "
        f"{format_date(d.received_on)} pour la coopérative {d.coop_number} – {d.coop_name}.\n\n"
        "Le reçu prendra le prochain numéro d'ordre et son contenu sera figé : il ne pourra "
        "plus être modifié, seulement annulé et remplacé.",
        yes="Émettre le reçu", no="Ne pas émettre")


def confirm_printed(parent, number: str) -> bool:
    """Only the secretary knows that the original left the printer (a jam, a closed preview)."""
    return dialogs.ask_confirm(
        parent, "Original imprimé ?",
        f"L'original du reçu n° {number} a-t-il bien été imprimé (ou enregistré en PDF) ?\n\n"
        "Tant que vous ne l'avez pas confirmé, il reste à imprimer comme original ; "
        "ensuite, chaque nouvelle impression sera un duplicata.",
        yes="Oui, l'original est imprimé", no="Non, pas encore")


def confirm_batch_printed(parent, result: gifts.BatchResult) -> bool:
    """The originals of a batch shown in one PDF: printed, all of them?"""
    count = len(result.numbers)
    question = (f"L'original du reçu n° {result.numbers[0]} a-t-il bien été imprimé" if count == 1
                else f"Les {format_int(count)} originaux ({result.first_last}) ont-ils tous bien "
                     "été imprimés")
    return dialogs.ask_confirm(
        parent, "Originaux imprimés ?",
        f"{question} (ou {'enregistré' if count == 1 else 'enregistrés'} en PDF) ?\n\n"
        "Tant que vous ne l'avez pas confirmé, chaque reçu reste à imprimer comme original "
        "(page bloquée, aperçu fermé) ; ensuite, chaque nouvelle impression sera un duplicata.",
        yes="Oui, imprimés" if count > 1 else "Oui, imprimé", no="Non, pas encore")


def totals_text(year_label: str, t) -> str:
    """The year's two sets of figures, each saying what it counts: the gifts received during
    the financial year (and how many still wait for their receipt), and the receipts issued
    during it (whatever the year of their gifts)."""
    cancelled = ("aucun annulé" if not t.cancelled else
                 counted(t.cancelled, "annulé", "annulés"))
    return (f"<b>Dons reçus pendant l'exercice {year_label}</b> : "
            f"{counted(t.gifts, 'don', 'dons')} pour {format_money(t.gifts_cents)}, dont "
            f"<span style='color:#8a4b00'><b>{format_int(t.pending)} encore sans reçu</b></span>"
            f" — <b>Reçus émis pendant l'exercice</b> : "
            f"{counted(t.receipts, 'reçu valide', 'reçus valides')} pour "
            f"{format_money(t.receipts_cents)} ({cancelled}).")


class DonationsTab(BaseTab):
    shows = frozenset({Domain.COOPS, Domain.GIFTS, Domain.ASSOCIATION})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self._per_coop_stale = True
        # The lists are searched by the database: a pause in the typing, not each key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.apply_search)

        self.year_combo = QComboBox()
        self.year_combo.setObjectName("donations_year")
        self.year_combo.setToolTip("Exercice de l'association (réglable dans Paramètres ▸ Réglages)")
        self.coop_combo = QComboBox()
        self.search = QLineEdit()
        self.search.setObjectName("donations_search")
        self.search.setPlaceholderText("Rechercher : donateur, n° de reçu, coopérative…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.pending_check = QCheckBox("Dons sans reçu seulement")
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("donations_source")
        self.source_combo.addItem("Toutes les origines", None)
        for source in gifts.GiftSource:
            self.source_combo.addItem(source.label, source.value)

        self.request_button = QPushButton("Saisir une demande…")
        self.import_button = QPushButton("Importer une demande…")
        self.issue_button = QPushButton(GiftAction.ISSUE_RECEIPT.label)
        self.withdraw_button = QPushButton(GiftAction.WITHDRAW.label + "…")
        self.donor_button = QPushButton(GiftAction.EDIT_DONOR.label + "…")
        self.batch_button = QPushButton("Émettre les reçus en attente…")
        self.preview_button = QPushButton("Aperçu / imprimer…")
        self.cancel_button = QPushButton(ReceiptAction.CANCEL.label + "…")
        self.declaration_button = QPushButton("Déclaration annuelle (PDF)…")
        self.declaration_xlsx_button = QPushButton("Déclaration (Excel)…")
        self.verify_button = QPushButton("Vérifier les reçus")
        self.verify_button.setToolTip("Recalcule l'empreinte de chaque reçu émis et nomme le premier "
                                      "modifié, supprimé, ajouté ou déplacé en dehors de l'application.")

        self.donation_model = PagedTableModel(DONATION_COLUMNS, self, style=lambda r: (
            WITHDRAWN_STYLE if r.withdrawn else PENDING_STYLE if r.receipt_id is None else None))
        self.donation_table = make_table(self.donation_model, "donation_table")
        self.donation_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.receipt_model = PagedTableModel(RECEIPT_COLUMNS, self,
                                           style=lambda r: CANCELLED_STYLE if r.cancelled else None)
        self.receipt_table = make_table(self.receipt_model, "receipt_table")
        self.receipt_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.receipt_table.doubleClicked.connect(lambda _i: self.preview_selected())
        add_history_menu(self.donation_table, db, [
            ("Historique du don…", "donation", lambda r: (r.id, f"le don de {r.donor_name}")),
            ("Historique du donateur…", "donor", lambda r: (r.donor_id, r.donor_name)),
            ("Historique du reçu…", "tax_receipt", lambda r: (r.receipt_id, f"reçu {r.receipt_number}")
             if r.receipt_id else None)], more=lambda menu: donor_menu(self, menu))
        add_history_menu(self.receipt_table, db, [
            ("Historique du reçu…", "tax_receipt", lambda r: (r.id, f"reçu {r.number}")),
            ("Historique du donateur…", "donor", lambda r: (r.donor_id, r.donor_display))],
            more=lambda menu: receipt_menu(self, menu))

        self.pages = QTabWidget()
        donations_page = QWidget()
        d_layout = QVBoxLayout(donations_page)
        d_actions = QHBoxLayout()
        for b in (self.request_button, self.import_button, self.issue_button, self.donor_button,
                  self.withdraw_button):
            d_actions.addWidget(b)
        d_actions.addStretch(1)
        d_actions.addWidget(self.pending_check)
        d_layout.addLayout(d_actions)
        d_layout.addWidget(self.donation_table, 1)
        receipts_page = QWidget()
        r_layout = QVBoxLayout(receipts_page)
        r_actions = QHBoxLayout()
        for b in (self.preview_button, self.cancel_button, self.verify_button):
            r_actions.addWidget(b)
        r_actions.addStretch(1)
        for b in (self.declaration_button, self.declaration_xlsx_button):
            r_actions.addWidget(b)
        r_layout.addLayout(r_actions)
        r_layout.addWidget(self.receipt_table, 1)
        self.coop_model = RowTableModel(COOP_COLUMNS, self, style=lambda r: PENDING_STYLE if r.pending else None)
        self.coop_table = make_table(self.coop_model, "coop_totals_table")
        self.coop_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.pages.addTab(donations_page, "Dons")
        self.pages.addTab(receipts_page, "Reçus fiscaux")
        self.pages.addTab(self.coop_table, "Par coopérative")
        self.pages.currentChanged.connect(self._page_shown)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("donations_totals")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")
        self.association_warning = QLabel()
        self.association_warning.setStyleSheet("color: #b00020;")
        self.association_warning.setWordWrap(True)
        self.association_warning.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Exercice"))
        filters.addWidget(self.year_combo)
        filters.addWidget(self.coop_combo, 2)
        filters.addWidget(self.source_combo, 1)
        filters.addWidget(self.batch_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.association_warning)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.totals_label)

        g = dialogs.guard
        self.request_button.clicked.connect(g(self, "la saisie d'une demande", self.enter_request))
        self.import_button.clicked.connect(g(self, "l'import d'une demande", self.import_request))
        self.issue_button.clicked.connect(g(self, "l'émission du reçu", self.issue_selected))
        self.withdraw_button.clicked.connect(g(self, "le retrait du don", self.withdraw_selected))
        self.donor_button.clicked.connect(g(self, "la modification du donateur", self.edit_donor))
        self.batch_button.clicked.connect(g(self, "l'émission des reçus", self.issue_batch))
        self.preview_button.clicked.connect(g(self, "l'aperçu du reçu", self.preview_selected))
        self.cancel_button.clicked.connect(g(self, "l'annulation du reçu", self.cancel_selected))
        self.declaration_button.clicked.connect(g(self, "la déclaration annuelle", self.declaration_pdf))
        self.verify_button.clicked.connect(g(self, "la vérification des reçus", self.verify_receipts))
        self.declaration_xlsx_button.clicked.connect(g(self, "l'export de la déclaration",
                                                       self.declaration_xlsx))
        self.donation_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.receipt_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        self._fill_years()
        self._fill_coops()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.coop_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.pending_check.toggled.connect(lambda _c: self.reload())
        self.source_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def refresh(self) -> None:
        """Another tab or the settings changed what this one shows (a coop renamed, the
        start of the financial year moved): the pickers, then the lists."""
        self._fill_years()
        self._fill_coops()
        self.reload()

    def _fill_years(self) -> None:
        chosen = self.year_combo.currentData()
        current = gifts.current_financial_year(self.db)
        start = gifts.financial_year_start(self.db)
        years = set(gifts.receipt_years(self.db)) | {current, current - 1}
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(gifts.financial_year_label(year, start), year)
        index = self.year_combo.findData(chosen) if chosen is not None else -1
        self.year_combo.setCurrentIndex(index if index >= 0 else self.year_combo.findData(current))
        self.year_combo.blockSignals(False)

    def _fill_coops(self) -> None:
        chosen = self.coop_combo.currentData()
        fresh = coop_combo(self.db, all_label="Toutes les coopératives", include_archived=True)
        self.coop_combo.blockSignals(True)
        self.coop_combo.clear()
        for i in range(fresh.count()):
            self.coop_combo.addItem(fresh.itemText(i), fresh.itemData(i))
        fresh.deleteLater()
        self.coop_combo.setCurrentIndex(max(0, self.coop_combo.findData(chosen)) if chosen else 0)
        self.coop_combo.blockSignals(False)

    @property
    def year(self) -> int:
        value = self.year_combo.currentData()
        return value if value is not None else gifts.current_financial_year(self.db)

    def reload(self, select_donation: int | None = None, select_receipt: int | None = None) -> None:
        self._per_coop_stale = True
        self.apply_search()
        if self.pages.currentWidget() is self.coop_table:
            self._load_per_coop()
        t = gifts.year_totals(self.db, self.year, self.coop_combo.currentData())
        self.totals_label.setText(totals_text(self.year_combo.currentText(), t))
        self._warn_association()
        if select_donation:
            select_row_id(self.donation_table, select_donation)
        if select_receipt:
            select_row_id(self.receipt_table, select_receipt)

    def open_list(self, link) -> str:
        """The Bilan's gifts (of an origin) or receipts: those of the financial year the period
        starts in (the lists go by financial year); said when the period is not that year."""
        if link.view not in ("donations", "receipts"):
            return super().open_list(link)
        start_dm = gifts.financial_year_start(self.db)
        year = gifts.financial_year_of(link.start, start_dm)
        widgets = (self.year_combo, self.coop_combo, self.source_combo, self.pending_check)
        for widget in widgets:
            widget.blockSignals(True)
        if self.year_combo.findData(year) < 0:
            self.year_combo.addItem(gifts.financial_year_label(year, start_dm), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        self.coop_combo.setCurrentIndex(0)
        self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(link.source)))
        self.pending_check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.search.clear()
        self.pages.setCurrentIndex(0 if link.view == "donations" else 1)
        self.reload()
        if (link.start, link.end) != gifts.financial_year_bounds(year, start_dm):
            return (f"La liste montre tout l'exercice {self.year_combo.currentText()} : elle va "
                    "par exercice, la période du bilan est plus courte.")
        return ""

    def _load_per_coop(self) -> None:
        """The per-coop totals, read when their page is shown (and again after a change)."""
        start, end = gifts.financial_year_bounds(self.year, gifts.financial_year_start(self.db))
        coop_id = self.coop_combo.currentData()
        self.coop_model.set_rows([r for r in gifts.totals_by_coop(self.db, start, end)
                                  if not coop_id or r.coop_id == coop_id])
        self._per_coop_stale = False

    def _page_shown(self, _index: int) -> None:
        if self.pages.currentWidget() is self.coop_table and self._per_coop_stale:
            self._load_per_coop()

    def _warn_association(self) -> None:
        missing = missing_for_receipts(get_association(self.db))
        self.association_warning.setText(
            "Avant d'émettre des reçus, complétez Fichier ▸ Paramètres de l'association : "
            + ", ".join(missing) + "." if missing else "")
        self.association_warning.setVisible(bool(missing))

    def apply_search(self) -> None:
        """Show the gifts and receipts of the year, coop and words chosen (the first page of
        each; the rest comes as the lists scroll)."""
        self._search_timer.stop()
        db, text, coop_id = self.db, self.search.text(), self.coop_combo.currentData()
        start, end = gifts.financial_year_bounds(self.year, gifts.financial_year_start(db))
        d_filter = gifts.DonationFilter(start=start, end=end, coop_id=coop_id, search=text,
                                        pending_only=self.pending_check.isChecked(),
                                        source=self.source_combo.currentData())
        r_filter = gifts.ReceiptFilter(year=self.year, coop_id=coop_id, search=text)
        self.donation_model.set_fetch(lambda order, descending, offset, limit: gifts.page_of_donations(
            db, d_filter, order, descending, offset, limit))
        self.receipt_model.set_fetch(lambda order, descending, offset, limit: gifts.page_of_receipts(
            db, r_filter, order, descending, offset, limit))
        donations, receipts = self.donation_model.total(), self.receipt_model.total()
        self.pages.setTabText(0, f"Dons ({format_int(donations)})")
        self.pages.setTabText(1, f"Reçus fiscaux ({format_int(receipts)})")
        self.status.emit(f"{counted(donations, 'don affiché', 'dons affichés')} et "
                         f"{counted(receipts, 'reçu', 'reçus')} — exercice {self.year_combo.currentText()}")
        self._update_buttons()

    def selected_donation(self) -> gifts.DonationRow | None:
        return selected_row(self.donation_table)

    def selected_receipt(self) -> gifts.ReceiptRow | None:
        return selected_row(self.receipt_table)

    def gift_allows(self, action: GiftAction) -> gifts.DonationRow | None:
        """The selected gift, if it allows `action` (the core says)."""
        d = self.selected_donation()
        return d if d is not None and action in gifts.gift_actions(d) else None

    def receipt_allows(self, *actions: ReceiptAction) -> gifts.ReceiptRow | None:
        """The selected receipt, if it allows one of `actions` (the core says)."""
        r = self.selected_receipt()
        return r if r is not None and set(actions) & gifts.receipt_actions(r) else None

    def _update_buttons(self) -> None:
        d = self.selected_donation()
        allowed = gifts.gift_actions(d) if d is not None else frozenset()
        self.issue_button.setEnabled(GiftAction.ISSUE_RECEIPT in allowed)
        self.withdraw_button.setEnabled(GiftAction.WITHDRAW in allowed)
        self.donor_button.setEnabled(GiftAction.EDIT_DONOR in allowed)
        r = self.selected_receipt()
        allowed = gifts.receipt_actions(r) if r is not None else frozenset()
        self.preview_button.setEnabled(bool(allowed & PRINTS))
        printing = allowed & PRINTS
        self.preview_button.setToolTip(next(iter(printing)).label if printing else "")
        self.cancel_button.setEnabled(ReceiptAction.CANCEL in allowed)

    # -- gifts --------------------------------------------------------------------------------
    def enter_request(self) -> None:
        dialog = RequestDialog(self.db, self.coop_combo.currentData(), self)
        if dialog.exec():
            self.reload()
            self.announce(Domain.GIFTS)
            self.status.emit(counted(len(dialog.saved_ids), "don enregistré", "dons enregistrés") + ", en attente de reçu.")

    def import_request(self) -> None:
        path = dialogs.ask_open_file(self, "Importer une demande de reçus",
                                     "Tableaux (*.csv *.xlsx);;Tous les fichiers (*)")
        if not path:
            return
        dialog = ImportRequestDialog(self.db, path, self.coop_combo.currentData(), self)
        if dialog.exec():
            self.reload()
            self.announce(Domain.GIFTS)
            self.status.emit(counted(len(dialog.saved_ids), "don importé", "dons importés") + ", en attente de reçu.")

    def edit_donor(self) -> None:
        from ui.gifts.donor_dialog import DonorDialog

        d = self.gift_allows(GiftAction.EDIT_DONOR)
        if d is None:
            return
        if DonorDialog(self.db, d.donor_id, self).exec():
            self.reload(select_donation=d.id)
            self.announce(Domain.GIFTS)
            self.status.emit("Donateur enregistré. Les reçus déjà émis restent inchangés.")

    def withdraw_selected(self) -> None:
        d = self.gift_allows(GiftAction.WITHDRAW)
        if d is None:
            return
        reason = dialogs.ask_text(self, "Retirer le don",
                                  f"Don de {d.donor_name} ({format_money(d.amount_cents)}).\n"
                                  "Le don est conservé mais ne recevra pas de reçu. Motif :")
        if reason is None:
            return
        try:
            gifts.withdraw_donation(self.db, d.id, reason, version=d.version)
        except ValidationError as err:
            dialogs.show_warning(self, "Retrait impossible", "\n".join(err.errors.values()))
            self.reload(select_donation=d.id)  # as it is now (changed meanwhile, perhaps)
            return
        self.reload()
        self.announce(Domain.GIFTS)

    # -- receipts -----------------------------------------------------------------------------
    def issue_selected(self) -> None:
        d = self.gift_allows(GiftAction.ISSUE_RECEIPT)
        if d is None or not confirm_issue(self, d):
            return
        try:
            rid = gifts.reissue_for_donation(self.db, d.id)
        except ValidationError as err:
            dialogs.show_warning(self, "Reçu non émis", "\n".join(err.errors.values()))
            return
        shown = self.show_receipt(rid)
        self.reload(select_donation=d.id, select_receipt=rid)
        self.announce(Domain.GIFTS)
        self.status.emit(shown)

    def show_receipt(self, receipt_id: int) -> str:
        """Preview (print, save) a receipt. An original stays the original until the
        secretary confirms that it was printed; every later print is then a duplicate. The
        caller reloads, announces and shows the status line returned."""
        from ui.shell import pdf_preview

        pdf, doc = gifts.render_receipt(self.db, receipt_id)
        pdf_preview.show_pdf(self, pdf, f"Reçu fiscal n° {doc.number}"
                             + (" (duplicata)" if doc.duplicate else ""), f"{doc.file_stem}.pdf")
        shown = f"Reçu n° {doc.number} – {doc.donor_display} – {format_money(doc.amount_cents)}"
        if doc.duplicate or doc.cancelled:
            return shown
        if confirm_printed(self, doc.number):
            gifts.mark_printed(self.db, [receipt_id])
            return f"{shown} : original imprimé."
        return f"{shown} : l'original reste à imprimer."

    def preview_selected(self) -> None:
        r = self.receipt_allows(*PRINTS)
        if r is None:
            return
        first_print = ReceiptAction.PRINT_ORIGINAL in gifts.receipt_actions(r)
        shown = self.show_receipt(r.id)
        if first_print:  # the list shows whether it was printed
            self.reload(select_receipt=r.id)
            self.announce(Domain.GIFTS)
        self.status.emit(shown)

    def cancel_selected(self) -> None:
        r = self.receipt_allows(ReceiptAction.CANCEL)
        if r is None:
            return
        reason = dialogs.ask_text(
            self, f"Annuler le reçu n° {r.number}",
            f"Reçu n° {r.number} – {r.donor_display} – {format_money(r.amount_cents)}.\n"
            "Le reçu annulé est conservé avec le motif et la date ; son numéro n'est jamais réutilisé.\n"
            "Motif de l'annulation :")
        if reason is None:
            return
        replace = ReceiptAction.CANCEL_AND_REPLACE in gifts.receipt_actions(r) and dialogs.ask_confirm(
            self, "Reçu de remplacement",
            "Émettre un reçu de remplacement (nouveau numéro, mention « annule et remplace ») ? "
            "Vous corrigerez d'abord le donateur ou le don ; le remplaçant reprendra vos "
            "corrections.\n\nSinon, le don repasse « sans reçu ».",
            yes="Corriger et remplacer", no="Annuler seulement")
        try:
            new = self._replace(r, reason) if replace else gifts.cancel_receipt(self.db, r.id, reason)
        except ValidationError as err:
            dialogs.show_warning(self, "Annulation impossible", "\n".join(err.errors.values()))
            return
        if new is False:
            self.status.emit(f"Reçu n° {r.number} : rien n'a été annulé.")
            return
        shown = self.show_receipt(new) if new else f"Reçu n° {r.number} annulé."
        self.reload(select_receipt=new or r.id)
        self.announce(Domain.GIFTS)
        self.status.emit(shown)

    def _replace(self, r: gifts.ReceiptRow, reason: str) -> int | bool:
        """The donor or the gift corrected, then the receipt cancelled and replaced: the
        replacement's id, or False when the secretary closed the correction."""
        from ui.gifts.replacement_dialog import ReplacementDialog

        dialog = ReplacementDialog(self.db, r.id, reason, self)
        return dialog.saved_id if dialog.exec() else False

    def issue_batch(self) -> None:
        chooser = BatchDialog(self.db, self.coop_combo.currentData(), self.year, self)
        if not chooser.exec():
            return
        selection = chooser.selection()
        per_donor = chooser.per_donor.isChecked()
        folder = None
        if per_donor:
            folder = dialogs.ask_directory(self, "Dossier où enregistrer les reçus (un PDF par donateur)")
            if not folder:
                return
        if not safekeeping.backup_before(self, self.db, "avant-lot-de-recus"):
            return
        batch = gifts.ReceiptBatch(self.db, selection, folder=folder,
                                   output=gifts.PER_DONOR if per_donor else gifts.ONE_PDF,
                                   printed=per_donor)  # one PDF: printed once confirmed

        def job():
            for done, total in batch.steps():
                yield Progress(done, total, f"Émission des reçus : {format_int(done)} sur {format_int(total)}")
            return batch.result

        try:
            result = run_with_progress(self, "Reçus fiscaux", "Émission et impression des reçus…", job)
        except Cancelled:
            self.status.emit("Émission interrompue : aucun reçu n'a été émis.")
            return
        except ValidationError as err:
            dialogs.show_warning(self, "Reçus non émis", "\n".join(err.errors.values()))
            return
        self.reload()
        self.announce(Domain.GIFTS)
        summary = (f"{format_int(len(result.numbers))} reçus émis ({result.first_last}) pour "
                   f"{format_money(result.total_cents)}.")
        self.status.emit(summary)
        if per_donor:
            dialogs.show_info(self, "Reçus émis", f"{summary}\n\nUn PDF par reçu dans :\n{folder}")
        elif result.pdf:
            from ui.shell import pdf_preview

            pdf_preview.show_pdf(self, result.pdf, f"Reçus fiscaux {result.first_last}",
                                 f"recus_{result.numbers[0]}_{result.numbers[-1]}.pdf")
            if confirm_batch_printed(self, result):
                gifts.mark_printed(self.db, result.receipt_ids)
                self.reload()
                self.announce(Domain.GIFTS)
                self.status.emit(summary)
            else:
                self.status.emit(f"{summary} Les originaux restent à imprimer.")

    def verify_receipts(self) -> None:
        """Every receipt's hash recomputed, off the UI thread; the first break named."""
        check = gifts.ReceiptChainCheck(self.db)

        def job():
            for done, total in check.steps():
                yield Progress(done, total, f"Vérification des reçus : {format_int(done)} sur "
                                            f"{format_int(total)}")
            return check.report

        try:
            report = run_with_progress(self, "Vérifier les reçus", "Vérification des reçus…", job)
        except Cancelled:
            self.status.emit("Vérification des reçus interrompue.")
            return
        self.status.emit(report.message)
        if report.ok:
            dialogs.show_info(self, "Reçus vérifiés", report.message)
            return
        if report.receipt_id is not None:  # the receipt named, shown and selected
            year = self.year_combo.findData(int(report.number.split("-")[0]))
            if year >= 0:
                self.year_combo.setCurrentIndex(year)
            self.search.setText(report.number)
            self.apply_search()
            self.pages.setCurrentIndex(1)
            select_row_id(self.receipt_table, report.receipt_id)
        dialogs.show_warning(self, report.problem.label, report.message + "\n\nCe changement a été "
                             "fait directement sur le fichier de la base, sans passer par "
                             "l'application. Ne corrigez rien vous-même : gardez le fichier tel "
                             "quel, et comparez avec la dernière sauvegarde et les reçus imprimés.")

    def _in_background(self, doing: str, work):
        """A document of a whole year can take seconds at 10x volume: off the UI thread."""
        def job():
            yield Progress(0, 0, doing)
            return work()

        return run_with_progress(self, "Déclaration annuelle", doing, job)

    def declaration_pdf(self) -> None:
        from ui.shell import pdf_preview

        year = gifts.declared_year(self.db, self.year)  # a closed year: the one shown, or the last
        try:
            decl, pdf = self._in_background("Mise en page de la déclaration…",
                                            lambda: gifts.declaration_document(self.db, year))
        except Cancelled:
            return
        pdf_preview.show_pdf(self, pdf, f"Déclaration des reçus fiscaux {decl.label}",
                             f"declaration_recus_{decl.label}.pdf")

    def declaration_xlsx(self) -> None:
        year = gifts.declared_year(self.db, self.year)  # a closed year: the one shown, or the last
        label = gifts.financial_year_label(year, gifts.financial_year_start(self.db))
        path = dialogs.ask_save_workbook(self, "Exporter la déclaration annuelle",
                                         f"declaration_recus_{label}.xlsx")
        if not path:
            return
        try:
            decl = self._in_background("Export de la déclaration…",
                                       lambda: gifts.export_declaration(self.db, year, path))
        except Cancelled:
            return
        dialogs.show_exported(self, "Export terminé",
                              f"Déclaration {decl.label} : {counted(decl.count, 'reçu', 'reçus')}, "
                              f"{format_money(decl.total_cents)}.\n{path}", path)

    def import_actions(self):
        return [("Demande de reçus d'une coopérative (CSV ou Excel)…", self.import_request)]

    def export_actions(self):
        return [("Déclaration annuelle des reçus fiscaux (Excel)…", self.declaration_xlsx)]

    def screenshot_dialogs(self):
        dialog = RequestDialog(self.db, self.coop_combo.currentData(), self)
        dialog.set_cell(0, "last_name", "Nowak")
        dialog.set_cell(0, "first_names", "Łukasz")
        return [("demande-de-recus", dialog), ("emission-des-recus",
                                                BatchDialog(self.db, None, self.year, self))]
