"""A growing numpy buffer for live curves: amortised O(1) appends, views for plotting."""

from __future__ import annotations

import math

import numpy as np

DEFAULT_LIMIT = 65_536
SMOOTHING_BLOCK = 256  # 0.9 ** -256 is about 5e11: far from overflow, exact enough


def _extremes(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reduce each row of ``y`` (blocks of points) to its lowest and highest point, in x order.

    NaN ranks highest, so a divergence is never thinned away; a flat block keeps its ends.
    """
    ranked = np.where(np.isnan(y), np.inf, y)
    low, high = np.argmin(ranked, axis=1), np.argmax(ranked, axis=1)
    flat = low == high
    first = np.where(flat, 0, np.minimum(low, high))
    second = np.where(flat, y.shape[1] - 1, np.maximum(low, high))
    rows = np.arange(len(y))[:, None]
    columns = np.stack([first, second], axis=1)
    return x[rows, columns].ravel(), y[rows, columns].ravel()


class GrowingSeries:
    """x and y values that double their storage when full (no Python lists per point).

    Past ``limit`` points the series is thinned instead, evenly over its whole
    length: stored points are halved (each block of four keeps its lowest and
    highest y), and from then on every 2·stride new points arrive as their lowest
    and highest. Memory stays bounded over any run, and the curve keeps every
    spike, NaN and inf a plot would show.
    """

    def __init__(self, capacity: int = 1024, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = max(limit, 8)
        capacity = min(capacity, self.limit)
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._size = 0
        self._stride = 1  # raw points per stored point
        self._pending_x = np.empty(0, dtype=np.float64)
        self._pending_y = np.empty(0, dtype=np.float64)

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append the points ``x``, ``y`` (equal lengths)."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        left_x = left_y = None  # the newest points, short of a whole block
        if self._stride > 1:
            x = np.concatenate([self._pending_x, x])
            y = np.concatenate([self._pending_y, y])
            block = 2 * self._stride
            whole = len(x) // block * block
            left_x, left_y = x[whole:], y[whole:]
            self._pending_x = self._pending_y = np.empty(0, dtype=np.float64)
            x, y = _extremes(x[:whole].reshape(-1, block), y[:whole].reshape(-1, block))
        while len(x):
            room = self.limit - self._size
            if room == 0:
                self._thin()
                # What is still to come must be thinned like what is stored.
                self.extend(x, y)
                break
            self._store(x[:room], y[:room])
            x, y = x[room:], y[room:]
        if left_x is not None:  # after whatever thinning left waiting: x stays in order
            self._pending_x = np.concatenate([self._pending_x, left_x])
            self._pending_y = np.concatenate([self._pending_y, left_y])

    def _store(self, x: np.ndarray, y: np.ndarray) -> None:
        needed = self._size + len(x)
        if needed > len(self._x):
            capacity = min(self.limit, max(needed, 2 * len(self._x)))
            self._x = np.resize(self._x, capacity)
            self._y = np.resize(self._y, capacity)
        self._x[self._size : needed] = x
        self._y[self._size : needed] = y
        self._size = needed

    def _thin(self) -> None:
        """Halve the stored points and double the raw points each one stands for."""
        blocks = self._size // 4
        whole = blocks * 4
        x, y = _extremes(self._x[:whole].reshape(blocks, 4), self._y[:whole].reshape(blocks, 4))
        tail_x, tail_y = self._x[whole : self._size].copy(), self._y[whole : self._size].copy()
        self._size = 0
        self._store(x, y)
        self._stride *= 2
        if len(tail_x):
            self._pending_x = np.concatenate([tail_x, self._pending_x])
            self._pending_y = np.concatenate([tail_y, self._pending_y])

    def drop_from(self, x: float) -> None:
        """Forget the points at ``x`` and after it (x ascending, as steps are)."""
        keep = int(np.searchsorted(self._x[: self._size], x, side="left"))
        self._size = min(self._size, keep)
        pending = self._pending_x < x
        self._pending_x, self._pending_y = self._pending_x[pending], self._pending_y[pending]

    def clear(self) -> None:
        self._size = 0
        self._stride = 1
        self._pending_x = self._pending_y = np.empty(0, dtype=np.float64)

    @property
    def x(self) -> np.ndarray:
        if len(self._pending_x):
            return np.concatenate([self._x[: self._size], self._pending_x])
        return self._x[: self._size]

    @property
    def y(self) -> np.ndarray:
        if len(self._pending_y):
            return np.concatenate([self._y[: self._size], self._pending_y])
        return self._y[: self._size]

    def __len__(self) -> int:
        return self._size + len(self._pending_x)


def smoothed(
    values: np.ndarray, weight: float = 0.9, start: float | None = None, *, log: bool = False
) -> np.ndarray:
    """Return the exponential moving average of ``values`` (as TensorBoard smooths).

    ``start`` continues a previous run of the average, so a live curve is smoothed
    a report at a time instead of from its first point at every redraw. NaN and
    inf are skipped: the average holds its value over them.

    With ``log`` the average is of the logarithms (a moving geometric mean), for a
    log axis: there the plain average of a noisy loss runs above the band of its
    points, pulled up by the biggest, while this one runs through it. Values that
    a log axis cannot show (zero or below) are skipped.
    """
    values = np.asarray(values, dtype=np.float64)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(values > 0, np.log(values), np.nan)
        log_start = math.log(start) if start is not None and start > 0 else None
        return np.exp(smoothed(logs, weight, log_start))
    last = start if start is not None else (float(values[0]) if len(values) else 0.0)
    if not (math.isfinite(last) and np.isfinite(values).all()):
        return _smoothed_skipping(values, weight, last)
    # y_j = w^j * (last + (1 - w) * sum_{i <= j} x_i / w^i), in blocks short enough
    # that 1 / w^i stays far from overflow: vectorised, where a Python loop over the
    # values would run at every report.
    out = np.empty(len(values), dtype=np.float64)
    for begin in range(0, len(values), SMOOTHING_BLOCK):
        block = values[begin : begin + SMOOTHING_BLOCK]
        powers = weight ** np.arange(1, len(block) + 1, dtype=np.float64)
        out[begin : begin + len(block)] = powers * (last + (1 - weight) * np.cumsum(block / powers))
        last = float(out[begin + len(block) - 1])
    return out


def _smoothed_skipping(values: np.ndarray, weight: float, last: float) -> np.ndarray:
    out = np.empty(len(values), dtype=np.float64)
    for index, value in enumerate(values.tolist()):
        if value == value and abs(value) != float("inf"):  # skip NaN and inf
            # Before the first finite value there is nothing to average: it starts there.
            last = last * weight + (1 - weight) * value if math.isfinite(last) else value
        out[index] = last
    return out
