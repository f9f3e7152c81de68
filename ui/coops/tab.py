"""The Coopératives tab: the register, searched as you type, filtered, totalled, edited."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from occe_bureau.db import Database
from occe_bureau.formats import counted, fold, format_int, format_money, school_year_label, school_year_of
from occe_bureau import coops as svc
from occe_bureau.validation import StaleRecord, ValidationError
from ui.shell import dialogs
from ui.shell.changes import Domain
from ui.shell.history_dialog import add_history_menu
from ui.shell.tab_base import BaseTab
from ui.shell.table_model import CENTER, RIGHT, Column, RowStyle, RowTableModel, make_table, select_row_id, selected_row
from occe_bureau import clock

def _cotisation(row: svc.CoopRow) -> str:
    if row.cotisation_due_cents == 0:
        return "à fixer"
    if row.cotisation_paid_cents >= row.cotisation_due_cents:
        return "payée"
    return f"due {format_money(row.cotisation_due_cents - row.cotisation_paid_cents)}"


COLUMNS = [
    Column("N° OCCE", lambda r: r.number, width=80),
    Column("Nom", lambda r: r.name + (" (archivée)" if r.archived else ""),
           sort_key=lambda r: fold(r.name), width=300),
    Column("Type", lambda r: r.kind_label, width=100),
    Column("UAI", lambda r: r.uai or "", width=80),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=140),
    Column("Circonscription", lambda r: r.circonscription, width=150),
    Column("Mandataire", lambda r: r.mandataire_name, width=140),
    Column("Classes", width=64, text=lambda r: format_int(r.classes), sort_key=lambda r: r.classes, align=RIGHT),
    Column("Élèves", width=64, text=lambda r: format_int(r.pupils), sort_key=lambda r: r.pupils, align=RIGHT),
    Column("Adultes", width=64, text=lambda r: format_int(r.adults), sort_key=lambda r: r.adults, align=RIGHT),
    Column("Adhérents", width=80, text=lambda r: format_int(r.members), sort_key=lambda r: r.members, align=RIGHT),
    Column("Cotisation", _cotisation, width=110, sort_key=lambda r: r.cotisation_due_cents - r.cotisation_paid_cents,
           align=CENTER),
    Column("CRA", width=84, text=lambda r: r.document_text(r.cra_received_on), sort_key=lambda r: r.cra_received_on,
           align=CENTER),
    Column("CRF", width=84, text=lambda r: r.document_text(r.crf_received_on), sort_key=lambda r: r.crf_received_on,
           align=CENTER),
]
ARCHIVED_STYLE = RowStyle(foreground="#8a8a8a")


def totals_text(totals: svc.CoopTotals) -> str:
    if not totals.coops:
        return "Aucune coopérative affichée."
    kinds = ", ".join(
        f"{format_int(count)} {kind.counted(count)}"
        for kind, count in sorted(totals.by_kind.items(), key=lambda kv: list(svc.CoopKind).index(kv[0]))
    )
    noun = "coopérative" if totals.coops == 1 else "coopératives"
    return (f"<b>{format_int(totals.coops)} {noun}</b> ({kinds}) — "
            f"{format_int(totals.classes)} classes, {format_int(totals.pupils)} élèves, "
            f"{format_int(totals.adults)} adultes : <b>{format_int(totals.members)} adhérents</b>")


class CoopsTab(BaseTab):
    shows = frozenset({Domain.COOPS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self._all_rows: list[svc.CoopRow] = []

        self.search = QLineEdit()
        self.search.setObjectName("coop_search")
        self.search.setPlaceholderText("Rechercher : numéro, nom, commune, UAI, mandataire…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_search)

        self.year_combo = QComboBox()
        self.year_combo.setToolTip("Année scolaire des chiffres affichés (1er septembre – 31 août)")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("Tous les types", None)
        for kind in svc.CoopKind:
            self.kind_combo.addItem(kind.label, kind)
        self.circ_combo = QComboBox()
        self.circ_combo.setMinimumWidth(200)
        self.status_combo = QComboBox()
        for value in svc.CoopStatus:
            label = value.label
            self.status_combo.addItem(label, value)
        self.missing_check = QCheckBox("Documents manquants (CRA, CRF, cotisation)")
        self.controlled_check = QCheckBox("Contrôlées dans l'année")

        self.new_button = QPushButton("Nouvelle coopérative…")
        self.edit_button = QPushButton("Modifier…")
        self.archive_button = QPushButton("Archiver")
        self.delete_button = QPushButton("Supprimer")
        self.delete_button.setToolTip("Seulement une coopérative saisie par erreur, sans historique.")
        self.import_button = QPushButton("Importer…")
        self.export_button = QPushButton("Exporter…")

        self.model = RowTableModel(COLUMNS, self, style=lambda r: ARCHIVED_STYLE if r.archived else None)
        self.table = make_table(self.model, "coop_table")
        add_history_menu(self.table, db, [("Historique…", "coop", lambda r: (r.id, f"{r.number} {r.name}"))])
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.totals_label = QLabel()
        self.totals_label.setObjectName("coop_totals")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Année"))
        filters.addWidget(self.year_combo)
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.circ_combo)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.missing_check)
        filters.addWidget(self.controlled_check)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.archive_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)

        self.new_button.clicked.connect(dialogs.guard(self, "la création d'une coopérative", self.create))
        self.edit_button.clicked.connect(dialogs.guard(self, "la modification d'une coopérative", self.edit_selected))
        self.archive_button.clicked.connect(dialogs.guard(self, "l'archivage d'une coopérative", self.toggle_archive))
        self.delete_button.clicked.connect(dialogs.guard(self, "la suppression d'une coopérative", self.delete_selected))
        self.import_button.clicked.connect(dialogs.guard(self, "l'import des coopératives", self.import_file))
        self.export_button.clicked.connect(dialogs.guard(self, "l'export des coopératives", self.export_file))
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        self._fill_years()
        self._fill_circonscriptions()
        for combo in (self.year_combo, self.kind_combo, self.circ_combo, self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for check in (self.missing_check, self.controlled_check):
            check.toggled.connect(lambda _c: self.reload())
        self.reload()

    def refresh(self) -> None:
        self._fill_circonscriptions()
        self.reload()

    def _fill_years(self) -> None:
        """Every year with figures; the year chosen stays chosen, and the tab opens on the
        year whose CRA and CRF are being collected."""
        current = school_year_of(clock.today())
        chosen = self.year_combo.currentData()
        if chosen is None:
            chosen = svc.year_being_chased(clock.today())
        years = set(svc.years_with_data(self.db)) | {current, current - 1}
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(school_year_label(year), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(chosen))
        self.year_combo.blockSignals(False)

    def _fill_circonscriptions(self) -> None:
        chosen = self.circ_combo.currentData()
        self.circ_combo.blockSignals(True)
        self.circ_combo.clear()
        self.circ_combo.addItem("Toutes les circonscriptions", "")
        for name in svc.circonscriptions(self.db):
            self.circ_combo.addItem(name, name)
        index = self.circ_combo.findData(chosen) if chosen else 0
        self.circ_combo.setCurrentIndex(max(0, index))
        self.circ_combo.blockSignals(False)

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or school_year_of(clock.today())

    def current_filter(self) -> svc.CoopFilter:
        return svc.CoopFilter(
            year=self.year, kind=self.kind_combo.currentData(),
            circonscription=self.circ_combo.currentData() or "",
            status=self.status_combo.currentData(), missing_documents=self.missing_check.isChecked(),
            controlled=self.controlled_check.isChecked(),
        )

    def open_list(self, link) -> str:
        """The Bilan's coops of a school year: every coop with that year's figures (archived
        since included), of one kind, with a document missing, or controlled."""
        if link.view != "coops":
            return super().open_list(link)
        widgets = (self.year_combo, self.kind_combo, self.circ_combo, self.status_combo,
                   self.missing_check, self.controlled_check)
        for widget in widgets:
            widget.blockSignals(True)
        if self.year_combo.findData(link.school_year) < 0:
            self.year_combo.addItem(school_year_label(link.school_year), link.school_year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(link.school_year))
        kind = svc.CoopKind(link.coop_kind) if link.coop_kind else None
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.circ_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(self.status_combo.findData(svc.CoopStatus.ALL))
        self.missing_check.setChecked(link.missing_documents)
        self.controlled_check.setChecked(link.controlled)
        for widget in widgets:
            widget.blockSignals(False)
        self.search.clear()
        self.reload()
        return ""

    def reload(self, select_id: int | None = None) -> None:
        """Query again for the structural filters, then narrow by the search text."""
        self._all_rows = svc.list_coops(self.db, self.current_filter())
        self.apply_search(select_id=select_id)

    def apply_search(self, _text: str | None = None, select_id: int | None = None) -> None:
        rows = svc.search_rows(self._all_rows, self.search.text())
        self.model.set_rows(rows)
        self.totals_label.setText(totals_text(svc.totals(rows)))
        self.status.emit(f"{format_int(len(rows))} coopératives affichées sur "
                         f"{format_int(len(self._all_rows))} — année {school_year_label(self.year)}")
        if select_id is not None:
            self.select(select_id)
        self._update_buttons()

    def select(self, coop_id: int) -> None:
        select_row_id(self.table, coop_id)

    def selected(self) -> svc.CoopRow | None:
        return selected_row(self.table)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        self.archive_button.setText("Réactiver" if row is not None and row.archived else "Archiver")

    # -- actions ------------------------------------------------------------------------------
    def create(self) -> None:
        from ui.coops.coop_dialog import CoopDialog

        dialog = CoopDialog(self.db, None, self.year, self)
        if dialog.exec():
            self._fill_circonscriptions()
            self.reload(select_id=dialog.saved_id)
            self.announce(Domain.COOPS)
            self.status.emit(f"Coopérative {dialog.saved_number} créée.")

    def edit_selected(self) -> None:
        from ui.coops.coop_dialog import CoopDialog

        row = self.selected()
        if row is None:
            return
        dialog = CoopDialog(self.db, row.id, self.year, self)
        if dialog.exec():
            self._fill_circonscriptions()
            self.reload(select_id=row.id)
            self.announce(Domain.COOPS)
            self.status.emit(f"Coopérative {dialog.saved_number} enregistrée.")

    def _archive(self, row, archived: bool) -> None:
        """Archive or bring back the coop as listed; changed meanwhile, the list shows it anew."""
        try:
            svc.set_archived(self.db, row.id, archived, version=row.version)
        except StaleRecord:
            self.reload(select_id=row.id)
            raise

    def toggle_archive(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.archived:
            self._archive(row, False)
            self.status.emit(f"Coopérative {row.number} réactivée.")
        else:
            under_way = svc.open_business(self.db, row.id)
            question = (f"Archiver « {row.name} » ({row.number}) ?\n\nElle n'apparaîtra plus parmi "
                        "les coopératives actives ; son historique est conservé et elle peut être "
                        "réactivée.")
            if under_way:
                question += "\n\nEncore en cours avec elle :\n" + "\n".join(f"• {line}" for line in under_way)
            if not dialogs.ask_confirm(self, "Archiver la coopérative", question, yes="Archiver"):
                return
            self._archive(row, True)
            self.status.emit(f"Coopérative {row.number} archivée.")
        self.reload(select_id=row.id)
        self.announce(Domain.COOPS)

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not dialogs.ask_confirm(self, "Supprimer la coopérative",
                                   f"Supprimer définitivement « {row.name} » ({row.number}) ?\n\n"
                                   "Seule une coopérative saisie par erreur, sans aucun historique, "
                                   "peut être supprimée.", yes="Supprimer"):
            return
        try:
            svc.delete_coop(self.db, row.id, version=row.version)
        except ValidationError as err:
            dialogs.show_warning(self, "Suppression impossible", "\n".join(err.errors.values()))
            self.reload(select_id=row.id)  # as it is now (changed meanwhile, perhaps)
            return
        self.reload()
        self.announce(Domain.COOPS)
        self.status.emit(f"Coopérative {row.number} supprimée.")

    def import_file(self) -> None:
        from ui.coops.import_dialog import CoopImportDialog

        path = dialogs.ask_open_file(self, "Importer des coopératives",
                                     "Tableaux (*.csv *.xlsx);;Tous les fichiers (*)")
        if not path:
            return
        dialog = CoopImportDialog(self.db, path, self.year, self)
        if dialog.load_failed:
            return
        if dialog.exec():
            self._fill_years()
            self._fill_circonscriptions()
            self.reload()
            self.announce(Domain.COOPS)
            self.status.emit(dialog.summary)

    def export_file(self) -> None:

        path = dialogs.ask_save_file(
            self, "Exporter la liste affichée", f"coopératives_{school_year_label(self.year)}.xlsx",
            "Classeur Excel (*.xlsx);;Texte CSV (*.csv)")
        if not path:
            return
        if not path.lower().endswith((".xlsx", ".csv")):
            path += ".xlsx"
        count = svc.export_coops(self.model.rows(), self.year, path)
        self.status.emit(f"{format_int(count)} coopératives exportées dans {path}")
        dialogs.show_exported(self, "Export terminé",
                              f"{counted(count, 'coopérative exportée', 'coopératives exportées')} :\n{path}",
                              path)

    def import_actions(self):
        return [("Coopératives (CSV ou Excel)…", self.import_file)]

    def export_actions(self):
        return [("Liste des coopératives affichée (Excel ou CSV)…", self.export_file)]

    def screenshot_dialogs(self):
        """The coop form, opened on the first coop shown (for ui.shell.screenshots)."""
        from ui.coops.coop_dialog import CoopDialog

        rows = self.model.rows()
        return [("fiche-cooperative", CoopDialog(self.db, rows[0].id, self.year, self))] if rows else []
