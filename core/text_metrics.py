"""How big the layout engine makes a node's box for its label, worked out here.

The engine sizes a box by estimating its label's text in Helvetica, with a table
of character widths, then adds the margins. Given the sizes instead (``width``,
``height``, ``fixedsize``), with no label, it skips that estimate, which is a
tenth of its time on a large graph. The numbers below are the engine's own, so
the boxes, and so the whole layout, come out as before; a test holds them to the
engine's.
"""

from __future__ import annotations

from functools import lru_cache

POINTS_PER_INCH = 72.0
FONT_SIZE = 11.0
LINE_HEIGHT = 1.2 * FONT_SIZE  # points a label line takes
EMPTY_LINE_HEIGHT = float(int(LINE_HEIGHT))  # the engine truncates it for an empty line
MARGIN_IN = (0.08, 0.04)  # around the label, each side: horizontal, vertical
MIN_SIZE_IN = (0.75, 0.3)  # the engine's default node width, and our height

# Character widths in 2048ths of the font size, for the printable ASCII characters
# from " " (32) to "~" (126): Arial's advance widths, which the engine uses for Helvetica.
UNITS_PER_EM = 2048
# fmt: off
_ASCII_WIDTHS = (  # sixteen characters a row: " " to "/", "0" to "?", "@" to "O", ...
    569, 569, 727, 1139, 1139, 1821, 1366, 391, 682, 682, 797, 1196, 569, 682, 569, 569,
    1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 569, 569, 1196, 1196, 1196, 1139,
    2079, 1366, 1366, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1024, 1366, 1139, 1706, 1479, 1593,
    1366, 1593, 1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 569, 569, 569, 961, 1139,
    682, 1139, 1139, 1024, 1139, 1139, 569, 1139, 1139, 455, 455, 1024, 455, 1706, 1139, 1139,
    1139, 1139, 682, 1024, 569, 1139, 1024, 1479, 1024, 1024, 1024, 684, 532, 684, 1196,
)
# fmt: on
_WIDTHS = {chr(32 + index): width for index, width in enumerate(_ASCII_WIDTHS)}
# The engine has no widths beyond ASCII: it counts each byte of a character's UTF-8
# as a space, and a control character as nothing.
_NON_ASCII_BYTE = _WIDTHS[" "]


@lru_cache(maxsize=8192)  # labels repeat: every linear layer's "AddmmBackward0", "(64)"
def text_width(line: str) -> float:
    """Return the width in points the engine estimates for ``line`` at FONT_SIZE."""
    try:
        units = sum(map(_WIDTHS.__getitem__, line))
    except KeyError:
        units = sum(_character_width(character) for character in line)
    return units * FONT_SIZE / UNITS_PER_EM


def _character_width(character: str) -> int:
    if character in _WIDTHS:
        return _WIDTHS[character]
    if character < " ":
        return 0
    return _NON_ASCII_BYTE * len(character.encode("utf-8", "surrogatepass"))


def box_size(lines: list[str]) -> tuple[float, float]:
    """Return the width and height in inches of the box the engine draws around ``lines``."""
    if not lines or not all(lines) or any("\n" in line for line in lines):
        return _unusual_box_size(lines)
    widest = max(map(text_width, lines))
    return _padded(widest, len(lines) * LINE_HEIGHT)


def _unusual_box_size(lines: list[str]) -> tuple[float, float]:
    """``box_size`` for labels with empty lines or breaks inside lines, as the engine reads them."""
    lines = "\n".join(lines).split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # a break at the end starts no line
    widest = max(map(text_width, lines))
    return _padded(widest, sum(LINE_HEIGHT if line else EMPTY_LINE_HEIGHT for line in lines))


def _padded(text_width_pt: float, text_height_pt: float) -> tuple[float, float]:
    return (
        max(MIN_SIZE_IN[0], text_width_pt / POINTS_PER_INCH + 2 * MARGIN_IN[0]),
        max(MIN_SIZE_IN[1], text_height_pt / POINTS_PER_INCH + 2 * MARGIN_IN[1]),
    )
