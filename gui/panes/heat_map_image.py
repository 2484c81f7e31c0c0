"""Paint a tensor's heat map (core.graph.heat_map) as images: cells, colour bar, histogram.

The cells arrive reduced from the engine thread; here they only become colours. The
scale diverges from zero: blue below, red above, a near-white neutral at zero (the
colour-blind-safe "RdBu" scheme), symmetric at ±scale so equal magnitudes get equal
strength. NaN cells are black and infinite ones gray: colours the scale never uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from autograd_playground.core.graph.heat_map import (
    FINITE,
    HAS_NAN,
    HeatMap,
    HeatPanel,
    Histogram,
)

# Strong blue (most negative) through near-white (zero) to strong red (most positive).
DIVERGING = (
    "#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
    "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f",
)  # fmt: skip
LEVELS = 255  # odd: the middle level is exactly zero
NEUTRAL = DIVERGING[len(DIVERGING) // 2]
NAN_COLOR = "#000000"
INF_COLOR = "#8c8c8c"


def _color_table() -> np.ndarray:
    """The scale's LEVELS colours as 0xffRRGGBB, interpolated between the anchors."""
    anchors = np.array([QColor(name).getRgb()[:3] for name in DIVERGING], dtype=np.float64)
    where = np.linspace(0, len(DIVERGING) - 1, LEVELS)
    rgb = np.stack(
        [np.interp(where, np.arange(len(DIVERGING)), anchors[:, k]) for k in range(3)], axis=1
    )
    rgb = np.rint(rgb).astype(np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


COLOR_TABLE = _color_table()


def level_of(values: np.ndarray, scale: float) -> np.ndarray:
    """The colour level of each value: 0 at -scale, LEVELS // 2 at zero, LEVELS - 1 at +scale."""
    middle = LEVELS // 2
    if scale <= 0:
        return np.full(values.shape, middle, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        levels = np.rint(middle + middle * np.clip(values / scale, -1.0, 1.0))
    return np.nan_to_num(levels, nan=middle).astype(np.int64)


def color_of(value: float, scale: float) -> QColor:
    """The colour the scale gives ``value``."""
    return QColor.fromRgb(int(COLOR_TABLE[level_of(np.array([value]), scale)[0]]))


def panel_pixels(panel: HeatPanel, scale: float) -> np.ndarray:
    """Each cell's colour as 0xffRRGGBB, rows × cols."""
    cells = np.frombuffer(panel.cells, dtype=np.float64).reshape(panel.rows, panel.cols)
    marks = np.frombuffer(panel.marks, dtype=np.uint8).reshape(panel.rows, panel.cols)
    pixels = COLOR_TABLE[level_of(cells, scale)]
    pixels[marks == HAS_NAN] = QColor(NAN_COLOR).rgba()
    pixels[(marks != FINITE) & (marks != HAS_NAN)] = QColor(INF_COLOR).rgba()
    return np.ascontiguousarray(pixels, dtype=np.uint32)


@dataclass(frozen=True)
class HeatLayout:
    """Where a heat map image puts things: each panel's cells (in image pixels) and the
    size of one cell."""

    panel_rects: tuple[QRect, ...]
    cell_width: int
    cell_height: int


def _label(panel: HeatPanel) -> str:
    return "[" + ", ".join(str(i) for i in panel.index) + "]"


def plan_layout(heat: HeatMap, width: int, font: QFont, height: int | None = None) -> HeatLayout:
    """Place the panels in at most ``width`` pixels: cells as large as fit, between two
    pixels and about two lines of text; a 1-D tensor's row a line high at least.
    Given a ``height`` as well, the cells fill the larger of the two (a window of
    their own) and may be as large as they fit."""
    line = QFontMetrics(font).height()
    gap = line // 2
    rows, cols = heat.panels[0].rows, heat.panels[0].cols
    sliced = bool(heat.panels[0].index)
    per_row = min(len(heat.panels), 4) if sliced else 1
    if sliced and len(heat.panels[0].index) == 2:
        # A 4-D tensor's slices in its own rows: [0, j] on the first, [1, j] on the next.
        per_row = min(8, 1 + max(panel.index[1] for panel in heat.panels))
    cell = (width - gap * (per_row - 1)) // (per_row * cols)
    if height is None:
        cell = min(cell, 2 * line if not sliced else line)
    else:
        down = -(-len(heat.panels) // per_row)
        label_height = line if sliced else 0
        cell = min(cell, (height - down * (label_height + gap)) // (down * rows))
    cell = max(2, cell)
    cell_height = max(cell, line) if rows == 1 else cell
    label_height = line if sliced else 0
    rects = []
    for number in range(len(heat.panels)):
        across, down = number % per_row, number // per_row
        x = across * (cols * cell + gap)
        y = down * (label_height + rows * cell_height + gap) + label_height
        rects.append(QRect(x, y, cols * cell, rows * cell_height))
    return HeatLayout(tuple(rects), cell, cell_height)


def paint_heat_map(heat: HeatMap, layout: HeatLayout, font: QFont, text: QColor) -> QImage:
    """The panels' cells, each framed in ``text``'s colour and labelled with its index."""
    bounds = QRect()
    for rect in layout.panel_rects:
        bounds = bounds.united(rect.adjusted(0, -QFontMetrics(font).height(), 1, 1))
    image = QImage(bounds.right() + 2, bounds.bottom() + 2, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setFont(font)
    for panel, rect in zip(heat.panels, layout.panel_rects, strict=True):
        pixels = panel_pixels(panel, heat.scale)
        cells = QImage(
            pixels.data, panel.cols, panel.rows, 4 * panel.cols, QImage.Format.Format_ARGB32
        )
        # Scaled without smoothing: each cell stays one flat colour.
        painter.drawImage(rect, cells.copy())
        painter.setPen(QPen(text, 1))
        painter.drawRect(rect.adjusted(0, 0, 0, 0))
        if panel.index:
            painter.drawText(rect.left(), rect.top() - QFontMetrics(font).descent(), _label(panel))
    painter.end()
    return image


def color_bar_width(font: QFont, labels: tuple[str, str, str]) -> int:
    """The least width at which a colour bar's end labels stand apart."""
    metrics = QFontMetrics(font)
    return (
        metrics.horizontalAdvance(labels[0])
        + metrics.horizontalAdvance(labels[2])
        + 2 * metrics.height()
    )


def paint_color_bar(width: int, font: QFont, text: QColor, labels: tuple[str, str, str]) -> QImage:
    """A horizontal colour bar ``width`` pixels wide, -scale at the left and +scale at
    the right, with ``labels`` (left, middle, right) under it: on one line where they
    fit, else the right one on a second line."""
    metrics = QFontMetrics(font)
    left, middle, right = labels
    one_line = width >= color_bar_width(font, labels)
    bar_height = max(8, metrics.height() * 2 // 3)
    text_height = metrics.height() * (1 if one_line else 2)
    image = QImage(width, bar_height + 3 + text_height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    levels = np.ascontiguousarray(COLOR_TABLE.reshape(1, LEVELS))
    row = QImage(levels.data, LEVELS, 1, 4 * LEVELS, QImage.Format.Format_ARGB32).copy()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(QRect(0, 0, width - 1, bar_height), row)
    painter.setPen(QPen(text, 1))
    painter.drawRect(QRect(0, 0, width - 1, bar_height))
    painter.drawLine(width // 2, bar_height, width // 2, bar_height + 3)  # where zero is
    painter.setFont(font)
    below = QRect(0, bar_height + 3, width, metrics.height())
    painter.drawText(below, Qt.AlignmentFlag.AlignLeft, left)
    if one_line:
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, middle)
    else:
        below.translate(0, metrics.height())
    painter.drawText(below, Qt.AlignmentFlag.AlignRight, right)
    painter.end()
    return image


def paint_histogram(histogram: Histogram, width: int, font: QFont, bars: QColor) -> QImage:
    """Bars of ``histogram``'s counts, ``width`` pixels wide and two lines high, with a
    mark where zero falls."""
    line = QFontMetrics(font).height()
    height = 2 * line
    image = QImage(width, height + 2, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    peak = max(histogram.counts) or 1
    bin_width = width / len(histogram.counts)
    for number, count in enumerate(histogram.counts):
        if count:
            bar = max(1.0, height * count / peak)
            painter.fillRect(
                QRectF(number * bin_width, height - bar, max(1.0, bin_width - 1), bar), bars
            )
    painter.setPen(QPen(bars, 1))
    painter.drawLine(0, height + 1, width, height + 1)
    if histogram.low < 0 < histogram.high:
        x = width * (0 - histogram.low) / (histogram.high - histogram.low)
        painter.setPen(QPen(bars, 1, Qt.PenStyle.DashLine))
        painter.drawLine(round(x), 0, round(x), height + 1)
    painter.end()
    return image
