"""The few services of the main window that feature controllers use, as Protocols.

A controller is handed the panes it works with and, where it needs the window's own
behaviour, one of these: it never reaches into the window for anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import SignalInstance


class EngineTasks(Protocol):
    """Runs small jobs on the engine thread, beside the user's code (gui/engine_worker.py)."""

    def submit(
        self, task: Callable[[Any], Any], done: Callable[[Any, str | None], None]
    ) -> int: ...


class CodeRuns(Protocol):
    """The window's runs of the editor's code, and the signals that follow them."""

    is_ready: bool  # torch has loaded: runs and engine jobs can start
    is_running: bool
    run_completed: SignalInstance  # RunOutcome, after every pane has been updated
    reset_completed: SignalInstance
    graph_redrawn: SignalInstance  # RunOutcome, after the graph pane shows a redraw

    def run_all(self) -> None: ...

    def reset_namespace(self) -> None: ...
