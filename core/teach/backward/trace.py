"""A backward pass recorded one grad_fn node at a time, as plain data for stepping through.

Hooks on every node reachable from the root note, in the order autograd runs
them, the gradients each node receives (grad_outputs) and hands on to its
inputs (grad_inputs). While a pass runs only copies are taken; values are
summarized afterwards, so recording the backward() of a training loop stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any, Literal

import torch

from autograd_playground.core.graph.extract import grad_fn_node_ids, named_tensors
from autograd_playground.core.graph.graph_model import TensorSummary
from autograd_playground.core.graph.tensor_summary import MAX_LISTED_ELEMENTS, summarize
from autograd_playground.core.i18n.catalog import Message, text_in, translate
from autograd_playground.core.render.inline_values import MAX_INLINE_ELEMENTS
from autograd_playground.core.teach.backward.local_rules import (
    ACCUMULATE_GRAD,
    capture_operands,
    describe_operands,
    rule_for,
)
from autograd_playground.core.teach.backward.step_keys import StepKey, is_custom, op_name, step_key
from autograd_playground.core.teach.backward.step_targets import no_grad_inputs, target_labels

MAX_TRACE_NODES = 2000
FREED_MESSAGE = Message(
    "The graph's saved tensors were freed by backward(); add "
    "retain_graph=True to that backward() call, or run the cell "
    "again."
)


class TraceUnavailable(Exception):
    """No trace can be made for the root asked for; the message says why, for the user."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.in_language("en"))
        self.message = message

    def text_in(self, language: str) -> str:
        """Return why, in ``language``."""
        return self.message.in_language(language)


class GraphTooLarge(Exception):
    """The graph has more nodes than a trace records."""


@dataclass(frozen=True)
class GradFlow:
    """One gradient entering a step (``label`` 'grad') or leaving it ('to x', 'to MulBackward0')."""

    label: Message | str  # a plain string where it reads the same in every language
    value: TensorSummary | None

    def label_in(self, language: str) -> str:
        """Return the label in ``language``."""
        return text_in(self.label, language)


@dataclass(frozen=True)
class BackwardStep:
    """One node run by backward: what it received, its rule and what it handed on.

    ``key`` identifies the grad_fn (its op and autograd's sequence number, or
    its leaf), so ``resolve_node_ids`` can find its graph node later.
    """

    op: str
    key: StepKey
    rule: Message | str
    grad_outputs: tuple[GradFlow, ...]
    grad_inputs: tuple[GradFlow, ...]
    # The saved values the rule uses, (name, value) as ``capture_operands`` keeps them.
    operands: tuple[tuple[str, Any], ...] = ()
    line: int | None = None
    leaf_name: str | None = None
    node_id: str | None = None
    # The gradients that this step makes arrive, as (slot, total so far): see
    # core.teach.backward.grad_arrivals. Only tensors small enough to show in their box are kept.
    arrived: tuple[tuple[tuple, TensorSummary], ...] = ()

    @property
    def title(self) -> str:
        """Return 'MulBackward0', or 'AccumulateGrad into x.grad' for a leaf."""
        return self.title_in("en")

    def title_in(self, language: str) -> str:
        """Return the title in ``language`` ("en" or "zh")."""
        if self.op != ACCUMULATE_GRAD:
            return self.op
        if self.leaf_name:
            return translate(
                "{accumulate_grad} into {leaf_name}.grad",
                language,
                accumulate_grad=ACCUMULATE_GRAD,
                leaf_name=self.leaf_name,
            )
        return translate(
            "{accumulate_grad} into a leaf.grad", language, accumulate_grad=ACCUMULATE_GRAD
        )

    def rule_in(self, language: str) -> str:
        """Return the rule in ``language``."""
        return text_in(self.rule, language)

    def operands_in(self, language: str) -> str:
        """Return the saved values the rule uses, described in ``language``: "other = 2"."""
        return describe_operands(dict(self.operands), language)


