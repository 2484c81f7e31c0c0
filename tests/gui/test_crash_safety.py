"""Unexpected errors reach the output pane and the error log, and the app keeps running."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from autograd_playground.core.crash_log import ENV_VAR, FAULT_LOG, open_crash_log
from autograd_playground.gui.app import _install_excepthook, _report_crash_log
from tests.gui.conftest import run_in

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def hooks_installed(window, directory: Path):
    """The app's hooks for the length of a test body.

    Installed inside the test rather than by a fixture: pytest-qt puts its own
    sys.excepthook back at the end of each setup phase.
    """
    log = open_crash_log(directory, enable_faulthandler=False)
    uninstall = _install_excepthook(window, log)
    try:
        yield log
    finally:
        uninstall()
        log.close()


def _raise_in_slot() -> None:
    raise ZeroDivisionError("raised in a Qt slot")


def _raise_in_thread() -> None:
    raise LookupError("raised in a Python thread")


class _Raiser(QObject):
    """Raises from a slot that runs on its own QThread."""

    poke = Signal()

    def raise_here(self) -> None:
        raise KeyError("raised in a QThread slot")


def test_an_exception_in_a_qt_slot_is_shown_logged_and_survived(window, qtbot, tmp_path):
    with hooks_installed(window, tmp_path) as log:
        QTimer.singleShot(0, _raise_in_slot)
        qtbot.waitUntil(lambda: "raised in a Qt slot" in window.output.toPlainText())
    pane = window.output.toPlainText()
    assert "Internal error in the GUI thread (the app keeps running)" in pane
    assert "ZeroDivisionError" in pane
    logged = log.error_log.read_text(encoding="utf-8")
    assert "the GUI thread" in logged
    assert "ZeroDivisionError: raised in a Qt slot" in logged
    assert run_in(window, qtbot, "a = 1 + 1\na").result.display == "2"


def test_an_exception_in_a_thread_is_shown_on_the_gui_thread(window, qtbot, tmp_path):
    shown_on: list[bool] = []
    append_text = window.output.append_text

    def spy(text: str, kind: str = "stdout") -> None:
        shown_on.append(threading.current_thread() is threading.main_thread())
        append_text(text, kind)

    window.output.append_text = spy
    with hooks_installed(window, tmp_path) as log:
        worker = threading.Thread(target=_raise_in_thread, name="helper")
        worker.start()
        worker.join(10)
        qtbot.waitUntil(lambda: "raised in a Python thread" in window.output.toPlainText())
    assert shown_on
    assert all(shown_on), "the output pane was touched from another thread"
    assert "Internal error in thread 'helper'" in window.output.toPlainText()
    assert "LookupError: raised in a Python thread" in log.error_log.read_text(encoding="utf-8")
    assert run_in(window, qtbot, "b = 3 * 3\nb").result.display == "9"


def test_an_error_in_a_thread_the_users_code_started_is_the_users_not_the_apps(
    window, qtbot, tmp_path
):
    code = (
        "import threading\n"
        "def work():\n"
        "    raise ValueError('bad input in my thread')\n"
        "t = threading.Thread(target=work, name='mine')\n"
        "t.start()\n"
        "t.join()\n"
    )
    with hooks_installed(window, tmp_path) as log:
        run_in(window, qtbot, code)
        qtbot.waitUntil(lambda: "bad input in my thread" in window.output.toPlainText())
    shown = window.output.toPlainText()
    assert "Error in thread 'mine', which your code started" in shown
    assert "Internal error" not in shown
    assert not log.error_log.exists() or "bad input" not in log.error_log.read_text("utf-8")


def test_an_exception_in_a_qthread_slot_is_shown_on_the_gui_thread(window, qtbot, tmp_path):
    thread = QThread()
    raiser = _Raiser()
    raiser.moveToThread(thread)
    raiser.poke.connect(raiser.raise_here)
    thread.start()
    try:
        with hooks_installed(window, tmp_path) as log:
            raiser.poke.emit()
            qtbot.waitUntil(lambda: "raised in a QThread slot" in window.output.toPlainText())
    finally:
        thread.quit()
        thread.wait(5000)
    assert "KeyError: 'raised in a QThread slot'" in log.error_log.read_text(encoding="utf-8")
    assert run_in(window, qtbot, "c = 2\nc").result.error is None


def test_an_unwritable_log_folder_is_mentioned_once_and_errors_still_show(window, qtbot, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    log = open_crash_log(blocker / "logs", enable_faulthandler=False)
    _report_crash_log(window, log)
    uninstall = _install_excepthook(window, log)
    try:
        QTimer.singleShot(0, _raise_in_slot)
        qtbot.waitUntil(lambda: "raised in a Qt slot" in window.output.toPlainText())
    finally:
        uninstall()
        log.close()
    pane = window.output.toPlainText()
    assert pane.count("The crash log is off") == 1
    assert run_in(window, qtbot, "d = 4\nd").result.error is None


def test_a_crash_in_the_previous_session_is_pointed_out(window, tmp_path):
    (tmp_path / FAULT_LOG).write_text("Fatal Python error: Segmentation fault\n")
    log = open_crash_log(tmp_path, enable_faulthandler=False)
    log.close()
    _report_crash_log(window, log)
    pane = window.output.toPlainText()
    assert "The previous session crashed" in pane
    assert str(log.previous_crash) in pane


def test_a_clean_previous_session_says_nothing(window, tmp_path):
    log = open_crash_log(tmp_path, enable_faulthandler=False)
    log.close()
    _report_crash_log(window, log)
    assert window.output.toPlainText() == ""


def test_log_dir_prints_the_folder_and_exits(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--log-dir"],
        env=dict(os.environ, **{ENV_VAR: str(tmp_path / "logs")}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "logs")


def test_the_app_opens_its_crash_log_at_startup(tmp_path):
    """Launched for real: the faulthandler file exists while it runs and stays empty after."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from gui import app\n"
        "from autograd_playground.gui.main_window import MainWindow\n"
        "qapp = QApplication([])\n"
        "def close_when_ready():\n"
        "    for widget in qapp.topLevelWidgets():\n"
        "        if isinstance(widget, MainWindow):\n"
        "            widget.engine_ready.connect(widget.close)\n"
        "QTimer.singleShot(0, close_when_ready)\n"
        "sys.exit(app.main([]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=str(tmp_path / "config"),
            **{ENV_VAR: str(tmp_path / "logs")},
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "logs" / FAULT_LOG).exists()
    assert (tmp_path / "logs" / FAULT_LOG).stat().st_size == 0
