"""Why a tensor's ``.grad`` is None, in words, with a one-click fix where one is clear.

The answer combines the node's flags (from extraction), the graph around it
(did backward run, does the tensor reach what was differentiated) and the
cell's source (a ``.detach()`` or a ``with torch.no_grad():`` leaves no flag).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from core.code_fixes import CodeFix, FixError, FixKind, apply_fix
from core.graph_model import AutogradGraph, GraphNode
from core.source_facts import (
    Assignment,
    backward_targets,
    cut_uses,
    find_assignment,
    parse_cell,
    uses_autograd_grad,
)

GradNoneCase = Literal[
    "non_leaf",
    "requires_grad_false",
    "not_floating",
    "detached",
    "no_grad",
    "inference_mode",
    "no_backward_yet",
    "not_contributing",
]
_FLOATING = ("float", "bfloat", "complex")


@dataclass(frozen=True)
class GradNoneReason:
    """Why ``.grad`` is None: the case, a sentence or two (`code` in backticks), a fix or None."""

    case: GradNoneCase
    text: str
    fix: CodeFix | None = None


@dataclass(frozen=True)
class _Context:
    code: str
    tree: ast.Module | None
    graph: AutogradGraph


def explain_grad_none(
    node: GraphNode, graph: AutogradGraph | None = None, code: str = ""
) -> GradNoneReason | None:
    """Return why ``node`` has no ``.grad``; None when it has one or is not a tensor.

    ``graph`` is the graph ``node`` was drawn in and ``code`` the cell that made
    it; without them the answer rests on the node's flags alone.
    """
    if node.kind in ("op", "module") or node.grad is not None:
        return None
    tree = parse_cell(code) if code else None
    context = _Context(code, tree, graph or AutogradGraph())
    assignment = None
    if node.name and tree is not None:
        assignment = find_assignment(code, node.name, node.line, tree)
    if node.requires_grad is False:
        return _without_requires_grad(node, assignment, context)
    if node.is_leaf is False and not node.retains_grad:
        return _non_leaf(node, assignment, context)
    return _waiting_for_backward(node, context)


def _fix(kind: FixKind, name: str | None, line: int | None, context: _Context) -> CodeFix | None:
    """Return the fix when it applies cleanly to the current code, else None."""
    if name is None or line is None or not context.code:
        return None
    fix = CodeFix(kind, name, line)
    try:
        apply_fix(context.code, fix)
    except FixError:
        return None
    return fix


def _called(node: GraphNode) -> str:
    return f"`{node.name}`" if node.name else "This tensor"


def _without_requires_grad(
    node: GraphNode, assignment: Assignment | None, context: _Context
) -> GradNoneReason:
    who = _called(node)
    if assignment is not None and assignment.detach_line is not None:
        line = assignment.detach_line
        return GradNoneReason(
            "detached",
            f"{who} was made by `.detach()` on line {line}. A detached tensor shares the "
            "data but is cut out of the graph: requires_grad is False, so autograd never "
            "computes a grad for it, nor sends one back through it.",
            _fix("remove_detach", node.name, line, context),
        )
    if assignment is not None and assignment.grad_mode is not None:
        block = f"`with torch.{assignment.grad_mode}():` (line {assignment.grad_mode_line})"
        text = (
            f"{who} was computed on line {assignment.line} inside {block}, where autograd "
            "records nothing: it has no grad_fn and requires_grad is False."
        )
        if assignment.grad_mode == "inference_mode":
            text += " An inference tensor can never take part in autograd, even later."
        text += " Compute it outside the block if gradients should flow through it."
        return GradNoneReason(assignment.grad_mode, text)
    if node.dtype and not node.dtype.startswith(_FLOATING):
        return GradNoneReason(
            "not_floating",
            f"requires_grad is False, and only floating-point tensors can require "
            f"gradients: {who} is {node.dtype}. Create it with a float dtype "
            "(`torch.arange(4.0)`, or `dtype=torch.float32`).",
        )
    line = assignment.line if assignment is not None else None
    return GradNoneReason(
        "requires_grad_false",
        f"requires_grad is False: {who} was created without `requires_grad=True`, so "
        "autograd treats it as a constant and never computes its grad.",
        _fix("requires_grad", node.name, line, context) if node.is_leaf is not False else None,
    )


def _non_leaf(node: GraphNode, assignment: Assignment | None, context: _Context) -> GradNoneReason:
    who = _called(node)
    text = (
        f"{who} is not a leaf: it was computed from tensors that require grad "
        f"(grad_fn {node.grad_fn}). backward() passes its gradient on to the leaves "
        "without keeping it; call `.retain_grad()` on it before backward() to keep it."
    )
    if assignment is not None and assignment.nested_requires_grad:
        text += (
            f" Note that `requires_grad=True` on line {assignment.line} applies to the "
            "tensor before the operation, which is the leaf; to make this one the leaf, "
            "compute it first and then call `.requires_grad_()` on it."
        )
    line = assignment.line if assignment is not None else None
    return GradNoneReason("non_leaf", text, _fix("retain_grad", node.name, line, context))


def downstream(graph: AutogradGraph, node_id: str) -> set[str]:
    """Return the ids of every node computed from ``node_id`` (its value flows into them)."""
    children: dict[str, list[str]] = {}
    parents: dict[str, list[str]] = {}
    for edge in graph.edges:
        children.setdefault(edge.source, []).append(edge.target)
        parents.setdefault(edge.target, []).append(edge.source)
    stack = [node_id]
    node = graph.nodes.get(node_id)
    if node is not None and node.kind == "tensor":
        # A named intermediate hangs off the op that made it; its consumers hang off that op.
        stack += parents.get(node_id, [])
    seen: set[str] = set()
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _backward_ran(graph: AutogradGraph) -> bool:
    return any(
        (node.kind != "op" and node.grad is not None) or node.saved_freed
        for node in graph.nodes.values()
    )


def _waiting_for_backward(node: GraphNode, context: _Context) -> GradNoneReason:
    graph, who = context.graph, _called(node)
    reached = downstream(graph, node.id) if node.id in graph.nodes else set()
    targets = [
        (name, line)
        for name, line in backward_targets(context.code, context.tree)
        if graph.find(name) is not None
    ]
    if targets or _backward_ran(graph):
        hit = [name for name, _ in targets if graph.find(name).id in reached]
        if not hit:
            return _not_contributing(node, targets, reached, context)
    roots = sorted(
        (graph.nodes[node_id] for node_id in reached if graph.nodes[node_id].is_root),
        key=lambda root: (root.shape != (), -(root.line or 0), root.name or ""),
    )
    roots = [root for root in roots if root.name]
    text = f"None yet: .grad is filled in by backward(), which has not run through {who}."
    fix = None
    if roots:
        root = roots[0]
        if root.shape == ():
            text += f" Call `{root.name}.backward()`: `{root.name}` is computed from it."
            assignment = (
                find_assignment(context.code, root.name, root.line, context.tree)
                if context.tree is not None
                else None
            )
            if assignment is not None and assignment.top_level:
                fix = _fix("backward", root.name, assignment.line, context)
        else:
            text += (
                f" `{root.name}` is computed from it but is not a scalar: call "
                f"`{root.name}.sum().backward()`, or pass `gradient=` to backward()."
            )
    elif node.is_leaf:
        text = (
            f"None yet: nothing has been computed from {who}. Use it in a computation, "
            "then call backward() on the (scalar) result."
        )
    if node.retains_grad and not node.is_leaf:
        text += " `.retain_grad()` only keeps grads of backward() calls made after it."
    if uses_autograd_grad(context.code, context.tree):
        text += " `torch.autograd.grad(...)` returns the gradients; it never fills .grad."
    return GradNoneReason("no_backward_yet", text, fix)


def _not_contributing(
    node: GraphNode, targets: list[tuple[str, int]], reached: set[str], context: _Context
) -> GradNoneReason:
    graph, who = context.graph, _called(node)
    names = list(dict.fromkeys(name for name, _ in targets))
    if names:
        differentiated = " and ".join(f"`{name}`" for name in names)
        text = (
            f"backward() ran from {differentiated}, but {who} did not contribute to it: "
            "no path in the graph leads from it there, so it received no gradient."
        )
    else:
        text = (
            f"backward() has run, but not through anything computed from {who}, "
            "so it received no gradient."
        )
    fed = sorted(
        graph.nodes[node_id].name
        for node_id in reached
        if graph.nodes[node_id].is_root and graph.nodes[node_id].name
    )
    if fed:
        text += f" It feeds {', '.join(f'`{name}`' for name in fed)}, not differentiated."
    fix = None
    uses = cut_uses(context.code, node.name, context.tree) if node.name else []
    if uses:
        use = uses[0]
        if use.how == "detach":
            text += f" Line {use.line} uses it inside `.detach()`, which cuts the path."
            fix = _fix("remove_detach", node.name, use.line, context)
        else:
            text += (
                f" Line {use.line} uses it inside `with torch.{use.how}():`, where autograd "
                "records nothing."
            )
    return GradNoneReason("not_contributing", text, fix)
