"""A session across launches: startup restore, autosave while the app runs, and a clean close.

Closing never asks anything: the code, the file it belongs to and the lab's settings
come back at the next launch, and while the app runs an autosave keeps them safe from
a crash. The File menu's commands live in gui/session/controller.py, which owns this.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from autograd_playground.core.session.autosave import Autosave, Recovered
from autograd_playground.core.session.session import Session, SessionError, read_session
from autograd_playground.gui.session.naming import untitled_name
from autograd_playground.gui.session.window_parts import SessionParts
from autograd_playground.gui.ui_text import tr, ui_language

AUTOSAVE_MS = 2000


class CurrentSession(Protocol):
    """The session the autosave keeps: gui/session/controller.py, which owns the autosave."""

    path: Path | None

    def current_session(self) -> Session: ...

    def is_modified(self) -> bool: ...

    def link_file(self, path: Path | None, saved: Session | None) -> None: ...

    def open_path(self, path: Path, confirm: bool = True, interactive: bool = True) -> bool: ...

    def update_title(self) -> None: ...


class SessionAutosave(QObject):
    """Restores the last session at startup, autosaves edits, and remembers the file at close."""

    autosaved = Signal()  # after a background autosave finished (written or cleared)
    _autosave_failed = Signal(str)  # from the autosave thread, queued to the GUI thread

    def __init__(self, sessions: CurrentSession, parts: SessionParts, parent: QObject) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.parts = parts
        self.window = parts.window
        self.autosave: Autosave | None = None
        self._executor: ThreadPoolExecutor | None = None
        # Until start(), the window is not showing a session worth remembering at close.
        self._started = False
        self._last_autosave_error: str | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave_in_background)
        self._autosave_failed.connect(self._on_autosave_failed)
        self.window.installEventFilter(self)

    def on_edited(self) -> None:
        """Autosave a little after the last edit, once start() chose where to."""
        if self.autosave is not None:
            self._timer.start()

    # -- startup --------------------------------------------------------------------------
    def start(self, script: Path | None = None, autosave_dir: Path | None = None) -> None:
        """Open ``script``, or bring back what the last session left; autosave to ``autosave_dir``.

        Without ``script``: a crashed session's autosave comes back if there is one, else
        the file that was open when the app last closed. Problems go to the output pane.
        """
        self._started = True
        recovered = None
        if autosave_dir is not None:
            self.autosave = Autosave(autosave_dir)
            recovered, problems = self.autosave.recover(ui_language())
            for problem in problems:
                self.parts.output.append_text(problem, "info")
        if script is not None:
            self.sessions.open_path(script, confirm=False, interactive=False)
            if recovered is not None:
                self.parts.output.append_text(
                    tr(
                        "A session that did not close cleanly left unsaved code "
                        "(autosaved {saved_at}); it comes back when the app starts "
                        "without a file.",
                        saved_at=recovered.saved_at,
                    ),
                    "info",
                )
        elif recovered is not None:
            self._restore_recovered(recovered)
        else:
            self._restore_last_file()
        self.sessions.update_title()

    def _restore_recovered(self, recovered: Recovered) -> None:
        sessions, panel = self.sessions, self.parts.lab
        sessions.link_file(recovered.path, None)
        if recovered.path is not None:
            try:
                loaded = read_session(recovered.path)
                panel.apply_training_settings(loaded.session.training)
                saved = Session(loaded.session.code, panel.training_settings())
                sessions.link_file(recovered.path, saved)
            except SessionError as exc:
                self.parts.output.append_text(exc.message_in(ui_language()), "info")
        self.parts.editor.setPlainText(recovered.session.code)
        panel.apply_training_settings(recovered.session.training)
        if recovered.path is None:
            what = tr("code")
        else:
            what = tr("code of {name}", name=recovered.path.name)
        message = tr(
            "Restored the unsaved {what} from a session that did not "
            "close cleanly (autosaved {saved_at}).",
            what=what,
            saved_at=recovered.saved_at,
        )
        self.parts.output.append_text(f"── {message}", "info")
        self.parts.status.setText(message)
        sessions.update_title()
        # The old autosave goes only once this window's own holds the code.
        if self._write_autosave(sessions.current_session(), sessions.path, sessions.is_modified()):
            self.autosave.discard(recovered)

    def _restore_last_file(self) -> None:
        """Link the editor back to the file it showed at the last clean close."""
        name = self.parts.settings.value("session_path")
        if not isinstance(name, str) or not name:
            return
        panel = self.parts.lab
        try:
            loaded = read_session(Path(name))
        except SessionError as exc:
            untitled, reason = untitled_name(), exc.message_in(ui_language())
            self.parts.output.append_text(
                tr(
                    "{reason} The editor keeps the code it had when the app closed, as {untitled}.",
                    reason=reason,
                    untitled=untitled,
                ),
                "info",
            )
            return
        panel.apply_training_settings(loaded.session.training)
        self.sessions.link_file(Path(name), Session(loaded.session.code, panel.training_settings()))
        try:
            shown = json.loads(self.parts.settings.value("session_training", "{}"))
        except (TypeError, ValueError):
            shown = {}
        if isinstance(shown, dict):
            panel.apply_training_settings(shown)

    # -- autosave -------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the autosave now, and wait until it is on disk."""
        self._timer.stop()
        if self.autosave is not None:
            sessions = self.sessions
            self._write_autosave(sessions.current_session(), sessions.path, sessions.is_modified())

    def _autosave_in_background(self) -> None:
        """Hand a copy of the session to the autosave thread: fsync can take a while."""
        if self.autosave is None:
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        sessions = self.sessions
        self._executor.submit(
            self._write_autosave, sessions.current_session(), sessions.path, sessions.is_modified()
        )

    def _write_autosave(self, session: Session, path: Path | None, modified: bool) -> bool:
        """Runs on the autosave thread (or the GUI thread at startup); True if it worked."""
        try:
            if modified:
                self.autosave.write(session, path)
            else:
                self.autosave.clear()  # nothing would be lost: nothing to recover
        except SessionError as exc:
            self._autosave_failed.emit(exc.message_in(ui_language()))
            return False
        finally:
            self.autosaved.emit()
        return True

    def _on_autosave_failed(self, message: str) -> None:
        text = tr("Autosave failed: {message}", message=message)
        if message != self._last_autosave_error:
            self.parts.output.append_text(text, "error")
        self._last_autosave_error = message
        self.parts.status.setText(text)

    # -- close ----------------------------------------------------------------------------
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
        path = self.sessions.path
        settings = self.parts.settings
        settings.setValue("session_path", str(path) if path is not None else "")
        settings.setValue("session_training", json.dumps(self.parts.lab.training_settings()))
        if self.autosave is not None:
            self.autosave.clear()
