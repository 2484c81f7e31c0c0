"""DOT text for an AutogradGraph: the input of the layout engine and of exports."""

from __future__ import annotations

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.render.inline_values import (
    inline_lines,
    placeholder_lines,
    shows_values,
)
from autograd_playground.core.render.labels import (
    FILL_COLORS,
    NONFINITE_COLOR,
    border_style,
    fill_key,
    has_nonfinite,
    node_lines,
)
from autograd_playground.core.render.legend import legend_entries, legend_label
from autograd_playground.core.render.text_metrics import (
    ENGINE_METRICS,
    FONT_SIZE,
    MARGIN_IN,
    MIN_SIZE_IN,
    TextMetrics,
    box_size,
)

FONT_NAME = "Helvetica"


def _quote(lines: list[str]) -> str:
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def dot_names(graph: AutogradGraph) -> dict[str, str]:
    """Map node ids to the short identifiers used in the DOT text."""
    return {node_id: f"n{index}" for index, node_id in enumerate(graph.nodes)}


def layout_lines(node: GraphNode) -> list[str]:
    """Return the label the layout engine sizes ``node``'s box from (no values in it)."""
    return node_lines(node) + placeholder_lines(node)


def layout_key(graph: AutogradGraph) -> tuple:
    """Return a key equal for two graphs that the engine would lay out the same.

    It holds every field that layout_lines reads, rather than the lines
    themselves: a value-only update of a large graph compares keys every time.
    """
    return (
        tuple(
            (
                node_id,
                node.kind,
                node.name,
                node.label,
                node.op,
                node.shape,
                node.requires_grad,
                node.is_leaf,
                node.retains_grad,
            )
            for node_id, node in graph.nodes.items()
        ),
        tuple((edge.source, edge.target, edge.kind) for edge in graph.edges),
    )


def layout_dot(
    graph: AutogradGraph, direction: str = "TB", metrics: TextMetrics = ENGINE_METRICS
) -> str:
    """Return the layout engine's input: the structure, and each box's size, no labels.

    The boxes are sized here for their labels with values left as placeholders
    (``layout_lines``), so the layout depends on the structure alone and has
    room for the values drawn later; in ``metrics``' font, by default the
    engine's own estimate. Sizes given, the engine measures no text.
    """
    names = dot_names(graph)
    out = [
        "digraph autograd {",
        f"  graph [rankdir={direction} nodesep=0.25 ranksep=0.35];",
        '  node [shape=box label="" fixedsize=true];',
        "  edge [arrowsize=0.7];",  # edges end where their arrow heads begin
    ]
    for node_id, node in graph.nodes.items():
        # A tensor's name, on the first line, is drawn bold; an op's is not.
        width, height = box_size(layout_lines(node), metrics, bold_first=node.kind != "op")
        out.append(f"  {names[node_id]} [width={width:.5f} height={height:.5f}];")
    out.extend(f"  {names[edge.source]} -> {names[edge.target]};" for edge in graph.edges)
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(graph: AutogradGraph, direction: str = "TB", *, legend: bool = True) -> str:
    """Return DOT text drawing ``graph`` with torchviz's colours, our labels and a legend
    (unless ``legend`` is False)."""
    names = dot_names(graph)
    out = [
        "digraph autograd {",
        f"  graph [rankdir={direction} nodesep=0.25 ranksep=0.35 bgcolor=white];",
        *(_legend_lines(graph) if legend else []),
        f'  node [shape=box style="rounded,filled" fontname="{FONT_NAME}" '
        f"fontsize={FONT_SIZE:g} height={MIN_SIZE_IN[1]:g} "
        f'margin="{MARGIN_IN[0]:g},{MARGIN_IN[1]:g}"];',
        '  edge [color="#555555" arrowsize=0.7];',
    ]
    for node_id, node in graph.nodes.items():
        lines = node_lines(node)
        if shows_values(node):
            lines += inline_lines(node)
        elif node.grad is not None and node.grad.values is not None:
            lines.append("grad " + _short(node.grad.values))
        attrs = [f"label={_quote(lines)}", f'fillcolor="{FILL_COLORS[fill_key(node)]}"']
        if has_nonfinite(node):
            attrs.append(f'color="{NONFINITE_COLOR}" penwidth=2')
        border = border_style(node)
        if border != "solid":
            attrs.append(f'style="rounded,filled,{border}"')
        out.append(f"  {names[node_id]} [{' '.join(attrs)}];")
    for edge in graph.edges:
        style = {"flow": "", "saved": ' [style=dashed color="#cc7a00"]', "view": " [style=dotted]"}
        out.append(f"  {names[edge.source]} -> {names[edge.target]}{style[edge.kind]};")
    out.append("}")
    return "\n".join(out) + "\n"


def legend_dot(graph: AutogradGraph) -> str | None:
    """Return DOT text drawing only the legend of ``graph``, or None if it has none."""
    lines = _legend_lines(graph)
    if not lines:
        return None
    return "\n".join(["digraph legend {", "  graph [bgcolor=white];", *lines, "}"]) + "\n"


def _legend_lines(graph: AutogradGraph) -> list[str]:
    # The graph's own label, above its top right corner as in the window: unlike a
    # node, it takes no rank, so the legend moves no node of the layout.
    entries = legend_entries(graph)
    if not entries:
        return []
    return [
        f'  graph [fontname="{FONT_NAME}" fontsize={FONT_SIZE:g} labelloc=t labeljust=r',
        f"    label={legend_label(entries)}];",
    ]


def _short(values: object, limit: int = 40) -> str:
    text = str(values)
    return text if len(text) <= limit else text[: limit - 1] + "…"