@dataclass(frozen=True)
class BackwardTrace:
    """The steps of one backward pass from ``root``, in the order autograd ran them."""

    root: str
    source: Literal["recorded", "live"]
    steps: tuple[BackwardStep, ...]
    root_key: StepKey | None = None
    root_name: str | None = None
    line: int | None = None
    note: Message | str = ""
    run_id: int = 0
    # (variable name, slot) for the named tensors an op of the pass made.
    tensor_slots: tuple[tuple[str, tuple], ...] = ()

    def __len__(self) -> int:
        return len(self.steps)

    def print_values(self) -> None:
        """Print every gradient of the pass now, on the calling (engine) thread.

        They are left unprinted when the pass is recorded (see TensorSummary); once
        printed, a view on another thread only shows text.
        """
        for step in self.steps:
            for flow in (*step.grad_outputs, *step.grad_inputs):
                if flow.value is not None:
                    _ = flow.value.text
            for _slot, summary in step.arrived:
                _ = summary.text

    def note_in(self, language: str) -> str:
        """Return how the pass was made, in ``language``."""
        return text_in(self.note, language)


def reachable_nodes(root_fns: Iterable[Any], limit: int = MAX_TRACE_NODES) -> list[Any]:
    """Return every grad_fn reachable from ``root_fns``; GraphTooLarge past ``limit``."""
    seen: set[int] = set()
    found: list[Any] = []
    stack = [fn for fn in root_fns if fn is not None]
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        found.append(fn)
        if len(found) > limit:
            raise GraphTooLarge(f"the graph has more than {limit:,} nodes")
        stack.extend(child for child, _ in fn.next_functions if child is not None)
    return found


@lru_cache(maxsize=1024)
def _operand_names(fn_type: type) -> tuple[str, ...]:
    """Return the saved operands the rule of an op type shows (a C++ op's type bears its name)."""
    if issubclass(fn_type, torch.autograd.function.BackwardCFunction):
        return ()
    return rule_for(fn_type.__name__).operands


def _small_copy(tensor: torch.Tensor | None) -> torch.Tensor | None:
    """Copy a tensor small enough to be listed; a bigger one is not shown, so not kept."""
    if tensor is None or tensor.numel() > MAX_LISTED_ELEMENTS:
        return None
    return tensor.detach().clone()


@dataclass
class _RawStep:
    """A step as a hook saw it: the grad_fn and the gradient tensors, not yet summarized.

    Holding the gradients is safe without copying: autograd only adds into a
    buffer in place, or moves it into a ``.grad``, when nothing else refers to it.
    """

    fn: Any
    grad_inputs: tuple[Any, ...]
    grad_outputs: tuple[Any, ...]
    operands: dict[str, Any]
    had_grad: bool = False
    grad_before: torch.Tensor | None = None
    grad_after: torch.Tensor | None = None
    ran: bool = True  # False: an AccumulateGrad that autograd.grad skips


