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
from autograd_playground.core.i18n.bilingual import pick

# The usual order of an op's inputs by their schema names, to match saved tensors to
# positions when an op has more than one input that needs no grad.
_INPUT_ORDER = ("self", "input", "other", "tensor", "mat1", "mat2", "vec", "weight", "bias")


def unnamed_leaf_text(tensor: torch.Tensor, language: str = "en") -> str:
    """Return how a step names a leaf that no variable holds: by its shape."""
    shape = tuple(tensor.shape)
    return pick(f"an unnamed leaf {shape}", f"未命名的叶子张量 {shape}", language)


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


def _no_grad_label(input_: tuple[str, torch.Tensor] | None, names: Mapping[int, str]) -> tuple:
    """Return (English, Chinese) for an input that needs no grad."""
    if input_ is None:
        return "to an input that needs no grad", "传给一个无需梯度的输入"
    argument, tensor = input_
    name = names.get(id(tensor))
    if name is not None:
        return f"to {name} (needs no grad)", f"传给 {name}（无需梯度）"
    if tensor.numel() == 1:
        text = number_text(tensor.item())
        return f"to the constant {text} (needs no grad)", f"传给常数 {text}（无需梯度）"
    return f"to {argument} (needs no grad)", f"传给 {argument}（无需梯度）"


def target_labels(
    fn: Any, names: Mapping[int, str], fn_names: Mapping[Any, str], no_grad: Mapping[int, list]
) -> list[tuple[str, str]]:
    """Return (English, Chinese) for each input of op ``fn``, in next_functions order.

    ``names`` maps id(tensor) to its variable name, ``fn_names`` a step key to the
    name of the variable that op made, ``no_grad`` is what ``no_grad_inputs`` found.
    """
    # Imported here: core.teach.backward.trace imports this module.
    from autograd_playground.core.teach.backward.trace import op_name, step_key

    pending = iter(no_grad.get(id(fn), ()))
    labels = []
    for child, _ in fn.next_functions:
        if child is None:
            labels.append(_no_grad_label(next(pending, None), names))
        elif hasattr(child, "variable"):
            leaf = child.variable
            name = names.get(id(leaf))
            en = name or unnamed_leaf_text(leaf)
            labels.append((f"to {en}", f"传给 {name or unnamed_leaf_text(leaf, 'zh')}"))
        else:
            op = op_name(child)
            name = fn_names.get(step_key(child))
            if name:
                labels.append((f"to {name} ({op})", f"传给 {name}（{op}）"))
            else:
                labels.append((f"to {op}", f"传给 {op}"))
    return labels
