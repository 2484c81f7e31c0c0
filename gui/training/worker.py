"""The training loop on its own QThread, driven by commands, paced to the lab's speed."""

from __future__ import annotations

import queue
import time
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics
from autograd_playground.core.run.torch_threads import release_thread_pool
from autograd_playground.core.training.frame_gate import FrameGate
from autograd_playground.core.training.pacing import AUTO, MAX, StepPacer, target_rate
from autograd_playground.core.training.run_state import RunState
from autograd_playground.core.training.step_rate import StepRate
from autograd_playground.gui.ui_text import tr, ui_language

REPORT_INTERVAL_S = 1 / 30  # the most often a report goes out
# Reading a step's whole graph costs more than a loss value: a few times a second
# keeps a following graph view live without slowing training.
GRAPH_INTERVAL_S = 0.25
# The loop looks at the clock (and so may report) after steps taking about this long
# in all. The Trainer checks for commands before every step however many it takes.
CHUNK_S = 0.004
MAX_CHUNK = 1024
# The command that has the loop wait while the window draws a frame (see frame_gate).
FRAME = "frame"
# A wait between paced steps this long lets torch's helper threads go (see
# release_thread_pool): long beside starting them anew at the next step.
IDLE_S = 0.05


@dataclass
class TrainingRequest:
    """What to train: a seed task's config, or the editor's code for the learner's own."""

    config: object  # core.training.tasks.TrainingConfig
    user_code: str | None = None
    csv_setup: object | None = None  # core.training.csv_data.CsvSetup, for the CSV task
    start_paused: bool = False
    # Steps a second (one of core.training.pacing.SPEEDS): MAX unless asked to go slower.
    speed: str | int = MAX
    # Tags this run's reports: the last run's final report, sent as it stops,
    # can arrive after the next run has started and must not be drawn in it.
    run: int = 0
    # The font the step graph's labels are drawn in, for boxes that fit them.
    label_metrics: TextMetrics = ENGINE_METRICS


@dataclass
class _LoopTimes:
    """A running loop's clock readings and its chunk of steps between readings."""

    # The first step's report and graph go out at once: the curves drawn from reports
    # (a classifier's accuracy) start where the run starts, however short it is.
    last_report: float = float("-inf")
    last_graph: float = float("-inf")
    timing: bool = False  # whether steps are being timed: not while paused or on a command
    chunk: int = 1

    def fit_chunk(self, spent: float) -> None:
        """Steps between two looks at the clock: about CHUNK_S of them."""
        if spent < CHUNK_S / 2 and self.chunk < MAX_CHUNK:
            self.chunk *= 2
        elif spent > CHUNK_S * 2 and self.chunk > 1:
            self.chunk //= 2


