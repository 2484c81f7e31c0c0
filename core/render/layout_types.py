"""The layout's plain data: node boxes, edge splines, and the layout errors."""

from __future__ import annotations

from dataclasses import dataclass, field


class LayoutError(RuntimeError):
    """The dot engine is missing, failed, timed out or was cancelled."""


class LayoutCancelled(LayoutError):
    """The layout was cancelled before it finished."""


@dataclass(frozen=True)
class NodeBox:
    """A node's centre and size in scene points (y grows downwards)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class EdgePath:
    """An edge's cubic B-spline control points and arrow tip, in scene points."""

    source: str
    target: str
    kind: str
    points: list[tuple[float, float]]
    arrow_tip: tuple[float, float] | None


@dataclass
class Layout:
    """Where everything goes; ``width`` and ``height`` bound the drawing."""

    nodes: dict[str, NodeBox] = field(default_factory=dict)
    edges: list[EdgePath] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
