"""Personal data (RGPD), as the secretary meets it: what is held about a person (export as a
workbook, erasure on request after seeing what goes and what the law keeps, until when), and
the yearly purge of what is past its keeping time (Fichier ▸ Données personnelles)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from occe_bureau import clock, safety
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date
from ui.shell import dialogs

BACKUPS_NOTE = ("Les sauvegardes déjà faites gardent ces données jusqu'à ce que le tri des "
                "sauvegardes les supprime (deux ans au plus).")


def _file_name(name: str) -> str:
    kept = "".join(c if c.isalnum() else "_" for c in name).strip("_")
    return f"donnees_personnelles_{kept or 'personne'}.xlsx"


class PersonalDataDialog(QDialog):
    """What the application holds about one person: the records reached from where the
    secretary started (certain, always included) and those bearing the same name or e-mail
    elsewhere (to tick when it is the same person)."""

    def __init__(self, db: Database, person: safety.Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person = person
        self.erased = False
        self.setWindowTitle(f"Données personnelles — {person.name}")
        self.resize(960, 560)
        self.holdings = safety.held_about(db, person)
        today = clock.today()
        self.tree = QTreeWidget()
        self.tree.setObjectName("personal_data_tree")
        self.tree.setHeaderLabels(["Enregistrement", "Conservation"])
        self.tree.setColumnWidth(0, 620)
        self._items: list[tuple[QTreeWidgetItem, safety.Holding]] = []
        sections: dict[str, QTreeWidgetItem] = {}
        for h in self.holdings:
            top = sections.get(h.section)
            if top is None:
                top = sections[h.section] = QTreeWidgetItem(self.tree, [h.section])
                top.setExpanded(True)
            keeping = (f"conservé jusqu'au {format_date(h.kept_until)}" if h.kept_on(today)
                       else "à effacer sur demande")
            item = QTreeWidgetItem(top, [h.summary if h.certain else
                                         f"{h.summary} (même nom : à vérifier)",
                                         keeping])
            item.setToolTip(0, "\n".join(f"{label} : {value}" for label, value in h.fields if value))
            item.setToolTip(1, h.why_kept)
            if not h.certain:  # reached from the person's own record: always part of it
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if h.certain else Qt.CheckState.Unchecked)
            self._items.append((item, h))
        if not self.holdings:
            QTreeWidgetItem(self.tree, ["Rien n'est enregistré sous ce nom ni sous cet e-mail."])
        note = QLabel("Cochez les enregistrements trouvés ailleurs sous le même nom ou le même "
                      "e-mail s'il s'agit bien de cette personne. Ce qui est coché est exporté, "
                      "ou effacé à sa demande (sauf ce que la loi impose de conserver).")
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Exporter (Excel)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.erase_button = buttons.addButton("Effacer à sa demande…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(dialogs.guard(self, "l'export des données personnelles",
                                                         self.export))
        self.erase_button.clicked.connect(dialogs.guard(self, "l'effacement des données personnelles",
                                                        self.erase))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[safety.Holding]:
        return [h for item, h in self._items if item.checkState(0) == Qt.CheckState.Checked]

    def item_of(self, ref: str) -> QTreeWidgetItem:
        return next(item for item, h in self._items if h.ref == ref)

    def export(self) -> None:
        path = dialogs.ask_save_workbook(self, "Exporter les données personnelles",
                                         _file_name(self.person.name))
        if not path:
            return
        count = safety.export_personal_data(path, self.person, self.chosen())
        dialogs.show_exported(self, "Export terminé",
                              f"Données personnelles de {self.person.name} : "
                              f"{counted(count, 'enregistrement', 'enregistrements')}.\n{path}", path)

    def erase(self) -> None:
        chosen = self.chosen()
        plan = safety.erasure_plan(chosen)
        if not dialogs.ask_confirm(self, "Effacer les données personnelles",
                                   f"À la demande de {self.person.name} :\n\n{plan.text()}\n\n"
                                   f"{BACKUPS_NOTE}\nL'effacement ne peut pas être annulé.",
                                   yes="Effacer", no="Ne rien effacer"):
            return
        safety.erase(self.db, chosen)
        self.erased = True
        self.accept()


class PurgeDialog(QDialog):
    """The yearly purge: what is past its keeping time, each proposal ticked; the secretary
    unticks what must stay and confirms."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.erased = 0
        self.setWindowTitle("Purge annuelle des données personnelles")
        self.resize(860, 520)
        self.proposals = safety.purge_proposals(db)
        self.list = QListWidget()
        self.list.setObjectName("purge_list")
        for p in self.proposals:
            item = QListWidgetItem(f"{p.label} — {p.reason}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        head = QLabel(
            "Ces données ont dépassé leur durée de conservation (six ans après l'année "
            "d'émission pour les reçus fiscaux et les dons qu'ils couvrent). Décochez ce qui "
            "doit rester, puis effacez le reste." if self.proposals else
            "Rien n'a dépassé sa durée de conservation : aucune donnée à effacer cette année.")
        head.setWordWrap(True)
        head.setObjectName("purge_head")
        buttons = QDialogButtonBox()
        self.erase_button = QPushButton("Effacer la sélection…")
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        self.erase_button.setEnabled(bool(self.proposals))
        self.erase_button.clicked.connect(dialogs.guard(self, "la purge des données personnelles",
                                                        self.erase))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[safety.Proposal]:
        return [p for row, p in enumerate(self.proposals)
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def erase(self) -> None:
        chosen = self.chosen()
        if not chosen:
            dialogs.show_info(self, "Purge annuelle", "Rien n'est coché : rien n'a été effacé.")
            return
        if not dialogs.ask_confirm(self, "Purge annuelle",
                                   f"Effacer {counted(len(chosen), 'élément coché', 'éléments cochés')} ?"
                                   f"\n\n{BACKUPS_NOTE}\nL'effacement ne peut pas être annulé.",
                                   yes="Effacer", no="Ne rien effacer"):
            return
        self.erased = safety.purge(self.db, chosen)
        self.accept()


def offer_yearly_purge(db: Database, parent: QWidget | None) -> bool:
    """Once a year, at the first start from 1 January (when a year of receipts passes its
    keeping time): the purge offered if something is past keeping. True when it erased."""
    if not safety.purge_offer_due(db):
        return False
    safety.purge_offered(db)
    proposals = safety.purge_proposals(db)
    if not proposals:
        return False
    if not dialogs.ask_confirm(parent, "Purge annuelle des données personnelles",
                               counted(len(proposals), "élément a dépassé sa durée",
                                       "éléments ont dépassé leur durée")
                               + " de conservation (reçus fiscaux de plus de six ans, "
                               "anciens prêts, coopératives archivées…). Les voir maintenant ?\n\n"
                               "Vous pourrez y revenir par Fichier ▸ Purge annuelle des données "
                               "personnelles.", yes="Voir", no="Plus tard"):
        return False
    dialog = PurgeDialog(db, parent)
    return bool(dialog.exec() and dialog.erased)