class TrainingWorker(QObject):
    """Runs one Trainer at a time. Commands arrive through a thread-safe queue, because
    the loop keeps this thread busy and queued Qt signals would wait behind it."""

    # Reports wait in ``outbox``; the signal only says there is something to drain, so
    # the GUI takes every waiting report at once and no Python object crosses Qt's queue.
    metrics_ready = Signal()
    state_changed = Signal(str)  # a RunState: running, paused, finished, halted, stopped
    failed = Signal(str)
    # What the learner should know that is not a failure: NumPy's task on the CPU.
    notice = Signal(str)

    def __init__(self) -> None:
        super().__init__()  # no parent: moveToThread refuses objects that have one
        self.commands: queue.Queue[tuple[str, object]] = queue.Queue()
        self.outbox: queue.Queue = queue.Queue()
        # Set from the GUI thread: a bool or a float is read and written atomically.
        self.follow_graph = False
        self.collect_layers = False  # the layer statistics, while the lab shows them
        # Reports more frequent than the plots are redrawn would only cost both
        # threads time: the panel sets this to its redraw interval.
        self.report_interval_s = REPORT_INTERVAL_S
        self._run = 0
        self._rate = StepRate()  # the running loop's own, made anew for each run
        self._pacer = StepPacer()  # likewise
        self._speed: str | int = MAX
        # Where a paced Epoch pauses, while one runs: the end of the epoch it began in.
        self._epoch_end: int | None = None
        # The time between steps when the run paces them slowly enough for each to be
        # reported and drawn on its own, else None: the panel then draws every report.
        self.drawn_step_interval_s: float | None = None
        self.warmed_up = False
        self._warm_devices: set[str] = set()  # the CUDA devices warmed up
        self.frames = FrameGate()

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

        The first optimizer a process makes imports torch._dynamo, which takes long
        enough that the first run of a task with one would sit on "Starting…".
        """
        import torch

        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        if torch.cuda.is_available():  # the CUDA context, so a first Start on a GPU is fast
            self._warm("cuda:0")
        self.warmed_up = True

    def _warm(self, device: str) -> None:
        """Pay ``device``'s one-time costs (a CUDA context) once, before any timed step."""
        from autograd_playground.core.run.devices import warm_up_device

        if device not in self._warm_devices:
            warm_up_device(device)
            self._warm_devices.add(device)

    @Slot()
    def train(self) -> None:
        try:
            self._train(self.requests.get())
        finally:  # the run is over: its torch helper threads go, for the editor's code
            release_thread_pool()

    def _train(self, request: TrainingRequest) -> None:
        self._run = request.run
        self._speed = request.speed
        try:
            trainer = self._build(request)
        except Exception as exc:  # the learner's code may raise anything
            self.failed.emit(_message(exc))
            self.state_changed.emit(RunState.STOPPED)
            return
        self._tell_where_numpy_trains(trainer, request.config.device)
        self._loop(trainer, running=not request.start_paused)

    def _tell_where_numpy_trains(self, trainer, chosen: str) -> None:
        """Say so when the task trains elsewhere than the device chosen: NumPy's runs
        on the CPU whatever the device, and its progress line says cpu."""
        if trainer.device != chosen:
            self.notice.emit(
                tr(
                    "NumPy trains on the CPU: this task stays there on any "
                    "device. {device} trains the torch tasks.",
                    device=chosen,
                )
            )

    def _build(self, request: TrainingRequest):
        from autograd_playground.core.run.devices import check_device
        from autograd_playground.core.run.seeding import seed_everything
        from autograd_playground.core.training.catalog import USER_INFO
        from autograd_playground.core.training.trainer import Trainer
        from autograd_playground.core.training.user_task import build_user_task

        config = request.config
        problem = check_device(config.device, ui_language())
        if problem is not None:
            raise ValueError(tr("Cannot train on {device}: ", device=config.device) + problem)
        self._warm(config.device)
        if request.csv_setup is not None:
            return self._build_csv(request)
        if request.user_code is None:
            return Trainer(config, label_metrics=request.label_metrics)
        from autograd_playground.core.run.evaluator import Evaluator

        seed_everything(config.seed)  # seeded here: generators are per thread on CUDA
        evaluator = Evaluator(device=config.device)
        result = evaluator.run(request.user_code)
        if result.error is not None:
            raise ValueError(tr("Your code failed before training: ") + result.error.headline)
        state = build_user_task(evaluator.user_names(), config)
        return Trainer(config, state=state, info=USER_INFO, label_metrics=request.label_metrics)

    def _build_csv(self, request: TrainingRequest):
        """The CSV task's trainer, its file read here, off the GUI thread."""
        from autograd_playground.core.run.seeding import seed_everything
        from autograd_playground.core.training.catalog import CSV_INFO
        from autograd_playground.core.training.csv_data import load_csv
        from autograd_playground.core.training.csv_task import build_csv_task
        from autograd_playground.core.training.trainer import Trainer

        config, setup = request.config, request.csv_setup
        data = load_csv(setup)
        if data.note is not None:
            self.notice.emit(data.note.in_language(ui_language()))
        seed_everything(config.seed)  # the initial weights, as the seed tasks': here
        state = build_csv_task(data, setup.model, config)
        return Trainer(config, state=state, info=CSV_INFO, label_metrics=request.label_metrics)

    def _loop(self, trainer, running: bool) -> None:
        self.state_changed.emit(RunState.RUNNING if running else RunState.PAUSED)
        self._rate = StepRate()
        self._pacer = StepPacer(target_rate(self._speed, trainer.total_steps, trainer.step_index))
        self._epoch_end = None
        self._note_drawn_steps()
        times = _LoopTimes()
        done = trainer.done
        commands = self.commands.queue  # read without the queue's lock: see below
        while True:
            wait_s = None  # no step to come: wait for a command however long it takes
            # A deque's length is read atomically; Queue.empty() would take a lock
            # at every step of a loop whose steps take a tenth of a millisecond.
            if running and not done and not commands:
                now = _clock(trainer)
                count = self._pacer.due(now)
                if count:
                    outcome = self._advance(trainer, times, now, count)
                    if outcome is None:
                        return
                    running, done = outcome
                    continue
                # Paced: the next step is due later. A command may come first, so the
                # wait is on the queue, and Stop or Pause is carried out at once.
                wait_s = self._pacer.wait_s(now)
            elif commands and commands[0][1] == FRAME:
                # Only this thread takes commands out: the first stays first. The
                # wait is the run's time, as the steps are: the clock runs on.
                self.frames.wait(self.commands.get()[2])
                continue
            else:
                self._stop_timing(trainer, times)
            if wait_s is None or wait_s > IDLE_S:  # the editor's code may want the cores
                release_thread_pool()
            try:
                run, name, value = self.commands.get(timeout=wait_s)
            except queue.Empty:
                continue  # the next paced step is due
            if name == FRAME:  # come while paced or paused: no step was cut short
                self.frames.wait(value)
                continue
            if run != self._run:
                continue  # meant for a run that had already ended: see TrainingThread.send
            if name == "stop":
                self._report(trainer)
                self.state_changed.emit(RunState.STOPPED)
                return
            self._stop_timing(trainer, times)  # carrying out a command is not stepping
            running = self._apply(trainer, name, value, running)
            done = trainer.done

    def _stop_timing(self, trainer, times: _LoopTimes) -> None:
        """The clock stops: a pause, a command, or the end. A paced step owns the
        interval after it, which is cut short: it is left out rather than counted
        as a step in a fraction of its time."""
        if times.timing and not self._pacer.limited:
            self._rate.note(trainer.step_index, _clock(trainer))
        times.timing = False

    def _advance(self, trainer, times: _LoopTimes, now: float, count: int):
        """Take the steps due at ``now`` (up to ``count``) and report when it is time.

        Return whether the loop keeps running and whether training is done, or None
        once the run has failed and ended.
        """
        pacer, rate = self._pacer, self._rate
        trainer.collect_layers = self.collect_layers
        if not times.timing:
            rate.restart(trainer.step_index, now)
            times.timing = True
        elif pacer.limited:  # the interval the last paced steps owned ends now
            rate.note(trainer.step_index, now)
        count = min(count, times.chunk)
        if self._epoch_end is not None:
            count = min(count, self._epoch_end - trainer.step_index)
        due = pacer.reports_every_step or now - times.last_report >= self.report_interval_s
        graph_due = self.follow_graph and now - times.last_graph >= GRAPH_INTERVAL_S
        if graph_due:
            times.last_graph = now
            due = True
        before = trainer.step_index
        try:
            if due:  # the report's step keeps its gradient norms (and graph)
                if pacer.limited and count > 1:  # a paced loop catching up
                    trainer.run(count - 1, self.commands.queue)
                done = trainer.step(record=True, record_graph=graph_due)
            else:
                done = trainer.run(count, self.commands.queue)
                times.fit_chunk(_clock(trainer) - now)
        except Exception as exc:  # the learner's code may raise anything: report it
            if self._paused_for_memory(trainer, exc):
                return False, trainer.done
            self.failed.emit(_failure_text(exc))
            self._report(trainer)
            self.state_changed.emit(RunState.STOPPED)
            return None
        if self._speed == AUTO:  # Auto quickens as the run goes on
            pacer.rate = target_rate(AUTO, trainer.total_steps, trainer.step_index)
            self._note_drawn_steps()
        pacer.took(trainer.step_index - before, now)
        epoch_ended = self._epoch_end is not None and trainer.step_index >= self._epoch_end
        if not (due or done or epoch_ended):
            return True, done
        times.last_report = now
        if not pacer.limited:
            rate.note(trainer.step_index, _clock(trainer))
        self._report(trainer)  # a NaN found here halts the trainer
        if trainer.done:
            self.state_changed.emit(RunState.HALTED if trainer.halted else RunState.FINISHED)
            return False, True
        if epoch_ended:
            self._epoch_end = None
            self.state_changed.emit(RunState.PAUSED)
            return False, False
        return True, False

    def _apply(self, trainer, name: str, value: object, running: bool) -> bool:
        """Carry out one command; return whether the loop should keep stepping."""
        if name in ("pause", "resume", "step", "epoch"):
            self._epoch_end = None  # a paced epoch's end no longer stops the loop
        try:
            if name == "pause":
                self._report(trainer)
                self.state_changed.emit(RunState.PAUSED)
                return False
            if name == "resume":
                self._pacer.restart()  # the first step after a pause comes at once
                if trainer.halted:
                    trainer.resume_after_halt()
                if trainer.done:
                    return False
                self.state_changed.emit(RunState.RUNNING)
                return True
            if name in ("step", "epoch"):
                if trainer.halted:
                    trainer.resume_after_halt()
                if name == "epoch" and self._pacer.limited and not trainer.done:
                    return self._run_to_epoch_end(trainer)
                self._rate.restart(trainer.step_index, _clock(trainer))
                trainer.collect_layers = self.collect_layers
                if name == "step":
                    trainer.step(record_graph=self.follow_graph)
                else:
                    trainer.run_epoch()
                self._rate.note(trainer.step_index, _clock(trainer))
                self._report(trainer)
                self.state_changed.emit(RunState.FINISHED if trainer.done else RunState.PAUSED)
                return False
            if name == "speed":
                self._set_speed(trainer, value)
            elif name == "lr":
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

    def _run_to_epoch_end(self, trainer) -> bool:
        """Run on, paced, to the end of the current epoch and pause there: at a speed
        chosen for watching, an epoch is watched step by step as a whole run is."""
        self._epoch_end = min(trainer.total_steps, (trainer.epoch + 1) * trainer.steps_per_epoch)
        self._pacer.restart()
        self.state_changed.emit(RunState.RUNNING)
        return True

    def _set_speed(self, trainer, speed: str | int) -> None:
        """Pace the run at ``speed`` from its next step on."""
        self._speed = speed
        self._pacer.set_rate(target_rate(speed, trainer.total_steps, trainer.step_index))
        self._note_drawn_steps()

    def _note_drawn_steps(self) -> None:
        pacer = self._pacer
        self.drawn_step_interval_s = 1 / pacer.rate if pacer.reports_every_step else None

    def _paused_for_memory(self, trainer, exc: Exception) -> bool:
        """Pause on out-of-memory, keeping what was learned; False for any other error."""
        from autograd_playground.core.run.devices import (
            is_out_of_memory,
            out_of_memory_advice,
            release_cached_memory,
        )

        if not is_out_of_memory(exc):
            return False
        device = trainer.device
        release_cached_memory(device)
        self.failed.emit(out_of_memory_advice(exc, device, ui_language()))
        self._report(trainer)
        self.state_changed.emit(RunState.PAUSED)
        return True

    def _move(self, trainer, device: str) -> None:
        """Move the run to ``device``; one that cannot go there trains on where it was,
        whole, and the message line says so."""
        from autograd_playground.core.run.devices import check_device
        from autograd_playground.core.training.placement import MoveFailed

        problem = check_device(device, ui_language())
        if problem is not None:
            raise ValueError(tr("Stayed on {device}: ", device=trainer.device) + problem)
        try:  # the move warms the device up first: the steps timed after it are warm
            trainer.move_to(device)
        except MoveFailed as exc:
            self.failed.emit(_message(exc))
        else:
            self._tell_where_numpy_trains(trainer, device)
        self._report(trainer)

    def _report(self, trainer) -> None:
        batch = trainer.collect()
        batch.steps_per_s = self._rate.value
        self.outbox.put((self._run, batch))
        self.metrics_ready.emit()


