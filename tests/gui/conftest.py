"""Fixtures for widget tests: real core objects, real widgets, no leaked threads."""

from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QSettings, Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from autograd_playground.core.playground import Playground
from autograd_playground.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _english_ui(qapp):
    """Start each test with English menus and panels; a test may switch to Chinese."""
    from autograd_playground.gui.ui_text import apply_ui_language

    apply_ui_language("en")
    yield
    apply_ui_language("en")


@pytest.fixture(autouse=True)
def _lab_at_full_speed(monkeypatch):
    """The lab trains as fast as it can unless a test picks a speed: the class's
    default stretches every run over seconds, which tests of the rest need not wait for."""
    from autograd_playground.core.training.pacing import MAX

    monkeypatch.setattr("autograd_playground.gui.training.panel.DEFAULT_SPEED", MAX)


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(qapp):
    """Fail a test that leaves a QThread running (it would crash at exit)."""
    yield
    qapp.processEvents()
    # A wrapper whose QThread was deleted may linger until the cycle collector runs.
    running = [
        t
        for t in gc.get_objects()
        if issubclass(type(t), QThread) and shiboken6.isValid(t) and t.isRunning()
    ]
    assert not running, f"QThreads left running: {running}"


@pytest.fixture(autouse=True)
def _no_mouse_button_left_down(qapp):
    """Fail a test that ends with a mouse button still down: every later mouse move
    would be a drag, which hovers nothing, so a later hover test would fail."""
    yield
    qapp.processEvents()
    held = QGuiApplication.mouseButtons()
    assert held == Qt.MouseButton.NoButton, f"mouse button left down: {held} (use double_click)"


def double_click(qtbot, widget: QWidget, pos: QPoint) -> None:
    """Double-click ``widget`` at ``pos`` as a hand does, ending with the button up.

    QTest's mouseDClick on a widget stops at the double-click event and never
    releases, so without the release the button stays down for the rest of the process.
    """
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=pos)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _started_window(qtbot, settings):
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.engine_ready, timeout=60_000):
        win.start_engine()
    win.editor.setPlainText("")
    return win


@pytest.fixture
def window(qtbot, settings):
    """A main window whose engine has loaded torch, with an empty editor."""
    win = _started_window(qtbot, settings)
    yield win
    win.close()


@pytest.fixture
def zh_window(qtbot, settings):
    """The same, built with Chinese saved as the language."""
    settings.setValue("language", "zh")
    win = _started_window(qtbot, settings)
    yield win
    win.close()


def run_in(window, qtbot, code: str, timeout: int = 30_000):
    """Type ``code`` into the editor, run it and return the RunOutcome."""
    window.editor.setPlainText(code)
    with qtbot.waitSignal(window.run_completed, timeout=timeout) as blocker:
        window.run_all()
    return blocker.args[0]
