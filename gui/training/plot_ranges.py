"""Axis ranges for live plots that change only now and then, not at every frame.

pyqtgraph's auto-range follows the data at every paint: each new point moves the
axes, each move redraws the tick labels, and a range set while painting asks
for a second paint. During training that cost more than the curves. A steady
range keeps its bounds while the data stays inside them and fills enough of
them, so the axes of a plot redraw a few times per run.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

# Room left beyond the data when a range is made, as a share of the data's span.
HEADROOM = 0.15
# A range is made anew when the data fills less than this share of it.
MIN_FILL = 0.4
NICE_STEPS = (1.0, 2.0, 5.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``value`` (> 0)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in NICE_STEPS if step * power >= value * (1 - 1e-12))


# Once a nice bound would span this share of the run, the axis spans the whole run.
WHOLE_RUN_SHARE = 0.1
# A paced run opens on its first tenth only where that is this many steps or more.
FIRST_VIEW_STEPS = 10


def steady_x_range(
    current: tuple[float, float] | None, last_x: float, total: float, paced: bool = False
) -> tuple:
    """[0, a nice bound past ``last_x``], never past ``total`` steps (when known).

    A short run (the seed tasks' defaults last about a second) shows its whole
    length from the first frame: an axis that doubled at every frame would only
    jitter. A long run grows in nice jumps until a tenth of it is done.
    A ``paced`` run (slowed for a class to watch, its length known) moves its axis
    once: it opens on the first tenth of the run, where a fit changes most and Auto
    lingers, and spans the whole run when the line reaches its edge.
    """
    if paced and total > 0:
        first = nice_ceiling(WHOLE_RUN_SHARE * total)
        if FIRST_VIEW_STEPS <= first < total and last_x <= first:
            return (0.0, first)
        return (0.0, max(total, last_x))
    if current is not None and last_x <= current[1] <= max(total, last_x):
        return current
    bound = nice_ceiling(max(last_x, 1.0) * 1.2)
    if total > 0 and bound >= WHOLE_RUN_SHARE * total:
        bound = total
    return (0.0, max(bound, last_x, 1.0))


def steady_y_range(
    current: tuple[float, float] | None, low: float, high: float
) -> tuple[float, float]:
    """Keep ``current`` while [low, high] is inside it and fills enough of it."""
    if current is not None:
        bottom, top = current
        inside = bottom <= low and high <= top
        if inside and (high - low) >= MIN_FILL * (top - bottom):
            return current
    span = high - low
    if span <= 0:
        span = abs(high) * 0.1 or 1.0
    return (low - HEADROOM * span, high + HEADROOM * span)


def finite_bounds(arrays: list[np.ndarray], log: bool = False) -> tuple[float, float] | None:
    """The lowest and highest finite value over ``arrays`` (log10 of the positive ones)."""
    lows, highs = [], []
    for values in arrays:
        if values is None or not len(values):
            continue
        values = np.asarray(values, dtype=np.float64)
        if log:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.log10(values[values > 0])
        values = values[np.isfinite(values)]
        if len(values):
            lows.append(values.min())
            highs.append(values.max())
    if not lows:
        return None
    return float(min(lows)), float(max(highs))


class SteadyRange:
    """Sets one plot's ranges from its data, steadily, until the user pans or zooms it."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.view = plot.getViewBox()
        self.view.disableAutoRange()
        self.view.sigRangeChangedManually.connect(self._on_user_moved)
        self.user_moved = False
        self.x: tuple[float, float] | None = None
        self.y: tuple[float, float] | None = None
        # The run is paced (slower than Max): the step axis spans it whole from the start.
        self.paced = False

    def reset(self, keep: bool = False) -> None:
        """Manage the ranges again, from the next data on.

        ``keep``: start from the current ranges, for data like the last (a rerun of
        the same task): they change only if the new data leaves them, and axes
        that stay put are not redrawn. A view the user moved is given up anyway.
        """
        if not keep or self.user_moved:
            self.x = self.y = None
        self.user_moved = False
        self.view.disableAutoRange()

    def fit(
        self,
        y_bounds: tuple[float, float] | None,
        last_x: float | None = None,
        total: float = 0.0,
        x_bounds: tuple[float, float] | None = None,
    ) -> None:
        """Show the data: x from 0 to past ``last_x`` (or ``x_bounds``), y around ``y_bounds``."""
        if self.user_moved:
            return
        x = self.x
        if x_bounds is not None:
            x = steady_y_range(self.x, *x_bounds)
        elif last_x is not None:
            x = steady_x_range(self.x, last_x, total, self.paced)
        y = steady_y_range(self.y, *y_bounds) if y_bounds is not None else self.y
        if x is not None and x != self.x:
            # A little room at the ends: the last step's epoch mark is a whole dot.
            self.view.setXRange(*x, padding=0.0 if x_bounds is not None else 0.02)
            self.x = x
        if y is not None and y != self.y:
            self.view.setYRange(*y, padding=0.0)
            self.y = y

    def _on_user_moved(self, *_args: object) -> None:
        self.user_moved = True
