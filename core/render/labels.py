"""What each node says on screen and in exported pictures, and its legend colour."""

from __future__ import annotations

from autograd_playground.core.graph.graph_model import GraphNode

# torchviz's legend: blue leaves, green outputs, gray ops, orange saved tensors; and
# a violet of our own, unlike all four, for a collapsed module call.
FILL_COLORS = {
    "leaf": "#add8e6",
    "root": "#caff70",
    "tensor": "#e2f5cf",
    "op": "#d3d3d3",
    "saved": "#ffa500",
    "module": "#e3d7f4",
    # The operation that raised: a pale red that keeps the dark label readable.
    "failed": "#ffb4ab",
}
NONFINITE_COLOR = "#d62728"


def fill_key(node: GraphNode) -> str:
    """Return the legend entry of ``node``: leaf, root, tensor, op, saved, module or failed."""
    if node.kind == "op" and "failed" in node.attributes:
        return "failed"
    if node.kind == "tensor" and node.is_root:
        return "root"
    return node.kind


def node_lines(node: GraphNode, language: str = "en") -> list[str]:
    """Return the label lines: the name or op first, then the shape.

    The layout sizes boxes from the English lines; a Chinese "标量" is narrower than
    "scalar", so the window's Chinese lines fit the same boxes.
    """
    if node.kind == "op":
        return [node.op or node.label]
    if node.kind == "module":
        ops = node.attributes.get("ops", "?")
        count = f"{int(ops):,}" if ops.isdigit() else ops  # a loop's box holds thousands
        lines = [node.name or node.label, f"{node.label} · {count} op{'' if ops == '1' else 's'}"]
        if node.shape is not None:
            lines.append(node.shape_text_in(language))
        return lines
    title = node.name or node.label
    if node.kind == "saved" and node.name:
        title = f"{node.name} ({node.label})"
    lines = [title]
    if node.shape is not None:
        lines.append(node.shape_text_in(language))
    return lines


def border_style(node: GraphNode) -> str:
    """Return the border of ``node``'s box: "dotted" for an op whose saved tensors were
    freed, "dashed" for a tensor with requires_grad=False, else "solid"."""
    if node.kind == "op":
        return "dotted" if node.saved_freed else "solid"
    return "dashed" if node.requires_grad is False else "solid"


def has_nonfinite(node: GraphNode) -> bool:
    """Return True when the value or grad holds a NaN or an inf."""
    return any(summary is not None and summary.has_nonfinite for summary in (node.value, node.grad))
