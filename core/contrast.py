"""WCAG 2 contrast: how readable a colour is on another, and the text colour in a picture.

Plain maths on (red, green, blue) triples of 0-255, so that the themes' colours and
the pixels of a rendered window are checked with the same rules the Web Content
Accessibility Guidelines give (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

RGB = tuple[int, int, int]

# WCAG 2.1 success criterion 1.4.3: normal-size text against its background.
TEXT_MIN_CONTRAST = 4.5
# WCAG 2.1 success criterion 1.4.11: lines and shapes that carry meaning (plot curves).
NON_TEXT_MIN_CONTRAST = 3.0
# A colour is taken as the text's own when it covers at least this share of the
# pixels that are not background: the stems of the glyphs, not a stray pixel of
# anti-aliasing, of a focus frame's corner or of an icon's edge.
TEXT_COLOR_MIN_SHARE = 0.03


def relative_luminance(color: RGB) -> float:
    """Return the WCAG relative luminance of an sRGB colour: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in color[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """Return the WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hex_rgb(color: str) -> RGB:
    """Return the (red, green, blue) of ``#rrggbb`` or ``#rgb``."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def text_contrast(pixels: Iterable[RGB]) -> tuple[float, RGB, RGB] | None:
    """Return (contrast, text colour, background) of the text drawn in ``pixels``.

    The background is the commonest colour. Anti-aliasing blends each glyph's edges
    into it, so the text's own colour is the one that contrasts most among the
    colours that are common enough (TEXT_COLOR_MIN_SHARE of the rest): the glyphs'
    cores. None when nothing but the background is there.
    """
    counts = Counter(tuple(pixel[:3]) for pixel in pixels)
    if not counts:
        return None
    background, _count = counts.most_common(1)[0]
    del counts[background]
    rest = sum(counts.values())
    if not rest:
        return None
    common = [color for color, count in counts.items() if count >= TEXT_COLOR_MIN_SHARE * rest]
    if not common:
        return None
    text = max(common, key=lambda color: contrast_ratio(color, background))
    return contrast_ratio(text, background), text, background
