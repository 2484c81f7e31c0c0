"""Run user code as a notebook cell in a persistent namespace, in any thread."""

from __future__ import annotations

import ast
import builtins
import ctypes
import linecache
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd_playground.core.run.capture import DEFAULT_OUTPUT_LIMIT, capture_output, clip_lines
from autograd_playground.core.run.cell_names import cell_filename, is_cell_filename
from autograd_playground.core.run.error_explanation import ErrorExplanation
from autograd_playground.core.run.process_guard import ExitRefused, install_exit_guards

if TYPE_CHECKING:
    from autograd_playground.core.run.run_recorder import RecorderFactory, RunRecorder

_KEPT_CELL_SOURCES = 200
INTERRUPT_FALLBACK_S = 0.4
# Errors are shown in the output pane and their headline in the status bar: a pasted
# 100,000-number line or a KeyError of a huge key must not put megabytes there.
MAX_SHOWN_LINE = 200
MAX_ERROR_CHARS = 1000
MAX_ERROR_TEXT = 4000
# Like Python's own tracebacks: a runaway recursion shows a few frames, not a thousand;
# a mutual one (f calls g calls f) shows its two ends.
_REPEATS_SHOWN = 3
_END_FRAMES_SHOWN = 10


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong in a run, in the user's terms."""

    kind: str
    message: str
    line: int | None
    text: str
    interrupted: bool = False
    # Why it happened in the learner's terms, for the errors the playground knows.
    explanation: ErrorExplanation | None = None

    @property
    def headline(self) -> str:
        """Return one line naming the user's line and the error."""
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"

    def explained_headline(self, language: str | None = None) -> str:
        """Return one line naming the line and why it failed, if known; else ``headline``."""
        if self.explanation is None:
            return self.headline
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.explanation.summary(language)}"


