"""The --screenshot picture: the view the command line asks for, taken once it has drawn."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from autograd_playground.gui.appearance.theme_controller import SETTINGS_KEY as THEME_KEY
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.ui_text import SETTINGS_KEY as LANGUAGE_KEY

# After the last redraw, a moment for what Qt posts in its wake (a relayout, an
# updated label) before the picture is taken.
SETTLE_MS = 300
# How a lab run that trained --train's task can end; a halt or a failure is pictured too.
LAB_RUN_ENDED = ("finished", "halted", "stopped")


def reproducible_settings(theme: str | None = None, language: str | None = None) -> QSettings:
    """Return empty settings of their own, with only ``theme`` and ``language`` in them.

    A picture or a benchmark then starts as a first launch would, whatever the user
    saved, and writes nothing the user's next launch would read. The theme and the
    language are set as a saved choice is, so the window applies them as it starts.
    """
    settings = QSettings(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        "AutogradPlayground",
        "autograd-playground-screenshot",
    )
    settings.clear()
    if theme is not None:
        settings.setValue(THEME_KEY, theme)
    if language is not None:
        settings.setValue(LANGUAGE_KEY, language)
    return settings


def show_view(
    window: MainWindow,
    presentation: bool = False,
    tab: str | None = None,
    task: str | None = None,
    layers: bool = False,
) -> None:
    """Show presentation mode (or not), the ``tab`` ("graph" or "lab") and the lab's ``task``;
    with ``layers``, the lab's layer statistics in place of its plots.

    Without a ``tab``, the lab shows when a ``task`` is to be trained, else the graph.
    """
    window.presentation.set_active(presentation)
    if task is not None:
        window.training_panel.apply_training_settings({"task": task})
    if layers:
        window.training_panel.plots.layer_check.setChecked(True)
    lab = tab == "lab" or (tab is None and task is not None)
    window.tabs.setCurrentWidget(window.training_panel if lab else window.graph_pane)


def window_picture(window: QWidget) -> QImage:
    """Return the whole window as drawn now, after Qt's waiting events."""
    QApplication.processEvents()
    return window.grab().toImage()


class ScreenshotTaker:
    """Saves the window to ``path`` once it has drawn, after training ``task`` if given."""

    def __init__(
        self,
        window: MainWindow,
        path: Path,
        task: str | None = None,
        finish: Callable[[int], None] | None = None,
        steps: int | None = None,
    ) -> None:
        """``steps``: picture the run paused after that many steps, not at its end."""
        self.window = window
        self.path = path
        self.task = task
        self.finish = finish or (lambda _code: None)
        self.steps = steps

    def take_when_drawn(self) -> None:
        """Take the picture soon: after the lab has trained and redrawn, where it trains."""
        if self.task is None:
            view = self.window.graph_view
            if view.is_scene_complete():
                QTimer.singleShot(SETTLE_MS, self.take)
            else:  # a big graph is still being drawn: the picture waits for it
                view.scene_ready.connect(self._on_scene_ready)
            return
        panel = self.window.training_panel
        panel.state_changed.connect(self._on_lab_state)
        if self.steps is not None:
            panel.metrics_shown.connect(self._pause_at_steps)
        panel.start()

    def _pause_at_steps(self, batch: object) -> None:
        """Pause the run once it has taken ``steps`` steps (reports come a frame apart,
        so it may take a few more before the pause reaches it)."""
        if batch.step < self.steps:
            return
        panel = self.window.training_panel
        panel.metrics_shown.disconnect(self._pause_at_steps)
        panel.training.send("pause")

    def _on_scene_ready(self) -> None:
        self.window.graph_view.scene_ready.disconnect(self._on_scene_ready)
        QTimer.singleShot(SETTLE_MS, self.take)

    def _on_lab_state(self, state: str) -> None:
        # A run paused for --train-steps is pictured as it pauses.
        paused = self.steps is not None and state == "paused"
        if state not in LAB_RUN_ENDED and not paused:
            return
        panel = self.window.training_panel
        panel.state_changed.disconnect(self._on_lab_state)
        # Every report has been taken in by now; the next frame draws the last of them.
        panel.frame_drawn.connect(self._on_last_frame)
        panel.request_frame()

    def _on_last_frame(self) -> None:
        self.window.training_panel.frame_drawn.disconnect(self._on_last_frame)
        QTimer.singleShot(SETTLE_MS, self.take)

    def take(self) -> None:
        """Save the picture, say where, and finish with 0 (saved) or 1."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        saved = window_picture(self.window).save(str(self.path))
        if saved:
            sys.stdout.write(f"Saved {self.path}\n")
        else:
            sys.stderr.write(f"Could not save {self.path}\n")
        self.finish(0 if saved else 1)
