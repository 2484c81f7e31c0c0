"""The plane view for the editor's own model, when it is a two-class classifier on the plane.

"Your own model" gets the classifier tasks' picture (P(class 1) over the plane under
the points, the first hidden layer's neurons) when its inputs ``X`` have two columns,
its targets ``y`` are the class indices 0 and 1, and it returns two class scores a row.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from autograd_playground.core.training.classifier_task import PlaneView, has_hidden_layer

MARGIN = 0.1  # of the data's extent, around it on every side of the plane
ACTIVATION_NAMES = {nn.Tanh: "tanh", nn.Sigmoid: "sigmoid"}


def user_plane_view(model: Any, X: torch.Tensor, y: torch.Tensor) -> PlaneView | None:
    """Return a PlaneView of ``model`` over the square around ``X``, or None when the
    model is not a two-class classifier of points on the plane."""
    if X.dim() != 2 or X.shape[1] != 2 or y.dim() != 1 or len(y) < 2:
        return None
    if y.dtype.is_floating_point or y.dtype.is_complex or y.dtype == torch.bool:
        return None
    if set(torch.unique(y).tolist()) != {0, 1}:
        return None
    with torch.no_grad():
        scores = model(X[:2])
    if not isinstance(scores, torch.Tensor) or scores.dim() != 2 or scores.shape[1] != 2:
        return None
    points, labels = X.detach().float().cpu(), y.detach().long().cpu()
    low, high = float(points.min()), float(points.max())
    margin = MARGIN * (high - low) or 1.0
    activation = "relu"  # neurons shown from zero up, unless the layer bounds them
    if has_hidden_layer(model):
        activation = ACTIVATION_NAMES.get(type(model[1]), activation)
    data = (points, labels, points.new_zeros(0, 2), labels.new_zeros(0))
    return PlaneView(activation, data, (low - margin, high + margin)).to(X.device)
