"""Record the backward() calls the user's own code makes while the evaluator runs it.

Most lessons call ``y.backward()`` themselves, which frees the graph's saved
tensors, so the pass cannot be replayed afterwards. While a cell runs,
``torch.Tensor.backward`` and ``torch.autograd.backward`` are wrapped: in the
running thread, hooks go onto the graph just before the real call (see
core.teach.backward.trace). Only the last recorded call of each line is kept, so a
training loop that calls backward thousands of times keeps one trace, and a
loop's calls are recorded only while recording costs at most RECORDING_SHARE of
the time since the line's first call (past a small allowance): a recorded pass
takes several times as long as a plain one, and a loop must not slow down
fourfold because it might be stepped.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.run.cell_names import is_cell_filename
from autograd_playground.core.teach.backward.step_keys import step_key
from autograd_playground.core.teach.backward.trace import (
    BackwardTrace,
    GraphTooLarge,
    StepRecorder,
    names_by_grad_fn,
    names_by_id,
)

MAX_TRACES = 8
RECORDING_SHARE = 0.05
# Below this much recording on a line, every call is recorded: a short loop's last
# pass is the one worth stepping through, and costs nobody anything noticeable.
RECORDING_FREE_S = 0.02
_get_ident = threading.get_ident


@dataclass
class _Pending:
    """A recorded call whose values are summarized when the run ends."""

    recorder: StepRecorder
    root_name: str | None
    root_key: Any
    line: int | None
    run_id: int
    call_number: int  # which call of its line this was, counting from 1
    calls: int = 0  # how many calls its line made in the run, known at the end


@dataclass
class _LineCalls:
    """How often a line called backward in this run, and what recording them cost."""

    first_call: float
    calls: int = 0
    recording_s: float = 0.0


class BackwardRecorder:
    """Keeps the last ``MAX_TRACES`` backward passes of the user's code, one per line and root.

    ``begin`` and ``end`` bracket a run in the calling thread; calls from other
    threads (the training lab's) pass straight through to torch.
    """

    def __init__(
        self,
        names: Callable[[], Mapping[str, Any]],
        line_of: Callable[[Any], int | None] | None = None,
        max_nodes: int | None = None,
    ) -> None:
        self._names = names
        self._line_of = line_of
        self.max_nodes = max_nodes
        self._traces: OrderedDict[tuple, BackwardTrace] = OrderedDict()
        self._pending: OrderedDict[tuple, _Pending] = OrderedDict()
        self._thread: int | None = None
        self._active = False
        self._depth = 0
        self._run_id = 0
        self._too_big: set[int | None] = set()
        self._line_calls: dict[int | None, _LineCalls] = {}
        self._originals: tuple[Any, Any] | None = None
        self._wrappers: tuple[Any, Any] | None = None

    # -- the run ------------------------------------------------------------
    def begin(self, run_id: int = 0) -> None:
        """Start recording the calling thread's backward calls."""
        self._thread = _get_ident()
        self._run_id = run_id
        self._depth = 0
        self._too_big = set()
        self._line_calls = {}
        self._active = True
        if self._originals is None:
            self._install()

    def end(self) -> None:
        """Stop recording, restore torch's functions and summarize this run's passes."""
        self._active = False
        self._uninstall()
        pending, self._pending = self._pending, OrderedDict()
        if not pending:
            return
        namespace = self._names()
        names, fn_names = names_by_id(namespace), names_by_grad_fn(namespace)
        for key, call in pending.items():
            call.calls = self._line_calls[call.line].calls
            trace = BackwardTrace(
                root=call.root_name or f"backward() on line {call.line}",
                source="recorded",
                steps=call.recorder.finish(names, fn_names),
                root_key=call.root_key,
                root_name=call.root_name,
                line=call.line,
                note=_recorded_note(call),
                run_id=call.run_id,
            )
            self._traces.pop(key, None)
            self._traces[key] = trace
        while len(self._traces) > MAX_TRACES:
            self._traces.popitem(last=False)

    def traces(self) -> list[BackwardTrace]:
        """Return the kept traces, oldest first."""
        return list(self._traces.values())

    def clear(self) -> None:
        """Forget every trace (the namespace was reset)."""
        self._traces.clear()
        self._pending.clear()

    # -- wrapping torch --------------------------------------------------------
    def _install(self) -> None:
        tensor_backward = torch.Tensor.backward
        autograd_backward = torch.autograd.backward

        def backward(self_tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
            if not self._active or _get_ident() != self._thread or self._depth:
                return tensor_backward(self_tensor, *args, **kwargs)
            return self._record([self_tensor], tensor_backward, (self_tensor, *args), kwargs)

        def autograd_backward_wrapper(*args: Any, **kwargs: Any) -> Any:
            if not self._active or _get_ident() != self._thread or self._depth:
                return autograd_backward(*args, **kwargs)
            tensors = args[0] if args else kwargs.get("tensors")
            roots = [tensors] if isinstance(tensors, torch.Tensor) else list(tensors or ())
            return self._record(roots, autograd_backward, args, kwargs)

        backward.__doc__ = tensor_backward.__doc__
        autograd_backward_wrapper.__doc__ = autograd_backward.__doc__
        self._originals = (tensor_backward, autograd_backward)
        self._wrappers = (backward, autograd_backward_wrapper)
        torch.Tensor.backward = backward
        torch.autograd.backward = autograd_backward_wrapper

    def _uninstall(self) -> None:
        if self._originals is None or self._wrappers is None:
            return
        tensor_backward, autograd_backward = self._originals
        wrapper, autograd_wrapper = self._wrappers
        # Restored only if still ours: a recorder of another evaluator that wrapped
        # them after this one restores its own; ours then just pass calls through.
        if torch.Tensor.backward is wrapper:
            torch.Tensor.backward = tensor_backward
        if torch.autograd.backward is autograd_wrapper:
            torch.autograd.backward = autograd_backward
        self._originals = self._wrappers = None

    def _record(self, roots: list[Any], call: Callable, args: Any, kwargs: Any) -> Any:
        # Tensor.backward calls torch.autograd.backward: one user call, counted once.
        self._depth += 1
        try:
            return self._maybe_record(roots, call, args, kwargs)
        finally:
            self._depth -= 1

    def _maybe_record(self, roots: list[Any], call: Callable, args: Any, kwargs: Any) -> Any:
        line = _user_line()
        root_fns = [_root_fn(root) for root in roots]
        root_fns = [fn for fn in root_fns if fn is not None]
        if not root_fns or line in self._too_big:
            return call(*args, **kwargs)
        started = time.perf_counter()
        calls = self._line_calls.get(line)
        if calls is None:
            calls = self._line_calls[line] = _LineCalls(first_call=started)
        calls.calls += 1
        allowed = max(RECORDING_FREE_S, RECORDING_SHARE * (started - calls.first_call))
        if calls.calls > 1 and calls.recording_s > allowed:
            return call(*args, **kwargs)
        try:
            result = self._record_call(roots, root_fns, line, calls.calls, call, args, kwargs)
        finally:
            # The whole recorded call counts, its plain backward too: it errs on the
            # side of recording less often.
            calls.recording_s += time.perf_counter() - started
        return result

    def _record_call(
        self,
        roots: list[Any],
        root_fns: list[Any],
        line: int | None,
        call_number: int,
        call: Callable,
        args: Any,
        kwargs: Any,
    ) -> Any:
        try:
            limit = {} if self.max_nodes is None else {"limit": self.max_nodes}
            recorder = StepRecorder(root_fns, self._line_of, **limit)
        except GraphTooLarge:
            self._too_big.add(line)  # the next calls of a loop skip the walk too
            return call(*args, **kwargs)
        root_name = _name_of(roots[0], self._names()) if len(roots) == 1 else None
        with recorder:
            result = call(*args, **kwargs)
        key = (line, root_name)
        self._pending.pop(key, None)  # a loop's earlier call on this line is dropped
        root_key = step_key(root_fns[0])
        self._pending[key] = _Pending(
            recorder, root_name, root_key, line, self._run_id, call_number
        )
        while len(self._pending) > MAX_TRACES:
            self._pending.popitem(last=False)
        return result


def _root_fn(root: Any) -> Any:
    if isinstance(root, torch.Tensor):
        return root.grad_fn
    return getattr(root, "node", None)  # a GradientEdge


def _name_of(root: Any, names: Mapping[str, Any]) -> str | None:
    for name, value in names.items():
        if value is root:
            return name
    return None


def _user_line() -> int | None:
    """Return the line of the innermost frame of the user's code, or None."""
    frame = sys._getframe(2)
    while frame is not None:
        if is_cell_filename(frame.f_code.co_filename):
            return frame.f_lineno
        frame = frame.f_back
    return None


def _recorded_note(call: _Pending) -> Message:
    what = f"{call.root_name}.backward()" if call.root_name else "backward()"
    if call.line is not None:
        note = Message("recorded from your {what} on line {line}", what=what, line=call.line)
    else:
        note = Message("recorded from your {what}", what=what)
    if call.calls <= 1:
        return note
    if call.call_number == call.calls:
        return Message("{note} (the last of its {calls} calls)", note=note, calls=call.calls)
    return Message(
        "{note} (call {number} of {calls})", note=note, number=call.call_number, calls=call.calls
    )
