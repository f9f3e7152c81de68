"""The Formations tab through its real widgets: a training with two sessions, registering until
full and the waiting list moving, attendance, the attendance sheet and the certificates (PDF
text read back), bad input at its field, and the demo's figures."""

from datetime import date, time

import pytest
from PySide6.QtCore import QTime, Qt

from occe_bureau import trainings
from occe_bureau.trainings import HalfDay, Presence, RegistrationStatus
from tests.pdf import pdf_text
from tests.ui.conftest import make_window
from tests.ui.typing import type_text
from ui.shell import dialogs
from ui.trainings import tab as tab_module
from ui.trainings.dialogs import AttendanceDialog, RegisterDialog, SessionDialog, TrainingDialog


def open_tab(window):
    from ui.shell.main_window import TABS

    window.tabs.setCurrentIndex([t for t, _f in TABS].index("Formations"))
    tab = next(t for t in window.tab_widgets if isinstance(t, tab_module.TrainingsTab))
    assert tab._loaded
    return tab.trainings_page


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_session(qtbot, dialog, day, start, end, capacity, place="Salle OCCE, Nanterre"):
    dialog.day.set_value(day)
    dialog.start.setTime(QTime(start.hour, start.minute))
    dialog.end.setTime(QTime(end.hour, end.minute))
    dialog.place.clear()
    type_text(qtbot, dialog.place, place)
    dialog.capacity.clear()
    type_text(qtbot, dialog.capacity, str(capacity))


def runs(monkeypatch, cls, fill):
    def run(dialog):
        fill(dialog)
        qtbot_click = getattr(dialog, "save_button")
        qtbot_click.click()
        return dialog.result()

    monkeypatch.setattr(cls, "exec", run)


@pytest.fixture
def page(qtbot, db, tmp_path):
    return open_tab(make_window(qtbot, db, tmp_path))


def create_training_with_two_sessions(qtbot, page, monkeypatch, capacity=2):
    def training(dialog):
        type_text(qtbot, dialog.title_edit, "Jeux coopératifs <en> classe")
        dialog.theme.setCurrentIndex(dialog.theme.findText("Jeux coopératifs"))
        type_text(qtbot, dialog.partner, "Canopé")

    runs(monkeypatch, TrainingDialog, training)
    click(qtbot, page.new_training)
    assert page.training().title == "Jeux coopératifs <en> classe"
    days = iter([(date(2026, 3, 4), capacity), (date(2026, 4, 8), 10)])

    def session(dialog):
        day, places = next(days)
        fill_session(qtbot, dialog, day, time(14, 0), time(17, 0), places)

    runs(monkeypatch, SessionDialog, session)
    click(qtbot, page.new_session)
    click(qtbot, page.new_session)
    assert [(s.day, s.capacity, s.minutes) for s in page.session_model.rows()] == [
        (date(2026, 3, 4), capacity, 180), (date(2026, 4, 8), 10, 180)]
    assert page.training_model.rows()[0].sessions == 2


def register_people(qtbot, page, monkeypatch, names):
    people = iter(names)

    def fill(dialog):
        last, first = next(people)
        type_text(qtbot, dialog.last_name, last)
        type_text(qtbot, dialog.first_name, first)
        type_text(qtbot, dialog.email, f"{first.lower()}@ecole.fr")

    runs(monkeypatch, RegisterDialog, fill)
    for _ in names:
        click(qtbot, page.register_button)


def people(page):
    return [(r.name, r.status, r.waiting_rank) for r in page.people_model.rows()]


