"""The autograd graph of one training step, for a view that follows training."""

from __future__ import annotations

from typing import Any

import torch

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.layout import Layout, layout_graph
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics

LOSS_NAME = "loss"


def snapshot_graph(params: dict[str, Any], loss: torch.Tensor) -> AutogradGraph:
    """Return the graph behind ``loss``, its leaves named after ``params``, with values and grads.

    Taken right after backward and before the update, so every parameter still
    shows the gradient this step computed.
    """
    from autograd_playground.core.graph.extract import extract_graph

    namespace: dict[str, Any] = {
        name: value for name, value in params.items() if isinstance(value, torch.Tensor)
    }
    namespace[LOSS_NAME] = loss
    return extract_graph(namespace, [LOSS_NAME])


class SnapshotLayouts:
    """Lays out step graphs, once per structure: every step of a task has the same one.

    Boxes are sized for labels drawn in ``metrics``' font (the window's).
    """

    def __init__(self, direction: str = "TB", metrics: TextMetrics = ENGINE_METRICS) -> None:
        self.direction = direction
        self.metrics = metrics
        self._key: tuple | None = None
        self._layout: Layout | None = None

    def layout_for(self, graph: AutogradGraph) -> Layout:
        """Return the layout of ``graph``, reusing the last one when the structure is the same."""
        from autograd_playground.core.render.dot_source import layout_key

        key = (self.direction, layout_key(graph))
        if key != self._key or self._layout is None:
            self._layout = layout_graph(graph, self.direction, timeout=30.0, metrics=self.metrics)
            self._key = key
        return self._layout
