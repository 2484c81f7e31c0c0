"""Compare autograd's gradient with central finite differences, in float32 and in float64.

For a scalar root f and a leaf x, each checked element i gets
(f(x + εeᵢ) − f(x − εeᵢ)) / 2ε, from two scratch runs of the code (see
core.checks.reexecute), next to autograd's ∂f/∂xᵢ, judged like torch.autograd.gradcheck:
|autograd − numeric| ≤ atol + rtol·|numeric|.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from autograd_playground.core.checks.autograd_targets import depends_on, leaves_of
from autograd_playground.core.checks.gradient_report import (
    MAX_ELEMENTS,
    PRECISIONS,
    ElementCheck,
    GradCheckReport,
    LeafCheck,
    PrecisionCheck,
)
from autograd_playground.core.checks.reexecute import (
    DEFAULT_BUDGET_S,
    ScratchRunner,
    TensorRef,
    set_dtype,
    unravel,
)
from autograd_playground.core.checks.scratch_errors import ScratchError, ScratchStopped
from autograd_playground.core.graph.extract import named_tensors
from autograd_playground.core.i18n.catalog import Message


def sample_indices(numel: int, limit: int) -> list[int]:
    """Return all flat indices up to ``limit`` of them, else ``limit`` evenly spaced ones."""
    if numel <= limit:
        return list(range(numel))
    return sorted({round(i * (numel - 1) / (limit - 1)) for i in range(limit)})


class GradientCheck:
    """A gradient check of ``code``: ``run`` it on the engine thread, ``cancel`` from any."""

    def __init__(
        self,
        code: str,
        root: str,
        leaves: Sequence[str] | None = None,
        device: str = "cpu",
        budget_s: float = DEFAULT_BUDGET_S,
        max_elements: int = MAX_ELEMENTS,
    ) -> None:
        self.root = TensorRef(root)
        self.leaves = [TensorRef(name) for name in leaves] if leaves else None
        self.max_elements = max_elements
        self.runner = ScratchRunner(code, device, budget_s)

    def cancel(self) -> None:
        """Stop the check soon; the elements done so far are kept."""
        self.runner.cancel()

    def run(self) -> GradCheckReport:
        """Re-run the code as often as needed and return the comparison."""
        with self.runner:
            leaves, points = self._prepare()
            results: dict[str, dict[str, LeafCheck]] = {dtype: {} for dtype, _ in PRECISIONS}
            stopped = None
            try:
                for leaf in leaves:
                    self._check_leaf(leaf, points[leaf.name], results)
            except ScratchStopped as exc:
                if not any(check.elements for per in results.values() for check in per.values()):
                    raise
                stopped = exc.message
        precisions = tuple(
            PrecisionCheck(dtype, eps, tuple(results[dtype].values())) for dtype, eps in PRECISIONS
        )
        names = tuple(leaf.name for leaf in leaves)
        return GradCheckReport(self.root.name, names, precisions, stopped=stopped)

    # -- steps ------------------------------------------------------------------
    def _prepare(self) -> tuple[list[TensorRef], dict[str, int]]:
        """Check that the root and leaves make sense; return the leaves and their change points."""
        runner, root_ref = self.runner, self.root
        trace = runner.trace([root_ref.name] + [leaf.name for leaf in self.leaves or []])
        root = root_ref.get(trace.namespace)
        _check_root(root_ref.name, root)
        leaves = self.leaves or self._leaves_of(trace.namespace, root)
        if not leaves:
            raise ScratchError(
                Message(
                    "`{name}` depends on no named tensor that requires grad.", name=root_ref.name
                )
            )
        if self.leaves:  # names the user chose: the trace above already bound them
            for leaf in leaves:
                _check_chosen_leaf(root_ref.name, root, leaf.name, leaf.get(trace.namespace))
        else:
            trace = runner.trace([root_ref.name] + [leaf.name for leaf in leaves])
        points = {leaf.name: runner.change_point(trace, root_ref, leaf) for leaf in leaves}
        again = root_ref.get(runner.run(len(runner.statements)))
        _check_repeatable(root_ref.name, root, again)
        return leaves, points

    @staticmethod
    def _leaves_of(namespace: dict[str, Any], root: torch.Tensor) -> list[TensorRef]:
        names = {key: name for key, (name, _) in named_tensors(namespace).items()}
        found = sorted(names[id(leaf)] for leaf in leaves_of(root) if id(leaf) in names)
        return [TensorRef(name) for name in found]

    def _check_leaf(
        self, leaf: TensorRef, at: int, results: dict[str, dict[str, LeafCheck]]
    ) -> None:
        """Fill ``results`` for ``leaf`` in every precision, element by element."""
        runner = self.runner
        bases: dict[str, tuple[torch.Tensor, list[Message]]] = {}
        for dtype_name, _ in PRECISIONS:
            bases[dtype_name] = self._autograd_gradient(leaf, at, getattr(torch, dtype_name))
        shape = tuple(bases[PRECISIONS[0][0]][0].shape)
        numel = bases[PRECISIONS[0][0]][0].numel()
        indices = sample_indices(numel, self.max_elements)
        sampled: tuple[Message, ...] = ()
        if len(indices) < numel:
            checked = len(indices)
            sampled = (
                Message(
                    "`{name}` has {numel:,} elements: {checked} of them, evenly "
                    "spaced, are checked.",
                    name=leaf.name,
                    numel=numel,
                    checked=checked,
                ),
            )
        done: dict[str, list[ElementCheck]] = {dtype: [] for dtype, _ in PRECISIONS}

        def publish(extra: tuple[Message, ...] = ()) -> None:
            for dtype_name, _ in PRECISIONS:
                grad_notes = bases[dtype_name][1]
                results[dtype_name][leaf.name] = LeafCheck(
                    leaf.name, shape, tuple(done[dtype_name]), sampled + tuple(grad_notes) + extra
                )

        for count, flat in enumerate(indices):
            try:
                for dtype_name, eps in PRECISIONS:
                    dtype = getattr(torch, dtype_name)
                    plus = self._value(leaf, at, dtype, flat, eps)
                    minus = self._value(leaf, at, dtype, flat, -eps)
                    analytic = bases[dtype_name][0].reshape(-1)[flat].item()
                    label = leaf.label(shape, flat)
                    done[dtype_name].append(
                        ElementCheck(label, analytic, (plus - minus) / (2 * eps))
                    )
            except ScratchStopped:
                for dtype_name, _ in PRECISIONS:
                    del done[dtype_name][count:]
                total = len(indices)
                publish(
                    (
                        Message(
                            "Only {count} of {total} elements were checked.",
                            count=count,
                            total=total,
                        ),
                    )
                )
                raise
        publish()
        runner.check_stop()

    def _autograd_gradient(
        self, leaf: TensorRef, at: int, dtype: torch.dtype
    ) -> tuple[torch.Tensor, list[Message]]:
        """Return autograd's gradient of the root for ``leaf`` made ``dtype``, and notes."""
        seen: dict[str, int] = {}

        def change(namespace: dict[str, Any]) -> None:
            tensor = set_dtype(leaf, namespace, dtype)
            seen["version"] = tensor._version

        namespace = self.runner.run(at, change, dtype)
        root, tensor = self.root.get(namespace), leaf.get(namespace)
        notes: list[Message] = []
        if tensor._version != seen.get("version", tensor._version):
            line = self.runner.line_of(at)
            notes.append(
                Message(
                    "`{name}` is changed in place after line {line}: the finite "
                    "differences vary its starting value, autograd "
                    "differentiates its last use, so the two may differ.",
                    name=leaf.name,
                    line=line,
                )
            )
        if root.dtype != dtype:
            run_dtype, root_dtype = _short(dtype), _short(root.dtype)
            notes.append(
                Message(
                    "In the {run_dtype} run `{name}` came out {root_dtype}: a "
                    "step wrote into a tensor of that dtype in place, so its "
                    "rounding shows here.",
                    run_dtype=run_dtype,
                    name=self.root.name,
                    root_dtype=root_dtype,
                )
            )
        try:
            (grad,) = torch.autograd.grad(root, tensor, allow_unused=True)
        except RuntimeError as exc:
            reason = str(exc).splitlines()[0]
            raise ScratchError(
                Message(
                    "autograd could not differentiate `{root_name}` with respect "
                    "to `{leaf_name}` after the code ran: {reason}",
                    root_name=self.root.name,
                    leaf_name=leaf.name,
                    reason=reason,
                )
            ) from None
        if grad is None:
            grad = torch.zeros_like(tensor)
        return grad.detach().cpu().to(torch.float64), notes  # MPS has no float64

    def _value(self, leaf: TensorRef, at: int, dtype: torch.dtype, flat: int, step: float) -> float:
        """Return the root after a run where element ``flat`` of ``leaf`` is moved by ``step``."""

        def change(namespace: dict[str, Any]) -> None:
            tensor = set_dtype(leaf, namespace, dtype)
            with torch.no_grad():
                tensor[unravel(flat, tuple(tensor.shape))] += step

        root = self.root.get(self.runner.run(at, change, dtype))
        if root.numel() != 1:
            raise ScratchError(
                Message(
                    "`{root_name}` is no longer one number when `{leaf_name}` changes.",
                    root_name=self.root.name,
                    leaf_name=leaf.name,
                )
            )
        return root.detach().item()


