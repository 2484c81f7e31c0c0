"""Explain the common autograd errors: the line, what went wrong with which tensor, the cure.

Torch's messages name no variable; the tensor is found from the failing expression
(``y.backward()`` names ``y``) or, for a tensor changed in place, from the version
counter torch's message quotes. Where it cannot be told which tensor, the sentence says
less rather than name the wrong one.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.run.error_explanation import ErrorExplanation, OperandRow, shape_text
from autograd_playground.core.run.failing_expression import FailingSite, Unknown

_SECOND_BACKWARD = "Trying to backward through the graph a second time"
_IN_PLACE = re.compile(
    r"modified by an inplace operation: \[\S+ \[([\d, ]*)\]\], which is output (\d+) of "
    r"(\w+), is at version (\d+); expected version (\d+)"
)
_NOT_SCALAR = "grad can be implicitly created only for scalar outputs"
_LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"
_NO_GRAD_FN = "does not require grad and does not have a grad_fn"
# The fixes the window offers for a backward() of a non-scalar (core.teach.code_fixes).
BACKWARD_FIXES = ("sum_before_backward", "ones_like_backward")


def explain_autograd_error(site: FailingSite, message: str) -> ErrorExplanation | None:
    """Return the explanation of ``message`` raised at ``site``, or None if it is not one
    of the common autograd errors."""
    if _SECOND_BACKWARD in message:
        return _second_backward(site)
    found = _IN_PLACE.search(message)
    if found is not None:
        return _in_place(site, found)
    if _NOT_SCALAR in message:
        return _not_scalar(site)
    if _LEAF_IN_PLACE in message:
        return _leaf_in_place(site)
    if _NO_GRAD_FN in message:
        return _no_grad_fn(site)
    return None


def _backward_receiver(site: FailingSite) -> ast.AST | None:
    """Return the tensor expression ``backward`` was called on at ``site``, if it is one."""
    node = site.node
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "backward"
    ):
        return node.func.value
    return None


def _tensor_at(site: FailingSite, node: ast.AST | None) -> Any:
    import torch

    if node is None:
        return None
    try:
        value = site.value_of(node)
    except Unknown:
        return None
    return value if isinstance(value, torch.Tensor) else None


def _expression(site: FailingSite) -> str:
    return site.text_of(site.node) if site.node is not None else ""


def _second_backward(site: FailingSite) -> ErrorExplanation:
    receiver = _backward_receiver(site)
    freed = _ops_with_saved_tensors(_tensor_at(site, receiver))
    if freed:
        rule = Message(
            "The first backward() freed the tensors the graph had saved "
            "for it (those of {ops}), so a second pass through the same "
            "graph has nothing to use.",
            ops=", ".join(freed),
        )
    else:
        rule = Message(
            "The first backward() freed the tensors the graph had saved "
            "for it, so a second pass through the same graph has nothing "
            "to use."
        )
    cure = Message(
        "Call backward(retain_graph=True) the first time, or run the "
        "forward pass again before the second backward()."
    )
    return ErrorExplanation(
        "backward_twice", site.line, _expression(site), rule, cure=cure, freed=freed
    )


def _ops_with_saved_tensors(tensor: Any) -> tuple[str, ...]:
    """Return the names of the ops behind ``tensor`` that save tensors for backward."""
    if tensor is None or tensor.grad_fn is None:
        return ()
    found: list[str] = []
    seen: set[int] = set()
    stack = [tensor.grad_fn]
    while stack and len(seen) < 10_000:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        if any(name.startswith("_saved_") for name in dir(fn)):
            name = type(fn).__name__
            if name not in found:
                found.append(name)
        stack.extend(next_fn for next_fn, _ in fn.next_functions)
    return tuple(found)


def _in_place(site: FailingSite, found: re.Match[str]) -> ErrorExplanation:
    shape = tuple(int(size) for size in found.group(1).replace(" ", "").split(",") if size)
    made_by, now, expected = found.group(3), int(found.group(4)), int(found.group(5))
    name = _unique_tensor_name(site, shape, now)
    if name is not None:
        rule = Message(
            "{name}, made by {op}, was saved for the gradient at version "
            "{expected}, but an in-place operation changed it to version "
            "{now} before backward() used it.",
            name=name,
            op=made_by,
            expected=expected,
            now=now,
        )
    else:
        rule = Message(
            "A tensor made by {op} was saved for the gradient at version "
            "{expected}, but an in-place operation changed it to version "
            "{now} before backward() used it.",
            op=made_by,
            expected=expected,
            now=now,
        )
    cure = Message(
        "Change a copy instead: write y = y + 1 rather than y += 1 "
        "or y.add_(1), or clone() the tensor before changing it."
    )
    rows = (OperandRow(name, shape, variable=True),) if name is not None else ()
    return ErrorExplanation("in_place", site.line, _expression(site), rule, rows, cure)


def _unique_tensor_name(site: FailingSite, shape: tuple[int, ...], version: int) -> str | None:
    """Return the one user variable of ``shape`` at ``version`` with a graph, or None."""
    import torch

    scopes = {**site.frame.f_globals, **site.frame.f_locals}
    names = [
        name
        for name, value in scopes.items()
        if not name.startswith("_")
        and isinstance(value, torch.Tensor)
        and tuple(value.shape) == shape
        and value._version == version
        and value.grad_fn is not None
    ]
    return names[0] if len(names) == 1 else None


def _not_scalar(site: FailingSite) -> ErrorExplanation:
    receiver = _backward_receiver(site)
    tensor = _tensor_at(site, receiver)
    if receiver is not None and tensor is not None:
        name = site.text_of(receiver)
        rule = Message(
            "backward() without an argument needs a single number, and {name} has shape {shape}.",
            name=name,
            shape=shape_text(tuple(tensor.shape)),
        )
        cure = Message(
            "Call {name}.sum().backward(), or pass the weights of each "
            "element: {name}.backward(torch.ones_like({name})).",
            name=name,
        )
        return ErrorExplanation(
            "not_scalar",
            site.line,
            _expression(site),
            rule,
            cure=cure,
            fixes=BACKWARD_FIXES,
            subject=name,
        )
    rule = Message("backward() without an argument needs a single number, not a tensor of many.")
    cure = Message("Sum the output first (.sum()), or pass torch.ones_like(output) to backward().")
    return ErrorExplanation("not_scalar", site.line, _expression(site), rule, cure=cure)


def _changed_in_place(site: FailingSite) -> str | None:
    """Return the tensor ``w += 1`` or ``w.add_(1)`` at ``site`` changes, as written."""
    node = site.node
    if isinstance(node, ast.AugAssign):
        return site.text_of(node.target)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr.endswith("_")
        and not node.func.attr.startswith("_")
    ):
        return site.text_of(node.func.value)
    return None


def _leaf_in_place(site: FailingSite) -> ErrorExplanation:
    name = _changed_in_place(site)
    if name is not None:
        rule = Message(
            "{name} is a leaf tensor that requires grad, so it cannot be "
            "changed in place: autograd needs its value as it was when "
            "the graph used it.",
            name=name,
        )
    else:
        rule = Message(
            "A leaf tensor that requires grad cannot be changed in "
            "place: autograd needs its value as it was when the graph "
            "used it."
        )
    cure = Message(
        "Update it inside `with torch.no_grad():` (as an optimizer step does), or make a new "
        "tensor (w = w + 1) instead."
    )
    if name is not None:
        cure = Message(
            "Update it inside `with torch.no_grad():` (as an optimizer step does), or make a "
            "new tensor ({name} = {name} + 1) instead.",
            name=name,
        )
    return ErrorExplanation("leaf_in_place", site.line, _expression(site), rule, cure=cure)


def _no_grad_fn(site: FailingSite) -> ErrorExplanation:
    receiver = _backward_receiver(site)
    if receiver is not None:
        rule = Message(
            "{name} does not require grad and has no grad_fn, so autograd recorded no graph "
            "to go back through: none of its inputs required grad, or it was computed under "
            "torch.no_grad() or from a .detach()ed tensor.",
            name=site.text_of(receiver),
        )
    else:
        rule = Message(
            "The tensor does not require grad and has no grad_fn, so autograd recorded no "
            "graph to go back through: none of its inputs required grad, or it was computed "
            "under torch.no_grad() or from a .detach()ed tensor."
        )
    cure = Message(
        "Create the inputs you want gradients for with requires_grad=True (or call "
        ".requires_grad_() on them), and compute the result outside torch.no_grad() "
        "without .detach()."
    )
    return ErrorExplanation("no_grad_fn", site.line, _expression(site), rule, cure=cure)
