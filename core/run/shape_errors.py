"""Explain an operation that failed on its operands' shapes: broadcasting, matmul, cat,
stack, view/reshape and expand.

The operands' shapes are read from the failing frame (core.run.failing_expression); an
operand that is itself an expression is replayed on shape-only "meta" tensors, which
compute shapes and nothing else. Each explanation is checked against torch's own message:
when they disagree, or an operand cannot be read, nothing is said rather than a guess.
"""

from __future__ import annotations

import ast
import operator
import re
from typing import Any

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.run.error_explanation import ErrorExplanation, OperandRow
from autograd_playground.core.run.failing_expression import FailingSite, Unknown, nodes_on_line

_BROADCAST = re.compile(
    r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
    r"at non-singleton dimension (\d+)"
)
_MATMUL = re.compile(r"shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
# Methods and torch functions replayed on meta tensors to learn an inner expression's shape.
_SHAPE_METHODS = frozenset(
    [
        "t",
        "view",
        "reshape",
        "unsqueeze",
        "squeeze",
        "transpose",
        "permute",
        "flatten",
        "sum",
        "mean",
        "expand",
        "matmul",
        "mm",
        "exp",
        "log",
        "relu",
        "sigmoid",
        "tanh",
        "abs",
        "sqrt",
        "clone",
        "detach",
        "float",
        "double",
    ]
)
_SHAPE_FUNCTIONS = frozenset(
    ["matmul", "mm", "cat", "stack", "exp", "log", "relu", "sigmoid", "tanh", "sum", "mean"]
)


def explain_shape_error(site: FailingSite, message: str) -> ErrorExplanation | None:
    """Return why the expression at ``site`` failed with ``message``, or None if unsure."""
    candidates = [site.node] if site.node is not None else []
    candidates += [node for node in reversed(nodes_on_line(site)) if node is not site.node]
    for node in candidates:
        try:
            found = _explain_node(site, node, message)
        except Unknown:
            continue
        if found is not None:
            return found
    return _from_message_alone(site, message)


def _explain_node(site: FailingSite, node: ast.AST, message: str) -> ErrorExplanation | None:
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        if isinstance(node.op, ast.MatMult):
            return _matmul(site, node, node.left, node.right, message)
        return _broadcast(site, node, node.left, node.right, message)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    name = node.func.attr
    if _is_torch(site, node.func.value) and name in ("matmul", "mm") and len(node.args) == 2:
        return _matmul(site, node, node.args[0], node.args[1], message)
    if _is_torch(site, node.func.value) and name in ("cat", "concat", "stack") and node.args:
        return _joined(site, node, name, message)
    if name in ("view", "reshape") and not _is_torch(site, node.func.value):
        return _view(site, node, name, message)
    if name == "expand" and not _is_torch(site, node.func.value):
        return _expand(site, node, message)
    if name in ("matmul", "mm") and len(node.args) == 1:
        return _matmul(site, node, node.func.value, node.args[0], message)
    return None


def _is_torch(site: FailingSite, node: ast.AST) -> bool:
    import torch

    try:
        return site.value_of(node) is torch
    except Unknown:
        return False


def _shape(site: FailingSite, node: ast.AST) -> tuple[int, ...]:
    import torch

    value = _meta(site, node)
    if not isinstance(value, torch.Tensor):
        raise Unknown("not a tensor")
    return tuple(value.shape)


def _meta(site: FailingSite, node: ast.AST) -> Any:
    """Return ``node``'s value as a meta tensor (shape only), a number, or raise Unknown."""
    import torch

    try:
        value = site.value_of(node)
    except Unknown:
        return _replay(site, node)
    if isinstance(value, torch.Tensor):
        return torch.empty(value.shape, dtype=value.dtype, device="meta")
    if isinstance(value, int | float | bool):
        return value
    raise Unknown("not a tensor")


def _replay(site: FailingSite, node: ast.AST) -> Any:
    """Compute an inner expression's shape on meta tensors; raise Unknown if it is not one
    of the few shape-only operations known here."""
    import torch

    try:
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return _ARITHMETIC[type(node.op)](_meta(site, node.left), _meta(site, node.right))
        if isinstance(node, ast.Attribute) and node.attr in ("T", "mT"):
            return getattr(_meta(site, node.value), node.attr)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            args = [_argument(site, arg) for arg in node.args]
            kwargs = {kw.arg: _argument(site, kw.value) for kw in node.keywords if kw.arg}
            if _is_torch(site, node.func.value) and node.func.attr in _SHAPE_FUNCTIONS:
                return getattr(torch, node.func.attr)(*args, **kwargs)
            if node.func.attr in _SHAPE_METHODS:
                receiver = _meta(site, node.func.value)
                if isinstance(receiver, torch.Tensor):
                    return getattr(receiver, node.func.attr)(*args, **kwargs)
    except (RuntimeError, TypeError, ValueError, IndexError) as exc:
        raise Unknown("replay failed") from exc
    raise Unknown(type(node).__name__)


def _argument(site: FailingSite, node: ast.AST) -> Any:
    if isinstance(node, ast.List | ast.Tuple):
        return [_argument(site, item) for item in node.elts]
    return _meta(site, node)


def _is_variable(site: FailingSite, node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in site.frame.f_globals


def _row(site: FailingSite, node: ast.AST, shape: tuple[int, ...], **kw: Any) -> OperandRow:
    try:
        requires_grad = getattr(site.value_of(node), "requires_grad", None)
    except Unknown:
        requires_grad = None
    return OperandRow(
        site.text_of(node),
        shape,
        variable=_is_variable(site, node),
        requires_grad=requires_grad,
        **kw,
    )


def _broadcast(
    site: FailingSite, node: ast.AST, left: ast.AST, right: ast.AST, message: str
) -> ErrorExplanation | None:
    found = _BROADCAST.search(message)
    if found is None:
        return None
    sa, sb = _shape(site, left), _shape(site, right)
    width = max(len(sa), len(sb))
    bad = [column for column in range(width) if _clash(sa, sb, column, width)]
    size_a, size_b, dim = (int(group) for group in found.groups())
    if dim not in bad or (_aligned(sa, dim, width), _aligned(sb, dim, width)) != (size_a, size_b):
        return None
    rows = (
        _row(site, left, sa, offset=width - len(sa), marked=_own(bad, width, sa)),
        _row(site, right, sb, offset=width - len(sb), marked=_own(bad, width, sb)),
    )
    rule = Message(
        "Broadcasting lines shapes up from the right: in each column "
        "the sizes must be equal or one of them 1, and {size_a} and "
        "{size_b} are neither.",
        size_a=size_a,
        size_b=size_b,
    )
    return ErrorExplanation("broadcast", site.line, site.text_of(node), rule, rows)


def _clash(sa: tuple[int, ...], sb: tuple[int, ...], column: int, width: int) -> bool:
    a, b = _aligned(sa, column, width), _aligned(sb, column, width)
    return a is not None and b is not None and a != b and 1 not in (a, b)


def _aligned(shape: tuple[int, ...], column: int, width: int) -> int | None:
    index = column - (width - len(shape))
    return shape[index] if index >= 0 else None


def _own(columns: list[int], width: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(c - (width - len(shape)) for c in columns if c - (width - len(shape)) >= 0)


def _matmul(
    site: FailingSite, node: ast.AST, left: ast.AST, right: ast.AST, message: str
) -> ErrorExplanation | None:
    sa, sb = _shape(site, left), _shape(site, right)
    if not sa or not sb:
        return None
    inner_b = 0 if len(sb) == 1 else len(sb) - 2
    if sa[-1] == sb[inner_b]:
        return None  # the inner sizes agree: the batch dimensions failed, said by torch
    shift = len(sa) - 1 - inner_b
    rows = (
        _row(site, left, sa, offset=max(0, -shift), marked=(len(sa) - 1,)),
        _row(site, right, sb, offset=max(0, shift), marked=(inner_b,)),
    )
    a, b = rows[0].name, rows[1].name
    if len(sb) == 1:
        rule = Message(
            "matmul treats the 1-D {b} as a vector: {a}'s last dimension "
            "({k_a}) must equal {b}'s length ({k_b}).",
            a=a,
            b=b,
            k_a=sa[-1],
            k_b=sb[0],
        )
    elif len(sb) == 2:
        rule = Message(
            "matmul needs {a}'s last dimension ({k_a}) to equal {b}'s first ({k_b}).",
            a=a,
            b=b,
            k_a=sa[-1],
            k_b=sb[0],
        )
    else:
        rule = Message(
            "matmul needs {a}'s last dimension ({k_a}) to equal {b}'s second-to-last ({k_b}).",
            a=a,
            b=b,
            k_a=sa[-1],
            k_b=sb[inner_b],
        )
    return ErrorExplanation("matmul", site.line, site.text_of(node), rule, rows)


def _dim_argument(site: FailingSite, call: ast.Call) -> int:
    for keyword in call.keywords:
        if keyword.arg == "dim":
            value = site.value_of(keyword.value)
            break
    else:
        value = site.value_of(call.args[1]) if len(call.args) > 1 else 0
    if not isinstance(value, int):
        raise Unknown("dim")
    return value


def _joined(site: FailingSite, call: ast.Call, name: str, message: str) -> ErrorExplanation | None:
    items = call.args[0]
    if not isinstance(items, ast.List | ast.Tuple) or len(items.elts) < 2:
        return None
    shapes = [_shape(site, item) for item in items.elts]
    first = shapes[0]
    if any(len(shape) != len(first) for shape in shapes):
        rows = tuple(_row(site, item, s) for item, s in zip(items.elts, shapes, strict=True))
        rule = Message("{op} needs tensors with the same number of dimensions.", op=f"torch.{name}")
        return ErrorExplanation(name, site.line, site.text_of(call), rule, rows)
    dim = _dim_argument(site, call) % max(len(first), 1)
    kept = set() if name == "stack" else {dim}
    rows, clash = [], None
    for item, shape in zip(items.elts, shapes, strict=True):
        marked = tuple(i for i in range(len(shape)) if i not in kept and shape[i] != first[i])
        if marked and clash is None:
            clash = (site.text_of(item), marked[0], shape[marked[0]])
        rows.append(_row(site, item, shape, marked=marked))
    if clash is None:
        return None
    other, bad, size = clash
    first_name = rows[0].name
    rows[0] = _row(site, items.elts[0], first, marked=(bad,))
    if name == "stack":
        rule = Message(
            "torch.stack needs tensors of exactly the same shape: "
            "dimension {dim} is {a_size} in {a} but {b_size} in {b}.",
            dim=bad,
            a=first_name,
            a_size=first[bad],
            b=other,
            b_size=size,
        )
    else:
        rule = Message(
            "torch.{op} joins along dimension {join}, so every other "
            "dimension must match: dimension {dim} is {a_size} in {a} "
            "but {b_size} in {b}.",
            op=name,
            join=dim,
            dim=bad,
            a=first_name,
            a_size=first[bad],
            b=other,
            b_size=size,
        )
    return ErrorExplanation(name, site.line, site.text_of(call), rule, tuple(rows))


def _sizes_argument(site: FailingSite, call: ast.Call) -> tuple[int, ...]:
    values = [site.value_of(arg) for arg in call.args]
    if len(values) == 1 and isinstance(values[0], tuple | list):
        values = list(values[0])
    if not values or not all(isinstance(value, int) for value in values):
        raise Unknown("sizes")
    return tuple(values)


def _view(site: FailingSite, call: ast.Call, name: str, message: str) -> ErrorExplanation | None:
    receiver = call.func.value  # type: ignore[attr-defined]
    shape = _shape(site, receiver)
    row = _row(site, receiver, shape)
    expression = site.text_of(call)
    if "view size is not compatible with input tensor's size and stride" in message:
        rule = Message(
            "view needs the elements in memory in the order of the new "
            "shape, and {a} is a transposed or sliced view whose "
            "elements are not.",
            a=row.name,
        )
        cure = Message("Use .reshape(...) instead, or call .contiguous() before .view(...).")
        return ErrorExplanation("view", site.line, expression, rule, (row,), cure)
    if "is invalid for input of size" not in message:
        return None
    target = _sizes_argument(site, call)
    elements = 1
    for size in shape:
        elements *= size
    known = 1
    for size in target:
        known *= size if size != -1 else 1
    if -1 in target:
        rule = Message(
            "{op} keeps every element: {a} has {n} elements, and with -1 "
            "the other sizes (product {known}) must divide {n} exactly.",
            op=name,
            a=row.name,
            n=elements,
            known=known,
        )
    else:
        rule = Message(
            "{op} keeps every element: {a} has {n} elements, but the shape {target} holds {m}.",
            op=name,
            a=row.name,
            n=elements,
            target=_sizes(target),
            m=known,
        )
    return ErrorExplanation(name, site.line, expression, rule, (row,))


def _sizes(sizes: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(size) for size in sizes) + ")"


def _expand(site: FailingSite, call: ast.Call, message: str) -> ErrorExplanation | None:
    receiver = call.func.value  # type: ignore[attr-defined]
    shape = _shape(site, receiver)
    target = _sizes_argument(site, call)
    name = site.text_of(receiver)
    if len(target) < len(shape):
        rule = Message(
            "expand cannot remove dimensions: {a} has {n} dimensions but "
            "only {m} sizes were given.",
            a=name,
            n=len(shape),
            m=len(target),
        )
        return ErrorExplanation(
            "expand", site.line, site.text_of(call), rule, (_row(site, receiver, shape),)
        )
    width = len(target)
    bad = [
        column
        for column in range(width)
        if _aligned(shape, column, width) not in (None, 1, target[column]) and target[column] != -1
    ]
    if not bad:
        return None
    column = bad[0]
    size = _aligned(shape, column, width)
    rows = (
        _row(site, receiver, shape, offset=width - len(shape), marked=_own(bad, width, shape)),
        OperandRow("expand", target, marked=tuple(bad)),
    )
    rule = Message(
        "expand lines the sizes up from the right and can only "
        "stretch a dimension of size 1: {a}'s size {size} cannot "
        "become {target}.",
        a=name,
        size=size,
        target=target[column],
    )
    return ErrorExplanation("expand", site.line, site.text_of(call), rule, rows)


def _from_message_alone(site: FailingSite, message: str) -> ErrorExplanation | None:
    """Explain from torch's message when the operands cannot be read (a layer's call,
    say): the two matrices of a failed product are in the message, unnamed."""
    expression = site.text_of(site.node) if site.node is not None else ""
    broadcast = _BROADCAST.search(message)
    if broadcast is not None:
        size_a, size_b, _ = (int(group) for group in broadcast.groups())
        rule = Message(
            "Broadcasting lines shapes up from the right: in each column the sizes must be "
            "equal or one of them 1, and {size_a} and {size_b} are neither.",
            size_a=size_a,
            size_b=size_b,
        )
        return ErrorExplanation("broadcast", site.line, expression, rule)
    found = _MATMUL.search(message)
    if found is None:
        return None
    r1, c1, r2, c2 = (int(group) for group in found.groups())
    rows = (
        OperandRow("mat1", (r1, c1), offset=0, marked=(1,)),
        OperandRow("mat2", (r2, c2), offset=1, marked=(0,)),
    )
    rule = Message(
        "A matrix product in this line got shapes ({r1}, {c1}) and "
        "({r2}, {c2}): the first's last dimension ({c1}) must equal "
        "the second's first ({r2}).",
        r1=r1,
        c1=c1,
        r2=r2,
        c2=c2,
    )
    return ErrorExplanation("matmul", site.line, expression, rule, rows)
