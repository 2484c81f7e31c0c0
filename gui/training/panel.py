"""The training lab: pick a task, press Start, watch it learn."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from autograd_playground.core.i18n.bilingual import pick
from autograd_playground.core.training.catalog import (
    MANUAL,
    TASK_INFOS,
    USER_INFO,
    USER_TASK,
    TaskInfo,
    TrainingConfig,
    planned_steps,
)
from autograd_playground.core.training.halt import loss_text
from autograd_playground.core.training.metrics import MetricsBatch
from autograd_playground.core.training.pacing import (
    AUTO,
    AUTO_RUN_S,
    DEFAULT_SPEED,
    MAX,
    SPEEDS,
    is_speed,
)
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.training.plots import TrainingPlots
from autograd_playground.gui.training.worker import (
    REPORT_INTERVAL_S,
    TrainingRequest,
    TrainingThread,
)
from autograd_playground.gui.ui_text import tr, ui_language
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

REDRAW_MS = 33
MAX_REDRAW_MS = 250  # at least four frames a second, however busy
# While training, the GUI thread's CPU (paints, reports, labels: all of it) takes
# at most this share of the time; each of its milliseconds holds the GIL that the
# training thread needs at every torch call. benchmarks/training.py measures what a
# frame costs and the frame rate this share leaves.
GUI_CPU_SHARE = 0.03


def optimizer_names() -> dict[str, str]:
    """Return each optimizer's name as the optimizer list shows it, in the app's language."""
    return {
        MANUAL: tr("the seed's own update", "教程自带的更新"),
        "sgd": "SGD",
        "momentum": tr("SGD with momentum 0.9", "SGD，动量 0.9"),
        "adam": "Adam",
    }


def speed_names() -> dict[str | int, str]:
    """Return each speed as the speed list shows it, in the app's language."""
    names: dict[str | int, str] = {
        # Short, for a combo that must show its whole text at projector size: the
        # speed list's tooltip says what each means.
        AUTO: tr(f"Auto (≈ {AUTO_RUN_S:g} s)", f"自动（约 {AUTO_RUN_S:g} 秒）"),
        MAX: tr("Max", "最快"),
    }
    for speed in SPEEDS:
        if isinstance(speed, int):
            names[speed] = tr(f"{speed:,} steps/s", f"每秒 {speed:,} 步")
    return {speed: names[speed] for speed in SPEEDS}


def task_info(key: str) -> TaskInfo:
    """Return the task ``key`` names: a seed task, or the learner's own."""
    return USER_INFO if key == USER_TASK else TASK_INFOS[key]


