"""Warnings from a cell's own code, shown by line as its errors are.

Python prints a warning as ``<cell-3>:6: UserWarning: …`` followed by the source
line, and torch adds where in its C++ sources the warning was raised. A student
needs neither: "Warning at line 6: UserWarning: …" says it all.
"""

from __future__ import annotations

import contextlib
import re
import sys
import warnings
from typing import Any, TextIO

from autograd_playground.core.run.cell_names import is_cell_filename

_TORCH_SOURCE_NOTE = re.compile(r"\s*\(Triggered internally at [^)]*\)\.?")


def format_cell_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int
) -> str | None:
    """Return the line to show for a warning raised in a cell; None for any other file."""
    if not is_cell_filename(filename):
        return None
    text = _TORCH_SOURCE_NOTE.sub("", str(message)).strip()
    return f"Warning at line {lineno}: {category.__name__}: {text}\n"


def install() -> None:
    """Route warnings raised in cells through ``format_cell_warning``; others as before.

    Idempotent, and it wraps whatever ``warnings.showwarning`` is when called, so
    pytest's or a notebook's own handling of other warnings is kept.
    """
    current = warnings.showwarning
    if getattr(current, "_shows_cells", False):
        return
    previous = current

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> Any:
        text = format_cell_warning(message, category, filename, lineno)
        if text is None:
            return previous(message, category, filename, lineno, file, line)
        stream = file if file is not None else sys.stderr
        # No stderr (a windowed app): warnings are best effort, as in Python itself.
        with contextlib.suppress(OSError, AttributeError):
            stream.write(text)
        return None

    show._shows_cells = True  # type: ignore[attr-defined]
    warnings.showwarning = show