class StepRecorder:
    """A hook on every node of one graph, collecting raw steps while backward runs.

    Use as a context manager around the backward call; every hook is removed
    on exit, whatever happened. ``finish`` turns the raw steps into plain data.
    One post-hook per node is enough: it sees both the gradients the node got
    and those it made, and runs before the node's saved tensors are freed.
    """

    def __init__(
        self,
        root_fns: Iterable[Any],
        line_of: Callable[[Any], int | None] | None = None,
        limit: int = MAX_TRACE_NODES,
    ) -> None:
        self.nodes = reachable_nodes(root_fns, limit)
        self._no_grad = no_grad_inputs(self.nodes)
        self.raw: list[_RawStep] = []
        self._line_of = line_of
        self._grad_before: dict[int, tuple[bool, torch.Tensor | None]] = {}
        self._handles: list[Any] = []

    def __enter__(self) -> StepRecorder:
        try:
            for fn in self.nodes:
                if hasattr(fn, "variable"):
                    self._handles.append(fn.register_prehook(partial(self._before_leaf, fn)))
                    self._handles.append(fn.register_hook(partial(self._after_leaf, fn)))
                else:
                    self._handles.append(fn.register_hook(partial(self._after, fn)))
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._remove()

    def _remove(self) -> None:
        handles, self._handles = self._handles, []
        for handle in handles:
            handle.remove()

    def _before_leaf(self, fn: Any, _grad_outputs: Any) -> None:
        grad = fn.variable.grad
        self._grad_before[id(fn)] = (grad is not None, _small_copy(grad))

    def _after(self, fn: Any, grad_inputs: Any, grad_outputs: Any) -> None:
        # Runs for every node of every recorded backward(): kept to the bare minimum.
        names = _operand_names(type(fn))
        operands = capture_operands(fn, names) if names else {}
        self.raw.append(_RawStep(fn, grad_inputs, grad_outputs, operands))

    def _after_leaf(self, fn: Any, grad_inputs: Any, grad_outputs: Any) -> None:
        raw = _RawStep(fn, grad_inputs, grad_outputs, {})
        raw.had_grad, raw.grad_before = self._grad_before.pop(id(fn), (False, None))
        raw.grad_after = _small_copy(fn.variable.grad)
        self.raw.append(raw)

    def finish(
        self, names: Mapping[int, str], fn_names: Mapping[StepKey, str] | None = None
    ) -> tuple[BackwardStep, ...]:
        """Return the steps as plain data; ``names`` maps id(tensor) to its variable name
        and ``fn_names`` the step key of an op to the name of the tensor it made."""
        fn_names = fn_names or {}
        arrivals = _arrivals(self.raw, fn_names.keys())
        steps = tuple(
            self._finish_step(raw, names, fn_names, arrived)
            for raw, arrived in zip(self.raw, arrivals, strict=True)
        )
        self.raw = []
        self._grad_before = {}
        self._no_grad = {}
        return steps

    def _finish_step(
        self,
        raw: _RawStep,
        names: Mapping[int, str],
        fn_names: Mapping[StepKey, str],
        arrived: tuple[tuple[tuple, TensorSummary], ...],
    ) -> BackwardStep:
        fn = raw.fn
        name = op_name(fn)
        leaf = getattr(fn, "variable", None)
        leaf_name = None
        if leaf is not None:
            leaf_name = names.get(id(leaf)) or _unnamed_leaf(leaf)
            before = summarize(raw.grad_before)
            before_text = before.text if before is not None else None
            rule: Message | str = _accumulate_rule(leaf_name, raw, before_text)
            grad_inputs: tuple[GradFlow, ...] = ()
            if raw.grad_after is not None:
                now = Message("{leaf_name}.grad is now", leaf_name=leaf_name)
                grad_inputs = (GradFlow(now, summarize(raw.grad_after, printed=False)),)
        else:
            rule = rule_for(name, is_custom(fn)).text
            labels = target_labels(fn, names, fn_names, self._no_grad)
            grad_inputs = tuple(
                GradFlow(label, summarize(grad, printed=False))
                for label, grad in zip(labels, raw.grad_inputs, strict=False)
            )
        return BackwardStep(
            op=name,
            key=step_key(fn),
            rule=rule,
            operands=tuple(raw.operands.items()),
            grad_outputs=tuple(
                GradFlow("grad", summarize(grad, printed=False)) for grad in raw.grad_outputs
            ),
            grad_inputs=grad_inputs,
            line=self._line_of(fn) if self._line_of is not None and leaf is None else None,
            leaf_name=leaf_name,
            arrived=arrived,
        )


def _is_shown(grad: Any) -> bool:
    return grad is not None and grad.numel() <= MAX_INLINE_ELEMENTS


