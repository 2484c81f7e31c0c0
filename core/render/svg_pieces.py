"""An SVG of a large graph, drawn piece by piece and stitched into one document.

Each piece is drawn by the engine, as a small graph would be (labels and colours
of to_dot), and put in the document at its place as a translated group (pieces
stacked as the window's layout stacks them, see core.render.bridges): a group,
not a nested <svg>, which SVG Tiny renderers such as Qt's skip. The edges between pieces
and the legend, drawn once at the top right, are added here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge
from autograd_playground.core.render.bridges import PIECE_GAP, bridge, piece_offsets
from autograd_playground.core.render.dot_source import dot_names, legend_dot, to_dot
from autograd_playground.core.render.engine_batch import EngineBatch
from autograd_playground.core.render.layout_types import EdgePath, LayoutError, NodeBox
from autograd_playground.core.render.pieces import PIECE_LIMIT, split_graph

SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_TAG = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_TRANSLATE = re.compile(r"translate\((-?[\d.]+) (-?[\d.]+)\)")
_POINT = re.compile(r"(-?[\d.]+),(-?[\d.]+)")
# As to_dot draws the edges of each kind.
EDGE_STROKES = {
    "flow": 'stroke="#555555"',
    "saved": 'stroke="#cc7a00" stroke-dasharray="5,2"',
    "view": 'stroke="#555555" stroke-dasharray="1,5"',
}
EDGE_FILLS = {"flow": "#555555", "saved": "#cc7a00", "view": "#555555"}
ARROW_HALF_WIDTH = 0.35  # of the head's length, as dot draws arrowsize 0.7


@dataclass
class DrawnPiece:
    """One piece as the engine drew it: what its SVG element holds, its size in points
    and its nodes' boxes."""

    content: str
    width: float
    height: float
    boxes: dict[str, NodeBox]


def read_piece(text: str, ids_by_name: dict[str, str], prefix: str) -> DrawnPiece:
    """Return the engine's SVG ``text`` of a piece, its element ids given ``prefix``."""
    start = text.index("<svg")
    size = _SVG_TAG.match(text, start)
    if size is None:
        raise ValueError("the drawing has no size in points")
    root = ET.fromstring(text[start:])
    graph_group = root.find(f"{SVG_NS}g")
    shift = _TRANSLATE.search(graph_group.get("transform", "")) if graph_group is not None else None
    dx, dy = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)
    boxes: dict[str, NodeBox] = {}
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("class") != "node":
            continue
        name = group.findtext(f"{SVG_NS}title", "")
        outline = next((child for child in group if child.tag != f"{SVG_NS}title"), None)
        if outline is None or name not in ids_by_name:
            continue
        points = _POINT.findall(outline.get("d") or outline.get("points") or "")
        xs = [float(x) + dx for x, _ in points]
        ys = [float(y) + dy for _, y in points]
        boxes[ids_by_name[name]] = NodeBox(
            (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)
        )
    content = text[text.index(">", start) + 1 : text.rindex("</svg>")].strip()
    content = content.replace(' id="', f' id="{prefix}')
    return DrawnPiece(content, float(size.group(1)), float(size.group(2)), boxes)


def _placed(piece: DrawnPiece, x: float, y: float) -> str:
    """Return the piece's drawing moved to (``x``, ``y``) in points."""
    return f'<g transform="translate({x:.2f} {y:.2f})">\n{piece.content}\n</g>'


def edge_svg(path: EdgePath) -> str:
    """Return an edge drawn between pieces: its curve and its arrow head."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = path.points
    parts = [
        f'<g class="edge"><title>{escape(path.source)}&#45;&gt;{escape(path.target)}</title>',
        f'<path fill="none" {EDGE_STROKES[path.kind]} '
        f'd="M{x0:.2f},{y0:.2f}C{x1:.2f},{y1:.2f} {x2:.2f},{y2:.2f} {x3:.2f},{y3:.2f}"/>',
    ]
    if path.arrow_tip is not None:
        tip_x, tip_y = path.arrow_tip
        nx, ny = -(tip_y - y3) * ARROW_HALF_WIDTH, (tip_x - x3) * ARROW_HALF_WIDTH
        fill = EDGE_FILLS[path.kind]
        parts.append(
            f'<polygon fill="{fill}" stroke="{fill}" points="{tip_x:.2f},{tip_y:.2f} '
            f'{x3 + nx:.2f},{y3 + ny:.2f} {x3 - nx:.2f},{y3 - ny:.2f}"/>'
        )
    return "".join(parts) + "</g>"


def pieces_svg(
    graph: AutogradGraph,
    direction: str = "TB",
    *,
    limit: int = PIECE_LIMIT,
    timeout: float = 60.0,
    engine: str | None = None,
) -> bytes:
    """Return an SVG document of ``graph`` drawn in pieces of at most ``limit`` nodes."""
    split = split_graph(graph, limit)
    legend = legend_dot(graph)
    sources = [legend] if legend is not None else []
    sources += [to_dot(piece, direction, legend=False) for piece in split.pieces]
    outputs = EngineBatch(sources, "svg", engine=engine, timeout=timeout).outputs()
    try:
        drawn_legend = _read(next(outputs), {}, "legend-") if legend is not None else None
        drawn = [
            _read(raw, {name: node_id for node_id, name in dot_names(piece).items()}, f"p{k}-")
            for k, (piece, raw) in enumerate(zip(split.pieces, outputs, strict=True))
        ]
    finally:
        outputs.close()
    return _stitched(drawn, drawn_legend, split.crossing, direction).encode("utf-8")


def _read(raw: bytes, ids_by_name: dict[str, str], prefix: str) -> DrawnPiece:
    try:
        return read_piece(raw.decode("utf-8", errors="replace"), ids_by_name, prefix)
    except (ValueError, ET.ParseError) as exc:
        raise LayoutError(f"Could not read the layout engine's output: {exc}") from exc


def _stitched(
    drawn: list[DrawnPiece],
    legend: DrawnPiece | None,
    crossing: list[GraphEdge],
    direction: str,
) -> str:
    """Return the document: the legend at the top right, the pieces under it, then the
    edges between pieces."""
    offsets, width, height = piece_offsets(
        [(piece.width, piece.height) for piece in drawn], direction, PIECE_GAP
    )
    top = legend.height if legend is not None else 0.0
    width = max(width, legend.width if legend is not None else 0.0)
    height += top
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg width="{width:.2f}pt" height="{height:.2f}pt" viewBox="0 0 {width:.2f} '
        f'{height:.2f}" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">',
        f'<rect x="0" y="0" width="{width:.2f}" height="{height:.2f}" fill="white"/>',
    ]
    if legend is not None:
        parts.append(_placed(legend, width - legend.width, 0.0))
    boxes: dict[str, NodeBox] = {}
    for piece, (dx, dy) in zip(drawn, offsets, strict=True):
        parts.append(_placed(piece, dx, dy + top))
        for node_id, box in piece.boxes.items():
            boxes[node_id] = NodeBox(box.x + dx, box.y + dy + top, box.width, box.height)
    parts.extend(
        edge_svg(bridge(edge, boxes[edge.source], boxes[edge.target], direction))
        for edge in crossing
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
