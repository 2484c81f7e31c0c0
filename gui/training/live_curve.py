"""Plot lines for curves that change several times a second, painted by Qt alone."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

EMPTY = np.zeros(0)
EMPTY_PATH = QPainterPath()
LONE_POINT_PX = 4  # half the width of the dash that shows a point with no neighbour
# A band reaches this many columns either side at most, however wide its pen.
MAX_REACH = 8


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


def band_outline(x: np.ndarray, y: np.ndarray, half_x: float, half_y: float) -> QPainterPath:
    """The area a line ``2 * half_x`` wide and ``2 * half_y`` high in data units covers
    through (x, y), x ascending with several points to an x (as peak_downsample gives
    them), as closed polygons: each x's lowest to highest y, widened to the points
    within ``half_x`` either side and ``half_y`` beyond, as the pen widens a steep
    line both ways. A column whose y is all NaN breaks it, as it breaks the line."""
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    columns = x[starts]
    low, high = np.fmin.reduceat(y, starts), np.fmax.reduceat(y, starts)
    finite = np.isfinite(columns) & np.isfinite(low)
    if len(columns) > 1:
        spacing = float(np.median(np.diff(columns)))
        reach = min(MAX_REACH, int(half_x / spacing)) if spacing > 0 else 0
        low, high = _spread(low, reach, np.fmin) - half_y, _spread(high, reach, np.fmax) + half_y
    else:
        low, high = low - half_y, high + half_y
    edges = np.flatnonzero(np.diff(np.r_[False, finite, False].astype(np.int8)))
    outline = QPainterPath()
    for start, stop in zip(edges[0::2], edges[1::2], strict=True):
        xs = np.r_[columns[start] - half_x, columns[start:stop], columns[stop - 1] + half_x]
        tops = np.r_[high[start], high[start:stop], high[stop - 1]]
        bottoms = np.r_[low[start], low[start:stop], low[stop - 1]]
        part = pg.arrayToQPath(np.r_[xs, xs[::-1]], np.r_[tops, bottoms[::-1]], connect="all")
        part.closeSubpath()
        outline.addPath(part)
    return outline


def _spread(values: np.ndarray, reach: int, extreme: np.ufunc) -> np.ndarray:
    """Each value's ``extreme`` (np.fmin, np.fmax) over the ``reach`` values either side."""
    spread = values.copy()
    for shift in range(1, reach + 1):
        spread[:-shift] = extreme(spread[:-shift], values[shift:])
        spread[shift:] = extreme(spread[shift:], values[:-shift])
    return spread


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
        self.log_y = False
        self._x = self._y = EMPTY
        self._view = plot.getViewBox()
        self._line_pen = QPen()  # what Qt draws a line with (see setPen)
        # Drawn as the area a wide line covers (see _rebuild); None: pen and brush unset.
        self._band: bool | None = None
        self.set_pen(pen)
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
        self._line_pen = drawn
        self._band = None  # the next path sets pen and brush anew
        self._rebuild()  # a wide pen draws dense data as a band

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
        dense = len(x) > 2 * pixels
        if dense:  # more points than the plot can show (x ascends, as steps do)
            (left, right), _ = self._view.viewRange()
            # The points in view, and one on each side so that the line runs to the edges.
            start = max(0, int(np.searchsorted(x, left)) - 1)
            stop = min(len(x), int(np.searchsorted(x, right, side="right")) + 1)
            x, y = peak_downsample(x[start:stop], y[start:stop], pixels)
        if self.log_y and len(y):
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(y > 0, np.log10(np.where(y > 0, y, 1.0)), np.nan)
        if not len(x):
            self._show_band(False)
            self.setPath(EMPTY_PATH)
            return
        pixel = self._pixel_size()
        if dense and pixel is not None and self._draws_bands():
            # A wide line up and down every pixel column (a noisy loss) covers a band:
            # Qt fills that as one polygon in a fraction of the time it strokes the
            # line, which was most of a frame with presentation mode's wider lines.
            half = self._line_pen.widthF() / 2
            self._show_band(True)
            self.setPath(band_outline(x, y, half * pixel[0], half * pixel[1]))
            return
        self._show_band(False)
        path = QPainterPath(pg.arrayToQPath(x, y, connect="finite"))
        lone = lone_points(x, y)
        if len(lone) and pixel is not None:
            # A point with no neighbour to join draws nothing as a line: a short dash
            # shows it (a run sent back to step 0 has one parameter value to show).
            half = LONE_POINT_PX * pixel[0]
            for index in lone:
                path.moveTo(x[index] - half, y[index])
                path.lineTo(x[index] + half, y[index])
        self.setPath(path)

    def _pixel_size(self) -> tuple[float, float] | None:
        """A pixel's width and height in data units, or None before the plot has a size."""
        width, height = self._view.width(), self._view.height()
        if width < 1 or height < 1:
            return None
        (left, right), (bottom, top) = self._view.viewRange()
        return (right - left) / width, (top - bottom) / height

    def _draws_bands(self) -> bool:
        """Whether dense data is drawn as the band its line covers: for a solid
        line wider than a pixel, whose band looks as the line would."""
        pen = self._line_pen
        return pen.style() == Qt.PenStyle.SolidLine and pen.isCosmetic() and pen.widthF() > 1

    def _show_band(self, band: bool) -> None:
        """Fill the path in the line's colour (a band), or draw it with the line's pen."""
        if band == self._band:
            return
        self._band = band
        if band:
            super().setPen(QPen(Qt.PenStyle.NoPen))
            self.setBrush(self._line_pen.brush())
        else:
            super().setPen(self._line_pen)
            self.setBrush(Qt.BrushStyle.NoBrush)
