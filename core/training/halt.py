"""Why a loss stopped being finite, told honestly: the halt message of the lab.

A learning rate that is too high makes the parameters, and so the loss, grow
until they overflow. NaN has other sources that no learning rate fixes: data
that holds NaN, or a model or loss that computes 0/0 or the log of a negative
number from finite parameters. The message advises lowering the rate only where
the numbers show a blow-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.buffers import smoothed

# The loss grew this many times over its lowest moving average before it stopped
# being finite: the parameters were running away, as a too-high rate makes them.
BLOW_UP_GROWTH = 100.0

DATA = "data"  # the inputs or targets hold NaN or inf
MODEL = "model"  # finite parameters and data gave a NaN: the model or loss made it
DIVERGED = "diverged"  # the parameters blew up


def loss_text(value: float) -> str:
    """A loss as the lab prints it everywhere: NaN, inf, -inf, or 4 significant digits."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.4g}"


def non_finite_inputs(data: Mapping[str, Any]) -> list[str]:
    """The names of the task's data arrays (tensors or numpy) holding NaN or inf;
    whatever else ``data`` holds is not looked at."""
    names = []
    for name, value in data.items():
        if hasattr(value, "isfinite") and hasattr(value, "is_floating_point"):  # a tensor
            if value.is_floating_point() and not bool(value.isfinite().all()):
                names.append(name)
        elif (
            isinstance(value, np.ndarray)
            and value.dtype.kind == "f"
            and not np.isfinite(value).all()
        ):
            names.append(name)
    return names


@dataclass
class LossHistory:
    """How low a run's loss has been, and its latest value, for telling a blow-up.

    The low mark is of the loss's moving geometric mean, not of single steps: one
    minibatch's loss may be a thousand times below its neighbours', and a run
    measured against it would look as if it had blown up.
    """

    lowest: float = math.inf  # the lowest moving average so far
    latest: float = math.nan  # the last finite loss
    level: float | None = None  # the moving average now

    def extend(self, losses: np.ndarray) -> None:
        """Take in losses that are all finite, in step order."""
        if not len(losses):
            return
        line = smoothed(losses, start=self.level, log=True)
        line = line[np.isfinite(line)]  # a loss of 0 has no logarithm to average
        if len(line):
            self.level = float(line[-1])
            self.lowest = min(self.lowest, float(line.min()))
        self.latest = float(losses[-1])


def halt_cause(
    step: int, value: float, bad_inputs: list[str], history: LossHistory, params_finite: bool
) -> str:
    """DATA, MODEL or DIVERGED: why the loss at ``step`` became ``value``.

    ``history`` holds the finite losses before ``step``; ``params_finite`` says
    whether the parameters were finite after it.
    """
    if bad_inputs:
        return DATA
    if step == 0:  # computed before any update: the rate has not acted yet
        return MODEL
    grew = history.latest > BLOW_UP_GROWTH * max(history.lowest, np.finfo(np.float64).tiny)
    overflowed = math.isinf(value) and not params_finite
    return DIVERGED if grew or overflowed else MODEL


def halt_message(
    cause: str, step: int, value: float, back: int, lr: float, bad_inputs: list[str]
) -> Message:
    """The halt's message, to show in the reader's language."""
    value_text = loss_text(value)
    went_back = Message("Training went back to step {back}, the last finite parameters", back=back)
    if cause == DIVERGED:
        return Message(
            "loss became {value_text} at step {step}; lr {lr:g} is "
            "probably too high. {went_back}: lower the rate and resume.",
            value_text=value_text,
            step=step,
            lr=lr,
            went_back=went_back,
        )
    if cause == DATA:
        return Message(
            "loss became {value_text} at step {step} because the data "
            "({names}) holds NaN or inf values: no learning rate helps. "
            "{went_back}: fix the data and start again.",
            value_text=value_text,
            step=step,
            names=", ".join(bad_inputs),
            went_back=went_back,
        )
    return Message(
        "loss became {value_text} at step {step} while the "
        "parameters and the data were finite and the loss was not "
        "growing: the model or the loss function computed it (0/0, "
        "the log or square root of a negative number…), not the "
        "learning rate. {went_back}.",
        value_text=value_text,
        step=step,
        went_back=went_back,
    )
