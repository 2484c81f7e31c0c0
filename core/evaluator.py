"""Run user code as a notebook cell in a persistent namespace, in any thread."""

from __future__ import annotations

import ast
import builtins
import ctypes
import linecache
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

from core.capture import DEFAULT_OUTPUT_LIMIT, capture_output

CELL_PREFIX = "<cell-"  # kept equal to core.source_lines.CELL_PREFIX; that module imports torch
_KEPT_CELL_SOURCES = 200
INTERRUPT_FALLBACK_S = 0.4


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong in a run, in the user's terms."""

    kind: str
    message: str
    line: int | None
    text: str
    interrupted: bool = False

    @property
    def headline(self) -> str:
        """Return one line naming the user's line and the error."""
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class RunResult:
    """The outcome of running one piece of code."""

    run_id: int
    stdout: str
    stderr: str
    display: str | None
    error: ErrorInfo | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


def _no_input(prompt: str = "") -> str:
    raise RuntimeError(
        "input() is not available here: the playground has no keyboard input. "
        "Assign the value in your code instead."
    )


class Evaluator:
    """A persistent namespace preloaded with torch, nn, F, np and ``device``.

    ``run`` may be called from any thread; ``interrupt`` from any other thread
    stops a run that is executing Python code (a runaway loop) within moments.
    """

    def __init__(self, device: str = "cpu", output_limit: int = DEFAULT_OUTPUT_LIMIT) -> None:
        self.output_limit = output_limit
        self._device = device
        self._run_counter = 0
        self._lock = threading.Lock()
        self._running_thread: int | None = None
        self._interrupt_sent = False
        self.namespace: dict[str, Any] = {}
        self._preloaded: dict[str, Any] = {}
        self.line_table: Any = None  # a LineTable, made with the namespace (it needs torch)
        self.module_calls: Any = None  # a ModuleCallTable, made likewise

    # -- namespace --------------------------------------------------------
    def _fresh_namespace(self) -> dict[str, Any]:
        import numpy as np
        import torch
        import torch.nn.functional as F
        from torch import nn

        from core.instrument import MARK, MARK_RETURN
        from core.module_calls import ModuleCallTable
        from core.source_lines import LineTable

        if self.line_table is None:
            self.line_table = LineTable()
        self.line_table.clear()
        if self.module_calls is None:
            self.module_calls = ModuleCallTable()
        self.module_calls.clear()

        safe_builtins = dict(vars(builtins))
        safe_builtins["input"] = _no_input
        safe_builtins[MARK] = self.line_table.mark
        safe_builtins[MARK_RETURN] = self.line_table.mark_return
        namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": safe_builtins,
            "torch": torch,
            "nn": nn,
            "F": F,
            "np": np,
            "device": torch.device(self._device),
        }
        self._preloaded = dict(namespace)
        return namespace

    def ensure_ready(self) -> None:
        """Import torch and build the namespace, if not done yet (slow the first time)."""
        if not self.namespace:
            self.namespace = self._fresh_namespace()

    def reset(self) -> None:
        """Forget everything the user defined."""
        self.namespace = self._fresh_namespace()

    def user_names(self) -> dict[str, Any]:
        """Return the user's own variables: the namespace less the preloaded names."""
        return {
            name: value
            for name, value in self.namespace.items()
            if not name.startswith("__")
            and not (name in self._preloaded and self._preloaded[name] is value)
        }

    @property
    def device(self) -> str:
        return self._device

    def set_device(self, device: str) -> None:
        """Make ``device`` in the namespace point at ``device`` (e.g. 'cuda:0')."""
        self._device = device
        if self.namespace:
            import torch

            self.namespace["device"] = torch.device(device)
            self._preloaded["device"] = self.namespace["device"]

    # -- running ----------------------------------------------------------
    def run(self, code: str) -> RunResult:
        """Execute ``code``; show the value of a last bare expression like a notebook."""
        self.ensure_ready()
        self._run_counter += 1
        run_id = self._run_counter
        filename = f"{CELL_PREFIX}{run_id}>"
        self._remember_source(filename, code)
        display: str | None = None
        error: ErrorInfo | None = None
        started = time.perf_counter()
        with capture_output(self.output_limit) as (out, err):
            try:
                body, last_expr = _split_last_expression(code, filename)
                value = self._execute(body, last_expr)
                if value is not None:
                    display = _capped_repr(value, self.output_limit)
            except SyntaxError as exc:
                error = _syntax_error_info(exc)
            except BaseException as exc:
                error = _runtime_error_info(exc)
        return RunResult(
            run_id=run_id,
            stdout=out.getvalue(),
            stderr=err.getvalue(),
            display=display,
            error=error,
            seconds=time.perf_counter() - started,
        )

    def _execute(self, body: Any, last_expr: Any) -> Any:
        namespace = self.namespace
        with self._lock:
            self._running_thread = threading.get_ident()
            self._interrupt_sent = False
            self.line_table.begin()
            self.module_calls.begin()
        try:
            exec(body, namespace)
            value = eval(last_expr, namespace) if last_expr is not None else None
        finally:
            try:
                with self._lock:
                    self._running_thread = None
                    sent = self._interrupt_sent
                if sent:
                    _absorb_pending_interrupt()
            finally:
                # After the interrupt is absorbed: one landing inside end() would
                # leave the global module hooks installed.
                self.module_calls.end()
        return value

    @property
    def is_running(self) -> bool:
        return self._running_thread is not None

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt in the running code; return False if nothing runs.

        The user's own statements notice the request at once (each one first
        calls the line table's ``mark``, which raises it). Code that runs none of
        the user's statements, a long loop inside a library, gets an asynchronous
        exception if it has not stopped a moment later.
        """
        with self._lock:
            if self._running_thread is None:
                return False
            run_id = self._run_counter
            if self.line_table is not None:
                self.line_table.stop_requested = True
        fallback = threading.Timer(INTERRUPT_FALLBACK_S, self._force_interrupt, args=(run_id,))
        fallback.daemon = True
        fallback.start()
        return True

    def _force_interrupt(self, run_id: int) -> None:
        with self._lock:
            ident = self._running_thread
            if ident is None or run_id != self._run_counter:
                return
            self._interrupt_sent = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(ident), ctypes.py_object(KeyboardInterrupt)
            )

    def _remember_source(self, filename: str, code: str) -> None:
        linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
        stale = f"{CELL_PREFIX}{self._run_counter - _KEPT_CELL_SOURCES}>"
        linecache.cache.pop(stale, None)


def _absorb_pending_interrupt() -> None:
    """Let an asynchronous KeyboardInterrupt sent as the code finished fire here, harmlessly.

    Cancelling it with PyThreadState_SetAsyncExc(id, NULL) is not an option: on
    CPython 3.11 that leaves the interpreter's eval breaker set for good, which
    makes traced code spin.
    """
    try:
        for _ in range(1000):  # loop back-edges are where a pending exception is raised
            pass
    except KeyboardInterrupt:
        pass


def _split_last_expression(code: str, filename: str) -> tuple[Any, Any]:
    from core.instrument import instrument

    tree = instrument(ast.parse(code, filename, "exec"))
    last_expr = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        # The expression's own mark stays in the body; its value is evaluated apart.
        last = tree.body.pop()
        last_expr = compile(ast.Expression(last.value), filename, "eval")
    return compile(tree, filename, "exec"), last_expr


def _capped_repr(value: Any, limit: int) -> str:
    text = repr(value)
    if len(text) > limit:
        text = text[:limit] + f"\n… {len(text) - limit:,} more characters not shown"
    return text


def _syntax_error_info(exc: SyntaxError) -> ErrorInfo:
    lines = traceback.format_exception_only(type(exc), exc)
    text = "".join(lines)
    if exc.filename and exc.filename.startswith(CELL_PREFIX):
        text = text.replace(f'File "{exc.filename}", ', "")
    return ErrorInfo(
        kind=type(exc).__name__,
        message=f"{type(exc).__name__}: {exc.msg}",
        line=exc.lineno,
        text=text.strip("\n"),
    )


def describe_error(exc: BaseException) -> ErrorInfo:
    """Return ``exc`` in the user's terms: the last line of their code it passed, and Python's
    own last lines, without frames from the app or the libraries."""
    if isinstance(exc, SyntaxError):
        return _syntax_error_info(exc)
    return _runtime_error_info(exc)


def _runtime_error_info(exc: BaseException) -> ErrorInfo:
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(CELL_PREFIX)
    ]
    line = frames[-1].lineno if frames else None
    interrupted = isinstance(exc, KeyboardInterrupt)
    if interrupted:
        message = "Interrupted" + (f" at line {line}" if line is not None else "")
        return ErrorInfo("KeyboardInterrupt", message, line, message, interrupted=True)
    body = [
        f"  line {frame.lineno}, in {frame.name}\n"
        + (f"    {frame.line.strip()}\n" if frame.line else "")
        for frame in frames
    ]
    last = "".join(traceback.format_exception_only(type(exc), exc)).strip("\n")
    if isinstance(exc, SystemExit):
        last = f"SystemExit: {exc.code!r} (the playground keeps running)"
    text = "Traceback (most recent call last):\n" + "".join(body) + last if body else last
    return ErrorInfo(
        kind=type(exc).__name__,
        message=last.splitlines()[-1] if last else type(exc).__name__,
        line=line,
        text=text,
    )
