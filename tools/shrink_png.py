"""Shrink a screenshot for the README: 256 colours, the heat maps' scale among them.

    python tools/shrink_png.py IN.png OUT.png

A window picture holds a few thousand colours, most of them the edges of letters;
its most frequent colours, with every eighth colour of the heat map's scale, draw
it again with hardly a difference, in a PNG a third of the size.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtGui import QImage

from autograd_playground.gui.panes.heat_map_image import COLOR_TABLE

PALETTE_SIZE = 256


def _rgb(colors: np.ndarray) -> np.ndarray:
    return np.stack([(colors >> 16) & 255, (colors >> 8) & 255, colors & 255], -1).astype(np.int32)


def palette_for(colors: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The heat maps' scale and, to fill the palette, the picture's most frequent colours
    that differ from those already taken: a small swatch keeps its colour too."""
    chosen = list(((COLOR_TABLE[::8] & 0xFFFFFF) | 0xFF000000).tolist())
    for apart in (24, 12, 0):
        for color in colors[np.argsort(counts)[::-1]]:
            if len(chosen) == PALETTE_SIZE:
                break
            taken = _rgb(np.array(chosen, dtype=np.uint32))
            distance = np.sqrt(((taken - _rgb(np.array([color]))) ** 2).sum(-1)).min()
            if distance > apart:
                chosen.append(int(color))
    return np.unique(np.array(chosen, dtype=np.uint32))


def nearest_entries(colors: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """The index of the palette entry nearest each colour (in RGB)."""
    wanted, offered = _rgb(colors), _rgb(palette)
    nearest = np.empty(len(colors), dtype=np.uint8)
    for start in range(0, len(colors), 4096):
        block = wanted[start : start + 4096, None, :] - offered[None]
        nearest[start : start + 4096] = (block * block).sum(-1).argmin(1)
    return nearest


def shrink(source: str, target: str) -> bool:
    """Save ``source`` as ``target`` in at most 256 colours; True when saved."""
    image = QImage(source).convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(height, -1)
    pixels = rows[:, :width].copy()
    colors, counts = np.unique(pixels, return_counts=True)
    palette = palette_for(colors, counts)
    index = nearest_entries(colors, palette)[np.searchsorted(colors, pixels)]
    stride = (width + 3) // 4 * 4
    data = np.zeros((height, stride), dtype=np.uint8)
    data[:, :width] = index
    indexed = QImage(data.tobytes(), width, height, stride, QImage.Format.Format_Indexed8)
    indexed.setColorTable([int(c) for c in palette])
    return indexed.save(target, "PNG", 0)


if __name__ == "__main__":
    sys.exit(0 if shrink(sys.argv[1], sys.argv[2]) else 1)
