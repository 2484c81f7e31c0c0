"""Names for where a backward step hands its gradients: ``x``, ``y (MulBackward0)``, ``c``.

A gradient that goes nowhere (an input that needs no grad) has no grad_fn to
name, so the op's saved tensors are read before backward frees them: an input
that needs no grad and was saved is the one that needs no grad.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import torch

from autograd_playground.core.graph.tensor_text import number_text
from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.teach.backward.step_keys import op_name, step_key

# The usual order of an op's inputs by their schema names, to match saved tensors to
# positions when an op has more than one input that needs no grad.
_INPUT_ORDER = ("self", "input", "other", "tensor", "mat1", "mat2", "vec", "weight", "bias")


@lru_cache(maxsize=1024)
def _saved_tensor_attributes(op_type: type) -> tuple[str, ...]:
    """Return the attributes of an op type that hold a saved tensor (not its result)."""
    if issubclass(op_type, torch.autograd.function.BackwardCFunction):
        return ()  # a custom Function saves through ctx: nothing to match to inputs
    names = dir(op_type)
    raw = {name.removeprefix("_raw") for name in names if name.startswith("_raw_saved_")}
    return tuple(name for name in names if name in raw and name != "_saved_result")


def _input_rank(item: tuple[str, torch.Tensor]) -> int:
    name = item[0]
    return _INPUT_ORDER.index(name) if name in _INPUT_ORDER else len(_INPUT_ORDER)


def no_grad_inputs(nodes: Iterable[Any]) -> dict[int, list[tuple[str, torch.Tensor] | None]]:
    """Map id(op) to what each of its inputs that needs no grad is, in input order.

    Each entry is (argument name, the saved tensor), or None where no saved tensor
    says which it is. Call it before backward runs: backward frees saved tensors.
    """
    found: dict[int, list[tuple[str, torch.Tensor] | None]] = {}
    for fn in nodes:
        if hasattr(fn, "variable"):
            continue
        missing = sum(1 for child, _ in fn.next_functions if child is None)
        if not missing:
            continue
        saved = []
        for attribute in _saved_tensor_attributes(type(fn)):
            try:
                value = getattr(fn, attribute)
            except RuntimeError:  # freed by an earlier backward
                continue
            if isinstance(value, torch.Tensor) and not value.requires_grad:
                saved.append((attribute.removeprefix("_saved_"), value))
        saved.sort(key=_input_rank)
        found[id(fn)] = list(saved) if len(saved) == missing else [None] * missing
    return found


def _no_grad_label(input_: tuple[str, torch.Tensor] | None, names: Mapping[int, str]) -> Message:
    """Return the label of an input that needs no grad."""
    if input_ is None:
        return Message("to an input that needs no grad")
    argument, tensor = input_
    name = names.get(id(tensor))
    if name is not None:
        return Message("to {name} (needs no grad)", name=name)
    if tensor.numel() == 1:
        text = number_text(tensor.item())
        return Message("to the constant {text} (needs no grad)", text=text)
    return Message("to {argument} (needs no grad)", argument=argument)


def target_labels(
    fn: Any, names: Mapping[int, str], fn_names: Mapping[Any, str], no_grad: Mapping[int, list]
) -> list[Message]:
    """Return the label of each input of op ``fn``, in next_functions order.

    ``names`` maps id(tensor) to its variable name, ``fn_names`` a step key to the
    name of the variable that op made, ``no_grad`` is what ``no_grad_inputs`` found.
    """
    pending = iter(no_grad.get(id(fn), ()))
    labels = []
    for child, _ in fn.next_functions:
        if child is None:
            labels.append(_no_grad_label(next(pending, None), names))
        elif hasattr(child, "variable"):
            leaf = child.variable
            name = names.get(id(leaf))
            shape = tuple(leaf.shape)
            if name:
                labels.append(Message("to {name}", name=name))
            else:
                labels.append(Message("to an unnamed leaf {shape}", shape=shape))
        else:
            op = op_name(child)
            name = fn_names.get(step_key(child))
            if name:
                labels.append(Message("to {name} ({op})", name=name, op=op))
            else:
                labels.append(Message("to {op}", op=op))
    return labels
