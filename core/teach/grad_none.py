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

    def say(self, english: str, chinese: str) -> str:
        """Return ``chinese`` when explaining in Chinese, else ``english``."""
        return chinese if self.language == "zh" else english


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
    return f"`{node.name}`" if node.name else context.say("This tensor", "这个张量")


def _without_requires_grad(
    node: GraphNode, assignment: Assignment | None, context: _Context
) -> GradNoneReason:
    who = _called(node, context)
    if assignment is not None and assignment.detach_line is not None:
        line = assignment.detach_line
        return GradNoneReason(
            "detached",
            context.say(
                f"{who} was made by `.detach()` on line {line}. A detached tensor shares its "
                "data with the original but is cut out of the graph: requires_grad is False, "
                "so autograd never computes a gradient for it, and none flows back through it.",
                f"{who} 由第 {line} 行的 `.detach()` 得到。分离出的张量与原张量共享数据，"
                "但已被切出计算图：requires_grad 为 False，因此 autograd 既不为它计算梯度，"
                "也不经由它向回传递梯度。",
            ),
            _fix("remove_detach", node.name, line, context),
        )
    if assignment is not None and assignment.grad_mode is not None:
        return _made_without_recording(who, assignment, context)
    if node.dtype and not node.dtype.startswith(_FLOATING):
        return GradNoneReason(
            "not_floating",
            context.say(
                f"{who} is {node.dtype}, not a floating-point type, and only floating-point "
                "tensors can have gradients. Create it with a float dtype "
                "(`torch.arange(4.0)`, or `dtype=torch.float32`).",
                f"{who} 的类型是 {node.dtype}，不是浮点类型，而只有浮点张量才能有梯度。"
                "请用浮点类型创建它（`torch.arange(4.0)` 或 `dtype=torch.float32`）。",
            ),
        )
    line = assignment.line if assignment is not None else None
    return GradNoneReason(
        "requires_grad_false",
        context.say(
            f"{who} was created without `requires_grad=True` (requires_grad is False), so "
            "autograd treats it as fixed data and computes no gradient for it.",
            f"{who} 创建时没有设置 `requires_grad=True`（requires_grad 为 False），"
            "所以 autograd 把它当作固定的数据，不为它计算梯度。",
        ),
        _fix("requires_grad", node.name, line, context) if node.is_leaf is not False else None,
    )


def _made_without_recording(who: str, assignment: Assignment, context: _Context) -> GradNoneReason:
    """Explain a tensor computed inside ``with torch.no_grad()`` or ``inference_mode()``."""
    with_block = f"`with torch.{assignment.grad_mode}():`"
    block = context.say(
        f"{with_block} (line {assignment.grad_mode_line})",
        f"{with_block}（第 {assignment.grad_mode_line} 行）",
    )
    text = context.say(
        f"{who} was computed on line {assignment.line} inside {block}, where autograd "
        "records nothing: it has no grad_fn and requires_grad is False.",
        f"{who} 在第 {assignment.line} 行、{block}之内计算，autograd 在那里不做任何记录："
        "它没有 grad_fn，requires_grad 为 False。",
    )
    if assignment.grad_mode == "inference_mode":
        text += context.say(
            " A tensor made in inference mode can never be used by autograd, even later.",
            "在推理模式下创建的张量以后也永远不能被 autograd 使用。",
        )
    text += context.say(
        " Compute it outside the block if gradients should flow through it.",
        "如果需要让梯度流经它，请在该代码块之外计算它。",
    )
    return GradNoneReason(assignment.grad_mode, text)


