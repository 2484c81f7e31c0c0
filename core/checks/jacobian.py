"""The Jacobian of a root y with respect to a tensor x, two ways, and what backward(v) computes.

``torch.autograd.functional.jacobian`` differentiates f(x) = the code re-run
with x swapped in (see core.checks.reexecute). Seed 001 builds J by hand instead:
``y.backward(onehot, retain_graph=True)`` gives row i in ``x.grad``, zeroed
between rows. ``y.backward(v)`` computes vᵀJ, the rows summed with weights v,
without ever building J.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograd_playground.core.checks.autograd_targets import depends_on
from autograd_playground.core.checks.jacobian_report import JacobianReport, parse_vector
from autograd_playground.core.checks.reexecute import DEFAULT_BUDGET_S, ScratchRunner, TensorRef
from autograd_playground.core.checks.scratch_errors import ScratchError
from autograd_playground.core.i18n.catalog import Message

MAX_ENTRIES = 1_000_000  # of J: rows times columns


class JacobianJob:
    """The Jacobian of ``root`` with respect to ``leaf``: ``run`` on the engine thread."""

    def __init__(
        self,
        code: str,
        root: str,
        leaf: str,
        v_text: str = "",
        device: str = "cpu",
        budget_s: float = DEFAULT_BUDGET_S,
    ) -> None:
        self.root = TensorRef(root)
        self.leaf = TensorRef(leaf)
        self.v_text = v_text
        self.runner = ScratchRunner(code, device, budget_s)

    def cancel(self) -> None:
        """Stop soon; safe from any thread."""
        self.runner.cancel()

    def run(self) -> JacobianReport:
        """Re-run the code and return J both ways, and backward(v) against vᵀJ."""
        with self.runner:
            return self._run()

    def _run(self) -> JacobianReport:
        runner, root_ref, leaf_ref = self.runner, self.root, self.leaf
        trace = runner.trace([root_ref.name, leaf_ref.name])
        y, x = root_ref.get(trace.namespace), leaf_ref.get(trace.namespace)
        if y.grad_fn is None:
            raise ScratchError(
                Message(
                    "`{name}` has no grad_fn: there is nothing to differentiate.",
                    name=root_ref.name,
                )
            )
        if not x.requires_grad or not depends_on(y, x):
            raise ScratchError(
                Message(
                    "`{root}` does not depend on `{leaf}` through autograd.",
                    root=root_ref.name,
                    leaf=leaf_ref.name,
                )
            )
        m, n = y.numel(), x.numel()
        if m * n > MAX_ENTRIES:
            raise ScratchError(
                Message(
                    "J would have {m:,} × {n:,} entries; the Jacobian view "
                    "handles up to {max_entries:,}. Try a smaller example.",
                    m=m,
                    n=n,
                    max_entries=MAX_ENTRIES,
                )
            )
        v = parse_vector(self.v_text, tuple(y.shape))
        at = runner.change_point(trace, root_ref, leaf_ref)
        start: dict[str, torch.Tensor] = {}

        def keep_start(namespace: dict[str, Any]) -> None:
            start["x"] = leaf_ref.get(namespace).detach().clone()

        baseline = runner.run(at, keep_start)
        y, x = root_ref.get(baseline), leaf_ref.get(baseline)
        rows = self._rows(y, x)
        vjp = self._backward_v(y, x, v)
        functional = self._functional(at, start["x"], m, n)
        return JacobianReport(
            root=root_ref.name,
            leaf=leaf_ref.name,
            root_shape=tuple(y.shape),
            leaf_shape=tuple(x.shape),
            dtype=str(y.dtype).removeprefix("torch."),
            functional=functional,
            rows=rows,
            v=v,
            vjp=vjp,
            row_labels=tuple(root_ref.label(tuple(y.shape), i) for i in range(m)),
            column_labels=tuple(leaf_ref.label(tuple(x.shape), j) for j in range(n)),
        )

    def _rows(self, y: torch.Tensor, x: torch.Tensor) -> np.ndarray:
        """Build J as seed 001 does: one backward per output element, x.grad zeroed between."""
        if not x.is_leaf:
            x.retain_grad()
        rows = np.zeros((y.numel(), x.numel()))
        for i in range(y.numel()):
            self.runner.check_stop()
            x.grad = None
            onehot = torch.zeros(y.numel(), dtype=y.dtype, device=y.device)
            onehot[i] = 1
            y.backward(onehot.reshape(y.shape), retain_graph=True)
            if x.grad is not None:
                rows[i] = x.grad.detach().reshape(-1).cpu().double().numpy()
        return rows

    @staticmethod
    def _backward_v(y: torch.Tensor, x: torch.Tensor, v: np.ndarray) -> np.ndarray:
        """Return x.grad after y.backward(v): vᵀJ."""
        x.grad = None
        gradient = torch.as_tensor(v, dtype=y.dtype, device=y.device).reshape(y.shape)
        y.backward(gradient, retain_graph=True)
        if x.grad is None:
            return np.zeros(x.numel())
        return x.grad.detach().reshape(-1).cpu().double().numpy()

    def _functional(self, at: int, x0: torch.Tensor, m: int, n: int) -> np.ndarray:
        """Return torch.autograd.functional.jacobian of the re-run code at ``x0``, as (m, n)."""
        runner, root_ref, leaf_ref = self.runner, self.root, self.leaf

        def f(x_in: torch.Tensor) -> torch.Tensor:
            namespace = runner.run(at, lambda ns: leaf_ref.replace(ns, x_in))
            return root_ref.get(namespace)

        try:
            jacobian = torch.autograd.functional.jacobian(f, x0)
        except RuntimeError as exc:
            reason = str(exc).splitlines()[0]
            raise ScratchError(
                Message("torch.autograd.functional.jacobian failed: {reason}", reason=reason)
            ) from None
        return jacobian.detach().reshape(m, n).cpu().double().numpy()