@dataclass(frozen=True)
class RunResult:
    """The outcome of running one piece of code."""

    run_id: int  # the runs are numbered from 1; a reset, which runs nothing, is 0
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
    ``make_recorder``, if given, makes a recorder with the namespace that watches every
    run (the playground's records the user's backward calls).
    """

    def __init__(
        self,
        device: str = "cpu",
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
        make_recorder: RecorderFactory | None = None,
    ) -> None:
        self.output_limit = output_limit
        self._device = device
        self._run_counter = 0
        self._lock = threading.Lock()
        self._running_thread: int | None = None
        self._interrupt_sent = False
        self.namespace: dict[str, Any] = {}
        self._preloaded: dict[str, Any] = {}
        self._builtins: dict[str, Any] = {}
        self._builtins_as_made: dict[str, Any] = {}
        self.line_table: Any = None  # a LineTable, made with the namespace (it needs torch)
        self.module_calls: Any = None  # a ModuleCallTable, made likewise
        self._make_recorder = make_recorder
        self.recorder: RunRecorder | None = None  # made likewise, by make_recorder

    # -- namespace --------------------------------------------------------
    def _fresh_namespace(self) -> dict[str, Any]:
        import numpy as np
        import torch
        import torch.nn.functional as F
        from torch import nn

        from autograd_playground.core.run import cell_warnings
        from autograd_playground.core.run.instrument import MARK, MARK_RETURN
        from autograd_playground.core.run.module_calls import ModuleCallTable
        from autograd_playground.core.run.source_lines import LineTable

        if self.line_table is None:
            self.line_table = LineTable()
        self.line_table.clear()
        cell_warnings.install()
        install_exit_guards()
        if self.module_calls is None:
            self.module_calls = ModuleCallTable()
        self.module_calls.clear()
        if self.recorder is None and self._make_recorder is not None:
            self.recorder = self._make_recorder(self._weak_user_names(), self.line_table.line_of)
        if self.recorder is not None:
            self.recorder.clear()

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
        self._builtins = safe_builtins
        self._builtins_as_made = dict(safe_builtins)
        return namespace

    def _weak_user_names(self) -> Callable[[], dict[str, Any]]:
        """Return ``user_names`` as a function that holds this evaluator weakly.

        A bound method would close a cycle through this evaluator, and a dropped
        evaluator's namespace (the user's models) would wait for a full garbage
        collection to be freed.
        """
        evaluator = weakref.ref(self)

        def user_names() -> dict[str, Any]:
            alive = evaluator()
            return alive.user_names() if alive is not None else {}

        return user_names

    def _restore_builtins(self) -> None:
        """Undo a ``del __builtins__`` or an edit of it before each run.

        The line marks live in the builtins: without them every later run, even
        ``1 + 1``, would fail with a NameError about ``__playground_mark__``.
        """
        self.namespace["__builtins__"] = self._builtins
        for name in self._builtins.keys() - self._builtins_as_made.keys():
            del self._builtins[name]
        self._builtins.update(self._builtins_as_made)

    def ensure_ready(self) -> None:
        """Import torch and build the namespace, if not done yet (slow the first time)."""
        if not self.namespace:
            self.namespace = self._fresh_namespace()

    def reset(self) -> None:
        """Forget everything the user defined."""
        self.namespace = self._fresh_namespace()

    def reset_result(self) -> RunResult:
        """Return the result of a reset: nothing ran, so no run number is used up."""
        return RunResult(run_id=0, stdout="", stderr="", display=None, error=None, seconds=0.0)

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
        filename = cell_filename(run_id)
        self._remember_source(filename, code)
        display: str | None = None
        error: ErrorInfo | None = None
        started = time.perf_counter()
        with capture_output(self.output_limit) as (out, err):
            try:
                body, last_expr = _split_last_expression(code, filename)
            except SyntaxError as exc:
                error = _syntax_error_info(exc, code)
            except ValueError as exc:  # a null byte, on Pythons that do not call it a SyntaxError
                error = _syntax_error_info(SyntaxError(str(exc)), code)
            except BaseException as exc:  # e.g. RecursionError: nested too deeply to compile
                error = _runtime_error_info(exc)
            else:
                # A SyntaxError raised while running comes from the user's eval() or
                # exec(): it is reported at their line, not at the line inside the string.
                try:
                    display = self._execute(body, last_expr)
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

    def execute(self, code: Any) -> None:
        """Run compiled, instrumented ``code`` in the namespace; ``interrupt`` stops it."""
        self._execute(code, None)

    def _execute(self, body: Any, last_expr: Any) -> str | None:
        """Run ``body``, then return the repr of ``last_expr``'s value (None if none)."""
        self._restore_builtins()
        namespace = self.namespace
        with self._lock:
            self._running_thread = threading.get_ident()
            self._interrupt_sent = False
            self.line_table.begin()
            self.module_calls.begin()
            if self.recorder is not None:
                self.recorder.begin(self._run_counter)
        try:
            exec(body, namespace)
            value = eval(last_expr, namespace) if last_expr is not None else None
            # The repr is the user's code too (their __repr__ may loop forever): it runs
            # while Stop can still reach it.
            display = None if value is None else _capped_repr(value, self.output_limit)
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
                if self.recorder is not None:
                    self.recorder.end()
        return display

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
        stale = cell_filename(self._run_counter - _KEPT_CELL_SOURCES)
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
    from autograd_playground.core.run.instrument import instrument

    tree = instrument(ast.parse(code, filename, "exec"))
    last_expr = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        # The expression's own mark stays in the body; its value is evaluated apart.
        last = tree.body.pop()
        last_expr = compile(ast.Expression(last.value), filename, "eval")
    return compile(tree, filename, "exec"), last_expr


def _capped_repr(value: Any, limit: int) -> str:
    text, _, _ = clip_lines(repr(value))
    if len(text) > limit:
        text = text[:limit] + f"\n… {len(text) - limit:,} more characters not shown"
    return text


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"… ({len(text) - limit:,} more characters)"


