"""Find the expression of the user's code that raised, and read its operands without running code.

An error is explained from what its operands were when it was raised: the traceback's
last frame in the user's cell, the exact expression its last instruction came from, and
the values of the side-effect-free parts of that expression (names, attributes of tensors
and modules, subscripts with constant indices) read from that frame. Nothing the user
wrote is called again: anything else counts as unknown, and the explanation says less.
"""

from __future__ import annotations

import ast
import inspect
import linecache
from dataclasses import dataclass
from types import FrameType, ModuleType, TracebackType
from typing import Any

from autograd_playground.core.run.cell_names import is_cell_filename


class Unknown(Exception):
    """An expression that cannot be read without running the user's code."""


@dataclass
class FailingSite:
    """Where the user's code failed: its frame, line and the smallest expression there."""

    frame: FrameType
    line: int
    node: ast.AST | None
    source: str

    def text_of(self, node: ast.AST) -> str:
        """Return ``node``'s source as the user wrote it."""
        return ast.get_source_segment(self.source, node) or ast.unparse(node)

    def value_of(self, node: ast.AST) -> Any:
        """Return ``node``'s value if it can be read without side effects; raise Unknown."""
        return _read(node, self.frame)


def failing_site(exc: BaseException) -> FailingSite | None:
    """Return where ``exc`` left the user's code, or None if it never passed through it."""
    last: TracebackType | None = None
    tb = exc.__traceback__
    while tb is not None:
        if is_cell_filename(tb.tb_frame.f_code.co_filename):
            last = tb
        tb = tb.tb_next
    if last is None:
        return None
    filename = last.tb_frame.f_code.co_filename
    source = "".join(linecache.getlines(filename))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return FailingSite(last.tb_frame, last.tb_lineno, None, source)
    return FailingSite(last.tb_frame, last.tb_lineno, _node_at(tree, last), source)


def _node_at(tree: ast.AST, tb: TracebackType) -> ast.AST | None:
    """Return the expression the failing instruction was compiled from, or None."""
    positions = list(tb.tb_frame.f_code.co_positions())
    index = tb.tb_lasti // 2
    if not 0 <= index < len(positions):
        return None
    line, end_line, column, end_column = positions[index]
    if None in (line, end_line, column, end_column):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.expr | ast.AugAssign) and (
            node.lineno,
            node.end_lineno,
            node.col_offset,
            node.end_col_offset,
        ) == (line, end_line, column, end_column):
            return node
    return None


def nodes_on_line(site: FailingSite) -> list[ast.AST]:
    """Return every expression that starts on the failing line, outermost first."""
    try:
        tree = ast.parse(site.source)
    except (SyntaxError, ValueError):
        return []
    return [
        node for node in ast.walk(tree) if isinstance(node, ast.expr) and node.lineno == site.line
    ]


def _read(node: ast.AST, frame: FrameType) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _read_name(node.id, frame)
    if isinstance(node, ast.Attribute):
        return _read_attribute(_read(node.value, frame), node.attr)
    if isinstance(node, ast.Subscript):
        return _read_subscript(_read(node.value, frame), _read_index(node.slice, frame))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _read(node.operand, frame)
        if isinstance(value, int | float):
            return -value
    if isinstance(node, ast.Tuple | ast.List):
        items = [_read(item, frame) for item in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    raise Unknown(type(node).__name__)


def _read_name(name: str, frame: FrameType) -> Any:
    for scope in (frame.f_locals, frame.f_globals):
        if name in scope:
            return scope[name]
    builtins = frame.f_globals.get("__builtins__", {})
    scope = builtins if isinstance(builtins, dict) else vars(builtins)
    if name in scope:
        return scope[name]
    raise Unknown(name)


def _read_attribute(value: Any, attr: str) -> Any:
    import torch

    if isinstance(value, ModuleType) or (
        isinstance(value, torch.Tensor) and attr in ("T", "mT", "data", "grad", "shape")
    ):
        return getattr(value, attr)
    if (
        isinstance(value, torch.nn.Module)
        and type(value).__getattr__ is torch.nn.Module.__getattr__
    ):
        try:
            static = inspect.getattr_static(value, attr)
        except AttributeError:
            return getattr(value, attr)  # a parameter, buffer or submodule: torch's own lookup
        if not hasattr(static, "__get__"):
            return static
        raise Unknown(attr)
    try:
        static = inspect.getattr_static(value, attr)
    except AttributeError as exc:
        raise Unknown(attr) from exc
    if hasattr(static, "__get__") and not isinstance(value, type):
        raise Unknown(attr)  # a property or method: the user's code
    return static


def _read_index(node: ast.AST, frame: FrameType) -> Any:
    if isinstance(node, ast.Slice):
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if part is None else _read_constant(part) for part in parts))
    if isinstance(node, ast.Tuple):
        return tuple(_read_index(item, frame) for item in node.elts)
    return _read_constant(node)


def _read_constant(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | str | type(None)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_read_constant(node.operand)
    raise Unknown("index")


def _read_subscript(value: Any, index: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor | list | tuple | dict) and type(value) in (
        torch.Tensor,
        torch.nn.Parameter,
        list,
        tuple,
        dict,
    ):
        try:
            return value[index]
        except (IndexError, KeyError, TypeError, RuntimeError) as exc:
            raise Unknown("index") from exc
    raise Unknown("subscript")
