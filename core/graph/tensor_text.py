"""A tensor's numbers and shape as the app writes them, in one place so every pane agrees."""

from __future__ import annotations

from collections.abc import Sequence


def number_text(value: object) -> str:
    """Return a float with 4 significant digits, and any other element as Python prints it."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def shape_text(shape: Sequence[int], scalar: str) -> str:
    """Return ``shape`` as a tuple, "(2, 3)", or the word ``scalar`` for a 0-d tensor."""
    if not shape:
        return scalar
    return "(" + ", ".join(str(size) for size in shape) + ")"


def dims_text(shape: Sequence[int], separator: str = " × ") -> str:
    """Return ``shape`` as its sizes between times signs, "2 × 3", as a sentence says it."""
    return separator.join(str(size) for size in shape)
