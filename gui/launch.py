"""The window's launch: torch loads once the window has painted, then what the command asked.

What follows readiness is one of: run the editor's code (``--run``), take a picture
(``--screenshot``), or print the startup times and exit (``--startup-timing``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.screenshot import ScreenshotTaker, show_view

# Torch starts loading once the window has painted, or after this long at the latest.
ENGINE_START_LATEST_MS = 500


class Launch(QObject):
    """Starts the engine after the first paint and does what the command line asked then."""

    def __init__(
        self, app: QApplication, window: MainWindow, args: argparse.Namespace, launched_at: float
    ) -> None:
        super().__init__(window)
        self._app, self._window, self._args = app, window, args
        self._launched_at = launched_at
        self._timings: dict[str, float] = {}
        self._engine_started = False
        self._screenshot = (
            ScreenshotTaker(
                window,
                args.screenshot,
                task=args.train,
                finish=self.finish,
                steps=args.train_steps,
            )
            if args.screenshot is not None
            else None
        )
        app.installEventFilter(self)
        window.engine_ready.connect(self._on_engine_ready)
        if args.run:
            window.run_completed.connect(self._on_run_completed)

    def begin(self) -> None:
        """Show the window; torch loads after its first paint or soon after, whichever first."""
        self._window.show()
        args = self._args
        if args.screenshot is not None:
            # Once shown: a style sheet (High contrast) notes each widget's font when it
            # first polishes it, and presentation mode's larger font must be the one noted.
            show_view(
                self._window,
                presentation=args.presentation,
                tab=args.tab,
                task=args.train,
                layers=args.layers,
            )
        # A window that is not painted soon (minimised, say) must not hold torch back.
        QTimer.singleShot(ENGINE_START_LATEST_MS, self.start_engine)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and "first_paint" not in self._timings:
            self._timings["first_paint"] = time.time()
            # Torch's import holds the GIL for long stretches, and each of the first
            # paint's many calls into Python would wait for it: the window would stay
            # blank until torch had loaded. The timer fires after this paint is done.
            QTimer.singleShot(0, self.start_engine)
        return False

    def start_engine(self) -> None:
        if self._engine_started:
            return
        self._engine_started = True
        self._window.start_engine()
        if self._args.run:
            self._window.run_all()  # waits for torch, its text shown meanwhile

    def finish(self, code: int = 0) -> None:
        self._window.close()
        self._app.exit(code)

    def _on_engine_ready(self) -> None:
        self._timings["ready"] = time.time()
        self._app.removeEventFilter(self)
        if self._args.startup_timing:
            timings = {"launched": self._launched_at, **self._timings}
            sys.stdout.write(json.dumps(timings) + "\n")
            sys.stdout.flush()
            QTimer.singleShot(0, self.finish)
        elif self._screenshot is not None and not self._args.run:
            self._screenshot.take_when_drawn()

    def _on_run_completed(self, _outcome: object) -> None:
        self._boxes_to_open = list(self._args.open)
        if not self._boxes_to_open:
            self._after_run()
            return
        self._window.graph_redrawn.connect(self._on_box_opened)
        self._window.graph_pane.expand(self._boxes_to_open.pop(0))

    def _on_box_opened(self, _outcome: object) -> None:
        """Open the next --open box once the last one is drawn; after the last, go on."""
        if self._boxes_to_open:
            self._window.graph_pane.expand(self._boxes_to_open.pop(0))
            return
        self._window.graph_redrawn.disconnect(self._on_box_opened)
        self._after_run()

    def _after_run(self) -> None:
        if self._args.select:
            # "w1.grad" selects w1 and shows the inspector's .grad part.
            name, _, part = self._args.select.partition(".")
            self._window.graph_view.select_name(name)
            if part in ("value", "grad"):
                self._window.inspector.show_part(part)
        if self._args.step_forward is not None:
            stepper = self._window.forward_stepper
            stepper.open()
            stepper.panel.go_to(self._args.step_forward - 1)
        if self._screenshot is not None:
            self._screenshot.take_when_drawn()
