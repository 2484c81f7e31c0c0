"""A session's code as a standalone script: ``python script.py`` runs it without the app."""

from __future__ import annotations

import ast

from autograd_playground.core.session.session import Session

_PRELUDE = '''\
"""{title}: exported from Autograd Playground. Run it with `python {filename}`."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

{device_line}

'''
# The value the app shows for a last bare expression: its repr, unless it is None.
_SHOW = "_value = {expr}\nif _value is not None:\n    print(repr(_value))\n"


def export_script(session: Session, device: str = "cpu", filename: str = "script.py") -> str:
    """Return a runnable Python script: the app's preloaded names, then the session's code.

    A last bare expression is printed, as the app's output pane shows it. Code that does
    not parse is kept as it is, so running the script reports the same syntax error.
    """
    title = filename.rsplit(".", 1)[0] or "script"
    prelude = _PRELUDE.format(title=title, filename=filename, device_line=_device_line(device))
    return prelude + _show_last_expression(session.code)


def _device_line(device: str) -> str:
    """``device`` as the app sets it, falling back to the CPU on a machine without it."""
    if device == "cpu":
        return 'device = torch.device("cpu")'
    if device.startswith("cuda"):
        check = "torch.cuda.is_available()"
    elif device == "mps":
        check = "torch.backends.mps.is_available()"
    else:
        kind = device.split(":")[0]
        check = f'getattr(torch, "{kind}", None) is not None and torch.{kind}.is_available()'
    return f'device = torch.device("{device}" if {check} else "cpu")'


def _show_last_expression(code: str) -> str:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return code
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return code
    last = tree.body[-1]
    lines = code.splitlines(keepends=True)
    start, end = last.lineno - 1, last.end_lineno - 1
    expression = ast.get_source_segment(code, last.value)
    if expression is None:
        return code
    before = lines[start][: _char_offset(lines[start], last.col_offset)]
    after = lines[end][_char_offset(lines[end], last.end_col_offset) :].rstrip("\r\n")
    # Whatever shared the line before it (``a = 1; a``) stays, on its own line.
    head = "".join(lines[:start])
    if before.strip():
        head += before.rstrip().rstrip(";") + "\n"
    if head and not head.endswith("\n"):
        head += "\n"
    # A trailing comment stays beside the expression; a trailing ``;`` goes.
    comment = after.strip().lstrip(";").strip()
    shown = _SHOW.format(expr=f"({expression})" if "\n" in expression else expression)
    if comment:
        first, rest = shown.split("\n", 1)
        shown = f"{first}  {comment}\n{rest}"
    tail = "".join(lines[end + 1 :])
    return head + shown + tail


def _char_offset(line: str, byte_offset: int) -> int:
    """ast's column offsets count UTF-8 bytes; slicing a str needs characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
