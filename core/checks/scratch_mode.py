"""A torch function mode for re-running the user's code in a scratch namespace.

Inside it, every backward keeps its graph, so a gradient can still be taken
after the code has called ``backward()`` itself. Given a dtype, an op that
mixes floating tensors of that dtype with others computes in that dtype: a
float64 leaf stays float64 through ``A @ x`` even when ``A`` is float32, while
ops that never meet the leaf run exactly as written (same values, same random
draws). Torch function modes are per thread, so other threads are untouched.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.overrides import TorchFunctionMode

# Attribute access and writes into an existing tensor keep that tensor's dtype.
_UNTOUCHED = {"__get__", "__set__", "__setitem__", "__getitem__", "__delitem__"}


def _writes_in_place(func: Any, kwargs: dict[str, Any]) -> bool:
    name = getattr(func, "__name__", "")
    if name in _UNTOUCHED or "out" in kwargs:
        return True
    if name.startswith("__i") and name.endswith("__"):  # __iadd__, __imul__, …
        return True
    return name.endswith("_") and not name.endswith("__")


def _floating(value: Any) -> bool:
    return isinstance(value, torch.Tensor) and value.is_floating_point()


class ScratchMode(TorchFunctionMode):
    """Force ``retain_graph=True`` on backward; with ``dtype``, compute mixed ops in it."""

    def __init__(self, dtype: torch.dtype | None = None) -> None:
        super().__init__()
        self.dtype = dtype

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if "retain_graph" in kwargs:
            # Tensor.backward, autograd.backward and autograd.grad, however wrapped:
            # matching the keyword survives other code patching them.
            kwargs["retain_graph"] = True
        elif self.dtype is not None and not _writes_in_place(func, kwargs):
            args, kwargs = self._promoted(args, kwargs)
        return func(*args, **kwargs)

    def _promoted(self, args: tuple, kwargs: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
        found = [t for t in _tensors(args) + _tensors(tuple(kwargs.values())) if _floating(t)]
        dtypes = {t.dtype for t in found}
        if self.dtype not in dtypes or len(dtypes) < 2:
            return args, kwargs
        return _cast(args, self.dtype), {k: _cast(v, self.dtype) for k, v in kwargs.items()}


def _tensors(values: tuple) -> list[Any]:
    """Return the tensors in ``values`` and in the lists and tuples among them."""
    found: list[Any] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, torch.Tensor))
        elif isinstance(value, torch.Tensor):
            found.append(value)
    return found


def _cast(value: Any, dtype: torch.dtype) -> Any:
    if _floating(value) and value.dtype != dtype:
        return value.to(dtype)
    if isinstance(value, (list, tuple)) and any(_floating(item) for item in value):
        cast = [_cast(item, dtype) if isinstance(item, torch.Tensor) else item for item in value]
        return type(value)(cast) if isinstance(value, list) else tuple(cast)
    return value
