"""What a training report carries to the window: plain numpy copies, no torch.

The window draws these while torch may still be loading on another thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_playground.core.i18n.catalog import Message, text_in

# A parameter with more elements than this is traced, and plotted, by its norm.
ELEMENTS_SHOWN = 6


@dataclass
class MetricsBatch:
    """What happened since the last report, as plain numpy copies."""

    steps: np.ndarray
    losses: np.ndarray
    epoch_losses: list[tuple[int, float]] = field(default_factory=list)
    params: dict[str, np.ndarray] = field(default_factory=dict)
    # In a run's first report: the parameters before its first step, at step 0.
    start_params: dict[str, np.ndarray] | None = None
    truth: dict[str, np.ndarray] = field(default_factory=dict)
    # Sampled through the steps since the last report, this report's own step last:
    # each plotted parameter series (elements, or a norm) and each gradient norm.
    trace_steps: np.ndarray = field(default_factory=lambda: np.zeros(0))
    trace_params: dict[str, np.ndarray] = field(default_factory=dict)
    trace_grad_steps: np.ndarray = field(default_factory=lambda: np.zeros(0))
    trace_grads: dict[str, np.ndarray] = field(default_factory=dict)
    # Histograms of every parameter and gradient, and update ratios, where collected.
    layers: Any = None  # core.training.layer_stats.LayerReport
    curve: np.ndarray | None = None  # the fit at curve_x, for 1-D tasks
    curve_x: np.ndarray | None = None
    data_y: np.ndarray | None = None
    # A classifier task's test scores and its drawing of the plane, at ``step``.
    classifier: Any = None  # core.training.classifier_report.ClassifierReport
    step: int = 0
    epoch: int = 0
    total_steps: int = 0
    steps_per_epoch: int = 1
    device: str = "cpu"
    finished: bool = False
    halted: Message | None = None
    # While halted: the step whose loss was not finite, and that loss (NaN or inf).
    halt_step: int | None = None
    halt_loss: float | None = None
    # What a true value means where it is not the plain one: name -> its note.
    truth_notes: dict[str, Message] = field(default_factory=dict)
    # The last recorded step's autograd graph (values and grads as plain data), laid out.
    graph: Any = None  # core.graph.graph_model.AutogradGraph
    graph_layout: Any = None  # core.render.layout.Layout
    graph_error: str | None = None
    # Steps a second of recent training, where the loop that steps times them (the lab).
    steps_per_s: float | None = None

    def halted_in(self, language: str) -> str | None:
        """Return why training halted in ``language``, None if it did not."""
        return text_in(self.halted, language)


def series_names(name: str, columns: int, is_norm: bool) -> list[str]:
    """The plotted series of a parameter: its norm, itself, or each of its elements."""
    if is_norm:
        return [f"‖{name}‖"]
    if columns == 1:
        return [name]
    return [f"{name}[{index}]" for index in range(columns)]


def param_points(params: dict[str, np.ndarray]) -> dict[str, float]:
    """One point per plotted series, from parameters read as numpy arrays."""
    points: dict[str, float] = {}
    for name, value in params.items():
        sample = np.atleast_1d(sample_array(value))
        is_norm = np.ravel(value).size > ELEMENTS_SHOWN
        for key, element in zip(series_names(name, sample.size, is_norm), sample, strict=True):
            points[key] = float(element)
    return points


def sample_array(value: Any) -> np.ndarray:
    """A small array's elements as a copy, or a bigger one's norm."""
    value = np.asarray(value)
    if value.size > ELEMENTS_SHOWN:
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows
            return np.linalg.norm(value)
    return value.reshape(-1).copy()
