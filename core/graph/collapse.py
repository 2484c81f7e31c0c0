"""Draw the nodes of an nn.Module call as one box, and choose which calls start collapsed.

Works on the ``module`` and ``module_path`` fields that extraction gives nodes
when it has the evaluator's module call table (see core.graph.module_names).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from autograd_playground.core.graph.fold_draw import draw_folds
from autograd_playground.core.graph.folds import MODULE_ID_PREFIX, module_folds, module_node_id
from autograd_playground.core.graph.graph_model import AutogradGraph

__all__ = [
    "MODULE_ID_PREFIX",
    "ModuleGroup",
    "collapse_modules",
    "default_collapsed",
    "module_groups",
    "module_node_id",
]


@dataclass(frozen=True)
class ModuleGroup:
    """One module call of a graph and how many of its nodes it would fold away."""

    call_id: str
    class_name: str
    qualified_name: str | None
    depth: int
    parent: str | None
    node_count: int
    op_count: int


def module_groups(graph: AutogradGraph) -> list[ModuleGroup]:
    """Return the graph's module calls, outer calls first, each depth in call order."""
    nodes, ops = Counter(), Counter()
    for node in graph.nodes.values():
        nodes.update(node.module_path)
        if node.kind == "op":
            ops.update(node.module_path)
    groups = [
        ModuleGroup(
            call_id=call.call_id,
            class_name=call.class_name,
            qualified_name=call.qualified_name,
            depth=call.depth,
            parent=call.parent,
            node_count=nodes[call.call_id],
            op_count=ops[call.call_id],
        )
        for call in graph.module_calls.values()
        if nodes[call.call_id]
    ]
    groups.sort(key=lambda group: group.depth)  # stable: call order within a depth
    return groups


def _box_of_each_node(graph: AutogradGraph, collapsed: set[str]) -> dict[str, str]:
    """Map each node inside a collapsed call to the outermost collapsed call around it."""
    boxes: dict[str, str] = {}
    for node_id, node in graph.nodes.items():
        for call_id in node.module_path:
            if call_id in collapsed:
                boxes[node_id] = call_id
                break
    return boxes


def collapse_modules(graph: AutogradGraph, collapsed: Iterable[str]) -> AutogradGraph:
    """Return a graph with each collapsed call's nodes replaced by one ``module`` node.

    Where collapsed calls nest, the outermost wins. Edges into and out of a
    call go to its node, once each; unknown call ids are ignored. ``graph`` is
    left as it was; nodes outside every collapsed call are shared with it.
    """
    return draw_folds(graph, module_folds(graph), collapsed)


def _calls_at_level(graph: AutogradGraph, depth: int) -> set[str]:
    """Return the calls at ``depth``, and the shallower ones that hold no other call."""
    has_children = {call.parent for call in graph.module_calls.values()}
    return {
        call.call_id
        for call in graph.module_calls.values()
        if call.depth == depth or (call.depth < depth and call.call_id not in has_children)
    }


def _count_after_collapse(graph: AutogradGraph, collapsed: set[str]) -> int:
    boxes = _box_of_each_node(graph, collapsed)
    return len(graph.nodes) - len(boxes) + len(set(boxes.values()))


def default_collapsed(graph: AutogradGraph, threshold: int) -> set[str]:
    """Return the calls a view of ``graph`` should start with collapsed.

    Nothing when the graph has at most ``threshold`` nodes. Otherwise the
    deepest level of calls whose collapse brings it to ``threshold`` or fewer,
    so as much detail as fits stays open; the outermost calls when none does.
    Collapsing deeper calls always leaves more nodes, so the search stops at
    the first level that does not fit.
    """
    if len(graph.nodes) <= threshold or not graph.module_calls:
        return set()
    deepest = max(call.depth for call in graph.module_calls.values())
    chosen = _calls_at_level(graph, 0)
    for depth in range(1, deepest + 1):
        level = _calls_at_level(graph, depth)
        if _count_after_collapse(graph, level) > threshold:
            break
        chosen = level
    return chosen
