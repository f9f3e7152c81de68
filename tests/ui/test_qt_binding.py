"""Guards against a Qt binding release that would crash the secretary's session."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    text = Signal(str)
    bare = Signal()


def test_emitting_signals_keeps_reference_counts(qapp):
    """PySide6 6.12.0 dropped a reference to True at every emit(): after a few hundred
    signals the interpreter aborted ("bool_dealloc"). Such a release must not be used."""
    emitter = _Emitter()
    received = []
    emitter.text.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.text.emit("x")
        emitter.bare.emit()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
    assert len(received) == 200
