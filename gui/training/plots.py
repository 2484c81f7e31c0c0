"""Live plots for the training lab (pyqtgraph): loss, fit, parameters, gradient norms."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.training.buffers import GrowingSeries, smoothed
from autograd_playground.core.training.metrics import ELEMENTS_SHOWN, MetricsBatch, param_points
from autograd_playground.gui.appearance.themes import LIGHT_THEME, legend_veil
from autograd_playground.gui.training.classifier_curves import ACCURACY_RANGE, ClassifierCurves
from autograd_playground.gui.training.classifier_view import ClassifierView
from autograd_playground.gui.training.layer_view import LayersView
from autograd_playground.gui.training.live_curve import LiveCurve
from autograd_playground.gui.training.log_axis import LogTickAxis
from autograd_playground.gui.training.plot_presentation import PlotPresentation, title_across
from autograd_playground.gui.training.plot_ranges import SteadyRange, finite_bounds
from autograd_playground.gui.training.previous_curve import PreviousRunCurve
from autograd_playground.gui.ui_text import tr, tr_in_context

# Wide pens and grid lines cost most of a frame in Qt's raster engine, and every
# millisecond the GUI thread paints is one the training thread waits for the GIL.
PEN_WIDTH = 1
# Until a theme gives its own (TrainingPlots.set_pens).
COLORS = LIGHT_THEME.plot_colors
FIT_PEN_WIDTH = 3  # the model's curve stands out from the data points beneath it
TRUTH_PEN_WIDTH = 1.5
DATA_POINT_ALPHA = 128  # of 255: overlapping points show where the data is dense
WIDEST_TICK_LABEL = "-8.8e-08"
EMPTY_LOG_DECADES = (-3.0, 2.0)  # log10 of what an empty log axis spans: 0.001 to 100


def _plot(title: str, left: str, bottom: str, legend: bool = True) -> pg.PlotWidget:
    # The loss and the gradient norms go on a log scale, where pyqtgraph's own labels
    # pile up (0.7, 0.8 and 0.9 on one another). In the light theme's colours until
    # the app's theme restyles it (style_plot).
    widget = pg.PlotWidget(
        background=LIGHT_THEME.plot_background, axisItems={"left": LogTickAxis("left")}
    )
    widget.setTitle(title, color=LIGHT_THEME.plot_foreground, size="11pt")
    widget.setLabel("left", left)
    widget.setLabel("bottom", bottom)
    widget.getPlotItem().setMenuEnabled(False)
    # pyqtgraph would scale a log axis reaching 1e6 by 1e9 and say so in the label:
    # ticks of 10^-14 for losses of 1e-5 puzzle a learner.
    for side in ("left", "bottom"):
        widget.getAxis(side).enableAutoSIPrefix(False)
    # Tick labels change width as the data moves (from 1 to 0.0001, say). An axis
    # that followed them resized its plot, and a resized plot repaints all of it,
    # axes included, mid-run. Room for a label like -8.8e-08 from the start, the
    # same in every plot so that their edges line up, and never less.
    axis = widget.getAxis("left")
    axis.setStyle(autoReduceTextSpace=False)
    font = axis.style["tickFont"] or axis.font()
    axis.textWidth = QFontMetrics(font).horizontalAdvance(WIDEST_TICK_LABEL)
    axis.setWidth(None)  # recomputes the width from textWidth
    for side in ("left", "bottom"):
        _keep_painted(widget.getAxis(side))
    title_across(widget.getPlotItem())
    if legend:
        # Made here, with its plot, so that a theme styles it like the others.
        _add_legend_row(widget.getPlotItem())
    return widget


# The plot item's layout: title, top axis, view box, bottom axis; then the legend.
LEGEND_ROW = 4
LEGEND_SPACING = 10  # between one entry's label and the next one's line


class _LegendRow(pg.LegendItem):
    """A plot's legend in rows of their own under the step axis: it never covers the
    curves, and holds as many entries a row as the plot's width has room for."""

    def addItem(self, item: object, name: str) -> None:
        super().addItem(item, name)
        self.fit_width()

    def removeItem(self, item: object) -> None:
        super().removeItem(item)
        self.fit_width()

    def fit_width(self) -> None:
        """Lay the entries out in rows as wide as the plot, never one entry cut in two.

        The entries share a grid, so an entry is as wide as the widest in its column;
        the last row's last label spans the columns that row leaves empty, so that a
        long one (a previous run's) there does not widen the columns above it.
        """
        plot = self.parentItem()
        spacing = self.layout.horizontalSpacing()
        samples = [sample.boundingRect().width() for sample, _label in self.items]
        labels = [label.boundingRect().width() for _sample, label in self.items]
        available = plot.boundingRect().width() - 4 if plot is not None else 0.0
        left, _top, right, _bottom = self.layout.getContentsMargins()
        room = available - left - right
        columns = max(1, len(labels))
        while columns > 1 and legend_grid_width(samples, labels, columns, spacing) > room:
            columns -= 1
        layout = self.layout
        for index in range(layout.count() - 1, -1, -1):
            layout.removeAt(index)
        for index, (sample, label) in enumerate(self.items):
            row, column = divmod(index, columns)
            span = 2 * columns - 2 * column - 1 if index == len(self.items) - 1 else 1
            layout.addItem(sample, row, 2 * column, alignment=Qt.AlignmentFlag.AlignVCenter)
            layout.addItem(label, row, 2 * column + 1, 1, span)
        self.columnCount, self.rowCount = columns, -(-len(labels) // columns)
        self.updateGeometry()

    def updateSize(self) -> None:
        # pyqtgraph sizes a legend floating over the data itself; in a layout, the
        # layout sizes it from its entries.
        self.updateGeometry()


def legend_grid_width(
    samples: list[float], labels: list[float], columns: int, spacing: float
) -> float:
    """The width of a legend's grid of entries, ``columns`` a row: each entry a sample
    ``samples[i]`` and a label ``labels[i]`` wide, in columns as wide as their widest,
    the last label spanning to the grid's right edge."""
    count = len(labels)
    if not count:
        return 0.0
    widths = [0.0] * (2 * columns)
    for index in range(count):
        column = 2 * (index % columns)
        widths[column] = max(widths[column], samples[index])
        if index < count - 1:
            widths[column + 1] = max(widths[column + 1], labels[index])
    used = 2 * min(columns, count)  # a single row of fewer entries leaves columns empty
    grid = sum(widths[:used]) + spacing * (used - 1)
    last = 2 * ((count - 1) % columns) + 1  # the column the last label starts in
    before = sum(widths[:last]) + spacing * last
    return max(grid, before + labels[-1])


def _add_legend_row(item: pg.PlotItem) -> None:
    legend = _LegendRow(offset=None, brush=legend_veil(LIGHT_THEME.plot_background))
    legend.layout.setHorizontalSpacing(LEGEND_SPACING)
    legend.layout.setContentsMargins(2, 0, 2, 0)
    # As high as its rows: the view box above takes the rest.
    legend.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    legend.setParentItem(item)
    item.legend = legend
    # Across the whole plot, under the axis on the left too: the room the entries need.
    item.layout.addItem(legend, LEGEND_ROW, 0, 1, 3)
    item.layout.setAlignment(legend, Qt.AlignmentFlag.AlignHCenter)
    item.geometryChanged.connect(legend.fit_width)


def param_plot_labels(params: dict[str, np.ndarray], has_truth: bool) -> tuple[str, str]:
    """The parameter plot's title and axis label: what its lines are, and whether
    dashed lines show true values."""
    norms = [np.size(value) > ELEMENTS_SHOWN for value in params.values()]
    if norms and all(norms):
        title, axis = tr("Parameter norms"), tr("norm")
    elif any(norms):
        title, axis = tr("Parameters and norms ‖·‖"), tr("value")
    else:
        title, axis = tr("Parameters"), tr("value")
    if has_truth:
        title += tr(" (dashed: truth)")
    return title, axis


def _keep_painted(item: QGraphicsItem) -> None:
    """Let Qt repaint ``item`` from a pixmap while it stays as it is.

    A changing curve's repaint takes in what lies under or next to it: the axes, the
    data, the truth lines. Each of their paint methods is Python, holding the GIL
    that the training thread waits for; from the cache, Qt draws them without it.
    The item's own update() (new ticks, a moved line) still repaints it.
    """
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class TrainingPlots(QWidget):
    """Buffers every reported point and redraws only from ``redraw`` (4-30 times a second)."""

    # A setting changed what the plots show: the next ``redraw`` has work to do.
    dirtied = Signal()
    # "Layer statistics" ticked or not: the trainer collects them only while shown.
    layers_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_buffers()
        step = tr("step")
        self._build_loss_plot(step)
        self._build_options()
        self._build_fit_plot()
        self._build_param_and_grad_plots(step)
        self._build_classifier_views(step)
        for plot in (*self._line_plots(), self.accuracy_plot):
            self._ranges[plot] = SteadyRange(plot)
        self.log_y.setChecked(True)  # losses and gradients fall by orders of magnitude
        self.presentation = PlotPresentation(
            [*self._line_plots(), self.accuracy_plot, self.classifier_view.plot]
        )
        self._lay_out()

    def _init_buffers(self) -> None:
        """The series every report adds to, and what the plots last drew."""
        self.loss_series = GrowingSeries()
        self.smooth_series = GrowingSeries()
        self._smoothing: float | None = None  # the running average the line continues
        self.epoch_series = GrowingSeries(64)
        self.param_history: dict[str, GrowingSeries] = {}
        self.grad_history: dict[str, GrowingSeries] = {}
        self._truth: dict[str, np.ndarray] = {}
        self._dirty = False
        self._last: MetricsBatch | None = None
        self._epochs_drawn = 0
        self._ranges: dict[pg.PlotWidget, SteadyRange] = {}
        self._colors: tuple[str, ...] = COLORS
        self._pen_width: float = PEN_WIDTH
        self._fit_shown = True  # a 1-D task's: hidden with the others behind the layers

    def _build_loss_plot(self, step: str) -> None:
        """The loss plot: each step's loss, its smoothed line and the epochs' losses."""
        self.loss_plot = _plot(tr("Loss"), tr("loss"), step)
        self.loss_curve = LiveCurve(self.loss_plot, self._pen(0), tr("per step"))
        self.smooth_curve = LiveCurve(self.loss_plot, self._pen(1), tr("smoothed"))
        # Listed in the legend only once a run has epochs: a full-batch task has none.
        self.epoch_curve = self.loss_plot.plot(
            pen=None, symbol="o", symbolBrush=self._colors[2], symbolSize=9
        )
        _keep_painted(self.epoch_curve.scatter)
        # A restart's previous run, faint beneath; listed in the legend while it shows.
        self.previous = PreviousRunCurve(self.loss_plot)

    def _build_options(self) -> None:
        """The check boxes of log scale and smoothing, above the plots."""
        self.log_y = QCheckBox(tr("log scale"))
        self.log_y.setToolTip(
            tr("The loss and the gradient norms on a log scale: both fall by orders of magnitude")
        )
        self.log_y.toggled.connect(self._on_log_toggled)
        self.smooth = QCheckBox(tr("smoothing"))
        self.smooth.setToolTip(
            tr(
                "A moving average of the loss over about the last ten steps; "
                "on a log scale, of its logarithm, so that the line runs "
                "through the middle of the noise"
            )
        )
        self.smooth.setChecked(True)
        self.smooth.toggled.connect(lambda _checked: self._mark_dirty())
        self.layer_check = QCheckBox(tr("layer statistics"))
        self.layer_check.setToolTip(
            tr(
                "Instead of the plots: each parameter's values and gradient "
                "as histograms over the steps, and each update's size "
                "against its weight"
            )
        )
        self.layer_check.toggled.connect(self._on_layers_toggled)

    def _build_fit_plot(self) -> None:
        """The fit plot of a 1-D task: its data and the model's curve over them."""
        self.fit_plot = _plot(tr_in_context("curve", "Fit"), "y", "x", legend=False)
        self.data_scatter = self.fit_plot.plot(
            pen=None, symbol="o", symbolSize=5, symbolBrush=self._data_brush(), symbolPen=None
        )
        _keep_painted(self.data_scatter.scatter)
        self.fit_curve = LiveCurve(self.fit_plot, self._pen(1, FIT_PEN_WIDTH))

    def _build_param_and_grad_plots(self, step: str) -> None:
        """The parameters' curves with their truth lines, and the gradient norms'."""
        self.param_plot = _plot(*param_plot_labels({}, has_truth=False), step)
        self.grad_plot = _plot(tr("Gradient norms"), "‖grad‖", step)
        self._param_curves: dict[str, LiveCurve] = {}
        self._truth_lines: list[pg.InfiniteLine] = []
        self._truth_drawn: dict[str, np.ndarray] = {}  # what the truth lines show
        self._grad_curves: dict[str, LiveCurve] = {}

    def _build_classifier_views(self, step: str) -> None:
        """A classifier's plane and neurons, its accuracy, and its test loss."""
        self.accuracy_plot = _plot(tr("Accuracy"), tr("accuracy"), step)
        self.classifier_view = ClassifierView(self)
        self.classifier_curves = ClassifierCurves(self.loss_plot, self.accuracy_plot, self._pen)
        self._classifier_report = None  # the latest report's, to draw at the next redraw
        self._classifier_shown = False

    def _line_plots(self) -> tuple[pg.PlotWidget, ...]:
        """The plots every task has (the fit plot hidden where there is no curve)."""
        return (self.loss_plot, self.fit_plot, self.param_plot, self.grad_plot)

    def _lay_out(self) -> None:
        """The options' row over the grid of plots."""
        options = QHBoxLayout()
        options.addWidget(self.log_y)
        options.addWidget(self.smooth)
        options.addWidget(self.layer_check)
        options.addStretch(1)
        self._options = options
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(options)
        self._grid = QGridLayout()
        layout.addLayout(self._grid, 1)
        self._plots_layout = layout
        self.layers = LayersView(self)
        self.layers.hide()
        layout.addWidget(self.layers, 1)
        for plot in (*self._line_plots(), self.accuracy_plot):
            plot.setParent(self)  # each one the app's theme finds among the window's children
        self._arrange_plots()

    def reset(
        self,
        show_fit: bool,
        data_x: np.ndarray | None = None,
        data_y: np.ndarray | None = None,
        same_task: bool = False,
        keep_previous: bool = False,
        show_classifier: bool = False,
    ) -> None:
        """Forget every point; show the fit plot (with its data) only for 1-D tasks, and
        the plane, the neurons and the accuracy in the parameters' place for classifiers.

        ``same_task``: the next run trains what the last one did, so its parameter
        and gradient curves, legends and truth lines are emptied and used again:
        making them anew would delay the first frame of a run.
        ``keep_previous``: the previous run's faint line (keep_previous_run) stays.
        """
        if not keep_previous:
            self.previous.clear()
        self.loss_series.clear()
        self.smooth_series.clear()
        self._smoothing = None
        self.epoch_series.clear()
        self.param_history.clear()
        self.grad_history.clear()
        self._truth = {}
        self._last = None
        self._epochs_drawn = -1
        self.layers.clear()
        if same_task:
            for curve in (*self._param_curves.values(), *self._grad_curves.values()):
                curve.setData([], [])
        else:
            self._list_epochs(False)
            self._remove_curves(self.param_plot, self._param_curves)
            self._remove_curves(self.grad_plot, self._grad_curves)
            self._remove_truth_lines()
        if not same_task:
            self._label_param_plot({}, has_truth=False)
        self._fit_shown = show_fit and not show_classifier
        self._classifier_shown = show_classifier
        self._classifier_report = None
        self.classifier_view.clear()
        self.classifier_curves.clear(show_classifier)
        self._name_loss_curve(tr("train") if show_classifier else tr("per step"))
        self._show_plots(not self.layer_check.isChecked())
        self._arrange_plots()
        self.data_scatter.setData([], [])
        self.fit_curve.setData([], [])
        for steady in self._ranges.values():
            steady.reset(keep=same_task)
        self._dirty = True
        self.redraw()

    def _show_classifier(self) -> None:
        """Show the plane, the accuracy and the test loss, as for a classifier task: the
        run's first report says the model is one."""
        self._fit_shown = False
        self._classifier_shown = True
        self.classifier_curves.clear(True)
        self._name_loss_curve(tr("train"))
        self._show_plots(not self.layer_check.isChecked())
        self._arrange_plots()

    def _arrange_plots(self) -> None:
        """Loss and fit on top, parameters and gradients beneath; without a fit to
        show, the loss curve takes the whole top row. A classifier's plane takes the
        right-hand column, beside its loss over its accuracy."""
        grid = self._grid
        for plot in (*self._line_plots(), self.accuracy_plot, self.classifier_view):
            grid.removeWidget(plot)
        if self._classifier_shown:
            grid.addWidget(self.loss_plot, 0, 0)
            grid.addWidget(self.accuracy_plot, 1, 0)
            grid.addWidget(self.classifier_view, 0, 1, 2, 1)
            for index in (0, 1):
                grid.setRowStretch(index, 1)
                grid.setColumnStretch(index, 1)
            return
        show_fit = self._fit_shown
        grid.addWidget(self.loss_plot, 0, 0, 1, 1 if show_fit else 2)
        if show_fit:
            grid.addWidget(self.fit_plot, 0, 1)
        grid.addWidget(self.param_plot, 1, 0)
        grid.addWidget(self.grad_plot, 1, 1)
        # Equal rows: left to size hints, a legend-filled bottom row squeezes the loss curve.
        for index in (0, 1):
            grid.setRowStretch(index, 1)
            grid.setColumnStretch(index, 1)

    def add_option(self, widget: QWidget) -> None:
        """Show ``widget`` (a view setting) in the row of the plots' check boxes."""
        self._options.insertWidget(self._options.count() - 1, widget)

    def show_options(self, shown: bool) -> None:
        """Show the row of check boxes, or fold it away (presentation mode)."""
        for index in range(self._options.count()):
            widget = self._options.itemAt(index).widget()
            if widget is not None:
                widget.setVisible(shown)

    def set_paced(self, paced: bool) -> None:
        """Show a paced run's step axes as steady_x_range does for one (its first
        tenth, then the whole run), or let them grow as at full speed."""
        for steady in self._ranges.values():
            steady.paced = paced
        self._mark_dirty()

    def show_empty(self, steps: int | None) -> None:
        """Lay out the plots of a run not started: ``steps`` along x (when known), and
        a few decades on the log axes, not one decade crowded with labels 2 to 9."""
        if steps:
            for plot in (self.loss_plot, self.param_plot, self.grad_plot):
                plot.getViewBox().setXRange(0, steps, padding=0.02)
        if self.log_y.isChecked():
            for plot in (self.loss_plot, self.grad_plot):
                plot.getViewBox().setYRange(*EMPTY_LOG_DECADES, padding=0.0)

    def keep_previous_run(self, label: str) -> None:
        """Keep the losses shown now as the previous run's faint line, named ``label``
        in the legend, for the next run (started with reset's keep_previous) to draw over."""
        self.previous.keep(self.loss_series.x, self.loss_series.y, label)
        self._mark_dirty()

    def forget_previous_run(self) -> None:
        """Take the previous run's faint line and its legend entry away."""
        if self.previous.shown:
            self.previous.clear()
            self._mark_dirty()

    def add(self, batch: MetricsBatch) -> None:
        """Buffer a report; the next redraw shows it."""
        if len(batch.steps) and len(self.loss_series) and batch.steps[0] <= self.loss_series.x[-1]:
            self._drop_from(float(batch.steps[0]))
        if len(batch.steps):
            steps = batch.steps.astype(np.float64)
            self.loss_series.extend(steps, batch.losses)
            self._extend_smoothed(steps, batch.losses)
        for epoch, loss in batch.epoch_losses:
            self.epoch_series.extend(np.array([epoch * batch.steps_per_epoch]), np.array([loss]))
        if batch.start_params is not None and batch.step > 0:
            for key, value in param_points(batch.start_params).items():
                self._series(self.param_history, key).extend(np.zeros(1), [value])
        for key, values in batch.trace_params.items():
            self._series(self.param_history, key).extend(batch.trace_steps, values)
        for key, values in batch.trace_grads.items():
            self._series(self.grad_history, key).extend(batch.trace_grad_steps, values)
        self.layers.add(batch.layers)
        if batch.classifier is not None:
            if not self._classifier_shown:  # the editor's own model is a classifier
                self._show_classifier()
            self.classifier_curves.add(batch.classifier)
            self._classifier_report = batch.classifier
        self._truth = {name: np.ravel(value) for name, value in batch.truth.items()}
        self._label_param_plot(batch.params, has_truth=bool(batch.truth))
        self._last = batch
        self._dirty = True

    def _label_param_plot(self, params: dict[str, np.ndarray], has_truth: bool) -> None:
        """Title the parameter plot for what it shows (only when that changes: a new
        title lays the plot out again)."""
        title, axis = param_plot_labels(params, has_truth)
        item = self.param_plot.getPlotItem()
        if item.titleLabel.text != title:
            item.setTitle(title)
            item.setLabel("left", axis)

    def _extend_smoothed(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Smooth ``losses`` on from the last report's average, and draw the line.

        The average holds its value over a NaN or inf loss, so that one bad batch
        does not reset it, but the line breaks there: drawn, it showed a diverged
        run settling at its last finite level while the per-step line had gone.
        """
        line = smoothed(losses, start=self._smoothing, log=self.log_y.isChecked())
        if len(line):
            self._smoothing = float(line[-1])  # NaN while no loss has been finite
        self.smooth_series.extend(steps, np.where(np.isfinite(losses), line, np.nan))

    def _drop_from(self, step: float) -> None:
        """Training went back to ``step`` (after a halt): what was drawn from there goes."""
        self.loss_series.drop_from(step)
        self.smooth_series.drop_from(step)
        self._smoothing = None  # the average starts again with the steps taken again
        # Points at ``step`` itself still hold: the parameters restored there, and the
        # mean of the epoch that ended there.
        histories = (*self.param_history.values(), *self.grad_history.values())
        for series in (self.epoch_series, *histories):
            series.drop_from(step + 0.5)

    @staticmethod
    def _series(history: dict[str, GrowingSeries], key: str) -> GrowingSeries:
        series = history.get(key)
        if series is None:
            series = history[key] = GrowingSeries(256)
        return series

    def redraw(self) -> bool:
        """Push buffered points to the curves; return False when nothing changed."""
        layers_drawn = self.layers.isVisible() and self.layers.redraw()
        if not self._dirty:
            return layers_drawn
        self._dirty = False
        # A hidden plot (a classifier's parameters, all of them under the layer
        # statistics) is drawn when shown again: _show_plots marks the plots dirty.
        if self.loss_plot.isVisibleTo(self):
            self._draw_loss()
        if self.param_plot.isVisibleTo(self):
            self._draw_lines(self.param_plot, self.param_history, self._param_curves)
            self._draw_truth()
        if self.grad_plot.isVisibleTo(self):
            self._draw_lines(self.grad_plot, self.grad_history, self._grad_curves)
        if self.presentation.scale != 1.0:
            self.presentation.scale_lines()  # curves made for this run's parameters
        if self._classifier_shown:
            self._draw_classifier()
        last = self._last
        if last is not None and last.curve is not None and self.fit_plot.isVisible():
            if self.data_scatter.xData is None or not len(self.data_scatter.xData):
                self.data_scatter.setData(last.curve_x, last.data_y)
            self.fit_curve.setData(last.curve_x, last.curve)
        self._fit_ranges()
        return True

    def _draw_loss(self) -> None:
        """The loss per step, smoothed, by epoch, and the previous run's."""
        self.loss_curve.setData(self.loss_series.x, self.loss_series.y)
        if self.smooth.isChecked():
            self.smooth_curve.setData(self.smooth_series.x, self.smooth_series.y)
        else:
            self.smooth_curve.setData([], [])
        if self.previous.shown:
            self.previous.draw(self.smooth.isChecked(), self.log_y.isChecked())
        if len(self.epoch_series) != self._epochs_drawn:
            # Symbols are rebuilt point by point: only when an epoch has ended.
            self.epoch_curve.setData(self.epoch_series.x, self.epoch_series.y)
            self._epochs_drawn = len(self.epoch_series)
            if self._epochs_drawn:
                self._list_epochs(True)

    def _draw_classifier(self) -> None:
        """The latest plane and neurons, and the scores' curves."""
        self.classifier_curves.draw()
        report, self._classifier_report = self._classifier_report, None
        if report is not None:
            self.classifier_view.draw(report)

    def set_presentation_scale(self, scale: float) -> None:
        """Draw the plots' text and lines ``scale`` times larger (1.0: as normal)."""
        self.presentation.set_scale(scale)
        self.classifier_view.set_presentation_scale(scale)
        self.layers.set_presentation_scale(scale)
        # At projector size the plots are short: the step numbers say what the
        # axis is, and its label's line goes to the curves.
        for plot in (self.loss_plot, self.param_plot, self.grad_plot, self.accuracy_plot):
            plot.getAxis("bottom").showLabel(scale == 1.0)
            plot.getPlotItem().legend.fit_width()  # its entries' text changed size

    def paint_now(self) -> None:
        """Paint what changed in the plots before returning, in this one Python call.

        Left to Qt's next turn, a frame called into Python a few hundred times (every
        item's boundingRect and paint), each call taking the GIL anew from a training
        thread that lets it go at every torch op. Painted from here, the GUI thread
        holds it once per frame, and the training thread waits for it less.
        A scene paints its views' changed parts as it handles its posted item updates
        (it syncs their backing store), so that is all this asks of it.
        """
        plots = (*self._line_plots(), self.accuracy_plot, self.classifier_view.plot)
        for plot in (*plots, self.classifier_view.neurons):
            if plot.isVisible():
                QCoreApplication.sendPostedEvents(plot.scene(), QEvent.Type.MetaCall)

    def _fit_ranges(self) -> None:
        """Set each plot's ranges before it paints, and only when the data outgrew them."""
        last = self._last
        if last is None:
            return
        total = float(last.total_steps)
        # The step axes follow the newest point of any of them, so that they stay
        # aligned: after a halt sends training back, the loss shows the steps that
        # diverged, and the parameters (restored) go no further than the step before.
        newest = float(last.step)
        losses = [self.loss_series.y, self.epoch_series.y]
        if self.smooth.isChecked():
            losses.append(self.smooth_series.y)
        if self.previous.shown:
            losses.append(self.previous.drawn_losses())
        if self._classifier_shown:
            losses.append(self.classifier_curves.test_loss.y)
            self._ranges[self.accuracy_plot].fit(ACCURACY_RANGE, float(last.step), total)
        if len(self.loss_series):
            newest = max(newest, float(self.loss_series.x[-1]))
            self._ranges[self.loss_plot].fit(
                finite_bounds(losses, log=self.log_y.isChecked()), newest, total
            )
        params = [series.y for series in self.param_history.values()]
        params += list(self._truth.values())
        self._ranges[self.param_plot].fit(finite_bounds(params), newest, total)
        grads = [series.y for series in self.grad_history.values()]
        self._ranges[self.grad_plot].fit(
            finite_bounds(grads, log=self.log_y.isChecked()), newest, total
        )
        if last.curve is not None and self.fit_plot.isVisible():
            self._ranges[self.fit_plot].fit(
                finite_bounds([last.data_y, last.curve]),
                x_bounds=finite_bounds([last.curve_x]),
            )

    def _draw_lines(
        self,
        plot: pg.PlotWidget,
        history: dict[str, GrowingSeries],
        curves: dict[str, LiveCurve],
    ) -> None:
        if history and list(curves) != list(history)[: len(curves)]:
            # Curves kept from the last run that this run's names, in order (colours
            # follow it), do not begin with: made anew below.
            self._remove_curves(plot, curves)
        for index, (name, series) in enumerate(history.items()):
            curve = curves.get(name)
            if curve is None:
                curve = curves[name] = LiveCurve(plot, self._pen(index), name)
            curve.setData(series.x, series.y)

    def _list_epochs(self, listed: bool) -> None:
        legend = self.loss_plot.getPlotItem().legend
        if (legend.getLabel(self.epoch_curve) is not None) == listed:
            return
        if listed:
            legend.addItem(self.epoch_curve, tr("epoch loss"))
        else:
            legend.removeItem(self.epoch_curve)

    @staticmethod
    def _remove_curves(plot: pg.PlotWidget, curves: dict[str, LiveCurve]) -> None:
        for curve in curves.values():
            curve.detach()
            plot.removeItem(curve)
        curves.clear()

    def _remove_truth_lines(self) -> None:
        for line in self._truth_lines:
            self.param_plot.removeItem(line)
        self._truth_lines.clear()
        self._truth_drawn = {}

    def _draw_truth(self) -> None:
        if not self._truth:
            return
        if self._truth_lines:
            drawn = self._truth_drawn
            if drawn.keys() == self._truth.keys() and all(
                np.array_equal(drawn[name], values) for name, values in self._truth.items()
            ):
                return
            self._remove_truth_lines()
        index = 0
        for name, values in self._truth.items():
            for position, value in enumerate(values):
                key = name if values.size == 1 else f"{name}[{position}]"
                order = list(self.param_history).index(key) if key in self.param_history else index
                pen = self._pen(order, TRUTH_PEN_WIDTH)
                pen.setStyle(pg.QtCore.Qt.DashLine)
                line = pg.InfiniteLine(pos=float(value), angle=0, pen=pen)
                _keep_painted(line)
                self.param_plot.addItem(line)
                self._truth_lines.append(line)
                index += 1
        self._truth_drawn = dict(self._truth)

    def set_pens(
        self, colors: tuple[str, ...], width: float, foreground: str | None = None
    ) -> None:
        """Draw the curves in ``colors`` (in order), ``width`` pixels wide, from now on;
        a previous run's faint line in the plots' ``foreground`` (its text's colour)."""
        self._colors, self._pen_width = tuple(colors), width
        self.previous.set_pen(foreground or LIGHT_THEME.plot_foreground, width)
        self.loss_curve.set_pen(self._pen(0))
        self.smooth_curve.set_pen(self._pen(1))
        self.fit_curve.set_pen(self._pen(1, FIT_PEN_WIDTH))
        for curves in (self._param_curves, self._grad_curves):
            for index, curve in enumerate(curves.values()):
                curve.set_pen(self._pen(index))
        self.layers.set_colors(self._colors, foreground or LIGHT_THEME.plot_foreground)
        self.classifier_curves.set_pens()
        self.classifier_view.set_colors(self._colors, foreground or LIGHT_THEME.plot_foreground)
        self.epoch_curve.setSymbolBrush(self._colors[2])
        self.data_scatter.setSymbolBrush(self._data_brush())
        if self._truth_lines:
            self._remove_truth_lines()
            self._draw_truth()
        for plot in (self.loss_plot, self.param_plot, self.grad_plot, self.accuracy_plot):
            for sample, _label in plot.getPlotItem().legend.items:
                sample.update()  # a sample draws with its curve's pen as it paints

    def _pen(self, index: int, least_width: float = 0.0) -> QPen:
        """The pen of the ``index``-th curve of a plot: the theme's colour and width."""
        color = self._colors[index % len(self._colors)]
        return pg.mkPen(color, width=max(least_width, self._pen_width))

    def _data_brush(self) -> QColor:
        color = QColor(self._colors[0])
        color.setAlpha(DATA_POINT_ALPHA)
        return color

    def _on_log_toggled(self, checked: bool) -> None:
        for plot in (self.loss_plot, self.grad_plot):
            plot.setLogMode(y=checked)
            self._ranges[plot].y = None  # in log10 units now, or no longer
        # The smoothed line averages what the axis shows: the logarithms, or the values.
        self.smooth_series.clear()
        self._smoothing = None
        if len(self.loss_series):
            self._extend_smoothed(self.loss_series.x, self.loss_series.y)
        self._mark_dirty()

    def _on_layers_toggled(self, shown: bool) -> None:
        """Show the layer statistics in the plots' place, or the plots again."""
        self._show_plots(not shown)
        self.layers.setVisible(shown)
        # The empty grid of hidden plots gives the layers all its room.
        self._plots_layout.setStretchFactor(self._grid, 0 if shown else 1)
        self.layers_toggled.emit(shown)
        self._dirty = True
        self.dirtied.emit()

    def _name_loss_curve(self, name: str) -> None:
        """Name the per-step loss in the legend (a classifier's is its training loss,
        beside its test loss); only when the name changes: a new one lays it out again."""
        label = self.loss_plot.getPlotItem().legend.getLabel(self.loss_curve)
        if label is not None and label.text != name:
            label.setText(name)
            self.loss_plot.getPlotItem().legend.fit_width()

    def _show_plots(self, shown: bool) -> None:
        """Show the plots the task has (``shown``), or hide them all for the layers."""
        classifier = self._classifier_shown
        for plot in (self.param_plot, self.grad_plot):
            plot.setVisible(shown and not classifier)
        self.loss_plot.setVisible(shown)
        self.fit_plot.setVisible(shown and self._fit_shown)
        self.accuracy_plot.setVisible(shown and classifier)
        self.classifier_view.setVisible(shown and classifier)
        self._mark_dirty()  # the plots shown now may have been hidden at the last redraw

    def _mark_dirty(self) -> None:
        self._dirty = True
        self.dirtied.emit()
