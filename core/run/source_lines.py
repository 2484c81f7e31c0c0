"""Remember which line of the user's code created each autograd node.

Autograd numbers the nodes it creates in each thread (``Node._sequence_nr``).
The evaluator rewrites user code so every statement first calls ``mark`` with
its line (see core.run.instrument); the table notes autograd's counter at each
mark, so any node can later be mapped back to the statement that made it.
It also counts how often each line ran, so a node made inside a loop (or a
function called many times) knows which run of its line made it: "line 3,
iteration 4 of 8".
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
MAX_RUNS_KEPT = 64
_current_sequence_nr = torch._C._autograd._get_sequence_nr


class LineTable:
    """Sequence-number ranges of one thread's autograd nodes, each with a line.

    ``mark`` is also where a Stop request (``stop_requested``, set from another
    thread) ends the user's code: it raises KeyboardInterrupt at the next statement.
    """

    def __init__(self) -> None:
        self._starts = array("q")
        self._lines = array("q")
        self._iterations = array("q")
        self._runs: dict[int, int] = {}  # line -> how many times it has run in this run
        # Per run of the code: the sequence number it began at, and its counts.
        self._run_starts = array("q")
        self._run_counts: list[dict[int, int]] = []
        self.thread: int | None = None
        self.stop_requested = False
        # Off only to measure what recording the forward order costs (benchmarks/forward_order.py).
        self.record_order = True

    def clear(self) -> None:
        self._starts = array("q")
        self._lines = array("q")
        self._iterations = array("q")
        self._runs = {}
        self._run_starts = array("q")
        self._run_counts = []

    def begin(self) -> None:
        """Prepare for a run in this thread (counters are per thread)."""
        self.stop_requested = False
        ident = threading.get_ident()
        if self.thread != ident:
            self.clear()
            self.thread = ident
        # Iterations count within one run of the code; a node kept from an earlier
        # run keeps the counts of its own run.
        self._runs = {}
        if len(self._run_counts) >= MAX_RUNS_KEPT:
            self._run_starts = self._run_starts[1:]
            self._run_counts = self._run_counts[1:]
        self._run_starts.append(_current_sequence_nr())
        self._run_counts.append(self._runs)

    def mark(self, line: int) -> None:
        """Note that nodes created from now on belong to ``line`` (one more run of it)."""
        if self.stop_requested:
            self.stop_requested = False
            raise KeyboardInterrupt
        iteration = 0
        if self.record_order:
            runs = self._runs
            iteration = runs[line] = runs.get(line, 0) + 1
        self._note(line, iteration)

    def _note(self, line: int, iteration: int) -> None:
        sequence_nr = _current_sequence_nr()
        if self._starts and self._starts[-1] == sequence_nr:
            # The previous statement created no node.
            self._lines[-1], self._iterations[-1] = line, iteration
            return
        if len(self._starts) >= MAX_ENTRIES:
            # Forget the oldest half: their nodes lose their line, memory stays bounded.
            half = MAX_ENTRIES // 2
            self._starts, self._lines = self._starts[half:], self._lines[half:]
            self._iterations = self._iterations[half:]
        self._starts.append(sequence_nr)
        self._lines.append(line)
        self._iterations.append(iteration)

    def mark_return(self) -> None:
        """Called as a user function returns: go back to the caller's line.

        The caller's line is still in the run it was in, so it is not counted again.
        """
        caller = sys._getframe(2)
        if is_cell_filename(caller.f_code.co_filename):
            line = caller.f_lineno
            self._note(line, self._runs.get(line, 0))

    def line_of(self, grad_fn: Any) -> int | None:
        """Return the line that created ``grad_fn``, or None if unknown."""
        try:
            sequence_nr = grad_fn._sequence_nr()
        except (AttributeError, RuntimeError):
            return None
        index = bisect_right(self._starts, sequence_nr) - 1
        return self._lines[index] if index >= 0 else None

    def line_run_of(self, grad_fn: Any) -> tuple[int, int, int] | None:
        """Return (line, iteration, iterations) of ``grad_fn``'s creation, None if unknown.

        ``iteration`` counts from 1 the runs of the line up to the one that made
        the node; ``iterations`` is how many times the line ran in all. Both are 0
        when iterations are not counted.
        """
        try:
            sequence_nr = grad_fn._sequence_nr()
        except (AttributeError, RuntimeError):
            return None
        return self.line_run_at(sequence_nr)

    def line_run_at(self, sequence_nr: int) -> tuple[int, int, int] | None:
        """Return ``line_run_of`` for the node of autograd sequence number ``sequence_nr``."""
        index = bisect_right(self._starts, sequence_nr) - 1
        if index < 0:
            return None
        line, iteration = self._lines[index], self._iterations[index]
        run = bisect_right(self._run_starts, sequence_nr) - 1
        counts = self._run_counts[run] if run >= 0 else self._runs
        return line, iteration, max(counts.get(line, 0), iteration)

    def __len__(self) -> int:
        return len(self._starts)