def test_a_training_with_two_sessions_fills_up_and_its_waiting_list_moves(qtbot, page, monkeypatch, qtmodeltester):
    create_training_with_two_sessions(qtbot, page, monkeypatch)
    page.sessions_table.selectRow(0)
    register_people(qtbot, page, monkeypatch, [("Adam", "Alice"), ("Bernard", "Bruno"), ("Costa", "Chloé"),
                                               ("Diallo", "Fatou")])
    assert people(page) == [("Adam Alice", "registered", None), ("Bernard Bruno", "registered", None),
                            ("Costa Chloé", "waiting", 1), ("Diallo Fatou", "waiting", 2)]
    assert page.session_model.rows()[0].waiting == 2
    assert not page.offer_button.isEnabled()
    for model in (page.training_model, page.session_model, page.people_model):
        qtmodeltester.check(model)
    # Adam cancels: the first waiting is offered the place; the secretary confirms.
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda _p, title, text, **k: asked.append(title) or True)
    page.people_table.selectRow(0)
    click(qtbot, page.cancel_registration)
    assert asked == ["Annuler l'inscription ?", "Place libérée"]
    assert people(page) == [("Bernard Bruno", "registered", None), ("Costa Chloé", "registered", None),
                            ("Diallo Fatou", "waiting", 1), ("Adam Alice", "cancelled", None)]
    costa = next(r for r in page.people_model.rows() if r.name == "Costa Chloé")
    assert trainings.RegistrationEventKind.PROMOTED in [e.kind for e in trainings.registration_events(page.db, costa.id)]
    # Take attendance in the quick checklist, then print the sheet and the certificates.
    def attendance(dialog):
        click(qtbot, dialog.all_present)
        bernard = next(r.participant_id for r in dialog.list.rows if r.name == "Bernard Bruno")
        dialog.set_presence(bernard, HalfDay.AFTERNOON, Presence.EXCUSED)
        click(qtbot, dialog.save_button)
        return dialog.result()

    monkeypatch.setattr(AttendanceDialog, "exec", attendance)
    click(qtbot, page.attendance_button)
    marks = {r.name: r.marks for r in trainings.checklist(page.db, page.session().id).rows}
    assert marks == {"Bernard Bruno": {HalfDay.AFTERNOON: Presence.EXCUSED},
                     "Costa Chloé": {HalfDay.AFTERNOON: Presence.PRESENT}}
    shown = []
    monkeypatch.setattr(tab_module, "show_pdf", lambda _p, pdf, title, name: shown.append((pdf, title)))
    click(qtbot, page.sheet_button)
    click(qtbot, page.certificates_button)
    sheet, certificates = (pdf_text(pdf) for pdf, _t in shown)
    assert "Jeux coopératifs <en> classe" in sheet and "Bernard Bruno" in sheet and "Costa Chloé" in sheet
    assert "Diallo Fatou" not in sheet and "Adam Alice" not in sheet
    assert "Costa Chloé" in certificates and "Bernard Bruno" not in certificates and "3 h" in certificates


def test_bad_session_input_is_shown_at_its_field_and_nothing_is_saved(qtbot, page, monkeypatch):
    create_training_with_two_sessions(qtbot, page, monkeypatch)
    training_id = page.training().id
    dialog = SessionDialog(page.db, training_id, None, page)
    qtbot.addWidget(dialog)
    fill_session(qtbot, dialog, date(2026, 5, 6), time(16, 0), time(14, 0), 0)
    click(qtbot, dialog.save_button)
    assert "après l'heure de début" in dialog.error_text("end_time")
    assert dialog.error_text("capacity") == "Capacité : au moins une place."
    assert len(trainings.list_sessions(page.db, training_id)) == 2
    # Below the people already registered.
    page.sessions_table.selectRow(0)
    register_people(qtbot, page, monkeypatch, [("Adam", "Alice"), ("Bernard", "Bruno")])
    edit = SessionDialog(page.db, training_id, page.session().id, page)
    qtbot.addWidget(edit)
    edit.capacity.clear()
    type_text(qtbot, edit.capacity, "1")
    click(qtbot, edit.save_button)
    assert "2 personnes sont déjà inscrites" in edit.error_text("capacity")
    assert trainings.get_session(page.db, page.session().id).capacity == 2


def test_the_same_person_twice_is_refused_and_names_print_as_typed(qtbot, page, monkeypatch):
    create_training_with_two_sessions(qtbot, page, monkeypatch, capacity=5)
    page.sessions_table.selectRow(0)
    register_people(qtbot, page, monkeypatch, [("<b>Dupont</b>", "=1+1")])
    dialog = RegisterDialog(page.db, page.training().id, page.session().id, "la session", page)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.search, "dupont")
    assert dialog.found.count() == 1
    dialog.found.setCurrentRow(0)
    click(qtbot, dialog.save_button)
    assert "<b>Dupont</b> =1+1 est déjà inscrite" in dialog.error_text("participant")
    assert len(page.people_model.rows()) == 1
    shown = []
    monkeypatch.setattr(tab_module, "show_pdf", lambda _p, pdf, title, name: shown.append(pdf))
    click(qtbot, page.sheet_button)
    assert "<b>Dupont</b> =1+1" in pdf_text(shown[0])


def test_a_near_identical_person_asks_whether_it_is_the_same(qtbot, page, monkeypatch):
    create_training_with_two_sessions(qtbot, page, monkeypatch, capacity=5)
    page.sessions_table.selectRow(0)
    register_people(qtbot, page, monkeypatch, [("Lefèvre", "Hélène")])
    page.sessions_table.selectRow(1)
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirm", lambda _p, title, text, **k: asked.append(text) or True)
    dialog = RegisterDialog(page.db, page.training().id, page.session().id, "la session", page)
    qtbot.addWidget(dialog)
    for widget, text in ((dialog.last_name, "Lefevre"), (dialog.first_name, "Helene"),
                         (dialog.email, "h.lefevre@ac-versailles.fr")):
        type_text(qtbot, widget, text)
    click(qtbot, dialog.save_button)
    assert "« Lefèvre Hélène »" in asked[0]
    assert len(trainings.search_participants(page.db, "lefevre")) == 1


