"""Cutting a large graph into consecutive pieces, in an order where inputs come first.

The dot engine prints every coordinate to about five significant digits: in a
drawing tens of thousands of points tall, neighbouring nodes round onto each
other. A piece is small enough for its own coordinates to stay exact, and the
pieces follow each other in the graph's order, so every edge between two
pieces runs from an earlier piece to a later one.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge

# The most nodes laid out by one engine run: a chain this long still rounds by under a
# point, and the graphs of a size the engine lays out well in one run stay whole.
PIECE_LIMIT = 1000
# A node feeding more nodes than this (a weight an RNN uses at every step) has its
# edges drawn apart from the engine: each would run down through many ranks, and
# the engine's ordering of the ranks slows to minutes under hundreds of them.
HUB_FAN_OUT = 8


@dataclass
class GraphPieces:
    """The pieces in order, and the edges drawn apart from the engine: those that run
    from one piece to a later one, and those of the nodes that feed many."""

    pieces: list[AutogradGraph]
    crossing: list[GraphEdge]


def inputs_first_order(graph: AutogradGraph) -> list[str]:
    """Return the node ids with every edge's source before its target.

    Among the nodes whose inputs are all placed, the one added to the graph first
    goes next, so an extracted graph, whose inputs are mostly added before what
    uses them, keeps its order. A cycle, which an autograd graph never has, would
    leave its nodes to the end, in the order they were added.
    """
    index = {node_id: position for position, node_id in enumerate(graph.nodes)}
    waiting = dict.fromkeys(graph.nodes, 0)
    users: dict[str, list[str]] = {node_id: [] for node_id in graph.nodes}
    for edge in graph.edges:
        if edge.source in index and edge.target in index and edge.source != edge.target:
            waiting[edge.target] += 1
            users[edge.source].append(edge.target)
    ready = [position for position, count in enumerate(waiting.values()) if count == 0]
    heapq.heapify(ready)
    ids = list(graph.nodes)
    order: list[str] = []
    while ready:
        node_id = ids[heapq.heappop(ready)]
        order.append(node_id)
        for user in users[node_id]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, index[user])
    if len(order) < len(ids):
        placed = set(order)
        order.extend(node_id for node_id in ids if node_id not in placed)
    return order


def split_graph(graph: AutogradGraph, limit: int = PIECE_LIMIT) -> GraphPieces:
    """Return ``graph`` cut into pieces of at most ``limit`` nodes, of even sizes.

    Each piece holds its nodes and the edges between them; an edge between two
    pieces, or from a node with more than HUB_FAN_OUT edges, is in ``crossing``,
    in the graph's edge order.
    """
    order = inputs_first_order(graph)
    count = max(1, math.ceil(len(order) / max(1, limit)))
    size, longer = divmod(len(order), count)  # the first ``longer`` pieces get one more
    piece_of: dict[str, int] = {}
    pieces: list[AutogradGraph] = []
    start = 0
    for number in range(count):
        end = start + size + (1 if number < longer else 0)
        piece = AutogradGraph()
        for node_id in order[start:end]:
            piece.nodes[node_id] = graph.nodes[node_id]
            piece_of[node_id] = number
        pieces.append(piece)
        start = end
    fan_out = Counter(edge.source for edge in graph.edges)
    crossing: list[GraphEdge] = []
    for edge in graph.edges:
        source, target = piece_of[edge.source], piece_of[edge.target]
        if source == target and fan_out[edge.source] <= HUB_FAN_OUT:
            pieces[source].edges.append(edge)
        else:
            crossing.append(edge)
    return GraphPieces(pieces, crossing)
