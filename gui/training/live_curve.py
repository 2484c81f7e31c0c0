"""Plot lines for curves that change several times a second, painted by Qt alone."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

EMPTY = np.zeros(0)
EMPTY_PATH = QPainterPath()
LONE_POINT_PX = 4  # half the width of the dash that shows a point with no neighbour


def lone_points(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the finite points whose neighbours are missing or not finite."""
    finite = np.isfinite(x) & np.isfinite(y)
    joined = np.zeros(len(finite), dtype=bool)
    joined[1:] |= finite[:-1]
    joined[:-1] |= finite[1:]
    return np.flatnonzero(finite & ~joined)


def peak_downsample(x: np.ndarray, y: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about 2 * ``bins`` points that keep every bin's lowest and highest y.

    The points past the last whole bin make one more, whose newest point is
    kept as well: the line always ends at the newest value. NaN counts only in
    a bin of nothing else, where it breaks the line, as a NaN point does.
    """
    count = len(x)
    if bins < 1 or count <= 2 * bins:
        return x, y
    per_bin = count // bins
    whole = (count // per_bin) * per_bin
    rows = y[:whole].reshape(-1, per_bin)
    peaks = np.empty(2 * len(rows))
    peaks[0::2] = np.fmin.reduce(rows, axis=1)
    peaks[1::2] = np.fmax.reduce(rows, axis=1)
    starts = np.repeat(x[:whole:per_bin], 2)
    tail_x, tail_y = x[whole:], y[whole:]
    if len(tail_x) > 3:
        tail_x = np.array([tail_x[0], tail_x[0], tail_x[-1]])
        tail_y = np.array([np.fmin.reduce(tail_y), np.fmax.reduce(tail_y), tail_y[-1]])
    return np.concatenate([starts, tail_x]), np.concatenate([peaks, tail_y])


class LiveCurve(QGraphicsPathItem):
    """A line through (x, y) in a pyqtgraph plot, for data that grows while training.

    pyqtgraph's PlotDataItem runs Python whenever it paints or is asked its
    bounds, and reworks its data (downsampling, clipping, log mapping) at each
    paint: with eight curves that was most of a lab frame, and every
    millisecond of it holds the GIL that the training thread needs. This item
    does that work once per new data, in numpy, and keeps only as many points
    as the plot is pixels wide; Qt paints the path and knows its bounds
    without calling back into Python.

    It speaks the parts of PlotDataItem's protocol the plots use: ``setData``,
    ``getData``, ``setLogMode`` (called by the plot when its log mode changes)
    and ``opts`` (read by a legend's sample).
    """

    def __init__(self, plot: pg.PlotWidget, pen: object, name: str | None = None) -> None:
        super().__init__()
        self.opts = {"pen": None, "symbol": None}
        self.set_pen(pen)
        self.log_y = False
        self._x = self._y = EMPTY
        self._view = plot.getViewBox()
        plot.addItem(self, ignoreBounds=True)  # the plots set their ranges themselves
        if name is not None:
            plot.getPlotItem().legend.addItem(self, name)
        # A zoom or a resize changes which points show and how many fit.
        self._view.sigXRangeChanged.connect(self._rebuild)
        self._view.sigResized.connect(self._rebuild)

    def set_pen(self, pen: object) -> None:
        """Draw the line (and its legend sample) with ``pen``, anything pg.mkPen takes."""
        self.setPen(pg.mkPen(pen))  # cosmetic: the same width at any zoom

    def setPen(self, pen: QPen) -> None:
        """Draw the line with ``pen``; ``pen()`` and the legend's sample give it back.

        A one-pixel line is given to Qt as width 0, which draws the same pixels: Qt
        takes a hairline's bounds from the path's points, but those of any wider
        pen from a stroke of the whole path, at every new path (most of a lab
        frame's painting, for lines whose bounds nothing needs that exactly).
        """
        self.opts["pen"] = pen
        drawn = QPen(pen)
        if pen.isCosmetic() and 0 < pen.widthF() <= 1:
            drawn.setWidthF(0)
        super().setPen(drawn)

    def pen(self) -> QPen:
        """The pen the line was given (a hairline's width as given, not Qt's 0)."""
        return self.opts["pen"]

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:
        self._x = np.asarray(x, dtype=np.float64)
        self._y = np.asarray(y, dtype=np.float64)
        self._rebuild()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        """The data as given, before downsampling and log mapping."""
        return self._x, self._y

    def setLogMode(self, x_log: bool, y_log: bool) -> None:
        del x_log  # the lab's x axes count steps, never on a log scale
        if y_log != self.log_y:
            self.log_y = y_log
            self._rebuild()

    def detach(self) -> None:
        """Stop following the plot's view (before the plot removes this curve)."""
        self._view.sigXRangeChanged.disconnect(self._rebuild)
        self._view.sigResized.disconnect(self._rebuild)

    def _rebuild(self, *_args: object) -> None:
        x, y = self._x, self._y
        pixels = int(self._view.width())
        if len(x) > 2 * pixels:  # more points than the plot can show (x ascends, as steps do)
            (left, right), _ = self._view.viewRange()
            # The points in view, and one on each side so that the line runs to the edges.
            start = max(0, int(np.searchsorted(x, left)) - 1)
            stop = min(len(x), int(np.searchsorted(x, right, side="right")) + 1)
            x, y = peak_downsample(x[start:stop], y[start:stop], pixels)
        if self.log_y and len(y):
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(y > 0, np.log10(np.where(y > 0, y, 1.0)), np.nan)
        if not len(x):
            self.setPath(EMPTY_PATH)
            return
        path = QPainterPath(pg.arrayToQPath(x, y, connect="finite"))
        lone = lone_points(x, y)
        if len(lone):
            # A point with no neighbour to join draws nothing as a line: a short dash
            # shows it (a run sent back to step 0 has one parameter value to show).
            (left, right), _ = self._view.viewRange()
            half = LONE_POINT_PX * (right - left) / max(1, pixels)
            for index in lone:
                path.moveTo(x[index] - half, y[index])
                path.lineTo(x[index] + half, y[index])
        self.setPath(path)
