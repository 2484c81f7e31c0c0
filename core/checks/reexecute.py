"""Run the user's code again in scratch namespaces, changing one tensor between statements.

A gradient check needs f(x + εeᵢ), so the code that computes f is run again,
never in the user's own namespace: each run gets a fresh namespace prepared by
a scratch Evaluator, the same seeds and no output. The code is split into its
top-level statements; right after the statement that gives a tensor the value
it ends with, a hook may change that tensor (nudge one element, make it
float64, swap in the input of torch.autograd.functional). The runs stop when a
time budget is spent or when ``cancel`` is called from another thread.
"""

from __future__ import annotations

import ast
import linecache
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from autograd_playground.core.checks.scratch_errors import ScratchError, ScratchStopped
from autograd_playground.core.checks.scratch_mode import ScratchMode
from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.run.capture import capture_output
from autograd_playground.core.run.cell_names import cell_filename
from autograd_playground.core.run.evaluator import Evaluator, describe_error
from autograd_playground.core.run.instrument import instrument
from autograd_playground.core.run.seeding import seed_everything

SCRATCH_FILENAME = cell_filename("scratch")
DEFAULT_BUDGET_S = 20.0
SEED = 0
_WATCH_S = 0.05
_REINTERRUPT_S = 0.5
_MISSING = object()


