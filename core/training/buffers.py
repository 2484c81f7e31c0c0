"""A growing numpy buffer for live curves: amortised O(1) appends, views for plotting."""

from __future__ import annotations

import numpy as np


class GrowingSeries:
    """x and y values that double their storage when full (no Python lists per point)."""

    def __init__(self, capacity: int = 1024) -> None:
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._size = 0

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append the points ``x``, ``y`` (equal lengths)."""
        count = len(x)
        needed = self._size + count
        if needed > len(self._x):
            capacity = max(needed, 2 * len(self._x))
            self._x = np.resize(self._x, capacity)
            self._y = np.resize(self._y, capacity)
        self._x[self._size : needed] = x
        self._y[self._size : needed] = y
        self._size = needed

    def clear(self) -> None:
        self._size = 0

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._size]

    def __len__(self) -> int:
        return self._size


def smoothed(values: np.ndarray, weight: float = 0.9, start: float | None = None) -> np.ndarray:
    """Return the exponential moving average of ``values`` (as TensorBoard smooths).

    ``start`` continues a previous run of the average, so a live curve is smoothed
    a report at a time instead of from its first point at every redraw.
    """
    out = np.empty(len(values), dtype=np.float64)
    last = start if start is not None else (values[0] if len(values) else 0.0)
    for index, value in enumerate(values.tolist()):
        if value == value and abs(value) != float("inf"):  # skip NaN and inf
            last = last * weight + (1 - weight) * value
        out[index] = last
    return out
