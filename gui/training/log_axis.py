"""A y axis whose tick labels never overlap, on a log or linear scale, at any range and height.

pyqtgraph labels every one of 2, 3, … 9 times each decade on a log axis: the
labels bunch up where a decade's ticks close in (0.7, 0.8 and 0.9 piled on one
another), and a narrow range such as 0.7 to 1.0 shows little else. Here ticks
are chosen by rank (powers of ten, then 2 and 5 times them, then the other
digits) and a label is kept only where it has room from those already kept;
the rest stay as unlabelled ticks. A range narrower than a decade is labelled
with the finest evenly spaced round values that have room (0.7, 0.75, 0.8 …).

On a linear scale pyqtgraph spaces labels by the axis's length alone, not by its
font: in a short plot with presentation mode's larger text, 2, 3, 4 and 5 piled
on one another. There the labelled step grows to the next round one (1, 2, 5
times a power of ten) that leaves each label its font's height and a gap; finer
levels stay as unlabelled ticks.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator
from itertools import pairwise

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
LABEL_GAP_PX = 2  # between one label's edge and the next
# The digits labelled after the powers of ten, in the order they are tried.
MANTISSAS = ((2.0, 5.0), (3.0, 4.0, 6.0, 7.0, 8.0, 9.0))
LINEAR_STEPS = (5.0, 2.0, 1.0)
MIN_EVEN_LABELS = 3


def log_label(exponent: float) -> str:
    """The label of the tick at 10**``exponent``: 0.5, 20, 10⁻⁵ or 2·10⁻⁵."""
    text = f"{10.0**exponent:.3g}"
    if "e" not in text:
        return text
    mantissa, power = text.split("e")
    superscript = str(int(power)).translate(SUPERSCRIPTS)
    return f"10{superscript}" if mantissa == "1" else f"{mantissa}·10{superscript}"


def _nice_steps() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, …: how many decades apart labelled powers of ten may be."""
    power = 1
    while True:
        for step in (1, 2, 5):
            yield step * power
        power *= 10


def _decades(low: float, high: float, every: int) -> list[float]:
    first = math.ceil(low / every) * every
    return [float(power) for power in range(first, math.floor(high) + 1, every)]


def _digits(low: float, high: float, mantissas: tuple[float, ...]) -> list[float]:
    ticks = []
    for power in range(math.floor(low), math.floor(high) + 1):
        for mantissa in mantissas:
            tick = power + math.log10(mantissa)
            if low <= tick <= high:
                ticks.append(tick)
    return ticks


def _round_levels(low: float, high: float) -> list[list[float]]:
    """Round values between 10**low and 10**high, a list for each step, coarsest first
    (as log10 of the values)."""
    bottom, top = 10.0**low, 10.0**high
    unit = 10.0 ** math.floor(math.log10(top - bottom))
    levels = []
    for scale in (unit, unit / 10):
        for step in LINEAR_STEPS:
            size = step * scale
            # A hair's tolerance: 0.002 / 0.0002 is 10.000000000000002.
            counts = range(math.ceil(bottom / size - 1e-9), math.floor(top / size + 1e-9) + 1)
            levels.append([math.log10(count * size) for count in counts if count > 0])
    return levels


def _fits(tick: float, labelled: list[float], min_gap: float) -> bool:
    """Whether ``tick`` is ``min_gap`` from its neighbours in the sorted ``labelled``."""
    at = bisect_left(labelled, tick)
    return all(abs(tick - other) >= min_gap for other in labelled[max(0, at - 1) : at + 1])


def _with_even_steps(labelled: list[float], levels: list[list[float]], min_gap: float) -> list:
    """``labelled`` and the finest level of round values whose every label has room:
    evenly spaced values, never a few of them here and there."""
    best = labelled
    for level in levels:
        merged = sorted(set(labelled) | {tick for tick in level if _fits(tick, labelled, 1e-9)})
        if any(b - a < min_gap for a, b in pairwise(merged)):
            break
        best = merged
    return best


def log_ticks(
    low: float, high: float, length_px: float, min_gap_px: float
) -> tuple[list[float], list[float]]:
    """Labelled and unlabelled ticks (as log10 of the values) for an axis from 10**``low``
    to 10**``high`` that is ``length_px`` long, labels ``min_gap_px`` apart at least."""
    if not (high > low) or length_px <= 0:
        return [], []
    per_unit = length_px / (high - low)  # pixels a decade
    min_gap = min_gap_px / per_unit  # in decades
    every = next(step for step in _nice_steps() if step >= min_gap)
    labelled = _decades(low, high, every)
    if high - low < 1:
        # Less than a decade: evenly spaced round values read best (0.7, 0.75, 0.8 …),
        # where three of them fit.
        even = _with_even_steps(labelled, _round_levels(low, high), min_gap)
        if len(even) >= MIN_EVEN_LABELS:
            return even, []
    minor: list[float] = []
    if every == 1:
        for mantissas in MANTISSAS:
            for tick in _digits(low, high, mantissas):
                if _fits(tick, labelled, min_gap):
                    labelled.insert(bisect_left(labelled, tick), tick)
                else:  # a tick still
                    minor.append(tick)
    return labelled, sorted(minor)


def round_step(least: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``least`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(least))
    for factor in (1.0, 2.0, 5.0, 10.0):
        # A hair's tolerance: 0.3 / 0.1 is 2.9999999999999996.
        if factor * power >= least * (1 - 1e-9):
            return factor * power
    return 10.0 * power


class LogTickAxis(pg.AxisItem):
    """A left or right axis that labels a log or linear scale without overlaps (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # On a linear scale, the closest two labels may be (data units), as the last
        # layout of the ticks found it: finer levels are drawn without labels.
        self._least_label_step = 0.0

    def tickSpacing(self, minVal, maxVal, size):
        """pyqtgraph's levels, the labelled one made coarser where its labels would overlap."""
        levels = super().tickSpacing(minVal, maxVal, size)
        self._least_label_step = 0.0
        if self.logMode or not levels or size <= 0 or self._tickSpacing is not None:
            return levels
        least = self.label_spacing_px() * abs(maxVal - minVal) / size
        self._least_label_step = least
        if levels[0][0] >= least:
            return levels
        labelled = round_step(least)
        return [(labelled, 0)] + [(spacing, 0) for spacing, _offset in levels if spacing < labelled]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode and spacing * self.scale * (1 + 1e-9) < self._least_label_step:
            return [""] * len(values)  # an unlabelled level: its labels would overlap
        return super().tickStrings(values, scale, spacing)

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        """Labelled ticks first, then unlabelled ones; a level's spacing says which."""
        labelled, minor = log_ticks(minVal, maxVal, size, self.label_spacing_px())
        return [(1.0, labelled), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        if spacing is None:  # the unlabelled level
            return [""] * len(values)
        return [log_label(value) for value in values]

    def label_spacing_px(self) -> float:
        """The distance, along the axis, between two labels' centres that keeps them apart."""
        font = self.style["tickFont"] or self.font()
        return QFontMetrics(font).height() + LABEL_GAP_PX
