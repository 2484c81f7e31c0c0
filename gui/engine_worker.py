"""The worker thread that imports torch, runs user code and lays out graphs."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from autograd_playground.core.playground import GraphOptions, Playground
from autograd_playground.core.run.torch_threads import release_thread_pool

# Long enough for the window to draw a small graph, short beside a user's next Run.
NEXT_ENGINE_DELAY_MS = 40


def _then_idle(request: Callable[..., None]) -> Callable[..., None]:
    """A request after which the engine's torch helper threads go: the lab's training
    thread trains at full speed only while it holds the process's one team of them
    (see release_thread_pool)."""

    @functools.wraps(request)
    def carried_out(self, *args: Any) -> None:
        try:
            request(self, *args)
        finally:
            release_thread_pool()

    return carried_out


class EngineWorker(QObject):
    """Does the playground's slow work off the GUI thread, one request at a time."""

    ready = Signal(list)  # DeviceInfo list, once torch is imported
    code_finished = Signal(object, object)  # RunResult, variables: before the graph
    run_finished = Signal(object)  # RunOutcome
    reset_finished = Signal(object)  # RunOutcome of the emptied namespace
    redraw_finished = Signal(object)  # RunOutcome of the same namespace, drawn anew
    layout_started = Signal(int)  # node count
    failed = Signal(str)
    task_finished = Signal(int, object, object)  # token, result, error text or None

    def __init__(self, playground: Playground) -> None:
        super().__init__()  # no parent: moveToThread refuses objects that have one
        self._playground = playground
        playground.layout_started.connect(self.layout_started.emit)
        playground.code_finished.connect(self.code_finished.emit)

    @Slot()
    @_then_idle
    def warm_up(self) -> None:
        try:
            from autograd_playground.core.run.devices import available_devices
            from autograd_playground.core.run.heap import freeze_startup_objects

            self._playground.warm_up()
            freeze_startup_objects()
            self.ready.emit(available_devices())
        except Exception:
            self.failed.emit("Could not load PyTorch:\n" + traceback.format_exc())

    @Slot(str)
    @_then_idle
    def run(self, code: str) -> None:
        try:
            self.run_finished.emit(self._playground.execute(code, start_next_engine=False))
        except Exception:
            self.failed.emit("Internal error while running:\n" + traceback.format_exc())
            return
        # Starting a process takes this thread a millisecond and the machine a core:
        # not while the window draws the result.
        QTimer.singleShot(NEXT_ENGINE_DELAY_MS, self._prepare_next_layout)

    @Slot()
    def _prepare_next_layout(self) -> None:
        self._playground.prepare_next_layout()

    @Slot()
    @_then_idle
    def reset(self) -> None:
        try:
            self.reset_finished.emit(self._playground.reset_and_redraw())
        except Exception:
            self.failed.emit("Internal error while resetting:\n" + traceback.format_exc())

    @Slot(object)
    @_then_idle
    def redraw(self, options: GraphOptions) -> None:
        try:
            self.redraw_finished.emit(self._playground.redraw(options, start_next_engine=False))
        except Exception:
            self.failed.emit("Internal error while drawing the graph:\n" + traceback.format_exc())
            return
        QTimer.singleShot(NEXT_ENGINE_DELAY_MS, self._prepare_next_layout)

    @Slot(str)
    @_then_idle
    def set_device(self, device: str) -> None:
        self._playground.set_device(device)

    @Slot(int, object)
    @_then_idle
    def run_task(self, token: int, task: Callable[[Playground], Any]) -> None:
        """Run ``task(playground)`` here, where the user's tensors live; report its result."""
        try:
            result, error = task(self._playground), None
        except Exception as exc:
            result, error = None, f"{type(exc).__name__}: {exc}"
        # A task may change the tensors the drawing shows (a check runs backward): the
        # next open or close of a box reads them anew rather than refolding old values.
        self._playground.forget_drawing()
        self.task_finished.emit(token, result, error)


class EngineThread(QObject):
    """Owns the worker and its QThread; requests travel as queued signals."""

    request_warm_up = Signal()
    request_run = Signal(str)
    request_reset = Signal()
    request_device = Signal(str)
    request_redraw = Signal(object)  # GraphOptions
    request_task = Signal(int, object)  # token, callable(playground)

    def __init__(self, playground: Playground, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.playground = playground
        self.thread = QThread(self)
        self.thread.setObjectName("engine")
        self.worker = EngineWorker(playground)
        self.worker.moveToThread(self.thread)
        self.request_warm_up.connect(self.worker.warm_up)
        self.request_run.connect(self.worker.run)
        self.request_reset.connect(self.worker.reset)
        self.request_device.connect(self.worker.set_device)
        self.request_redraw.connect(self.worker.redraw)
        self.request_task.connect(self.worker.run_task)
        self.worker.task_finished.connect(self._on_task_finished)
        self._task_callbacks: dict[int, Callable[[Any, str | None], None]] = {}
        self._next_token = 0
        self.thread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        self.thread.start()
        self.request_warm_up.emit()

    def submit(
        self,
        task: Callable[[Playground], Any],
        done: Callable[[Any, str | None], None],
    ) -> int:
        """Queue ``task(playground)`` on the engine thread; ``done(result, error)`` runs here.

        Tasks wait behind a running cell, like any request. The result must be plain
        data (copies, never live tensors): it crosses to the GUI thread.
        """
        self._next_token += 1
        self._task_callbacks[self._next_token] = done
        self.request_task.emit(self._next_token, task)
        return self._next_token

    @Slot(int, object, object)
    def _on_task_finished(self, token: int, result: Any, error: str | None) -> None:
        done = self._task_callbacks.pop(token, None)
        if done is not None:
            done(result, error)

    def interrupt(self) -> bool:
        """Stop the code that is running now; safe from the GUI thread."""
        return self.playground.interrupt()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Interrupt any run, stop the thread and wait for it; False if it would not stop."""
        if not self.thread.isRunning():
            self.playground.close()
            return True
        self.playground.interrupt()
        self.thread.quit()
        stopped = self.thread.wait(timeout_ms)
        self.playground.close()
        return stopped
