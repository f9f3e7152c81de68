"""Typing into real widgets, accents included.

QTest.keyClicks aborts on characters outside ASCII (qasciikey.cpp), so letters such as
é, Ł or ễ are sent as key events that carry the text, as a keyboard layout would.
"""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(qtbot, widget, text: str) -> None:
    for char in text:
        if char.isascii() and char.isprintable():
            qtbot.keyClick(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                         Qt.KeyboardModifier.NoModifier, char))
