"""Summaries of tensor values that keep no reference to the tensor."""

from __future__ import annotations

import torch

from core.graph_model import TensorSummary

MAX_LISTED_ELEMENTS = 100


def summarize(tensor: torch.Tensor | None) -> TensorSummary | None:
    """Return ``tensor``'s value as text, plus its elements or its statistics."""
    if tensor is None:
        return None
    data = tensor.detach()
    text = _torch_text(data)
    if data.layout != torch.strided or data.is_meta:
        return TensorSummary(text=text, values=None, stats=None)
    floating = data.is_floating_point() or data.is_complex()
    nan_count = int(torch.isnan(data).sum()) if floating else 0
    inf_count = int(torch.isinf(data).sum()) if floating else 0
    if data.numel() <= MAX_LISTED_ELEMENTS:
        values = data.cpu().tolist() if not data.is_complex() else None
        return TensorSummary(text, values, None, nan_count, inf_count)
    return TensorSummary(text, None, _stats(data), nan_count, inf_count)


def _torch_text(data: torch.Tensor) -> str:
    try:
        return str(data)
    except RuntimeError as exc:  # e.g. a tensor on a device that went away
        return f"<unprintable tensor: {exc}>"


def _stats(data: torch.Tensor) -> dict[str, float]:
    if data.numel() == 0:
        return {}
    values = data.to(torch.float64) if not data.is_complex() else data.abs().to(torch.float64)
    finite = values[torch.isfinite(values)]
    if finite.numel() == 0:
        return {"norm": float("nan")}
    return {
        "min": float(finite.min()),
        "max": float(finite.max()),
        "mean": float(finite.mean()),
        "std": float(finite.std()) if finite.numel() > 1 else 0.0,
        "norm": float(torch.linalg.vector_norm(values)),
    }
