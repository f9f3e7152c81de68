"""The Formations tab: the year's trainings, the sessions of the one selected, the people of the
session (or course) selected with the waiting list in its order, and the actions on them
(registering, cancelling and offering the freed place, attendance, the attendance sheet, the
certificates, the invitation with its calendar file); a second page gives the year's figures.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from occe_bureau import clock, trainings
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date, format_int, school_year_label, school_year_of
from occe_bureau.trainings import RegistrationStatus
from ui.shell import dialogs
from ui.shell.changes import Domain, StaleSet
from ui.shell.pdf_preview import show_pdf
from ui.shell.tab_base import BaseTab, choose_year, turn_to
from ui.shell.table_model import (
    RIGHT, Column, RowStyle, RowTableModel, make_table, select_row_id, selected_row,
)
from ui.trainings.dialogs import (
    AttendanceDialog, HistoryDialog, RegisterDialog, SessionDialog, ThemesDialog, TrainingDialog,
)

GREY = RowStyle(foreground="#777777")
WAITING = RowStyle(foreground="#7a4d00")


def _dates(r: trainings.TrainingRow) -> str:
    if r.first_day is None:
        return "Aucune session"
    if r.first_day == r.last_day:
        return format_date(r.first_day)
    return f"du {format_date(r.first_day)} au {format_date(r.last_day)}"


TRAINING_COLUMNS = [
    Column("Formation", lambda r: r.title, sort_key=lambda r: r.title.casefold(), width=300),
    Column("Thème", lambda r: r.theme, width=200),
    Column("Type", lambda r: r.kind_label, width=80),
    Column("Sessions", lambda r: format_int(r.sessions), sort_key=lambda r: r.sessions, align=RIGHT, width=70),
    Column("Dates", _dates, sort_key=lambda r: r.first_day, width=190),
    Column("Inscrits", lambda r: format_int(r.registered), sort_key=lambda r: r.registered, align=RIGHT,
           width=70),
    Column("En attente", lambda r: format_int(r.waiting) if r.waiting else "", sort_key=lambda r: r.waiting,
           align=RIGHT, width=80),
    Column("Partenaire", lambda r: r.partner, width=120),
]
SESSION_COLUMNS = [
    Column("Date", lambda s: format_date(s.day), sort_key=lambda s: (s.day, s.start_time), width=90),
    Column("Horaires", lambda s: s.times_label, sort_key=lambda s: s.start_time, width=110),
    Column("Modalité", lambda s: "Annulée" if s.cancelled else s.mode.label, width=130),
    Column("Lieu ou lien", lambda s: s.where or s.video_link, width=260,
           tooltip=lambda s: s.video_link or s.place),
    Column("Places", lambda s: f"{s.registered} / {s.capacity}", sort_key=lambda s: s.free, align=RIGHT,
           width=70),
    Column("En attente", lambda s: format_int(s.waiting) if s.waiting else "", sort_key=lambda s: s.waiting,
           align=RIGHT, width=80),
]
PEOPLE_COLUMNS = [
    Column("Participant", lambda r: r.name, sort_key=lambda r: r.name.casefold(), width=220),
    Column("Coopérative", lambda r: r.coop, width=240),
    Column("E-mail", lambda r: r.email, width=200),
    Column("Inscription", lambda r: r.status_label,
           sort_key=lambda r: (list(RegistrationStatus).index(r.status), r.queue_number), width=160),
    Column("Le", lambda r: format_date(r.registered_on), sort_key=lambda r: r.registered_on, width=90),
]
FIGURE_COLUMNS = [
    Column("", lambda f: f.label, sort_key=lambda f: f.label.casefold(), width=320),
    Column("Sessions", lambda f: format_int(f.sessions), sort_key=lambda f: f.sessions, align=RIGHT, width=70),
    Column("Heures", lambda f: f.hours_label, sort_key=lambda f: f.minutes, align=RIGHT, width=70),
    Column("Inscriptions", lambda f: format_int(f.registrations), sort_key=lambda f: f.registrations,
           align=RIGHT, width=90),
    Column("Présences", lambda f: format_int(f.present), sort_key=lambda f: f.present, align=RIGHT, width=80),
    Column("Enseignants", lambda f: format_int(f.teachers), sort_key=lambda f: f.teachers, align=RIGHT,
           width=90),
    Column("Coopératives", lambda f: format_int(f.coops), sort_key=lambda f: f.coops, align=RIGHT, width=95),
    Column("Présentiel / visio / les deux", lambda f: f"{f.in_person} / {f.video} / {f.both}", width=170),
    Column("Ligne du rapport d'activité", lambda f: f.report_line, width=320),
]


def _people_style(r: trainings.RegistrationRow) -> RowStyle | None:
    if r.status == RegistrationStatus.CANCELLED:
        return GREY
    return WAITING if r.status == RegistrationStatus.WAITING else None


def year_combo(with_all: bool) -> QComboBox:
    combo = QComboBox()
    current = school_year_of(clock.today())
    for year in range(current + 1, current - 5, -1):
        combo.addItem(f"Année scolaire {school_year_label(year)}", year)
    if with_all:
        combo.addItem("Toutes les années", None)
    combo.setCurrentIndex(1)
    return combo


class TrainingsPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.TRAININGS, Domain.ASSOCIATION})

    def __init__(self, tab: TrainingsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.year = year_combo(with_all=True)
        self.year.setObjectName("training_year")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher : intitulé, thème, partenaire…")
        self.search.setClearButtonEnabled(True)
        b = QPushButton
        self.new_training = b("Nouvelle formation…")
        self.edit_training = b("Modifier…")
        self.themes_button = b("Thèmes…")
        self.new_session = b("Nouvelle session…")
        self.edit_session = b("Modifier la session…")
        self.cancel_session = b("Annuler la session")
        self.register_button = b("Inscrire…")
        self.cancel_registration = b("Annuler l'inscription")
        self.offer_button = b("Proposer la place…")
        self.history_button = b("Historique…")
        self.attendance_button = b("Présences…")
        self.sheet_button = b("Feuille d'émargement")
        self.certificates_button = b("Attestations")
        self.invitation_button = b("Convocation…")
        self.training_model = RowTableModel(TRAINING_COLUMNS, self)
        self.trainings_table = make_table(self.training_model, "trainings_table")
        self.session_model = RowTableModel(SESSION_COLUMNS, self, style=lambda s: GREY if s.cancelled else None)
        self.sessions_table = make_table(self.session_model, "sessions_table")
        self.people_model = RowTableModel(PEOPLE_COLUMNS, self, style=_people_style)
        self.people_table = make_table(self.people_model, "people_table")
        self.trainings_table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # by dates
        self.sessions_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.people_table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # places, then the waiting list
        self.people_title = QLabel()
        self.people_title.setObjectName("people_title")
        self.summary = QLabel()

        top = QHBoxLayout()
        for w in (self.year, self.search):
            top.addWidget(w, 1 if w is self.search else 0)
        for w in (self.new_training, self.edit_training, self.themes_button):
            top.addWidget(w)
        session_bar = QHBoxLayout()
        session_bar.addWidget(QLabel("Sessions"))
        session_bar.addStretch(1)
        for w in (self.new_session, self.edit_session, self.cancel_session, self.attendance_button,
                  self.sheet_button):
            session_bar.addWidget(w)
        people_bar = QHBoxLayout()
        people_bar.addWidget(self.people_title, 1)
        for w in (self.register_button, self.cancel_registration, self.offer_button, self.history_button,
                  self.invitation_button, self.certificates_button):
            people_bar.addWidget(w)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(session_bar)
        lower_layout.addWidget(self.sessions_table, 1)
        lower_layout.addLayout(people_bar)
        lower_layout.addWidget(self.people_table, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.trainings_table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)

        g = dialogs.guard
        self.new_training.clicked.connect(g(self, "la création d'une formation", self.create_training))
        self.edit_training.clicked.connect(g(self, "la modification d'une formation", self.modify_training))
        self.themes_button.clicked.connect(g(self, "les thèmes de formation", self.edit_themes))
        self.new_session.clicked.connect(g(self, "la création d'une session", self.create_session))
        self.edit_session.clicked.connect(g(self, "la modification d'une session", self.modify_session))
        self.cancel_session.clicked.connect(g(self, "l'annulation d'une session", self.toggle_session))
        self.register_button.clicked.connect(g(self, "une inscription", self.register))
        self.cancel_registration.clicked.connect(g(self, "l'annulation d'une inscription", self.cancel))
        self.offer_button.clicked.connect(g(self, "la place proposée", self.offer))
        self.history_button.clicked.connect(g(self, "l'historique d'un participant", self.history))
        self.attendance_button.clicked.connect(g(self, "les présences", self.take_attendance))
        self.sheet_button.clicked.connect(g(self, "la feuille d'émargement", self.print_sheet))
        self.certificates_button.clicked.connect(g(self, "les attestations de présence", self.print_certificates))
        self.invitation_button.clicked.connect(g(self, "la convocation", self.print_invitation))
        self.trainings_table.selectionModel().selectionChanged.connect(lambda *_: self.training_changed())
        self.sessions_table.selectionModel().selectionChanged.connect(lambda *_: self.session_changed())
        self.people_table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.trainings_table.doubleClicked.connect(lambda _i: self.modify_training())
        self.sessions_table.doubleClicked.connect(lambda _i: self.modify_session())
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        self._update()

    # -- reading ------------------------------------------------------------------------------
    def show_year(self, year: int, training_id: int | None = None) -> None:
        """The trainings of school year `year` (from the Bilan), one selected if given."""
        choose_year(self.year, year, f"Année scolaire {school_year_label(year)}")
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.reload(select_id=training_id)

    def reload(self, select_id: int | None = None) -> None:
        chosen = select_id if select_id is not None else getattr(self.training(), "id", None)
        rows = trainings.list_trainings(self.db, self.year.currentData(), self.search.text())
        self.training_model.set_rows(rows)
        if not select_row_id(self.trainings_table, chosen):
            self.training_changed()
        registered = sum(r.registered for r in rows)
        self.summary.setText(f"{counted(len(rows), 'formation', 'formations')}, "
                             f"{counted(sum(r.sessions for r in rows), 'session', 'sessions')}, "
                             f"{counted(registered, 'inscription', 'inscriptions')}")

    def status_line(self) -> str:
        return self.summary.text()

    def training(self) -> trainings.TrainingRow | None:
        return selected_row(self.trainings_table)

    def session(self) -> trainings.SessionRow | None:
        return selected_row(self.sessions_table)

    def person(self) -> trainings.RegistrationRow | None:
        return selected_row(self.people_table)

    def training_changed(self, session_id: int | None = None) -> None:
        t = self.training()
        chosen = session_id if session_id is not None else getattr(self.session(), "id", None)
        self.session_model.set_rows(trainings.list_sessions(self.db, t.id) if t else [])
        if not select_row_id(self.sessions_table, chosen):
            self.session_changed()

    def target(self) -> tuple[int, int | None] | None:
        """(training, session) whose people are shown: a course's people are the course's."""
        t = self.training()
        if t is None:
            return None
        if t.is_course:
            return t.id, None
        s = self.session()
        return (t.id, s.id) if s else None

    def session_changed(self, person_id: int | None = None) -> None:
        target = self.target()
        chosen = person_id if person_id is not None else getattr(self.person(), "id", None)
        rows = trainings.list_registrations(self.db, *target) if target else []
        self.people_model.set_rows(rows)
        select_row_id(self.people_table, chosen)
        t, s = self.training(), self.session()
        if target is None:
            self.people_title.setText("Inscriptions : choisissez une session")
        else:
            held = sum(1 for r in rows if r.status == RegistrationStatus.REGISTERED)
            waiting = sum(1 for r in rows if r.status == RegistrationStatus.WAITING)
            what = "du parcours" if t.is_course else f"de la session du {format_date(s.day)}"
            self.people_title.setText(f"Inscriptions {what} : {counted(held, 'inscrit', 'inscrits')}"
                                      + (f", {waiting} en attente" if waiting else ""))
        self._update()

    def _update(self) -> None:
        t, s, p = self.training(), self.session(), self.person()
        self.edit_training.setEnabled(t is not None)
        self.new_session.setEnabled(t is not None)
        self.edit_session.setEnabled(s is not None)
        self.cancel_session.setEnabled(s is not None)
        self.cancel_session.setText("Rétablir la session" if s is not None and s.cancelled else "Annuler la session")
        target = self.target()
        self.register_button.setEnabled(target is not None and not (s and s.cancelled and not t.is_course))
        active = p is not None and p.status != RegistrationStatus.CANCELLED
        self.cancel_registration.setEnabled(active)
        self.history_button.setEnabled(p is not None)
        self.invitation_button.setEnabled(p is not None and p.status == RegistrationStatus.REGISTERED)
        self.offer_button.setEnabled(target is not None and trainings.pending_offer(self.db, *target) is not None)
        self.attendance_button.setEnabled(s is not None and not s.cancelled and s.day <= clock.today())
        self.sheet_button.setEnabled(s is not None and not s.cancelled)
        self.certificates_button.setEnabled(target is not None)

    def _changed(self) -> None:
        self.tab.announce(Domain.TRAININGS)

    # -- trainings and sessions ------------------------------------------------------------------
    def create_training(self) -> None:
        dialog = TrainingDialog(self.db, None, self)
        if dialog.exec():
            self._changed()
            self.search.clear()
            self.year.setCurrentIndex(self.year.findData(None))
            self.reload(select_id=dialog.saved_id)
            self.tab.status.emit("Formation créée : ajoutez-lui ses sessions.")

    def modify_training(self) -> None:
        t = self.training()
        if t is None:
            return
        dialog = TrainingDialog(self.db, t.id, self)
        if dialog.exec():
            self._changed()
            self.reload(select_id=t.id)

    def edit_themes(self) -> None:
        dialog = ThemesDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self._changed()
            self.reload()

    def create_session(self) -> None:
        t = self.training()
        if t is None:
            return
        dialog = SessionDialog(self.db, t.id, None, self)
        if dialog.exec():
            self._changed()
            self.reload(select_id=t.id)
            self.training_changed(session_id=dialog.saved_id)

    def modify_session(self) -> None:
        s = self.session()
        if s is None:
            return
        dialog = SessionDialog(self.db, s.training_id, s.id, self)
        if dialog.exec():
            self._changed()
            self.reload()
            self.training_changed(session_id=s.id)

    def toggle_session(self) -> None:
        s = self.session()
        if s is None:
            return
        if not s.cancelled and not dialogs.ask_confirm(
                self, "Annuler la session ?",
                f"La session du {format_date(s.day)} sera marquée annulée (elle reste enregistrée, "
                "avec ses inscriptions).", yes="Annuler la session", no="Ne rien changer"):
            return
        trainings.set_session_cancelled(self.db, s.id, not s.cancelled)
        self._changed()
        self.reload()
        self.training_changed(session_id=s.id)

    # -- registrations ---------------------------------------------------------------------------
    def _target_label(self) -> str:
        t, s = self.training(), self.session()
        if t.is_course:
            return f"le parcours « {t.title} » (toutes ses sessions)"
        return f"« {t.title} », session du {format_date(s.day)} ({s.times_label})"

    def _refresh_people(self, person_id: int | None = None) -> None:
        t = self.training()
        self.reload(select_id=t.id if t else None)
        self.training_changed()
        self.session_changed(person_id)

    def register(self) -> None:
        target = self.target()
        if target is None:
            return
        dialog = RegisterDialog(self.db, target[0], target[1], self._target_label(), self)
        if dialog.exec():
            self._changed()
            self._refresh_people(dialog.saved_id)
            result = dialog.registered
            if result.status == RegistrationStatus.WAITING:
                self.tab.status.emit(f"Complet : inscription en liste d'attente ({result.waiting_rank}ᵉ).")
            else:
                self.tab.status.emit("Inscription enregistrée.")

    def cancel(self) -> None:
        p = self.person()
        if p is None or not dialogs.ask_confirm(
                self, "Annuler l'inscription ?", f"L'inscription de {p.name} sera annulée (elle reste "
                "enregistrée dans son historique).", yes="Annuler l'inscription", no="Ne rien changer"):
            return
        offer = trainings.cancel_registration(self.db, p.id)
        self._changed()
        self._refresh_people(p.id)
        if offer is not None:
            self._propose(offer)

    def offer(self) -> None:
        target = self.target()
        offer = trainings.pending_offer(self.db, *target) if target else None
        if offer is not None:
            self._propose(offer)

    def _propose(self, offer: trainings.Offer) -> None:
        if dialogs.ask_confirm(
                self, "Place libérée",
                f"Une place est libre pour {offer.target}. La première personne en liste d'attente est "
                f"{offer.name}.\n\nLui proposer la place ? Confirmez quand elle l'a acceptée.",
                yes=f"Inscrire {offer.name}", no="Plus tard"):
            trainings.promote(self.db, offer.registration_id)
            self._changed()
            self._refresh_people(offer.registration_id)
            self.tab.status.emit(f"{offer.name} passe de la liste d'attente aux inscrits.")

    def history(self) -> None:
        p = self.person()
        if p is not None:
            HistoryDialog(self.db, p.participant_id, self).exec()

    def take_attendance(self) -> None:
        s, t = self.session(), self.training()
        if s is None:
            return
        dialog = AttendanceDialog(self.db, s.id, f"{t.title}, {format_date(s.day)}", self)
        if dialog.exec() and dialog.saved:
            self._changed()
            self.tab.status.emit("Présences enregistrées.")

    # -- documents ---------------------------------------------------------------------------------
    def print_sheet(self) -> None:
        s, t = self.session(), self.training()
        if s is None:
            return
        pdf = trainings.attendance_sheet_pdf(self.db, s.id)
        show_pdf(self, pdf, f"Feuille d'émargement – {t.title}", f"emargement-{s.day.isoformat()}.pdf")

    def print_certificates(self) -> None:
        target = self.target()
        if target is None:
            return
        pdf = trainings.certificates_pdf(self.db, *target)
        show_pdf(self, pdf, f"Attestations de présence – {self.training().title}", "attestations.pdf")

    def print_invitation(self) -> None:
        p = self.person()
        if p is None:
            return
        path = dialogs.ask_save_file(self, "Enregistrer la convocation et son fichier de calendrier",
                                     f"convocation-{p.name.replace(' ', '-')}.pdf", "Documents PDF (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        pdf = trainings.invitation_letter_pdf(self.db, p.id)
        Path(path).write_bytes(pdf)
        calendar = Path(path).with_suffix(".ics")
        calendar.write_bytes(trainings.invitation_calendar(self.db, p.id))
        dialogs.show_exported(self, "Convocation enregistrée",
                              f"La convocation et son fichier de calendrier sont enregistrés :\n{path}\n{calendar}",
                              path)


class FiguresPage(QWidget):
    shows = frozenset({Domain.COOPS, Domain.TRAININGS})

    def __init__(self, tab: TrainingsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.db = tab.db
        self.figures: trainings.YearFigures | None = None
        self.year = year_combo(with_all=False)
        self.year.setObjectName("figures_year")
        self.group = QComboBox()
        self.group.addItem("Par thème", "by_theme")
        self.group.addItem("Par formation", "by_training")
        self.export_button = QPushButton("Exporter en Excel…")
        self.model = RowTableModel(FIGURE_COLUMNS, self)
        self.table = make_table(self.model, "figures_table")
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.total = QLabel()
        self.total.setObjectName("figures_total")
        self.total.setWordWrap(True)
        self.total.setStyleSheet("padding: 6px; background: #eef3f8; border-radius: 4px;")
        note = QLabel("Sessions tenues jusqu'à aujourd'hui ; enseignants : personnes différentes présentes "
                      "au moins une demi-journée ; coopératives : leurs coopératives différentes.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(self.year)
        bar.addWidget(self.group)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(note)
        for combo in (self.year, self.group):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button.clicked.connect(dialogs.guard(self, "l'export des chiffres des formations", self.export))

    def show_year(self, year: int) -> None:
        """The figures of school year `year` (from the Bilan)."""
        choose_year(self.year, year, f"Année scolaire {school_year_label(year)}")
        self.reload()

    def reload(self) -> None:
        self.figures = trainings.year_figures(self.db, self.year.currentData())
        self.model.set_rows(getattr(self.figures, self.group.currentData()))
        self.total.setText(f"Année scolaire {self.figures.label} — {self.figures.total.report_line}, "
                           f"{counted(self.figures.total.coops, 'coopérative', 'coopératives')}")

    def status_line(self) -> str:
        return self.total.text()

    def export(self) -> None:
        if self.figures is None:
            self.reload()
        path = dialogs.ask_save_workbook(self, "Exporter les chiffres des formations",
                                         f"formations-{self.figures.label}.xlsx")
        if not path:
            return
        Path(path).write_bytes(trainings.export_figures_xlsx(self.figures))
        dialogs.show_exported(self, "Export terminé", f"Les chiffres des formations ont été exportés :\n{path}", path)


class TrainingsTab(BaseTab):
    shows = frozenset({Domain.COOPS, Domain.TRAININGS, Domain.ASSOCIATION})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pages = QTabWidget()
        self.trainings_page = TrainingsPage(self)
        self.figures_page = FiguresPage(self)
        self.stale = StaleSet()
        for page, title in ((self.trainings_page, "Formations et inscriptions"),
                            (self.figures_page, "Chiffres de l'année")):
            self.pages.addTab(page, title)
            self.stale.add(page, page.shows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.pages.currentChanged.connect(self._page_shown)

    def load(self) -> None:
        self._page_shown(self.pages.currentIndex())

    def refresh(self) -> None:
        self.note_changes(self.shows)
        self._page_shown(self.pages.currentIndex())

    def note_changes(self, domains: frozenset[Domain]) -> None:
        self.stale.note(frozenset(domains))

    def announce(self, *domains: Domain) -> None:
        self.note_changes(frozenset(domains))
        self.stale.fresh(self.pages.currentWidget())
        super().announce(*domains)

    def _page_shown(self, _index: int) -> None:
        page = self.pages.currentWidget()
        with dialogs.guarded(self, "l'affichage de la page"):
            self.stale.refresh(page)
        self.status.emit(page.status_line())

    def open_list(self, link) -> str:
        """The Bilan's trainings of a school year (one selected), or the year's figures."""
        if link.view not in ("trainings", "training_figures"):
            return super().open_list(link)
        page = self.trainings_page if link.view == "trainings" else self.figures_page
        turn_to(self.pages, self.stale, page)
        if page is self.trainings_page:
            page.show_year(link.school_year, link.training_id)
        else:
            page.show_year(link.school_year)
        self.status.emit(page.status_line())
        return ""

    def export_actions(self):
        return [("Chiffres des formations (Excel)…", self.figures_page.export)]

    def screenshot_dialogs(self):
        return [("nouvelle-formation", TrainingDialog(self.db, None, self)),
                ("nouvelle-session", SessionDialog(self.db, 0, None, self))]
