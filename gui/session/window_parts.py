"""What the session commands read, show and write: the window hands these over, not itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QSettings, SignalInstance
from PySide6.QtWidgets import QLabel, QWidget


class LabSettings(Protocol):
    """The training lab's settings, which a session holds beside the code (gui/training)."""

    settings_changed: SignalInstance

    def training_settings(self) -> dict: ...

    def apply_training_settings(self, values: dict) -> list[str]: ...


class CodeView(Protocol):
    """The editor, as a session sees it (gui/panes/editor.py)."""

    textChanged: SignalInstance

    def toPlainText(self) -> str: ...

    def setPlainText(self, text: str) -> None: ...

    def mark_error_line(self, line: int | None) -> None: ...


class MessageView(Protocol):
    """The output pane, where startup problems and notes go (gui/panes/output.py)."""

    def append_text(self, text: str, kind: str) -> None: ...


@dataclass(frozen=True)
class SessionParts:
    """The window's parts a session touches.

    ``window``'s title names the file, dialogs open over it, and its close event
    ends the session; ``device`` is the device the toolbar has chosen.
    """

    window: QWidget
    settings: QSettings
    editor: CodeView
    lab: LabSettings
    output: MessageView
    status: QLabel
    device: Callable[[], str]
