"""The result of a gradient check, as plain data: one verdict per element, leaf and dtype."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd_playground.core.i18n.catalog import Message, text_in

ATOL = 1e-5  # torch.autograd.gradcheck's defaults
RTOL = 1e-3
MAX_ELEMENTS = 200
PRECISIONS = (("float32", 1e-3), ("float64", 1e-6))


def eps_text(eps: float) -> str:
    """Return ε as people write it: 1e-3, not 0.001."""
    return f"{eps:.0e}".replace("e-0", "e-")


WHY_PRECISION = Message(
    "float32 keeps about 7 significant digits, so f(x+ε) and "
    "f(x−ε) are each rounded by about 1e-7·|f|, and dividing "
    "their difference by 2ε = 0.002 magnifies that rounding to "
    "around 1e-4; float64 keeps about 16 digits, so even ε = "
    "1e-6 leaves errors near 1e-9, which is why gradcheck wants "
    "float64 inputs."
)


def why_precision(language: str = "en") -> str:
    """Return why float32 fails a check that float64 passes, in ``language``."""
    return WHY_PRECISION.in_language(language)


@dataclass(frozen=True)
class ElementCheck:
    """One element: autograd's derivative, the finite difference and how far apart they are."""

    label: str
    analytic: float
    numeric: float
    atol: float = ATOL
    rtol: float = RTOL

    @property
    def abs_error(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float | None:
        """Return |autograd − numeric| / |numeric|, None when numeric is 0."""
        return self.abs_error / abs(self.numeric) if self.numeric else None

    @property
    def ok(self) -> bool:
        return self.abs_error <= self.atol + self.rtol * abs(self.numeric)


@dataclass(frozen=True)
class LeafCheck:
    """The checked elements of one leaf in one precision."""

    leaf: str
    shape: tuple[int, ...]
    elements: tuple[ElementCheck, ...]
    notes: tuple[Message, ...] = ()

    def notes_in(self, language: str) -> tuple[str, ...]:
        """Return the notes in ``language``."""
        return tuple(note.in_language(language) for note in self.notes)

    @property
    def ok(self) -> bool:
        return all(element.ok for element in self.elements)

    @property
    def max_abs_error(self) -> float:
        return max((element.abs_error for element in self.elements), default=0.0)


@dataclass(frozen=True)
class PrecisionCheck:
    """Every leaf checked in one dtype with one ε."""

    dtype: str
    eps: float
    leaves: tuple[LeafCheck, ...]

    @property
    def ok(self) -> bool:
        return all(leaf.ok for leaf in self.leaves)

    @property
    def max_abs_error(self) -> float:
        return max((leaf.max_abs_error for leaf in self.leaves), default=0.0)

    @property
    def failures(self) -> int:
        return sum(not element.ok for leaf in self.leaves for element in leaf.elements)


@dataclass(frozen=True)
class GradCheckReport:
    """The whole check: one PrecisionCheck per dtype, and what stopped it early, if anything."""

    root: str
    leaves: tuple[str, ...]
    precisions: tuple[PrecisionCheck, ...]
    atol: float = ATOL
    rtol: float = RTOL
    stopped: Message | None = None
    notes: tuple[Message, ...] = field(default=())

    def stopped_in(self, language: str) -> str | None:
        """Return what stopped the check early in ``language``, None if nothing did."""
        return text_in(self.stopped, language)

    def precision(self, dtype: str) -> PrecisionCheck:
        """Return the check done in ``dtype`` ('float32' or 'float64')."""
        return next(check for check in self.precisions if check.dtype == dtype)
