"""What identifies a backward step's node while its graph lives, and the name it is shown by."""

from __future__ import annotations

from typing import Any

import torch

from autograd_playground.core.teach.backward.local_rules import ACCUMULATE_GRAD

StepKey = tuple


def step_key(fn: Any) -> StepKey:
    """Return what identifies ``fn`` while the graph lives: a leaf, or op and sequence number."""
    variable = getattr(fn, "variable", None)
    if variable is not None:
        return ("leaf", id(variable))
    return ("op", fn._sequence_nr(), op_name(fn))


def op_name(fn: Any) -> str:
    """Return the name shown for ``fn``: 'MulBackward0', 'AccumulateGrad', 'MyReLUBackward'."""
    if hasattr(fn, "variable"):
        return ACCUMULATE_GRAD
    if is_custom(fn):
        return type(fn).__name__
    return fn.name()


def is_custom(fn: Any) -> bool:
    """Return True for the backward node of a user's torch.autograd.Function."""
    return isinstance(fn, torch.autograd.function.BackwardCFunction)
