"""Reading dot's ``-Tplain`` output into a Layout."""

from __future__ import annotations

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.dot_source import dot_names
from autograd_playground.core.render.layout_types import EdgePath, Layout, NodeBox

POINTS_PER_INCH = 72.0
ARROW_LENGTH = 7.0  # dot draws arrowsize 0.7 heads, 10 points each at size 1


def parse_plain_layout(text: str, graph: AutogradGraph) -> Layout:
    """Turn dot's ``-Tplain`` output into a Layout keyed by the graph's node ids.

    Plain output is in inches with y growing upwards; the scene wants points with
    y growing downwards. It omits arrow heads, whose tips sit ARROW_LENGTH beyond
    the end of each spline, along its last control segment.
    """
    ids_by_name = {name: node_id for node_id, name in dot_names(graph).items()}
    kinds: dict[tuple[str, str], list[str]] = {}
    for edge in graph.edges:
        kinds.setdefault((edge.source, edge.target), []).append(edge.kind)
    layout = Layout()
    nodes, edges = layout.nodes, layout.edges
    scale = POINTS_PER_INCH
    height = 0.0
    # A 2,000-node layout is some 4,000 lines: this loop is kept lean on purpose.
    for line in text.split("\n"):
        head = line[:4]
        if head == "node":
            fields = line.split(" ", 6)
            nodes[ids_by_name[fields[1]]] = NodeBox(
                float(fields[2]) * scale,
                height - float(fields[3]) * scale,
                float(fields[4]) * scale,
                float(fields[5]) * scale,
            )
        elif head == "edge":
            fields = line.split()
            source, target = ids_by_name[fields[1]], ids_by_name[fields[2]]
            end = 4 + 2 * int(fields[3])
            xs = fields[4:end:2]
            ys = fields[5:end:2]
            points = [
                (float(x) * scale, height - float(y) * scale) for x, y in zip(xs, ys, strict=True)
            ]
            pending = kinds.get((source, target)) or ["flow"]
            kind = pending.pop(0) if len(pending) > 1 else pending[0]
            edges.append(EdgePath(source, target, kind, points, arrow_tip(points)))
        elif head == "grap":
            fields = line.split()
            layout.width = float(fields[2]) * scale
            height = float(fields[3]) * scale
            layout.height = height
    if len(layout.nodes) != len(graph.nodes):
        raise ValueError(f"it placed {len(layout.nodes)} of {len(graph.nodes)} nodes")
    return layout


def arrow_tip(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Return where an arrow head ending a spline of ``points`` has its tip, if it has one."""
    if len(points) < 2:
        return None
    (x0, y0), (x1, y1) = points[-2], points[-1]
    dx, dy = x1 - x0, y1 - y0
    length = (dx * dx + dy * dy) ** 0.5
    if length == 0:
        return None
    return x1 + dx / length * ARROW_LENGTH, y1 + dy / length * ARROW_LENGTH
