"""The layer statistics: histograms that count every element, bins that widen
exactly, update ratios, and the vanishing gradients of a deep sigmoid net."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.training.catalog import (
    TASK_INFOS,
    USER_INFO,
    USER_TASK,
    TrainingConfig,
)
from autograd_playground.core.training.layer_bins import BINS, BinRange, doubled
from autograd_playground.core.training.layer_history import LayerHistory
from autograd_playground.core.training.layer_stats import LayerStats
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task


def test_histogram_counts_sum_to_the_tensors_size():
    stats = LayerStats()
    weight = torch.randn(7, 5)
    grad = torch.randn(7, 5) * 1e-3
    stats.record(1, {"w": weight}, {"w": grad}, None)
    stats.record(2, {"w": weight * 10}, {"w": grad}, None)  # far outside the first bins
    columns = stats.take().layers["w"]
    assert columns.values.shape == (2, BINS)
    np.testing.assert_array_equal(columns.values.sum(1), [35, 35])
    np.testing.assert_array_equal(columns.grads.sum(1), [35, 35])
    assert columns.value_ranges[0].low <= float(weight.min())
    assert columns.value_ranges[0].high >= float(weight.max())


def test_bins_double_about_their_centre_until_the_values_fit():
    stats = LayerStats()
    stats.record(1, {"w": torch.tensor([-1.0, 1.0])}, None, None)
    first = stats.take().layers["w"].value_ranges[0]
    stats.record(2, {"w": torch.tensor([-5.0, 1.0])}, None, None)
    stats.take()  # this report reads that the values left the range
    stats.record(3, {"w": torch.tensor([-5.0, 1.0])}, None, None)
    widened = stats.take().layers["w"].value_ranges[0]
    assert widened.centre == first.centre
    assert widened.low <= -5.0
    assert widened.half == first.half * 8
    assert widened.half / first.half == 2 ** first.doublings_to_cover(-5.0, 1.0)


def test_doubled_bins_keep_every_count_in_the_right_place():
    values = np.array([-0.9, -0.1, 0.2, 0.95])
    narrow = BinRange(0.0, 1.0)
    counts = np.histogram(values, BINS, (narrow.low, narrow.high))[0][None, :]
    wide = narrow.doubled(2)
    expected = np.histogram(values, BINS, (wide.low, wide.high))[0]
    np.testing.assert_array_equal(doubled(counts, 2)[0], expected)


def test_history_rebins_older_samples_into_the_widest_range():
    stats, history = LayerStats(), LayerHistory()
    stats.record(1, {"w": torch.tensor([-1.0, 1.0])}, None, None)
    history.add(stats.take())
    stats.record(2, {"w": torch.tensor([-3.0, 3.0])}, None, None)
    history.add(stats.take())
    stats.record(3, {"w": torch.tensor([-3.0, 3.0])}, None, None)
    history.add(stats.take())
    strip = history.tracks["w"].values
    assert strip.counts.shape == (3, BINS)
    np.testing.assert_array_equal(strip.counts.sum(1), [2, 2, 2])
    assert strip.bins.low <= -3.0
    assert strip.counts[2, 0] == 0  # in the widest bins -3 is no longer clamped to the edge


def test_update_ratio_of_a_hand_made_update():
    stats = LayerStats()
    before = torch.tensor([3.0, 4.0])  # ‖w‖ = 5 after the update below
    after = torch.tensor([3.0, 4.0]) + torch.tensor([0.03, -0.04])
    stats.record(1, {"w": after}, None, {"w": before})
    ratio = stats.take().layers["w"].ratios[0]
    assert ratio == pytest.approx(0.05 / float(after.norm()), rel=1e-5)


def test_a_numpy_tasks_arrays_are_counted_too():
    stats = LayerStats()
    stats.record(1, {"w": np.arange(10.0)}, {"w": np.ones(10)}, {"w": np.arange(10.0)})
    columns = stats.take().layers["w"]
    assert columns.values.sum() == 10
    assert columns.grads.sum() == 10
    assert columns.ratios[0] == 0.0


@pytest.mark.parametrize("task", ["two_layer_numpy", "two_layer_tensor", "linreg_scratch"])
def test_every_seed_task_counts_its_gradients_too(task):
    """Hand-written backprop (NumPy's, or torch's) hands over whole gradients."""
    config = TrainingConfig(task=task, lr=TASK_INFOS[task].lr, length=4)
    trainer = Trainer(config)
    trainer.collect_layers = True
    trainer.run(4)
    layers = trainer.collect().layers.layers
    for name, param in trainer.state.params.items():
        np.testing.assert_array_equal(
            layers[name].grads.sum(1),
            np.asarray(param.detach() if hasattr(param, "detach") else param).size,
        )
        assert np.isfinite(layers[name].grad_norms).all()


DEEP_NET = """
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(64, 32)
y = torch.randn(64, 1)
layers = []
for _ in range(9):
    layers += [nn.Linear(32, 32), nn.{activation}()]
model = nn.Sequential(*layers, nn.Linear(32, 1))
"""


def _trained_layers(activation: str) -> LayerHistory:
    """Train the 10-layer net the way the lab's own-model path does, collecting."""
    evaluator = Evaluator(device="cpu")
    result = evaluator.run(DEEP_NET.format(activation=activation))
    assert result.error is None
    config = TrainingConfig(task=USER_TASK, lr=0.1, batch_size=0, length=30, optimizer="sgd")
    trainer = Trainer(config, state=build_user_task(evaluator.user_names(), config), info=USER_INFO)
    trainer.collect_layers = True
    history = LayerHistory()
    while not trainer.done:
        trainer.run(7)
        history.add(trainer.collect().layers)
    return history


def _first_to_last_gradient(history: LayerHistory) -> float:
    norms = history.median_grad_norms()
    return norms["0.weight"] / norms["18.weight"]


def test_a_deep_sigmoid_nets_first_layer_gets_vanishing_gradients():
    history = _trained_layers("Sigmoid")
    assert len(history.steps) == 30  # every step of a 30-step run is sampled
    # Each sigmoid passes back at most a quarter of the gradient: nine of them.
    assert _first_to_last_gradient(history) < 1e-4


def test_the_same_net_with_relu_keeps_its_first_layers_gradient():
    ratio = _first_to_last_gradient(_trained_layers("ReLU"))
    assert 1e-2 < ratio < 1e2  # within two orders of magnitude: no vanishing
