"""Bins and reports of the layer statistics, without torch: the window reads them
while torch may still be loading (layer_stats counts them, on the training thread).

A range only ever doubles about its centre, so that a histogram counted on an
older, narrower range goes exactly into the newer one, a pair of bins a bin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

BINS = 32  # a multiple of 4: a doubled range keeps old bins exactly, a pair a bin
SMALLEST_HALF_WIDTH = 1e-12  # an all-zero tensor (a bias at its start) still has bins
_SLACK = 1.1  # the first range a little wider than the first sample


@dataclass
class BinRange:
    """Bins of equal width over ``centre ± half``."""

    centre: float
    half: float

    @property
    def low(self) -> float:
        return self.centre - self.half

    @property
    def high(self) -> float:
        return self.centre + self.half

    @classmethod
    def around(cls, low: float, high: float) -> BinRange:
        """A range a little wider than ``low``..``high``."""
        centre = (low + high) / 2 if math.isfinite(low + high) else 0.0
        half = (high - low) / 2 * _SLACK if math.isfinite(high - low) else 1.0
        return cls(centre, max(half, abs(centre) * 0.01, SMALLEST_HALF_WIDTH))

    def doublings_to_cover(self, low: float, high: float) -> int:
        """How many times the range must double about its centre to hold low..high."""
        reach = max(self.centre - low, high - self.centre)
        if not math.isfinite(reach) or reach <= self.half:
            return 0
        return max(0, math.ceil(math.log2(reach / self.half)))

    def doubled(self, times: int) -> BinRange:
        return BinRange(self.centre, self.half * 2.0**times)


def doubled(counts: np.ndarray, times: int) -> np.ndarray:
    """``counts`` (one histogram a row) in a range doubled ``times`` about its centre."""
    counts = np.asarray(counts, dtype=np.float64)
    bins = counts.shape[-1]
    for _ in range(min(times, 64)):
        pairs = counts.reshape(*counts.shape[:-1], bins // 2, 2).sum(-1)
        counts = np.zeros_like(counts)
        counts[..., bins // 4 : bins // 4 + bins // 2] = pairs
    return counts


@dataclass
class LayerColumns:
    """One parameter's samples since the last report, as plain numpy copies."""

    values: np.ndarray  # (samples, BINS) counts of the parameter's values
    value_ranges: list[BinRange]  # each sample's bins
    grads: np.ndarray  # (samples, BINS) counts of its gradient; zeros where none
    grad_ranges: list[BinRange]
    ratios: np.ndarray  # ‖Δw‖ / ‖w‖ of the sampled step; NaN where unknown
    grad_norms: np.ndarray  # ‖∇w‖; NaN where no gradient was recorded


@dataclass
class LayerReport:
    """Every parameter's samples since the last report."""

    steps: np.ndarray = field(default_factory=lambda: np.zeros(0))
    layers: dict[str, LayerColumns] = field(default_factory=dict)