def _arrivals(
    raws: Sequence[_RawStep], named_ops: Container[StepKey]
) -> list[tuple[tuple[tuple, TensorSummary], ...]]:
    """Return, per step, the running total of each gradient slot that the step changed.

    A slot is (step key, output number) of the grad_fn a gradient goes to. A
    pass that adds into a leaf's old ``.grad`` starts from it; once the leaf's
    AccumulateGrad has run, its total is the ``.grad`` that came out. Only
    leaves and the ops in ``named_ops`` (those that made a named tensor) are
    followed: no box shows the gradient of an unnamed intermediate, and summing
    and summarizing every one would slow down the end of a run.
    """
    totals: dict[tuple, Any] = {}
    for raw in raws:
        if hasattr(raw.fn, "variable") and raw.had_grad and _is_shown(raw.grad_before):
            totals[(step_key(raw.fn), 0)] = raw.grad_before
    per_step = []
    changed: dict[tuple, Any] = dict(totals)  # the old .grad shows from the first step
    for raw in raws:
        fn = raw.fn
        if hasattr(fn, "variable"):
            if raw.ran and _is_shown(raw.grad_after):
                changed[(step_key(fn), 0)] = raw.grad_after
        else:
            key = step_key(fn)
            for output, grad in enumerate(raw.grad_outputs):  # a root's seed gradient
                if key in named_ops and _is_shown(grad) and (key, output) not in totals:
                    changed[(key, output)] = grad
            for (child, output), grad in zip(fn.next_functions, raw.grad_inputs, strict=False):
                if child is None or not _is_shown(grad):
                    continue
                child_key = step_key(child)
                if hasattr(child, "variable") or child_key in named_ops:
                    slot = (child_key, output)
                    before = changed.get(slot, totals.get(slot))
                    changed[slot] = grad if before is None else before + grad
        totals.update(changed)
        per_step.append(
            tuple((slot, summarize(grad, printed=False)) for slot, grad in changed.items())
        )
        changed = {}
    return per_step


def _unnamed_leaf(tensor: torch.Tensor, language: str = "en") -> str:
    shape = tuple(tensor.shape)
    return translate("an unnamed leaf {shape}", language, shape=shape)


def _accumulate_rule(leaf_name: str, raw: _RawStep, before: str | None) -> Message:
    grad = f"{leaf_name}.grad"
    if not raw.ran:
        return Message("would be added into {grad} ({grad} is left as it is here)", grad=grad)
    if not raw.had_grad:
        return Message("added into {grad}: it was None, so it becomes grad", grad=grad)
    if before is not None:
        return Message("added into {grad}: {before} + grad", grad=grad, before=before)
    return Message("added into {grad}: its old value + grad", grad=grad)


def names_by_id(namespace: Mapping[str, Any]) -> dict[int, str]:
    """Map id(tensor) to its name for the tensors and module parameters of ``namespace``."""
    return {key: name for key, (name, _) in named_tensors(namespace).items()}


def names_by_grad_fn(namespace: Mapping[str, Any]) -> dict[StepKey, str]:
    """Map the step key of each named tensor's grad_fn to the tensor's name."""
    found: dict[StepKey, str] = {}
    for name, tensor in named_tensors(namespace).values():
        if tensor.grad_fn is not None:
            found.setdefault(step_key(tensor.grad_fn), name)
    return found


def live_trace(
    namespace: Mapping[str, Any],
    root_name: str,
    line_of: Callable[[Any], int | None] | None = None,
) -> BackwardTrace:
    """Run backward from ``root_name`` with autograd.grad and record it, touching no ``.grad``.

    The graph is kept (retain_graph=True). Raises TraceUnavailable, with a
    message for the user, when the root has no graph or its saved tensors are gone.
    """
    root = _differentiable_root(namespace, root_name)
    try:
        recorder = StepRecorder([root.grad_fn], line_of)
    except GraphTooLarge:
        raise TraceUnavailable(
            Message(
                "Too big to step through: the graph has more than {max_trace_nodes:,} nodes.",
                max_trace_nodes=MAX_TRACE_NODES,
            )
        ) from None
    leaves = [fn.variable for fn in recorder.nodes if hasattr(fn, "variable")]
    if not leaves:
        raise TraceUnavailable(
            Message("No leaf that requires grad feeds {root_name}.", root_name=root_name)
        )
    grads = _recorded_grads(recorder, root, root_name, leaves)
    _add_accumulations(recorder, leaves, grads)
    return BackwardTrace(
        root=root_name,
        source="live",
        steps=recorder.finish(names_by_id(namespace), names_by_grad_fn(namespace)),
        root_key=step_key(root.grad_fn),
        root_name=root_name,
        note=Message("computed now with torch.autograd.grad; no .grad was changed"),
    )


