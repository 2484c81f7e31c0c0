"""The File menu: new, open, recent, save, export and quit.

A session is the editor's code plus the training lab's settings (core/session/session.py). The
window title names the file and marks unsaved changes. Startup restore, autosave and the
clean close live in gui/session/autosave.py, which this controller owns.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from autograd_playground.core.session.autosave import Autosave
from autograd_playground.core.session.recent_files import RecentFiles
from autograd_playground.core.session.script_export import export_script
from autograd_playground.core.session.session import (
    Session,
    SessionError,
    atomic_write_text,
    read_session,
    write_session,
)
from autograd_playground.gui.session.autosave import SessionAutosave
from autograd_playground.gui.session.dialogs import SessionDialogs
from autograd_playground.gui.session.naming import untitled_name, window_title
from autograd_playground.gui.session.recent_menu import RecentFilesMenu
from autograd_playground.gui.session.starter_code import is_starter_code
from autograd_playground.gui.session.window_parts import SessionParts
from autograd_playground.gui.ui_text import tr, ui_language


class SessionController(QObject):
    """Owns the window's current file; adds the session actions to the File menu."""

    opened = Signal(object)  # Path, after its code and settings are shown
    saved = Signal(object)  # Path, after it was written

    def __init__(
        self, parts: SessionParts, file_menu: QMenu, dialogs: SessionDialogs | None = None
    ) -> None:
        super().__init__(parts.window)
        self.parts = parts
        self.window = parts.window
        self.dialogs = dialogs or SessionDialogs()
        self.path: Path | None = None
        # What the file holds, as the editor and the lab show it; None when untitled.
        self._saved: Session | None = None
        self.autosaver = SessionAutosave(self, parts, parent=self)
        self._build_menu(file_menu)
        parts.editor.textChanged.connect(self._on_edited)
        parts.lab.settings_changed.connect(self._on_edited)
        self.update_title()

    def _build_menu(self, menu: QMenu) -> None:
        def action(text: str, shortcut: str | None, slot, tip: str) -> QAction:
            made = QAction(text, self.window)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
            made.setStatusTip(tip)
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.new_action = action(
            tr("&New"),
            "Ctrl+N",
            self.new_session,
            tr("Start an empty session"),
        )
        self.open_action = action(
            tr("&Open…"),
            "Ctrl+O",
            self.open_dialog,
            tr("Open a session or a Python file (it is not run)"),
        )
        self.save_action = action(
            tr("&Save"),
            "Ctrl+S",
            self.save,
            tr("Save the code and lab settings"),
        )
        self.save_as_action = action(
            tr("Save &As…"),
            "Ctrl+Shift+S",
            self.save_as,
            tr("Save the session under a new name"),
        )
        self.export_action = action(
            tr("&Export as Python Script…"),
            None,
            self.export_dialog,
            tr("Write a script that runs with plain `python`, outside the app"),
        )
        self.quit_action = action(tr("&Quit"), "Ctrl+Q", self.window.close, tr("Close the app"))
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu(tr("Open &Recent"))
        self._recent = RecentFilesMenu(self.recent_menu, self.parts.settings, self.open_path)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self._recent.rebuild()

    # -- state ------------------------------------------------------------------------
    def current_session(self) -> Session:
        """Return the code and lab settings as shown now."""
        return Session(
            code=self.parts.editor.toPlainText(), training=self.parts.lab.training_settings()
        )

    def display_name(self) -> str:
        """Return the file's name, or "Untitled" in the app's language."""
        return self.path.name if self.path is not None else untitled_name()

    def is_modified(self) -> bool:
        """True when closing the session now would lose something not in its file."""
        code = self.parts.editor.toPlainText()
        if self.path is None:
            # An untitled session is worth saving once it holds code of one's own.
            return bool(code.strip()) and not is_starter_code(code)
        if self._saved is None:
            return True
        return (
            code != self._saved.code or self.parts.lab.training_settings() != self._saved.training
        )

    def update_title(self) -> None:
        """Name the file in the window title, and mark it when something is unsaved."""
        self.window.setWindowTitle(window_title(self.display_name()))
        self.window.setWindowModified(self.is_modified())

    def _on_edited(self) -> None:
        self.update_title()
        self.autosaver.on_edited()

    def link_file(self, path: Path | None, saved: Session | None) -> None:
        """Make ``path`` the current file, holding ``saved`` (None: not known to match)."""
        self.path, self._saved = path, saved

    def _status(self, text: str) -> None:
        # The window's own status label, so that messages replace each other.
        self.parts.status.setText(text)

    def _report(self, title: str, text: str, interactive: bool, error: bool) -> None:
        """Show a problem: a message box from the menu, the output pane at startup."""
        if not interactive:
            self.parts.output.append_text(text, "error" if error else "info")
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
        self.parts.editor.setPlainText("")
        self.parts.editor.mark_error_line(None)
        self.update_title()
        self._status(tr("New session."))
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
        self.update_title()
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
                self._recent.remove(path)
            reason = exc.message_in(ui_language())
            self._report(tr("Could not open"), reason, interactive, error=True)
            return False
        panel = self.parts.lab
        problems = panel.apply_training_settings(loaded.session.training)
        self.parts.editor.setPlainText(loaded.session.code)
        self.parts.editor.mark_error_line(None)
        self.path = path
        self._saved = Session(code=loaded.session.code, training=panel.training_settings())
        self._recent.add(path)
        self.update_title()
        self.parts.output.append_text(
            tr("── Opened {name}; it has not run (Ctrl+Enter runs it).", name=path.name),
            "info",
        )
        self._status(tr("Opened {path}", path=path))
        warning = loaded.problem_in(ui_language())
        if problems:
            listed = tr("; ").join(problems)
            warning = (warning + "\n\n" if warning else "") + tr(
                "Some training settings in {name} were left as they were: {listed}.",
                name=path.name,
                listed=listed,
            )
        if warning:
            self._report(
                tr("Opened {name}, with a problem", name=path.name),
                warning,
                interactive,
                error=False,
            )
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
        path = self.dialogs.save_path(self.window, tr("Save session as"), suggested)
        if path is None:
            return False
        return self._write(_with_suffix(path))

    def _write(self, path: Path) -> bool:
        session = self.current_session()
        try:
            write_session(path, session)
        except SessionError as exc:
            self.dialogs.error(self.window, tr("Could not save"), exc.message_in(ui_language()))
            self.update_title()
            return False
        self.path, self._saved = Path(path).absolute(), session
        self._recent.add(self.path)
        self.update_title()
        self._status(tr("Saved {path}", path=self.path))
        self.saved.emit(self.path)
        return True

    def export_dialog(self) -> bool:
        """Ask for a file name and write the code there as a standalone script."""
        stem = self.path.stem if self.path is not None else "session"
        suggested = self._folder() / f"{stem}_standalone.py"
        path = self.dialogs.save_path(self.window, tr("Export as Python script"), suggested)
        if path is None:
            return False
        return self.export_to(_with_suffix(path))

    def export_to(self, path: Path) -> bool:
        """Write the standalone script to ``path``; False, with a message, if it failed."""
        path = Path(path).absolute()
        if self.path is not None and path == self.path:
            self.dialogs.error(
                self.window,
                tr("Could not export"),
                tr(
                    "{name} is this session's own file: choose another name for the script.",
                    name=path.name,
                ),
            )
            return False
        text = export_script(self.current_session(), device=self.parts.device(), filename=path.name)
        try:
            atomic_write_text(path, text)
        except SessionError as exc:
            self.dialogs.error(self.window, tr("Could not export"), exc.message_in(ui_language()))
            return False
        self._status(tr("Exported {path}: run it with  python {name}", path=path, name=path.name))
        return True

    def _folder(self) -> Path:
        if self.path is not None:
            return self.path.parent
        recent = self.recent.paths()
        return recent[0].parent if recent else Path.home()

    # -- recent files (gui/session/recent_menu.py) --------------------------------------------
    @property
    def recent(self) -> RecentFiles:
        """The recent files, newest first, as the Open Recent menu lists them."""
        return self._recent.recent

    # -- startup, autosave and close (gui/session/autosave.py) ----------------------------
    def start(self, script: Path | None = None, autosave_dir: Path | None = None) -> None:
        """Open ``script``, or restore the last session; autosave to ``autosave_dir``."""
        self.autosaver.start(script, autosave_dir)

    def flush_autosave(self) -> None:
        """Write the autosave now, and wait until it is on disk."""
        self.autosaver.flush()

    @property
    def autosave(self) -> Autosave | None:
        """This window's autosave file; None until start() is given a folder for it."""
        return self.autosaver.autosave

    @property
    def autosaved(self) -> SignalInstance:
        """Emitted after a background autosave finished (written or cleared)."""
        return self.autosaver.autosaved


def _with_suffix(path: Path) -> Path:
    return path if path.suffix else path.with_suffix(".py")
