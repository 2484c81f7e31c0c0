"""The inspector's heat map of a tensor summary: its page section, images and hover text."""

from __future__ import annotations

import html
import zlib
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage

from autograd_playground.core.graph.graph_model import TensorSummary
from autograd_playground.core.graph.heat_map import HAS_NAN, HAS_NEG_INF, HAS_POS_INF, HeatMap
from autograd_playground.gui.panes.heat_map_image import (
    HeatLayout,
    color_bar_width,
    paint_color_bar,
    paint_heat_map,
    paint_histogram,
    plan_layout,
)
from autograd_playground.gui.ui_text import tr

IMAGE_SCHEME = "heat"


@dataclass(frozen=True)
class HeatSection:
    """A heat map's part of the page: its HTML, the images it names, and for the cells'
    image its map and layout, which hovering reads."""

    html: str
    images: dict[str, QImage]
    cells_image: str | None = None
    heat: HeatMap | None = None
    layout: HeatLayout | None = None


def number(value: float) -> str:
    return f"{value:.4g}"


def short(value: float) -> str:
    """A colour bar's end label: three digits are what a colour can tell apart."""
    return f"{value:.3g}"


def heat_section(
    key: str,
    summary: TensorSummary,
    size: tuple[int, int],
    font: QFont,
    colors: dict[str, str],
) -> HeatSection:
    """The heat map of ``summary`` (``key`` names it apart from the page's other one)
    for a pane of ``size`` (width, height), drawn in ``font``; or the sentence saying
    why there is none. The cells leave room in the pane's height for the colour bar,
    the histogram and the legend under them, so that the whole map shows at once."""
    heat = summary.heat_map
    if heat is None:
        return HeatSection(_refusal(summary), {})
    text = QColor(colors["stats"])
    bar_labels = (f"−{short(heat.scale)}", "0", f"+{short(heat.scale)}")
    width, height = size
    layout = plan_layout(heat, max(64, width), font)
    line = QFontMetrics(font).height()
    room = max(6 * line, height - 8 * line)
    tall = layout.panel_rects[-1].bottom()
    if tall > room:  # narrower, and so lower, cells
        layout = plan_layout(heat, max(64, width * room // tall), font)
    cells = paint_heat_map(heat, layout, font, text)
    # As wide as the cells, or as the labels need, within the pane.
    bar_width = max(cells.width(), min(width, color_bar_width(font, bar_labels)))
    bar = paint_color_bar(bar_width, font, text, bar_labels)
    # Named by what they show: a page whose images changed is a new page.
    tag = f"{_image_tag(cells):08x}{_image_tag(bar):08x}"
    names = {kind: f"{IMAGE_SCHEME}:{key}/{kind}/{tag}" for kind in ("cells", "bar", "hist")}
    images = {names["cells"]: cells, names["bar"]: bar}
    parts = [
        f"<p style='margin:4px 0 0 0'><img src='{names['cells']}'></p>",
        f"<p style='margin:2px 0 0 0'><img src='{names['bar']}'></p>",
    ]
    if heat.histogram is not None:
        histogram = heat.histogram
        hist_width = bar_width
        images[names["hist"]] = paint_histogram(histogram, hist_width, font, text)
        parts.append(f"<p style='margin:4px 0 0 0'><img src='{names['hist']}'></p>")
        if summary.stats is None:  # a bigger tensor's statistics are printed above
            stats = tr(
                "min {low} · max {high} · mean {mean}",
                low=number(histogram.low),
                high=number(histogram.high),
                mean=number(histogram.mean),
            )
            parts.append(f"<p class='stats' style='margin-top:0'>{html.escape(stats)}</p>")
    words = legend(heat) + " " + tr("Click the map to open it large.")
    parts.append(f"<p class='muted'>{html.escape(words)}</p>")
    return HeatSection("".join(parts), images, names["cells"], heat, layout)


def _image_tag(image: QImage) -> int:
    return zlib.crc32(bytes(image.constBits())) ^ (image.width() << 16 | image.height())


def _refusal(summary: TensorSummary) -> str:
    if summary.dtype.startswith("complex"):
        text = tr(
            "No heat map for a complex tensor: one colour cannot show "
            "two parts. Look at its .real, .imag or .abs()."
        )
    elif len(summary.shape) > 4:
        text = tr(
            "No heat map for a tensor of {dims} dimensions: index it down to four or fewer.",
            dims=len(summary.shape),
        )
    else:
        return ""  # a scalar or an empty tensor: its value says it all
    return f"<p class='muted'>{html.escape(text)}</p>"


def legend(heat: HeatMap) -> str:
    """What a cell stands for, how many slices are shown and what black and gray mean."""
    if heat.exact:
        parts = [tr("One cell per element; hover for its value.")]
    else:
        parts = [
            tr(
                "Each cell is the mean of a block of {rows} × {cols} elements; hover for values.",
                rows=heat.row_block,
                cols=heat.col_block,
            )
        ]
    if heat.slice_count > len(heat.panels):
        parts.append(
            tr(
                "The first {shown} of {total} slices.",
                shown=len(heat.panels),
                total=heat.slice_count,
            )
        )
    marks = b"".join(panel.marks for panel in heat.panels)
    if any(marks):
        parts.append(tr("Black cells hold NaN, gray ones ±inf."))
    return " ".join(parts)


def hover_text(heat: HeatMap, panel_number: int, row: int, col: int) -> str:
    """What hovering a cell says: where it is in the tensor and its value or block mean."""
    panel = heat.panels[panel_number]
    value = number(panel.cell(row, col))
    place = _place(heat, row, col, one_row=heat.slice_shape[0] == 1 and not panel.index)
    if panel.index:
        place = "[" + ", ".join(str(i) for i in panel.index) + "] " + place
    if heat.exact:
        text = tr("{place}: {value}", place=place, value=value)
    else:
        text = tr("{place}: mean {value}", place=place, value=value)
    mark = panel.mark(row, col)
    if mark == HAS_NAN:
        text += " — " + tr("holds NaN")
    elif mark in (HAS_POS_INF, HAS_NEG_INF):
        text += " — " + tr("holds {inf}", inf="+inf" if mark == HAS_POS_INF else "−inf")
    return text


def _place(heat: HeatMap, row: int, col: int, one_row: bool) -> str:
    """The element, or the block of elements, that cell (``row``, ``col``) stands for."""
    height, width = heat.slice_shape
    first_row, first_col = row * heat.row_block, col * heat.col_block
    last_row = min(first_row + heat.row_block, height) - 1
    last_col = min(first_col + heat.col_block, width) - 1
    if one_row:
        if first_col == last_col:
            return tr("index {index}", index=first_col)
        return tr("indices {first}–{last}", first=first_col, last=last_col)
    if heat.exact:
        return tr("row {row}, column {col}", row=first_row, col=first_col)
    return tr(
        "rows {first_row}–{last_row}, columns {first_col}–{last_col}",
        first_row=first_row,
        last_row=last_row,
        first_col=first_col,
        last_col=last_col,
    )
