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
        if root.numel() != 1:
            shape = tuple(root.shape)
            raise ScratchError(
                f"`{root_ref.name}` has shape {shape}: a gradient check needs a scalar root "
                f"(one number), such as `{root_ref.name}.sum()`. The Jacobian view handles "
                "non-scalar roots.",
                message_zh=f"`{root_ref.name}` 的形状是 {shape}：梯度检查需要标量根节点"
                f"（一个数），比如 `{root_ref.name}.sum()`。非标量的根节点请用雅可比矩阵面板。",
            )
        if root.grad_fn is None:
            raise ScratchError(
                f"`{root_ref.name}` has no grad_fn: it was not computed from tensors that "
                "require grad, so there is no gradient to check.",
                message_zh=f"`{root_ref.name}` 没有 grad_fn：它不是由 requires_grad=True "
                "的张量算出来的，所以没有梯度可检查。",
            )
        leaves = self.leaves or self._leaves_of(trace.namespace, root)
        if not leaves:
            raise ScratchError(
                f"`{root_ref.name}` depends on no named tensor that requires grad.",
                message_zh=f"`{root_ref.name}` 不依赖任何有名字且 requires_grad=True 的张量。",
            )
        if self.leaves:  # names the user chose: the trace above already bound them
            for leaf in leaves:
                tensor = leaf.get(trace.namespace)
                if not tensor.requires_grad:
                    raise ScratchError(
                        f"`{leaf.name}` does not require grad, so autograd gives it no "
                        f"gradient. Create it with requires_grad=True.",
                        message_zh=f"`{leaf.name}` 不需要梯度，autograd 不会为它计算梯度。"
                        "创建它时请加上 requires_grad=True。",
                    )
                if not depends_on(root, tensor):
                    raise ScratchError(
                        f"`{root_ref.name}` does not depend on `{leaf.name}`.",
                        message_zh=f"`{root_ref.name}` 不依赖 `{leaf.name}`。",
                    )
        else:
            trace = runner.trace([root_ref.name] + [leaf.name for leaf in leaves])
        points = {leaf.name: runner.change_point(trace, root_ref, leaf) for leaf in leaves}
        again = root_ref.get(runner.run(len(runner.statements)))
        if not torch.equal(again.detach(), root.detach()):
            raise ScratchError(
                f"`{root_ref.name}` came out different in two identical runs "
                f"({root.item():.6g}, then {again.item():.6g}): the code uses randomness the "
                "fixed seeds do not control (np.random.default_rng(), the clock, …). Finite "
                "differences need the same function every time.",
                message_zh=f"`{root_ref.name}` 在两次完全相同的运行中结果不同"
                f"（先是 {root.item():.6g}，后是 {again.item():.6g}）：代码用到了固定种子控制不了的"
                "随机性（np.random.default_rng()、时钟等）。有限差分要求每次都是同一个函数。",
            )
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
                    f"`{leaf.name}` has {numel:,} elements: {checked} of them, "
                    "evenly spaced, are checked.",
                    f"`{leaf.name}` 有 {numel:,} 个元素：均匀选取其中 {checked} 个检查。",
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
                            f"Only {count} of {total} elements were checked.",
                            f"只检查了 {total} 个元素中的 {count} 个。",
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
                    f"`{leaf.name}` is changed in place after line {line}: the "
                    "finite differences vary its starting value, autograd differentiates its "
                    "last use, so the two may differ.",
                    f"`{leaf.name}` 在第 {line} 行之后被原地修改：有限差分改变的是它的初始值，"
                    "autograd 求导的是它最后一次被使用时的值，所以两者可能不同。",
                )
            )
        if root.dtype != dtype:
            run_dtype, root_dtype = _short(dtype), _short(root.dtype)
            notes.append(
                Message(
                    f"In the {run_dtype} run `{self.root.name}` came out {root_dtype}: "
                    "a step wrote into a tensor of that dtype in place, so its rounding shows "
                    "here.",
                    f"在 {run_dtype} 的运行中，`{self.root.name}` 的结果是 {root_dtype}："
                    "某一步原地写入了这种 dtype 的张量，所以这里会显出它的舍入误差。",
                )
            )
        try:
            (grad,) = torch.autograd.grad(root, tensor, allow_unused=True)
        except RuntimeError as exc:
            reason = str(exc).splitlines()[0]
            raise ScratchError(
                f"autograd could not differentiate `{self.root.name}` with respect to "
                f"`{leaf.name}` after the code ran: {reason}",
                message_zh=f"代码运行后，autograd 无法求 `{self.root.name}` 对 "
                f"`{leaf.name}` 的导数：{reason}",
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
                f"`{self.root.name}` is no longer one number when `{leaf.name}` changes.",
                message_zh=f"`{leaf.name}` 改变后，`{self.root.name}` 不再是一个数。",
            )
        return root.detach().item()


def _short(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")
