"""The operation that failed, drawn as a red box fed by the tensors it was given.

The graph of a failed run holds what the lines before the error made; the failing
operation made nothing, so it is added here from the error's explanation: one op node
for the expression, and an edge from each operand the code named as a variable (a new
box for an operand the graph does not hold, such as a tensor that needs no grad).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode

if TYPE_CHECKING:
    from autograd_playground.core.run.error_explanation import ErrorExplanation, OperandRow

FAILED_OP_ID = "failed-op"
# The attribute that marks the failed op for the drawing (core.render.labels.fill_key).
FAILED = "failed"


def add_failed_op(
    graph: AutogradGraph, explanation: ErrorExplanation | None, names: Mapping[str, Any]
) -> None:
    """Add the failed operation of ``explanation`` to ``graph``, if it had operands;
    ``names`` (the user's variables) give the value of an operand the graph lacks."""
    if explanation is None or not explanation.operands or not explanation.expression:
        return
    graph.add_node(
        GraphNode(
            id=FAILED_OP_ID,
            kind="op",
            label=explanation.operation,
            op=explanation.expression,
            line=explanation.line,
            attributes={FAILED: "true"},
        )
    )
    for row in explanation.operands:
        if not row.variable:
            continue
        source = graph.find(row.name) or graph.add_node(_operand_node(row, names.get(row.name)))
        graph.add_edge(source.id, FAILED_OP_ID)


def _operand_node(row: OperandRow, value: Any) -> GraphNode:
    from autograd_playground.core.graph.tensor_summary import summarize

    tensor = value if hasattr(value, "requires_grad") else None
    return GraphNode(
        id=f"failed-input:{row.name}",
        kind="tensor",
        label=row.name,
        name=row.name,
        shape=row.shape,
        requires_grad=row.requires_grad,
        value=summarize(tensor.detach()) if tensor is not None else None,
    )
