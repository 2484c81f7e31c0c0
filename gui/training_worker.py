"""The training loop on its own QThread, driven by commands, reporting 10-30 times a second."""

from __future__ import annotations

import queue
import time
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.training.step_rate import StepRate
from gui.ui_text import tr, ui_language

REPORT_INTERVAL_S = 1 / 30  # the most often a report goes out
# Reading a step's whole graph costs more than a loss value: a few times a second
# keeps a following graph view live without slowing training.
GRAPH_INTERVAL_S = 0.25
# The loop looks at the clock (and so may report) after steps taking about this long
# in all. The Trainer checks for commands before every step however many it takes.
CHUNK_S = 0.004
MAX_CHUNK = 1024


@dataclass
class TrainingRequest:
    """What to train: a seed task's config, or the editor's code for the learner's own."""

    config: object  # core.training.tasks.TrainingConfig
    user_code: str | None = None
    start_paused: bool = False
    # Tags this run's reports: the last run's final report, sent as it stops,
    # can arrive after the next run has started and must not be drawn in it.
    run: int = 0


class TrainingWorker(QObject):
    """Runs one Trainer at a time. Commands arrive through a thread-safe queue, because
    the loop keeps this thread busy and queued Qt signals would wait behind it."""

    # Reports wait in ``outbox``; the signal only says there is something to drain, so
    # the GUI takes every waiting report at once and no Python object crosses Qt's queue.
    metrics_ready = Signal()
    state_changed = Signal(str)  # running, paused, finished, halted, stopped
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()  # no parent: moveToThread refuses objects that have one
        self.commands: queue.Queue[tuple[str, object]] = queue.Queue()
        self.outbox: queue.Queue = queue.Queue()
        # Set from the GUI thread: a bool or a float is read and written atomically.
        self.follow_graph = False
        # Reports more frequent than the plots are redrawn would only cost both
        # threads time: the panel sets this to its redraw interval.
        self.report_interval_s = REPORT_INTERVAL_S
        self._run = 0
        self._rate = StepRate()  # the running loop's own, made anew for each run
        self.warmed_up = False

    def drain(self, run: int | None = None) -> list:
        """Return the reports waiting in the outbox, only run ``run``'s when given, and
        drop the rest (call from the GUI thread)."""
        reports = []
        while True:
            try:
                report_run, report = self.outbox.get_nowait()
            except queue.Empty:
                return reports
            if run is None or report_run == run:
                reports.append(report)

    @Slot()
    def warm_up(self) -> None:
        """Pay torch's one-time costs before the first Start, while the learner looks on.

        The first optimizer a process makes imports torch._dynamo: the first run of
        a task with one said "Starting…" for about 1.5 s.
        """
        import torch

        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        self.warmed_up = True

    @Slot()
    def train(self) -> None:
        request = self.requests.get()
        self._run = request.run
        try:
            trainer = self._build(request)
        except Exception as exc:  # the learner's code may raise anything
            self.failed.emit(_message(exc))
            self.state_changed.emit("stopped")
            return
        self._loop(trainer, running=not request.start_paused)

    def _build(self, request: TrainingRequest):
        from core.devices import check_device
        from core.training.catalog import USER_INFO
        from core.training.tasks import seed_everything
        from core.training.trainer import Trainer
        from core.training.user_task import build_user_task

        config = request.config
        problem = check_device(config.device, ui_language())
        if problem is not None:
            raise ValueError(
                tr(f"Cannot train on {config.device}: ", f"无法在 {config.device} 上训练：")
                + problem
            )
        if request.user_code is None:
            return Trainer(config)
        from core.evaluator import Evaluator

        seed_everything(config.seed)  # seeded here: generators are per thread on CUDA
        evaluator = Evaluator(device=config.device)
        result = evaluator.run(request.user_code)
        if result.error is not None:
            raise ValueError(
                tr("Your code failed before training: ", "你的代码在训练前出错：")
                + result.error.headline
            )
        state = build_user_task(evaluator.user_names(), config)
        return Trainer(config, state=state, info=USER_INFO)

    def _loop(self, trainer, running: bool) -> None:
        self.state_changed.emit("running" if running else "paused")
        last_report = time.monotonic()
        last_graph = last_report - GRAPH_INTERVAL_S  # the first step's graph goes out at once
        done = trainer.done
        commands = self.commands.queue  # read without the queue's lock: see below
        self._rate = rate = StepRate()
        timing = False  # whether the clock runs: not while paused or carrying out a command
        chunk = 1
        while True:
            # A deque's length is read atomically; Queue.empty() would take a lock
            # at every step of a loop whose steps take a tenth of a millisecond.
            if not running or done or commands:
                if timing:
                    rate.note(trainer.step_index, time.monotonic())
                    timing = False
                run, name, value = self.commands.get()  # waits while paused or finished
                if run != self._run:
                    continue  # meant for a run that had already ended: see TrainingThread.send
                if name == "stop":
                    self._report(trainer)
                    self.state_changed.emit("stopped")
                    return
                running = self._apply(trainer, name, value, running)
                done = trainer.done
                continue
            now = time.monotonic()
            if not timing:
                rate.restart(trainer.step_index, now)
                timing = True
            due = now - last_report >= self.report_interval_s
            graph_due = self.follow_graph and now - last_graph >= GRAPH_INTERVAL_S
            if graph_due:
                last_graph = now
                due = True
            try:
                if due:  # the report's step keeps its gradient norms (and graph)
                    done = trainer.step(record=True, record_graph=graph_due)
                else:
                    done = trainer.run(chunk, commands)
                    # Steps between two looks at the clock: about CHUNK_S of them.
                    spent = time.monotonic() - now
                    if spent < CHUNK_S / 2 and chunk < MAX_CHUNK:
                        chunk *= 2
                    elif spent > CHUNK_S * 2 and chunk > 1:
                        chunk //= 2
            except Exception as exc:  # the learner's code may raise anything: report it
                if self._paused_for_memory(trainer, exc):
                    running = False
                    continue
                self.failed.emit(_failure_text(exc))
                self._report(trainer)
                self.state_changed.emit("stopped")
                return
            if due or done:
                last_report = now
                rate.note(trainer.step_index, time.monotonic())
                self._report(trainer)  # a NaN found here halts the trainer
                done = trainer.done
                if done:
                    running = False
                    self.state_changed.emit("halted" if trainer.halted else "finished")

    def _apply(self, trainer, name: str, value: object, running: bool) -> bool:
        """Carry out one command; return whether the loop should keep stepping."""
        try:
            if name == "pause":
                self._report(trainer)
                self.state_changed.emit("paused")
                return False
            if name == "resume":
                if trainer.halted:
                    trainer.resume_after_halt()
                if trainer.done:
                    return False
                self.state_changed.emit("running")
                return True
            if name in ("step", "epoch"):
                if trainer.halted:
                    trainer.resume_after_halt()
                self._rate.restart(trainer.step_index, time.monotonic())
                if name == "step":
                    trainer.step(record_graph=self.follow_graph)
                else:
                    trainer.run_epoch()
                self._rate.note(trainer.step_index, time.monotonic())
                self._report(trainer)
                self.state_changed.emit("finished" if trainer.done else "paused")
                return False
            if name == "lr":
                trainer.set_lr(float(value))
            elif name == "optimizer":
                trainer.set_optimizer(str(value))
            elif name == "device":
                self._move(trainer, str(value))
        except Exception as exc:
            if self._paused_for_memory(trainer, exc):
                return False
            self.failed.emit(_message(exc))
        return running

    def _paused_for_memory(self, trainer, exc: Exception) -> bool:
        """Pause on out-of-memory, keeping what was learned; False for any other error."""
        from core.devices import is_out_of_memory, out_of_memory_advice, release_cached_memory

        if not is_out_of_memory(exc):
            return False
        device = trainer.config.device
        release_cached_memory(device)
        self.failed.emit(out_of_memory_advice(exc, device, ui_language()))
        self._report(trainer)
        self.state_changed.emit("paused")
        return True

    def _move(self, trainer, device: str) -> None:
        from core.devices import check_device

        problem = check_device(device, ui_language())
        if problem is not None:
            raise ValueError(
                tr(f"Stayed on {trainer.config.device}: ", f"仍在 {trainer.config.device} 上：")
                + problem
            )
        trainer.move_to(device)
        self._report(trainer)

    def _report(self, trainer) -> None:
        batch = trainer.collect()
        batch.steps_per_s = self._rate.value
        self.outbox.put((self._run, batch))
        self.metrics_ready.emit()


