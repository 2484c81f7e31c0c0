"""Draw the nodes of an nn.Module call as one box, and choose which calls start collapsed.

Works on the ``module`` and ``module_path`` fields that extraction gives nodes
when it has the evaluator's module call table (see core.graph.module_names).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge, GraphNode

MODULE_ID_PREFIX = "module:"


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


def module_node_id(call_id: str) -> str:
    return MODULE_ID_PREFIX + call_id


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


def _path_of(graph: AutogradGraph, call_id: str) -> tuple[str, ...]:
    path: list[str] = []
    current: str | None = call_id
    while current is not None and current in graph.module_calls:
        path.append(current)
        current = graph.module_calls[current].parent
    return tuple(reversed(path))


def _seq(node: GraphNode) -> int:
    return node.seq if node.seq is not None else -1


def _module_node(graph: AutogradGraph, call_id: str, members: list[GraphNode]) -> GraphNode:
    call = graph.module_calls[call_id]
    ops = [node for node in members if node.kind == "op"]
    parameters = sum(node.kind == "leaf" for node in members)
    # The box exists from its first op on: it takes that op's place in the forward order.
    first = min((node for node in ops if node.seq is not None), key=_seq, default=None)
    return GraphNode(
        id=module_node_id(call_id),
        kind="module",
        label=call.class_name,
        name=call_id,
        shape=call.output_shape,
        attributes={"ops": str(len(ops)), "parameters": str(parameters)},
        line=next((node.line for node in ops if node.line is not None), None),
        seq=first.seq if first is not None else None,
        iteration=first.iteration if first is not None else None,
        iterations=first.iterations if first is not None else None,
        module=call_id,
        module_path=_path_of(graph, call_id),
    )


def collapse_modules(graph: AutogradGraph, collapsed: Iterable[str]) -> AutogradGraph:
    """Return a graph with each collapsed call's nodes replaced by one ``module`` node.

    Where collapsed calls nest, the outermost wins. Edges into and out of a
    call go to its node, once each; unknown call ids are ignored. ``graph`` is
    left as it was; nodes outside every collapsed call are shared with it.
    """
    wanted = {call_id for call_id in collapsed if call_id in graph.module_calls}
    boxes = _box_of_each_node(graph, wanted)
    members: dict[str, list[GraphNode]] = {}
    for node_id, call_id in boxes.items():
        members.setdefault(call_id, []).append(graph.nodes[node_id])

    result = AutogradGraph(module_calls=dict(graph.module_calls))
    for node_id, node in graph.nodes.items():
        call_id = boxes.get(node_id)
        if call_id is None:
            result.add_node(node)
        elif module_node_id(call_id) not in result.nodes:
            # In the first member's place: extraction adds inputs before what uses them.
            result.add_node(_module_node(graph, call_id, members[call_id]))

    def new_id(node_id: str) -> str:
        call_id = boxes.get(node_id)
        return node_id if call_id is None else module_node_id(call_id)

    rewired: set[GraphEdge] = set()
    for edge in graph.edges:
        source, target = new_id(edge.source), new_id(edge.target)
        if source == edge.source and target == edge.target:
            result.edges.append(edge)  # an op may take one input twice: keep both edges
            continue
        moved = GraphEdge(source, target, edge.kind)
        if source != target and moved not in rewired:
            rewired.add(moved)
            result.edges.append(moved)
    result.roots = list(dict.fromkeys(new_id(root) for root in graph.roots))
    result.folded = _folded_contents(graph, boxes, members)
    return result


def _folded_contents(
    graph: AutogradGraph, boxes: dict[str, str], members: dict[str, list[GraphNode]]
) -> dict[str, AutogradGraph]:
    """Return, by box node id, the box's members and the edges that touch them, with the
    nodes at their other ends (a tensor outside the box, or a member of another box)."""
    folded = {
        module_node_id(call_id): AutogradGraph(nodes={node.id: node for node in nodes})
        for call_id, nodes in members.items()
    }
    for edge in graph.edges:
        calls = {boxes.get(edge.source), boxes.get(edge.target)} - {None}
        for call_id in calls:
            inside = folded[module_node_id(call_id)]
            inside.edges.append(edge)
            for other in (edge.source, edge.target):
                inside.nodes.setdefault(other, graph.nodes[other])
    return folded


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
