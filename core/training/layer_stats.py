"""What each layer is doing: histograms of every parameter and of its gradient, and
the size of each update against the weight it changes, sampled through a run.

The trainer records at the steps its parameter trace samples, on the training
thread, on the parameters' device: two ``torch.histc`` calls a parameter, on fixed
bins, and one concatenation a sample, so that the report reads each sample in one
copy. The window only paints the counts.

Bins. A parameter's range (of values, and separately of gradients) is fixed from
its first sample: the sample's span, a little wider, about its centre. When later
values leave it, it doubles about the same centre until they fit, from the next
sample on; values outside the range land in its edge bins meanwhile, so a
histogram's counts always sum to the tensor's size. Reading whether values left
the range waits for the report, which reads the device anyway: a sample costs no
device sync of its own, except a parameter's first. Doubling about a fixed
centre keeps every old histogram exact in the new bins: each pair of old bins is
one new bin, in the middle half (``doubled``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from autograd_playground.core.training.layer_bins import (
    BINS,
    BinRange,
    LayerColumns,
    LayerReport,
)


def _flat(value: Any) -> torch.Tensor:
    """A parameter or gradient as a flat float tensor (a NumPy task's too)."""
    tensor = value.detach() if isinstance(value, torch.Tensor) else torch.as_tensor(value)
    tensor = tensor.reshape(-1)
    return tensor if tensor.is_floating_point() else tensor.double()


def _owners(sizes: tuple[int, ...], device: torch.device) -> torch.Tensor:
    """Each element's parameter, by its place in the parameters laid end to end."""
    counts = torch.tensor(sizes, device=device)
    return torch.repeat_interleave(torch.arange(len(sizes), device=device), counts)


def _histograms(flat: torch.Tensor, owner: torch.Tensor, ranges: list[BinRange]) -> torch.Tensor:
    """Every parameter's counts on its own bins, at once: (parameters, BINS). Values
    beyond a range land in its edge bins, so each row sums to its parameter's size."""
    lows = torch.tensor([bins.low for bins in ranges], dtype=flat.dtype, device=flat.device)
    widths = torch.tensor(
        [2 * bins.half / BINS for bins in ranges], dtype=flat.dtype, device=flat.device
    )
    place = (flat - lows.index_select(0, owner)) / widths.index_select(0, owner)
    # Clamped to the bins first: truncation is then the floor (NaN counts as bin 0).
    index = torch.nan_to_num(place.clamp_(0, BINS - 1), nan=0.0).long() + owner * BINS
    counts = torch.bincount(index, minlength=len(ranges) * BINS)
    return counts.reshape(len(ranges), BINS).to(flat.dtype)


def _laid_end_to_end(
    grads: list[Any], known: list[bool], flats: list[torch.Tensor], values: torch.Tensor
) -> torch.Tensor:
    """The gradients end to end like the values, zeros where a parameter has none."""
    parts = [
        _flat(grad) if has else torch.zeros_like(flat)
        for grad, has, flat in zip(grads, known, flats, strict=True)
    ]
    return torch.cat([part.to(values.device) for part in parts]).to(values.dtype)


def _per_owner(flat: torch.Tensor, owner: torch.Tensor, count: int, how: str) -> torch.Tensor:
    """Each parameter's ``how`` ("amin", "amax" or "sum") of ``flat``."""
    start = {"amin": math.inf, "amax": -math.inf, "sum": 0.0}[how]
    out = torch.full((count,), start, dtype=flat.dtype, device=flat.device)
    return out.scatter_reduce(0, owner, flat, how, include_self=True)


# A sample is one flat tensor: the value histograms, the gradient histograms, then
# these numbers, a row of one per parameter each.
_SCALARS = ("value_min", "value_max", "grad_min", "grad_max", "value_sq", "grad_sq", "change_sq")


class LayerStats:
    """Samples taken at chosen steps until the next report takes them."""

    def __init__(self) -> None:
        self._value_bins: dict[str, BinRange] = {}
        self._grad_bins: dict[str, BinRange] = {}
        self._owner_cache: tuple[tuple, torch.Tensor] | None = None
        self._steps: list[int] = []
        self._samples: list[torch.Tensor] = []
        # Per sample: the names, their bins of values and of gradients, which had
        # a gradient and whether the update was known.
        self._layouts: list[tuple[list[str], list[BinRange], list[BinRange], list[bool], bool]] = []

    def record(
        self,
        step: int,
        params: dict[str, Any],
        grads: dict[str, Any] | None,
        before: dict[str, Any] | None,
    ) -> None:
        """Sample ``params`` after ``step``, with the gradients that step used and the
        parameters ``before`` its update (either may be None: not known).

        The parameters are laid end to end, so that a sample is a few tensor
        operations however many parameters the model has.
        """
        names = list(params)
        flats = [_flat(params[name]) for name in names]
        values = torch.cat(flats)
        owner = self._owner(tuple(flat.numel() for flat in flats), values.device)
        grad_list = [(grads or {}).get(name) for name in names]
        has_grad = [grad is not None and np.ndim(grad) > 0 for grad in grad_list]
        grad_flat = _laid_end_to_end(grad_list, has_grad, flats, values)
        count = len(names)
        value_bins = self._bins(self._value_bins, names, values, owner)
        grad_bins = self._bins(self._grad_bins, names, grad_flat, owner)
        rows = [_histograms(values, owner, value_bins), _histograms(grad_flat, owner, grad_bins)]
        change = values
        if before is not None:
            change = values - torch.cat([_flat(before[name]) for name in names]).to(values)
        scalars = [
            _per_owner(values, owner, count, "amin"),
            _per_owner(values, owner, count, "amax"),
            _per_owner(grad_flat, owner, count, "amin"),
            _per_owner(grad_flat, owner, count, "amax"),
            _per_owner(values * values, owner, count, "sum"),
            _per_owner(grad_flat * grad_flat, owner, count, "sum"),
            _per_owner(change * change, owner, count, "sum"),
        ]
        self._steps.append(step)
        self._samples.append(torch.cat([row.reshape(-1) for row in rows] + scalars))
        self._layouts.append((names, value_bins, grad_bins, has_grad, before is not None))

    def _owner(self, sizes: tuple[int, ...], device: torch.device) -> torch.Tensor:
        key = (sizes, device)
        if self._owner_cache is None or self._owner_cache[0] != key:
            self._owner_cache = (key, _owners(sizes, device))
        return self._owner_cache[1]

    @staticmethod
    def _bins(
        ranges: dict[str, BinRange], names: list[str], flat: torch.Tensor, owner: torch.Tensor
    ) -> list[BinRange]:
        """Each name's bins; names sampled for the first time get theirs from this
        sample (one device read for all of them)."""
        new = [index for index, name in enumerate(names) if name not in ranges]
        if new:
            lows = _per_owner(flat, owner, len(names), "amin").tolist()
            highs = _per_owner(flat, owner, len(names), "amax").tolist()
            for index in new:
                low, high = lows[index], highs[index]
                empty = not math.isfinite(low) and low > 0  # no elements at all
                ranges[names[index]] = BinRange(0.0, 1.0) if empty else BinRange.around(low, high)
        return [ranges[name] for name in names]

    def drop_after(self, step: int) -> None:
        """Forget the samples after ``step`` (training went back to it)."""
        keep = sum(1 for taken in self._steps if taken <= step)
        del self._steps[keep:], self._samples[keep:], self._layouts[keep:]

    def take(self) -> LayerReport:
        """Return and forget the samples (one device read), widening any range that a
        sample's values left, for the samples to come."""
        if not self._samples:
            return LayerReport()
        report = LayerReport(steps=np.asarray(self._steps, dtype=np.float64))
        read = _read(self._samples)
        columns: dict[str, list] = {}
        for row, layout in zip(read, self._layouts, strict=True):
            for name, column in self._sample_columns(row, layout):
                columns.setdefault(name, []).append(column)
        for name, parts in columns.items():
            report.layers[name] = _joined(parts)
        self._steps, self._samples, self._layouts = [], [], []
        return report

    def _sample_columns(self, row: np.ndarray, layout: tuple) -> list[tuple[str, tuple]]:
        """One sample's numbers, parameter by parameter, widening ranges they left."""
        names, value_bins, grad_bins, has_grad, knows_update = layout
        count = len(names)
        values = row[: count * BINS].reshape(count, BINS)
        grads = row[count * BINS : 2 * count * BINS].reshape(count, BINS)
        scalars = dict(zip(_SCALARS, row[2 * count * BINS :].reshape(-1, count), strict=True))
        out = []
        for index, name in enumerate(names):
            self._widen(
                self._value_bins, name, scalars["value_min"][index], scalars["value_max"][index]
            )
            norm = math.sqrt(scalars["value_sq"][index])
            ratio = (
                math.sqrt(scalars["change_sq"][index]) / norm if knows_update and norm else math.nan
            )
            if has_grad[index]:
                self._widen(
                    self._grad_bins, name, scalars["grad_min"][index], scalars["grad_max"][index]
                )
                grad, grad_norm = grads[index], math.sqrt(scalars["grad_sq"][index])
            else:
                grad, grad_norm = np.zeros(BINS), math.nan
            out.append(
                (name, (values[index], value_bins[index], grad, grad_bins[index], ratio, grad_norm))
            )
        return out

    @staticmethod
    def _widen(ranges: dict[str, BinRange], name: str, low: float, high: float) -> None:
        bins = ranges.get(name)
        if bins is not None and math.isfinite(low) and math.isfinite(high):
            ranges[name] = bins.doubled(bins.doublings_to_cover(low, high))


def _joined(parts: list[tuple]) -> LayerColumns:
    values, value_ranges, grads, grad_ranges, ratios, grad_norms = zip(*parts, strict=True)
    return LayerColumns(
        values=np.stack(values),
        value_ranges=list(value_ranges),
        grads=np.stack(grads),
        grad_ranges=list(grad_ranges),
        ratios=np.asarray(ratios, dtype=np.float64),
        grad_norms=np.asarray(grad_norms, dtype=np.float64),
    )


def _read(samples: list[torch.Tensor]) -> np.ndarray | list[np.ndarray]:
    """The samples as float64 rows: one copy where they share a device and a model
    (after a move they may not; a new parameter changes a sample's length)."""
    try:
        stacked = torch.stack(samples)
    except RuntimeError:
        return [sample.cpu().double().numpy() for sample in samples]
    return stacked.cpu().double().numpy()
