"""Parameters and gradient norms sampled through a run, so that a short run draws curves too.

Reports go out a few times a second, and a seed task's whole run often takes less
than one report interval: one point per report left the parameter and gradient
plots with a point or two. A trace samples about TRACE_POINTS steps over the run
instead, keeping them on the device until the next report reads them all at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograd_playground.core.training.metrics import ELEMENTS_SHOWN, sample_array, series_names
from autograd_playground.core.training.placement import TensorMove

TRACE_POINTS = 100


def _sample(value: Any) -> Any:
    """A small parameter's elements, or a bigger one's norm, as a copy that later steps
    cannot change (on the value's device: no sync here).

    Elements keep their shape (``take`` flattens them all at once), which saves a
    reshape a parameter at every sampled step. A 0-d parameter's one element comes
    as a vector, so that only a norm reads as 0-d.
    """
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.numel() > ELEMENTS_SHOWN:
            return torch.linalg.vector_norm(value)
        return value.clone() if value.dim() else value.reshape(1).clone()
    return sample_array(value)


def _norm(grad: Any) -> Any:
    if isinstance(grad, torch.Tensor):
        return grad if grad.dim() == 0 else torch.linalg.vector_norm(grad.detach())
    with np.errstate(over="ignore", invalid="ignore"):
        return np.linalg.norm(grad)


def _as_float64(samples: list[Any]) -> np.ndarray:
    """Stack one name's samples (all of one kind) into a float64 array, one row each."""
    if isinstance(samples[0], torch.Tensor):
        return torch.stack(samples).cpu().double().numpy()  # on the CPU first: MPS has no float64
    return np.stack([np.asarray(sample, dtype=np.float64) for sample in samples])


class ParamTrace:
    """Samples taken at chosen steps until the next report takes them."""

    def __init__(self, total_steps: int) -> None:
        # The trainer samples after every ``every``-th step, and after the first and last.
        self.every = max(1, total_steps // TRACE_POINTS)
        self._steps: list[int] = []
        self._params: list[dict[str, Any]] = []
        self._grad_steps: list[int] = []
        self._grads: list[dict[str, Any]] = []

    @property
    def last_step(self) -> int | None:
        return self._steps[-1] if self._steps else None

    def record(self, step: int, params: dict[str, Any], grads: dict[str, Any] | None) -> None:
        """Sample ``params`` and, when given, the gradients of the step that led to them."""
        self._steps.append(step)
        self._params.append({name: _sample(value) for name, value in params.items()})
        if grads:
            self._grad_steps.append(step)
            self._grads.append({name: _norm(grad) for name, grad in grads.items()})

    def gather(self, move: TensorMove) -> None:
        """Add the samples waiting for a report to ``move``: they go with the model."""
        for samples in (self._params, self._grads):
            for sample in samples:
                move.add_items(sample)

    def drop_after(self, step: int, grads_until: int | None = None) -> None:
        """Forget the parameters sampled after ``step`` (training went back to it), and
        the gradient norms sampled after ``grads_until`` (by default ``step`` too)."""
        keep = sum(1 for taken in self._steps if taken <= step)
        del self._steps[keep:], self._params[keep:]
        last_grads = step if grads_until is None else grads_until
        keep = sum(1 for taken in self._grad_steps if taken <= last_grads)
        del self._grad_steps[keep:], self._grads[keep:]

    def take(self) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
        """Return and forget the samples: steps and series for the parameters, then for
        the gradient norms. One device read per parameter, however many samples."""
        params = _series(self._params, plotted=True)
        grads = _series(self._grads, plotted=False)
        steps = np.asarray(self._steps, dtype=np.float64)
        grad_steps = np.asarray(self._grad_steps, dtype=np.float64)
        self._steps, self._params, self._grad_steps, self._grads = [], [], [], []
        return steps, params, grad_steps, grads


def _series(samples: list[dict[str, Any]], plotted: bool) -> dict[str, np.ndarray]:
    """Each name's samples as columns; ``plotted`` names them as the plots do."""
    if not samples:
        return {}
    out: dict[str, np.ndarray] = {}
    for name in samples[0]:
        rows = _as_float64([sample[name] for sample in samples])
        if not plotted:
            out[name] = rows.reshape(len(samples))
            continue
        rows = rows.reshape(len(samples), -1)
        is_norm = getattr(samples[0][name], "ndim", 0) == 0  # elements are never 0-d
        for column, key in enumerate(series_names(name, rows.shape[1], is_norm)):
            out[key] = rows[:, column]
    return out
