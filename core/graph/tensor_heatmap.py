"""Reduce a tensor to a heat map (core.graph.heat_map) on the engine thread, or a
small tensor's listed values to one wherever it is first shown.

However large the tensor, the window receives at most MAX_CELLS × MAX_CELLS cells
(a 1-D or 2-D tensor) or MAX_SLICES slices of MAX_SLICE_CELLS × MAX_SLICE_CELLS
(a 3-D or 4-D one): each cell is the mean of a block of elements, so every element
counts, and the window only paints.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from autograd_playground.core.graph.heat_map import (
    FINITE,
    HAS_NAN,
    HAS_NEG_INF,
    HAS_POS_INF,
    HeatMap,
    HeatPanel,
    Histogram,
)

MAX_CELLS = 64
MAX_SLICE_CELLS = 32
MAX_SLICES = 16
HISTOGRAM_BINS = 24


def heat_map_of(tensor: torch.Tensor) -> HeatMap | None:
    """Return ``tensor``'s heat map; None for a scalar, an empty or a complex tensor,
    or one of more than four dimensions."""
    data = tensor.detach()
    if not 1 <= data.dim() <= 4 or data.numel() == 0 or data.is_complex():
        return None
    if data.layout != torch.strided or data.is_meta:
        return None
    if data.is_quantized:  # its numbers are what it stands for
        data = data.dequantize()
    # numpy from here on: a graph has a heat map for every tensor, mostly small
    # ones, and a numpy call costs a fraction of a torch call's overhead.
    return _heat_map_of_array(data.cpu().to(torch.float64).numpy())


def heat_map_of_values(values: Any, shape: tuple[int, ...]) -> HeatMap | None:
    """Return the heat map of a tensor of ``shape`` from its elements, ``values`` as
    ``Tensor.tolist`` gives them: ``heat_map_of``'s, without the tensor."""
    if not 1 <= len(shape) <= 4 or math.prod(shape) == 0 or values is None:
        return None
    return _heat_map_of_array(np.asarray(values, dtype=np.float64).reshape(shape))


def _heat_map_of_array(values: np.ndarray) -> HeatMap:
    """The heat map of ``values``: float64, of one to four dimensions, not empty."""
    if values.ndim <= 2:
        planes = values.reshape(1, 1 if values.ndim == 1 else values.shape[0], values.shape[-1])
        side = MAX_CELLS
    else:
        planes = values.reshape(-1, *values.shape[-2:])
        side = MAX_SLICE_CELLS
    height, width = planes.shape[-2:]
    row_block, col_block = math.ceil(height / side), math.ceil(width / side)
    leading = values.shape[:-2] if values.ndim > 2 else ()
    panels = tuple(
        _panel(planes[number], row_block, col_block, _unravel(number, leading))
        for number in range(min(planes.shape[0], MAX_SLICES))
    )
    return HeatMap(
        panels=panels,
        scale=_scale(panels),
        row_block=row_block,
        col_block=col_block,
        slice_shape=(height, width),
        slice_count=planes.shape[0],
        histogram=histogram_of(values),
    )


def _unravel(number: int, leading: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(number, leading)) if leading else ()


def block_sums(plane: np.ndarray, row_block: int, col_block: int) -> np.ndarray:
    """Return the sums of ``plane``'s blocks; the last blocks may be partial."""
    if row_block == col_block == 1:
        return plane.astype(np.float64)
    height, width = plane.shape
    rows, cols = math.ceil(height / row_block), math.ceil(width / col_block)
    padded = np.zeros((rows * row_block, cols * col_block))
    padded[:height, :width] = plane
    return padded.reshape(rows, row_block, cols, col_block).sum(axis=(1, 3))


def _panel(plane: np.ndarray, row_block: int, col_block: int, index: tuple) -> HeatPanel:
    """The block means of the finite elements of ``plane``, and each block's mark."""
    finite = np.isfinite(plane)
    every_finite = bool(finite.all())
    sums = block_sums(plane if every_finite else np.where(finite, plane, 0.0), row_block, col_block)
    if every_finite:
        # Divided by each block's size: the last blocks may be partial.
        means = sums / block_sums(np.ones(plane.shape), row_block, col_block)
        marks = np.zeros(means.shape, dtype=np.uint8)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            # 0 / 0: a block with no finite element has no mean
            means = sums / block_sums(finite, row_block, col_block)
        marks = np.full(means.shape, FINITE, dtype=np.uint8)
        # In order of precedence, the strongest last.
        for mark, found in (
            (HAS_NEG_INF, plane == -math.inf),
            (HAS_POS_INF, plane == math.inf),
            (HAS_NAN, np.isnan(plane)),
        ):
            marks[block_sums(found, row_block, col_block) > 0] = mark
    rows, cols = means.shape
    return HeatPanel(
        index=index,
        rows=rows,
        cols=cols,
        cells=np.ascontiguousarray(means, dtype=np.float64).tobytes(),
        marks=marks.tobytes(),
    )


def _scale(panels: tuple[HeatPanel, ...]) -> float:
    """The largest magnitude among the finite cells of every panel: one scale for all."""
    largest = 0.0
    for panel in panels:
        cells = np.frombuffer(panel.cells, dtype=np.float64)
        finite = cells[np.isfinite(cells)]
        if finite.size:
            largest = max(largest, float(np.abs(finite).max()))
    return largest


def histogram_of(values: np.ndarray, bins: int = HISTOGRAM_BINS) -> Histogram | None:
    """Count the finite elements of ``values`` in ``bins`` equal bins from the smallest
    to the largest; None when no element is finite."""
    flat = values.reshape(-1)
    finite = np.isfinite(flat)
    if not finite.all():
        flat = flat[finite]
    if flat.size == 0:
        return None
    low, high, mean = float(flat.min()), float(flat.max()), float(flat.sum()) / flat.size
    if low == high:
        return Histogram(low, high, mean, (int(flat.size),))
    # Equal bins, the largest value in the last: np.histogram's answer, for a
    # fraction of its cost on the small tensors most graphs hold.
    where = ((flat - low) * (bins / (high - low))).astype(np.int64)
    counts = np.bincount(np.minimum(where, bins - 1), minlength=bins)
    return Histogram(low, high, mean, tuple(counts.tolist()))
