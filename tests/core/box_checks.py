"""Checks on laid-out boxes shared by the layout, export and window tests."""

from __future__ import annotations

from collections.abc import Mapping

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode

# (centre x, centre y, width, height)
Box = tuple[float, float, float, float]


def overlapping_pairs(boxes: Mapping[str, Box], limit: int = 10) -> list[tuple[str, str]]:
    """Return up to ``limit`` pairs of boxes that overlap (touching edges do not count).

    A sweep down the drawing: each box is compared with those above it that reach
    below its top, so a tall drawing costs little.
    """
    spans = sorted(
        (y - h / 2, y + h / 2, x - w / 2, x + w / 2, name) for name, (x, y, w, h) in boxes.items()
    )
    found: list[tuple[str, str]] = []
    active: list[tuple[float, float, float, float, str]] = []
    for span in spans:
        top, _, left, right, name = span
        active = [other for other in active if other[1] > top + 1e-6]
        found.extend(
            (other[4], name)
            for other in active
            if other[2] < right - 1e-6 and left < other[3] - 1e-6
        )
        if len(found) >= limit:
            return found[:limit]
        active.append(span)
    return found


def op_chain(ops: int) -> AutogradGraph:
    """Return the graph of ``x`` through ``ops`` ops in a row (tanh, mul, add …) to ``out``."""
    graph = AutogradGraph()
    graph.add_node(
        GraphNode("leaf:x", "leaf", "x", name="x", shape=(4,), requires_grad=True, is_leaf=True)
    )
    previous = "leaf:x"
    names = ("tanh", "mul", "add")
    for seq in range(ops):
        label = names[seq % 3] if seq < ops - 1 else "sum"
        node_id = f"op:{seq}"
        graph.add_node(
            GraphNode(node_id, "op", label, op=f"{label.title()}Backward0", seq=seq, shape=(4,))
        )
        graph.add_edge(previous, node_id)
        previous = node_id
    graph.add_node(GraphNode("tensor:out", "tensor", "out", name="out", shape=(), is_root=True))
    graph.add_edge(previous, "tensor:out")
    graph.roots = ["tensor:out"]
    return graph
