"""The lab's settings form: the task, its hyper-parameters and how training is shown.

The form shows a LabSettings and reads one back; the rules those values follow
live in core/training/settings.py. It lays its fields out in three pairs a row
where the lab is wide and in two where it is narrow (a projector's font), and in
presentation mode folds them into one summary line that opens them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from autograd_playground.core.training.catalog import (
    CSV_INFO,
    CSV_TASK,
    MANUAL,
    TASK_INFOS,
    USER_INFO,
    USER_TASK,
)
from autograd_playground.core.training.csv_setup import CsvSetup
from autograd_playground.core.training.pacing import AUTO, AUTO_RUN_S, MAX, SPEEDS
from autograd_playground.core.training.settings import (
    LR_DECIMALS,
    LR_RANGE,
    WHOLE_NUMBER_RANGES,
    LabSettings,
    is_batched,
    lr_text,
    parse_lr,
    task_info,
)
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.training.classifier_fields import ClassifierFields, network_text
from autograd_playground.gui.training.csv_row import CsvChoiceRow
from autograd_playground.gui.training.summary_button import SummaryButton
from autograd_playground.gui.ui_text import tr, ui_language


def optimizer_names() -> dict[str, str]:
    """Return each optimizer's name as the optimizer list shows it, in the app's language."""
    return {
        MANUAL: tr("the seed's own update"),
        "sgd": "SGD",
        "momentum": tr("SGD with momentum 0.9"),
        "adam": "Adam",
    }


def speed_names() -> dict[str | int, str]:
    """Return each speed as the speed list shows it, in the app's language."""
    names: dict[str | int, str] = {
        # Short, for a combo that must show its whole text at projector size: the
        # speed list's tooltip says what each means.
        AUTO: tr("Auto (≈ {auto_run_s:g} s)", auto_run_s=AUTO_RUN_S),
        MAX: tr("Max"),
    }
    for speed in SPEEDS:
        if isinstance(speed, int):
            names[speed] = tr("{speed:,} steps/s", speed=speed)
    return {speed: names[speed] for speed in SPEEDS}


def _whole_number_spin(key: str) -> QSpinBox:
    """A field for the whole-number setting ``key``, over the range the lab allows it."""
    spin = QSpinBox()
    spin.setRange(*WHOLE_NUMBER_RANGES[key])
    return spin


