"""The File menu: save, open, recent files, unsaved changes, export, autosave after a crash."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from autograd_playground.core.playground import Playground
from autograd_playground.core.session import session as session_module
from autograd_playground.core.session.session import read_session
from autograd_playground.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
CODE = "w = torch.tensor(2.0, requires_grad=True)\nz = w * 3\nz.backward()\nw.grad\n"
LAB = {
    "task": "quadratic",
    "lr": 0.02,
    "batch_size": 0,
    "length": 300,
    "optimizer": "adam",
    "seed": 11,
    "follow_graph": False,
    "speed": 10,
}


class FakeDialogs:
    """Answers the session dialogs from lists, and records what was said."""

    def __init__(self) -> None:
        self.open_answers: list[Path | None] = []
        self.save_answers: list[Path | None] = []
        self.unsaved_answers: list[str] = []
        self.asked_unsaved: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def open_path(self, parent, folder):
        return self.open_answers.pop(0)

    def save_path(self, parent, caption, suggested):
        return self.save_answers.pop(0)

    def unsaved_changes(self, parent, name):
        self.asked_unsaved.append(name)
        return self.unsaved_answers.pop(0)

    def error(self, parent, title, text):
        self.errors.append((title, text))

    def warning(self, parent, title, text):
        self.warnings.append((title, text))


@pytest.fixture
def dialogs(window):
    fake = FakeDialogs()
    window.sessions.dialogs = fake
    return fake


def _lab_defaults(window) -> dict:
    return window.training_panel.training_settings()


def _saved_lesson(window, dialogs, path: Path) -> None:
    window.editor.setPlainText(CODE)
    assert window.training_panel.apply_training_settings(LAB) == []
    dialogs.save_answers.append(path)
    assert window.sessions.save_as()


def test_save_then_open_restores_code_and_training_settings(window, dialogs, qtbot, tmp_path):
    lesson = tmp_path / "lesson.py"
    _saved_lesson(window, dialogs, lesson)
    on_disk = read_session(lesson).session
    assert on_disk.code == CODE
    assert on_disk.training == LAB

    window.sessions.new_session()
    window.training_panel.task_combo.setCurrentIndex(0)
    window.training_panel.seed_spin.setValue(99)
    assert window.editor.toPlainText() == ""

    ran = []
    window.run_completed.connect(ran.append)
    dialogs.open_answers.append(lesson)
    assert window.sessions.open_dialog()
    assert window.editor.toPlainText() == CODE
    assert window.training_panel.training_settings() == LAB
    assert window.training_panel.task_combo.currentData() == "quadratic"
    assert window.training_panel.optimizer_combo.currentText() == "Adam"
    assert "Opened lesson.py; it has not run" in window.output.toPlainText()

    # Opening never runs: a task queued now sees an empty namespace, and no run finished.
    names = []
    window.engine.submit(
        lambda playground: sorted(playground.evaluator.user_names()),
        lambda result, error: names.append((result, error)),
    )
    qtbot.waitUntil(lambda: bool(names), timeout=10_000)
    assert names == [([], None)]
    assert ran == []
    assert dialogs.errors == dialogs.warnings == []


def test_title_shows_the_file_name_and_the_modified_marker(window, dialogs, tmp_path):
    assert window.windowTitle() == "Untitled[*] — Autograd Playground"
    assert not window.isWindowModified()
    window.editor.setPlainText("a = 1\n")
    assert window.isWindowModified()
    _saved_lesson(window, dialogs, tmp_path / "demo.py")
    assert window.windowTitle() == "demo.py[*] — Autograd Playground"
    assert not window.isWindowModified()
    window.editor.insertPlainText("# more\n")
    assert window.isWindowModified()
    window.editor.undo()
    assert not window.isWindowModified()
    window.training_panel.seed_spin.setValue(LAB["seed"] + 1)
    assert window.isWindowModified()
    window.training_panel.seed_spin.setValue(LAB["seed"])
    assert not window.isWindowModified()


def test_a_failed_save_shows_why_and_keeps_everything(window, dialogs, tmp_path, monkeypatch):
    lesson = tmp_path / "lesson.py"
    _saved_lesson(window, dialogs, lesson)
    window.editor.setPlainText(CODE + "extra = 1\n")

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(session_module.os, "write", full_disk)
    assert not window.sessions.save()
    monkeypatch.undo()
    assert dialogs.errors == [("Could not save", "Could not save lesson.py: the disk is full.")]
    assert window.editor.toPlainText() == CODE + "extra = 1\n"
    assert window.isWindowModified()
    assert window.sessions.path == lesson
    assert read_session(lesson).session.code == CODE

    # Save As into a folder that does not exist: the same, and the file stays the old one.
    dialogs.save_answers.append(tmp_path / "missing" / "other.py")
    assert not window.sessions.save_as()
    assert dialogs.errors[-1][1] == "Could not save other.py: the folder does not exist."
    assert window.sessions.path == lesson
    assert window.windowTitle().startswith("lesson.py[*]")
    assert window.isWindowModified()


def test_opening_a_bad_file_changes_nothing(window, dialogs, tmp_path):
    window.editor.setPlainText("kept = 1\n")
    binary = tmp_path / "picture.py"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    dialogs.unsaved_answers.append("discard")
    dialogs.open_answers.append(binary)
    assert not window.sessions.open_dialog()
    assert dialogs.errors == [
        (
            "Could not open",
            "picture.py is not UTF-8 text (byte 0x89 at position 0); "
            "open a Python source file instead.",
        )
    ]
    assert window.editor.toPlainText() == "kept = 1\n"
    assert window.sessions.path is None


def test_a_broken_header_opens_the_code_with_a_warning(window, dialogs, tmp_path):
    before = _lab_defaults(window)
    broken = tmp_path / "broken.py"
    broken.write_text('# autograd-playground session 1\n# training: {"lr": 0.1, "ta\nq = 5\n')
    assert window.sessions.open_path(broken)
    assert window.editor.toPlainText() == "q = 5\n"
    assert window.training_panel.training_settings() == before
    assert len(dialogs.warnings) == 1
    assert "Line 2 of broken.py" in dialogs.warnings[0][1]
    assert "training settings could not be read" in dialogs.warnings[0][1]
    assert not window.isWindowModified()


def test_settings_the_lab_cannot_take_are_named(window, dialogs, tmp_path):
    odd = tmp_path / "odd.py"
    odd.write_text(
        '# autograd-playground session 1\n# training: {"task": "quadratic", "lr": -1, '
        '"seed": 2.5, "colour": "red"}\nx = 1\n'
    )
    assert window.sessions.open_path(odd)
    assert window.training_panel.task_combo.currentData() == "quadratic"
    text = dialogs.warnings[0][1]
    assert "the learning rate -1 is not a positive number" in text
    assert "seed 2.5 is not a whole number" in text
    assert "the setting 'colour' is unknown" in text


def test_unsaved_changes_prompt_cancel_discard_save(window, dialogs, tmp_path):
    lesson = tmp_path / "lesson.py"
    _saved_lesson(window, dialogs, lesson)
    window.editor.setPlainText("edited = 1\n")

    dialogs.unsaved_answers.append("cancel")
    assert not window.sessions.new_session()
    assert dialogs.asked_unsaved == ["lesson.py"]
    assert window.editor.toPlainText() == "edited = 1\n"
    assert window.sessions.path == lesson

    dialogs.unsaved_answers.append("save")
    assert window.sessions.new_session()
    assert read_session(lesson).session.code == "edited = 1\n"
    assert window.editor.toPlainText() == ""
    assert window.sessions.path is None
    assert window.windowTitle().startswith("Untitled[*]")

    window.editor.setPlainText("scratch = 2\n")
    dialogs.unsaved_answers.append("discard")
    dialogs.open_answers.append(lesson)
    assert window.sessions.open_dialog()
    assert window.editor.toPlainText() == "edited = 1\n"
    assert dialogs.asked_unsaved == ["lesson.py", "lesson.py", "Untitled"]

    # Nothing unsaved: no question at all.
    assert window.sessions.new_session()
    assert dialogs.asked_unsaved == ["lesson.py", "lesson.py", "Untitled"]


def test_saving_an_untitled_session_asks_for_a_name_and_adds_py(window, dialogs, tmp_path):
    window.editor.setPlainText("u = 1\n")
    dialogs.unsaved_answers.append("save")
    dialogs.save_answers.append(tmp_path / "named")
    assert window.sessions.new_session()
    assert read_session(tmp_path / "named.py").session.code == "u = 1\n"
    # A cancelled name cancels what asked for it.
    window.editor.setPlainText("v = 2\n")
    dialogs.unsaved_answers.append("save")
    dialogs.save_answers.append(None)
    assert not window.sessions.new_session()
    assert window.editor.toPlainText() == "v = 2\n"


def test_recent_files_menu(window, dialogs, tmp_path, settings):
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("a = 1\n")
    second.write_text("b = 2\n")
    assert window.sessions.open_path(first)
    assert window.sessions.open_path(second)
    assert window.sessions.open_path(first)
    window.sessions.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.sessions.recent_menu.actions() if a.text()]
    assert texts[0].startswith("&1  first.py")
    assert texts[1].startswith("&2  second.py")
    assert texts[2] == "Clear List"
    assert settings.value("recent_files") == [str(first), str(second)]

    second.unlink()
    window.sessions.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.sessions.recent_menu.actions() if a.text()]
    assert [t.split("  ")[1] for t in texts[:-1]] == ["first.py"]

    window.sessions.recent_menu.actions()[0].trigger()  # reopens first.py, unchanged
    assert window.editor.toPlainText() == "a = 1\n"
    clear = [a for a in window.sessions.recent_menu.actions() if a.text() == "Clear List"]
    clear[0].trigger()
    texts = [a.text() for a in window.sessions.recent_menu.actions() if a.text()]
    assert texts == ["No recent files", "Clear List"]


def test_file_menu_offers_the_session_commands(window):
    texts = [a.text() for a in window.file_menu.actions() if a.text()]
    shortcuts = {a.text(): a.shortcut().toString() for a in window.file_menu.actions()}
    for text in ("&New", "&Open…", "Open &Recent", "&Save", "Save &As…", "&Quit"):
        assert text in texts
    assert "&Export as Python Script…" in texts
    assert shortcuts["&New"] == "Ctrl+N"
    assert shortcuts["&Open…"] == "Ctrl+O"
    assert shortcuts["&Save"] == "Ctrl+S"
    assert shortcuts["Save &As…"] == "Ctrl+Shift+S"
    assert shortcuts["&Quit"] == "Ctrl+Q"


def test_export_writes_a_script_that_runs(window, dialogs, tmp_path):
    window.editor.setPlainText(CODE)
    dialogs.save_answers.append(tmp_path / "standalone")
    assert window.sessions.export_dialog()
    done = subprocess.run(
        [sys.executable, str(tmp_path / "standalone.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "tensor(3.)"


def _window(qtbot, settings_path: Path) -> MainWindow:
    win = MainWindow(
        Playground(), settings=QSettings(str(settings_path), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(win)
    win.sessions.dialogs = FakeDialogs()
    return win


def test_autosave_brings_back_the_code_after_a_crash(qtbot, tmp_path):
    ini, data = tmp_path / "settings.ini", tmp_path / "data"
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from autograd_playground.core.playground import Playground\n"
        "from autograd_playground.gui.main_window import MainWindow\n"
        f"settings = QSettings({str(ini)!r}, QSettings.Format.IniFormat)\n"
        "window = MainWindow(Playground(), settings=settings)\n"
        f"window.sessions.start(autosave_dir=Path({str(data)!r}))\n"
        "window.editor.setPlainText('typed = 41 + 1\\ntyped\\n')\n"
        "window.training_panel.seed_spin.setValue(1234)\n"
        "window.sessions.flush_autosave()\n"
        "os._exit(3)  # a crash: no close, no settings saved\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr
    assert len(list(data.glob("autosave-*.json"))) == 1

    win = _window(qtbot, ini)
    win.sessions.start(autosave_dir=data)
    assert win.editor.toPlainText() == "typed = 41 + 1\ntyped\n"
    assert win.training_panel.seed_spin.value() == 1234
    assert "from a session that did not close cleanly" in win.status.text()
    assert "Restored the unsaved code from a session" in win.output.toPlainText()
    assert win.isWindowModified()
    # The crashed session's autosave is gone; this window's own now holds the code.
    files = list(data.glob("autosave-*.json"))
    assert files == [win.sessions.autosave.file]
    win.close()
    assert list(data.glob("autosave-*")) == []


def test_a_clean_close_clears_the_autosave_and_reopens_the_file(qtbot, tmp_path):
    ini, data = tmp_path / "settings.ini", tmp_path / "data"
    lesson = tmp_path / "lesson.py"
    first = _window(qtbot, ini)
    first.sessions.start(autosave_dir=data)
    _saved_lesson(first, first.sessions.dialogs, lesson)
    first.editor.setPlainText(CODE + "more = 1\n")
    with qtbot.waitSignal(first.sessions.autosaved, timeout=10_000):
        pass  # the debounced autosave, a couple of seconds after the edit
    assert len(list(data.glob("autosave-*.json"))) == 1
    first.close()
    assert list(data.glob("autosave-*")) == []

    second = _window(qtbot, ini)
    second.sessions.start(autosave_dir=data)
    assert second.sessions.path == lesson
    assert second.windowTitle().startswith("lesson.py[*]")
    assert second.editor.toPlainText() == CODE + "more = 1\n"
    assert second.isWindowModified()
    assert second.training_panel.training_settings() == LAB
    assert "did not close cleanly" not in second.output.toPlainText()
    second.close()


def test_command_line_script_opens_through_the_session_reader(qtbot, tmp_path):
    lesson = tmp_path / "lesson.py"
    lesson.write_text('# autograd-playground session 1\n# training: {"seed": 77}\nc = 1\n')
    win = _window(qtbot, tmp_path / "settings.ini")
    win.sessions.start(lesson)
    assert win.editor.toPlainText() == "c = 1\n"
    assert win.training_panel.seed_spin.value() == 77
    assert win.windowTitle().startswith("lesson.py[*]")
    empty = tmp_path / "empty.py"
    empty.write_text("")
    other = _window(qtbot, tmp_path / "other.ini")
    other.sessions.start(empty)
    assert "empty.py is empty" in other.output.toPlainText()
    assert other.windowTitle().startswith("Untitled[*]")
    win.close()
    other.close()


def test_a_lesson_never_lands_in_the_open_file(window, dialogs, tmp_path):
    """Opening a lesson over a saved session goes on untitled; edits are settled first."""
    path = tmp_path / "mine.py"
    _saved_lesson(window, dialogs, path)
    window.editor.setPlainText(CODE + "print('edited')\n")
    lesson = window.lessons.panel.catalog.lessons[0]
    dialogs.unsaved_answers.append("cancel")
    window.lessons.open_lesson(lesson)
    assert dialogs.asked_unsaved == ["mine.py"]
    assert window.editor.toPlainText().endswith("print('edited')\n")
    assert window.sessions.path == path
    dialogs.unsaved_answers.append("discard")
    window.lessons.open_lesson(lesson)
    assert window.editor.toPlainText() == lesson.code
    assert window.sessions.path is None
    assert window.windowTitle().startswith("Untitled")
    assert read_session(path).session.code == CODE
