"""The worker thread that imports torch, runs user code and lays out graphs."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.playground import GraphOptions, Playground, RunOutcome


class EngineWorker(QObject):
    """Does the playground's slow work off the GUI thread, one request at a time."""

    ready = Signal(list)  # DeviceInfo list, once torch is imported
    run_finished = Signal(object)  # RunOutcome
    reset_finished = Signal(object)  # RunOutcome of the emptied namespace
    redraw_finished = Signal(object)  # RunOutcome of the same namespace, drawn anew
    layout_started = Signal(int)  # node count
    failed = Signal(str)

    def __init__(self, playground: Playground) -> None:
        super().__init__()  # no parent: moveToThread refuses objects that have one
        self._playground = playground
        playground.layout_started.connect(self.layout_started.emit)

    @Slot()
    def warm_up(self) -> None:
        try:
            from core.devices import available_devices
            from core.heap import freeze_startup_objects

            self._playground.warm_up()
            freeze_startup_objects()
            self.ready.emit(available_devices())
        except Exception:
            self.failed.emit("Could not load PyTorch:\n" + traceback.format_exc())

    @Slot(str)
    def run(self, code: str) -> None:
        try:
            self.run_finished.emit(self._playground.execute(code))
        except Exception:
            self.failed.emit("Internal error while running:\n" + traceback.format_exc())

    @Slot()
    def reset(self) -> None:
        try:
            self._playground.reset()
            outcome = RunOutcome(result=self._playground.evaluator.run(""))
            self._playground.refresh_graph(outcome)
            self.reset_finished.emit(outcome)
        except Exception:
            self.failed.emit("Internal error while resetting:\n" + traceback.format_exc())

    @Slot(object)
    def redraw(self, options: GraphOptions) -> None:
        try:
            self.redraw_finished.emit(self._playground.redraw(options))
        except Exception:
            self.failed.emit("Internal error while drawing the graph:\n" + traceback.format_exc())

    @Slot(str)
    def set_device(self, device: str) -> None:
        self._playground.set_device(device)


class EngineThread(QObject):
    """Owns the worker and its QThread; requests travel as queued signals."""

    request_warm_up = Signal()
    request_run = Signal(str)
    request_reset = Signal()
    request_device = Signal(str)
    request_redraw = Signal(object)  # GraphOptions

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
        self.thread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        self.thread.start()
        self.request_warm_up.emit()

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