class SettingsForm(QObject):
    """The settings' widgets and their grid; the lab lays the grid out in its own."""

    changed = Signal()  # any field that ``settings()`` reads

    def __init__(self, default_speed: str | int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._build_fields()
        self._build_view_controls(default_speed)
        self._build_grid()
        self._build_summary()

    def announce_changes(self) -> None:
        """Emit ``changed`` whenever a field changes.

        The panel calls this after connecting its own handlers: Qt calls slots in the order
        they were connected, so a new task's defaults are shown before ``changed`` reports
        the settings (and the summary line is written from them).
        """
        for changed in (
            self.task_combo.currentIndexChanged,
            self.lr_edit.textChanged,
            self.batch_spin.valueChanged,
            self.length_spin.valueChanged,
            self.optimizer_combo.currentIndexChanged,
            self.seed_spin.valueChanged,
            self.follow_check.toggled,
            self.speed_combo.currentIndexChanged,
            self.classifier.changed,
        ):
            changed.connect(self.changed)

    def _build_fields(self) -> None:
        """The task list, its description and the run's settings' fields."""
        language = ui_language()
        self.task_combo = QComboBox()
        for key, info in TASK_INFOS.items():
            self.task_combo.addItem(info.title_in(language), key)
        self.task_combo.addItem(CSV_INFO.title_in(language), CSV_TASK)
        self.task_combo.addItem(USER_INFO.title_in(language), USER_TASK)
        self.description = QLabel()
        self.description.setWordWrap(True)
        set_text_role(self.description, "muted")
        self.lr_edit = QLineEdit()
        validator = QDoubleValidator(*LR_RANGE, LR_DECIMALS)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.lr_edit.setValidator(validator)
        self.lr_edit.setToolTip(tr("The learning rate; it can change while training runs."))
        self.batch_spin = _whole_number_spin("batch_size")
        self.batch_spin.setSpecialValueText(tr("whole data set"))
        self.length_spin = _whole_number_spin("length")
        self.length_label = QLabel()
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setToolTip(tr("The update rule; it can change while training runs."))
        self.seed_spin = _whole_number_spin("seed")
        self.csv_row = CsvChoiceRow()  # the CSV task's file and columns
        self.csv_row.changed.connect(self.changed)
        self.classifier = ClassifierFields(self)

    def _build_view_controls(self, default_speed: str | int) -> None:
        """How training is shown: following the graph, and at what speed."""
        self.follow_check = QCheckBox(tr("Graph tab follows training"))
        self.follow_check.setToolTip(
            tr(
                "Show the autograd graph of the latest step, with its "
                "gradients, in the Graph tab (a few times a second)"
            )
        )
        self.speed_combo = QComboBox()
        for speed, name in speed_names().items():
            self.speed_combo.addItem(name, speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(default_speed))
        self.speed_combo.setToolTip(
            tr(
                "Training steps a second, so that a class can watch the fit "
                "form: Auto paces any run to last about {auto_run_s:g} s, 1 "
                "to 30 steps/s draw every step, Max trains as fast as the "
                "machine can. It can change while training runs.",
                auto_run_s=AUTO_RUN_S,
            )
        )

    def _build_grid(self) -> None:
        """The settings' labels in layout order, and their grid."""
        for combo in (self.optimizer_combo, self.speed_combo):
            # As wide as the longest entry in the font of the moment (presentation
            # mode's too), never narrower than its text.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        speed_label = QLabel(tr("Speed"))
        speed_label.setBuddy(self.speed_combo)
        # Label and field, in the order they are laid out: in three pairs a row
        # where the lab is wide, in two where it is narrow (a projector's font).
        self.fields = [
            (QLabel(tr("Learning rate")), self.lr_edit),
            (QLabel(tr("Optimizer")), self.optimizer_combo),
            (QLabel(tr("Batch size")), self.batch_spin),
            (self.length_label, self.length_spin),
            (speed_label, self.speed_combo),
            (QLabel(tr("Seed")), self.seed_spin),
        ]
        self.task_label = QLabel(tr("Task"))
        self.grid = QGridLayout()
        self.columns = 0  # field pairs a row, as laid out now
        self._classifier_shown = False  # the task chosen is a classifier

    def _build_summary(self) -> None:
        """The line the fields fold into in presentation mode, which opens them: at a
        projector's size their rows are height the plots need."""
        self.summary = SummaryButton()
        self.summary.setCheckable(True)
        self.summary.setChecked(True)
        self.summary.setToolTip(tr("Show or hide the training settings"))
        self.summary.hide()

    # -- values ------------------------------------------------------------------------
    def current_task(self) -> str:
        return self.task_combo.currentData()

    def lr(self) -> float:
        """The learning rate the field says; the task's own where it says none."""
        return parse_lr(self.lr_edit.text(), self.current_task())

    def speed(self) -> str | int:
        """The speed chosen: steps a second, or AUTO or MAX."""
        return self.speed_combo.currentData()

    def settings(self) -> LabSettings:
        """The settings as the form shows them."""
        return LabSettings(
            task=self.current_task(),
            lr=self.lr(),
            batch_size=self.batch_spin.value(),
            length=self.length_spin.value(),
            optimizer=self.optimizer_combo.currentData(),
            seed=self.seed_spin.value(),
            follow_graph=self.follow_check.isChecked(),
            speed=self.speed(),
            csv=self.csv_row.setup,
            classifier=self.classifier.settings(),
        )

    def show_values(self, values: dict[str, object]) -> None:
        """Show ``values``, settings checked by core's check_settings: the task first,
        for choosing it puts the task's own values in the other fields."""
        if "task" in values:
            self.task_combo.setCurrentIndex(self.task_combo.findData(values["task"]))
        if "lr" in values:
            self.lr_edit.setText(repr(values["lr"]))
        for key, spin in (
            ("batch_size", self.batch_spin),
            ("length", self.length_spin),
            ("seed", self.seed_spin),
        ):
            if key in values:
                spin.setValue(values[key])
        if "optimizer" in values:
            self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(values["optimizer"]))
        if "follow_graph" in values:
            self.follow_check.setChecked(values["follow_graph"])
        if "speed" in values:
            self.speed_combo.setCurrentIndex(SPEEDS.index(values["speed"]))
        if "csv" in values:
            self.csv_row.set_setup(CsvSetup.from_json(values["csv"]))
        if "classifier" in values:
            self.classifier.show_settings(values["classifier"])

    def show_task_defaults(self) -> None:
        """Show the chosen task's description and its seed's own settings."""
        task = self.current_task()
        info, defaults = task_info(task), LabSettings.for_task(task)
        self.description.setText(info.description_in(ui_language()))
        self.csv_row.setVisible(task == CSV_TASK and not self.description.isHidden())
        self.lr_edit.setText(lr_text(defaults.lr))
        batched = is_batched(task)
        self.batch_spin.setEnabled(batched)
        self.batch_spin.setValue(defaults.batch_size)
        self.length_label.setText(tr("Epochs") if batched else tr("Iterations"))
        self.length_spin.setValue(defaults.length)
        self.optimizer_combo.blockSignals(True)
        self.optimizer_combo.clear()
        names = optimizer_names()
        for name in info.optimizers:
            self.optimizer_combo.addItem(names[name], name)
        self.optimizer_combo.blockSignals(False)
        self.classifier.show_settings(defaults.classifier)
        self._classifier_shown = info.classifier is not None
        self.classifier.row.setVisible(self._classifier_shown and not self.lr_edit.isHidden())

    # -- layout ------------------------------------------------------------------------
    def arrange(self, width: int) -> None:
        """Lay the fields out in as many pairs a row as ``width`` has room for."""
        for combo in (self.optimizer_combo, self.speed_combo):
            # The layout may squeeze a combo below its longest entry: never below its text.
            combo.setMinimumWidth(combo.sizeHint().width())
        self.classifier.arrange(wide=width >= self.classifier.width_on_one_line())
        columns = 3 if width >= self._fields_width(3) else 2
        if columns != self.columns:
            self.columns = columns
            self._lay_out(columns)

    def fit_text(self, width: int, grid_width: int) -> None:
        """Give the wrapped texts their room: the description ``width``, the summary
        line the grid's own width."""
        # A wrapped label's height for its width is not asked by the layouts above
        # the lab's tab: without this the description's lines are cut off.
        self.description.setMinimumHeight(max(0, self.description.heightForWidth(width)))
        self.summary.set_room(grid_width)

    def _fields_in_order(self, columns: int) -> list[tuple[QWidget, QWidget]]:
        """The field pairs in the order ``columns`` pairs a row lays them out."""
        if columns == 3:
            return list(self.fields)
        # Two a row: the widest fields (the optimizer's list, the batch size's
        # "whole data set") share the right-hand column, so that the rows fit the
        # lab beside a projector's editor.
        rate, optimizer, batch, length, speed, seed = self.fields
        return [rate, optimizer, length, batch, speed, seed]

    def _fields_width(self, columns: int) -> int:
        """The least width the settings take laid out ``columns`` pairs a row."""
        spacing = max(self.grid.horizontalSpacing(), 0)
        fields = self._fields_in_order(columns)
        if columns == 3:
            fields = fields[1:]  # the learning rate sits beside the task
        widths = [0] * (2 * columns)
        for index, (label, field) in enumerate(fields):
            column = 2 * (index % columns)
            widths[column] = max(widths[column], label.sizeHint().width())
            least = max(field.minimumSizeHint().width(), field.minimumWidth())
            widths[column + 1] = max(widths[column + 1], least)
        task = self.task_label.sizeHint().width() + self.task_combo.minimumSizeHint().width()
        return max(sum(widths) + (2 * columns - 1) * spacing, task)

    def _lay_out(self, columns: int) -> None:
        grid = self.grid
        for widget in (
            self.task_label,
            self.task_combo,
            self.description,
            self.summary,
            self.csv_row,
            self.classifier.row,
        ):
            grid.removeWidget(widget)
        for label, field in self.fields:
            grid.removeWidget(label)
            grid.removeWidget(field)
        span = 2 * columns
        fields = self._fields_in_order(columns)
        grid.addWidget(self.task_label, 0, 0)
        if columns == 3:  # the learning rate beside the task
            grid.addWidget(self.task_combo, 0, 1, 1, span - 3)
            label, field = fields.pop(0)
            grid.addWidget(label, 0, span - 2)
            grid.addWidget(field, 0, span - 1)
        else:
            grid.addWidget(self.task_combo, 0, 1, 1, span - 1)
        grid.addWidget(self.description, 1, 0, 1, span)
        grid.addWidget(self.summary, 2, 0, 1, span, Qt.AlignmentFlag.AlignLeft)
        for index, (label, field) in enumerate(fields):
            row, column = 3 + index // columns, 2 * (index % columns)
            grid.addWidget(label, row, column)
            grid.addWidget(field, row, column + 1)
        below = 3 + -(-len(fields) // columns)  # the first row under the fields
        # One task's own row at a time shows: the CSV file, or the classifier's data.
        grid.addWidget(self.csv_row, below, 0, 1, span)
        grid.addWidget(self.classifier.row, below + 1, 0, 1, span)
        for column in range(6):
            grid.setColumnStretch(column, column % 2 if column < span else 0)

    # -- folding -----------------------------------------------------------------------
    def show_fields(self, shown: bool) -> None:
        """Show or fold the fields; the task's description folds with them (its lines
        too are the plots' room), and the task's name stays in view."""
        self.description.setVisible(shown)
        self.csv_row.setVisible(shown and self.current_task() == CSV_TASK)
        for label, field in self.fields:
            label.setVisible(shown)
            field.setVisible(shown)
        self.classifier.row.setVisible(shown and self._classifier_shown)
        self.summarize()

    def summarize(self) -> None:
        """Say the settings on the summary line, behind an arrow that says it opens."""
        arrow = "▾" if self.summary.isChecked() else "▸"
        length, rate = self.length_spin.value(), self.lr_edit.text()
        batched = self.batch_spin.isEnabled()
        if batched:
            length_text = tr("{length:,} epochs", length=length)
        else:
            length_text = tr("{length:,} iterations", length=length)
        parts = [
            f"{arrow} " + tr("Settings: lr {rate}", rate=rate),
            self.optimizer_combo.currentText(),
            length_text,
        ]
        if batched:
            parts.append(tr("batch {batch_spin_value}", batch_spin_value=self.batch_spin.value()))
        if self._classifier_shown:
            parts.append(network_text(self.classifier.settings()))
        parts.append(self.speed_combo.currentText())
        self.summary.set_parts(parts)
