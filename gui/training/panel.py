"""The training lab: pick a task, press Start, watch it learn.

The panel builds the buttons, the status row and the plots, lays them out with
the settings form, and forwards: the settings' rules, the run states, the frames'
pacing and the numbers' text live in core/training.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics
from autograd_playground.core.training.catalog import (
    CSV_TASK,
    USER_TASK,
    TrainingConfig,
    planned_steps,
)
from autograd_playground.core.training.frame_pacing import FramePacer
from autograd_playground.core.training.metrics import MetricsBatch
from autograd_playground.core.training.pacing import DEFAULT_SPEED, MAX
from autograd_playground.core.training.readout import estimate_parts, progress_text
from autograd_playground.core.training.restart import (
    RunRecord,
    can_restart,
    compared_settings,
    restart_settings,
)
from autograd_playground.core.training.run_state import (
    RESUME,
    RunState,
    pause_command,
    step_needs_new_run,
)
from autograd_playground.core.training.settings import check_settings, task_info
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.training.csv_dialog import CsvDialog
from autograd_playground.gui.training.plots import TrainingPlots
from autograd_playground.gui.training.previous_curve import previous_run_label
from autograd_playground.gui.training.settings_form import SettingsForm
from autograd_playground.gui.training.status_labels import MessageLine, ReadoutLabel
from autograd_playground.gui.training.worker import (
    REPORT_INTERVAL_S,
    TrainingRequest,
    TrainingThread,
)
from autograd_playground.gui.ui_text import tr, ui_language

# The seeds' widest readout, to lay the lab out for before any run has filled it.
_READOUT_SAMPLE = "w = [ 1.9997 -3.3996]   true [ 2.  -3.4]   error [ 0.0003 -0.0004]"
# A long progress line, to share the status row out by.
_PROGRESS_SAMPLE = "step 300/300 · epoch 3/3 · cpu · loss 2.665e-05 · 37.5 steps/s · done"


class TrainingPanel(QWidget):
    """Controls on the left, live plots on the right; training runs on its own thread."""

    state_changed = Signal(str)  # a RunState's word
    metrics_shown = Signal(object)  # MetricsBatch, after the labels took it in
    step_graph = Signal(object)  # MetricsBatch carrying a step's graph, when following
    follow_graph_changed = Signal(bool)
    settings_changed = Signal()  # any control that training_settings() reads
    frame_drawn = Signal()  # the labels and plots show every report taken in so far
    open_code_requested = Signal(str)  # the chosen task as code, for the editor

    def __init__(
        self,
        code_source=None,
        label_metrics: Callable[[], TextMetrics] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._code_source = code_source  # returns the editor's text, for the learner's own task
        # The step graphs are drawn in the window's graph view: their boxes are sized with the
        # font that view draws labels in, which the window knows; on its own, the engine's.
        self._label_metrics = label_metrics or (lambda: ENGINE_METRICS)
        self.device = "cpu"
        self.state = RunState.IDLE
        self._latest: MetricsBatch | None = None
        self._last_started_task: str | None = None
        # What the last run trained with, for Restart to go back to its start; None
        # before any run and since Reset.
        self._last_run: RunRecord | None = None
        # The plots show no run yet (or since Reset): they follow the task chosen.
        self._untrained = True
        self._run = 0  # the run whose reports the plots show
        self._warmed_up = False
        self.training = TrainingThread(self)
        worker = self.training.worker
        worker.metrics_ready.connect(self._on_metrics_ready)
        worker.state_changed.connect(self._on_state_changed)
        worker.failed.connect(self._on_failed)
        worker.notice.connect(self._on_failed)  # the message line, as a failure's

        self._build_form()
        buttons = self._build_buttons()
        self._build_status()
        self._lay_out(buttons)
        self._build_frame_timer()
        self._connect_controls()
        self._on_task_chosen()
        self._on_speed_chosen(self.speed_combo.currentIndex())
        self._show_controls(self.state)
        self.form.summarize()

    def _build_form(self) -> None:
        """The settings form, its widgets named on the panel as the app and tests know them."""
        self.form = form = SettingsForm(DEFAULT_SPEED, self)
        self.task_combo, self.description = form.task_combo, form.description
        self.lr_edit, self.optimizer_combo = form.lr_edit, form.optimizer_combo
        self.batch_spin, self.seed_spin = form.batch_spin, form.seed_spin
        self.length_spin, self.length_label = form.length_spin, form.length_label
        self.speed_combo, self.follow_check = form.speed_combo, form.follow_check
        self.settings_summary = form.summary
        self.follow_check.toggled.connect(self.set_follow_graph)
        self.settings_summary.toggled.connect(self._show_settings)
        self.csv_dialog: CsvDialog | None = None
        form.csv_row.button.clicked.connect(self.choose_csv)

    def _build_buttons(self) -> QGridLayout:
        """The row of Start, Pause, Step, Epoch, Stop, Restart and Reset."""
        self.start_button = QPushButton(tr("Start"))
        self.pause_button = QPushButton(tr("Pause"))
        self.step_button = QPushButton(tr("Step"))
        self.epoch_button = QPushButton(tr("Epoch"))
        self.stop_button = QPushButton(tr("Stop"))
        self.restart_button = QPushButton(tr("Restart"))
        self.reset_button = QPushButton(tr("Reset"))
        self.start_button.setToolTip(tr("Train from the start, with these settings"))
        self.pause_button.setToolTip(tr("Pause or resume training"))
        self.step_button.setToolTip(tr("Take one step, then wait"))
        self.epoch_button.setToolTip(tr("Finish the current epoch, then wait"))
        self.stop_button.setToolTip(tr("Stop training; the plots stay"))
        self.restart_button.setToolTip(
            tr(
                "Train again from the last run's start (its seed: the same "
                "data and initial weights) with the settings shown now; the "
                "last run's loss stays as a faint line to compare with"
            )
        )
        self.reset_button.setToolTip(tr("Back to the seed's settings; clears the plots"))
        self.code_button = QPushButton(tr("Open as code"))
        self.code_button.setToolTip(
            tr(
                "Put this task, with these settings, in the editor as plain "
                "PyTorch: the data, the model, the loss and the loop"
            )
        )
        self._button_order = [
            self.start_button,
            self.pause_button,
            self.step_button,
            self.epoch_button,
            self.stop_button,
            self.restart_button,
            self.reset_button,
            self.code_button,
        ]
        self._buttons = QGridLayout()
        self._buttons_a_row = 0  # as laid out now (_arrange_buttons)
        return self._buttons

    def _build_status(self) -> None:
        """The progress line, the readout of the parameters and the message line."""
        self.progress = QLabel(_not_started())
        # Wrapped, a long line (the speed, "done") takes a second line in a narrow window
        # instead of widening the lab and squeezing the editor beside it. The status row
        # keeps its height: the estimate beside it reserves two lines.
        self.progress.setWordWrap(True)
        self.estimate = ReadoutLabel()
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.estimate.setStyleSheet("font-family: monospace;")
        self.message = MessageLine()
        self.message.setWordWrap(True)
        set_text_role(self.message, "error")
        # Room for the seed tasks' two estimate lines, kept while empty: a status row
        # that grows or shrinks mid-run resizes every plot, and a resized plot redraws
        # its axes from scratch. A message takes the line under the progress, which
        # the estimate's second line leaves free; a message of more lines comes
        # with a halt or a failure, when training has stopped anyway.
        self.estimate.ensurePolished()
        self.estimate.setMinimumHeight(2 * self.estimate.fontMetrics().lineSpacing())

        self._progress_and_message = QVBoxLayout()
        self._progress_and_message.setSpacing(0)
        self._progress_and_message.addWidget(self.progress)
        self._progress_and_message.addWidget(self.message)
        self._progress_and_message.addStretch(1)
        self._status = QGridLayout()
        self._status.addLayout(self._progress_and_message, 0, 0)
        self._readout_beside: bool | None = None

    def _lay_out(self, buttons: QGridLayout) -> None:
        """Settings, buttons, status and plots, top to bottom."""
        self.plots = TrainingPlots()
        # A view setting, like the plots' own: it takes no row of its own there.
        self.plots.add_option(self.follow_check)
        self.plots.layers_toggled.connect(self._collect_layers)
        layout = QVBoxLayout(self)
        # Tight: at projector size every line of controls is one the plots lose.
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.form.grid.setVerticalSpacing(2)
        layout.addLayout(self.form.grid)
        layout.addLayout(buttons)
        layout.addLayout(self._status)
        layout.addWidget(self.plots, 1)
        self._arrange_controls()

    def _build_frame_timer(self) -> None:
        """The timer that draws the plots' frames, when the pacer lets it."""
        self._frames = FramePacer()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.timeout.connect(self._redraw_plots)
        self.plots.dirtied.connect(self._schedule_frame)

    def _connect_controls(self) -> None:
        """Every control to what it changes, and to settings_changed."""
        self.task_combo.currentIndexChanged.connect(self._on_task_chosen)
        self.lr_edit.editingFinished.connect(self._on_lr_edited)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_chosen)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_chosen)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button.clicked.connect(lambda: self._step("step"))
        self.epoch_button.clicked.connect(lambda: self._step("epoch"))
        self.stop_button.clicked.connect(self.stop)
        self.restart_button.clicked.connect(self.restart)
        self.reset_button.clicked.connect(self.reset)
        self.code_button.clicked.connect(self._open_as_code)
        self.length_spin.valueChanged.connect(self._show_untrained)
        self.batch_spin.valueChanged.connect(self._show_untrained)
        self.settings_changed.connect(self.form.summarize)
        self.form.changed.connect(self.settings_changed)
        self.form.announce_changes()

    # -- layout ----------------------------------------------------------------------
    def _arrange_controls(self) -> None:
        """Lay the settings out in as many columns, and the readout beside the progress
        or under it, as the lab's width has room for in the font of the moment."""
        width = self.contentsRect().width() - 2 * self.layout().spacing()
        self.form.arrange(width)
        self._arrange_buttons(width)
        self._place_readout(width)
        # The grid's own width, inside the lab's margins: the summary's lines fit that.
        grid = self.contentsRect().marginsRemoved(self.layout().contentsMargins())
        self.form.fit_text(width, grid.width())

    def _arrange_buttons(self, width: int) -> None:
        """The buttons in one row where ``width`` has room for them all at their text's
        width, else in two: squeezed, a projector's font cut their words off."""
        buttons = self._button_order
        spacing = max(self._buttons.horizontalSpacing(), 0)
        shown = [button for button in buttons if not button.isHidden()]
        needed = sum(button.sizeHint().width() for button in shown)
        needed += spacing * (len(shown) - 1)
        a_row = len(buttons) if needed <= width else -(-len(buttons) // 2)
        if a_row == self._buttons_a_row:
            return
        self._buttons_a_row = a_row
        for button in buttons:
            self._buttons.removeWidget(button)
        for index, button in enumerate(buttons):
            self._buttons.addWidget(button, *divmod(index, a_row))
        # The buttons at their own width, at the left; the room left over stays empty.
        for column in range(len(buttons) + 1):
            self._buttons.setColumnStretch(column, 1 if column == a_row else 0)

    def _place_readout(self, width: int) -> None:
        """The readout beside the progress where that leaves the progress half its
        line's width (it wraps onto a second line, at a space); else under it."""
        readout = self._readout_width()
        progress = self.progress.fontMetrics().horizontalAdvance(_PROGRESS_SAMPLE)
        beside = width - readout >= progress // 2
        self.estimate.setMinimumWidth(readout if beside else 0)
        if beside == self._readout_beside:
            return
        self._readout_beside = beside
        self._status.removeWidget(self.estimate)
        if beside:
            self._status.addWidget(self.estimate, 0, 1)
        else:
            self._status.addWidget(self.estimate, 1, 0)
        # Side by side, the readout as wide as its lines and the progress the rest.
        self._status.setColumnStretch(0, 1)
        self._status.setColumnStretch(1, 1 if beside else 0)

    def _readout_width(self) -> int:
        """The width of the readout's longest line as it is, or as a seed's usually is."""
        metrics = self.estimate.fontMetrics()
        lines = self.estimate.one_line_each() or [_READOUT_SAMPLE]
        return max(metrics.horizontalAdvance(line) for line in lines)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_controls()

    def set_presentation(self, active: bool) -> None:
        """Fold the settings into their summary line for presentation mode (a click
        opens them), or show them as usual."""
        self.settings_summary.setVisible(active)
        self.settings_summary.setChecked(not active)
        self._show_settings(not active)

    def _show_settings(self, shown: bool) -> None:
        # The plots' check boxes fold with the fields: their lines too are the plots' room.
        self.plots.show_options(shown)
        self.form.show_fields(shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self._arrange_controls()

    # -- settings --------------------------------------------------------------------
    def current_task(self) -> str:
        return self.form.current_task()

    def config(self) -> TrainingConfig:
        """Return the settings as shown."""
        return self.form.settings().config(self.device)

    def training_settings(self) -> dict:
        """Return the lab's settings as plain JSON values, as a session file keeps them."""
        return self.form.settings().as_json()

    def apply_training_settings(self, values: dict) -> list[str]:
        """Show the settings in ``values``; return why any of them was left as it was."""
        checked = check_settings(values, self.current_task())
        self.form.show_values(checked.values)
        language = ui_language()
        return [problem.message_in(language) for problem in checked.problems]

    def _on_task_chosen(self, _index: int = 0) -> None:
        self.form.show_task_defaults()
        self.code_button.setVisible(task_info(self.current_task()).classifier is not None)
        self._buttons_a_row = 0  # laid out again for the buttons shown
        # A faint line compares runs of one task; another task's plots start without it.
        self.plots.forget_previous_run()
        self._show_restartable()
        self._show_untrained()
        self.form.columns = 0  # the description and the fields' widths are new
        self._arrange_controls()

    def _show_untrained(self) -> None:
        """Before a run, lay the empty plots out for the chosen task and its length."""
        if not self._untrained:
            return
        info = task_info(self.current_task())
        self.plots.reset(
            show_fit=info.curve or self._csv_fits_a_curve(),
            show_classifier=info.classifier is not None,
        )
        self.plots.show_empty(
            planned_steps(info, self.length_spin.value(), self.batch_spin.value())
        )

    def _on_lr_edited(self) -> None:
        if self.state.takes_changes:
            self._send_lr()

    def _send_lr(self) -> None:
        """Have the run train at the rate the form shows, and note it in its record."""
        lr = self.form.lr()
        self.training.send("lr", lr)
        if self._last_run is not None:
            self._last_run.note_lr(lr)

    def _on_optimizer_chosen(self, _index: int) -> None:
        if self.state.takes_changes:
            optimizer = self.optimizer_combo.currentData()
            self.training.send("optimizer", optimizer)
            if self._last_run is not None:
                self._last_run.note_optimizer(optimizer)

    def speed(self) -> str | int:
        """Return the speed chosen: steps a second, or AUTO or MAX."""
        return self.form.speed()

    def _on_speed_chosen(self, _index: int) -> None:
        self.plots.set_paced(self.speed() != MAX)
        if self.state.takes_changes:
            self.training.send("speed", self.speed())

    def set_device(self, device: str) -> None:
        """Train on ``device`` from now on; a run in progress moves there."""
        self.device = device
        if self.state.takes_changes:
            self.training.send("device", device)

    # -- commands ----------------------------------------------------------------------
    def start(self, paused: bool = False, keep_previous: bool = False) -> None:
        """Train from the start with the settings shown (or set it up, paused).

        ``keep_previous``: the previous run's faint line, kept by restart, stays.
        """
        settings = self.form.settings()
        config = settings.config(self.device)
        if config.task == CSV_TASK and settings.csv is None:
            self.message.setText(tr("Choose a CSV file and its columns first (Data…)."))
            return
        if self.state.holds_a_run:
            self.training.send("stop")
        user_code = None
        if config.task == USER_TASK:
            user_code = self._code_source() if self._code_source is not None else ""
        self.plots.reset(
            show_fit=task_info(config.task).curve
            or config.task == USER_TASK
            or self._csv_fits_a_curve(),
            same_task=config.task == self._last_started_task,
            keep_previous=keep_previous,
            show_classifier=task_info(config.task).classifier is not None,
        )
        self._last_started_task = config.task
        self._last_run = RunRecord.started(settings)
        self._show_restartable()
        self._untrained = False
        self._run += 1
        self.message.clear()
        self.estimate.clear()
        self.progress.setText(tr("Starting…"))
        self._frames.restart()
        self.training.worker.report_interval_s = REPORT_INTERVAL_S
        self.training.start(
            TrainingRequest(
                config=config,
                user_code=user_code,
                csv_setup=settings.csv if config.task == CSV_TASK else None,
                start_paused=paused,
                speed=self.speed(),
                run=self._run,
                label_metrics=self._label_metrics(),
            )
        )

    def choose_csv(self) -> None:
        """Open the CSV chooser; the choice it is accepted with is the CSV task's data."""
        dialog = self.csv_dialog = CsvDialog(self.form.csv_row.setup, self)
        dialog.accepted.connect(lambda: self._on_csv_chosen(dialog.setup()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_csv_chosen(self, setup) -> None:
        self.form.csv_row.set_setup(setup)
        self._show_untrained()  # one feature or several: with a fit plot or without

    def _csv_fits_a_curve(self) -> bool:
        """Whether the CSV task shown draws a fit: one feature, its data under the curve."""
        setup = self.form.csv_row.setup
        return self.current_task() == CSV_TASK and setup is not None and len(setup.features) == 1

    def _open_as_code(self) -> None:
        """Ask for the chosen task, with the settings shown, as code in the editor."""
        from autograd_playground.core.training.classifier_code import classifier_code

        self.open_code_requested.emit(classifier_code(self.form.settings(), ui_language()))

    def toggle_pause(self) -> None:
        command = pause_command(self.state)
        if command == RESUME:
            if self.state is RunState.HALTED:
                self.message.clear()  # the halt is dealt with: the run goes on
            self._send_lr()
        if command is not None:
            self.training.send(command)

    def _step(self, kind: str) -> None:
        if step_needs_new_run(self.state):
            self.start(paused=True)
        elif self.state is RunState.RUNNING:
            self.training.send("pause")
        elif self.state is RunState.HALTED:
            self.message.clear()  # stepping on is dealing with the halt, as Resume is
        self.training.send(kind)

    def stop(self) -> None:
        self.training.send("stop")

    def restart(self) -> None:
        """Train again from the last run's start, with the settings shown now.

        The last run's seed gives the new run the same data, initial weights and
        batch order, whatever the seed field was changed to since: the field shows
        it again, so that the form says what trains. The last run's loss stays as
        a faint line, named by what the new run changed.
        """
        last = self._last_run
        if not can_restart(last, self.current_task()):
            return
        settings = restart_settings(self.form.settings(), last)
        self.seed_spin.setValue(settings.seed)
        kept = len(self.plots.loss_series) > 0  # a run set up and never stepped has no line
        if kept:
            self.plots.keep_previous_run(previous_run_label(compared_settings(last, settings)))
        self.start(keep_previous=kept)

    def _show_restartable(self) -> None:
        """Restart is there to press when the task shown has a last run to go back to."""
        self.restart_button.setEnabled(can_restart(self._last_run, self.current_task()))

    def reset(self) -> None:
        """Stop, restore the task's seed settings and clear the plots."""
        # Whatever the last run is doing, or is about to do (a Start a moment ago has
        # not begun while the thread warms up), it stops; the report it sends as it
        # stops belongs to it, and is not drawn over the cleared plots.
        self.training.send("stop")
        self._run += 1
        self._untrained = True
        self._last_started_task = None
        self._last_run = None
        self._on_task_chosen()
        self.progress.setText(_not_started())
        self.estimate.clear()
        self.message.clear()

    # -- frames ------------------------------------------------------------------------
    def request_frame(self) -> None:
        """Draw a frame soon, even with nothing new in it; ``frame_drawn`` follows."""
        self._schedule_frame()

    def _schedule_frame(self) -> None:
        """Show what is new in a frame: at once, or when the last frame is far enough back."""
        if not self._redraw.isActive():
            self._redraw.start(int(self._frames.wait_s() * 1000))

    def _redraw_plots(self) -> None:
        """Draw a frame: the labels and plots take in every report waiting."""
        # A running loop waits while the frame is drawn (see core.training.frame_gate).
        frame = self.training.stand_aside() if self.state is RunState.RUNNING else None
        try:
            self._update_labels()
            if self.plots.redraw() and self.isVisible():
                self.plots.paint_now()
        finally:
            if frame is not None:
                self.training.frame_drawn(frame)
        interval_s = self._frames.frame_drawn(self.training.worker.drawn_step_interval_s)
        # Reports as often as frames: a frame shows all the reports waiting, so more
        # would only cost both threads time. The parameter and gradient curves take
        # their points from the trainer's samples, however few reports a run sends.
        self.training.worker.report_interval_s = max(REPORT_INTERVAL_S, interval_s)
        self.frame_drawn.emit()

    def showEvent(self, event: QShowEvent) -> None:
        # The learner is reading the lab: time for the training thread to get ready.
        if not self._warmed_up:
            self._warmed_up = True
            self.training.warm_up()
        super().showEvent(event)

    def shutdown(self) -> bool:
        self._redraw.stop()
        return self.training.shutdown()

    # -- reports -----------------------------------------------------------------------
    def _on_metrics_ready(self) -> None:
        for batch in self.training.worker.drain(self._run):
            self._on_metrics(batch)
        self._schedule_frame()

    def _on_metrics(self, batch: MetricsBatch) -> None:
        self.plots.add(batch)
        self._latest = batch
        if batch.halted:
            self.message.setText(batch.halted_in(ui_language()))
        if batch.graph is not None and self.follow_check.isChecked():
            self.step_graph.emit(batch)
        self.metrics_shown.emit(batch)

    def _collect_layers(self, collect: bool) -> None:
        """Have the trainer collect the layer statistics while they are shown."""
        self.training.worker.collect_layers = collect

    def set_follow_graph(self, follow: bool) -> None:
        """Have the worker send each few steps' graph, for the Graph tab."""
        self.training.worker.follow_graph = follow
        if self.follow_check.isChecked() != follow:
            self.follow_check.setChecked(follow)
        self.follow_graph_changed.emit(follow)

    def _update_labels(self) -> None:
        """Show the latest report in the labels (with the plots, not at every report:
        a label whose text changes re-lays out, and so repaints, the whole panel)."""
        batch, self._latest = self._latest, None
        if batch is None:
            return
        language = ui_language()
        self.progress.setText(progress_text(batch, language))
        self.estimate.set_parts(estimate_parts(batch, language))

    def _on_state_changed(self, state: str) -> None:
        self.state = RunState(state)
        self._show_controls(self.state)
        if self.state is RunState.FINISHED:
            self._update_labels()
            self.progress.setText(self.progress.text() + tr(" · done"))
        self.state_changed.emit(self.state)

    def _show_controls(self, state: RunState) -> None:
        held = state.waits_for_resume
        self.pause_button.setText(tr("Resume") if held else tr("Pause"))
        self.pause_button.setEnabled(state.takes_changes)
        self.stop_button.setEnabled(state.takes_changes)

    def _on_failed(self, message: str) -> None:
        self.message.setText(message)


def _not_started() -> str:
    return tr("Not started.")
