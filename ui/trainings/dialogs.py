"""The Formations tab's forms: a training, a session, a registration (finding the person again),
the attendance checklist, a participant's history and the list of themes. Each form saves
through one call of the trainings' face, or nothing."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QTableWidget, QTableWidgetItem, QTimeEdit, QVBoxLayout, QWidget,
)

from occe_bureau import trainings
from occe_bureau.coops import coop_choices
from occe_bureau.formats import counted, format_date
from occe_bureau.trainings import HalfDay, Presence, SessionMode
from occe_bureau.validation import ValidationError
from ui.shell import dialogs
from ui.shell.forms import ERROR_STYLE, DateEdit, FormDialog, add_row, line_edit, text_area


def fill_themes(combo: QComboBox, db, chosen: int | None = None) -> None:
    combo.clear()
    combo.addItem("— choisir —", None)
    for theme in trainings.list_themes(db, include_archived=chosen is not None):
        if not theme.archived or theme.id == chosen:
            combo.addItem(theme.name, theme.id)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))


class TrainingDialog(FormDialog):
    """A training: title, theme, audience, description, trainers, partner, plan, course."""

    def __init__(self, db, training_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier la formation" if training_id else "Nouvelle formation", parent)
        self.db = db
        self.training_id = training_id
        self.title_edit = line_edit(200, "ex. Réaliser un film avec sa classe", "title")
        self.theme = QComboBox()
        self.theme.setObjectName("theme_id")
        self.audience = line_edit(200, "ex. Enseignants de cycle 3", "audience")
        self.description = text_area(60)
        self.trainers = line_edit(300, "ex. Mme Dubois, M. Petit", "trainers")
        self.partner = line_edit(200, "ex. DSDEN 92, UNSA, Canopé", "partner")
        self.on_plan = QCheckBox("Inscrite au plan départemental de formation")
        self.is_course = QCheckBox("Parcours : ses sessions se suivent ensemble (une seule inscription)")
        self.what_to_bring = text_area(40)
        form = QFormLayout()
        add_row(form, self.errors, "title", "Intitulé", self.title_edit)
        add_row(form, self.errors, "theme_id", "Thème", self.theme)
        add_row(form, self.errors, "audience", "Public", self.audience)
        add_row(form, self.errors, "description", "Description", self.description)
        add_row(form, self.errors, "trainers", "Formateurs", self.trainers)
        add_row(form, self.errors, "partner", "Partenaire", self.partner)
        add_row(form, self.errors, "on_departmental_plan", "", self.on_plan)
        add_row(form, self.errors, "is_course", "", self.is_course)
        add_row(form, self.errors, "what_to_bring", "À apporter (convocation)", self.what_to_bring)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.data = trainings.get_training(db, training_id) if training_id else trainings.TrainingData()
        self._fill(self.data)

    def _fill(self, data: trainings.TrainingData) -> None:
        fill_themes(self.theme, self.db, data.theme_id)
        self.title_edit.setText(data.title)
        self.audience.setText(data.audience)
        self.description.setPlainText(data.description)
        self.trainers.setText(data.trainers)
        self.partner.setText(data.partner)
        self.on_plan.setChecked(data.on_departmental_plan)
        self.is_course.setChecked(data.is_course)
        self.what_to_bring.setPlainText(data.what_to_bring)

    def reload(self) -> None:
        """The training as saved now, and its new version."""
        self.data = trainings.get_training(self.db, self.training_id)
        self._fill(self.data)

    def save(self) -> None:
        data = trainings.TrainingData(
            title=self.title_edit.text(), theme_id=self.theme.currentData(), audience=self.audience.text(),
            description=self.description.toPlainText(), trainers=self.trainers.text(),
            partner=self.partner.text(), on_departmental_plan=self.on_plan.isChecked(),
            is_course=self.is_course.isChecked(), what_to_bring=self.what_to_bring.toPlainText())
        if self.training_id:
            trainings.update_training(self.db, self.training_id, data, version=self.data.version)
            self.saved_id = self.training_id
        else:
            self.saved_id = trainings.create_training(self.db, data)


def time_edit(value: time, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    edit.setObjectName(name)
    return edit


class SessionDialog(FormDialog):
    """A session: date, start and end times, in person / by video / both, capacity."""

    def __init__(self, db, training_id: int, session_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier la session" if session_id else "Nouvelle session", parent)
        self.db = db
        self.training_id = training_id
        self.session_id = session_id
        data = trainings.get_session(db, session_id) if session_id else trainings.SessionData(
            start_time=time(14, 0), end_time=time(16, 0))
        self.day = DateEdit(data.day)
        self.day.setObjectName("day")
        self.start = time_edit(data.start_time, "start_time")
        self.end = time_edit(data.end_time, "end_time")
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for mode in SessionMode:
            self.mode.addItem(mode.label, mode.value)
        self.mode.setCurrentIndex(self.mode.findData(str(data.mode)))
        self.place = line_edit(300, "ex. OCCE, 12 rue des Écoles, Nanterre", "place")
        self.place.setText(data.place)
        self.link = line_edit(500, "https://…", "video_link")
        self.link.setText(data.video_link)
        self.capacity = line_edit(4, "20", "capacity")
        self.capacity.setText(str(data.capacity))
        form = QFormLayout()
        add_row(form, self.errors, "day", "Date", self.day)
        add_row(form, self.errors, "start_time", "Début", self.start)
        add_row(form, self.errors, "end_time", "Fin", self.end)
        add_row(form, self.errors, "mode", "Modalité", self.mode)
        add_row(form, self.errors, "place", "Lieu", self.place)
        add_row(form, self.errors, "video_link", "Lien de visio", self.link)
        add_row(form, self.errors, "capacity", "Capacité (places)", self.capacity)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self._mode_changed()
        self.data = data

    def reload(self) -> None:
        """The session as saved now, and its new version."""
        self.data = data = trainings.get_session(self.db, self.session_id)
        self.day.set_value(data.day)
        self.start.setTime(QTime(data.start_time.hour, data.start_time.minute))
        self.end.setTime(QTime(data.end_time.hour, data.end_time.minute))
        self.mode.setCurrentIndex(self.mode.findData(str(data.mode)))
        self.place.setText(data.place)
        self.link.setText(data.video_link)
        self.capacity.setText(str(data.capacity))
        self._mode_changed()

    def _mode_changed(self) -> None:
        mode = SessionMode(self.mode.currentData())
        self.place.setEnabled(mode.has_place)
        self.link.setEnabled(mode.has_link)

    def save(self) -> None:
        data = trainings.SessionData(
            day=self.day.value(), start_time=self.start.time().toPython(), end_time=self.end.time().toPython(),
            mode=self.mode.currentData(), place=self.place.text(), video_link=self.link.text(),
            capacity=self.capacity.text())
        if self.session_id:
            trainings.update_session(self.db, self.session_id, data, version=self.data.version)
            self.saved_id = self.session_id
        else:
            self.saved_id = trainings.create_session(self.db, self.training_id, data)


class RegisterDialog(FormDialog):
    """Register someone: a person already known (found by name or e-mail), or a new one typed
    in; a near-identical known person asks whether it is the same."""

    def __init__(self, db, training_id: int, session_id: int | None, target: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("Inscrire à une formation", parent, save_text="Inscrire")
        self.db = db
        self.training_id = training_id
        self.session_id = session_id
        self.registered: trainings.Registered | None = None
        self.search = line_edit(100, "Rechercher une personne déjà connue : nom, e-mail…", "search")
        self.found = QListWidget()
        self.found.setObjectName("found")
        self.found.setMaximumHeight(110)
        self.last_name = line_edit(100, "", "last_name")
        self.first_name = line_edit(100, "", "first_name")
        self.email = line_edit(200, "nom@ac-versailles.fr", "email")
        self.coop = QComboBox()
        self.coop.setObjectName("coop_id")
        self.coop.addItem("— aucune —", None)
        for cid, label in coop_choices(db):
            self.coop.addItem(label, cid)
        form = QFormLayout()
        form.addRow("Inscription à", QLabel(target))
        form.addRow("Déjà connue", self.search)
        form.addRow("", self.found)
        add_row(form, self.errors, "last_name", "Nom", self.last_name)
        add_row(form, self.errors, "first_name", "Prénom", self.first_name)
        add_row(form, self.errors, "email", "E-mail", self.email)
        add_row(form, self.errors, "coop_id", "Coopérative", self.coop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self._search)
        self.found.currentRowChanged.connect(self._pick)
        self.rows: list[trainings.ParticipantRow] = []
        self.picked: int | None = None
        for edit in (self.last_name, self.first_name, self.email):  # typed over: not the one picked
            edit.textEdited.connect(self._unpick)
        self.coop.activated.connect(self._unpick)

    def _unpick(self, *_args) -> None:
        self.picked = None

    def _search(self, text: str) -> None:
        self.found.clear()
        self.rows = trainings.search_participants(self.db, text, limit=20) if text.strip() else []
        for row in self.rows:
            self.found.addItem(QListWidgetItem(" – ".join(p for p in (row.name, row.email, row.coop) if p)))

    def _pick(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        self.picked = row.id
        self.last_name.setText(row.last_name)
        self.first_name.setText(row.first_name)
        self.email.setText(row.email)
        self.coop.setCurrentIndex(max(0, self.coop.findData(row.coop_id)))

    def data(self) -> trainings.ParticipantData:
        return trainings.ParticipantData(last_name=self.last_name.text(), first_name=self.first_name.text(),
                                         email=self.email.text(), coop_id=self.coop.currentData())

    def participant(self) -> int | None:
        """The person to register: the one picked, the same known one, or a new one (None when
        the secretary chose to look again)."""
        if self.picked is not None:
            return self.picked
        data = self.data()
        known = trainings.find_participant(self.db, data)
        if known.same is not None:
            return known.same
        if known.asks:
            like = (known.namesakes or known.similar)[0]
            text = (f"Une personne proche est déjà connue : « {like.name} »"
                    + (f", {like.email}" if like.email else "") + (f", {like.coop}" if like.coop else "")
                    + ".\n\nEst-ce la même personne ?")
            if dialogs.ask_confirm(self, "Personne déjà connue ?", text,
                                   yes="Oui, la même personne", no="Non, une autre personne"):
                return like.id
        return trainings.create_participant(self.db, data, new_person_ok=True)

    def save(self) -> None:
        person = self.participant()
        self.registered = trainings.register(self.db, person, self.training_id, self.session_id)
        self.saved_id = self.registered.id


class AttendanceDialog(QDialog):
    """The quick checklist of a session: one line per person holding a place, one column per
    half-day (Présent / Absent / Excusé), « Tous présents » to start from."""

    def __init__(self, db, session_id: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.session_id = session_id
        self.saved = False
        self.setWindowTitle(f"Présences – {title}")
        self.resize(720, 520)
        self.list = trainings.checklist(db, session_id)
        halves = self.list.half_days
        self.table = QTableWidget(len(self.list.rows), 2 + len(halves))
        self.table.setObjectName("checklist")
        self.table.setHorizontalHeaderLabels(["Participant", "Coopérative", *[h.label for h in halves]])
        self.table.verticalHeader().setVisible(False)
        self.combos: dict[tuple[int, HalfDay], QComboBox] = {}
        for r, row in enumerate(self.list.rows):
            for c, text in enumerate((row.name, row.coop)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            for c, half in enumerate(halves, start=2):
                combo = QComboBox()
                combo.addItem("—", None)
                for presence in Presence:
                    combo.addItem(presence.label, presence.value)
                mark = row.marks.get(half)
                combo.setCurrentIndex(max(0, combo.findData(mark.value if mark else None)))
                self.table.setCellWidget(r, c, combo)
                self.combos[(row.participant_id, half)] = combo
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.all_present = QPushButton("Tous présents")
        self.save_button = QPushButton("Enregistrer les présences")
        close = QPushButton("Fermer")
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_present)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{counted(len(self.list.rows), 'personne', 'personnes')} avec une place. "
                                "Choisissez pour chaque demi-journée : présent, absent ou excusé."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.all_present.clicked.connect(self.mark_all_present)
        self.save_button.clicked.connect(dialogs.guard(self, "l'enregistrement des présences", self.save))
        close.clicked.connect(self.reject)

    def mark_all_present(self) -> None:
        for combo in self.combos.values():
            if combo.currentData() is None:
                combo.setCurrentIndex(combo.findData(Presence.PRESENT.value))

    def set_presence(self, participant_id: int, half: HalfDay, presence: Presence) -> None:
        combo = self.combos[(participant_id, half)]
        combo.setCurrentIndex(combo.findData(presence.value))

    def save(self) -> None:
        marks = {key: (Presence(c.currentData()) if c.currentData() else None) for key, c in self.combos.items()}
        try:
            trainings.record_attendance(self.db, self.session_id, marks)
        except ValidationError as err:
            self.message.setText("\n".join(err.errors.values()))
            return
        self.saved = True
        self.accept()


class HistoryDialog(QDialog):
    """A participant's history: what they registered for and what they attended."""

    def __init__(self, db, participant_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        person = trainings.get_participant(db, participant_id)
        self.setWindowTitle(f"Historique – {person.name}")
        self.resize(760, 420)
        lines = trainings.participant_history(db, participant_id)
        self.table = QTableWidget(len(lines), 5)
        self.table.setObjectName("history")
        self.table.setHorizontalHeaderLabels(["Date", "Horaires", "Formation", "Inscription", "Présence"])
        self.table.verticalHeader().setVisible(False)
        for r, line in enumerate(lines):
            for c, text in enumerate((format_date(line.day), line.times, line.training, line.status,
                                      line.attended or "Non relevée")):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QPushButton("Fermer")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        about = " – ".join(p for p in (person.email, person.coop) if p)
        layout.addWidget(QLabel(f"{person.name}" + (f" ({about})" if about else "")))
        layout.addWidget(self.table, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


class ThemesDialog(QDialog):
    """The editable list of themes: add, rename, hide (never delete: past figures use them)."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.changed = False
        self.setWindowTitle("Thèmes de formation")
        self.list = QListWidget()
        self.list.setObjectName("themes")
        self.add_button = QPushButton("Ajouter…")
        self.rename_button = QPushButton("Renommer…")
        self.hide_button = QPushButton("Masquer")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        close = QPushButton("Fermer")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.hide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Les thèmes classent les formations et leurs chiffres de l'année. "
                                "Un thème masqué garde son historique."))
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.hide_button.clicked.connect(self.toggle_hidden)
        close.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.rows = trainings.list_themes(self.db, include_archived=True)
        self.list.clear()
        for row in self.rows:
            count = counted(row.trainings, "formation", "formations")
            entry = QListWidgetItem(f"{row.name} ({count})" + (" — masqué" if row.archived else ""))
            if row.archived:
                entry.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(entry)
            if row.id == select_id:
                self.list.setCurrentItem(entry)
        self._update()

    def current(self) -> trainings.ThemeRow | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _update(self) -> None:
        row = self.current()
        self.rename_button.setEnabled(row is not None)
        self.hide_button.setEnabled(row is not None)
        self.hide_button.setText("Afficher" if row is not None and row.archived else "Masquer")

    def _run(self, action) -> None:
        self.message.clear()
        try:
            result = action()
        except ValidationError as err:
            self.message.setText("\n".join(err.errors.values()))
            return
        self.changed = True
        self.reload(result)

    def add(self) -> None:
        name = dialogs.ask_text(self, "Nouveau thème", "Nom du thème :")
        if name and name.strip():
            self._run(lambda: trainings.add_theme(self.db, name))

    def rename(self) -> None:
        row = self.current()
        if row is None:
            return
        name = dialogs.ask_text(self, "Renommer le thème", "Nouveau nom :", row.name)
        if name and name.strip():
            self._run(lambda: (trainings.rename_theme(self.db, row.id, name), row.id)[1])

    def toggle_hidden(self) -> None:
        row = self.current()
        if row is not None:
            self._run(lambda: (trainings.set_theme_archived(self.db, row.id, not row.archived), row.id)[1])
