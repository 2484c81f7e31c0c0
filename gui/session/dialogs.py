"""The questions the File menu asks: which file, and what to do with unsaved changes.

Kept in one small object so that tests can answer them without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from autograd_playground.core.i18n.languages import DEFAULT_LANGUAGE
from autograd_playground.gui.ui_text import tr, ui_language


def python_filter() -> str:
    """Return the file dialogs' filter (Python files, all files) in the app's language."""
    return tr("Python files (*.py);;All files (*)")


class SessionDialogs:
    """Modal dialogs for sessions; every method returns the user's answer."""

    def open_path(self, parent: QWidget, folder: Path) -> Path | None:
        """Return the file chosen to open, or None if cancelled."""
        name, _ = QFileDialog.getOpenFileName(
            parent, tr("Open session"), str(folder), python_filter()
        )
        return Path(name) if name else None

    def save_path(self, parent: QWidget, caption: str, suggested: Path) -> Path | None:
        """Return the file chosen to write, or None if cancelled."""
        name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), python_filter())
        return Path(name) if name else None

    def unsaved_changes(self, parent: QWidget, name: str) -> str:
        """Return "save", "discard" or "cancel" for the unsaved changes to ``name``."""
        box = unsaved_changes_box(parent, name)
        buttons = QMessageBox.StandardButton
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


def unsaved_changes_box(parent: QWidget, name: str) -> QMessageBox:
    """Return the question about unsaved changes to ``name``: Save, Discard or Cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Unsaved changes"))
    box.setText(tr("Save the changes to {name}?", name=name))
    box.setInformativeText(tr("Your changes are lost if you don't save them."))
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    if ui_language() != DEFAULT_LANGUAGE:
        # Qt names its standard buttons in English unless its own translations are
        # loaded; in English the platform's wording (such as "Don't Save") stays.
        for button, text in (
            (buttons.Save, tr("Save")),
            (buttons.Discard, tr("Don't Save")),
            (buttons.Cancel, tr("Cancel")),
        ):
            box.button(button).setText(text)
    return box
