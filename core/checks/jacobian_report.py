"""J two ways and backward(v) beside vᵀJ, as plain data; and reading the v the user types."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import numpy as np

from autograd_playground.core.checks.scratch_errors import ScratchError
from autograd_playground.core.i18n.catalog import Message

RTOL = 1e-5
ATOL = 1e-6


@dataclass(frozen=True, eq=False)
class JacobianReport:
    """J from the functional API and row by row, and backward(v) beside vᵀJ (numpy copies)."""

    root: str
    leaf: str
    root_shape: tuple[int, ...]
    leaf_shape: tuple[int, ...]
    dtype: str
    functional: np.ndarray  # (m, n): functional.jacobian, flattened
    rows: np.ndarray  # (m, n): row i is x.grad after y.backward(onehot_i)
    v: np.ndarray  # (m,)
    vjp: np.ndarray  # (n,): x.grad after y.backward(v)
    row_labels: tuple[str, ...] = ()
    column_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def max_difference(self) -> float:
        """Return the largest |J_functional − J_rows|."""
        return float(np.max(np.abs(self.functional - self.rows), initial=0.0))

    @property
    def agree(self) -> bool:
        return bool(np.allclose(self.functional, self.rows, rtol=RTOL, atol=ATOL))

    @property
    def vjp_from_rows(self) -> np.ndarray:
        """Return Σᵢ vᵢ·(row i): vᵀJ from the rows built one by one."""
        return self.v @ self.rows

    @property
    def vjp_difference(self) -> float:
        return float(np.max(np.abs(self.vjp - self.vjp_from_rows), initial=0.0))

    @property
    def vjp_agrees(self) -> bool:
        return bool(np.allclose(self.vjp, self.vjp_from_rows, rtol=RTOL, atol=ATOL))


def parse_vector(text: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return the numbers in ``text`` (commas, spaces or a nested list) as v; ones if empty."""
    count = int(np.prod(shape)) if shape else 1
    text = text.strip()
    if not text:
        return np.ones(count)
    try:
        if text.startswith(("[", "(")):
            numbers = np.asarray(ast.literal_eval(text), dtype=np.float64).reshape(-1)
        else:
            numbers = np.asarray([float(part) for part in re.split(r"[,\s]+", text) if part])
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ScratchError(
            Message(
                "v must be numbers separated by commas, such as 1, 0, 2 (got {text!r}).",
                text=text[:60],
            )
        ) from None
    if numbers.size == 1 and count > 1:
        return np.full(count, float(numbers[0]))
    if numbers.size != count:
        got = numbers.size
        if count == 1:
            raise ScratchError(
                Message(
                    "v needs {count} number, one per element of y (shape {shape}); got {got}.",
                    count=count,
                    shape=shape,
                    got=got,
                )
            )
        raise ScratchError(
            Message(
                "v needs {count} numbers, one per element of y (shape {shape}); got {got}.",
                count=count,
                shape=shape,
                got=got,
            )
        )
    return numbers
