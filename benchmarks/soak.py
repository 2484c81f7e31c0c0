"""Memory over long sessions: RSS growth over 1,000 runs of a lesson, and over a long training run.

Both in the app's own window, offscreen, in one process:

* runs: assets/lessons/15_wx_plus_b.py is run ``--runs`` times (default 1,000) through the
  window, as Ctrl+Enter does, each run's graph drawn and painted and its ``w`` selected
  (the inspector shows it). Every other run starts from an empty scene, so both ways a
  graph is drawn (built anew, and updated in place when the structure is unchanged) are
  exercised. RSS is read after ``--warm-up-runs`` runs and at the end.
* training: the lab trains the quadratic fit (seed 001) with its live plots on screen
  and "Graph tab follows training" on, at "Max" speed. RSS is read once the first
  ``--warm-up-steps`` steps are done; from then on the run trains for
  ``--training-minutes`` minutes of wall time (default 10), measured on the clock, and is
  then stopped, and RSS is read again. The figure is what those minutes grew, not a
  projection from a shorter run. The run is given ten times the lab's longest length
  (which a fast machine trains in under ten minutes), so that it is still training when
  the minutes are up; a machine fast enough to finish even that sooner ends the
  benchmark with an error rather than a figure for a shorter run.

RSS is read from /proc/self/statm (Linux; elsewhere the peak from getrusage), after a
full garbage collection and after Qt has deleted what was scheduled for deletion.
Progress goes to stdout; the last line is one JSON object with
``rss_growth_mb_1000_runs`` and ``rss_growth_mb_training`` (with
``training_measured_minutes``, the minutes it covers). Targets: both at most 30.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from autograd_playground.core.playground import Playground
from autograd_playground.core.training.pacing import MAX
from autograd_playground.core.training.settings import WHOLE_NUMBER_RANGES
from autograd_playground.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "assets" / "lessons" / "15_wx_plus_b.py"
TASK = "quadratic"
MB = 1024 * 1024


# -- measuring --------------------------------------------------------------------------
def rss_mb(app: QApplication) -> float:
    """Resident memory now, with Python's and Qt's garbage collected first."""
    settle(app)
    return read_rss_mb()


def read_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:
        # Not Linux: only the peak is known, which still shows growth that lasts.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (MB if sys.platform == "darwin" else 1024)


def settle(app: QApplication) -> None:
    for _ in range(2):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


def type_counts() -> collections.Counter[str]:
    """Live Python objects by type, to name what grows."""
    return collections.Counter(type(obj).__qualname__ for obj in gc.get_objects())


def growth_report(before: collections.Counter[str], after: collections.Counter[str]) -> dict:
    grown = {name: after[name] - before.get(name, 0) for name in after}
    top = sorted(((count, name) for name, count in grown.items() if count > 0), reverse=True)
    return {name: count for count, name in top[:8]}


def qobject_count(root: QObject) -> int:
    return len(root.findChildren(QObject))


class Waiter:
    """Runs the event loop, without spinning, until a condition holds.

    The condition is checked again whenever one of ``signals`` fires. Everything is
    connected once: PySide keeps some memory for every connect, and a harness that
    connected per run would see its own growth in the figures.
    """

    def __init__(self, *signals) -> None:
        self.loop = QEventLoop()
        self.deadline = QTimer()
        self.deadline.setSingleShot(True)
        self.deadline.timeout.connect(self.loop.quit)
        self._condition = _never
        for signal in signals:
            signal.connect(self._check)

    def _check(self, *_args) -> None:
        if self._condition():
            self.loop.quit()

    def wait(self, condition, timeout_s: float = 120.0) -> None:
        if condition():
            return
        self._condition = condition
        self.deadline.start(int(timeout_s * 1000))
        self.loop.exec()
        self.deadline.stop()
        self._condition = _never
        if not condition():
            raise TimeoutError("the window did not finish in time")


def _never() -> bool:
    return False


# -- 1,000 runs ---------------------------------------------------------------------------
class LessonRunner:
    """Runs the lesson through the window as Ctrl+Enter does, and waits for its graph."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.view = window.graph_view
        self.outcomes: list[object] = []
        window.run_completed.connect(self.outcomes.append)
        self.waiter = Waiter(window.run_completed, self.view.scene_ready)

    def run_once(self, code: str, fresh_scene: bool) -> None:
        if fresh_scene:
            self.view.clear_graph()
        self.outcomes.clear()
        # As a learner edits and reruns: the editor's text is set anew each time.
        self.window.editor.setPlainText(code)
        self.window.run_all()
        self.waiter.wait(lambda: self.outcomes and self.view.is_scene_complete())
        outcome = self.outcomes.pop()
        if outcome.result.error is not None:
            raise RuntimeError(outcome.result.error.text)
        if not self.view.select_name("w"):
            raise RuntimeError("the lesson's graph has no node w")
        self.view.viewport().repaint()