class TrainingPanel(QWidget):
    """Controls on the left, live plots on the right; training runs on its own thread."""

    state_changed = Signal(str)
    metrics_shown = Signal(object)  # MetricsBatch, after the labels took it in
    step_graph = Signal(object)  # MetricsBatch carrying a step's graph, when following
    follow_graph_changed = Signal(bool)
    settings_changed = Signal()  # any control that training_settings() reads
    frame_drawn = Signal()  # the labels and plots show every report taken in so far

    def __init__(self, code_source=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code_source = code_source  # returns the editor's text, for the learner's own task
        self.device = "cpu"
        self.state = "idle"
        self._latest: MetricsBatch | None = None
        self._last_started_task: str | None = None
        # The plots show no run yet (or since Reset): they follow the task chosen.
        self._untrained = True
        self._run = 0  # the run whose reports the plots show
        self._warmed_up = False
        self.training = TrainingThread(self)
        worker = self.training.worker
        worker.metrics_ready.connect(self._on_metrics_ready)
        worker.state_changed.connect(self._on_state_changed)
        worker.failed.connect(self._on_failed)

        self._build_fields()
        self._build_view_controls()
        self._build_settings()
        buttons = self._build_buttons()
        self._build_status()
        self._lay_out(buttons)
        self._build_frame_timer()
        self._connect_controls()
        self._on_task_chosen()
        self._on_speed_chosen(self.speed_combo.currentIndex())
        self._show_controls(self.state)
        self._summarize_settings()

    def _build_fields(self) -> None:
        """The task list, its description and the settings' fields."""
        language = ui_language()
        self.task_combo = QComboBox()
        for key, info in TASK_INFOS.items():
            self.task_combo.addItem(info.title_in(language), key)
        self.task_combo.addItem(USER_INFO.title_in(language), USER_TASK)
        self.description = QLabel()
        self.description.setWordWrap(True)
        set_text_role(self.description, "muted")
        self.lr_edit = QLineEdit()
        validator = QDoubleValidator(1e-12, 1e6, 12)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.lr_edit.setValidator(validator)
        self.lr_edit.setToolTip(
            tr(
                "The learning rate; it can change while training runs.",
                "学习率；训练时也可以修改。",
            )
        )
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 100_000)
        self.batch_spin.setSpecialValueText(tr("whole data set", "全部数据"))
        self.length_spin = QSpinBox()
        self.length_spin.setRange(1, 10_000_000)
        self.length_label = QLabel()
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setToolTip(
            tr(
                "The update rule; it can change while training runs.",
                "参数更新规则；训练时也可以修改。",
            )
        )
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)

    def _build_view_controls(self) -> None:
        """How training is shown: following the graph, and at what speed."""
        self.follow_check = QCheckBox(tr("Graph tab follows training", "计算图标签页跟随训练"))
        self.follow_check.setToolTip(
            tr(
                "Show the autograd graph of the latest step, with its gradients, in the Graph tab "
                "(a few times a second)",
                "在“计算图”标签页中显示最新一步的 autograd 计算图及其梯度（每秒刷新几次）",
            )
        )
        self.follow_check.toggled.connect(self.set_follow_graph)
        self.speed_combo = QComboBox()
        for speed, name in speed_names().items():
            self.speed_combo.addItem(name, speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.speed_combo.setToolTip(
            tr(
                "Training steps a second, so that a class can watch the fit form: Auto paces "
                f"any run to last about {AUTO_RUN_S:g} s, 1 to 30 steps/s draw every step, Max "
                "trains as fast as the machine can. It can change while training runs.",
                "每秒训练的步数，让全班看清拟合的形成过程：“自动”让一次训练持续约 "
                f"{AUTO_RUN_S:g} 秒，每秒 1 到 30 步时每一步都会画出来，“最快”则全速训练。"
                "训练时也可以修改。",
            )
        )

    def _build_settings(self) -> None:
        """The settings' labels in layout order, their grid and its folded summary."""
        for combo in (self.optimizer_combo, self.speed_combo):
            # As wide as the longest entry in the font of the moment (presentation
            # mode's too), never narrower than its text.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        speed_label = QLabel(tr("Speed", "速度"))
        speed_label.setBuddy(self.speed_combo)
        # Label and field, in the order they are laid out: in three pairs a row
        # where the lab is wide, in two where it is narrow (a projector's font).
        self._fields = [
            (QLabel(tr("Learning rate", "学习率")), self.lr_edit),
            (QLabel(tr("Optimizer", "优化器")), self.optimizer_combo),
            (QLabel(tr("Batch size", "批量大小")), self.batch_spin),
            (self.length_label, self.length_spin),
            (speed_label, self.speed_combo),
            (QLabel(tr("Seed", "随机种子")), self.seed_spin),
        ]
        self._task_label = QLabel(tr("Task", "任务"))
        self._settings = QGridLayout()
        self._columns = 0  # field pairs a row, as laid out now
        # In presentation mode the fields fold into this one line, which opens them:
        # at a projector's size their rows are height the plots need.
        self.settings_summary = _SummaryButton()
        self.settings_summary.setCheckable(True)
        self.settings_summary.setChecked(True)
        self.settings_summary.setToolTip(
            tr("Show or hide the training settings", "显示或隐藏训练设置")
        )
        self.settings_summary.toggled.connect(self._show_settings)
        self.settings_summary.hide()

    def _build_buttons(self) -> QHBoxLayout:
        """The row of Start, Pause, Step, Epoch, Stop and Reset."""
        self.start_button = QPushButton(tr("Start", "开始"))
        self.pause_button = QPushButton(tr("Pause", "暂停"))
        self.step_button = QPushButton(tr("Step", "单步"))
        self.epoch_button = QPushButton(tr("Epoch", "一轮"))
        self.stop_button = QPushButton(tr("Stop", "停止"))
        self.reset_button = QPushButton(tr("Reset", "重置"))
        self.start_button.setToolTip(
            tr("Train from the start, with these settings", "用这些设置从头开始训练")
        )
        self.pause_button.setToolTip(tr("Pause or resume training", "暂停或继续训练"))
        self.step_button.setToolTip(tr("Take one step, then wait", "走一步，然后等待"))
        self.epoch_button.setToolTip(
            tr("Finish the current epoch, then wait", "完成当前这一轮，然后等待")
        )
        self.stop_button.setToolTip(tr("Stop training; the plots stay", "停止训练；图表保留"))
        self.reset_button.setToolTip(
            tr("Back to the seed's settings; clears the plots", "恢复教程的默认设置；清空图表")
        )
        buttons = QHBoxLayout()
        for button in (
            self.start_button,
            self.pause_button,
            self.step_button,
            self.epoch_button,
            self.stop_button,
            self.reset_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        return buttons

    def _build_status(self) -> None:
        """The progress line, the readout of the parameters and the message line."""
        self.progress = QLabel(_not_started())
        # Wrapped, a long line (the speed, "done") takes a second line in a narrow window
        # instead of widening the lab and squeezing the editor beside it. The status row
        # keeps its height: the estimate beside it reserves two lines.
        self.progress.setWordWrap(True)
        self.estimate = _Readout()
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.estimate.setStyleSheet("font-family: monospace;")
        self.message = _MessageLine()
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

    def _lay_out(self, buttons: QHBoxLayout) -> None:
        """Settings, buttons, status and plots, top to bottom."""
        self.plots = TrainingPlots()
        # A view setting, like the plots' own: it takes no row of its own there.
        self.plots.add_option(self.follow_check)
        layout = QVBoxLayout(self)
        # Tight: at projector size every line of controls is one the plots lose.
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self._settings.setVerticalSpacing(2)
        layout.addLayout(self._settings)
        layout.addLayout(buttons)
        layout.addLayout(self._status)
        layout.addWidget(self.plots, 1)
        self._arrange_controls()

    def _build_frame_timer(self) -> None:
        """The timer that draws the plots' frames."""
        self._cpu_at_redraw = time.thread_time()
        # Frames are drawn when there is something new, and no sooner than this
        # (time.monotonic()): an idle lab wakes no thread.
        self._frame_due = 0.0
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
        self.reset_button.clicked.connect(self.reset)
        self.length_spin.valueChanged.connect(self._show_untrained)
        self.batch_spin.valueChanged.connect(self._show_untrained)
        self.settings_changed.connect(self._summarize_settings)
        for changed in (
            self.task_combo.currentIndexChanged,
            self.lr_edit.textChanged,
            self.batch_spin.valueChanged,
            self.length_spin.valueChanged,
            self.optimizer_combo.currentIndexChanged,
            self.seed_spin.valueChanged,
            self.follow_check.toggled,
            self.speed_combo.currentIndexChanged,
        ):
            changed.connect(self.settings_changed)

    # -- layout ----------------------------------------------------------------------
    def _arrange_controls(self) -> None:
        """Lay the settings out in as many columns, and the readout beside the progress
        or under it, as the lab's width has room for in the font of the moment."""
        width = self.contentsRect().width() - 2 * self.layout().spacing()
        for combo in (self.optimizer_combo, self.speed_combo):
            # The layout may squeeze a combo below its longest entry: never below its text.
            combo.setMinimumWidth(combo.sizeHint().width())
        columns = 3 if width >= self._fields_width(3) else 2
        if columns != self._columns:
            self._columns = columns
            self._lay_out_settings(columns)
        # Beside the progress where that leaves the progress half its line's width
        # (it wraps onto a second line, at a space); else under it.
        readout = self._readout_width()
        progress = self.progress.fontMetrics().horizontalAdvance(_PROGRESS_SAMPLE)
        beside = width - readout >= progress // 2
        self.estimate.setMinimumWidth(readout if beside else 0)
        if beside != self._readout_beside:
            self._readout_beside = beside
            self._status.removeWidget(self.estimate)
            if beside:
                self._status.addWidget(self.estimate, 0, 1)
            else:
                self._status.addWidget(self.estimate, 1, 0)
            # Side by side, the readout as wide as its lines and the progress the rest.
            self._status.setColumnStretch(0, 1)
            self._status.setColumnStretch(1, 1 if beside else 0)
        # A wrapped label's height for its width is not asked by the layouts above
        # the lab's tab: without this the description's lines are cut off.
        self.description.setMinimumHeight(max(0, self.description.heightForWidth(width)))
        # The grid's own width, inside the lab's margins: the summary's lines fit that.
        grid = self.contentsRect().marginsRemoved(self.layout().contentsMargins())
        self.settings_summary.set_room(grid.width())

    def _fields_in_order(self, columns: int) -> list[tuple[QWidget, QWidget]]:
        """The field pairs in the order ``columns`` pairs a row lays them out."""
        if columns == 3:
            return list(self._fields)
        # Two a row: the widest fields (the optimizer's list, the batch size's
        # "whole data set") share the right-hand column, so that the rows fit the
        # lab beside a projector's editor.
        rate, optimizer, batch, length, speed, seed = self._fields
        return [rate, optimizer, length, batch, speed, seed]

    def _fields_width(self, columns: int) -> int:
        """The least width the settings take laid out ``columns`` pairs a row."""
        spacing = max(self._settings.horizontalSpacing(), 0)
        fields = self._fields_in_order(columns)
        if columns == 3:
            fields = fields[1:]  # the learning rate sits beside the task
        widths = [0] * (2 * columns)
        for index, (label, field) in enumerate(fields):
            column = 2 * (index % columns)
            widths[column] = max(widths[column], label.sizeHint().width())
            least = max(field.minimumSizeHint().width(), field.minimumWidth())
            widths[column + 1] = max(widths[column + 1], least)
        task = self._task_label.sizeHint().width() + self.task_combo.minimumSizeHint().width()
        return max(sum(widths) + (2 * columns - 1) * spacing, task)

    def _readout_width(self) -> int:
        """The width of the readout's longest line as it is, or as a seed's usually is."""
        metrics = self.estimate.fontMetrics()
        lines = self.estimate.one_line_each() or [_READOUT_SAMPLE]
        return max(metrics.horizontalAdvance(line) for line in lines)

    def _lay_out_settings(self, columns: int) -> None:
        grid = self._settings
        for widget in (self._task_label, self.task_combo, self.description, self.settings_summary):
            grid.removeWidget(widget)
        for label, field in self._fields:
            grid.removeWidget(label)
            grid.removeWidget(field)
        span = 2 * columns
        fields = self._fields_in_order(columns)
        grid.addWidget(self._task_label, 0, 0)
        if columns == 3:  # the learning rate beside the task
            grid.addWidget(self.task_combo, 0, 1, 1, span - 3)
            label, field = fields.pop(0)
            grid.addWidget(label, 0, span - 2)
            grid.addWidget(field, 0, span - 1)
        else:
            grid.addWidget(self.task_combo, 0, 1, 1, span - 1)
        grid.addWidget(self.description, 1, 0, 1, span)
        grid.addWidget(self.settings_summary, 2, 0, 1, span, Qt.AlignmentFlag.AlignLeft)
        for index, (label, field) in enumerate(fields):
            row, column = 3 + index // columns, 2 * (index % columns)
            grid.addWidget(label, row, column)
            grid.addWidget(field, row, column + 1)
        for column in range(6):
            grid.setColumnStretch(column, column % 2 if column < span else 0)

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
        # The task's description and the plots' check boxes fold with them: their
        # lines too are the plots' room, and the task's name stays in view.
        self.description.setVisible(shown)
        self.plots.show_options(shown)
        for label, field in self._fields:
            label.setVisible(shown)
            field.setVisible(shown)
        self._summarize_settings()

    def _summarize_settings(self) -> None:
        """Say the settings on the summary line, behind an arrow that says it opens."""
        shown = self.settings_summary.isChecked()
        arrow = "▾" if shown else "▸"
        length = self.length_spin.value()
        if self.batch_spin.isEnabled():
            length_text = tr(f"{length:,} epochs", f"{length:,} 轮")
        else:
            length_text = tr(f"{length:,} iterations", f"{length:,} 次迭代")
        parts = [
            f"{arrow} "
            + tr(f"Settings: lr {self.lr_edit.text()}", f"设置：学习率 {self.lr_edit.text()}"),
            self.optimizer_combo.currentText(),
            length_text,
        ]
        if self.batch_spin.isEnabled():
            parts.append(tr(f"batch {self.batch_spin.value()}", f"批量 {self.batch_spin.value()}"))
        parts.append(self.speed_combo.currentText())
        self.settings_summary.set_parts(parts)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self._arrange_controls()

    # -- settings --------------------------------------------------------------------
    def current_task(self) -> str:
        return self.task_combo.currentData()

    def config(self) -> TrainingConfig:
        """Return the settings as shown."""
        return TrainingConfig(
            task=self.current_task(),
            lr=self._lr(),
            batch_size=self.batch_spin.value(),
            length=self.length_spin.value(),
            optimizer=self.optimizer_combo.currentData(),
            seed=self.seed_spin.value(),
            device=self.device,
        )

    def training_settings(self) -> dict:
        """Return the lab's settings as plain JSON values, as a session file keeps them."""
        return {
            "task": self.current_task(),
            "lr": self._lr(),
            "batch_size": self.batch_spin.value(),
            "length": self.length_spin.value(),
            "optimizer": self.optimizer_combo.currentData(),
            "seed": self.seed_spin.value(),
            "follow_graph": self.follow_check.isChecked(),
            "speed": self.speed(),
        }

    def apply_training_settings(self, values: dict) -> list[str]:
        """Show the settings in ``values``; return why any of them was left as it was."""
        values = dict(values)
        task, optimizer = values.pop("task", None), values.pop("optimizer", None)
        outcomes = [
            # The task first: it decides which optimizers are offered.
            _choose(
                self.task_combo,
                task,
                lambda: tr(
                    f"the task {task!r} is not one of the lab's",
                    f"任务 {task!r} 不在实验室的任务中",
                ),
            ),
            self._apply_lr(values.pop("lr", None)),
            *(
                _apply_whole_number(key, spin, values.pop(key, None))
                for key, spin in (
                    ("batch_size", self.batch_spin),
                    ("length", self.length_spin),
                    ("seed", self.seed_spin),
                )
            ),
            _choose(
                self.optimizer_combo,
                optimizer,
                lambda: tr(
                    f"the optimizer {optimizer!r} is not offered for this task",
                    f"此任务不提供优化器 {optimizer!r}",
                ),
            ),
            self._apply_follow(values.pop("follow_graph", None)),
            self._apply_speed(values.pop("speed", None)),
        ]
        problems = [problem for problem in outcomes if problem is not None]
        problems.extend(
            tr(f"the setting {key!r} is unknown", f"未知的设置 {key!r}") for key in values
        )
        return problems

    def _apply_lr(self, lr: object) -> str | None:
        if lr is None:
            return None
        if _is_number(lr) and 0 < lr < float("inf"):
            self.lr_edit.setText(repr(float(lr)))
            return None
        return tr(f"the learning rate {lr!r} is not a positive number", f"学习率 {lr!r} 不是正数")

    def _apply_follow(self, follow: object) -> str | None:
        if isinstance(follow, bool):
            self.follow_check.setChecked(follow)
        elif follow is not None:
            return tr(
                f"follow_graph {follow!r} is not true or false",
                f"follow_graph {follow!r} 不是 true 或 false",
            )
        return None

    def _apply_speed(self, speed: object) -> str | None:
        if is_speed(speed):
            self.speed_combo.setCurrentIndex(SPEEDS.index(speed))
        elif speed is not None:
            return tr(
                f"the speed {speed!r} is not one of the lab's",
                f"速度 {speed!r} 不在实验室提供的选项中",
            )
        return None

    def _lr(self) -> float:
        try:
            return float(self.lr_edit.text())
        except ValueError:
            return task_info(self.current_task()).lr

    def _on_task_chosen(self, _index: int = 0) -> None:
        info = task_info(self.current_task())
        self.description.setText(info.description_in(ui_language()))
        self.lr_edit.setText(f"{info.lr:g}")
        batched = info.batch_size is not None
        self.batch_spin.setEnabled(batched)
        self.batch_spin.setValue(info.batch_size or 0)
        self.length_label.setText(
            tr("Epochs", "训练轮数") if batched else tr("Iterations", "迭代次数")
        )
        self.length_spin.setValue(info.length)
        self.optimizer_combo.blockSignals(True)
        self.optimizer_combo.clear()
        names = optimizer_names()
        for name in info.optimizers:
            self.optimizer_combo.addItem(names[name], name)
        self.optimizer_combo.blockSignals(False)
        self._show_untrained()
        if self._columns:  # the description and the fields' widths are new
            self._columns = 0
            self._arrange_controls()

    def _show_untrained(self) -> None:
        """Before a run, lay the empty plots out for the chosen task and its length."""
        if not self._untrained:
            return
        self.plots.reset(show_fit=task_info(self.current_task()).curve)
        self.plots.show_empty(
            planned_steps(
                task_info(self.current_task()), self.length_spin.value(), self.batch_spin.value()
            )
        )

    def _on_lr_edited(self) -> None:
        if self.state in ("running", "paused", "halted"):
            self.training.send("lr", self._lr())

    def _on_optimizer_chosen(self, _index: int) -> None:
        if self.state in ("running", "paused", "halted"):
            self.training.send("optimizer", self.optimizer_combo.currentData())

    def speed(self) -> str | int:
        """Return the speed chosen: steps a second, or AUTO or MAX."""
        return self.speed_combo.currentData()

    def _on_speed_chosen(self, _index: int) -> None:
        self.plots.set_paced(self.speed() != MAX)
        if self.state in ("running", "paused", "halted"):
            self.training.send("speed", self.speed())

    def set_device(self, device: str) -> None:
        """Train on ``device`` from now on; a run in progress moves there."""
        self.device = device
        if self.state in ("running", "paused", "halted"):
            self.training.send("device", device)

    # -- commands ----------------------------------------------------------------------
    def start(self, paused: bool = False) -> None:
        """Train from the start with the settings shown (or set it up, paused)."""
        config = self.config()
        if self.state in ("running", "paused", "halted", "finished"):
            self.training.send("stop")
        info = task_info(config.task)
        user_code = None
        if config.task == USER_TASK:
            user_code = self._code_source() if self._code_source is not None else ""
        self.plots.reset(
            show_fit=info.curve or config.task == USER_TASK,
            same_task=config.task == self._last_started_task,
        )
        self._last_started_task = config.task
        self._untrained = False
        self._run += 1
        self.message.clear()
        self.estimate.clear()
        self.progress.setText(tr("Starting…", "正在启动…"))
        # The first frames come at once: what the GUI did before the run (building
        # the window, the user's last run) says nothing of what training costs it.
        self._cpu_at_redraw = time.thread_time()
        self._frame_due = 0.0
        self.training.worker.report_interval_s = REPORT_INTERVAL_S
        self.training.start(
            TrainingRequest(
                config=config,
                user_code=user_code,
                start_paused=paused,
                speed=self.speed(),
                run=self._run,
            )
        )

    def toggle_pause(self) -> None:
        if self.state == "running":
            self.training.send("pause")
        elif self.state in ("paused", "halted"):
            if self.state == "halted":
                self.message.clear()  # the halt is dealt with: the run goes on
            self.training.send("lr", self._lr())
            self.training.send("resume")

    def _step(self, kind: str) -> None:
        if self.state in ("paused", "halted", "running"):
            if self.state == "running":
                self.training.send("pause")
            elif self.state == "halted":
                self.message.clear()  # stepping on is dealing with the halt, as Resume is
            self.training.send(kind)
        elif self.state in ("idle", "stopped", "finished"):
            self.start(paused=True)
            self.training.send(kind)

    def stop(self) -> None:
        self.training.send("stop")

    def reset(self) -> None:
        """Stop, restore the task's seed settings and clear the plots."""
        # Whatever the last run is doing, or is about to do (a Start a moment ago has
        # not begun while the thread warms up), it stops; the report it sends as it
        # stops belongs to it, and is not drawn over the cleared plots.
        self.training.send("stop")
        self._run += 1
        self._untrained = True
        self._last_started_task = None
        self._on_task_chosen()
        self.progress.setText(_not_started())
        self.estimate.clear()
        self.message.clear()

    def request_frame(self) -> None:
        """Draw a frame soon, even with nothing new in it; ``frame_drawn`` follows."""
        self._schedule_frame()

    def _schedule_frame(self) -> None:
        """Show what is new in a frame: at once, or when the last frame is far enough back."""
        if not self._redraw.isActive():
            wait_s = max(0.0, self._frame_due - time.monotonic())
            self._redraw.start(int(wait_s * 1000))

    def _redraw_plots(self) -> None:
        """Redraw at most ~30 times a second, and less when the GUI thread is busy.

        The next frame comes once the GUI thread's CPU time since the last one,
        whatever it went to, is at most GUI_CPU_SHARE of the wait.
        """
        self._update_labels()
        if self.plots.redraw() and self.isVisible():
            self.plots.paint_now()
        cpu = time.thread_time()
        spent_ms, self._cpu_at_redraw = (cpu - self._cpu_at_redraw) * 1000, cpu
        interval_ms = min(MAX_REDRAW_MS, max(REDRAW_MS, spent_ms / GUI_CPU_SHARE))
        step_interval_s = self.training.worker.drawn_step_interval_s
        if step_interval_s is not None:
            # Paced for the class to see every step: each gets its own frame. The
            # training thread waits most of the time, so the window's share matters
            # little; half a step's time keeps frames from falling behind the steps.
            interval_ms = min(interval_ms, step_interval_s * 500)
        self._frame_due = time.monotonic() + interval_ms / 1000
        # Reports as often as frames: a frame shows all the reports waiting, so more
        # would only cost both threads time. The parameter and gradient curves take
        # their points from the trainer's samples, however few reports a run sends.
        self.training.worker.report_interval_s = max(REPORT_INTERVAL_S, interval_ms / 1000)
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
        if batch.halt_step is not None:
            # The loss the halt's message names, at its step: the report's last loss is
            # a later step's, past the first that was not finite.
            loss, at = loss_text(batch.halt_loss), batch.halt_step
            last = tr(f" · loss {loss} at step {at}", f" · 第 {at} 步损失 {loss}")
        else:
            loss = loss_text(batch.losses[-1]) if len(batch.losses) else ""
            last = tr(f" · loss {loss}", f" · 损失 {loss}") if loss else ""
        step = f"{batch.step}/{batch.total_steps}"
        position = tr(f"step {step}", f"第 {step} 步")
        if batch.steps_per_epoch > 1:  # else a step is an iteration, and says it all
            epoch = f"{batch.epoch}/{batch.total_steps // batch.steps_per_epoch}"
            position += " · " + tr(f"epoch {epoch}", f"第 {epoch} 轮")
        speed = ""
        if batch.steps_per_s is not None:
            rate = _rate_text(batch.steps_per_s)
            speed = tr(f" · {rate} steps/s", f" · 每秒 {rate} 步")
        self.progress.setText(f"{position} · {batch.device}{last}{speed}")
        self.estimate.set_parts(_estimate_parts(batch))

    def _on_state_changed(self, state: str) -> None:
        self.state = state
        self._show_controls(state)
        if state == "finished":
            self._update_labels()
            self.progress.setText(self.progress.text() + tr(" · done", " · 完成"))
        self.state_changed.emit(state)

    def _show_controls(self, state: str) -> None:
        self.pause_button.setText(
            tr("Resume", "继续") if state in ("paused", "halted") else tr("Pause", "暂停")
        )
        self.pause_button.setEnabled(state in ("running", "paused", "halted"))
        self.stop_button.setEnabled(state in ("running", "paused", "halted"))

    def _on_failed(self, message: str) -> None:
        self.message.setText(message)


READOUT_GAP = "   "  # between a parameter's value, its truth and its error
READOUT_INDENT = "    "  # a parameter's line continued


class _Readout(QLabel):
    """The parameters' readout, a line each, continued on the next line where the
    label is too narrow: broken between value, truth and error, never inside one."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[list[str]] = []
        # Its width is what the layout gives it: the lines are broken to fit it.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_parts(self, parts: list[list[str]]) -> None:
        """Show each parameter's ``parts`` (value, truth, error) on as few lines as fit."""
        self._parts = parts
        self._pack()

    def one_line_each(self) -> list[str]:
        """The readout as it reads with room for every parameter on one line."""
        return [READOUT_GAP.join(parts) for parts in self._parts]

    def clear(self) -> None:
        self._parts = []
        super().clear()

    def _pack(self) -> None:
        metrics, width = self.fontMetrics(), self.contentsRect().width()
        lines = []
        for first, *rest in self._parts:
            line = first
            for part in rest:
                joined = line + READOUT_GAP + part
                if metrics.horizontalAdvance(joined) <= width:
                    line = joined
                else:
                    lines.append(line)
                    line = READOUT_INDENT + part
            lines.append(line)
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._pack()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._pack()


SUMMARY_GAP = " · "  # between two settings on the summary line


class _SummaryButton(QPushButton):
    """A flat button that says the settings, a line each as many as fit its width,
    broken between settings, never inside one."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[str] = []
        self._room = 0  # the width its lines may take, the button's frame included
        self.setFlat(True)
        # Its lines start where the fields' labels do, as a paragraph's would.
        self.setStyleSheet("text-align: left; padding: 2px 6px;")
        # Reached by Tab like the fields it stands for; Space or Enter opens it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_parts(self, parts: list[str]) -> None:
        self._parts = parts
        self.setAccessibleName(SUMMARY_GAP.join(parts))
        self._pack()

    def set_room(self, width: int) -> None:
        if width != self._room:
            self._room = width
            self._pack()

    def _pack(self) -> None:
        """Break the lines where the button, its frame with them, fits its room."""
        self._set_lines(self._room)
        # The frame is the style's to say: what the size hint adds around the text.
        frame = self.sizeHint().width() - self._width_of(self.text())
        self._set_lines(self._room - frame)

    def _width_of(self, text: str) -> int:
        """The text's width as the button's size hint measures it."""
        return self.fontMetrics().size(0, text).width()

    def _set_lines(self, width: int) -> None:
        lines: list[str] = []
        for part in self._parts:
            if lines and self._width_of(lines[-1] + SUMMARY_GAP + part) <= width:
                lines[-1] += SUMMARY_GAP + part
            else:
                lines.append(part)
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._pack()


class _MessageLine(QLabel):
    """The lab's message under the progress: taking no room while there is none, so a
    progress wrapped onto two lines in a narrow window keeps the status row's height."""

    def __init__(self) -> None:
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()


# The seeds' widest readout, to lay the lab out for before any run has filled it.
_READOUT_SAMPLE = "w = [ 1.9997 -3.3996]   true [ 2.  -3.4]   error [ 0.0003 -0.0004]"
# A long progress line, to share the status row out by.
_PROGRESS_SAMPLE = "step 300/300 · epoch 3/3 · cpu · loss 2.665e-05 · 37.5 steps/s · done"


def _not_started() -> str:
    return tr("Not started.", "尚未开始。")


def _choose(combo: QComboBox, value: object, problem: Callable[[], str]) -> str | None:
    """Select the entry of ``combo`` whose data is ``value`` (None: leave it); else
    return ``problem()``."""
    if value is None:
        return None
    index = combo.findData(value)
    if isinstance(value, str) and index >= 0:
        combo.setCurrentIndex(index)
        return None
    return problem()


def _apply_whole_number(key: str, spin: QSpinBox, value: object) -> str | None:
    """Set ``spin`` to ``value`` (None: leave it); say why not when it is out of its range."""
    if value is None:
        return None
    low, high = spin.minimum(), spin.maximum()
    if _is_number(value) and float(value).is_integer() and low <= value <= high:
        spin.setValue(int(value))
        return None
    return tr(
        f"{key} {value!r} is not a whole number from {low} to {high}",
        f"{key} {value!r} 不是 {low} 到 {high} 之间的整数",
    )


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _rate_text(steps_per_s: float) -> str:
    """8,120 or 12.5: whole steps where there are many, three digits where few."""
    return f"{steps_per_s:,.0f}" if steps_per_s >= 100 else f"{steps_per_s:.3g}"


def _estimate_parts(batch: MetricsBatch) -> list[list[str]]:
    """The seed's printout: each parameter, its truth and the estimation error."""
    lines = []
    true_word, error_word = tr("true", "真值"), tr("error", "误差")
    for name, truth in batch.truth.items():
        value = batch.params.get(name)
        if value is None:
            continue
        estimate = np.ravel(value)
        target = np.ravel(truth)
        if estimate.size != target.size:
            continue
        error = target - estimate
        # Where the truth is not the seed's formula's number (noise with a mean adds
        # to it), the line says what it is made of.
        note = batch.truth_notes.get(name)
        made_of = f" = {pick(*note, ui_language())}" if note else ""
        lines.append(
            [
                f"{name} = {_numbers(estimate)}",
                f"{true_word} {_numbers(target)}{made_of}",
                f"{error_word} {_numbers(error)}",
            ]
        )
    return lines


def _numbers(values: np.ndarray) -> str:
    """``values`` as numpy prints them to 4 decimals: [ 2.0001 -3.3998], [4.2], [3.].

    Written out because np.array2string is slow for what it does here, and it would
    run several times a frame on the GUI thread that the training thread shares the
    GIL with.
    """
    texts = [_number(value) for value in values.tolist()]
    if any(text.startswith("-") for text in texts):
        texts = [text if text.startswith("-") else " " + text for text in texts]
    return "[" + " ".join(texts) + "]"


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-4 or abs(value) >= 1e8):
        return np.format_float_scientific(value, precision=4, trim=".")
    return np.format_float_positional(value, precision=4, trim=".")
