"""The gradient each tensor has received so far while a backward pass is stepped through.

Autograd sums every gradient that reaches a tensor before it hands the total
on (or adds it into a leaf's ``.grad``). Shown step by step, the boxes of the
graph fill up as the gradients flow: empty before any arrives, a partial sum
while several contributions add up, the whole gradient once all have arrived.
The values are worked out when the pass is recorded (core.teach.backward.trace);
this module only looks them up, and imports no torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd_playground.core.render.inline_values import shows_grad

if TYPE_CHECKING:
    from autograd_playground.core.graph.graph_model import AutogradGraph, TensorSummary
    from autograd_playground.core.teach.backward.trace import BackwardTrace

# Where a gradient arrives: a grad_fn's step key and which of its outputs it is for
# (a leaf's AccumulateGrad has one, 0).
GradSlot = tuple


def grads_arrived_by(trace: BackwardTrace, index: int) -> dict[GradSlot, TensorSummary]:
    """Return the gradient each slot holds once step ``index`` (from 0) has run."""
    totals: dict[GradSlot, TensorSummary] = {}
    for step in trace.steps[: index + 1]:
        totals.update(step.arrived)
    return totals


def reached_slots(trace: BackwardTrace, graph: AutogradGraph) -> dict[str, GradSlot]:
    """Map the id of each node of ``graph`` that shows a grad and that the pass reaches
    to its slot: a leaf by its AccumulateGrad step, a named tensor by the op that made it."""
    slots: dict[str, GradSlot] = {}
    step_keys = set()
    for step in trace.steps:
        step_keys.add(step.key)
        if step.key[0] == "leaf" and step.node_id in graph.nodes:
            slots[step.node_id] = (step.key, 0)
    made_by = dict(trace.tensor_slots)
    for node in graph.nodes.values():
        slot = made_by.get(node.name) if node.kind == "tensor" else None
        if slot is not None and slot[0] in step_keys:
            slots[node.id] = slot
    return {node_id: slot for node_id, slot in slots.items() if shows_grad(graph.nodes[node_id])}


def node_grads_at(
    trace: BackwardTrace, index: int, graph: AutogradGraph
) -> dict[str, TensorSummary | None]:
    """Return the grad each box the pass reaches shows at step ``index``: None before
    any gradient has arrived there. Boxes the pass does not reach are left out."""
    arrived = grads_arrived_by(trace, index)
    return {node_id: arrived.get(slot) for node_id, slot in reached_slots(trace, graph).items()}