def _add_accumulations(
    recorder: StepRecorder, leaves: list[torch.Tensor], grads: Sequence[Any]
) -> None:
    """Put each leaf's AccumulateGrad step where backward() would run it.

    autograd.grad hands leaf gradients back instead of running AccumulateGrad;
    backward() runs it at once after the last node that feeds it, since it has
    the highest priority among ready nodes.
    """
    grad_of = {id(leaf): grad for leaf, grad in zip(leaves, grads, strict=True)}
    last_feeder: dict[int, tuple[int, Any]] = {}
    for index, raw in enumerate(recorder.raw):
        for (child, _), grad in zip(raw.fn.next_functions, raw.grad_inputs, strict=False):
            if child is not None and hasattr(child, "variable") and grad is not None:
                last_feeder[id(child)] = (index, child)
    for index, accumulate in sorted(last_feeder.values(), key=lambda item: -item[0]):
        grad = grad_of.get(id(accumulate.variable))
        raw = _RawStep(accumulate, (), (grad,), {}, ran=False)
        recorder.raw.insert(index + 1, raw)


def resolve_node_ids(
    trace: BackwardTrace, namespace: Mapping[str, Any], roots: Sequence[str] | None = None
) -> BackwardTrace:
    """Return ``trace`` with each step's graph node id as ``extract_graph`` gives it now.

    A step whose node no longer belongs to the namespace's graph gets None.
    """
    ids = {step_key(fn): node_id for fn, node_id in grad_fn_node_ids(namespace, roots)}
    keys = {step.key for step in trace.steps}
    tensor_slots = tuple(
        (name, (step_key(tensor.grad_fn), tensor.output_nr))
        for name, tensor in named_tensors(namespace).values()
        if tensor.grad_fn is not None and step_key(tensor.grad_fn) in keys
    )
    return replace(
        trace,
        steps=tuple(replace(step, node_id=ids.get(step.key)) for step in trace.steps),
        tensor_slots=tensor_slots,
    )


def current_root_key(namespace: Mapping[str, Any], name: str) -> StepKey | None:
    """Return the key of the grad_fn of tensor ``name`` now, or None."""
    value = namespace.get(name)
    if isinstance(value, torch.Tensor) and value.grad_fn is not None:
        return step_key(value.grad_fn)
    return None


def _differentiable_root(namespace: Mapping[str, Any], root_name: str) -> torch.Tensor:
    """The tensor ``root_name`` names, if a backward pass can start from it."""
    root = namespace.get(root_name)
    if not isinstance(root, torch.Tensor):
        raise TraceUnavailable(Message("{root_name!r} is not a tensor.", root_name=root_name))
    if root.grad_fn is None:
        if root.requires_grad:
            why = Message("a leaf")
        else:
            why = Message("not part of any graph (requires_grad=False)")
        raise TraceUnavailable(
            Message(
                "{root_name} is {why}: there is no backward pass to step through.",
                root_name=root_name,
                why=why,
            )
        )
    if not (root.is_floating_point() or root.is_complex()):
        raise TraceUnavailable(
            Message(
                "{root_name} is not a floating-point tensor: it has no gradient.",
                root_name=root_name,
            )
        )
    return root


def _recorded_grads(
    recorder: StepRecorder, root: torch.Tensor, root_name: str, leaves: list[torch.Tensor]
) -> tuple[Any, ...]:
    """Run autograd.grad from ``root`` to ``leaves`` under ``recorder``, keeping the graph."""
    try:
        with recorder:
            return torch.autograd.grad(
                root,
                leaves,
                grad_outputs=torch.ones_like(root),
                retain_graph=True,
                allow_unused=True,
            )
    except RuntimeError as exc:
        if "second time" in str(exc) or "freed" in str(exc):
            raise TraceUnavailable(FREED_MESSAGE) from None
        raise TraceUnavailable(
            Message("Backward from {root_name} failed: {exc}", root_name=root_name, exc=exc)
        ) from None
