"""The lab's "Layer statistics": what each layer is doing while the model trains.

On top, the size of each update against its weight (‖Δw‖/‖w‖, log scale: about
1e-3 is healthy, far above or below says the learning rate is too high or too
low) and each parameter's gradient norm, input side first (a slope of decades is
a vanishing or exploding gradient). Beneath, a heat-map strip for each parameter's
values and one for its gradient: steps along x, values up y, the colour the count
of elements in each bin. The numbers come from core.training.layer_history; this
thread only paints them.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from autograd_playground.core.training.layer_bins import LayerReport
from autograd_playground.core.training.layer_history import HistogramStrip, LayerHistory
from autograd_playground.gui.appearance.themes import LIGHT_THEME
from autograd_playground.gui.training.plot_presentation import PlotPresentation, title_across
from autograd_playground.gui.ui_text import tr

STRIP_HEIGHT = 120  # pixels a strip is at least tall, at the normal scale
SUMMARY_HEIGHT = 220  # the summary plots' height where there is room
# ... and the least they shrink to, so that the lab still fits a 720-pixel-high screen.
SUMMARY_MIN_HEIGHT = 120


def depth_colors(first: str, last: str, count: int) -> list[QColor]:
    """``count`` colours from ``first`` (the input side) to ``last`` (the output side)."""
    start, end = QColor(first), QColor(last)
    out = []
    for index in range(count):
        t = index / max(1, count - 1)
        out.append(
            QColor(
                round(start.red() + (end.red() - start.red()) * t),
                round(start.green() + (end.green() - start.green()) * t),
                round(start.blue() + (end.blue() - start.blue()) * t),
            )
        )
    return out


def heat_lut(background: QColor, ink: QColor) -> np.ndarray:
    """A look-up table from the plot's background (an empty bin) to ``ink`` (the
    fullest): legible in any theme, a light or a dark or a high-contrast one."""
    stops = np.linspace(0.0, 1.0, 256)[:, None]
    low = np.array(background.getRgb()[:3], dtype=np.float64)
    high = np.array(ink.getRgb()[:3], dtype=np.float64)
    return np.clip(low + (high - low) * stops, 0, 255).astype(np.ubyte)


def _plot(title: str, left: str, bottom: str, log_y: bool = False) -> pg.PlotWidget:
    widget = pg.PlotWidget(background=LIGHT_THEME.plot_background)
    widget.setTitle(title, color=LIGHT_THEME.plot_foreground, size="11pt")
    widget.setLabel("left", left)
    widget.setLabel("bottom", bottom)
    item = widget.getPlotItem()
    item.setMenuEnabled(False)
    widget.setMouseEnabled(False, False)
    for side in ("left", "bottom"):
        widget.getAxis(side).enableAutoSIPrefix(False)
    if log_y:
        item.setLogMode(False, True)
    title_across(item)
    return widget


class _Strip:
    """A heat map of one histogram strip over the steps."""

    def __init__(self, title: str, step: str) -> None:
        self.plot = _plot(title, "", "")  # the plots above name the step axis
        self.plot.setMinimumHeight(STRIP_HEIGHT)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.plot.addItem(self.image)

    def draw(self, strip: HistogramStrip, steps: np.ndarray, lut: np.ndarray) -> None:
        if strip.bins is None or not len(strip.counts):
            self.image.clear()
            return
        # The square root of the counts: a few elements far out still show beside a
        # crowd, and the crowd's shape still shows (a logarithm flattened it).
        shade = np.sqrt(strip.counts)
        self.image.setImage(shade, levels=(0.0, max(1.0, float(shade.max()))), lut=lut)
        first, last = float(steps[0]), float(steps[-1])
        width = (last - first) * len(steps) / max(1, len(steps) - 1) or 1.0
        self.image.setRect(QRectF(first, strip.bins.low, width, 2 * strip.bins.half))
        self.plot.getViewBox().setRange(
            xRange=(first, first + width), yRange=(strip.bins.low, strip.bins.high), padding=0
        )


class LayersView(QWidget):
    """The ratio and gradient plots over a scrolled column of heat-map strips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = LayerHistory()
        self._dirty = False
        self._colors: tuple[str, ...] = LIGHT_THEME.plot_colors
        self._foreground = LIGHT_THEME.plot_foreground
        self._scale = 1.0
        self._step = tr("step")
        self.ratio_plot = _plot(tr("Update size ÷ weight size"), "‖Δw‖ / ‖w‖", self._step, True)
        self.grad_plot = _plot(
            tr("Gradient norm by layer"),
            "‖grad‖",
            tr("parameter"),
            True,
        )
        self._ratio_curves: dict[str, pg.PlotDataItem] = {}
        self._grad_points = self.grad_plot.plot(symbol="o", symbolSize=9)
        self._strips: dict[str, tuple[_Strip, _Strip]] = {}
        self.hint = QLabel(
            tr(
                "Start training: each parameter's values and gradient appear "
                "here, as they change step by step."
            )
        )
        self.hint.setWordWrap(True)
        # Which line is which: a legend of every parameter would cover the lines.
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        summary = QGridLayout()
        summary.addWidget(self.ratio_plot, 0, 0)
        summary.addWidget(self.grad_plot, 0, 1)
        self._size_summary(1.0)
        self._strip_grid = QGridLayout()
        inner = QWidget()
        inner.setLayout(self._strip_grid)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addLayout(summary)
        layout.addWidget(self.caption)
        layout.addWidget(self.scroll, 1)
        self._presentation = PlotPresentation([self.ratio_plot, self.grad_plot])

    def add(self, report: LayerReport | None) -> None:
        """Buffer a report's samples; the next redraw paints them."""
        if report is not None and len(report.steps):
            if len(self.history.steps) and report.steps[0] <= self.history.steps[-1]:
                self.history.drop_from(float(report.steps[0]))
            self.history.add(report)
            self._dirty = True

    def clear(self) -> None:
        self.history.clear()
        for curve in self._ratio_curves.values():
            self.ratio_plot.removeItem(curve)
        self._ratio_curves = {}
        self.caption.clear()
        for values, grads in self._strips.values():
            for strip in (values, grads):
                self._strip_grid.removeWidget(strip.plot)
                strip.plot.deleteLater()
        self._strips = {}
        self._grad_points.setData([], [])
        self.hint.show()
        self._dirty = True

    def set_colors(self, colors: tuple[str, ...], foreground: str) -> None:
        self._colors, self._foreground = tuple(colors), foreground
        self._ratio_curves_restyled()
        if self._ratio_curves:
            self._name_ends(list(self._ratio_curves))
        self._dirty = True

    def set_presentation_scale(self, scale: float) -> None:
        self._scale = scale
        self._presentation.set_scale(scale)
        self._size_summary(scale)
        for values, grads in self._strips.values():
            for strip in (values, grads):
                strip.plot.setMinimumHeight(round(STRIP_HEIGHT * scale))
        self._dirty = True

    def _size_summary(self, scale: float) -> None:
        for plot in (self.ratio_plot, self.grad_plot):
            plot.setMinimumHeight(round(SUMMARY_MIN_HEIGHT * scale))
            plot.setMaximumHeight(round(SUMMARY_HEIGHT * scale))

    def redraw(self) -> bool:
        """Paint what came in since the last call; return False when nothing had."""
        if not self._dirty:
            return False
        self._dirty = False
        history = self.history
        if not len(history.steps):
            return True
        self.hint.hide()
        names = list(history.tracks)
        self._ensure_rows(names)
        self._ratio_curves_restyled()
        for name in names:
            track = history.tracks[name]
            ratios = np.where(track.ratios > 0, track.ratios, np.nan)
            self._ratio_curves[name].setData(history.steps, ratios, connect="finite")
        self._draw_grad_points(names)
        lut = heat_lut(self.ratio_plot.backgroundBrush().color(), QColor(self._foreground))
        for name in names:
            values, grads = self._strips[name]
            values.draw(history.tracks[name].values, history.steps, lut)
            grads.draw(history.tracks[name].grads, history.steps, lut)
        return True

    def _draw_grad_points(self, names: list[str]) -> None:
        """The latest gradient norm of each parameter, over its place in the model."""
        latest = []
        for name in names:
            norms = self.history.tracks[name].grad_norms
            finite = norms[np.isfinite(norms) & (norms > 0)]
            latest.append(float(finite[-1]) if finite.size else np.nan)
        self._grad_points.setData(np.arange(len(names)), np.asarray(latest), connect="finite")
        # Ten numbers at most, fewer at projector size: they stay apart.
        most = max(2, round(10 / self._scale**2))
        every = max(1, -(-len(names) // most))
        self.grad_plot.getAxis("bottom").setTicks(
            [[(index, str(index)) for index in range(0, len(names), every)]]
        )

    def _ensure_rows(self, names: list[str]) -> None:
        """A ratio curve and two strips for each parameter not shown yet."""
        new = [name for name in names if name not in self._strips]
        for name in new:
            self._ratio_curves[name] = self.ratio_plot.plot()
            row = len(self._strips)
            values = _Strip(tr("{name}: values", name=name), self._step)
            grads = _Strip(tr("{name}: gradient", name=name), self._step)
            for column, strip in enumerate((values, grads)):
                strip.plot.setParent(self)  # a theme finds it among the window's children
                self._style_strip(strip)
                self._strip_grid.addWidget(strip.plot, row, column)
            self._strips[name] = (values, grads)
        if new:
            self._name_ends(names)

    def _name_ends(self, names: list[str]) -> None:
        """Say, in their own colours, which parameters the update lines run between."""
        colors = depth_colors(self._colors[0], self._colors[1], len(names))
        first = f'<b style="color:{colors[0].name()}">{html.escape(names[0])}</b>'
        last = f'<b style="color:{colors[-1].name()}">{html.escape(names[-1])}</b>'
        self.caption.setText(
            tr(
                "A line for each parameter, coloured from {first} (input "
                "side) to {last} (output side). About 1e-3 is a healthy "
                "step; far above, the learning rate is too high, far below, "
                "too low.",
                first=first,
                last=last,
            )
        )

    def _style_strip(self, strip: _Strip) -> None:
        """A new strip in the colours and size of the plots above it."""
        plot = strip.plot
        plot.setBackground(self.ratio_plot.backgroundBrush().color())
        item = plot.getPlotItem()
        for side in ("left", "bottom"):
            item.getAxis(side).setPen(self._foreground)
            item.getAxis(side).setTextPen(self._foreground)
        item.titleLabel.setText(item.titleLabel.text, color=self._foreground)
        plot.setMinimumHeight(round(STRIP_HEIGHT * self._scale))
        if self._scale != 1.0:
            PlotPresentation([plot]).set_scale(self._scale)

    def _ratio_curves_restyled(self) -> None:
        colors = depth_colors(self._colors[0], self._colors[1], len(self._ratio_curves))
        for curve, color in zip(self._ratio_curves.values(), colors, strict=True):
            curve.setPen(pg.mkPen(color, width=2 * self._scale))
        self._grad_points.setPen(pg.mkPen(self._colors[0], width=2 * self._scale))
        self._grad_points.setSymbolBrush(self._colors[0])
