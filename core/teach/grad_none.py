"""Why a tensor's ``.grad`` is None, in words, with a one-click fix where one is clear.

The answer combines the node's flags (from extraction), the graph around it
(did backward run, does the tensor reach what was differentiated) and the
cell's source (a ``.detach()`` or a ``with torch.no_grad():`` leaves no flag).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.i18n.catalog import translate
from autograd_playground.core.teach.code_fixes import CodeFix, FixError, FixKind, apply_fix
from autograd_playground.core.teach.source_facts import (
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
    language: str = "en"


def explain_grad_none(
    node: GraphNode,
    graph: AutogradGraph | None = None,
    code: str = "",
    language: str = "en",
) -> GradNoneReason | None:
    """Return why ``node`` has no ``.grad``; None when it has one or is not a tensor.

    ``graph`` is the graph ``node`` was drawn in and ``code`` the cell that made
    it; without them the answer rests on the node's flags alone. The text is in
    ``language`` ("en" or "zh"); code and PyTorch names stay as written.
    """
    if node.kind in ("op", "module") or node.grad is not None:
        return None
    tree = parse_cell(code) if code else None
    context = _Context(code, tree, graph or AutogradGraph(), language)
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


def _called(node: GraphNode, context: _Context) -> str:
    return f"`{node.name}`" if node.name else translate("This tensor", context.language)


def _without_requires_grad(
    node: GraphNode, assignment: Assignment | None, context: _Context
) -> GradNoneReason:
    who = _called(node, context)
    if assignment is not None and assignment.detach_line is not None:
        line = assignment.detach_line
        return GradNoneReason(
            "detached",
            translate(
                "{who} was made by `.detach()` on line {line}. A detached "
                "tensor shares its data with the original but is cut out of "
                "the graph: requires_grad is False, so autograd never "
                "computes a gradient for it, and none flows back through it.",
                context.language,
                who=who,
                line=line,
            ),
            _fix("remove_detach", node.name, line, context),
        )
    if assignment is not None and assignment.grad_mode is not None:
        return _made_without_recording(who, assignment, context)
    if node.dtype and not node.dtype.startswith(_FLOATING):
        return GradNoneReason(
            "not_floating",
            translate(
                "{who} is {dtype}, not a floating-point type, and only "
                "floating-point tensors can have gradients. Create it with a "
                "float dtype (`torch.arange(4.0)`, or `dtype=torch.float32`).",
                context.language,
                who=who,
                dtype=node.dtype,
            ),
        )
    line = assignment.line if assignment is not None else None
    return GradNoneReason(
        "requires_grad_false",
        translate(
            "{who} was created without `requires_grad=True` "
            "(requires_grad is False), so autograd treats it as fixed "
            "data and computes no gradient for it.",
            context.language,
            who=who,
        ),
        _fix("requires_grad", node.name, line, context) if node.is_leaf is not False else None,
    )


def _made_without_recording(who: str, assignment: Assignment, context: _Context) -> GradNoneReason:
    """Explain a tensor computed inside ``with torch.no_grad()`` or ``inference_mode()``."""
    with_block = f"`with torch.{assignment.grad_mode}():`"
    block = translate(
        "{with_block} (line {grad_mode_line})",
        context.language,
        with_block=with_block,
        grad_mode_line=assignment.grad_mode_line,
    )
    text = translate(
        "{who} was computed on line {line} inside {block}, where "
        "autograd records nothing: it has no grad_fn and "
        "requires_grad is False.",
        context.language,
        who=who,
        line=assignment.line,
        block=block,
    )
    if assignment.grad_mode == "inference_mode":
        text += translate(
            " A tensor made in inference mode can never be used by autograd, even later.",
            context.language,
        )
    text += translate(
        " Compute it outside the block if gradients should flow through it.", context.language
    )
    return GradNoneReason(assignment.grad_mode, text)


def _non_leaf(node: GraphNode, assignment: Assignment | None, context: _Context) -> GradNoneReason:
    who = _called(node, context)
    text = translate(
        "{who} is not a leaf: it was computed from tensors that "
        "require grad (grad_fn {grad_fn}). backward() passes its "
        "gradient on to the leaves without keeping it; call "
        "`.retain_grad()` on it before backward() to keep it.",
        context.language,
        who=who,
        grad_fn=node.grad_fn,
    )
    if assignment is not None and assignment.nested_requires_grad:
        text += translate(
            " Note that `requires_grad=True` on line {line} applies to "
            "the tensor before the operation, which is the leaf; to make "
            "this one the leaf, compute it first and then call "
            "`.requires_grad_()` on it.",
            context.language,
            line=assignment.line,
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
    graph, who = context.graph, _called(node, context)
    reached = downstream(graph, node.id) if node.id in graph.nodes else set()
    targets = [
        (name, line)
        for name, line in backward_targets(context.code, context.tree)
        if graph.find(name) is not None
    ]
    # torch.autograd.grad frees the graph as backward() does, but it is not a backward()
    # run that passed the tensor by: the explanation is about waiting for one.
    uses_grad_function = uses_autograd_grad(context.code, context.tree)
    if targets or (_backward_ran(graph) and not uses_grad_function):
        hit = [name for name, _ in targets if graph.find(name).id in reached]
        if not hit:
            return _not_contributing(node, targets, reached, context)
    roots = sorted(
        (graph.nodes[node_id] for node_id in reached if graph.nodes[node_id].is_root),
        key=lambda root: (root.shape != (), -(root.line or 0), root.name or ""),
    )
    roots = [root for root in roots if root.name]
    # The inspector shows "None — " before the text: it starts with the reason.
    text = translate(
        "backward() has not run through {who} yet, and only backward() fills in .grad.",
        context.language,
        who=who,
    )
    fix = None
    if roots:
        # With torch.autograd.grad in the code, a backward() added before it would
        # free the graph that autograd.grad then needs: no fix is offered.
        advice, fix = _backward_advice(roots[0], who, context, offer_fix=not uses_grad_function)
        text += advice
    elif node.is_leaf:
        text = translate(
            "{who} has not been used in any computation yet, so "
            "backward() has nothing to fill in. Use it in one, then call "
            "backward() on the (scalar) result.",
            context.language,
            who=who,
        )
    if node.retains_grad and not node.is_leaf:
        text += translate(
            " `.retain_grad()` only keeps the gradients of backward() calls made after it.",
            context.language,
        )
    if uses_grad_function:
        text += translate(
            " `torch.autograd.grad(...)` returns the gradients instead of filling .grad.",
            context.language,
        )
    return GradNoneReason("no_backward_yet", text, fix)


def _backward_advice(
    root: GraphNode, who: str, context: _Context, offer_fix: bool
) -> tuple[str, CodeFix | None]:
    """Return how to run backward() from ``root``, computed from ``who``, and its fix."""
    if root.shape != ():
        return translate(
            " `{name}` is computed from {who} but is not a scalar: call "
            "`{name}.sum().backward()`, or pass `gradient=` to "
            "backward().",
            context.language,
            name=root.name,
            who=who,
        ), None
    advice = translate(
        " Call `{name}.backward()`: `{name}` is computed from {who}.",
        context.language,
        name=root.name,
        who=who,
    )
    assignment = (
        find_assignment(context.code, root.name, root.line, context.tree)
        if context.tree is not None
        else None
    )
    if not offer_fix or assignment is None or not assignment.top_level:
        return advice, None
    return advice, _fix("backward", root.name, assignment.line, context)


def _did_not_contribute(quoted: list[str], who: str, context: _Context) -> str:
    """Say that ``who`` reaches none of the roots ``quoted`` that backward() ran from."""
    if len(quoted) == 1:
        root = quoted[0]
        return translate(
            "backward() ran from {root}, but {who} did not contribute to "
            "{root}: no path in the graph leads from {who} there, so it "
            "received no gradient.",
            context.language,
            root=root,
            who=who,
        )
    roots = translate(" and ", context.language).join(quoted)
    any_root = translate(" or ", context.language).join(quoted)
    return translate(
        "backward() ran from {roots}, but {who} did not contribute "
        "to {any_root}: no path in the graph leads from {who} there, "
        "so it received no gradient.",
        context.language,
        roots=roots,
        who=who,
        any_root=any_root,
    )


def _not_contributing(
    node: GraphNode, targets: list[tuple[str, int]], reached: set[str], context: _Context
) -> GradNoneReason:
    graph, who = context.graph, _called(node, context)
    names = list(dict.fromkeys(name for name, _ in targets))
    if names:
        text = _did_not_contribute([f"`{name}`" for name in names], who, context)
    else:
        text = translate(
            "backward() has run, but not through anything computed from "
            "{who}, so it received no gradient.",
            context.language,
            who=who,
        )
    fed = sorted(
        graph.nodes[node_id].name
        for node_id in reached
        if graph.nodes[node_id].is_root and graph.nodes[node_id].name
    )
    if fed:
        fed_names = translate(", ", context.language).join(f"`{name}`" for name in fed)
        text += translate(
            " It flows into {fed_names} instead, where backward() was not called.",
            context.language,
            fed_names=fed_names,
        )
    fix = None
    uses = cut_uses(context.code, node.name, context.tree) if node.name else []
    if uses:
        use = uses[0]
        if use.how == "detach":
            text += translate(
                " Line {line} uses it inside `.detach()`, which cuts the path.",
                context.language,
                line=use.line,
            )
            fix = _fix("remove_detach", node.name, use.line, context)
        else:
            text += translate(
                " Line {line} uses it inside `with torch.{how}():`, where "
                "autograd records nothing.",
                context.language,
                line=use.line,
                how=use.how,
            )
    return GradNoneReason("not_contributing", text, fix)
