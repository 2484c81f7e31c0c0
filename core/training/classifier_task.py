"""The classifier tasks: an MLP learns two classes of toy points on the plane.

Full batch: each step takes every training point. At each report the task also
measures the test set and draws the plane (P(class 1) and the first hidden
layer's neurons on a grid), under no_grad, on the training thread.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from autograd_playground.core.training.catalog import TASK_INFOS, TrainingConfig
from autograd_playground.core.training.classifier_report import (
    BOUNDARY_GRID,
    NEURON_GRID,
    NEURONS_SHOWN,
    ClassifierReport,
)
from autograd_playground.core.training.classifier_settings import ClassifierSettings
from autograd_playground.core.training.task_state import TaskData, TaskState
from autograd_playground.core.training.toy_data import PLANE, make_split


def build_mlp(hidden_layers, neurons, activation):
    """An MLP from 2 inputs to 2 class scores: ``hidden_layers`` layers of ``neurons``."""
    act = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}[activation]
    layers, width = [], 2
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, neurons), act()]
        width = neurons
    layers.append(nn.Linear(width, 2))
    return nn.Sequential(*layers)


def plane_grid(size: int, plane: tuple[float, float] = PLANE) -> torch.Tensor:
    """The plane's points, ``size`` a side, row by row from the bottom: (size², 2)."""
    along = torch.linspace(plane[0], plane[1], size)
    y, x = torch.meshgrid(along, along, indexing="ij")
    return torch.stack([x.reshape(-1), y.reshape(-1)], dim=1)


def classifier_settings(config: TrainingConfig) -> ClassifierSettings:
    """The run's classifier settings: the config's, or the task's defaults."""
    return config.classifier or TASK_INFOS[config.task].classifier


def build_classifier(config: TrainingConfig) -> TaskState:
    """The task ``config.task`` names (its dataset), with the config's data and MLP."""
    info = TASK_INFOS[config.task]
    settings = classifier_settings(config)
    device = torch.device(config.device)
    X, y, X_test, y_test = make_split(
        info.dataset, settings.points, settings.noise, settings.test_percent, config.seed
    )
    net = build_mlp(settings.hidden_layers, settings.neurons, settings.activation).to(device)
    loss_fn = nn.CrossEntropyLoss()
    state = TaskState(
        params=dict(net.named_parameters()),
        module=net,
        data=TaskData(X.to(device), y.to(device), names=("X", "y")),
    )
    data = state.data

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        loss = loss_fn(net(data.inputs), data.targets)
        state.learn_from(loss, net, optimizer, lr)
        return loss

    plane = PlaneView(settings.activation, (X, y, X_test, y_test)).to(device)
    state.view_module = plane
    state.step = step
    state.report_view = lambda step: plane.report(step, net, data.inputs, data.targets)
    return state


class PlaneView(nn.Module):
    """Measures a classifier over its data and draws it over the plane, for a report.

    A module for its buffers (the plane's grid and the test set), which move with
    the run to another device; the model and the training data are the run's own.
    ``plane`` is the low and high end of both axes the map covers.
    """

    def __init__(self, activation: str, data: tuple, plane: tuple[float, float] = PLANE) -> None:
        super().__init__()
        self.activation = activation
        self.plane = plane
        self.register_buffer("grid", plane_grid(BOUNDARY_GRID, plane))
        self.register_buffer("test_inputs", data[2])
        self.register_buffer("test_targets", data[3])
        # The points as the window draws them: the same arrays at every report.
        self.arrays = tuple(part.numpy() for part in data)
        self.loss_fn = nn.CrossEntropyLoss()

    def report(
        self, step: int, net: nn.Module, X: torch.Tensor, y: torch.Tensor
    ) -> ClassifierReport:
        with torch.no_grad():
            train_loss, train_accuracy = self._measure(net, X, y)
            test_loss, test_accuracy = self._measure(net, self.test_inputs, self.test_targets)
            first_layer, scores = _first_layer_and_scores(net, self.grid)
            probabilities = torch.softmax(scores, dim=1)[:, 1]
        side = BOUNDARY_GRID
        every = side // NEURON_GRID
        neurons = first_layer[:, :NEURONS_SHOWN].T.reshape(-1, side, side)[:, ::every, ::every]
        return ClassifierReport(
            step=step,
            train_loss=train_loss,
            test_loss=test_loss,
            train_accuracy=train_accuracy,
            test_accuracy=test_accuracy,
            probabilities=probabilities.reshape(side, side).cpu().numpy(),
            neurons=np.ascontiguousarray(neurons.cpu().numpy()),
            activation=self.activation,
            plane=self.plane,
            train_points=self.arrays[0],
            train_labels=self.arrays[1],
            test_points=self.arrays[2],
            test_labels=self.arrays[3],
        )

    def _measure(self, net: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """The loss and the share of points classified right, over ``X``."""
        if not len(X):
            return float("nan"), float("nan")
        scores = net(X)
        right = (scores.argmax(dim=1) == y).float().mean()
        return float(self.loss_fn(scores, y)), float(right)


def _first_layer_and_scores(
    net: nn.Module, points: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """The first hidden layer's outputs (after its activation) and the class scores.

    A model that does not start with a Linear layer and its activation (one of the
    editor's own) shows no neurons: its first layer has no columns.
    """
    if not has_hidden_layer(net):
        return points.new_zeros(len(points), 0), net(points)
    first_layer = out = net[1](net[0](points))
    for layer in list(net)[2:]:
        out = layer(out)
    return first_layer, out


def has_hidden_layer(net: nn.Module) -> bool:
    """Whether ``net`` is a Sequential that starts with a Linear layer and its activation."""
    return (
        isinstance(net, nn.Sequential)
        and len(net) > 2
        and isinstance(net[0], nn.Linear)
        and not isinstance(net[1], nn.Linear)
    )
