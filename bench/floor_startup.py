"""The start-up floor: the bare stack (PySide6 and SQLModel imported, an empty window shown)."""

import time

T0 = time.perf_counter()

import sqlmodel  # noqa: E402,F401
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
print(f"shown {time.perf_counter() - T0:.4f}")
