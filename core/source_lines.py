"""Remember which line of the user's code created each autograd node."""

from __future__ import annotations

import sys
from typing import Any

from torch.overrides import TorchFunctionMode

CELL_PREFIX = "<cell-"
LINE_KEY = "playground_line"


def is_cell_filename(filename: str) -> bool:
    """Return True for the pseudo file names the evaluator gives user code."""
    return filename.startswith(CELL_PREFIX)


def _user_line() -> int | None:
    frame = sys._getframe(2)
    while frame is not None:
        if is_cell_filename(frame.f_code.co_filename):
            return frame.f_lineno
        frame = frame.f_back
    return None


def _tag(value: Any, line: int) -> None:
    grad_fn = getattr(value, "grad_fn", None)
    if grad_fn is not None:
        metadata = grad_fn.metadata
        if LINE_KEY not in metadata:
            metadata[LINE_KEY] = line
    elif isinstance(value, (tuple, list)):
        for item in value:
            if getattr(item, "grad_fn", None) is not None:
                _tag(item, line)


class LineRecorder(TorchFunctionMode):
    """Tags every grad_fn created while active with the user's current line.

    The line is stored in the node's own ``metadata`` dict, so it lives and dies
    with the graph and needs no bookkeeping here.
    """

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if isinstance(result, (tuple, list)) or getattr(result, "grad_fn", None) is not None:
            line = _user_line()
            if line is not None:
                _tag(result, line)
        return result


def node_line(grad_fn: Any) -> int | None:
    """Return the recorded source line of a grad_fn, or None."""
    try:
        return grad_fn.metadata.get(LINE_KEY)
    except (AttributeError, RuntimeError):
        return None
