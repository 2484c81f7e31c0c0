"""Small values and grads written inside their nodes, as micrograd's draw_dot does.

Whether a node shows them, and how much room they take, depends only on the
node's shape and flags: the layout engine sizes boxes from placeholder lines,
so a rerun with new numbers redraws in place without a new layout.
"""

from __future__ import annotations

import math

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.graph.tensor_text import number_text

MAX_INLINE_ELEMENTS = 4
# The width one element is given in the layout: "-0.12345" covers most values
# and longer ones shrink to fit the box instead of widening it.
_PLACEHOLDER_ELEMENT = "-0.12345"


def _element_count(node: GraphNode) -> int | None:
    if node.shape is None:
        return None
    return math.prod(node.shape)


def shows_values(node: GraphNode) -> bool:
    """Return True when ``node`` is a tensor small enough to print inside its box."""
    count = _element_count(node)
    return (
        node.kind in ("leaf", "tensor", "saved")
        and count is not None
        and 0 < count <= MAX_INLINE_ELEMENTS
    )


def shows_grad(node: GraphNode) -> bool:
    """Return True when ``node`` shows values and autograd can keep a grad for it."""
    return (
        shows_values(node) and bool(node.requires_grad) and bool(node.is_leaf or node.retains_grad)
    )


def _flat(values: object) -> list[object]:
    if isinstance(values, list):
        return [item for value in values for item in _flat(value)]
    return [values]


def format_inline(values: object) -> str:
    """Return ``values`` with 4 significant digits: a bare number, or a flat list.

    The shape is on the line above, so a (1, 1) tensor reads "2.983", not "[[2.983]]".
    """
    flat = _flat(values)
    if len(flat) == 1:
        return number_text(flat[0])
    return "[" + ", ".join(number_text(value) for value in flat) + "]"


def inline_lines(node: GraphNode) -> list[str]:
    """Return the 'data …' and 'grad …' lines drawn inside ``node``, if any."""
    if not shows_values(node):
        return []
    data = format_inline(node.value.values) if node.value is not None else "?"
    lines = [f"data {data}"]
    if shows_grad(node):
        grad = node.grad
        lines.append(f"grad {format_inline(grad.values)}" if grad is not None else "grad None")
    return lines


def placeholder_lines(node: GraphNode) -> list[str]:
    """Return lines as wide as typical inline values, for sizing the box in a layout."""
    if not shows_values(node):
        return []
    count = _element_count(node) or 1
    cells = ", ".join([_PLACEHOLDER_ELEMENT] * count)
    text = cells if count == 1 else f"[{cells}]"
    return [f"data {text}"] + ([f"grad {text}"] if shows_grad(node) else [])