def _clipped_syntax_error(exc: SyntaxError) -> SyntaxError:
    """Return ``exc`` with its quoted line cut to a window around the caret."""
    text = exc.text
    if not text or len(text) <= MAX_SHOWN_LINE:
        return exc
    text = text.rstrip("\n")
    offset = max(exc.offset or 1, 1)
    start = max(0, min(offset - 1 - MAX_SHOWN_LINE // 2, len(text) - MAX_SHOWN_LINE))
    head = "…" if start else ""
    tail = "…" if start + MAX_SHOWN_LINE < len(text) else ""
    shown = head + text[start : start + MAX_SHOWN_LINE] + tail
    shift = len(head) - start
    new_offset = min(offset + shift, len(shown))
    end = exc.end_offset
    new_end = min(end + shift, len(shown) + 1) if end and end > offset else None
    return type(exc)(
        exc.msg, (exc.filename, exc.lineno, new_offset, shown, exc.end_lineno, new_end)
    )


def _syntax_error_info(exc: SyntaxError, code: str | None = None) -> ErrorInfo:
    line = exc.lineno
    if line is None and code is not None and "\x00" in code:
        # Python names no line for a null byte (pasted from a binary file, say).
        line = code.count("\n", 0, code.index("\x00")) + 1
    lines = traceback.format_exception_only(type(exc), _clipped_syntax_error(exc))
    text = "".join(lines)
    if exc.filename and is_cell_filename(exc.filename):
        text = text.replace(f'File "{exc.filename}", ', "")
    if line is not None and exc.lineno is None:
        text = f"  line {line}\n{text}"
    return ErrorInfo(
        kind=type(exc).__name__,
        message=_clip(f"{type(exc).__name__}: {exc.msg}", MAX_ERROR_CHARS),
        line=line,
        text=text.strip("\n"),
    )


def describe_error(exc: BaseException) -> ErrorInfo:
    """Return ``exc`` in the user's terms: the last line of their code it passed, and Python's
    own last lines, without frames from the app or the libraries."""
    if isinstance(exc, SyntaxError) and is_cell_filename(exc.filename or ""):
        return _syntax_error_info(exc)
    # Any other SyntaxError came from running code: the user's eval(), exec() or import.
    return _runtime_error_info(exc)


def _frame_lines(frames: list[traceback.FrameSummary]) -> list[str]:
    """Format the user's frames, folding a run of identical ones as Python does."""
    runs: list[tuple[traceback.FrameSummary, int]] = []
    for frame in frames:
        if runs and (runs[-1][0].lineno, runs[-1][0].name) == (frame.lineno, frame.name):
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((frame, 1))
    body: list[str] = []
    for frame, count in runs:
        shown = f"  line {frame.lineno}, in {frame.name}\n"
        if frame.line:
            shown += f"    {_clip(frame.line.strip(), MAX_SHOWN_LINE)}\n"
        body.extend([shown] * min(count, _REPEATS_SHOWN))
        if count > _REPEATS_SHOWN:
            body.append(f"  [Previous line repeated {count - _REPEATS_SHOWN} more times]\n")
    if len(body) > 2 * _END_FRAMES_SHOWN + 1:
        hidden = len(body) - 2 * _END_FRAMES_SHOWN
        body[_END_FRAMES_SHOWN:-_END_FRAMES_SHOWN] = [f"  [{hidden} more calls not shown]\n"]
    return body


def _runtime_error_info(exc: BaseException) -> ErrorInfo:
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if is_cell_filename(frame.filename)
    ]
    line = frames[-1].lineno if frames else None
    interrupted = isinstance(exc, KeyboardInterrupt)
    if interrupted:
        message = "Interrupted" + (f" at line {line}" if line is not None else "")
        return ErrorInfo("KeyboardInterrupt", message, line, message, interrupted=True)
    body = _frame_lines(frames)
    if isinstance(exc, ExitRefused):
        last = str(exc)  # already says what was refused, in the user's words
    elif isinstance(exc, SystemExit):
        last = f"SystemExit: {_clip(repr(exc.code), 200)} (the playground keeps running)"
    else:
        if isinstance(exc, SyntaxError):
            exc = _clipped_syntax_error(exc)
        last = "".join(traceback.format_exception_only(type(exc), exc)).strip("\n")
    message = _clip(last.splitlines()[-1], MAX_ERROR_CHARS) if last else type(exc).__name__
    last = _clip(last, MAX_ERROR_TEXT)
    text = "Traceback (most recent call last):\n" + "".join(body) + last if body else last
    from autograd_playground.core.run.error_explain import explain_error

    return ErrorInfo(
        kind=type(exc).__name__,
        message=message,
        line=line,
        text=text,
        explanation=explain_error(exc),
    )
