"""A classifier task as plain PyTorch, for the editor: "Open as code" in the lab.

The code makes the same data (the toy data makers' own source), the same MLP and
the same first weights as the lab's run with these settings and seed, and trains
it with the same loop. It also defines ``model``, ``X``, ``y`` and ``loss_fn``,
so that the lab's "Your own model" can train what the editor changed.
"""

from __future__ import annotations

import inspect

from autograd_playground.core.training.classifier_task import build_mlp
from autograd_playground.core.training.settings import LabSettings, task_info
from autograd_playground.core.training.toy_data import MAKERS, maker_source

_OPTIMIZERS = {
    "adam": "torch.optim.Adam(model.parameters(), lr={lr!r})",
    "sgd": "torch.optim.SGD(model.parameters(), lr={lr!r})",
    "momentum": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum=0.9)",
}

_HEAD = """\
# {title}: the Training lab's run as plain PyTorch.
# The same data, network and first weights as the lab with seed {seed}.
# Ctrl+Enter runs it; the lab's "Your own model" trains model, X and y too.
import math

import torch
from torch import nn

SEED = {seed}
torch.manual_seed(SEED)  # the network's first weights
generator = torch.Generator().manual_seed(SEED)  # the data's


"""

_DATA = """

# {points} points, {test_percent}% of them kept aside to test on.
X_all, y_all = {maker}({points}, {noise!r}, generator)
X, y, X_test, y_test = split(X_all, y_all, {test_percent}, generator)


"""

_TRAINING = """

model = build_mlp({hidden_layers}, {neurons}, {activation!r})
loss_fn = nn.CrossEntropyLoss()
optimizer = {optimizer}

for step in range({length}):
    loss = loss_fn(model(X), y)  # every training point, each step
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

with torch.no_grad():
    train_accuracy = (model(X).argmax(dim=1) == y).float().mean().item()
    test_accuracy = (model(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"loss {{loss.item():.4f}}, train accuracy {{train_accuracy:.1%}}, "
      f"test accuracy {{test_accuracy:.1%}}")
"""


def classifier_code(settings: LabSettings, language: str = "en") -> str:
    """The classifier task ``settings.task`` with ``settings`` as code the editor runs."""
    info = task_info(settings.task)
    classifier = settings.classifier
    optimizer = _OPTIMIZERS.get(settings.optimizer, _OPTIMIZERS["adam"])
    return (
        _HEAD.format(title=info.title_in(language), seed=settings.seed)
        + maker_source(info.dataset)
        + _DATA.format(
            points=classifier.points,
            test_percent=classifier.test_percent,
            maker=MAKERS[info.dataset].__name__,
            noise=classifier.noise,
        )
        + inspect.getsource(build_mlp)
        + _TRAINING.format(
            hidden_layers=classifier.hidden_layers,
            neurons=classifier.neurons,
            activation=classifier.activation,
            optimizer=optimizer.format(lr=settings.lr),
            length=settings.length,
        )
    )
