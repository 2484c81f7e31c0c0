"""Write an AutogradGraph as JSON, DOT, SVG or PNG."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode, TensorSummary
from autograd_playground.core.render.dot_source import to_dot
from autograd_playground.core.render.layout import PIECE_LIMIT, LayoutError, layout_graph, run_dot
from autograd_playground.core.render.svg_pieces import pieces_svg

FORMAT_NAME = "autograd-playground.graph"
FORMAT_VERSION = 2
SUFFIXES = (".json", ".dot", ".svg", ".png")
# The engine draws a PNG at a pixel a point. Beyond this many pixels a side, image
# viewers and libraries refuse to open it, or run out of memory doing so.
MAX_PNG_SIDE = 32_767


class DrawingTooLarge(LayoutError, ValueError):
    """The drawing is too large for the format asked for."""


def _summary_fields(prefix: str, summary: TensorSummary | None) -> dict[str, Any]:
    if summary is None:
        return {prefix: None, f"{prefix}_stats": None}
    return {
        prefix: summary.values,
        f"{prefix}_stats": summary.stats,
        f"{prefix}_text": summary.text,
        f"{prefix}_nan_count": summary.nan_count,
        f"{prefix}_inf_count": summary.inf_count,
    }


def node_to_json(node: GraphNode) -> dict[str, Any]:
    """Return the JSON object of one node (see the README for the fields)."""
    data: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "label": node.label,
        "name": node.name,
        "op": node.op,
        "shape": list(node.shape) if node.shape is not None else None,
        "dtype": node.dtype,
        "device": node.device,
        "requires_grad": node.requires_grad,
        "is_leaf": node.is_leaf,
        "retains_grad": node.retains_grad,
        "grad_fn": node.grad_fn,
        "is_root": node.is_root,
        "line": node.line,
        "seq": node.seq,
        "iteration": node.iteration,
        "iterations": node.iterations,
        "module": node.module,
        "module_path": list(node.module_path),
        "version": node.version,
        "attributes": node.attributes,
        "saved_freed": node.saved_freed,
    }
    data.update(_summary_fields("value", node.value))
    data.update(_summary_fields("grad", node.grad))
    return data


_NONFINITE_TEXT = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _strict_json(value: Any) -> Any:
    """Replace NaN and infinities, which strict JSON has no numbers for, with their names."""
    if isinstance(value, float) and not math.isfinite(value):
        return _NONFINITE_TEXT[str(value)]
    if isinstance(value, list):
        return [_strict_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _strict_json(item) for key, item in value.items()}
    return value


def folds_to_json(graph: AutogradGraph) -> list[dict[str, Any]]:
    """Return what each box of ``graph`` (a closed fold) stands for."""
    return [
        {
            "node": node.id,
            "fold": node.name,
            "label": node.label,
            "ops": int(node.attributes.get("ops", 0)),
            "parameters": int(node.attributes.get("parameters", 0)),
            "repeats": int(node.attributes["repeats"]) if "repeats" in node.attributes else None,
        }
        for node in graph.nodes.values()
        if node.kind == "module"
    ]


def graph_to_json(graph: AutogradGraph) -> dict[str, Any]:
    """Return the versioned JSON document of ``graph``; ``folds`` only where boxes are drawn."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "roots": list(graph.roots),
        "nodes": [node_to_json(node) for node in graph.nodes.values()],
        "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in graph.edges],
    }
    folds = folds_to_json(graph)
    if folds:
        document["folds"] = folds
    return document


def graph_bytes(
    graph: AutogradGraph, suffix: str, *, direction: str = "TB", timeout: float = 60.0
) -> bytes:
    """Return ``graph`` in the format ``suffix`` names (".json", ".dot", ".svg" or ".png")."""
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"unknown output format {suffix!r}: use one of {', '.join(SUFFIXES)}")
    if suffix == ".json":
        document = _strict_json(graph_to_json(graph))
        return (json.dumps(document, indent=1, allow_nan=False) + "\n").encode("utf-8")
    if suffix == ".dot":
        return to_dot(graph, direction).encode("utf-8")
    if len(graph.nodes) > PIECE_LIMIT:
        if suffix == ".svg":
            return pieces_svg(graph, direction, timeout=timeout)
        _check_png_size(graph, direction, timeout)
    return run_dot(to_dot(graph, direction), suffix[1:], timeout=timeout)


def _check_png_size(graph: AutogradGraph, direction: str, timeout: float) -> None:
    """Raise DrawingTooLarge if ``graph``'s drawing has a side of more than MAX_PNG_SIDE pixels.

    The layout the window would show measures it: its boxes hold the same lines.
    """
    layout = layout_graph(graph, direction, timeout=timeout)
    width, height = round(layout.width), round(layout.height)
    if max(width, height) > MAX_PNG_SIDE:
        raise DrawingTooLarge(
            f"the drawing of {len(graph.nodes):,} nodes is about {width:,} × {height:,} "
            f"pixels, too large for a PNG (at most {MAX_PNG_SIDE:,} a side): save it as "
            "SVG, or fold it (collapse module calls) to draw fewer boxes"
        )


def write_graph(
    graph: AutogradGraph, path: Path, *, direction: str = "TB", timeout: float = 60.0
) -> None:
    """Write ``graph`` to ``path`` in the format its suffix names."""
    data = graph_bytes(graph, path.suffix, direction=direction, timeout=timeout)
    path.write_bytes(data)