@dataclass(frozen=True)
class TensorRef:
    """A tensor as the graph names it: a variable ``x`` or a module parameter ``lin.weight``."""

    name: str

    @property
    def base(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def path(self) -> str:
        return self.name.partition(".")[2]

    def get(self, namespace: dict[str, Any]) -> torch.Tensor:
        """Return the tensor in ``namespace``; ScratchError when there is none."""
        value = namespace.get(self.base, _MISSING)
        if value is _MISSING:
            raise ScratchError(
                Message("`{base}` is not defined at the top level of your code.", base=self.base)
            )
        if self.path:
            if not isinstance(value, nn.Module):
                raise ScratchError(
                    Message(
                        "`{base}` is not an nn.Module, so `{name}` is unknown.",
                        base=self.base,
                        name=self.name,
                    )
                )
            try:
                value = value.get_parameter(self.path)
            except AttributeError:
                raise ScratchError(
                    Message("`{base}` has no parameter `{path}`.", base=self.base, path=self.path)
                ) from None
        if not isinstance(value, torch.Tensor):
            kind = type(value).__name__
            raise ScratchError(
                Message("`{name}` is a {kind}, not a tensor.", name=self.name, kind=kind)
            )
        return value

    def replace(self, namespace: dict[str, Any], tensor: torch.Tensor) -> None:
        """Make the code go on with ``tensor`` in place of this one."""
        if not self.path:
            namespace[self.base] = tensor
            return
        owner_path, _, attr = self.path.rpartition(".")
        module = namespace[self.base]
        owner = module.get_submodule(owner_path) if owner_path else module
        # A plain attribute, not a Parameter: the module then computes with ``tensor``
        # and gradients flow back to whoever made it.
        del owner._parameters[attr]
        setattr(owner, attr, tensor)

    def label(self, shape: tuple[int, ...], flat_index: int) -> str:
        """Return how element ``flat_index`` is written, e.g. ``lin.weight[0, 2]``."""
        if not shape:
            return self.name
        return f"{self.name}[{', '.join(map(str, unravel(flat_index, shape)))}]"


@dataclass
class Trace:
    """One unchanged run: its namespace and, per name, the statement that last rebound it."""

    namespace: dict[str, Any]
    bound_at: dict[str, int]


class ScratchRunner:
    """Runs ``code`` again and again in scratch namespaces; use it as a context manager.

    Inside the ``with`` block, the random generators, grad mode and default dtype
    of the calling thread are saved and restored at the end, and a watchdog
    enforces the time budget.
    """

    def __init__(self, code: str, device: str = "cpu", budget_s: float = DEFAULT_BUDGET_S) -> None:
        self.budget_s = budget_s
        self._evaluator = Evaluator(device=device)
        # English and Chinese; one tuple, so another thread sets both at once.
        self._stop_reason: Message | None = None
        self._finished = threading.Event()
        self._deadline = 0.0
        try:
            tree = ast.parse(code, SCRATCH_FILENAME, "exec")
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise ScratchError(Message("Your code does not parse: {exc}", exc=exc), line) from None
        self.statements: list[ast.stmt] = list(tree.body)
        if not self.statements:
            raise ScratchError(Message("The editor is empty: there is no code to run again."))
        linecache.cache[SCRATCH_FILENAME] = (
            len(code),
            None,
            code.splitlines(keepends=True),
            SCRATCH_FILENAME,
        )
        self._codes = [
            compile(
                instrument(ast.Module(body=[statement], type_ignores=[])), SCRATCH_FILENAME, "exec"
            )
            for statement in self.statements
        ]
        self._saved: list[Any] = []

    # -- stopping -------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the runs soon; safe from any thread."""
        if self._stop_reason is None:
            self._stop_reason = Message("Stopped.")

    def check_stop(self) -> None:
        """Raise ScratchStopped if the budget is spent or Stop was pressed."""
        if self._stop_reason is None and self._deadline and time.monotonic() >= self._deadline:
            self._stop_reason = self._out_of_time()
        if self._stop_reason is not None:
            raise ScratchStopped(self._stop_reason)

    def _out_of_time(self) -> Message:
        return Message("Stopped: the {budget_s:g} s time budget ran out.", budget_s=self.budget_s)

    def _watch(self) -> None:
        """Interrupt a statement that runs past the budget (an endless loop, say)."""
        last_sent = 0.0
        while not self._finished.wait(_WATCH_S):
            now = time.monotonic()
            if self._stop_reason is None and now >= self._deadline:
                self._stop_reason = self._out_of_time()
            if self._stop_reason is not None and now - last_sent >= _REINTERRUPT_S:
                last_sent = now
                self._evaluator.interrupt()

    def __enter__(self) -> ScratchRunner:
        self._evaluator.ensure_ready()
        devices = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
        rng = torch.random.fork_rng(devices=devices)
        rng.__enter__()
        self._saved = [rng, torch.is_grad_enabled(), torch.get_default_dtype(), _other_rngs()]
        self._deadline = time.monotonic() + self.budget_s
        self._finished.clear()
        threading.Thread(target=self._watch, name="scratch-watchdog", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finished.set()
        rng, grad_enabled, default_dtype, others = self._saved
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        _restore_other_rngs(others)
        rng.__exit__(None, None, None)

    # -- running --------------------------------------------------------------
    def line_of(self, index: int) -> int:
        """Return the first line of top-level statement ``index``."""
        return self.statements[index].lineno

    def _fresh(self) -> dict[str, Any]:
        self.check_stop()
        self._evaluator.reset()
        seed_everything(SEED)
        torch.set_grad_enabled(self._saved[1])
        torch.set_default_dtype(self._saved[2])
        return self._evaluator.namespace

    def _execute(self, code: Any, dtype: torch.dtype | None) -> None:
        self.check_stop()
        try:
            with capture_output(0), ScratchMode(dtype):
                self._evaluator.execute(code)
        except KeyboardInterrupt:
            self.check_stop()
            raise ScratchError(
                Message("Your code raised KeyboardInterrupt in the scratch run.")
            ) from None
        except BaseException as exc:
            self.check_stop()
            info = describe_error(exc)
            if info.line is not None:
                raise ScratchError(
                    Message(
                        "Your code failed when run again in a scratch namespace, at "
                        "line {line}: {message}",
                        line=info.line,
                        message=info.message,
                    ),
                    info.line,
                    info.text,
                ) from None
            raise ScratchError(
                Message(
                    "Your code failed when run again in a scratch namespace, at {message}",
                    message=info.message,
                ),
                info.line,
                info.text,
            ) from None

    def trace(self, names: Iterable[str]) -> Trace:
        """Run the code unchanged, noting which statement last rebinds each name's base."""
        bases = {TensorRef(name).base for name in names}
        namespace = self._fresh()
        last: dict[str, Any] = dict.fromkeys(bases, _MISSING)
        bound_at: dict[str, int] = {}
        for index, code in enumerate(self._codes):
            self._execute(code, None)
            for base in bases:
                value = namespace.get(base, _MISSING)
                if value is not last[base]:
                    last[base] = value
                    bound_at[base] = index
        for base in bases:
            if last[base] is _MISSING:
                bound_at.pop(base, None)
        return Trace(namespace, bound_at)

    def run(
        self,
        at: int,
        change: Callable[[dict[str, Any]], None] | None = None,
        dtype: torch.dtype | None = None,
    ) -> dict[str, Any]:
        """Run the code in a fresh namespace, calling ``change`` after statement ``at``."""
        namespace = self._fresh()
        for index, code in enumerate(self._codes):
            self._execute(code, dtype)
            if index == at and change is not None:
                change(namespace)
        return namespace

    def change_point(self, trace: Trace, root: TensorRef, leaf: TensorRef) -> int:
        """Return the statement after which ``leaf`` can be changed so that ``root`` sees it."""
        for ref in (root, leaf):
            if ref.base not in trace.bound_at:
                raise ScratchError(
                    Message(
                        "`{base}` is not defined at the top level of your code after it runs.",
                        base=ref.base,
                    )
                )
        leaf_at, root_at = trace.bound_at[leaf.base], trace.bound_at[root.base]
        if root_at < leaf_at:
            raise ScratchError(
                Message(
                    "`{root_name}` is computed at line {line_of_root_at}, before "
                    "`{base}` gets its final value at line {line_of_leaf_at}: "
                    "changing `{leaf_name}` cannot change `{root_name}`.",
                    root_name=root.name,
                    line_of_root_at=self.line_of(root_at),
                    base=leaf.base,
                    line_of_leaf_at=self.line_of(leaf_at),
                    leaf_name=leaf.name,
                ),
                self.line_of(root_at),
            )
        if root_at == leaf_at:
            raise ScratchError(
                Message(
                    "`{base}` and `{root_name}` both get their values in the "
                    "statement at line {line_of_leaf_at}. The check changes "
                    "`{leaf_name}` between top-level statements: set `{base}` in "
                    "a statement before the one computing `{root_name}`.",
                    base=leaf.base,
                    root_name=root.name,
                    line_of_leaf_at=self.line_of(leaf_at),
                    leaf_name=leaf.name,
                ),
                self.line_of(leaf_at),
            )
        return leaf_at


def unravel(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return the index in a tensor of ``shape`` of its element number ``flat_index``."""
    index = []
    for size in reversed(shape):
        index.append(flat_index % size)
        flat_index //= size
    return tuple(reversed(index))


def set_dtype(ref: TensorRef, namespace: dict[str, Any], dtype: torch.dtype) -> torch.Tensor:
    """Give the tensor ``ref`` names the dtype ``dtype`` in place; return it."""
    tensor = ref.get(namespace)
    if tensor.dtype == dtype:
        return tensor
    if tensor.is_leaf:
        tensor.data = tensor.data.to(dtype)  # same object: lists and modules holding it follow
        return tensor
    converted = tensor.detach().to(dtype).requires_grad_(tensor.requires_grad)
    ref.replace(namespace, converted)
    return converted


def _other_rngs() -> tuple[Any, Any]:
    import random

    import numpy as np

    return random.getstate(), np.random.get_state()


def _restore_other_rngs(states: tuple[Any, Any]) -> None:
    import random

    import numpy as np

    random.setstate(states[0])
    np.random.set_state(states[1])
