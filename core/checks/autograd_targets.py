"""Which tensors of a namespace can be differentiated, and with respect to which named leaves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from autograd_playground.core.graph.extract import named_tensors

MAX_WALKED = 50_000  # grad_fn nodes per root; a bigger graph lists the leaves found so far


@dataclass(frozen=True)
class RootChoice:
    """A tensor with a grad_fn, and the named tensors requiring grad that it depends on."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    leaves: tuple[str, ...]

    @property
    def is_scalar(self) -> bool:
        return self.shape == () or all(size == 1 for size in self.shape)


def leaves_of(root: torch.Tensor) -> list[torch.Tensor]:
    """Return the leaf tensors that ``root``'s graph accumulates gradients into."""
    found: dict[int, torch.Tensor] = {}
    stack = [root.grad_fn] if root.grad_fn is not None else []
    seen: set[int] = set()
    while stack and len(seen) < MAX_WALKED:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        variable = getattr(fn, "variable", None)
        if isinstance(variable, torch.Tensor):
            found.setdefault(id(variable), variable)
        stack.extend(next_fn for next_fn, _ in fn.next_functions if next_fn is not None)
    return list(found.values())


def depends_on(root: torch.Tensor, tensor: torch.Tensor) -> bool:
    """Return True if ``tensor`` (a leaf, or a tensor with a grad_fn) is in ``root``'s graph."""
    if root is tensor:
        return True
    if tensor.grad_fn is None:
        return any(leaf is tensor for leaf in leaves_of(root))
    target = tensor.grad_fn
    stack = [root.grad_fn] if root.grad_fn is not None else []
    seen: set[int] = set()
    while stack and len(seen) < MAX_WALKED:
        fn = stack.pop()
        if fn is target:
            return True
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        stack.extend(next_fn for next_fn, _ in fn.next_functions if next_fn is not None)
    return False


def root_choices(namespace: Mapping[str, Any]) -> list[RootChoice]:
    """Return the variables with a grad_fn, in definition order, each with its named leaves."""
    names = {key: name for key, (name, _) in named_tensors(namespace).items()}
    choices = []
    for name, value in namespace.items():
        if name.startswith("_") or not isinstance(value, torch.Tensor) or value.grad_fn is None:
            continue
        leaves = tuple(sorted(names[id(leaf)] for leaf in leaves_of(value) if id(leaf) in names))
        choices.append(RootChoice(name, tuple(value.shape), str(value.dtype), leaves))
    return choices