def soak_runs(app: QApplication, window: MainWindow, runs: int, warm_up: int) -> dict:
    code = LESSON.read_text(encoding="utf-8")
    window.tabs.setCurrentWidget(window.graph_pane)
    runner = LessonRunner(window)
    for index in range(warm_up):
        runner.run_once(code, fresh_scene=index % 2 == 0)
    # findChildren makes a Python wrapper for every child: before the count, not in it.
    start_qobjects = qobject_count(window)
    start_mb, start_types = rss_mb(app), type_counts()
    started = time.perf_counter()
    for index in range(runs):
        runner.run_once(code, fresh_scene=index % 2 == 0)
        if (index + 1) % 100 == 0:
            now_mb = rss_mb(app)
            print(
                f"runs: {index + 1}/{runs} · rss {now_mb:.1f} MB (+{now_mb - start_mb:.1f}) "
                f"· output pane {window.output.document().blockCount():,} lines "
                f"· {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    end_mb = rss_mb(app)
    growth = end_mb - start_mb
    return {
        "runs": runs,
        "warm_up_runs": warm_up,
        "rss_start_mb": round(start_mb, 1),
        "rss_end_mb": round(end_mb, 1),
        "rss_growth_mb": round(growth, 2),
        "kb_per_run": round(growth * 1024 / runs, 2),
        "output_pane_lines": window.output.document().blockCount(),
        "qobjects_grown": qobject_count(window) - start_qobjects,
        "python_objects_grown": growth_report(start_types, type_counts()),
        "seconds": round(time.perf_counter() - started, 1),
    }


# -- a long training run -------------------------------------------------------------------
class TrainingWatch:
    """Follows the lab's reports, noting RSS when the warm-up is over, and stops the run
    once it has trained for ``measured_s`` seconds after that."""

    def __init__(
        self, app: QApplication, window: MainWindow, warm_up_steps: int, measured_s: float
    ) -> None:
        self.app = app
        self.window = window
        self.warm_up_steps = warm_up_steps
        self.measured_s = measured_s
        self.stopped_at: float | None = None
        self.stopped_step = 0
        self.step = 0
        self.reports = 0
        self.graphs = 0
        self.start: tuple[float, collections.Counter[str], int, int, float] | None = None
        self.measuring = False
        self.next_progress = time.perf_counter() + 10
        self.state = ""
        panel = window.training_panel
        panel.metrics_shown.connect(self.on_report)
        panel.step_graph.connect(self.on_graph)
        panel.state_changed.connect(self.on_state)

    def on_report(self, batch) -> None:
        self.step = batch.step
        self.reports += 1
        if not self.measuring and self.step >= self.warm_up_steps:
            self.measuring = True
            # Not inside this slot: settling runs the event loop, which would re-enter it.
            QTimer.singleShot(0, self._measure_start)
        if time.perf_counter() >= self.next_progress:
            self.next_progress += 10
            now_mb = read_rss_mb()
            base = f" (+{now_mb - self.start[0]:.1f})" if self.start else ""
            points = len(self.window.training_panel.plots.loss_series)
            print(
                f"training: step {self.step:,} · rss {now_mb:.1f} MB{base} "
                f"· {points:,} points per loss curve",
                flush=True,
            )

    def _measure_start(self) -> None:
        # The training thread keeps stepping meanwhile; it only waits for the GIL.
        qobjects = qobject_count(self.window)  # first: it makes wrappers that would count
        self.start = (rss_mb(self.app), type_counts(), qobjects, self.reports, time.perf_counter())
        QTimer.singleShot(round(self.measured_s * 1000), self._stop)

    def _stop(self) -> None:
        self.stopped_at, self.stopped_step = time.perf_counter(), self.step
        self.window.training_panel.stop()

    def on_graph(self, _batch) -> None:
        self.graphs += 1

    def on_state(self, state: str) -> None:
        self.state = state


def soak_training(
    app: QApplication, window: MainWindow, minutes: float, warm_up_steps: int
) -> dict:
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(TASK))
    # The quadratic fit is full-batch, one step per iteration. The clock, not the step
    # count, ends the run: the lab's longest run is trained in less than ten minutes on
    # a fast machine, so this benchmark widens its own length field ten times over.
    steps = 10 * WHOLE_NUMBER_RANGES["length"][1]
    panel.length_spin.setMaximum(steps)
    panel.length_spin.setValue(steps)
    panel.speed_combo.setCurrentIndex(panel.speed_combo.findData(MAX))  # not paced for a class
    panel.set_follow_graph(True)
    watch = TrainingWatch(app, window, warm_up_steps, minutes * 60)
    waiter = Waiter(panel.state_changed)
    started = time.perf_counter()
    panel.start()
    waiter.wait(lambda: watch.state in ("finished", "halted", "stopped"), timeout_s=24 * 3600)
    seconds = time.perf_counter() - started
    if watch.state != "stopped" or watch.start is None or watch.stopped_at is None:
        raise RuntimeError(
            f"training ended {watch.state} at step {watch.step} before "
            f"{minutes:g} minutes of it were measured"
        )
    start_mb, start_types, start_qobjects, start_reports, start_time = watch.start
    end_mb = rss_mb(app)
    growth = end_mb - start_mb
    measured_s = watch.stopped_at - start_time
    measured_steps = watch.stopped_step - warm_up_steps
    return {
        "task": TASK,
        "steps": watch.step,
        "warm_up_steps": warm_up_steps,
        "seconds": round(seconds, 1),
        "steps_per_s": round(watch.step / seconds, 1),
        "reports": watch.reports,
        "graphs_shown": watch.graphs,
        "rss_start_mb": round(start_mb, 1),
        "rss_end_mb": round(end_mb, 1),
        "rss_growth_mb": round(growth, 2),
        "measured_seconds": round(measured_s, 1),
        "measured_steps": measured_steps,
        "bytes_per_step": round(growth * MB / max(measured_steps, 1), 1),
        "kb_per_report": round(growth * 1024 / max(watch.reports - start_reports, 1), 2),
        "points_per_loss_curve": len(panel.plots.loss_series),
        # The per-step and smoothed curves' x and y, as float64, before pyqtgraph's copies.
        "loss_points_mb": round(4 * 8 * len(panel.plots.loss_series) / MB, 1),
        "qobjects_grown": qobject_count(window) - start_qobjects,
        "python_objects_grown": growth_report(start_types, type_counts()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--warm-up-runs", type=int, default=20)
    parser.add_argument(
        "--training-minutes",
        type=float,
        default=10.0,
        help="minutes of training measured, after the warm-up steps (default 10)",
    )
    parser.add_argument("--warm-up-steps", type=int, default=20_000)
    parser.add_argument("--skip-runs", action="store_true", help="only the training soak")
    parser.add_argument("--skip-training", action="store_true", help="only the runs soak")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="agp-soak-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Playground(), settings=settings)
        window.resize(1400, 860)
        window.show()
        waiter = Waiter(window.engine_ready)
        window.start_engine()
        waiter.wait(lambda: window.is_ready)
        print(f"ready · rss {rss_mb(app):.1f} MB", flush=True)
        summary: dict[str, object] = {}
        if not args.skip_runs:
            runs = soak_runs(app, window, args.runs, args.warm_up_runs)
            print(f"runs: {runs}", flush=True)
            # Named for the 1,000 runs; scaled when --runs asks for another count.
            summary["rss_growth_mb_1000_runs"] = round(runs["rss_growth_mb"] * 1000 / args.runs, 2)
            summary["runs"] = runs
        if not args.skip_training:
            training = soak_training(app, window, args.training_minutes, args.warm_up_steps)
            print(f"training: {training}", flush=True)
            summary["rss_growth_mb_training"] = training["rss_growth_mb"]
            summary["training_measured_minutes"] = round(training["measured_seconds"] / 60, 2)
            summary["training"] = training
        window.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
