"""Drives the app's main window offscreen for the graph benchmarks: waits, paints, stalls."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    QRectF,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication

from autograd_playground.core.playground import Playground
from autograd_playground.core.run.heap import freeze_startup_objects
from autograd_playground.gui.main_window import MainWindow

TICK_MS = 5
WINDOW_SIZE = (1400, 860)


def wait_for(app: QApplication, condition, signals, timeout_s: float = 120.0) -> None:
    """Run the event loop, without spinning, until ``condition()`` holds after a signal."""
    loop = QEventLoop()

    def check(*_args) -> None:
        if condition():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    # An owned timer, stopped on the way out: a pending singleShot would keep the
    # loop alive until it fired, one per call.
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(timeout_s * 1000))
    if not condition():
        loop.exec()
    deadline.stop()
    for signal in signals:
        signal.disconnect(check)
    if not condition():
        raise TimeoutError("the window did not finish in time")


def idle(milliseconds: int) -> None:
    """Let the event loop run for ``milliseconds``, as a user pausing does (no sleep:
    a sleeping GUI thread would read as a stall)."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


class StallWatch:
    """A 5 ms GUI-thread heartbeat that notes the longest gap between two ticks."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest_gap_ms = 0.0
        self._last = 0

    def start(self) -> None:
        self.longest_gap_ms = 0.0
        self.clock.start()
        self._last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest_gap_ms = max(self.longest_gap_ms, now - self._last)
        self._last = now

    def stop(self) -> float:
        """Stop; return the longest gap in ms, the wait since the last tick included."""
        self._tick()
        self.timer.stop()
        return float(self.longest_gap_ms)


class PaintCounter(QObject):
    """Counts the paint events ``widget`` gets until removed."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

    def remove(self) -> None:
        self._widget.removeEventFilter(self)


def open_window(app: QApplication) -> MainWindow:
    """A shown main window, settings in no file, its engine started and torch loaded."""
    settings = QSettings(str(Path(os.devnull)), QSettings.Format.IniFormat)
    window = MainWindow(Playground(), settings=settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    ready: list[bool] = []
    window.engine_ready.connect(lambda: ready.append(True))
    window.start_engine()
    wait_for(app, lambda: ready, [window.engine_ready])
    freeze_startup_objects()
    return window


def paint_new_scene(app: QApplication, view) -> None:
    """Return once the view has painted its complete new scene at its current zoom.

    Takes what the scene posted about its new items, which the event loop takes
    before it paints; other panes' paints are left out, as a baseline has none. A
    scene paints its views' changed parts as it handles those (it syncs their
    backing store): painting again would count a second paint the app never makes.
    Zoomed out on a big graph, the picture is rendered over a few events: the
    scene counts as painted once that picture is whole.
    """
    painted = PaintCounter(view.viewport())
    QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
    if not painted.count:
        view.viewport().repaint()
    painted.remove()
    while not view.snapshot.is_complete():
        app.processEvents()


def shown_region(view) -> dict:
    """What the view shows: its zoom, viewport size, and the scene rect in view and whole."""
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    scene = view.sceneRect()
    return {
        "zoom": view.transform().m11(),
        "viewport": view.viewport().size().toTuple(),
        "visible": visible.getRect(),
        "scene": scene.getRect(),
        "share_of_graph": round(_area(visible.intersected(scene)) / max(_area(scene), 1e-9), 4),
    }


def _area(rect: QRectF) -> float:
    return max(rect.width(), 0.0) * max(rect.height(), 0.0)


def settle_before_run() -> None:
    """Pause as a user does before pressing Run; the heartbeat is not yet running."""
    QApplication.processEvents()
    time.sleep(0.05)


def recursion_for_torchviz() -> None:
    """make_dot recurses once per node: without room it fails on graphs of thousands."""
    sys.setrecursionlimit(200_000)
