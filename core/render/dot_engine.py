"""The dot engine as a process: finding it, feeding it, reading it, keeping one warm."""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

from autograd_playground.core.render.layout_types import LayoutCancelled, LayoutError

ENGINE_ENV = "AUTOGRAD_PLAYGROUND_DOT"
PURE_ENGINE = "graphviz-pure"
PIPE_BUFFER_BYTES = 16_384  # Linux pipes hold 64 KiB, macOS ones 16 KiB
WATCH_STEP_S = 0.02  # how often a waiting layout checks for cancel and timeout
READ_BYTES = 65_536
PLAIN_ENDING = b"\nstop\n"


def find_engine(preferred: str | None = None) -> str:
    """Return the path of a dot-compatible engine, preferring the pip-installed one.

    An explicit choice (``preferred``, else the ``AUTOGRAD_PLAYGROUND_DOT``
    variable) is used alone. Otherwise the order is ``graphviz-pure`` beside
    this Python, ``graphviz-pure`` on PATH, then a system ``dot`` if present.
    """
    return _resolve_engine(preferred or os.environ.get(ENGINE_ENV), os.environ.get("PATH", ""))


@lru_cache(maxsize=16)
def _resolve_engine(chosen: str | None, search_path: str) -> str:
    # Cached per choice and PATH: every layout asks, and the file system is slow.
    if chosen:
        resolved = shutil.which(chosen, path=search_path)
        if resolved is None:
            raise LayoutError(f"The layout engine {chosen!r} was not found.")
        return resolved
    scripts = Path(sys.executable).parent
    for candidate in (scripts / PURE_ENGINE, scripts / f"{PURE_ENGINE}.exe"):
        if resolved := shutil.which(str(candidate)):
            return resolved
    for name in (PURE_ENGINE, "dot"):
        if resolved := shutil.which(name, path=search_path):
            return resolved
    raise LayoutError(
        "No graph layout engine found. Install the 'graphviz-pure' package "
        "(pip install graphviz-pure) or point AUTOGRAD_PLAYGROUND_DOT at a dot program."
    )


