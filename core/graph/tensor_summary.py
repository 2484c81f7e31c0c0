"""Summaries of tensor values that keep no reference to the tensor."""

from __future__ import annotations

import cmath
import math
from typing import Any

import torch

from autograd_playground.core.graph.graph_model import TensorSummary
from autograd_playground.core.graph.tensor_heatmap import heat_map_of, heat_map_of_values
from autograd_playground.core.graph.tensor_text import dims_text, number_text

MAX_LISTED_ELEMENTS = 100
EDGE_ITEMS = 3


def summarize(
    tensor: torch.Tensor | None, *, printed: bool = True, with_heat_map: bool = False
) -> TensorSummary | None:
    """Return ``tensor``'s elements (at most 100) or its statistics, and its text.

    The text of a small tensor is torch's printout, of a bigger one a glimpse of a
    few elements (torch's printer scans every element). ``printed=False`` leaves a
    small tensor's printout until its text is first read: printing costs many times
    what summarizing does, and a graph or a recorded backward pass summarizes
    thousands. ``with_heat_map`` adds the value as a heat map, for the inspector: a
    small tensor's is made from its values when first read, for the same reason.
    """
    if tensor is None:
        return None
    data = tensor.detach()
    dtype = str(data.dtype).removeprefix("torch.")
    shape = tuple(data.shape)
    if data.layout != torch.strided or data.is_meta:
        return TensorSummary(None, None, dtype=dtype, shape=shape, printed=_torch_text(data))
    nan_count, inf_count = _non_finite_counts(data)
    counts = {"nan_count": nan_count, "inf_count": inf_count, "dtype": dtype, "shape": shape}
    small = data.numel() <= MAX_LISTED_ELEMENTS
    if with_heat_map:
        if small and not data.is_quantized:
            counts["heat_mapper"] = heat_map_of_values
        else:
            counts["made_heat_map"] = heat_map_of(data)
    if small:
        if data.is_complex():
            return TensorSummary(None, None, printed=_torch_text(data), **counts)
        values = data.cpu().tolist()
        if printed:
            return TensorSummary(values, None, printed=format_values(values, dtype), **counts)
        return TensorSummary(values, None, printer=format_values, **counts)
    stats = _stats(data, finite_only=nan_count + inf_count > 0)
    return TensorSummary(None, stats, printed=_glimpse(data), **counts)


def format_values(values: Any, dtype: str) -> str:
    """Return ``values`` printed as torch prints a tensor of ``dtype``."""
    try:
        return str(torch.tensor(values, dtype=getattr(torch, dtype)))
    except (AttributeError, TypeError, RuntimeError, ValueError):
        return str(values)


def _torch_text(data: torch.Tensor) -> str:
    try:
        return str(data)
    except RuntimeError as exc:  # e.g. a tensor on a device that went away
        return f"<unprintable tensor: {exc}>"


def _non_finite_counts(data: torch.Tensor) -> tuple[int, int]:
    """Return how many elements are NaN and how many infinite."""
    if not (data.is_floating_point() or data.is_complex()) or data.numel() == 0:
        return 0, 0
    # A finite sum proves every element finite: one reduction instead of two
    # masks and their counts, for the tensors of nearly every graph.
    if cmath.isfinite(data.sum().item()):
        return 0, 0
    return int(torch.isnan(data).sum()), int(torch.isinf(data).sum())


def _glimpse(data: torch.Tensor) -> str:
    """Return the first and last few elements in memory order, and the shape."""
    if data.numel() == 0:
        return f"empty tensor of shape {tuple(data.shape)}"
    edge = min(EDGE_ITEMS, data.shape[-1])
    if data.is_contiguous():
        flat = data.view(-1)
        head = flat[:edge].cpu().tolist()
        tail = flat[-edge:].cpu().tolist()
    else:
        head = data[(0,) * (data.dim() - 1)][:edge].cpu().tolist()
        tail = data[(-1,) * (data.dim() - 1)][-edge:].cpu().tolist()
    return (
        f"{dims_text(data.shape)} {str(data.dtype).removeprefix('torch.')} values: "
        f"{', '.join(map(number_text, head))}, …, {', '.join(map(number_text, tail))}"
    )


def _stats(data: torch.Tensor, finite_only: bool) -> dict[str, float]:
    if data.numel() == 0:
        return {}
    values = data.abs() if data.is_complex() else data
    if values.device.type == "mps":  # no float64 there: the statistics are read on the CPU
        values = values.cpu()
    values = values.to(torch.float64).reshape(-1)
    norm = float(torch.linalg.vector_norm(values)) if finite_only else None
    if finite_only:
        values = values[torch.isfinite(values)]
        if values.numel() == 0:
            return {"norm": norm}
    low, high = torch.aminmax(values)
    count = values.numel()
    mean = values.mean()
    # Two passes in float64 (the mean, then the squared deviations as one dot
    # product): as exact as torch.std_mean, which is a few times slower.
    deviations = values - mean
    square_sum = float(torch.dot(deviations, deviations))
    mean = float(mean)
    if norm is None:
        # The sum of squares is n·mean² plus the squared deviations.
        norm = math.sqrt(count * mean * mean + square_sum)
    return {
        "min": float(low),
        "max": float(high),
        "mean": mean,
        "std": math.sqrt(square_sum / (count - 1)) if count > 1 else 0.0,
        "norm": norm,
    }
