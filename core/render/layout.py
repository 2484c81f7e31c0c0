"""Node positions and edge splines from the dot engine, as plain data.

A graph of more than ``PIECE_LIMIT`` nodes is laid out in pieces (see
core.render.pieces): one engine run would round its coordinates onto each other.
"""

from __future__ import annotations

import threading

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.dot_engine import (
    ENGINE_ENV,
    PURE_ENGINE,
    DotPool,
    DotProcess,
    _unreaped,
    find_engine,
    run_dot,
)
from autograd_playground.core.render.dot_source import layout_dot
from autograd_playground.core.render.layout_types import (
    EdgePath,
    Layout,
    LayoutCancelled,
    LayoutError,
    NodeBox,
)
from autograd_playground.core.render.piece_layout import PieceLayoutJob
from autograd_playground.core.render.pieces import PIECE_LIMIT
from autograd_playground.core.render.plain_layout import (
    ARROW_LENGTH,
    POINTS_PER_INCH,
    parse_plain_layout,
)
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics

__all__ = [
    "ARROW_LENGTH",
    "ENGINE_ENV",
    "PIECE_LIMIT",
    "POINTS_PER_INCH",
    "PURE_ENGINE",
    "DotPool",
    "DotProcess",
    "EdgePath",
    "Layout",
    "LayoutCancelled",
    "LayoutError",
    "LayoutJob",
    "NodeBox",
    "_unreaped",
    "find_engine",
    "layout_graph",
    "parse_plain_layout",
    "run_dot",
]


def layout_graph(
    graph: AutogradGraph,
    direction: str = "TB",
    *,
    engine: str | None = None,
    timeout: float = 60.0,
    cancel: threading.Event | None = None,
    metrics: TextMetrics = ENGINE_METRICS,
    piece_limit: int | None = None,
) -> Layout:
    """Lay ``graph`` out with dot and return positions in scene points.

    The boxes are sized for labels drawn in ``metrics``' font.
    """
    job = LayoutJob(
        graph,
        direction,
        engine=engine,
        timeout=timeout,
        cancel=cancel,
        metrics=metrics,
        piece_limit=piece_limit,
    )
    return job.result()


class LayoutJob:
    """A layout computed by the dot engine while the caller does other work.

    The DOT text is made at once, from the graph's structure and labels only, with
    boxes sized for labels in ``metrics``' font; ``result`` waits for the engine and
    returns the Layout or raises LayoutError. A graph of more than ``piece_limit``
    nodes (default PIECE_LIMIT) is laid out in pieces, by several engines.
    """

    def __init__(
        self,
        graph: AutogradGraph,
        direction: str = "TB",
        *,
        engine: str | None = None,
        timeout: float = 60.0,
        cancel: threading.Event | None = None,
        pool: DotPool | None = None,
        metrics: TextMetrics = ENGINE_METRICS,
        piece_limit: int | None = None,
    ) -> None:
        self._graph = graph
        self._timeout = timeout
        self._cancel = cancel
        self._process: DotProcess | None = None
        self._pieces: PieceLayoutJob | None = None
        limit = PIECE_LIMIT if piece_limit is None else piece_limit
        if len(graph.nodes) > limit:
            self._pieces = PieceLayoutJob(
                graph,
                direction,
                limit,
                engine=engine,
                timeout=timeout,
                cancel=cancel,
                pool=pool,
                metrics=metrics,
            )
        elif graph.nodes:
            source = layout_dot(graph, direction, metrics)
            self._process = (
                pool.take("plain", engine) if pool is not None else DotProcess("plain", engine)
            )
            self._process.send(source)

    def result(self) -> Layout:
        """Wait for the engine and return the layout."""
        if self._pieces is not None:
            return self._pieces.result()
        if self._process is None:
            return Layout()
        raw = self._process.finish(self._timeout, self._cancel)
        try:
            return parse_plain_layout(raw.decode(errors="replace"), self._graph)
        except (ValueError, KeyError, IndexError) as exc:
            raise LayoutError(f"Could not read the layout engine's output: {exc}") from exc
