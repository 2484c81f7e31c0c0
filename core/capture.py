"""Capped capture of what one thread prints, leaving other threads' output alone."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_OUTPUT_LIMIT = 200_000

# Routers are never freed: CPython's print() holds only a borrowed reference to
# sys.stdout, so a stream freed while another thread prints crashes the process.
_ROUTERS: list[_ThreadRouter] = []


class CappedBuffer:
    """Keeps at most ``limit`` characters and counts the rest."""

    def __init__(self, limit: int = DEFAULT_OUTPUT_LIMIT) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        room = self._limit - self._kept
        if room > 0:
            piece = text[:room]
            self._parts.append(piece)
            self._kept += len(piece)
        self.dropped += len(text) - min(len(text), max(room, 0))
        return len(text)

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
    try:
        yield out, err
    finally:
        out_router.sinks.pop(ident, None)
        err_router.sinks.pop(ident, None)
