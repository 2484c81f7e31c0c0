"""Remember which nn.Module call created each autograd node.

While the evaluator runs user code, global forward hooks note autograd's
per-thread sequence counter (see core.run.source_lines) as each module's forward
starts and ends. A node created during a call has a sequence number in that
call's range; calls nest, so the innermost call containing a number is the
module that made the node, and its parents are the modules around it.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import torch
from torch.nn.modules import module as module_hooks

MAX_CALLS = 50_000
_OPEN = -1  # the end of a call whose post-hook has not run yet
_NO_PARENT = -1
_current_sequence_nr = torch._C._autograd._get_sequence_nr
_get_ident = threading.get_ident


@dataclass(frozen=True)
class CallRecord:
    """One recorded forward call; ``module`` is None once the module is gone."""

    index: int
    module: torch.nn.Module | None
    class_name: str
    parent: int | None
    output_shape: tuple[int, ...] | None


class ModuleCallTable:
    """Forward calls of nn.Modules made by one thread during runs, with their node ranges.

    Call indexes only grow: when the table is full the oldest half is forgotten,
    and an index below ``first_index`` then names no call.
    """

    def __init__(self) -> None:
        self.thread: int | None = None
        self._handles: list[Any] = []
        self._starts = array("q")
        self._ends = array("q")
        self._parents = array("q")
        self._modules: list[weakref.ref] = []
        self._classes: list[type] = []
        self._shapes: list[torch.Size | None] = []
        self._open_indexes: list[int] = []
        self._open_modules: list[torch.nn.Module] = []
        self.first_index = 0

    def _columns(self) -> tuple[Any, ...]:
        return (
            self._starts,
            self._ends,
            self._parents,
            self._modules,
            self._classes,
            self._shapes,
        )

    def clear(self) -> None:
        # In place, like every change to the columns: installed hooks hold them.
        for column in (*self._columns(), self._open_indexes, self._open_modules):
            del column[:]
        self.first_index = 0

    # -- recording --------------------------------------------------------
    def begin(self) -> None:
        """Start recording the calling thread's module calls (counters are per thread)."""
        self._remove_hooks()  # a run whose end() was skipped must not leave a second pair
        ident = _get_ident()
        if self.thread != ident:
            self.clear()
            self.thread = ident
        self._close_open_calls()
        before, after = self._make_hooks(ident)
        self._handles = [
            module_hooks.register_module_forward_pre_hook(before),
            # always_call: a call that raises an Exception still ends, before
            # the call that catches it starts the next one.
            module_hooks.register_module_forward_hook(after, always_call=True),
        ]

    def end(self) -> None:
        """Stop recording; calls left open by an exception end here."""
        self._remove_hooks()
        self._close_open_calls()

    def _remove_hooks(self) -> None:
        handles, self._handles = self._handles, []
        for handle in handles:
            handle.remove()

    def _make_hooks(self, thread: int) -> tuple[Any, Any]:
        """Return the pre- and post-hook, with the table's columns bound to locals.

        While they are installed every module call in the process runs them, a
        training thread's too, so the thread test comes first and all of it stays
        cheap: local names only, and columns only ever changed in place.
        """
        starts, ends, parents = self._starts, self._ends, self._parents
        modules, classes, shapes = self._modules, self._classes, self._shapes
        open_indexes, open_modules = self._open_indexes, self._open_modules
        get_ident, sequence_nr, ref = _get_ident, _current_sequence_nr, weakref.ref
        Tensor = torch.Tensor

        def before_forward(module: torch.nn.Module, _args: Any) -> None:
            if get_ident() != thread:
                return
            if len(starts) >= MAX_CALLS:
                self._forget_oldest_half()
            parents.append(open_indexes[-1] if open_indexes else _NO_PARENT)
            open_indexes.append(self.first_index + len(starts))
            open_modules.append(module)
            starts.append(sequence_nr())
            ends.append(_OPEN)
            modules.append(ref(module))
            classes.append(type(module))
            shapes.append(None)

        def after_forward(module: torch.nn.Module, _args: Any, output: Any) -> None:
            if get_ident() != thread or not open_modules:
                return
            if open_modules[-1] is not module:
                # Calls inside this one ended by a BaseException, which skips post-hooks.
                position = _last_position(open_modules, module)
                if position is None:
                    return
                self._close_open_calls(keep=position + 1)
            open_modules.pop()
            position = open_indexes.pop() - self.first_index
            if position >= 0:  # else forgotten while it ran
                ends[position] = sequence_nr()
                try:  # inline for the common case: a call here costs as much as the read
                    shape = output.shape if type(output) is Tensor else _shape_of(output)
                except RuntimeError:  # a nested tensor has no single shape
                    shape = None
                shapes[position] = shape

        return before_forward, after_forward

    def _close_open_calls(self, keep: int = 0) -> None:
        now = _current_sequence_nr()
        while len(self._open_indexes) > keep:
            self._open_modules.pop()
            position = self._open_indexes.pop() - self.first_index
            if position >= 0:
                self._ends[position] = now

    def _forget_oldest_half(self) -> None:
        half = len(self._starts) // 2
        for column in self._columns():
            del column[:half]
        self.first_index += half

    # -- reading ----------------------------------------------------------
    def call_of(self, grad_fn: Any) -> int | None:
        """Return the index of the innermost call that created ``grad_fn``, or None."""
        try:
            sequence_nr = grad_fn._sequence_nr()
        except (AttributeError, RuntimeError):
            return None
        return self.call_at(sequence_nr)

    def call_at(self, sequence_nr: int) -> int | None:
        """Return the index of the innermost call whose range holds ``sequence_nr``."""
        # Calls nest and are stored in start order, so every call holding the
        # number is the last call started at or before it, or one of its parents.
        position = bisect_right(self._starts, sequence_nr) - 1
        while position >= 0:
            end = self._ends[position]
            if end == _OPEN or sequence_nr < end:
                return position + self.first_index
            position = self._parents[position] - self.first_index
        return None

    def record(self, index: int) -> CallRecord | None:
        """Return what is known of call ``index``, or None if it is forgotten."""
        position = index - self.first_index
        if not 0 <= position < len(self._starts):
            return None
        parent = self._parents[position]
        return CallRecord(
            index=index,
            module=self._modules[position](),
            class_name=self._classes[position].__name__,
            parent=parent if parent >= self.first_index else None,
            output_shape=tuple(shape) if (shape := self._shapes[position]) is not None else None,
        )

    def __len__(self) -> int:
        return len(self._starts)


def _last_position(items: list[Any], wanted: Any) -> int | None:
    for position in range(len(items) - 1, -1, -1):
        if items[position] is wanted:
            return position
    return None


def _shape_of(output: Any) -> torch.Size | None:
    """Return the shape of the first tensor a module returned in a tuple, or of another tensor."""
    if isinstance(output, (tuple, list)) and output:
        output = output[0]
    return output.shape if isinstance(output, torch.Tensor) else None
