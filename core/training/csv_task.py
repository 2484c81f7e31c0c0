"""Train on the learner's own CSV data: a linear model or a small MLP, on standardised columns.

The features are standardised (mean 0, spread 1), so one learning rate suits any
file's units; a regression target is too, so a loss of 1 is what always guessing
the mean scores. The fit plot, for one feature, is drawn back in the file's units.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import torch
from torch import nn

from autograd_playground.core.training.catalog import TrainingConfig, batch_rows
from autograd_playground.core.training.csv_data import CsvData
from autograd_playground.core.training.csv_setup import MLP
from autograd_playground.core.training.tasks import TaskData, TaskState

MLP_HIDDEN = 16


def standardise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``values`` with each column's mean taken off and divided by its spread; the means
    and spreads (a constant column keeps a spread of 1: it has none to divide by)."""
    mean = values.mean(axis=0)
    spread = values.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    return (values - mean) / spread, mean, spread


def _network(model: str, inputs: int, outputs: int) -> tuple[nn.Module, dict[str, nn.Parameter]]:
    """The model and its parameters under the names the lab plots them by."""
    if model == MLP:
        layers = OrderedDict(
            hidden=nn.Linear(inputs, MLP_HIDDEN), tanh=nn.Tanh(), out=nn.Linear(MLP_HIDDEN, outputs)
        )
        net = nn.Sequential(layers)
        names = {"w1": "hidden.weight", "b1": "hidden.bias", "w2": "out.weight", "b2": "out.bias"}
    else:
        net = nn.Sequential(OrderedDict(linear=nn.Linear(inputs, outputs)))
        names = {"w": "linear.weight", "b": "linear.bias"}
    by_name = dict(net.named_parameters())
    return net, {short: by_name[full] for short, full in names.items()}


def build_csv_task(data: CsvData, model: str, config: TrainingConfig) -> TaskState:
    """A TaskState that trains ``model`` (linear or MLP) on ``data``, in minibatches of
    the config's size shuffled each epoch; cross-entropy for classes, else squared error."""
    device = torch.device(config.device)
    features, _, _ = standardise(data.features)
    classes = data.classes
    if classes is None:
        target, y_mean, y_spread = standardise(data.target.reshape(-1, 1))
        targets = torch.tensor(target, dtype=torch.float32)
        loss_fn: nn.Module = nn.MSELoss()
    else:
        targets = torch.tensor(data.target, dtype=torch.int64)
        loss_fn = nn.CrossEntropyLoss()
    net, params = _network(model, features.shape[1], 1 if classes is None else len(classes))
    net.to(device)
    state = TaskState(
        params=params,
        module=net,
        loss_module=loss_fn,
        data=TaskData(
            torch.tensor(features, dtype=torch.float32, device=device),
            targets.to(device),
            names=("features", "target"),
        ),
    )
    rows = len(features)
    batch_size = batch_rows(config.batch_size, rows)
    state.batches_per_epoch = -(-rows // batch_size)
    _add_steps(state, net, loss_fn, batch_size)
    if features.shape[1] == 1:
        if classes is None:
            _draw_fit(state, net, data, lambda out: out.ravel() * y_spread[0] + y_mean[0])
        else:
            _draw_fit(state, net, data, lambda out: out.argmax(axis=1).astype(np.float64))
    return state


def _add_steps(state: TaskState, net: nn.Module, loss_fn: nn.Module, batch_size: int) -> None:
    """Give ``state`` its step (one shuffled minibatch) and its whole-data loss."""
    data = state.data
    batches = data.batches

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        X = data.inputs
        if index == 0 or not batches:
            order = torch.randperm(len(X), device=X.device)
            batches[:] = list(torch.split(order, batch_size))
        rows = batches[index]
        loss = loss_fn(net(X[rows]), data.targets[rows])
        state.learn_from(loss, net, optimizer, lr)
        return loss

    def epoch_loss() -> torch.Tensor:
        with torch.no_grad():
            return loss_fn(net(data.inputs), data.targets)

    state.step = step
    state.epoch_loss = epoch_loss


def _draw_fit(state: TaskState, net: nn.Module, data: CsvData, in_file_units) -> None:
    """With one feature, the data sorted by it and the model's prediction over it, in
    the file's units (a class index for classes)."""
    order = np.argsort(data.features[:, 0], kind="stable")
    state.curve_x = data.features[order, 0]
    state.curve_y = data.target[order].astype(np.float64)

    def predict() -> np.ndarray:
        with torch.no_grad():
            out = net(state.data.inputs).detach().cpu().numpy()
        return in_file_units(out)[order]

    state.predict = predict
