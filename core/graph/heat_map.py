"""A tensor's heat map as plain data: bounded grids of cells, a shared scale, a histogram.

Made by core.graph.tensor_heatmap (on the engine thread, or for a small tensor from its
listed values when first shown) and painted by the window, which reads the cells with
numpy and never touches the tensor.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

# What a cell's mark says about the elements it stands for; NaN wins over an
# infinity, so a block holding both is drawn as NaN.
FINITE, HAS_NAN, HAS_POS_INF, HAS_NEG_INF = 0, 1, 2, 3


@dataclass(frozen=True)
class HeatPanel:
    """One 2-D grid of cells: a 1-D or 2-D tensor, or one slice of a 3-D or 4-D one.

    ``cells`` holds ``rows`` × ``cols`` float64 values row by row: each the mean of the
    finite elements of its block (NaN when it has none); ``marks`` one byte a cell
    (FINITE, HAS_NAN, …). ``index`` is the slice's index in the leading dimensions,
    () for a tensor of one or two dimensions.
    """

    index: tuple[int, ...]
    rows: int
    cols: int
    cells: bytes
    marks: bytes

    def cell(self, row: int, col: int) -> float:
        return array("d", self.cells)[row * self.cols + col]

    def mark(self, row: int, col: int) -> int:
        return self.marks[row * self.cols + col]


@dataclass(frozen=True)
class Histogram:
    """``counts`` of the finite elements in equal bins from ``low`` to ``high`` (their
    smallest and largest), and their ``mean``."""

    low: float
    high: float
    mean: float
    counts: tuple[int, ...]


@dataclass(frozen=True)
class HeatMap:
    """Heat map panels of a tensor and what they share.

    Each cell stands for a block of ``row_block`` × ``col_block`` elements of its slice
    (1 × 1: one cell per element). The colour scale runs symmetrically from
    ``-scale`` to ``+scale``, the largest magnitude among the finite cells shown (0
    when all are zero). ``slice_count`` is how many slices the tensor has; the first
    ones are in ``panels``. ``slice_shape`` is the shape of one slice as a 2-D grid.
    """

    panels: tuple[HeatPanel, ...]
    scale: float
    row_block: int
    col_block: int
    slice_shape: tuple[int, int]
    slice_count: int
    histogram: Histogram | None

    @property
    def exact(self) -> bool:
        """True when every cell is one element."""
        return self.row_block == 1 and self.col_block == 1
