"""Train the learner's own model: a small protocol over names defined in the editor.

The code defines:

* ``model``: an ``nn.Module``, or a function ``model(X)`` of the tensors in ``params``;
* ``params``: only without a module, a list or dict of tensors with requires_grad=True;
* ``X`` and ``y``: the training inputs and targets (tensors);
* ``loss_fn`` (optional): ``loss_fn(prediction, y)``, by default ``nn.MSELoss()``; a
  loss module's buffers (class weights) move with the model to another device;
* ``true_params`` (optional): a dict of name to value, drawn as the truth.

Batches of ``batch_size`` rows are drawn in order each epoch (0 means all rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.i18n.localized_error import LocalizedError
from autograd_playground.core.training.catalog import TrainingConfig, batch_rows
from autograd_playground.core.training.tasks import TaskData, TaskState
from autograd_playground.core.training.user_plane import user_plane_view


class UserTaskError(LocalizedError):
    """The editor's code does not follow the training protocol."""


def _named_params(namespace: Mapping[str, Any]) -> tuple[dict[str, torch.Tensor], nn.Module | None]:
    model = namespace.get("model")
    if isinstance(model, nn.Module):
        params = dict(model.named_parameters())
        if not params:
            raise UserTaskError(Message("model has no parameters to train."))
        return params, model
    if not callable(model):
        raise UserTaskError(Message("define model: an nn.Module, or a function model(X)."))
    raw = namespace.get("params")
    if isinstance(raw, Mapping):
        params = dict(raw)
    elif isinstance(raw, (list, tuple)):
        params = {f"params[{index}]": value for index, value in enumerate(raw)}
    else:
        raise UserTaskError(
            Message("model is a function: also define params, the tensors it learns.")
        )
    for name, value in params.items():
        if not isinstance(value, torch.Tensor) or not value.requires_grad or not value.is_leaf:
            raise UserTaskError(
                Message("{name} must be a leaf tensor with requires_grad=True.", name=name)
            )
    return params, None


def _training_data(namespace: Mapping[str, Any]) -> tuple[torch.Tensor, torch.Tensor]:
    """The namespace's ``X`` and ``y``, checked to be tensors with one row each."""
    X, y = namespace.get("X"), namespace.get("y")
    if not isinstance(X, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise UserTaskError(Message("define X and y, the training inputs and targets, as tensors."))
    if len(X) != len(y):
        raise UserTaskError(
            Message("X has {len_x} rows but y has {len_y}.", len_x=len(X), len_y=len(y))
        )
    return X, y


def _true_values(namespace: Mapping[str, Any]) -> dict[str, np.ndarray]:
    return {
        name: np.asarray(
            value.detach().cpu() if isinstance(value, torch.Tensor) else value, dtype=np.float64
        )
        for name, value in (namespace.get("true_params") or {}).items()
    }


def _move_params(module: nn.Module | None, params: dict, device: torch.device) -> None:
    if module is not None:
        module.to(device)
        return
    with torch.no_grad():
        for param in params.values():
            param.data = param.data.to(device)


def build_user_task(namespace: Mapping[str, Any], config: TrainingConfig) -> TaskState:
    """Return a TaskState that trains what ``namespace`` defines (see the module docstring)."""
    params, module = _named_params(namespace)
    X, y = _training_data(namespace)
    model = namespace["model"]
    loss_fn = namespace.get("loss_fn") or nn.MSELoss()
    device = torch.device(config.device)
    _move_params(module, params, device)
    state = TaskState(
        params=params,
        truth=_true_values(namespace),
        module=module,
        # A loss module (weighted, say) holds tensors of its own: they move with the model.
        loss_module=loss_fn.to(device) if isinstance(loss_fn, nn.Module) else None,
        data=TaskData(X.to(device), y.to(device), names=("X", "y")),
    )
    data = state.data
    rows = len(X)
    batch = batch_rows(config.batch_size, rows)
    batches = state.batches_per_epoch = -(-rows // batch)

    def step(index: int, optimizer: torch.optim.Optimizer | None, lr: float) -> torch.Tensor:
        if not 0 <= index < batches:
            # Past the data, the slice is empty and its mean loss NaN: a halt would
            # blame the learner's rate for the lab's mistake.
            raise LocalizedError(
                Message(
                    "the lab asked for batch {index} of an epoch of {batches}: a "
                    "bug in the lab, not in your code.",
                    index=index,
                    batches=batches,
                )
            )
        X, y = data.inputs, data.targets
        start = index * batch
        loss = loss_fn(model(X[start : start + batch]), y[start : start + batch])
        if optimizer is None:
            raise UserTaskError(Message("pick an optimizer for your own model."))
        optimizer.zero_grad()
        loss.backward()
        state.note_grads(loss)
        optimizer.step()
        return loss.detach()

    state.step = step
    if X.dim() == 1 or (X.dim() == 2 and X.shape[1] == 1):
        _draw_fit_over_the_data(state, model, X, y)
    plane = user_plane_view(model, data.inputs, data.targets)
    if plane is not None:  # a two-class classifier of points: its boundary is drawn
        state.view_module = plane
        state.report_view = lambda step: plane.report(step, model, data.inputs, data.targets)
    return state


def _draw_fit_over_the_data(state: TaskState, model: Any, X: torch.Tensor, y: torch.Tensor) -> None:
    """With one input feature, give ``state`` the data sorted by x and the model's curve."""
    order = torch.argsort(X.reshape(-1).detach().cpu()).numpy()
    state.curve_x = X.reshape(-1).detach().cpu().numpy()[order]
    state.curve_y = y.reshape(-1).detach().cpu().numpy()[order]

    def predict() -> np.ndarray:
        with torch.no_grad():
            out = model(state.data.inputs).reshape(-1).detach().cpu().numpy()
        return out[order]

    state.predict = predict
