"""Laying out a large graph piece by piece, several engines at once, into one Layout."""

from __future__ import annotations

import threading

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.bridges import stack_layouts
from autograd_playground.core.render.dot_engine import DotPool
from autograd_playground.core.render.dot_source import layout_dot
from autograd_playground.core.render.engine_batch import EngineBatch
from autograd_playground.core.render.layout_types import Layout, LayoutError
from autograd_playground.core.render.pieces import split_graph
from autograd_playground.core.render.plain_layout import parse_plain_layout
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics


class PieceLayoutJob:
    """The layout of ``graph`` cut into pieces of at most ``limit`` nodes.

    The engines start at once (see EngineBatch); ``result`` waits for them, and
    honours ``cancel`` and a ``timeout`` for all the pieces together.
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
        self._split = split_graph(graph, limit)
        sources = [layout_dot(piece, direction, metrics) for piece in self._split.pieces]
        self._batch = EngineBatch(
            sources, "plain", engine=engine, timeout=timeout, cancel=cancel, pool=pool
        )

    def result(self) -> Layout:
        """Wait for every piece and return them stacked, with the edges between them."""
        layouts: list[Layout] = []
        outputs = self._batch.outputs()
        try:
            for piece, raw in zip(self._split.pieces, outputs, strict=True):
                layouts.append(_parse(raw, piece))
        finally:
            outputs.close()
        return stack_layouts(layouts, self._split.crossing, self._direction)


def _parse(raw: bytes, piece: AutogradGraph) -> Layout:
    try:
        return parse_plain_layout(raw.decode(errors="replace"), piece)
    except (ValueError, KeyError, IndexError) as exc:
        raise LayoutError(f"Could not read the layout engine's output: {exc}") from exc
