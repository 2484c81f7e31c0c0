"""Capped capture of what one thread prints, leaving other threads' output alone.

A captured thread also reads an empty stdin, so user code never waits for a keyboard.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_OUTPUT_LIMIT = 200_000
# The output pane takes seconds to lay out one line of 200,000 characters (a print of
# 'x' * 10**6, the repr of a long list), freezing the window: longer lines are cut.
MAX_LINE = 10_000

# Routers are never freed: CPython's print() holds only a borrowed reference to
# sys.stdout, so a stream freed while another thread prints crashes the process.
_ROUTERS: list[io.TextIOBase] = []


def clip_lines(text: str, line_limit: int = MAX_LINE, column: int = 0) -> tuple[str, int, int]:
    """Cut each line of ``text`` after ``line_limit`` characters, marking the cut with '…'.

    ``column`` is how much of the first line was kept before. Return the text, the
    column where it ends and how many characters were cut.
    """
    if "\n" not in text and column + len(text) <= line_limit:
        return text, column + len(text), 0  # the common case, at no cost
    kept: list[str] = []
    cut = 0
    for index, line in enumerate(text.split("\n")):
        if index:
            kept.append("\n")
            column = 0
        room = line_limit - column
        if len(line) > room:
            shown = line[: max(room, 0)] + ("…" if room >= 0 else "")
            cut += len(line) - max(room, 0)
            column = line_limit + 1  # the '…' is written: the rest of the line goes
        else:
            shown = line
            column += len(line)
        kept.append(shown)
    return "".join(kept), column, cut


class CappedBuffer:
    """Keeps at most ``limit`` characters, in lines of at most ``MAX_LINE``, and counts
    the rest."""

    def __init__(self, limit: int = DEFAULT_OUTPUT_LIMIT) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._kept = 0
        self._column = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        written = len(text)
        text, self._column, cut = clip_lines(text, MAX_LINE, self._column)
        self.dropped += cut
        room = self._limit - self._kept
        if room > 0:
            piece = text[:room]
            self._parts.append(piece)
            self._kept += len(piece)
        self.dropped += len(text) - min(len(text), max(room, 0))
        return written

    def getvalue(self) -> str:
        """Return what was written, with a note when some was dropped."""
        text = "".join(self._parts)
        if self.dropped:
            text += f"\n… output truncated: {self.dropped:,} more characters not shown\n"
        return text


class _ThreadRouter(io.TextIOBase):
    """Sends each thread's writes to its registered buffer, or to the original stream."""

    def __init__(self, original: io.TextIOBase | None) -> None:
        super().__init__()
        self.original = original
        self.sinks: dict[int, CappedBuffer] = {}

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        sink = self.sinks.get(threading.get_ident())
        if sink is not None:
            return sink.write(text)
        if self.original is not None:
            return self.original.write(text)
        return len(text)

    def flush(self) -> None:
        if threading.get_ident() not in self.sinks and self.original is not None:
            self.original.flush()


class _StdinRouter(io.TextIOBase):
    """Gives captured threads end-of-file at once; other threads read the original stdin.

    Without it user code that reads stdin (``sys.stdin.readline()``, or pydoc's
    interactive ``help()``) waits on the terminal the app was started from, where
    Stop cannot reach it; and ``exit()`` closes stdin for the whole app.
    """

    def __init__(self, original: io.TextIOBase) -> None:
        super().__init__()
        self.original = original
        self.captured: set[int] = set()

    def _is_captured(self) -> bool:
        return threading.get_ident() in self.captured

    def readable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", None) or "utf-8"

    def read(self, size: int | None = -1) -> str:
        return "" if self._is_captured() else self.original.read(size)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return "" if self._is_captured() else self.original.readline(size)

    def fileno(self) -> int:
        if self._is_captured():
            raise io.UnsupportedOperation("stdin has no file descriptor here")
        return self.original.fileno()

    def isatty(self) -> bool:
        return False if self._is_captured() else self.original.isatty()

    def close(self) -> None:
        if not self._is_captured():
            self.original.close()

    @property
    def closed(self) -> bool:  # type: ignore[override]
        return False if self._is_captured() else self.original.closed


def _stdin_router() -> _StdinRouter | None:
    current = sys.stdin
    if current is None or isinstance(current, _StdinRouter):
        return current
    router = _StdinRouter(current)
    _ROUTERS.append(router)
    sys.stdin = router
    return router


def _router(name: str) -> _ThreadRouter:
    current = getattr(sys, name)
    if isinstance(current, _ThreadRouter):
        return current
    router = _ThreadRouter(current)
    _ROUTERS.append(router)
    setattr(sys, name, router)
    return router


@contextmanager
def capture_output(
    limit: int = DEFAULT_OUTPUT_LIMIT,
) -> Iterator[tuple[CappedBuffer, CappedBuffer]]:
    """Capture this thread's stdout and stderr, each capped at ``limit`` characters."""
    ident = threading.get_ident()
    out, err = CappedBuffer(limit), CappedBuffer(limit)
    out_router, err_router = _router("stdout"), _router("stderr")
    out_router.sinks[ident] = out
    err_router.sinks[ident] = err
    in_router = _stdin_router()
    if in_router is not None:
        in_router.captured.add(ident)
    try:
        yield out, err
    finally:
        out_router.sinks.pop(ident, None)
        err_router.sinks.pop(ident, None)
        if in_router is not None:
            in_router.captured.discard(ident)