def _non_leaf(node: GraphNode, assignment: Assignment | None, context: _Context) -> GradNoneReason:
    who = _called(node, context)
    text = context.say(
        f"{who} is not a leaf: it was computed from tensors that require grad "
        f"(grad_fn {node.grad_fn}). backward() passes its gradient on to the leaves "
        "without keeping it; call `.retain_grad()` on it before backward() to keep it.",
        f"{who} 不是叶子节点：它由需要梯度的张量计算而来（grad_fn {node.grad_fn}）。"
        "backward() 把它的梯度继续传给叶子节点，但不会保留；"
        "要保留，请在 backward() 之前对它调用 `.retain_grad()`。",
    )
    if assignment is not None and assignment.nested_requires_grad:
        text += context.say(
            f" Note that `requires_grad=True` on line {assignment.line} applies to the "
            "tensor before the operation, which is the leaf; to make this one the leaf, "
            "compute it first and then call `.requires_grad_()` on it.",
            f"注意：第 {assignment.line} 行的 `requires_grad=True` 作用于运算之前的张量，"
            "那个张量才是叶子节点；要让这个张量成为叶子节点，请先计算它，"
            "再对它调用 `.requires_grad_()`。",
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
    text = context.say(
        f"backward() has not run through {who} yet, and only backward() fills in .grad.",
        f"backward() 还没有经过 {who}，而 .grad 只由 backward() 填入。",
    )
    fix = None
    if roots:
        # With torch.autograd.grad in the code, a backward() added before it would
        # free the graph that autograd.grad then needs: no fix is offered.
        advice, fix = _backward_advice(roots[0], who, context, offer_fix=not uses_grad_function)
        text += advice
    elif node.is_leaf:
        text = context.say(
            f"{who} has not been used in any computation yet, so backward() has nothing "
            "to fill in. Use it in one, then call backward() on the (scalar) result.",
            f"{who} 还没有参与任何计算，backward() 也就无从填入它的 .grad。"
            "请在计算中使用它，然后对（标量）结果调用 backward()。",
        )
    if node.retains_grad and not node.is_leaf:
        text += context.say(
            " `.retain_grad()` only keeps the gradients of backward() calls made after it.",
            "`.retain_grad()` 只保留在它之后调用的 backward() 所算出的梯度。",
        )
    if uses_grad_function:
        text += context.say(
            " `torch.autograd.grad(...)` returns the gradients instead of filling .grad.",
            "`torch.autograd.grad(...)` 直接返回梯度，从不填入 .grad。",
        )
    return GradNoneReason("no_backward_yet", text, fix)


def _backward_advice(
    root: GraphNode, who: str, context: _Context, offer_fix: bool
) -> tuple[str, CodeFix | None]:
    """Return how to run backward() from ``root``, computed from ``who``, and its fix."""
    if root.shape != ():
        return context.say(
            f" `{root.name}` is computed from {who} but is not a scalar: call "
            f"`{root.name}.sum().backward()`, or pass `gradient=` to backward().",
            f"`{root.name}` 由 {who} 计算而来，但不是标量：请调用 "
            f"`{root.name}.sum().backward()`，或给 backward() 传入 `gradient=`。",
        ), None
    advice = context.say(
        f" Call `{root.name}.backward()`: `{root.name}` is computed from {who}.",
        f"请调用 `{root.name}.backward()`：`{root.name}` 由 {who} 计算而来。",
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
        return context.say(
            f"backward() ran from {root}, but {who} did not contribute to {root}: no path in the "
            f"graph leads from {who} there, so it received no gradient.",
            f"backward() 从 {root} 开始运行，但 {who} 对 {root} 没有贡献：计算图中没有从 {who} "
            "通往那里的路径，所以它没有收到梯度。",
        )
    roots = context.say(" and ", "、").join(quoted)
    any_root = context.say(" or ", "、").join(quoted)
    return context.say(
        f"backward() ran from {roots}, but {who} did not contribute to {any_root}: no path in "
        f"the graph leads from {who} there, so it received no gradient.",
        f"backward() 从 {roots} 开始运行，但 {who} 对 {any_root} 都没有贡献：计算图中没有从 {who} "
        "通往那里的路径，所以它没有收到梯度。",
    )


def _not_contributing(
    node: GraphNode, targets: list[tuple[str, int]], reached: set[str], context: _Context
) -> GradNoneReason:
    graph, who = context.graph, _called(node, context)
    names = list(dict.fromkeys(name for name, _ in targets))
    if names:
        text = _did_not_contribute([f"`{name}`" for name in names], who, context)
    else:
        text = context.say(
            f"backward() has run, but not through anything computed from {who}, "
            "so it received no gradient.",
            f"backward() 已经运行，但没有经过任何由 {who} 计算出的张量，所以它没有收到梯度。",
        )
    fed = sorted(
        graph.nodes[node_id].name
        for node_id in reached
        if graph.nodes[node_id].is_root and graph.nodes[node_id].name
    )
    if fed:
        fed_names = context.say(", ", "、").join(f"`{name}`" for name in fed)
        text += context.say(
            f" It flows into {fed_names} instead, where backward() was not called.",
            f"它流向的是 {fed_names}，而那里没有调用 backward()。",
        )
    fix = None
    uses = cut_uses(context.code, node.name, context.tree) if node.name else []
    if uses:
        use = uses[0]
        if use.how == "detach":
            text += context.say(
                f" Line {use.line} uses it inside `.detach()`, which cuts the path.",
                f"第 {use.line} 行在 `.detach()` 中使用了它，这切断了路径。",
            )
            fix = _fix("remove_detach", node.name, use.line, context)
        else:
            text += context.say(
                f" Line {use.line} uses it inside `with torch.{use.how}():`, where autograd "
                "records nothing.",
                f"第 {use.line} 行在 `with torch.{use.how}():` 中使用了它，"
                "autograd 在那里不做任何记录。",
            )
    return GradNoneReason("not_contributing", text, fix)
