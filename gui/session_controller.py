"""The File menu: new, open, recent, save, export and quit, with autosave and crash recovery.

A session is the editor's code plus the training lab's settings (core/session.py). The
window title names the file and marks unsaved changes. Closing never asks anything: the
code, the file it belongs to and the lab's settings come back at the next launch, and
while the app runs an autosave keeps them safe from a crash.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from core.autosave import Autosave, Recovered
from core.recent_files import RecentFiles
from core.script_export import export_script
from core.session import (
    Session,
    SessionError,
    atomic_write_text,
    read_session,
    write_session,
)
from gui.session_dialogs import SessionDialogs

AUTOSAVE_MS = 2000
UNTITLED = "Untitled"


class SessionController(QObject):
    """Owns the window's current file; adds the session actions to ``window.file_menu``."""

    opened = Signal(object)  # Path, after its code and settings are shown
    saved = Signal(object)  # Path, after it was written
    autosaved = Signal()  # after a background autosave finished (written or cleared)
    _autosave_failed = Signal(str)  # from the autosave thread, queued to the GUI thread

    def __init__(self, window: QMainWindow, dialogs: SessionDialogs | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = dialogs or SessionDialogs()
        self.path: Path | None = None
        # What the file holds, as the editor and the lab show it; None when untitled.
        self._saved: Session | None = None
        self.recent = RecentFiles(_string_list(window.settings.value("recent_files")))
        self.autosave: Autosave | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._started = False
        self._last_autosave_error: str | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave_in_background)
        self._autosave_failed.connect(self._on_autosave_failed)
        self._build_menu(window.file_menu)
        window.editor.textChanged.connect(self._on_edited)
        window.training_panel.settings_changed.connect(self._on_edited)
        window.installEventFilter(self)
        self._update_title()

    def _build_menu(self, menu) -> None:
        def action(text: str, shortcut: str | None, slot, tip: str) -> QAction:
            made = QAction(text, self.window)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
            made.setStatusTip(tip)
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.new_action = action("&New", "Ctrl+N", self.new_session, "Start an empty session")
        self.open_action = action(
            "&Open…", "Ctrl+O", self.open_dialog, "Open a session or a Python file (it is not run)"
        )
        self.save_action = action("&Save", "Ctrl+S", self.save, "Save the code and lab settings")
        self.save_as_action = action(
            "Save &As…", "Ctrl+Shift+S", self.save_as, "Save the session under a new name"
        )
        self.export_action = action(
            "&Export as Python Script…",
            None,
            self.export_dialog,
            "Write a script that runs with plain `python`, outside the app",
        )
        self.quit_action = action("&Quit", "Ctrl+Q", self.window.close, "Close the app")
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._rebuild_recent_menu)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self._rebuild_recent_menu()

    # -- state ------------------------------------------------------------------------
    def current_session(self) -> Session:
        """Return the code and lab settings as shown now."""
        return Session(
            code=self.window.editor.toPlainText(),
            training=self.window.training_panel.training_settings(),
        )

    def display_name(self) -> str:
        """Return the file's name, or "Untitled"."""
        return self.path.name if self.path is not None else UNTITLED

    def is_modified(self) -> bool:
        """True when closing the session now would lose something not in its file."""
        code = self.window.editor.toPlainText()
        if self.path is None:
            from gui.main_window import DEFAULT_CODE

            # An untitled session is worth saving once it holds code of one's own.
            return bool(code.strip()) and code != DEFAULT_CODE
        if self._saved is None:
            return True
        return (
            code != self._saved.code
            or self.window.training_panel.training_settings() != self._saved.training
        )

    def _update_title(self) -> None:
        from gui.main_window import APP_TITLE

        self.window.setWindowTitle(f"{self.display_name()}[*] — {APP_TITLE}")
        self.window.setWindowModified(self.is_modified())

    def _on_edited(self) -> None:
        self._update_title()
        if self.autosave is not None:
            self._timer.start()

    def _status(self, text: str) -> None:
        # The window's own status label, so that messages replace each other.
        self.window.status.setText(text)

    def _report(self, title: str, text: str, interactive: bool, error: bool) -> None:
        """Show a problem: a message box from the menu, the output pane at startup."""
        if not interactive:
            self.window.output.append_text(text, "error" if error else "info")
        elif error:
            self.dialogs.error(self.window, title, text)
        else:
            self.dialogs.warning(self.window, title, text)

    # -- commands -----------------------------------------------------------------------
    def _confirm_discard(self) -> bool:
        """Ask about unsaved changes; True when it is fine to replace the editor's code."""
        if not self.is_modified():
            return True
        answer = self.dialogs.unsaved_changes(self.window, self.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_session(self) -> bool:
        """Empty the editor and forget the file; the lab keeps its settings."""
        if not self._confirm_discard():
            return False
        self.path, self._saved = None, None
        self.window.editor.setPlainText("")
        self.window.editor.mark_error_line(None)
        self._update_title()
        self._status("New session.")
        return True

    def leave_file(self) -> bool:
        """Go on untitled, before the editor takes code from elsewhere (a lesson).

        Unsaved changes to the file are settled first, so that a later Save never
        writes the new code over it; False if the user cancelled.
        """
        if self.path is None:
            return True
        if not self._confirm_discard():
            return False
        self.path, self._saved = None, None
        self._update_title()
        return True

    def open_dialog(self) -> bool:
        """Ask about unsaved changes, then for a file, and open it."""
        if not self._confirm_discard():
            return False
        path = self.dialogs.open_path(self.window, self._folder())
        return path is not None and self.open_path(path, confirm=False)

    def open_path(self, path: Path, confirm: bool = True, interactive: bool = True) -> bool:
        """Show the code and lab settings of ``path``, without running it; False if it failed.

        On failure the editor and the current file stay as they were.
        """
        if confirm and not self._confirm_discard():
            return False
        path = Path(path).absolute()
        try:
            loaded = read_session(path)
        except SessionError as exc:
            if not path.is_file():
                self.recent.remove(path)
                self._store_recent()
            self._report("Could not open", str(exc), interactive, error=True)
            return False
        panel = self.window.training_panel
        problems = panel.apply_training_settings(loaded.session.training)
        self.window.editor.setPlainText(loaded.session.code)
        self.window.editor.mark_error_line(None)
        self.path = path
        self._saved = Session(code=loaded.session.code, training=panel.training_settings())
        self.recent.add(path)
        self._store_recent()
        self._update_title()
        self.window.output.append_text(
            f"── Opened {path.name}; it has not run (Ctrl+Enter runs it).", "info"
        )
        self._status(f"Opened {path}")
        warning = loaded.problem
        if problems:
            warning = (warning + "\n\n" if warning else "") + (
                f"Some training settings in {path.name} were left as they were: "
                + "; ".join(problems)
                + "."
            )
        if warning:
            self._report(f"Opened {path.name}, with a problem", warning, interactive, error=False)
        self.opened.emit(path)
        return True

    def save(self) -> bool:
        """Save to the current file (asking for a name if there is none); False if not saved."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there; False if cancelled or the save failed."""
        suggested = self.path or self._folder() / "session.py"
        path = self.dialogs.save_path(self.window, "Save session as", suggested)
        if path is None:
            return False
        return self._write(_with_suffix(path))

    def _write(self, path: Path) -> bool:
        session = self.current_session()
        try:
            write_session(path, session)
        except SessionError as exc:
            self.dialogs.error(self.window, "Could not save", str(exc))
            self._update_title()
            return False
        self.path, self._saved = Path(path).absolute(), session
        self.recent.add(self.path)
        self._store_recent()
        self._update_title()
        self._status(f"Saved {self.path}")
        self.saved.emit(self.path)
        return True

    def export_dialog(self) -> bool:
        """Ask for a file name and write the code there as a standalone script."""
        stem = self.path.stem if self.path is not None else "session"
        suggested = self._folder() / f"{stem}_standalone.py"
        path = self.dialogs.save_path(self.window, "Export as Python script", suggested)
        if path is None:
            return False
        return self.export_to(_with_suffix(path))

    def export_to(self, path: Path) -> bool:
        """Write the standalone script to ``path``; False, with a message, if it failed."""
        path = Path(path).absolute()
        if self.path is not None and path == self.path:
            self.dialogs.error(
                self.window,
                "Could not export",
                f"{path.name} is this session's own file: choose another name for the script.",
            )
            return False
        device = self.window.device_combo.currentData() or "cpu"
        text = export_script(self.current_session(), device=device, filename=path.name)
        try:
            atomic_write_text(path, text)
        except SessionError as exc:
            self.dialogs.error(self.window, "Could not export", str(exc))
            return False
        self._status(f"Exported {path}: run it with  python {path.name}")
        return True

    def _folder(self) -> Path:
        if self.path is not None:
            return self.path.parent
        recent = self.recent.paths()
        return recent[0].parent if recent else Path.home()

    # -- recent files -------------------------------------------------------------------
    def _store_recent(self) -> None:
        self.window.settings.setValue("recent_files", self.recent.to_list())
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            label = f"&{number}  {path.name}" if number < 10 else f"1&0  {path.name}"
            entry = menu.addAction(f"{label}  —  {path.parent}")
            entry.setStatusTip(str(path))
            entry.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not paths:
            menu.addAction("No recent files").setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("Clear List")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self.clear_recent)

    def clear_recent(self) -> None:
        """Forget every recent file."""
        self.recent.clear()
        self._store_recent()

    # -- startup, autosave and close ----------------------------------------------------
    def start(self, script: Path | None = None, autosave_dir: Path | None = None) -> None:
        """Open ``script``, or bring back what the last session left; autosave to ``autosave_dir``.

        Without ``script``: a crashed session's autosave comes back if there is one, else
        the file that was open when the app last closed. Problems go to the output pane.
        """
        self._started = True
        recovered = None
        if autosave_dir is not None:
            self.autosave = Autosave(autosave_dir)
            recovered, problems = self.autosave.recover()
            for problem in problems:
                self.window.output.append_text(problem, "info")
        if script is not None:
            self.open_path(script, confirm=False, interactive=False)
            if recovered is not None:
                self.window.output.append_text(
                    "A session that did not close cleanly left unsaved code (autosaved "
                    f"{recovered.saved_at}); it comes back when the app starts without a file.",
                    "info",
                )
        elif recovered is not None:
            self._restore_recovered(recovered)
        else:
            self._restore_last_file()
        self._update_title()

    def _restore_recovered(self, recovered: Recovered) -> None:
        panel = self.window.training_panel
        self.path, self._saved = recovered.path, None
        if recovered.path is not None:
            try:
                loaded = read_session(recovered.path)
                panel.apply_training_settings(loaded.session.training)
                self._saved = Session(loaded.session.code, panel.training_settings())
            except SessionError as exc:
                self.window.output.append_text(str(exc), "info")
        self.window.editor.setPlainText(recovered.session.code)
        panel.apply_training_settings(recovered.session.training)
        what = "code" if recovered.path is None else f"code of {recovered.path.name}"
        message = (
            f"Restored the unsaved {what} from a session that did not close cleanly "
            f"(autosaved {recovered.saved_at})."
        )
        self.window.output.append_text(f"── {message}", "info")
        self._status(message)
        self._update_title()
        # The old autosave goes only once this window's own holds the code.
        if self._write_autosave(self.current_session(), self.path, self.is_modified()):
            self.autosave.discard(recovered)

    def _restore_last_file(self) -> None:
        """Link the editor back to the file it showed at the last clean close."""
        name = self.window.settings.value("session_path")
        if not isinstance(name, str) or not name:
            return
        panel = self.window.training_panel
        try:
            loaded = read_session(Path(name))
        except SessionError as exc:
            self.window.output.append_text(
                f"{exc} The editor keeps the code it had when the app closed, as {UNTITLED}.",
                "info",
            )
            return
        panel.apply_training_settings(loaded.session.training)
        self.path = Path(name)
        self._saved = Session(loaded.session.code, panel.training_settings())
        try:
            shown = json.loads(self.window.settings.value("session_training", "{}"))
        except (TypeError, ValueError):
            shown = {}
        if isinstance(shown, dict):
            panel.apply_training_settings(shown)

    def flush_autosave(self) -> None:
        """Write the autosave now, and wait until it is on disk."""
        self._timer.stop()
        if self.autosave is not None:
            self._write_autosave(self.current_session(), self.path, self.is_modified())

    def _autosave_in_background(self) -> None:
        """Hand a copy of the session to the autosave thread: fsync can take a while."""
        if self.autosave is None:
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._executor.submit(
            self._write_autosave, self.current_session(), self.path, self.is_modified()
        )

    def _write_autosave(self, session: Session, path: Path | None, modified: bool) -> bool:
        """Runs on the autosave thread (or the GUI thread at startup); True if it worked."""
        try:
            if modified:
                self.autosave.write(session, path)
            else:
                self.autosave.clear()  # nothing would be lost: nothing to recover
        except SessionError as exc:
            self._autosave_failed.emit(str(exc))
            return False
        finally:
            self.autosaved.emit()
        return True

    def _on_autosave_failed(self, message: str) -> None:
        if message != self._last_autosave_error:
            self.window.output.append_text(f"Autosave failed: {message}", "error")
        self._last_autosave_error = message
        self._status(f"Autosave failed: {message}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._on_window_closing()
        return False

    def _on_window_closing(self) -> None:
        """A clean close: remember the file for the next launch, and drop the autosave."""
        self._timer.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if not self._started:
            return
        settings = self.window.settings
        settings.setValue("session_path", str(self.path) if self.path is not None else "")
        settings.setValue(
            "session_training", json.dumps(self.window.training_panel.training_settings())
        )
        if self.autosave is not None:
            self.autosave.clear()


def _with_suffix(path: Path) -> Path:
    return path if path.suffix else path.with_suffix(".py")


def _string_list(value: object) -> list[str]:
    """QSettings gives back one string for a one-item list, and None for an empty one."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []
