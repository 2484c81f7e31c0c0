"""Remember which line of the user's code created each autograd node.

Autograd numbers the nodes it creates in each thread (``Node._sequence_nr``).
The evaluator rewrites user code so every statement first calls ``mark`` with
its line (see core.run.instrument); the table notes autograd's counter at each
mark, so any node can later be mapped back to the statement that made it.
"""

from __future__ import annotations

import sys
import threading
from array import array
from bisect import bisect_right
from typing import Any

import torch

from autograd_playground.core.run.cell_names import is_cell_filename

MAX_ENTRIES = 200_000
_current_sequence_nr = torch._C._autograd._get_sequence_nr


class LineTable:
    """Sequence-number ranges of one thread's autograd nodes, each with a line.

    ``mark`` is also where a Stop request (``stop_requested``, set from another
    thread) ends the user's code: it raises KeyboardInterrupt at the next statement.
    """

    def __init__(self) -> None:
        self._starts = array("q")
        self._lines = array("q")
        self.thread: int | None = None
        self.stop_requested = False

    def clear(self) -> None:
        self._starts = array("q")
        self._lines = array("q")

    def begin(self) -> None:
        """Prepare for a run in this thread (counters are per thread)."""
        self.stop_requested = False
        ident = threading.get_ident()
        if self.thread != ident:
            self.clear()
            self.thread = ident

    def mark(self, line: int) -> None:
        """Note that nodes created from now on belong to ``line``."""
        if self.stop_requested:
            self.stop_requested = False
            raise KeyboardInterrupt
        sequence_nr = _current_sequence_nr()
        if self._starts and self._starts[-1] == sequence_nr:
            self._lines[-1] = line  # the previous statement created no node
            return
        if len(self._starts) >= MAX_ENTRIES:
            # Forget the oldest half: their nodes lose their line, memory stays bounded.
            half = MAX_ENTRIES // 2
            self._starts, self._lines = self._starts[half:], self._lines[half:]
        self._starts.append(sequence_nr)
        self._lines.append(line)

    def mark_return(self) -> None:
        """Called as a user function returns: go back to the caller's line."""
        caller = sys._getframe(2)
        if is_cell_filename(caller.f_code.co_filename):
            self.mark(caller.f_lineno)

    def line_of(self, grad_fn: Any) -> int | None:
        """Return the line that created ``grad_fn``, or None if unknown."""
        try:
            sequence_nr = grad_fn._sequence_nr()
        except (AttributeError, RuntimeError):
            return None
        index = bisect_right(self._starts, sequence_nr) - 1
        return self._lines[index] if index >= 0 else None

    def __len__(self) -> int:
        return len(self._starts)
