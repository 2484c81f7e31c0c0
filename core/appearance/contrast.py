"""WCAG 2 contrast: how readable a colour is on another, and the text colour in a picture.

Plain maths on (red, green, blue) triples of 0-255, so that the themes' colours and
the pixels of a rendered window are checked with the same rules the Web Content
Accessibility Guidelines give (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

RGB = tuple[int, int, int]

# WCAG 2.1 success criterion 1.4.3: normal-size text against its background.
TEXT_MIN_CONTRAST = 4.5
# WCAG 2.1 success criterion 1.4.11: lines and shapes that carry meaning (plot curves).
NON_TEXT_MIN_CONTRAST = 3.0
# Pixels this close to the background are the background's own shading (a gradient,
# a frame's soft edge), not ink.
INK_MIN_CONTRAST = 1.2
# Fewer ink pixels than this are no text: a speck, a focus frame's corner.
MIN_INK_PIXELS = 8
# The text's colour is the ink at this quantile of contrast: anti-aliased edges lie
# below it, and the glyphs' cores, most of a stem, at it; a stray pixel of an
# icon or a frame above it does not count.
TEXT_INK_QUANTILE = 0.9


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


def text_contrast(pixels: Iterable[RGB] | np.ndarray) -> tuple[float, RGB, RGB] | None:
    """Return (contrast, text colour, background) of the text drawn in ``pixels``.

    The background is the commonest colour, the ink whatever stands out from it by
    INK_MIN_CONTRAST. Anti-aliasing blends each glyph's edges into the background,
    so the text's own colour is taken among the ink that contrasts most
    (TEXT_INK_QUANTILE). None when there is too little ink to be text.
    """
    colors = np.asarray(list(pixels) if not isinstance(pixels, np.ndarray) else pixels)
    colors = colors.reshape(-1, colors.shape[-1] if colors.size else 3)[:, :3].astype(np.int64)
    if not len(colors):
        return None
    packed = (colors[:, 0] << 16) | (colors[:, 1] << 8) | colors[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    background_index = int(np.flatnonzero(packed == values[counts.argmax()])[0])
    luminance = _luminances(colors)
    behind = luminance[background_index]
    contrast = (np.maximum(luminance, behind) + 0.05) / (np.minimum(luminance, behind) + 0.05)
    ink = np.flatnonzero(contrast >= INK_MIN_CONTRAST)
    if len(ink) < MIN_INK_PIXELS:
        return None
    ranked = ink[np.argsort(contrast[ink], kind="stable")]
    text_index = int(ranked[int(TEXT_INK_QUANTILE * (len(ranked) - 1))])
    text = tuple(int(channel) for channel in colors[text_index])
    background = tuple(int(channel) for channel in colors[background_index])
    return float(contrast[text_index]), text, background


def _luminances(colors: np.ndarray) -> np.ndarray:
    """relative_luminance of each row of ``colors``, at once."""
    values = colors / 255
    linear = np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])
