"""Presentation mode for pyqtgraph plots: titles, axes, legends and lines, scaled together.

pyqtgraph gives its text fixed sizes of its own (a title's ``size='11pt'``, a
legend's ``labelTextSize='9pt'``, the axis label's font as it was when the plot
was made), so a larger application font leaves every plot as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics, QPen

from autograd_playground.gui.appearance.presentation import scaled_font

TITLE_ROW = 30  # pyqtgraph's fixed height of a plot's title row, in pixels
_CSS_SIZE = re.compile(r"^\s*([0-9.]+)\s*(pt|px)\s*$")


def scaled_css_size(size: str, scale: float) -> str:
    """Return a CSS size such as '9pt' ``scale`` times larger ('13.5pt')."""
    match = _CSS_SIZE.match(size)
    if match is None:
        return size
    return f"{float(match.group(1)) * scale:g}{match.group(2)}"


@dataclass
class _AxisText:
    tick_font: QFont | None  # the axis's own tick font; None follows the app font
    normal_tick_font: QFont  # the font its ticks were drawn in
    label_font: QFont
    text_width: int


@dataclass
class _PlotText:
    """What one plot drew its text with before presentation mode."""

    title_size: str | None
    legend_size: str | None
    axes: dict[str, _AxisText]


class PlotPresentation:
    """Makes the text and lines of ``plots`` ``scale`` times larger; 1.0 puts them back."""

    def __init__(self, plots: list[pg.PlotWidget]) -> None:
        self._plots = plots
        self.scale = 1.0
        self._normal: dict[int, _PlotText] = {}

    def set_scale(self, scale: float) -> None:
        """Scale every plot's title, legend, axis labels, tick labels and lines.

        Called before the app font grows: the tick labels follow the app font.
        """
        if scale == self.scale:
            return
        if self.scale == 1.0:
            self._normal = {id(plot): _plot_text(plot) for plot in self._plots}
        self.scale = scale
        for plot in self._plots:
            _apply_text(plot, self._normal[id(plot)], scale)
        self.scale_lines()
        if scale == 1.0:
            self._normal = {}

    def scale_lines(self) -> None:
        """Give the lines drawn since the last call (a new curve, say) the current width."""
        for plot in self._plots:
            for item in plot.getPlotItem().items:
                _scale_line(item, self.scale)


def _plot_text(plot: pg.PlotWidget) -> _PlotText:
    item = plot.getPlotItem()
    title = item.titleLabel
    legend = item.legend
    axes = {}
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axes[side] = _AxisText(
            axis.style["tickFont"],
            QFont(axis.style["tickFont"] or axis.font()),
            QFont(axis.label.font()),
            axis.textWidth,
        )
    return _PlotText(
        title.opts.get("size") if title.isVisible() else None,
        legend.opts["labelTextSize"] if legend is not None else None,
        axes,
    )


def _apply_text(plot: pg.PlotWidget, normal: _PlotText, scale: float) -> None:
    item = plot.getPlotItem()
    if normal.title_size is not None:
        title = item.titleLabel
        title.setText(title.text, size=scaled_css_size(normal.title_size, scale))
        # As high as the title's text: pyqtgraph's fixed row, scaled, left the
        # curves of a short plot a third less room.
        row = max(TITLE_ROW, round(QFontMetrics(_title_font(title)).height() * 1.15))
        title.setMaximumHeight(row)
        item.layout.setRowFixedHeight(0, row)
    if normal.legend_size is not None:
        legend = item.legend
        legend.setLabelTextSize(scaled_css_size(normal.legend_size, scale))
        for _sample, label in legend.items:
            label.setText(label.text)  # setLabelTextSize leaves the drawn text as it was
        legend.updateSize()
    for side, text in normal.axes.items():
        axis = item.getAxis(side)
        big = scaled_font(text.normal_tick_font, scale)
        axis.setTickFont(text.tick_font if scale == 1.0 else big)
        axis.label.setFont(scaled_font(text.label_font, scale))
        # Room kept for the widest tick label, in the larger font too.
        axis.textWidth = round(text.text_width * scale)
        if side == "left":
            axis.setWidth(None)
        axis.showLabel(axis.label.isVisible())  # recomputes the room for the label
        axis.resizeEvent()


def _title_font(title: pg.LabelItem) -> QFont:
    """The font a plot's title is drawn in (its size is set in the title's HTML)."""
    font = QFont(title.item.font())
    match = _CSS_SIZE.match(title.opts.get("size") or "")
    if match is not None and match.group(2) == "pt":
        font.setPointSizeF(float(match.group(1)))
    elif match is not None:
        font.setPixelSize(round(float(match.group(1))))
    return font


def _scale_line(item: object, scale: float) -> None:
    """Draw ``item``'s line (and symbols) ``scale`` times as wide as normal."""
    done = getattr(item, "_presentation_scale", 1.0)
    if done == scale:
        return
    ratio = scale / done
    if isinstance(item, pg.PlotDataItem):
        pen = item.opts.get("pen")
        if pen is not None:
            item.setPen(_wider(pg.mkPen(pen), ratio))
        # Symbols (the epoch marks, the data points) keep their size: at 1.5× they
        # covered the curves they mark.
    elif isinstance(item, pg.InfiniteLine):
        item.setPen(_wider(item.pen, ratio))
    elif isinstance(item, pg.ScatterPlotItem):
        return  # points alone (a classifier's data): their size is their own to set
    elif hasattr(item, "setPen") and hasattr(item, "opts"):  # a LiveCurve
        pen = _wider(item.pen(), ratio)
        item.setPen(pen)
        item.opts["pen"] = pen  # the legend's sample draws this one
    else:
        return
    item._presentation_scale = scale


def _wider(pen: QPen, ratio: float) -> QPen:
    wider = QPen(pen)
    width = pen.widthF() if pen.widthF() > 0 else 1.0  # 0 is a one-pixel line
    wider.setWidthF(round(width * ratio, 6))
    return wider


def title_across(item: pg.PlotItem) -> None:
    """Give the title the plot's whole width, and never more.

    pyqtgraph puts it over the data only, and makes the plot as wide as its text:
    a long title at projector size widened the plot past its window, which cut
    off the plot's right side.
    """
    title = item.titleLabel
    item.layout.removeItem(title)
    item.layout.addItem(title, 0, 0, 1, 3)
    measure = title.updateMin

    def update_min() -> None:
        measure()
        title.setMinimumWidth(0)

    title.updateMin = update_min
    update_min()
