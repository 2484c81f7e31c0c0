"""Stacking the layouts of a graph's pieces into one, and the edges between pieces.

Top to bottom, each piece goes under the one before it; left to right, beside
it; each centred across the drawing. An edge between two pieces is drawn here,
not by the engine: a cubic curve that leaves its source straight along the
direction of flow and arrives at its target the same way, as dot's own do.
"""

from __future__ import annotations

from autograd_playground.core.graph.graph_model import GraphEdge
from autograd_playground.core.render.layout_types import EdgePath, Layout, NodeBox
from autograd_playground.core.render.plain_layout import ARROW_LENGTH

# The space between two pieces: wide enough for the curves crossing it to bend.
PIECE_GAP = 36.0


def piece_offsets(
    sizes: list[tuple[float, float]], direction: str, gap: float = PIECE_GAP
) -> tuple[list[tuple[float, float]], float, float]:
    """Return each piece's top-left corner for pieces of ``sizes`` (width, height),
    and the width and height of them all."""
    across = 0 if direction == "TB" else 1  # the axis the pieces are centred on
    breadth = max((size[across] for size in sizes), default=0.0)
    offsets: list[tuple[float, float]] = []
    along = 0.0
    for size in sizes:
        centred = (breadth - size[across]) / 2
        offsets.append((centred, along) if across == 0 else (along, centred))
        along += size[1 - across] + gap
    length = max(0.0, along - gap)
    if across == 0:
        return offsets, breadth, length
    return offsets, length, breadth


def shifted(layout: Layout, dx: float, dy: float) -> Layout:
    """Return ``layout`` moved by (``dx``, ``dy``)."""
    nodes = {
        node_id: NodeBox(box.x + dx, box.y + dy, box.width, box.height)
        for node_id, box in layout.nodes.items()
    }
    edges = [
        EdgePath(
            edge.source,
            edge.target,
            edge.kind,
            [(x + dx, y + dy) for x, y in edge.points],
            None if edge.arrow_tip is None else (edge.arrow_tip[0] + dx, edge.arrow_tip[1] + dy),
        )
        for edge in layout.edges
    ]
    return Layout(nodes, edges, layout.width, layout.height)


def bridge(edge: GraphEdge, source: NodeBox, target: NodeBox, direction: str) -> EdgePath:
    """Return the path of ``edge`` from the box ``source`` to the box ``target``."""
    if direction == "TB":
        start = (source.x, source.y + source.height / 2)
        tip = (target.x, target.y - target.height / 2)
        end = (tip[0], tip[1] - ARROW_LENGTH)
        bend = (end[1] - start[1]) / 3
        controls = [(start[0], start[1] + bend), (end[0], end[1] - bend)]
    else:
        start = (source.x + source.width / 2, source.y)
        tip = (target.x - target.width / 2, target.y)
        end = (tip[0] - ARROW_LENGTH, tip[1])
        bend = (end[0] - start[0]) / 3
        controls = [(start[0] + bend, start[1]), (end[0] - bend, end[1])]
    return EdgePath(edge.source, edge.target, edge.kind, [start, *controls, end], tip)


def stack_layouts(layouts: list[Layout], crossing: list[GraphEdge], direction: str) -> Layout:
    """Return one Layout of the pieces' ``layouts`` in order, with the ``crossing`` edges."""
    offsets, width, height = piece_offsets(
        [(layout.width, layout.height) for layout in layouts], direction
    )
    joined = Layout(width=width, height=height)
    for layout, (dx, dy) in zip(layouts, offsets, strict=True):
        moved = shifted(layout, dx, dy)
        joined.nodes.update(moved.nodes)
        joined.edges.extend(moved.edges)
    joined.edges.extend(
        bridge(edge, joined.nodes[edge.source], joined.nodes[edge.target], direction)
        for edge in crossing
    )
    return joined
