"""UI fixtures: a main window over a fresh database (empty or with the demo département)."""


import pytest

from occe_bureau.demo import build_demo
from occe_bureau.paths import DataPaths
from ui.shell import dialogs

from tests.conftest import build_template, copy_database, dispose_copy
from occe_bureau import clock


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("demo"),
                          lambda db: build_demo(db, today=clock.today()))


@pytest.fixture
def demo_db(demo_template, tmp_path):
    database = copy_database(demo_template, tmp_path)
    yield database
    dispose_copy(database)


@pytest.fixture(autouse=True, scope="session")
def qt_in_french(qapp):
    """Qt's own texts in French, as the application loads them at start-up."""
    from ui.shell.french import install_french

    assert install_french(qapp)


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """Any modal box a test did not expect fails the test instead of blocking it."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("ask_confirm", "show_info", "show_warning", "ask_open_file", "ask_save_file",
                 "ask_directory", "ask_text", "ask_line", "show_unexpected_error", "ask_open_exported",
                 "open_path"):
        monkeypatch.setattr(dialogs, name, unexpected)


def make_window(qtbot, db, tmp_path):
    from ui.shell.main_window import MainWindow

    window = MainWindow(db, DataPaths(tmp_path / "data").ensure())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.tab(window.tabs.currentIndex())._loaded)
    return window


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    return make_window(qtbot, demo_db, tmp_path)
