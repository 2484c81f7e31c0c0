"""Several dot engine runs at once, one a core, their outputs read back in order."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

from autograd_playground.core.render.dot_engine import DotPool, DotProcess
from autograd_playground.core.render.layout_types import LayoutCancelled, LayoutError


def engines_at_once() -> int:
    """Return how many engines may run together: one a core."""
    return max(1, os.cpu_count() or 1)


class EngineBatch:
    """Runs each of ``sources`` through the engine into ``output_format``.

    The first engines start at once, the first from ``pool``; ``outputs`` starts
    the others as engines finish. ``timeout`` counts from the start for the whole
    batch; ``cancel`` stops it. Engines still running when the reading stops, by an
    error or otherwise, are stopped.
    """

    def __init__(
        self,
        sources: list[str],
        output_format: str,
        *,
        engine: str | None = None,
        timeout: float = 60.0,
        cancel: threading.Event | None = None,
        pool: DotPool | None = None,
    ) -> None:
        self._sources = sources
        self._format = output_format
        self._engine = engine
        self._cancel = cancel
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self._running: dict[int, DotProcess] = {}
        if not sources:
            return
        first = (
            pool.take(output_format, engine)
            if pool is not None
            else DotProcess(output_format, engine)
        )
        self._send(0, first)
        for number in range(1, min(engines_at_once(), len(sources))):
            self._send(number, DotProcess(output_format, engine))

    def _send(self, number: int, process: DotProcess) -> None:
        process.send(self._sources[number])
        self._running[number] = process

    def outputs(self) -> Iterator[bytes]:
        """Yield each source's output, in the order of the sources."""
        try:
            for number in range(len(self._sources)):
                process = self._running.pop(number)
                raw = self._finish(process)
                following = number + engines_at_once()
                if following < len(self._sources):
                    self._send(following, DotProcess(self._format, self._engine))
                yield raw
        finally:
            self.discard()

    def _finish(self, process: DotProcess) -> bytes:
        """Wait for ``process`` until the batch's deadline."""
        try:
            return process.finish(max(self._deadline - process.started, 0.0), self._cancel)
        except LayoutCancelled:
            raise
        except LayoutError as exc:
            if time.monotonic() < self._deadline:
                raise
            # Said of the whole batch: the engine's own message names the time it had left.
            message = f"The layout engine took longer than {self._timeout:g} s and was stopped."
            raise LayoutError(message) from exc

    def discard(self) -> None:
        """Stop the engines still running."""
        running, self._running = self._running, {}
        for process in running.values():
            process.discard()