def _short(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def _check_root(name: str, root: torch.Tensor) -> None:
    """Refuse a root that is not one number, or that autograd cannot differentiate."""
    if root.numel() != 1:
        raise ScratchError(
            Message(
                "`{name}` has shape {shape}: a gradient check needs a scalar "
                "root (one number), such as `{name}.sum()`. The Jacobian "
                "view handles non-scalar roots.",
                name=name,
                shape=tuple(root.shape),
            )
        )
    if root.grad_fn is None:
        raise ScratchError(
            Message(
                "`{name}` has no grad_fn: it was not computed from tensors "
                "that require grad, so there is no gradient to check.",
                name=name,
            )
        )


def _check_chosen_leaf(root_name: str, root: torch.Tensor, name: str, leaf: torch.Tensor) -> None:
    """Refuse a leaf the user chose that gets no gradient from the root."""
    if not leaf.requires_grad:
        raise ScratchError(
            Message(
                "`{name}` does not require grad, so autograd gives it no "
                "gradient. Create it with requires_grad=True.",
                name=name,
            )
        )
    if not depends_on(root, leaf):
        raise ScratchError(
            Message(
                "`{root}` does not depend on `{leaf_name}`.",
                root=root_name,
                leaf_name=name,
            )
        )


def _check_repeatable(name: str, root: torch.Tensor, again: torch.Tensor) -> None:
    """Refuse code whose root changes between two identical runs: finite differences need
    the same function every time."""
    if not torch.equal(again.detach(), root.detach()):
        raise ScratchError(
            Message(
                "`{name}` came out different in two identical runs "
                "({first:.6g}, then {second:.6g}): the code uses "
                "randomness the fixed seeds do not control "
                "(np.random.default_rng(), the clock, …). Finite differences "
                "need the same function every time.",
                name=name,
                first=root.item(),
                second=again.item(),
            )
        )
