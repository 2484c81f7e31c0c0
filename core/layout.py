"""Node positions and edge splines from the dot engine, as plain data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from core.dot_source import dot_names, to_dot
from core.graph_model import AutogradGraph

ENGINE_ENV = "AUTOGRAD_PLAYGROUND_DOT"
PURE_ENGINE = "graphviz-pure"
POINTS_PER_INCH = 72.0


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


def find_engine(preferred: str | None = None) -> str:
    """Return the path of a dot-compatible engine, preferring the pip-installed one.

    An explicit choice (``preferred``, else the ``AUTOGRAD_PLAYGROUND_DOT``
    variable) is used alone. Otherwise the order is ``graphviz-pure`` beside
    this Python, ``graphviz-pure`` on PATH, then a system ``dot`` if present.
    """
    chosen = preferred or os.environ.get(ENGINE_ENV)
    if chosen:
        resolved = shutil.which(chosen)
        if resolved is None:
            raise LayoutError(f"The layout engine {chosen!r} was not found.")
        return resolved
    scripts = Path(sys.executable).parent
    candidates = [str(scripts / PURE_ENGINE), str(scripts / f"{PURE_ENGINE}.exe")]
    candidates += [shutil.which(PURE_ENGINE), shutil.which("dot")]
    for candidate in candidates:
        if candidate and (resolved := shutil.which(candidate)):
            return resolved
    raise LayoutError(
        "No graph layout engine found. Install the 'graphviz-pure' package "
        "(pip install graphviz-pure) or point AUTOGRAD_PLAYGROUND_DOT at a dot program."
    )


def run_dot(
    source: str,
    output_format: str,
    *,
    engine: str | None = None,
    timeout: float = 60.0,
    cancel: threading.Event | None = None,
) -> bytes:
    """Run the dot engine on ``source`` and return its output in ``output_format``."""
    program = find_engine(engine)
    try:
        process = subprocess.Popen(
            [program, f"-T{output_format}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise LayoutError(f"Could not start the layout engine {program}: {exc}") from exc
    waited = 0.0
    step = 0.05
    data = source.encode()
    while True:
        try:
            out, err = process.communicate(data, timeout=step)
            break
        except subprocess.TimeoutExpired:
            data = None
            waited += step
            cancelled = cancel is not None and cancel.is_set()
            if cancelled or waited >= timeout:
                process.kill()
                process.communicate()
                if cancelled:
                    raise LayoutCancelled("Layout cancelled.") from None
                raise LayoutError(
                    f"The layout engine took longer than {timeout:g} s and was stopped."
                ) from None
    if process.returncode != 0:
        message = err.decode(errors="replace").strip() or f"exit status {process.returncode}"
        raise LayoutError(f"The layout engine failed: {message}")
    return out


def layout_graph(
    graph: AutogradGraph,
    direction: str = "TB",
    *,
    engine: str | None = None,
    timeout: float = 60.0,
    cancel: threading.Event | None = None,
) -> Layout:
    """Lay ``graph`` out with dot and return positions in scene points."""
    if not graph.nodes:
        return Layout()
    source = to_dot(graph, direction, with_grads=False)
    raw = run_dot(source, "json0", engine=engine, timeout=timeout, cancel=cancel)
    try:
        return parse_json_layout(json.loads(raw), graph)
    except (ValueError, KeyError, IndexError) as exc:
        raise LayoutError(f"Could not read the layout engine's output: {exc}") from exc


def _point(text: str, height: float) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x), height - float(y)


def parse_json_layout(data: dict, graph: AutogradGraph) -> Layout:
    """Turn dot's ``-Tjson0`` output into a Layout keyed by the graph's node ids."""
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    ids_by_name = {name: node_id for node_id, name in dot_names(graph).items()}
    layout = Layout(width=width, height=height)
    gvid_to_id: dict[int, str] = {}
    for obj in data.get("objects", []):
        node_id = ids_by_name.get(obj.get("name"))
        if node_id is None or "pos" not in obj:
            continue
        gvid_to_id[obj["_gvid"]] = node_id
        x, y = _point(obj["pos"], height)
        layout.nodes[node_id] = NodeBox(
            x, y, float(obj["width"]) * POINTS_PER_INCH, float(obj["height"]) * POINTS_PER_INCH
        )
    for edge, obj in zip(graph.edges, data.get("edges", []), strict=False):
        points: list[tuple[float, float]] = []
        tip = None
        for token in obj.get("pos", "").split():
            if token.startswith("e,"):
                tip = _point(token[2:], height)
            elif token.startswith("s,"):
                continue
            else:
                points.append(_point(token, height))
        source, target = gvid_to_id[obj["tail"]], gvid_to_id[obj["head"]]
        layout.edges.append(EdgePath(source, target, edge.kind, points, tip))
    return layout