def _message(exc: BaseException) -> str:
    """The app's own messages in the app's language; Python's own text as it is."""
    from core.bilingual import BilingualError

    return exc.message_in(ui_language()) if isinstance(exc, BilingualError) else str(exc)


def _failure_text(exc: BaseException) -> str:
    from core.evaluator import describe_error
    from core.training.user_task import UserTaskError

    if isinstance(exc, UserTaskError):
        return tr("Training stopped: ", "训练已停止：") + _message(exc)
    info = describe_error(exc)
    if info.line is not None:
        return tr("Training stopped at ", "训练停止于 ") + info.headline
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return tr("Training stopped: ", "训练已停止：") + last


class TrainingThread(QObject):
    """Owns the worker and its QThread; the GUI talks to it through plain methods."""

    request_train = Signal()
    request_warm_up = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.thread.setObjectName("training")
        self.worker = TrainingWorker()
        self.worker.moveToThread(self.thread)
        self.request_train.connect(self.worker.train)
        self.request_warm_up.connect(self.worker.warm_up)
        self._requests: queue.Queue[TrainingRequest] = queue.Queue()
        self.worker.requests = self._requests
        self._run = 0  # the latest run asked for, whose loop commands are for
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.start()

    def send(self, command: str, value: object = None) -> None:
        """Queue a command for the latest run's loop (pause, resume, step, epoch, lr, ...).

        Commands carry that run's tag. A run can end on its own (an error in the
        learner's code) while the window still thinks it runs: a Stop sent to it
        then must not stop the next run as soon as it starts.
        """
        self.worker.commands.put((self._run, command, value))

    def start(self, request: TrainingRequest) -> None:
        self._run = request.run
        self._requests.put(request)
        self.request_train.emit()

    def warm_up(self) -> None:
        """Have the thread pay torch's one-time costs now; a Start meanwhile waits for it."""
        self.request_warm_up.emit()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop any run, end the thread and wait for it; False if it would not stop."""
        if not self.thread.isRunning():
            return True
        self.send("stop")
        self.thread.quit()
        return self.thread.wait(timeout_ms)
