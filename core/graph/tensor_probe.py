"""Describe one tensor of the namespace as a graph node, for tensors the graph leaves out.

The graph shows tensors that take part in autograd; a detached tensor, or one
made under ``torch.no_grad()``, is only in the variables pane. Clicking it
there still deserves the inspector's answer, so it is read here (on the
engine thread) into the same plain data as a graph node.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autograd_playground.core.graph.graph_model import GraphNode

# Marks a node read from the namespace, not drawn in the graph.
VARIABLE_ID_PREFIX = "variable:"


def probe_tensor(
    namespace: Mapping[str, Any], name: str, line_table: Any = None
) -> GraphNode | None:
    """Return ``namespace[name]`` as a GraphNode with its value and grad; None if no tensor."""
    import torch

    from autograd_playground.core.graph.extract import _tensor_fields
    from autograd_playground.core.graph.tensor_summary import summarize

    tensor = namespace.get(name)
    if not isinstance(tensor, torch.Tensor):
        return None
    line = None
    if tensor.grad_fn is not None and line_table is not None:
        line = line_table.line_of(tensor.grad_fn)
    if tensor.is_inference():
        # Inference tensors keep no version counter, which the fields read; a
        # copy made outside inference mode has the same flags and one.
        fields = _tensor_fields(tensor.clone())
        fields["version"] = None
    else:
        fields = _tensor_fields(tensor)
    has_grad = tensor.is_leaf or tensor.retains_grad
    return GraphNode(
        id=f"{VARIABLE_ID_PREFIX}{name}",
        kind="leaf" if tensor.is_leaf else "tensor",
        label=name,
        name=name,
        line=line,
        value=summarize(tensor, with_heat_map=True),
        grad=(
            summarize(tensor.grad, with_heat_map=True)
            if has_grad and tensor.grad is not None
            else None
        ),
        **fields,
    )
