"""What the cell's source says about a name: where it is assigned, detached, or made without grad.

The extracted graph knows a tensor's flags but not *why* it has them: a
``.detach()`` or a ``with torch.no_grad():`` leaves no trace on the tensor.
The source does, so the cell's AST is read for them here (pure, no torch).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

NO_GRAD_MODES = {"no_grad": "torch.no_grad()", "inference_mode": "torch.inference_mode()"}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True)
class Assignment:
    """One statement that assigns a name, with what surrounds it.

    ``line``/``end_line`` are 1-based; ``indent`` is the statement's leading
    whitespace when the statement starts its line, else None (``if c: x = 1``).
    ``detach_line`` is the line of a ``.detach()`` in its value; ``grad_mode``
    is ``"no_grad"`` or ``"inference_mode"`` with the line of that ``with``.
    """

    name: str
    line: int
    end_line: int
    indent: str | None
    top_level: bool
    detach_line: int | None = None
    grad_mode: str | None = None
    grad_mode_line: int | None = None
    # requires_grad=True given to a call nested inside an operation: ``torch.randn(3,
    # requires_grad=True) * 0.1`` makes a non-leaf, a classic surprise.
    nested_requires_grad: bool = False


@dataclass(frozen=True)
class CutUse:
    """A statement that uses a name where autograd cannot follow it."""

    line: int
    how: str  # "detach", "no_grad" or "inference_mode"


def parse_cell(code: str) -> ast.Module | None:
    """Return the cell's AST, or None when it does not parse."""
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _targets(stmt: ast.stmt) -> list[ast.expr]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        return [stmt.target]
    return []


def _assigned_names(target: ast.expr) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_assigned_names(element) for element in target.elts))
    if isinstance(target, ast.Starred):
        return _assigned_names(target.value)
    return set()


def _grad_mode(item: ast.withitem) -> str | None:
    """Return "no_grad" or "inference_mode" for ``torch.no_grad()`` and the like."""
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name == "inference_mode" and call.args:
        off = call.args[0]
        if isinstance(off, ast.Constant) and off.value is False:
            return None
    return name if name in NO_GRAD_MODES else None


def _walk_statements(body: list[ast.stmt], modes: tuple[tuple[str, int], ...], depth: int):
    """Yield (statement, enclosing grad modes, depth) outside function and class bodies."""
    for stmt in body:
        yield stmt, modes, depth
        if isinstance(stmt, _SCOPES):
            continue
        inner = modes
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            found = [(m, stmt.lineno) for m in map(_grad_mode, stmt.items) if m]
            inner = modes + tuple(found)
        for field in ("body", "orelse", "finalbody"):
            yield from _walk_statements(getattr(stmt, field, []) or [], inner, depth + 1)
        for handler in getattr(stmt, "handlers", []) or []:
            yield from _walk_statements(handler.body, inner, depth + 1)
        for case in getattr(stmt, "cases", []) or []:
            yield from _walk_statements(case.body, inner, depth + 1)


def method_calls(node: ast.AST, method: str) -> list[ast.Call]:
    """Return the ``<expr>.method()`` calls without arguments inside ``node``, first in the
    source first."""
    calls = [
        sub
        for sub in ast.walk(node)
        if isinstance(sub, ast.Call)
        and isinstance(sub.func, ast.Attribute)
        and sub.func.attr == method
        and not sub.args
        and not sub.keywords
    ]
    return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def detach_calls(node: ast.AST) -> list[ast.Call]:
    """Return the ``<expr>.detach()`` calls inside ``node``, first in the source first."""
    return method_calls(node, "detach")


def _indent_of(lines: list[str], stmt: ast.stmt) -> str | None:
    text = lines[stmt.lineno - 1] if stmt.lineno <= len(lines) else ""
    leading = text[: len(text) - len(text.lstrip(" \t"))]
    return leading if len(leading.encode()) == stmt.col_offset else None


def find_assignment(
    code: str, name: str, line: int | None = None, tree: ast.Module | None = None
) -> Assignment | None:
    """Return the statement assigning ``name``: the one spanning ``line``, else the last one."""
    tree = tree or parse_cell(code)
    if tree is None:
        return None
    lines = code.splitlines()
    found: list[tuple[ast.stmt, tuple, int]] = []
    for stmt, modes, depth in _walk_statements(tree.body, (), 0):
        if any(name in _assigned_names(target) for target in _targets(stmt)):
            found.append((stmt, modes, depth))
    if not found:
        return None
    chosen = found[-1]
    if line is not None:
        spanning = [entry for entry in found if entry[0].lineno <= line <= entry[0].end_lineno]
        if spanning:
            chosen = spanning[-1]
    stmt, modes, depth = chosen
    value = getattr(stmt, "value", None)
    detaches = detach_calls(value) if value is not None else []
    mode, mode_line = modes[-1] if modes else (None, None)
    return Assignment(
        nested_requires_grad=value is not None and _nested_requires_grad(value),
        name=name,
        line=stmt.lineno,
        end_line=stmt.end_lineno or stmt.lineno,
        indent=_indent_of(lines, stmt),
        top_level=depth == 0,
        detach_line=detaches[0].lineno if detaches else None,
        grad_mode=mode,
        grad_mode_line=mode_line,
    )


def _nested_requires_grad(value: ast.expr) -> bool:
    for sub in ast.walk(value):
        if sub is value or not isinstance(sub, ast.Call):
            continue
        for keyword in sub.keywords:
            if keyword.arg == "requires_grad" and getattr(keyword.value, "value", None) is True:
                return True
    return False


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


def cut_uses(code: str, name: str, tree: ast.Module | None = None) -> list[CutUse]:
    """Return where ``name`` is read inside a ``.detach()`` or a no-grad block, in order."""
    tree = tree or parse_cell(code)
    if tree is None:
        return []
    uses = []
    for stmt, modes, _depth in _walk_statements(tree.body, (), 0):
        if isinstance(stmt, (ast.With, ast.AsyncWith, *_SCOPES)):
            continue
        # Compound statements (for, if) are judged by their own header only.
        header = getattr(stmt, "value", None) or getattr(stmt, "iter", None)
        header = header or getattr(stmt, "test", None)
        if header is None or not _mentions(header, name):
            continue
        detached = [call for call in detach_calls(header) if _mentions(call.func.value, name)]
        if detached:
            uses.append(CutUse(detached[0].lineno, "detach"))
        elif modes and not any(name in _assigned_names(target) for target in _targets(stmt)):
            uses.append(CutUse(stmt.lineno, modes[-1][0]))
    return uses


def backward_targets(code: str, tree: ast.Module | None = None) -> list[tuple[str, int]]:
    """Return (name, line) for each ``name.backward(...)`` or ``torch.autograd.backward(name)``."""
    tree = tree or parse_cell(code)
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        if func.attr != "backward":
            continue
        if isinstance(func.value, ast.Name) and func.value.id not in ("autograd", "torch"):
            found.append((func.value.id, node.lineno))
        elif node.args and isinstance(node.args[0], ast.Name):
            found.append((node.args[0].id, node.lineno))  # torch.autograd.backward(y)
    return sorted(found, key=lambda entry: entry[1])


def uses_autograd_grad(code: str, tree: ast.Module | None = None) -> bool:
    """Return True when the cell calls ``torch.autograd.grad``, which never fills ``.grad``."""
    tree = tree or parse_cell(code)
    if tree is None:
        return False
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "grad"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "autograd"
        for node in ast.walk(tree)
    )
