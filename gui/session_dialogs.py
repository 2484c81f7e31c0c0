"""The questions the File menu asks: which file, and what to do with unsaved changes.

Kept in one small object so that tests can answer them without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

PYTHON_FILTER = "Python files (*.py);;All files (*)"


class SessionDialogs:
    """Modal dialogs for sessions; every method returns the user's answer."""

    def open_path(self, parent: QWidget, folder: Path) -> Path | None:
        """Return the file chosen to open, or None if cancelled."""
        name, _ = QFileDialog.getOpenFileName(parent, "Open session", str(folder), PYTHON_FILTER)
        return Path(name) if name else None

    def save_path(self, parent: QWidget, caption: str, suggested: Path) -> Path | None:
        """Return the file chosen to write, or None if cancelled."""
        name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), PYTHON_FILTER)
        return Path(name) if name else None

    def unsaved_changes(self, parent: QWidget, name: str) -> str:
        """Return "save", "discard" or "cancel" for the unsaved changes to ``name``."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save the changes to {name}?")
        box.setInformativeText("Your changes are lost if you don't save them.")
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        if answer == buttons.Save:
            return "save"
        if answer == buttons.Discard:
            return "discard"
        return "cancel"

    def error(self, parent: QWidget, title: str, text: str) -> None:
        """Say that something could not be done, and why."""
        QMessageBox.critical(parent, title, text)

    def warning(self, parent: QWidget, title: str, text: str) -> None:
        """Say that something was done, but not all of it."""
        QMessageBox.warning(parent, title, text)
