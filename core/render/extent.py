"""How big a drawn graph will be, estimated without running the layout engine.

Each node gets the box the engine would get (dot_source.layout_lines in the
label font); its rank is the longest path to it from a node with no inputs, as
the engine ranks a graph without cycles. A rank is as wide as its boxes side by
side and as tall as its tallest box. Crossings the engine untangles, and edges
that skip ranks, make real drawings somewhat bigger; the estimate only has to
tell a drawing that can be read at a glance from one that cannot.
"""

from __future__ import annotations

from collections import deque

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.dot_source import layout_lines
from autograd_playground.core.render.text_metrics import (
    ENGINE_METRICS,
    POINTS_PER_INCH,
    TextMetrics,
    box_size,
)

NODE_SEPARATION = 0.25 * POINTS_PER_INCH  # dot_source's nodesep and ranksep
RANK_SEPARATION = 0.35 * POINTS_PER_INCH


def node_ranks(graph: AutogradGraph) -> dict[str, int]:
    """Return each node's rank: the most edges on a path to it from a node without inputs."""
    indegree = dict.fromkeys(graph.nodes, 0)
    successors: dict[str, list[str]] = {node_id: [] for node_id in graph.nodes}
    for edge in graph.edges:
        if edge.source != edge.target:
            successors[edge.source].append(edge.target)
            indegree[edge.target] += 1
    ranks = dict.fromkeys(graph.nodes, 0)
    ready = deque(node_id for node_id, count in indegree.items() if count == 0)
    while ready:
        node_id = ready.popleft()
        for target in successors[node_id]:
            ranks[target] = max(ranks[target], ranks[node_id] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return ranks


def estimated_extent(
    graph: AutogradGraph, direction: str = "TB", metrics: TextMetrics = ENGINE_METRICS
) -> tuple[float, float]:
    """Return the estimated width and height, in layout points, of ``graph`` laid out."""
    if not graph.nodes:
        return (0.0, 0.0)
    across: dict[int, float] = {}  # a rank's boxes side by side
    along: dict[int, float] = {}  # its biggest box in the direction of the edges
    sideways = direction in ("LR", "RL")
    for node_id, rank in node_ranks(graph).items():
        node = graph.nodes[node_id]
        width, height = box_size(layout_lines(node), metrics, bold_first=node.kind != "op")
        width, height = width * POINTS_PER_INCH, height * POINTS_PER_INCH
        if sideways:
            width, height = height, width
        across[rank] = across.get(rank, -NODE_SEPARATION) + width + NODE_SEPARATION
        along[rank] = max(along.get(rank, 0.0), height)
    breadth = max(across.values())
    length = sum(along.values()) + RANK_SEPARATION * (len(along) - 1)
    return (length, breadth) if sideways else (breadth, length)
