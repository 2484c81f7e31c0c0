"""A run's layer statistics as the window paints them: each parameter's histograms
side by side on one set of bins, and its update ratios and gradient norms.

Reports bring histograms on the bins of their own sample; a range only ever
doubles about its centre, so older histograms are re-binned exactly into the
newest, widest range (``layer_stats.doubled``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from autograd_playground.core.training.layer_bins import (
    BINS,
    BinRange,
    LayerColumns,
    LayerReport,
    doubled,
)


@dataclass
class HistogramStrip:
    """Histograms over time on one range: ``counts`` is (samples, BINS)."""

    bins: BinRange | None = None
    counts: np.ndarray = field(default_factory=lambda: np.zeros((0, BINS)))

    def extend(self, counts: np.ndarray, ranges: list[BinRange]) -> None:
        widest = max(ranges, key=lambda bins: bins.half)
        if self.bins is None or widest.half > self.bins.half:
            if self.bins is not None:
                self.counts = doubled(self.counts, _doublings(self.bins, widest))
            self.bins = widest
        rows = [
            doubled(row[None, :], _doublings(bins, self.bins))[0]
            for row, bins in zip(counts, ranges, strict=True)
        ]
        self.counts = np.concatenate([self.counts, np.asarray(rows).reshape(-1, BINS)])

    def keep_first(self, count: int) -> None:
        self.counts = self.counts[:count]


def _doublings(narrow: BinRange, wide: BinRange) -> int:
    return max(0, round(math.log2(wide.half / narrow.half)))


@dataclass
class LayerTrack:
    """One parameter's statistics over the run."""

    values: HistogramStrip = field(default_factory=HistogramStrip)
    grads: HistogramStrip = field(default_factory=HistogramStrip)
    ratios: np.ndarray = field(default_factory=lambda: np.zeros(0))
    grad_norms: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def extend(self, columns: LayerColumns) -> None:
        self.values.extend(columns.values, columns.value_ranges)
        self.grads.extend(columns.grads, columns.grad_ranges)
        self.ratios = np.concatenate([self.ratios, columns.ratios])
        self.grad_norms = np.concatenate([self.grad_norms, columns.grad_norms])


class LayerHistory:
    """Every parameter's track, in the order the model lists them (input side first)."""

    def __init__(self) -> None:
        self.steps = np.zeros(0)
        self.tracks: dict[str, LayerTrack] = {}

    def add(self, report: LayerReport) -> None:
        if not len(report.steps):
            return
        self.steps = np.concatenate([self.steps, report.steps])
        for name, columns in report.layers.items():
            self.tracks.setdefault(name, LayerTrack()).extend(columns)

    def drop_from(self, step: float) -> None:
        """Forget the samples at ``step`` and after (training went back before it)."""
        keep = int(np.searchsorted(self.steps, step, side="left"))
        self.steps = self.steps[:keep]
        for track in self.tracks.values():
            track.values.keep_first(keep)
            track.grads.keep_first(keep)
            track.ratios, track.grad_norms = track.ratios[:keep], track.grad_norms[:keep]

    def clear(self) -> None:
        self.steps = np.zeros(0)
        self.tracks = {}

    def median_grad_norms(self) -> dict[str, float]:
        """Each parameter's median gradient norm over the run (NaN where none)."""
        out = {}
        for name, track in self.tracks.items():
            finite = track.grad_norms[np.isfinite(track.grad_norms)]
            out[name] = float(np.median(finite)) if finite.size else math.nan
        return out
