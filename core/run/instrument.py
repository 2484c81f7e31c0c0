"""Rewrite the user's code so each statement first notes its line number.

The note (a call to ``MARK``) lets the line table map autograd nodes back to
the statement that created them, and lets Stop end a runaway loop at the next
statement. Only the user's own statements pay for it; library code runs as is.
A function's body also notes its caller's line again when it returns, so ops
made after a call, in the same statement, go to the calling line.
"""

from __future__ import annotations

import ast

MARK = "__playground_mark__"
MARK_RETURN = "__playground_return__"
_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_SCOPES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _call(name: str, args: list[ast.expr], at: ast.AST) -> ast.stmt:
    position = {
        "lineno": at.lineno,
        "col_offset": at.col_offset,
        "end_lineno": at.lineno,
        "end_col_offset": at.col_offset,
    }
    for arg in args:
        for key, value in position.items():
            setattr(arg, key, value)
    call = ast.Call(ast.Name(name, ast.Load(), **position), args, [], **position)
    return ast.Expr(call, **position)


def _mark_statement(at: ast.stmt) -> ast.stmt:
    """Return a statement that marks ``at``'s line, placed where ``at`` is."""
    return _call(MARK, [ast.Constant(at.lineno)], at)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_future_import(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def _marked(owner: ast.AST, statements: list[ast.stmt]) -> list[ast.stmt]:
    marked: list[ast.stmt] = []
    for index, statement in enumerate(statements):
        _instrument_node(statement)
        keep_first = index == 0 and isinstance(owner, _SCOPES) and _is_docstring(statement)
        if not keep_first and not _is_future_import(statement):
            marked.append(_mark_statement(statement))
        marked.append(statement)
    return marked


def _with_return_mark(body: list[ast.stmt]) -> list[ast.stmt]:
    head = body[:1] if body and _is_docstring(body[0]) else []
    rest = body[len(head) :]
    if not rest:
        return body
    guarded = ast.Try(
        body=rest, handlers=[], orelse=[], finalbody=[_call(MARK_RETURN, [], rest[-1])]
    )
    return [*head, ast.copy_location(guarded, rest[0])]


def _instrument_node(node: ast.AST) -> None:
    """Mark the statement lists inside ``node`` (only statements are walked, not expressions)."""
    for field in _BODY_FIELDS:
        value = getattr(node, field, None)
        if not value:
            continue
        if isinstance(value[0], ast.stmt):
            setattr(node, field, _marked(node, value))
        else:  # except handlers and match cases hold the statement lists
            for holder in value:
                _instrument_node(holder)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        node.body = _with_return_mark(node.body)


def instrument(tree: ast.Module) -> ast.Module:
    """Return ``tree`` with line marks added (the tree is changed in place)."""
    _instrument_node(tree)
    return tree
