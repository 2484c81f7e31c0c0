"""Move a run's tensors to another device all at once, or not at all.

A move copies every tensor first and puts the copies in place only once all of
them exist: a copy that fails (the target device runs out of memory half-way)
leaves every tensor where it was, so the run never ends up split across devices.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, MutableSequence
from typing import Any

import torch
from torch import nn

from autograd_playground.core.i18n.localized_error import LocalizedError


class MoveFailed(LocalizedError):
    """A move that did not happen: everything stayed on the device it was on."""


class TensorMove:
    """Copies of tensors on ``target``, each with how to put it in its tensor's place."""

    def __init__(self, target: torch.device) -> None:
        self.target = target
        # (put, old, new): ``put(x)`` places x where the old tensor is held.
        self._places: list[tuple[Callable[[Any], None], Any, Any]] = []
        # A tensor held in two places (a step's loss, waiting for the report and for
        # its epoch's mean) gets one copy, held in both: the places keep it alive.
        self._copies: dict[int, torch.Tensor] = {}
        self._parameters: set[int] = set()  # those added, each once however often met

    def add(self, value: Any, put: Callable[[Any], None]) -> None:
        """Copy ``value`` (when it is a tensor) to the target; ``put`` places the copy later."""
        if isinstance(value, torch.Tensor):
            self._places.append((put, value, self._copy(value)))

    def add_parameter(self, param: torch.Tensor) -> None:
        """Move a parameter in place, its grad with it: the optimizer and the task's
        closures hold the parameter itself, so it keeps its identity."""
        if id(param) in self._parameters:  # a module shared by the model and the loss
            return
        self._parameters.add(id(param))
        grad = param.grad
        new = (self._copy(param.data), None if grad is None else self._copy(grad))
        self._places.append((lambda pair: _place_parameter(param, *pair), (param.data, grad), new))

    def _copy(self, value: torch.Tensor) -> torch.Tensor:
        copy = self._copies.get(id(value))
        if copy is None:
            with torch.no_grad():  # a loss still holding its graph must not grow one
                copy = self._copies[id(value)] = value.to(self.target)
        return copy

    def add_module(self, module: nn.Module) -> None:
        """Every parameter and buffer of ``module`` and its submodules."""
        for owner in module.modules():
            for param in owner._parameters.values():
                if param is not None:
                    self.add_parameter(param)
            for name, buffer in owner._buffers.items():
                self.add(buffer, _setter(owner._buffers, name))

    def add_items(self, container: MutableMapping | MutableSequence) -> None:
        """Each tensor held in a dict or a list, in its place."""
        keys = container.keys() if isinstance(container, MutableMapping) else range(len(container))
        for key in list(keys):
            self.add(container[key], _setter(container, key))

    def commit(self) -> None:
        """Put every copy in its place; should a place refuse one, put the old ones back."""
        done = 0
        try:
            for put, _, new in self._places:
                put(new)
                done += 1
        except BaseException:
            for put, old, _ in reversed(self._places[:done]):
                put(old)
            raise
        finally:
            self.discard()

    def discard(self) -> None:
        """Forget the copies made so far, freeing their memory on the target."""
        self._places, self._copies, self._parameters = [], {}, set()


def _place_parameter(param: torch.Tensor, data: torch.Tensor, grad: Any) -> None:
    """Give ``param`` new data and grad, keeping the parameter itself."""
    param.grad = None  # a grad must match its tensor's device: it goes first, comes last
    if torch._has_compatible_shallow_copy_type(param, data):  # CPU, CUDA, MPS among them
        param.data = data
    else:  # such as meta, which places tensors without data: the whole tensor is swapped
        replacement = data.detach().requires_grad_(param.requires_grad)
        if isinstance(param, nn.Parameter):  # a swap swaps classes too
            replacement = nn.Parameter(replacement, requires_grad=param.requires_grad)
        torch.utils.swap_tensors(param, replacement)
    param.grad = grad


def _setter(container: Any, key: Any) -> Callable[[Any], None]:
    def put(value: Any) -> None:
        container[key] = value

    return put
