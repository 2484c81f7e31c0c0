"""Every tensor a trainer can reach, with where it is held: for tests of device moves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch import nn


def reachable_tensors(root: Any, path: str = "trainer") -> Iterator[tuple[str, torch.Tensor]]:
    """Each tensor reachable from ``root``, named by the path that reaches it.

    Walks containers, the project's own objects, modules, optimizers and the cells
    of closures (a task's step holds its tensors there), but not a function's
    globals: the learner's namespace is theirs, not the run's.
    """
    seen: set[int] = set()
    todo: list[tuple[str, Any]] = [(path, root)]
    while todo:
        where, value = todo.pop()
        if id(value) in seen or value is None or isinstance(value, (str, bytes, np.ndarray)):
            continue
        seen.add(id(value))
        if isinstance(value, torch.Tensor):
            yield where, value
            if value.is_leaf and value.grad is not None:
                todo.append((f"{where}.grad", value.grad))
            continue
        todo.extend(_children(where, value))


def _children(where: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(f"{where}[{key!r}]", item) for key, item in value.items()] + [
            (f"{where}.key", key) for key in value if isinstance(key, torch.Tensor)
        ]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [(f"{where}[{index}]", item) for index, item in enumerate(value)]
    if callable(value) and getattr(value, "__closure__", None):
        return [
            (f"{where}<{name}>", cell.cell_contents)
            for name, cell in zip(value.__code__.co_freevars, value.__closure__, strict=True)
        ]
    if isinstance(value, (nn.Module, torch.optim.Optimizer)) or type(value).__module__.startswith(
        "autograd_playground"
    ):
        return [(f"{where}.{name}", item) for name, item in getattr(value, "__dict__", {}).items()]
    return []


def left_behind(root: Any, device: str) -> list[str]:
    """The tensors reachable from ``root`` that are not on ``device``, with their places.

    An optimizer's 0-d step count is left out: torch keeps it on the CPU on purpose.
    """
    return [
        f"{where} on {tensor.device}"
        for where, tensor in reachable_tensors(root)
        if tensor.device.type != torch.device(device).type
        and not (tensor.dim() == 0 and where.endswith("['step']"))
    ]
