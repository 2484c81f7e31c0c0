"""One-click edits to the cell that give a tensor its ``.grad``: pure text in, text out."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from autograd_playground.core.i18n.catalog import translate
from autograd_playground.core.teach.source_facts import (
    detach_calls,
    find_assignment,
    method_calls,
    parse_cell,
)

FixKind = Literal[
    "retain_grad",
    "requires_grad",
    "backward",
    "remove_detach",
    "sum_before_backward",
    "ones_like_backward",
]
# The call each inserting fix adds on a line of its own after the statement.
INSERTED_CALLS = {
    "retain_grad": "{name}.retain_grad()",
    "requires_grad": "{name}.requires_grad_()",
    "backward": "{name}.backward()",
}
# What ``NAME.backward()`` of a tensor of many elements becomes, by fix.
REWRITTEN_BACKWARD = {
    "sum_before_backward": "{name}.sum().backward()",
    "ones_like_backward": "{name}.backward(torch.ones_like({name}))",
}


class FixError(ValueError):
    """The fix no longer fits the code (it was edited since it ran)."""


@dataclass(frozen=True)
class CodeFix:
    """An edit of the cell: add a call after the statement at ``line``, or drop a ``.detach()``.

    ``name`` is the variable the call is made on (for ``remove_detach``, the
    variable whose path the ``.detach()`` cuts, used to pick among several).
    """

    kind: FixKind
    name: str
    line: int

    @property
    def label(self) -> str:
        """Return what the fix does, in English, as the link in the inspector says it."""
        return self.describe()

    def describe(self, language: str = "en") -> str:
        """Return what the fix does, as the inspector's link says it in ``language``."""
        if self.kind == "remove_detach":
            return translate(
                "Remove `.detach()` on line {line} and run again", language, line=self.line
            )
        if self.kind in REWRITTEN_BACKWARD:
            return translate(
                "Write `{call}` on line {line} and run again",
                language,
                call=REWRITTEN_BACKWARD[self.kind].format(name=self.name),
                line=self.line,
            )
        call = INSERTED_CALLS[self.kind].format(name=self.name)
        return translate(
            "Add `{call}` after line {line} and run again", language, call=call, line=self.line
        )


def apply_fix(code: str, fix: CodeFix, language: str = "en") -> str:
    """Return ``code`` with ``fix`` made; raise FixError (in ``language``) when the code no
    longer allows it."""
    tree = parse_cell(code)
    if tree is None:
        raise FixError(
            translate("The code has a syntax error now; fix it and run it first.", language)
        )
    if fix.kind == "remove_detach":
        return _remove_detach(code, tree, fix, language)
    if fix.kind in REWRITTEN_BACKWARD:
        return _rewrite_backward(code, tree, fix, language)
    if fix.kind not in INSERTED_CALLS:
        raise FixError(translate("Unknown fix {kind!r}.", language, kind=fix.kind))
    return _insert_after(code, tree, fix, language)


def _insert_after(code: str, tree: ast.Module, fix: CodeFix, language: str) -> str:
    assignment = find_assignment(code, fix.name, fix.line, tree)
    if assignment is None or not assignment.line <= fix.line <= assignment.end_line:
        raise FixError(
            translate(
                "Line {line} no longer assigns {name}: run the code again.",
                language,
                line=fix.line,
                name=fix.name,
            )
        )
    if assignment.indent is None:
        raise FixError(
            translate(
                "Line {line} holds more than one statement; split it first.",
                language,
                line=fix.line,
            )
        )
    lines = code.splitlines(keepends=True)
    call = INSERTED_CALLS[fix.kind].format(name=fix.name)
    end = assignment.end_line
    if not lines[end - 1].endswith(("\n", "\r")):
        lines[end - 1] += "\n"
    lines.insert(end, f"{assignment.indent}{call}\n")
    return "".join(lines)


def _remove_detach(code: str, tree: ast.Module, fix: CodeFix, language: str) -> str:
    candidates = [
        call
        for call in detach_calls(tree)
        if call.lineno == fix.line and call.end_lineno == fix.line
    ]
    if not candidates:
        raise FixError(
            translate(
                "Line {line} has no `.detach()` any more: run the code again.",
                language,
                line=fix.line,
            )
        )
    # The detach that cuts this variable's path, when the line has several.
    for call in candidates:
        if any(
            isinstance(sub, ast.Name) and sub.id == fix.name for sub in ast.walk(call.func.value)
        ):
            chosen = call
            break
    else:
        chosen = candidates[0]
    lines = code.splitlines(keepends=True)
    # AST columns count UTF-8 bytes. The receiver's own span leaves out its closing
    # parenthesis, so the cut starts at the dot before "detach", found from the name.
    raw = lines[fix.line - 1].encode()
    start = chosen.func.end_col_offset - len(b"detach")
    while start > 0 and raw[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    if raw[start - 1 : start] != b".":
        raise FixError(
            translate(
                "Line {line} writes `.detach()` in a way not understood.", language, line=fix.line
            )
        )
    start -= 1
    while start > 0 and raw[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    lines[fix.line - 1] = (raw[:start] + raw[chosen.end_col_offset :]).decode()
    return "".join(lines)


def _rewrite_backward(code: str, tree: ast.Module, fix: CodeFix, language: str) -> str:
    """Return ``code`` with ``NAME.backward()`` on the fix's line rewritten as the fix says."""
    calls = [
        node
        for node in method_calls(tree, "backward")
        if node.lineno == node.end_lineno == fix.line
        and ast.get_source_segment(code, node.func.value) == fix.name
    ]
    if not calls:
        raise FixError(
            translate(
                "Line {line} no longer calls {name}.backward(): run the code again.",
                language,
                line=fix.line,
                name=fix.name,
            )
        )
    lines = code.splitlines(keepends=True)
    raw = lines[fix.line - 1].encode()
    call = calls[0]
    new = REWRITTEN_BACKWARD[fix.kind].format(name=fix.name).encode()
    lines[fix.line - 1] = (raw[: call.col_offset] + new + raw[call.end_col_offset :]).decode()
    return "".join(lines)


def changed_span(old: str, new: str) -> tuple[int, int, str]:
    """Return (start, end, text): replacing ``old[start:end]`` by ``text`` gives ``new``."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, new[start:end_new]
