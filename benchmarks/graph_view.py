"""Code to an interactive graph on screen, against torchviz's SVG shown in a QSvgWidget.

For graphs of about 10, 200, 500 and 2,000 ops, in one run and offscreen:
ours is the app's own window (Run in the editor until the scene is built and
painted); the baseline runs the same forward code, torchviz's make_dot, dot
-Tsvg with the same engine, and paints that SVG in a QSvgWidget of the same
size. Also times a value-only update of a ~500-op graph and watches the GUI
thread for stalls (a timer noting late ticks) while a ~2,000-op graph is laid
out and shown, and times the frames of panning and zooming that graph, each
frame painted in full (an upper bound: a pan paints only the exposed strip).
Prints one JSON object on the last line.
Targets: worst_ratio_vs_torchviz_svg <= 1.0, update_ms_500 <= 16,
max_stall_ms_2000 <= 50, pan_zoom_frame_ms_p95_2000 <= 16.7 (60 frames a second).
Needs the bench extra, for torchviz: pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch
import torch.nn.functional as F
from graph_cases import D2L_CONTROL_FLOW, add_repeat_options, mlp, transformer
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    QSettings,
    QTimer,
)
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QApplication
from torch import nn
from torchviz import make_dot

from autograd_playground.core.playground import Playground
from autograd_playground.core.render.layout import run_dot
from autograd_playground.core.run.heap import freeze_startup_objects
from autograd_playground.gui.main_window import MainWindow

CASES = {
    "d2l_10_ops": D2L_CONTROL_FLOW,
    "transformer_2_layers": transformer(2),
    "mlp_170_layers": mlp(170),
    "mlp_667_layers": mlp(667),
}
UPDATE_CASE, STALL_CASE = "mlp_170_layers", "mlp_667_layers"
MAX_REPEATS = 61
TICK_MS = 5


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


class StallWatch:
    """A GUI-thread timer that notes how late each tick comes."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.worst_ms = 0.0
        self._last = 0

    def start(self) -> None:
        self.worst_ms = 0.0
        self.clock.start()
        self._last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst_ms = max(self.worst_ms, now - self._last - TICK_MS)
        self._last = now

    def stop(self) -> float:
        self.timer.stop()
        return max(0.0, self.worst_ms)


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


def ours(
    app: QApplication,
    window: MainWindow,
    code: str,
    watch: StallWatch | None = None,
    collapse: bool = False,
):
    """Run ``code`` in the window; seconds until its scene is built and painted.

    By default every node is drawn, as torchviz draws them; ``collapse`` lets the
    app fold module calls into boxes above its threshold, as it does for users.
    """
    view = window.graph_view
    window.playground.options.collapsed = None if collapse else frozenset()
    done: list[object] = []
    window.run_completed.connect(done.append)
    window.editor.setPlainText(code)
    app.processEvents()
    time.sleep(0.05)  # idle, as before a user's click
    if watch is not None:
        watch.start()
    started = time.perf_counter()
    window.run_all()
    wait_for(
        app, lambda: done and view.is_scene_complete(), [window.run_completed, view.scene_ready]
    )
    # What the scene posted about its new items, which the event loop takes before
    # it paints; other panes' paints are left out, as the baseline has none. A scene
    # paints its views' changed parts as it handles those (it syncs their backing
    # store): painting again would count a second paint the app never makes.
    painted = PaintCounter(view.viewport())
    QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
    if not painted.count:
        view.viewport().repaint()
    painted.remove()
    # Zoomed out on a big graph, the picture is rendered over a few events: the
    # scene counts as painted once it is whole. Ticks it delayed are stalls.
    while not view.snapshot.is_complete():
        app.processEvents()
    elapsed = time.perf_counter() - started
    if watch is not None:
        app.processEvents()
    stall = watch.stop() if watch is not None else None
    window.run_completed.disconnect(done.append)
    outcome = done[0]
    assert outcome.result.error is None, outcome.result.error.text
    assert len(view.node_items) == len(outcome.graph.nodes)
    return elapsed, len(outcome.graph.ops()), stall


def baseline(app: QApplication, widget: QSvgWidget, code: str, model_name: str | None) -> float:
    namespace = {"torch": torch, "nn": nn, "F": F, "np": np}
    app.processEvents()
    time.sleep(0.05)
    started = time.perf_counter()
    exec(compile(code, "<baseline>", "exec"), namespace)
    params = dict(namespace[model_name].named_parameters()) if model_name else None
    svg = run_dot(make_dot(namespace["out"], params=params).source, "svg")
    widget.load(QByteArray(svg))
    widget.repaint()
    elapsed = time.perf_counter() - started
    assert widget.renderer().isValid()
    return elapsed


STEP = (
    "with torch.no_grad():\n"
    "    for param in model.parameters():\n"
    "        param.mul_({factor})\n"
    "del param\n"
    "model.zero_grad()\n"
    "out = model(torch.randn(4, 16)).sum()\n"
    "out.backward()\n"
)


