"""A classifier's plane, as TensorFlow Playground draws it: the data points coloured by
class over a heat map of the model's P(class 1), and beneath, the first hidden
layer's neurons, each a thumbnail of its own output over the plane.

The training thread computes the grids (core.training.classifier_task); this view
only hands them to image items, and draws the points once a run.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from autograd_playground.core.training.classifier_report import NEURONS_SHOWN, ClassifierReport
from autograd_playground.gui.appearance.themes import LIGHT_THEME, set_text_role
from autograd_playground.gui.training.plot_presentation import title_across
from autograd_playground.gui.ui_text import tr

# How far a sure prediction's colour goes from the background to its class's: the
# points, in the full colours, stay visible over the area of their own class.
TINT = 0.6
POINT_SIZE = 8
THUMBNAIL_HEIGHT = 56  # pixels, at the normal scale


def diverging_lut(low: QColor, middle: QColor, high: QColor) -> np.ndarray:
    """256 colours from ``low`` through ``middle`` (at the centre) to ``high``."""
    stops = np.linspace(-1.0, 1.0, 256)[:, None]
    rgb = [np.array(color.getRgb()[:3], dtype=np.float64) for color in (low, middle, high)]
    below = rgb[1] + (rgb[0] - rgb[1]) * np.clip(-stops, 0, 1)
    above = rgb[1] + (rgb[2] - rgb[1]) * np.clip(stops, 0, 1)
    return np.clip(np.where(stops < 0, below, above), 0, 255).astype(np.ubyte)


def tinted(color: str, background: str, amount: float) -> QColor:
    """``color`` mixed into ``background``: ``amount`` 0 is the background, 1 the colour."""
    a, b = QColor(color), QColor(background)
    return QColor(
        round(b.red() + (a.red() - b.red()) * amount),
        round(b.green() + (a.green() - b.green()) * amount),
        round(b.blue() + (a.blue() - b.blue()) * amount),
    )


def neuron_levels(activation: str, neurons: np.ndarray) -> tuple[float, float]:
    """The outputs at the two ends of a thumbnail's colours: the background is 0 (tanh,
    ReLU) or 0.5 (sigmoid), halfway between its two classes' colours."""
    if activation == "tanh":
        return -1.0, 1.0
    if activation == "sigmoid":
        return 0.0, 1.0
    top = float(np.max(neurons)) if neurons.size else 0.0
    top = max(top, 1e-6)
    return -top, top


class ClassifierView(QWidget):
    """The boundary plot over a row of the first hidden layer's neurons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background=LIGHT_THEME.plot_background)
        self.plot.setTitle(tr("Decision boundary"), color=LIGHT_THEME.plot_foreground, size="11pt")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        title_across(item)
        self.plot.setMouseEnabled(False, False)
        self.plot.setAspectLocked(True)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE)
        self.test_points = pg.ScatterPlotItem(size=POINT_SIZE)
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        self.neuron_title = QLabel(tr("First hidden layer: each neuron's output"))
        set_text_role(self.neuron_title, "muted")
        self.neurons = pg.GraphicsLayoutWidget()
        self.neurons.setBackground(LIGHT_THEME.plot_background)
        self.neurons.setFixedHeight(THUMBNAIL_HEIGHT)
        self.neurons.ci.setContentsMargins(0, 0, 0, 0)
        self._thumbnails: list[pg.ImageItem] = []
        self._drawn_points: np.ndarray | None = None
        self._report: ClassifierReport | None = None
        self._scale = 1.0
        self.set_colors(LIGHT_THEME.plot_colors, LIGHT_THEME.plot_foreground)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.neuron_title)
        layout.addWidget(self.neurons)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_colors(self, colors: tuple[str, ...], foreground: str) -> None:
        """Class 0 in the theme's orange, class 1 in its blue (as TensorFlow Playground
        draws them), the undecided middle in the plot's background (the theme's, once
        it styled the plot); test points ringed in ``foreground``."""
        background = self.plot.backgroundBrush().color().name()
        self._class_colors = (QColor(colors[4 % len(colors)]), QColor(colors[0]))
        low, high = (tinted(color.name(), background, TINT) for color in self._class_colors)
        self._lut = diverging_lut(low, QColor(background), high)
        self._brushes = [pg.mkBrush(color) for color in self._class_colors]
        self._train_pen = pg.mkPen(background, width=1)
        self._test_pen = pg.mkPen(foreground, width=1.5)
        self.neurons.setBackground(background)
        self._drawn_points = None  # drawn again in the new colours
        if self._report is not None:
            self.draw(self._report)

    def set_presentation_scale(self, scale: float) -> None:
        """Larger points and thumbnails for a projector."""
        self._scale = scale
        self.neurons.setFixedHeight(round(THUMBNAIL_HEIGHT * scale))
        self._drawn_points = None
        if self._report is not None:
            self.draw(self._report)

    def clear(self) -> None:
        """Show no run: an empty plane and no neurons."""
        self._report = None
        self._drawn_points = None
        self.image.clear()
        self.train_points.clear()
        self.test_points.clear()
        self._show_thumbnails(0)

    def draw(self, report: ClassifierReport) -> None:
        """Show ``report``: the heat map, the neurons and (once a run) the points."""
        self._report = report
        low, high = report.plane
        self.image.setImage(report.probabilities, levels=(0.0, 1.0), lut=self._lut)
        self.image.setRect(QRectF(low, low, high - low, high - low))
        if self._drawn_points is not report.train_points:
            self._draw_points(report)
            self.plot.getViewBox().setRange(xRange=(low, high), yRange=(low, high), padding=0)
        self._draw_neurons(report)

    def _draw_points(self, report: ClassifierReport) -> None:
        size = POINT_SIZE * self._scale
        for scatter, points, labels, pen in (
            (self.train_points, report.train_points, report.train_labels, self._train_pen),
            (self.test_points, report.test_points, report.test_labels, self._test_pen),
        ):
            brushes = [self._brushes[int(label)] for label in labels]
            scatter.setData(pos=points, brush=brushes, pen=pen, size=size, symbol="o", name=None)
        self._drawn_points = report.train_points

    def _draw_neurons(self, report: ClassifierReport) -> None:
        neurons = report.neurons
        self._show_thumbnails(len(neurons))
        levels = neuron_levels(report.activation, neurons)
        for image, values in zip(self._thumbnails, neurons, strict=False):
            image.setImage(values, levels=levels, lut=self._lut)

    def _show_thumbnails(self, count: int) -> None:
        """Have ``count`` thumbnails in the row (at most NEURONS_SHOWN), made anew when
        the count changes: a hidden box would still take its place in the row."""
        count = min(count, NEURONS_SHOWN)
        self.neuron_title.setVisible(count > 0)
        if count == len(self._thumbnails):
            return
        self.neurons.clear()
        self._thumbnails = []
        for column in range(count):
            box = self.neurons.addViewBox(row=0, col=column)
            box.setAspectLocked(True)
            box.setMouseEnabled(False, False)
            box.setMenuEnabled(False)
            image = pg.ImageItem(axisOrder="row-major")
            box.addItem(image)
            self._thumbnails.append(image)

    def thumbnail_count(self) -> int:
        """How many neurons' thumbnails show."""
        return len(self._thumbnails)