def _clock(trainer) -> float:
    """The time once the steps queued on the trainer's device have run: on a GPU a
    step returns when its kernels are queued, and timing that would time launches."""
    trainer.synchronize()
    return time.monotonic()


def _message(exc: BaseException) -> str:
    """The app's own messages in the app's language; Python's own text as it is."""
    from autograd_playground.core.i18n.localized_error import LocalizedError

    return exc.message_in(ui_language()) if isinstance(exc, LocalizedError) else str(exc)


def _failure_text(exc: BaseException) -> str:
    from autograd_playground.core.run.evaluator import describe_error
    from autograd_playground.core.training.user_task import UserTaskError

    if isinstance(exc, UserTaskError):
        return tr("Training stopped: ") + _message(exc)
    info = describe_error(exc)
    if info.line is not None:
        return tr("Training stopped at ") + info.headline
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return tr("Training stopped: ") + last


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

    def stand_aside(self) -> int:
        """Have the running loop wait while the window draws a frame, from its next
        step on; return the frame's number, for ``frame_drawn``."""
        frame = self.worker.frames.begin()
        self.send(FRAME, frame)
        return frame

    def frame_drawn(self, frame: int) -> None:
        """Frame ``frame`` is drawn: the loop, if it waits for it, goes on."""
        self.worker.frames.end(frame)

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
