"""Laying out a large graph piece by piece, several engines at once, into one Layout."""

from __future__ import annotations

import os
import threading
import time

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.bridges import stack_layouts
from autograd_playground.core.render.dot_engine import DotPool, DotProcess
from autograd_playground.core.render.dot_source import layout_dot
from autograd_playground.core.render.layout_types import Layout, LayoutError
from autograd_playground.core.render.pieces import split_graph
from autograd_playground.core.render.plain_layout import parse_plain_layout
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics


def engines_at_once() -> int:
    """Return how many engines may run together: one a core."""
    return max(1, os.cpu_count() or 1)


class PieceLayoutJob:
    """The layout of ``graph`` cut into pieces of at most ``limit`` nodes.

    The first engines start at once, the first from ``pool``; ``result`` starts
    the others as engines finish, and honours ``cancel`` and a ``timeout`` that
    counts from the start for all the pieces together.
    """

    def __init__(
        self,
        graph: AutogradGraph,
        direction: str,
        limit: int,
        *,
        engine: str | None = None,
        timeout: float = 60.0,
        cancel: threading.Event | None = None,
        pool: DotPool | None = None,
        metrics: TextMetrics = ENGINE_METRICS,
    ) -> None:
        self._direction = direction
        self._engine = engine
        self._cancel = cancel
        self._deadline = time.monotonic() + timeout
        self._timeout = timeout
        self._split = split_graph(graph, limit)
        self._sources = [layout_dot(piece, direction, metrics) for piece in self._split.pieces]
        self._running: dict[int, DotProcess] = {}
        first = pool.take("plain", engine) if pool is not None else DotProcess("plain", engine)
        self._send(0, first)
        for number in range(1, min(engines_at_once(), len(self._sources))):
            self._send(number, DotProcess("plain", engine))

    def _send(self, number: int, process: DotProcess) -> None:
        process.send(self._sources[number])
        self._running[number] = process

    def result(self) -> Layout:
        """Wait for every piece and return them stacked, with the edges between them."""
        layouts: list[Layout] = []
        try:
            for number, piece in enumerate(self._split.pieces):
                process = self._running.pop(number)
                left = self._deadline - process.started
                raw = process.finish(left if left > 0 else 0.0, self._cancel)
                following = number + engines_at_once()
                if following < len(self._sources):
                    self._send(following, DotProcess("plain", self._engine))
                layouts.append(self._parse(raw, piece))
        finally:
            self._discard_running()
        return stack_layouts(layouts, self._split.crossing, self._direction)

    @staticmethod
    def _parse(raw: bytes, piece: AutogradGraph) -> Layout:
        try:
            return parse_plain_layout(raw.decode(errors="replace"), piece)
        except (ValueError, KeyError, IndexError) as exc:
            raise LayoutError(f"Could not read the layout engine's output: {exc}") from exc

    def _discard_running(self) -> None:
        running, self._running = self._running, {}
        for process in running.values():
            process.discard()
