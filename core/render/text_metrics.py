"""How big a node's box is for its label: worked out here, and handed to the layout engine.

The engine would size each box by estimating its label in Helvetica, from a table
of character widths. Given the sizes instead (``width``, ``height``,
``fixedsize``), with no label, it skips that estimate, a tenth of its time on a
large graph. By default the sizes are the engine's own (ENGINE_METRICS: a test
holds them to the engine's), so a layout made here is the one the engine would
make from the labels. A window that draws the labels in another font passes its
font's metrics along with the graph to lay out (GraphOptions.label_metrics), and
every box fits its text as drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

POINTS_PER_INCH = 72.0
FONT_SIZE = 11.0
MARGIN_IN = (0.08, 0.04)  # around the label, each side: horizontal, vertical
MIN_SIZE_IN = (0.75, 0.3)  # the engine's default node width, and our height


class TextMetrics:
    """A label font's advances in points, per character, and its line heights.

    ``other`` is the advance of a character missing from the tables; with
    ``per_byte`` it is counted once per byte of the character's UTF-8, as the
    engine does. The first line of a box may be bold (a tensor's name is).
    """

    def __init__(
        self,
        regular: Mapping[str, float],
        other: float,
        line_height: float,
        *,
        bold: Mapping[str, float] | None = None,
        other_bold: float | None = None,
        empty_line_height: float | None = None,
        per_byte: bool = False,
    ) -> None:
        self._advances = (dict(regular), dict(bold if bold is not None else regular))
        self._other = (other, other_bold if other_bold is not None else other)
        self.line_height = line_height
        self.empty_line_height = line_height if empty_line_height is None else empty_line_height
        self._per_byte = per_byte
        # Labels repeat: every linear layer's "AddmmBackward0", "(64)". Bounded by
        # clearing, as a long session meets many names.
        self._widths: tuple[dict[str, float], dict[str, float]] = ({}, {})

    def text_width(self, line: str, bold: bool = False) -> float:
        """Return the width of ``line`` in points."""
        cache = self._widths[bold]
        width = cache.get(line)
        if width is None:
            advances = self._advances[bold]
            try:
                width = sum(map(advances.__getitem__, line))
            except KeyError:
                width = sum(self._advance(character, bold) for character in line)
            if len(cache) >= 8192:
                cache.clear()
            cache[line] = width
        return width

    def _advance(self, character: str, bold: bool) -> float:
        advance = self._advances[bold].get(character)
        if advance is not None:
            return advance
        if self._per_byte:
            return self._other[bold] * len(character.encode("utf-8", "surrogatepass"))
        return self._other[bold]


# Character widths in 2048ths of the font size, for the printable ASCII characters
# from " " (32) to "~" (126): Arial's advance widths, which the engine uses for Helvetica.
UNITS_PER_EM = 2048
# fmt: off
_ASCII_UNITS = (  # sixteen characters a row: " " to "/", "0" to "?", "@" to "O", ...
    569, 569, 727, 1139, 1139, 1821, 1366, 391, 682, 682, 797, 1196, 569, 682, 569, 569,
    1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 569, 569, 1196, 1196, 1196, 1139,
    2079, 1366, 1366, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1024, 1366, 1139, 1706, 1479, 1593,
    1366, 1593, 1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 569, 569, 569, 961, 1139,
    682, 1139, 1139, 1024, 1139, 1139, 569, 1139, 1139, 455, 455, 1024, 455, 1706, 1139, 1139,
    1139, 1139, 682, 1024, 569, 1139, 1024, 1479, 1024, 1024, 1024, 684, 532, 684, 1196,
)
# fmt: on
_ENGINE_ADVANCES = {
    chr(32 + index): units * FONT_SIZE / UNITS_PER_EM for index, units in enumerate(_ASCII_UNITS)
}
_ENGINE_ADVANCES.update({chr(code): 0.0 for code in range(32)})  # control characters
_ENGINE_LINE_HEIGHT = 1.2 * FONT_SIZE

# The engine's own estimate: no bold, and a space for each byte beyond ASCII. It
# truncates an empty line's height to whole points.
ENGINE_METRICS = TextMetrics(
    _ENGINE_ADVANCES,
    other=_ENGINE_ADVANCES[" "],
    line_height=_ENGINE_LINE_HEIGHT,
    empty_line_height=float(int(_ENGINE_LINE_HEIGHT)),
    per_byte=True,
)


def box_size(
    lines: list[str], metrics: TextMetrics = ENGINE_METRICS, bold_first: bool = False
) -> tuple[float, float]:
    """Return the width and height in inches of the box around ``lines`` in ``metrics``' font.

    ``bold_first``: the first line is drawn bold.
    """
    if not lines or not all(lines) or any("\n" in line for line in lines):
        return _unusual_box_size(lines, metrics, bold_first)
    widest = max(
        metrics.text_width(line, bold_first and index == 0) for index, line in enumerate(lines)
    )
    return _padded(widest, len(lines) * metrics.line_height)


def _unusual_box_size(
    lines: list[str], metrics: TextMetrics, bold_first: bool
) -> tuple[float, float]:
    """``box_size`` for labels with empty lines or breaks inside lines, as the engine reads them."""
    lines = "\n".join(lines).split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # a break at the end starts no line
    widest = max(
        metrics.text_width(line, bold_first and index == 0) for index, line in enumerate(lines)
    )
    height = sum(metrics.line_height if line else metrics.empty_line_height for line in lines)
    return _padded(widest, height)


def _padded(text_width_pt: float, text_height_pt: float) -> tuple[float, float]:
    return (
        max(MIN_SIZE_IN[0], text_width_pt / POINTS_PER_INCH + 2 * MARGIN_IN[0]),
        max(MIN_SIZE_IN[1], text_height_pt / POINTS_PER_INCH + 2 * MARGIN_IN[1]),
    )