def test_the_demo_opens_on_this_year_and_its_figures_show_the_report(qtbot, window, qtmodeltester):
    page = open_tab(window)
    assert page.training_model.rowCount() > 5
    qtmodeltester.check(page.training_model)
    figures = page.tab.figures_page
    page.tab.pages.setCurrentWidget(figures)
    figures.year.setCurrentIndex(figures.year.findData(figures.year.currentData() - 1))
    lines = [f.report_line for f in figures.model.rows()]
    assert "9 sessions de 2 h (18 h), 154 enseignants" in lines
    qtmodeltester.check(figures.model)
    assert "enseignants" in figures.total.text()


def test_the_invitation_is_saved_with_its_calendar_file_beside_it(qtbot, page, monkeypatch, tmp_path):
    from occe_bureau.trainings.calendar_file import read_calendar

    create_training_with_two_sessions(qtbot, page, monkeypatch, capacity=5)
    page.sessions_table.selectRow(0)
    register_people(qtbot, page, monkeypatch, [("Adam", "Alice")])
    page.people_table.selectRow(0)
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(tmp_path / "convocation"))
    told = []
    monkeypatch.setattr(dialogs, "show_exported", lambda _p, title, text, path: told.append(path))
    click(qtbot, page.invitation_button)
    assert told == [str(tmp_path / "convocation.pdf")]
    assert "Adam Alice" in pdf_text((tmp_path / "convocation.pdf").read_bytes())
    events = read_calendar((tmp_path / "convocation.ics").read_bytes())
    assert [e[2].date() for e in events] == [date(2026, 3, 4)] and events[0][2].hour == 14


def test_two_training_forms_the_second_save_is_refused_then_reloaded(qtbot, db):
    from occe_bureau import workstation
    from tests.core.trainings_helpers import training

    t = training(db)
    first, second = TrainingDialog(db, t), TrainingDialog(db, t)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    first.partner.clear()
    type_text(qtbot, first.partner, "DSDEN 92")
    with workstation.acting_as("marie", "BUREAU-2"):
        click(qtbot, first.save_button)
    assert first.result() == 1
    type_text(qtbot, second.audience, "Cycle 3")
    click(qtbot, second.save_button)
    assert second.isVisible() and second.reload_button.isVisible()
    assert "Cette formation a été modifiée par marie sur BUREAU-2" in second.general_error.text()
    assert trainings.get_training(db, t).audience == ""  # nothing written
    click(qtbot, second.reload_button)
    assert second.partner.text() == "DSDEN 92"
    assert second.audience.text() == ""
    assert second.errors.message("audience") == "Vous aviez saisi : « Cycle 3 »"
    type_text(qtbot, second.audience, "Cycle 3")
    click(qtbot, second.save_button)
    assert second.result() == 1
    stored = trainings.get_training(db, t)
    assert (stored.partner, stored.audience) == ("DSDEN 92", "Cycle 3")


def test_two_session_forms_the_second_save_is_refused_then_reloaded(qtbot, db):
    from occe_bureau import workstation
    from tests.core.trainings_helpers import session, training

    t = training(db)
    s = session(db, t, capacity=3)
    first, second = SessionDialog(db, t, s), SessionDialog(db, t, s)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    first.capacity.clear()
    type_text(qtbot, first.capacity, "12")
    first.end.setTime(QTime(17, 0))
    with workstation.acting_as("marie", "BUREAU-2"):
        click(qtbot, first.save_button)
    assert first.result() == 1
    second.place.clear()
    type_text(qtbot, second.place, "Salle 2")
    click(qtbot, second.save_button)
    assert second.isVisible() and "Cette session a été modifiée par marie" in second.general_error.text()
    assert trainings.get_session(db, s).place == "OCCE, 12 rue des Écoles, Nanterre"
    click(qtbot, second.reload_button)
    assert (second.capacity.text(), second.end.time()) == ("12", QTime(17, 0))
    assert second.errors.message("place") == "Vous aviez saisi : « Salle 2 »"
    second.place.clear()
    type_text(qtbot, second.place, "Salle 2")
    click(qtbot, second.save_button)
    assert second.result() == 1
    stored = trainings.get_session(db, s)
    assert (stored.place, stored.capacity, stored.end_time) == ("Salle 2", 12, time(17, 0))
