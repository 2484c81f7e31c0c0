"""The lab's tasks, each as its seed tutorial writes it, with the seed's defaults.

A task builds its data and parameters on a device and knows how to take one
step: forward, loss, backward and the update (the seed's own manual update, or
a torch optimizer the learner picks).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.catalog import (
    LINREG_EXAMPLES,
    TASK_INFOS,
    TaskInfo,
    TrainingConfig,
    batch_rows,
)
from autograd_playground.core.training.classifier_task import build_classifier
from autograd_playground.core.training.task_state import StepRecords, TaskData, TaskState

# The tasks' state types are defined in task_state (the classifier builder needs them
# without the task table); other task builders import them from here too.
__all__ = ["TASKS", "StepRecords", "TaskData", "TaskState"]


def _shuffled_batches(count: int, batch_size: int, device: torch.device) -> list[torch.Tensor]:
    """The seed's data_iter order: the indices shuffled by ``random``, cut into batches.

    The seed makes a tensor of each batch's indices; the lab makes one of all of them,
    copied to the device at once and without waiting for the steps queued there
    (from pinned memory on CUDA), and cut into views: one copy an epoch, not a
    blocking one for every batch.
    """
    indices = list(range(count))
    random.shuffle(indices)
    order = torch.tensor(indices)
    if device.type == "cuda":
        order = order.pin_memory()
    return list(torch.split(order.to(device, non_blocking=True), batch_size))


# -- linear regression (d2l 3.2), from scratch and with nn ---------------------------------
TRUE_W = (2.0, -3.4)
TRUE_B = 4.2


def _synthetic_data(w: torch.Tensor, b: float, num_examples: int) -> tuple[torch.Tensor, ...]:
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def _linreg_data(device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    features, labels = _synthetic_data(torch.tensor(TRUE_W), TRUE_B, LINREG_EXAMPLES)
    return features.to(device), labels.to(device)


def build_linreg_scratch(config: TrainingConfig) -> TaskState:
    device = torch.device(config.device)
    features, labels = _linreg_data(device)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True, device=device)
    b = torch.zeros(1, requires_grad=True, device=device)
    state = TaskState(
        params={"w": w, "b": b},
        truth={"w": np.array(TRUE_W).reshape(2, 1), "b": np.array([TRUE_B])},
        data=TaskData(features, labels, names=("features", "labels")),
    )
    data = state.data
    batches = data.batches
    batch_size = batch_rows(config.batch_size, len(features))
    state.batches_per_epoch = -(-len(features) // batch_size)

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        features = data.inputs
        if index == 0 or not batches:
            batches[:] = _shuffled_batches(len(features), batch_size, features.device)
        batch = batches[index]
        X, y = features[batch], data.targets[batch]
        w, b = state.params["w"], state.params["b"]
        y_hat = torch.matmul(X, w) + b
        loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
        total = loss.sum()
        total.backward()
        if state.record_grads or state.record_graph:  # else note_grads has nothing to do
            state.note_grads(total)
        # The seed's own update, or the optimizer the learner picked instead. Written
        # out in every task: a helper taking the update as a closure slows every step.
        if optimizer is None:
            with torch.no_grad():  # the seed's sgd
                for param in (w, b):
                    param -= lr * param.grad / len(batch)
                    param.grad.zero_()
        else:
            optimizer.step()
            optimizer.zero_grad()
        return loss  # per example: the report takes the mean

    def epoch_loss() -> torch.Tensor:
        # The seed's print after each epoch: loss(net(features, w, b), labels).mean().
        with torch.no_grad():
            features, labels = data.inputs, data.targets
            return ((torch.matmul(features, w) + b - labels) ** 2 / 2).mean()

    state.step = step
    state.epoch_loss = epoch_loss
    return state


def build_linreg_concise(config: TrainingConfig) -> TaskState:
    device = torch.device(config.device)
    features, labels = _linreg_data(device)
    net = nn.Sequential(nn.Linear(2, 1)).to(device)
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    loss_fn = nn.MSELoss()
    state = TaskState(
        params={"w": net[0].weight, "b": net[0].bias},
        truth={"w": np.array([TRUE_W]), "b": np.array([TRUE_B])},
        module=net,
        loss_module=loss_fn,
        data=TaskData(features, labels, names=("features", "labels")),
    )
    batch_size = batch_rows(config.batch_size, len(features))
    state.batches_per_epoch = -(-len(features) // batch_size)
    data = state.data
    batches = data.batches

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        features = data.inputs
        if index == 0 or not batches:
            batches[:] = _shuffled_batches(len(features), batch_size, features.device)
        batch = batches[index]
        X, y = features[batch], data.targets[batch]
        loss = loss_fn(net(X), y)
        state.learn_from(loss, net, optimizer, lr)
        return loss

    def epoch_loss() -> torch.Tensor:
        with torch.no_grad():  # the seed's print: loss(net(features), labels)
            return loss_fn(net(data.inputs), data.targets)

    state.step = step
    state.epoch_loss = epoch_loss
    return state


# -- quadratic fit y = 3x² + 2 + noise (seed 001) -------------------------------------------
QUADRATIC_NOISE = 0.2  # the seed's noise: uniform on [0, 0.2]
# The noise's mean is 0.1, not 0: y's expected value, which the best fit finds, is
# 3x² + 2.1. A truth of b = 2 showed a perfect fit as 0.1 off.
QUADRATIC_TRUTH = {"w": 3.0, "b": 2.0 + QUADRATIC_NOISE / 2}


def build_quadratic(config: TrainingConfig) -> TaskState:
    device = torch.device(config.device)
    x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
    y = 3 * x.pow(2) + 2 + QUADRATIC_NOISE * torch.rand(x.size())
    x, y = x.to(device), y.to(device)
    w = torch.rand(1, 1, requires_grad=True, device=device)
    b = torch.rand(1, 1, requires_grad=True, device=device)
    mean = QUADRATIC_NOISE / 2
    state = TaskState(
        params={"w": w, "b": b},
        truth={name: np.array([[value]]) for name, value in QUADRATIC_TRUTH.items()},
        truth_notes={"b": Message("2 + noise mean {mean:g}", mean=mean)},
        data=TaskData(x, y),
        curve_x=x.detach().cpu().numpy().ravel(),
        curve_y=y.detach().cpu().numpy().ravel(),
    )
    data = state.data

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        x, y = data.inputs, data.targets
        y_pred = x.pow(2).mm(w) + b
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        if state.record_grads or state.record_graph:  # else note_grads has nothing to do
            state.note_grads(loss)
        if optimizer is None:
            with torch.no_grad():  # the seed's w -= lr * w.grad, in place
                w.sub_(lr * w.grad)
                b.sub_(lr * b.grad)
                w.grad.zero_()
                b.grad.zero_()
        else:
            optimizer.step()
            optimizer.zero_grad()
        return loss

    def predict() -> np.ndarray:
        with torch.no_grad():
            x, w, b = data.inputs, state.params["w"], state.params["b"]
            return (x.pow(2).mm(w) + b).cpu().numpy().ravel()

    state.step = step
    state.predict = predict
    return state


# -- two-layer net (seed 004): numpy, tensors with manual backprop, autograd ------------------
N, D_IN, H, D_OUT = 64, 1000, 100, 10


def build_two_layer_numpy(config: TrainingConfig) -> TaskState:
    x = np.random.randn(N, D_IN)
    y = np.random.randn(N, D_OUT)
    params = {"w1": np.random.randn(D_IN, H), "w2": np.random.randn(H, D_OUT)}
    state = TaskState(params=params, numpy_params=True)  # type: ignore[arg-type]

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> float:
        w1, w2 = state.params["w1"], state.params["w2"]
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        loss = np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h = grad_y_pred.dot(w2.T)
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
        state.recorded.grads = {"w1": grad_w1, "w2": grad_w2}
        return float(loss)

    state.step = step
    return state


def build_two_layer_tensor(config: TrainingConfig) -> TaskState:
    device = torch.device(config.device)
    x = torch.randn(N, D_IN, device=device)
    y = torch.randn(N, D_OUT, device=device)
    w1 = torch.randn(D_IN, H, device=device)
    w2 = torch.randn(H, D_OUT, device=device)
    state = TaskState(params={"w1": w1, "w2": w2}, data=TaskData(x, y))
    data = state.data

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        x, y = data.inputs, data.targets
        w1, w2 = state.params["w1"], state.params["w2"]
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.T).clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
        state.recorded.grads = {"w1": grad_w1, "w2": grad_w2}
        return loss

    state.step = step
    return state


def build_two_layer_autograd(config: TrainingConfig) -> TaskState:
    device = torch.device(config.device)
    x = torch.randn(N, D_IN, device=device)
    y = torch.randn(N, D_OUT, device=device)
    w1 = torch.randn(D_IN, H, device=device, requires_grad=True)
    w2 = torch.randn(H, D_OUT, device=device, requires_grad=True)
    state = TaskState(params={"w1": w1, "w2": w2}, data=TaskData(x, y))
    data = state.data

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        x, y = data.inputs, data.targets
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        if state.record_grads or state.record_graph:  # else note_grads has nothing to do
            state.note_grads(loss)
        if optimizer is None:
            with torch.no_grad():  # the seed's w1 -= learning_rate * w1.grad, in place
                w1.sub_(lr * w1.grad)
                w2.sub_(lr * w2.grad)
                w1.grad.zero_()
                w2.grad.zero_()
        else:
            optimizer.step()
            optimizer.zero_grad()
        return loss

    state.step = step
    return state


TASKS: dict[str, tuple[TaskInfo, Callable[[TrainingConfig], TaskState]]] = {
    key: (TASK_INFOS[key], builder)
    for key, builder in (
        ("linreg_scratch", build_linreg_scratch),
        ("linreg_concise", build_linreg_concise),
        ("quadratic", build_quadratic),
        ("two_layer_numpy", build_two_layer_numpy),
        ("two_layer_tensor", build_two_layer_tensor),
        ("two_layer_autograd", build_two_layer_autograd),
        *((key, build_classifier) for key, info in TASK_INFOS.items() if info.classifier),
    )
}
