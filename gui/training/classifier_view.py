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
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

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
        # The grid's pixels blended, not blocks: the boundary's curve reads as one.
        self.plot.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE)
        self.test_points = pg.ScatterPlotItem(size=POINT_SIZE)
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        for points in (self.train_points, self.test_points):
            # Painted once a run into a pixmap, which each frame's new heat map under
            # them repaints from: drawn anew, hundreds of symbols cost most of a frame.
            points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.neuron_title = QLabel(tr("First hidden layer's neurons"))
        self.neuron_title.setToolTip(
            tr("Each neuron's output over the plane, in the colours of the map above")
        )
        set_text_role(self.neuron_title, "muted")
        # Wrapped rather than widening the column at a projector's font size.
        self.neuron_title.setWordWrap(True)
        self.neurons = pg.GraphicsLayoutWidget()
        self.neurons.setBackground(LIGHT_THEME.plot_background)
        self.neurons.setFixedHeight(THUMBNAIL_HEIGHT)
        self.neurons.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.neurons.ci.setContentsMargins(0, 0, 0, 0)
        self.strip_box = self.neurons.addViewBox(row=0, col=0)
        self.strip_box.setAspectLocked(True)
        self.strip_box.setMouseEnabled(False, False)
        self.strip_box.setMenuEnabled(False)
        self.strip = pg.ImageItem(axisOrder="row-major")
        self.strip_box.addItem(self.strip)
        self._neuron_count = 0
        self._image_rect = QRectF()
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
        orange = colors[4] if len(colors) > 4 else colors[1]
        self._class_colors = (QColor(orange), QColor(colors[0]))
        low, high = (tinted(color.name(), background, TINT) for color in self._class_colors)
        self._lut = diverging_lut(low, QColor(background), high)
        self._brushes = [pg.mkBrush(color) for color in self._class_colors]
        self._train_pen = pg.mkPen(background, width=1)
        self._test_pen = pg.mkPen(foreground, width=1.5)
        self.neurons.setBackground(background)
        self._background_rgb = np.array(QColor(background).getRgb()[:3], dtype=np.ubyte)
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
        self.strip.clear()
        self._neuron_count = 0
        self.neuron_title.setVisible(False)

    def draw(self, report: ClassifierReport) -> None:
        """Show ``report``: the heat map, the neurons and (once a run) the points."""
        self._report = report
        low, high = report.plane
        self.image.setImage(colored(report.probabilities, (0.0, 1.0), self._lut), levels=None)
        rect = QRectF(low, low, high - low, high - low)
        if rect != self._image_rect:  # a new rectangle lays the plot out again
            self._image_rect = rect
            self.image.setRect(rect)
        if self._drawn_points is not report.train_points:
            self._draw_points(report)
            self.plot.getViewBox().setRange(xRange=(low, high), yRange=(low, high), padding=0)
        self._draw_neurons(report)

    def _draw_points(self, report: ClassifierReport) -> None:
        # Larger at a projector's scale, but less so than the text: the points must
        # leave the boundary between them in view.
        size = POINT_SIZE * self._scale**0.5
        for scatter, points, labels, pen in (
            (self.train_points, report.train_points, report.train_labels, self._train_pen),
            (self.test_points, report.test_points, report.test_labels, self._test_pen),
        ):
            brushes = [self._brushes[int(label)] for label in labels]
            scatter.setData(pos=points, brush=brushes, pen=pen, size=size, symbol="o", name=None)
        self._drawn_points = report.train_points

    def _draw_neurons(self, report: ClassifierReport) -> None:
        count = min(len(report.neurons), NEURONS_SHOWN)
        self.neuron_title.setVisible(count > 0)
        if not count:
            self.strip.clear()
            self._neuron_count = 0
            return
        levels = neuron_levels(report.activation, report.neurons)
        strip = neuron_strip(report.neurons[:count], levels, self._lut, self._background_rgb)
        self.strip.setImage(strip, levels=None, autoLevels=False)
        if count != self._neuron_count:
            self._neuron_count = count
            height, width = strip.shape[:2]
            self.strip_box.setRange(xRange=(0, width), yRange=(0, height), padding=0)

    def thumbnail_count(self) -> int:
        """How many neurons' thumbnails show."""
        return self._neuron_count


def colored(values: np.ndarray, levels: tuple[float, float], lut: np.ndarray) -> np.ndarray:
    """``values`` as RGB through ``lut``, ``levels`` at its two ends: an image Qt shows
    as it is, with no scaling or look-up left for the paint."""
    low, high = levels
    index = (values - low) * (255.0 / max(high - low, 1e-12))
    return lut[np.clip(np.nan_to_num(index), 0, 255).astype(np.intp)]


def neuron_strip(
    neurons: np.ndarray, levels: tuple[float, float], lut: np.ndarray, background: np.ndarray
) -> np.ndarray:
    """The neurons' maps side by side as one RGB image, a gap of ``background`` between
    them: one image to paint a frame rather than one a neuron."""
    count, side, _ = neurons.shape
    gap = max(1, side // 8)
    strip = np.empty((side, count * side + (count - 1) * gap, 3), dtype=np.ubyte)
    strip[:] = background
    for index, values in enumerate(neurons):
        start = index * (side + gap)
        strip[:, start : start + side] = colored(values, levels, lut)
    return strip