class DotProcess:
    """A started dot engine: ``send`` gives it the DOT text, ``finish`` collects the output.

    The input is fed by a helper thread, so an engine that stalls without
    reading cannot block the caller, and the caller is free to do other work
    while the engine computes.
    """

    def __init__(self, output_format: str, engine: str | None = None) -> None:
        self.program = find_engine(engine)
        self.output_format = output_format
        self.started = time.monotonic()
        _reap_finished()
        try:
            self.process = subprocess.Popen(
                [self.program, f"-T{output_format}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise LayoutError(f"Could not start the layout engine {self.program}: {exc}") from exc

    def send(self, source: str) -> None:
        """Hand the engine its input; its timeout counts from now."""
        self.started = time.monotonic()
        stdin, self.process.stdin = self.process.stdin, None
        data = source.encode()
        if len(data) < PIPE_BUFFER_BYTES:
            _feed(stdin, data)  # fits in the pipe: the write cannot block
            return
        threading.Thread(target=_feed, args=(stdin, data), daemon=True, name="dot-input").start()

    def is_usable(self, output_format: str, program: str) -> bool:
        """Return True if this unsent engine can serve a request for ``output_format``."""
        return (
            self.process.stdin is not None
            and self.process.poll() is None
            and self.output_format == output_format
            and self.program == program
        )

    def discard(self) -> None:
        """Stop the engine without waiting for any output."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def finish(self, timeout: float = 60.0, cancel: threading.Event | None = None) -> bytes:
        """Wait for the output; stop the engine past ``timeout`` s or when ``cancel`` is set."""
        if os.name == "nt":  # no select() on pipes there
            return self._finish_with_thread(timeout, cancel)
        process = self.process
        out_fd, err_fd = process.stdout.fileno(), process.stderr.fileno()
        chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
        output = chunks[out_fd]
        # Plain output ends with a "stop" line, written a good half millisecond
        # before the engine has freed its memory and exited; nothing follows it.
        ending = PLAIN_ENDING if self.output_format == "plain" else None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            selector.register(process.stderr, selectors.EVENT_READ)
            while selector.get_map():
                for key, _events in selector.select(WATCH_STEP_S):
                    chunk = os.read(key.fd, READ_BYTES)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    chunks[key.fd].append(chunk)
                    if ending is not None and key.fd == out_fd:
                        tail = chunk if len(chunk) >= len(ending) else b"".join(output)
                        if tail.endswith(ending):
                            _reap_later(process)
                            return b"".join(output)
                self._check_wait(timeout, cancel)
        process.stdout.close()
        process.stderr.close()
        process.wait()
        if process.returncode != 0:
            err = b"".join(chunks[err_fd])
            raise self._failure(err)
        return b"".join(output)

    def _check_wait(self, timeout: float, cancel: threading.Event | None) -> None:
        """Stop the engine and raise if the caller cancelled or the time is up."""
        cancelled = cancel is not None and cancel.is_set()
        if not cancelled and time.monotonic() - self.started < timeout:
            return
        self.process.kill()
        _reap_later(self.process)
        if cancelled:
            raise LayoutCancelled("Layout cancelled.")
        raise LayoutError(f"The layout engine took longer than {timeout:g} s and was stopped.")

    def _failure(self, err: bytes) -> LayoutError:
        code = self.process.returncode
        message = err.decode(errors="replace").strip() or f"exit status {code}"
        return LayoutError(f"The layout engine failed: {message}")

    def _finish_with_thread(self, timeout: float, cancel: threading.Event | None) -> bytes:
        # communicate() with a timeout polls for the exit with sleeps of growing
        # length, about a millisecond lost per layout; without one it blocks in
        # waitpid. So a helper thread blocks, and this one watches the clock.
        collected: dict[str, object] = {}
        done = threading.Event()

        def collect() -> None:
            try:
                collected["streams"] = self.process.communicate()
            except BaseException as exc:  # handed to the waiting thread
                collected["error"] = exc
            finally:
                done.set()

        threading.Thread(target=collect, daemon=True, name="dot-output").start()
        while not done.wait(WATCH_STEP_S):
            try:
                self._check_wait(timeout, cancel)
            except LayoutError:
                # A wrapper script's children may keep the pipes open after the kill;
                # the collecting thread is a daemon and can be left to them.
                done.wait(1.0)
                raise
        if "error" in collected:
            raise LayoutError(f"Could not read the layout engine's output: {collected['error']}")
        out, err = collected["streams"]
        if self.process.returncode != 0:
            raise self._failure(err)
        return out


_unreaped: list[subprocess.Popen] = []
_unreaped_lock = threading.Lock()


def _reap_later(process: subprocess.Popen) -> None:
    """Leave a finished or killed engine to be collected when the next one starts.

    Waiting for it here would cost the caller its exit; dropping it would leave a
    zombie and a ResourceWarning.
    """
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    with _unreaped_lock:
        _unreaped.append(process)


def _reap_finished() -> None:
    with _unreaped_lock:
        _unreaped[:] = [process for process in _unreaped if process.poll() is None]


def _feed(stream, data: bytes) -> None:
    # An engine that exits early breaks the pipe; finish() reports why it exited.
    with contextlib.suppress(OSError):
        stream.write(data)
    with contextlib.suppress(OSError):
        stream.close()


def run_dot(
    source: str,
    output_format: str,
    *,
    engine: str | None = None,
    timeout: float = 60.0,
    cancel: threading.Event | None = None,
) -> bytes:
    """Run the dot engine on ``source`` and return its output in ``output_format``."""
    process = DotProcess(output_format, engine)
    process.send(source)
    return process.finish(timeout, cancel)


class DotPool:
    """Keeps one engine process started ahead, so a layout does not wait for a spawn."""

    def __init__(self) -> None:
        self._spare: DotProcess | None = None
        self._lock = threading.Lock()

    def take(self, output_format: str, engine: str | None = None) -> DotProcess:
        """Return the spare engine if it fits, else a newly started one."""
        program = find_engine(engine)
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None and spare.is_usable(output_format, program):
            return spare
        if spare is not None:
            spare.discard()
        return DotProcess(output_format, engine)

    def refill(self, output_format: str = "plain", engine: str | None = None) -> None:
        """Start a spare engine for the next layout, unless one is waiting."""
        with self._lock:
            if self._spare is not None:
                return
        try:
            spare = DotProcess(output_format, engine)
        except LayoutError:
            return  # the next layout reports the problem
        with self._lock:
            if self._spare is None:
                self._spare = spare
                return
        spare.discard()

    def close(self) -> None:
        """Stop the spare engine."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.discard()