def value_update_ms(app: QApplication, window: MainWindow, repeats: int) -> float:
    """Median time to show new values and grads on an unchanged 500-op layout, painted.

    Two states of the same model, its weights scaled and its grads recomputed,
    are shown in turn with the view at 100 %, where a user reads values.
    """
    view = window.graph_view
    playground = window.playground
    states = []
    for factor in (1.01, 0.99):
        assert playground.evaluator.run(STEP.format(factor=factor)).error is None
        states.append(playground.redraw())
    items_before = dict(view.node_items)
    view.resetTransform()
    view.centerOn(view.scene().sceneRect().center())
    times = []
    for repeat in range(repeats):
        outcome = states[repeat % 2]
        started = time.perf_counter()
        view.show_graph(outcome.graph, outcome.layout)
        view.viewport().repaint()
        times.append(time.perf_counter() - started)
    assert view.node_items == items_before, "a value-only update rebuilt the scene"
    return statistics.median(times) * 1000


def frame_times_ms(app: QApplication, view, move, frames: int) -> list[float]:
    """Milliseconds of ``frames`` frames, each ``move()`` then a full synchronous paint."""
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        move()
        view.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    return times


def pan_zoom_ms(app: QApplication, window: MainWindow) -> dict[str, float]:
    """Frame times while panning and zooming the shown graph: whole-graph view and at 100 %."""
    view = window.graph_view
    figures: dict[str, float] = {}
    bar = view.horizontalScrollBar()
    vbar = view.verticalScrollBar()

    def pan(step: int = 40) -> None:
        if vbar.value() + step > vbar.maximum():
            vbar.setValue(vbar.minimum())
        vbar.setValue(vbar.value() + step)
        bar.setValue(bar.value() + (step // 4 if bar.value() < bar.maximum() else -bar.maximum()))

    zoom_steps = [1.1] * 10 + [1 / 1.1] * 10

    def zoom() -> None:
        view.zoom_by(zoom_steps[0])
        zoom_steps.append(zoom_steps.pop(0))

    for where in ("fit", "100pct"):
        if where == "fit":
            view.fit_all()
        else:
            view.resetTransform()
            view.centerOn(view.scene().sceneRect().center())
        app.processEvents()
        pans = frame_times_ms(app, view, pan, 60)
        zooms = frame_times_ms(app, view, zoom, 40)
        for kind, times in (("pan", pans), ("zoom", zooms)):
            figures[f"{kind}_{where}_median_ms"] = round(statistics.median(times), 2)
            figures[f"{kind}_{where}_p95_ms"] = round(float(np.percentile(times, 95)), 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_repeat_options(parser, repeats=5, seconds=1.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    # make_dot recurses once per node: without this it fails on the 2,000-op graph.
    sys.setrecursionlimit(20_000)
    settings = QSettings(str(Path(os.devnull)), QSettings.Format.IniFormat)
    window = MainWindow(Playground(), settings=settings)
    window.resize(1400, 860)
    window.show()
    ready: list[bool] = []
    window.engine_ready.connect(lambda: ready.append(True))
    window.start_engine()
    wait_for(app, lambda: ready, [window.engine_ready])
    freeze_startup_objects()
    svg_widget = QSvgWidget()
    svg_widget.resize(window.graph_view.viewport().size())
    svg_widget.show()
    watch = StallWatch()
    report: dict[str, dict] = {}
    for name, (code, model_name) in CASES.items():
        ours_runs, base_runs, ops = [], [], 0
        repeat = 0
        while repeat < args.repeats or (sum(base_runs) < args.seconds and repeat < MAX_REPEATS):
            # A fresh scene each time: an unchanged layout would update in place.
            window.graph_view.clear_graph()
            if repeat % 2:
                elapsed, ops, _ = ours(app, window, code)
                ours_runs.append(elapsed)
                base_runs.append(baseline(app, svg_widget, code, model_name))
            else:
                base_runs.append(baseline(app, svg_widget, code, model_name))
                elapsed, ops, _ = ours(app, window, code)
                ours_runs.append(elapsed)
            repeat += 1
        ours_s, base_s = statistics.median(ours_runs), statistics.median(base_runs)
        report[name] = {
            "ops": ops,
            "ours_s": round(ours_s, 4),
            "torchviz_svg_s": round(base_s, 4),
            "ratio": round(ours_s / base_s, 3),
            "runs": repeat,
        }
        if name == UPDATE_CASE:
            report[name]["update_ms"] = round(value_update_ms(app, window, 15), 2)
        print(f"{name}: {report[name]}", flush=True)
    stalls, collapsed_runs = [], []
    for _ in range(3):
        window.graph_view.clear_graph()
        stalls.append(ours(app, window, CASES[STALL_CASE][0], watch)[2])
    pan_zoom = pan_zoom_ms(app, window)
    print(f"pan and zoom, 2,000 ops: {pan_zoom}", flush=True)
    for _ in range(3):
        window.graph_view.clear_graph()
        collapsed_runs.append(ours(app, window, CASES[STALL_CASE][0], collapse=True)[0])
    summary = {
        "worst_ratio_vs_torchviz_svg": max(entry["ratio"] for entry in report.values()),
        "update_ms_500": report[UPDATE_CASE]["update_ms"],
        "max_stall_ms_2000": round(max(stalls), 1),
        "pan_zoom_frame_ms_p95_2000": max(
            value for key, value in pan_zoom.items() if key.endswith("p95_ms")
        ),
        "pan_zoom_2000": pan_zoom,
        # What a user gets by default: the 2,000-op graph starts folded by module.
        "collapsed_2000_s": round(statistics.median(collapsed_runs), 4),
        "cases": report,
    }
    window.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
