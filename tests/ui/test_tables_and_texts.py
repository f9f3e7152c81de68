"""Issue 8 through the real widgets: the coop number refused at its field."""

from PySide6.QtCore import Qt

from ui.coops.coop_dialog import CoopDialog

from tests.ui.typing import type_text


def test_a_number_that_is_not_one_is_refused_at_its_field(qtbot, demo_db):
    dialog = CoopDialog(demo_db, None, 2025)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.number, "abc")
    type_text(qtbot, dialog.name, "École des tests")
    dialog.kind.setCurrentIndex(1)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0
    assert "« abc » n'est pas un numéro" in dialog.error_text("number")
