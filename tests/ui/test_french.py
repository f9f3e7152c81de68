"""Qt speaks French: the standard buttons of the application's question boxes, the
right-click menu of every text field, Qt's file dialog, and every dialog the tabs open."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QPlainTextEdit,
)

from ui.shell import dialogs
from ui.shell.settings_dialog import SettingsDialog

# ("OK" is French too.) Taken before the test fixtures replace them with "no dialog expected".
REAL_ASK_TEXT = dialogs.ask_text

ENGLISH = {"cancel", "yes", "no", "apply", "close", "save", "open", "discard", "abort",
           "retry", "ignore", "reset", "help", "undo", "redo", "cut", "copy", "paste", "delete",
           "select all", "restore defaults", "yes to all", "no to all", "save all", "choose",
           "look in:", "file name:", "files of type:", "back", "forward", "parent directory",
           "detail view", "list view", "create new folder", "insert unicode control character"}


def words(texts):
    return {t.replace("&", "").split("\t")[0].strip().lower() for t in texts if t}


def english_in(widget):
    return words(b.text() for b in widget.findChildren(QAbstractButton)) & ENGLISH


def test_the_text_box_of_cancel_receipt_has_french_buttons(qtbot):
    seen = []

    def look_then_close():
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QInputDialog) and w.isVisible())
        seen.append(words(b.text() for b in box.findChildren(QAbstractButton)))
        box.reject()

    QTimer.singleShot(50, look_then_close)
    assert REAL_ASK_TEXT(None, "Annuler le reçu", "Motif de l'annulation :") is None
    assert seen and "annuler" in seen[0] and not seen[0] & ENGLISH


def test_standard_buttons_and_context_menus_are_french(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Question", "Continuer ?",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert words(b.text() for b in box.buttons()) == {"ok", "annuler"}
    for field in (QLineEdit("texte"), QPlainTextEdit("texte")):
        qtbot.addWidget(field)
        menu = field.createStandardContextMenu()
        entries = words(a.text() for a in menu.actions())
        assert {"copier", "coller"} <= entries, entries
        assert not entries & ENGLISH, entries


def test_qt_s_file_dialog_is_french(qtbot):
    dialog = QFileDialog(None, "Importer des coopératives")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = words(b.text() for b in dialog.findChildren(QAbstractButton))
    assert "annuler" in labels and not labels & ENGLISH


def test_no_english_button_in_the_dialogs_the_tabs_open(qtbot, window):
    found = {}
    settings = SettingsDialog(window.db, window)
    qtbot.addWidget(settings)
    found["paramètres"] = english_in(settings)
    for tab in window.tab_widgets:
        for name, dialog in tab.screenshot_dialogs():
            qtbot.addWidget(dialog)
            found[name] = english_in(dialog)
    assert len(found) >= 5
    assert {name: bad for name, bad in found.items() if bad} == {}
