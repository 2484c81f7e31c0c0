"""DOT text for an AutogradGraph: the input of the layout engine and of exports."""

from __future__ import annotations

from core.graph_model import AutogradGraph
from core.labels import FILL_COLORS, NONFINITE_COLOR, fill_key, has_nonfinite, node_lines

FONT_NAME = "Helvetica"
FONT_SIZE = 11


def _quote(lines: list[str]) -> str:
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def dot_names(graph: AutogradGraph) -> dict[str, str]:
    """Map node ids to the short identifiers used in the DOT text."""
    return {node_id: f"n{index}" for index, node_id in enumerate(graph.nodes)}


def to_dot(graph: AutogradGraph, direction: str = "TB", with_grads: bool = True) -> str:
    """Return DOT text drawing ``graph`` with torchviz's colours and our labels."""
    names = dot_names(graph)
    out = [
        "digraph autograd {",
        f"  graph [rankdir={direction} nodesep=0.25 ranksep=0.35 bgcolor=white];",
        f'  node [shape=box style="rounded,filled" fontname="{FONT_NAME}" '
        f'fontsize={FONT_SIZE} height=0.3 margin="0.08,0.04"];',
        '  edge [color="#555555" arrowsize=0.7];',
    ]
    for node_id, node in graph.nodes.items():
        lines = node_lines(node)
        if with_grads and node.grad is not None and node.grad.values is not None:
            lines.append("grad " + _short(node.grad.values))
        attrs = [f"label={_quote(lines)}", f'fillcolor="{FILL_COLORS[fill_key(node)]}"']
        if has_nonfinite(node):
            attrs.append(f'color="{NONFINITE_COLOR}" penwidth=2')
        if node.kind == "op" and node.saved_freed:
            attrs.append('style="rounded,filled,dashed"')
        out.append(f"  {names[node_id]} [{' '.join(attrs)}];")
    for edge in graph.edges:
        style = {"flow": "", "saved": ' [style=dashed color="#cc7a00"]', "view": " [style=dotted]"}
        out.append(f"  {names[edge.source]} -> {names[edge.target]}{style[edge.kind]};")
    out.append("}")
    return "\n".join(out) + "\n"


def _short(values: object, limit: int = 40) -> str:
    text = str(values)
    return text if len(text) <= limit else text[: limit - 1] + "…"
