"""``autograd_playground.graph(y)``: the export's drawing of a graph, shown inline by Jupyter.

The graph is read when ``graph`` is called, so a later change to the tensors does
not change a drawing already made; the picture is drawn on first display and
kept. Tensors take the names they have among the caller's variables, as the
export command's script variables give theirs.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd_playground.core.render.export import SUFFIXES, graph_bytes

if TYPE_CHECKING:
    from autograd_playground.core.graph.graph_model import AutogradGraph

DIRECTIONS = ("TB", "LR")
UNNAMED_ROOT = "output"


class GraphDrawing:
    """An autograd graph drawn as ``autograd-playground export`` draws it, legend included.

    Jupyter shows it inline (``_repr_svg_``); ``save`` writes it as SVG, PNG, JSON
    or DOT; ``graph`` is the plain data it was drawn from.
    """

    def __init__(self, graph: AutogradGraph, *, direction: str = "TB", timeout: float = 60.0):
        self.graph = graph
        self.direction = direction
        self.timeout = timeout
        self._drawn: dict[str, bytes] = {}

    def to_bytes(self, suffix: str) -> bytes:
        """Return the drawing in the format ``suffix`` names: .svg, .png, .json or .dot."""
        suffix = suffix.lower()
        if suffix not in self._drawn:
            self._drawn[suffix] = graph_bytes(
                self.graph, suffix, direction=self.direction, timeout=self.timeout
            )
        return self._drawn[suffix]

    def save(self, path: str | Path) -> Path:
        """Write the drawing to ``path``, in the format its suffix names; return the path."""
        path = Path(path)
        if path.suffix.lower() not in SUFFIXES:
            given = repr(path.suffix) if path.suffix else "no suffix"
            raise ValueError(
                f"cannot save {path.name!r}: its suffix picks the format, and {given} is "
                f"none of {', '.join(SUFFIXES)}"
            )
        path.write_bytes(self.to_bytes(path.suffix))
        return path

    def _repr_svg_(self) -> str:
        return self.to_bytes(".svg").decode("utf-8")

    def __repr__(self) -> str:
        graph = self.graph
        return (
            f"<GraphDrawing: {len(graph)} nodes, {len(graph.ops())} ops, {len(graph.edges)} edges>"
        )


def graph(
    *roots: Any,
    namespace: Mapping[str, Any] | None = None,
    include_saved: bool = True,
    direction: str = "TB",
    timeout: float = 60.0,
    expand_all: bool = False,
) -> GraphDrawing:
    """Return the drawing of the autograd graph behind ``roots``, with values and legend.

    Each root is a tensor or the name of one, as the export command's ``--root``;
    with none, every tensor in ``namespace`` that has a grad_fn, and the leaves
    that need a gradient. ``namespace`` (by default the caller's variables) names
    the tensors; a root tensor it does not hold is called "output". Without
    ``include_saved`` the tensors that ops saved for backward are left out, and
    ``direction`` draws top to bottom ("TB") or left to right ("LR"). A graph of more
    than 600 nodes is drawn folded as the window opens it (repeats as one box "× N");
    ``expand_all`` draws every op.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if namespace is None:
        caller = sys._getframe(1)
        namespace = {**caller.f_globals, **caller.f_locals}
    # Imported here: importing the package must not import torch.
    from autograd_playground.core.graph.extract import extract_graph

    names, root_names = _name_roots(namespace, roots)
    extracted = extract_graph(names, root_names, include_saved=include_saved)
    if not expand_all:
        from autograd_playground.core.render.opening import opening_drawing

        extracted = opening_drawing(extracted, direction=direction)
    return GraphDrawing(extracted, direction=direction, timeout=timeout)


def _name_roots(
    namespace: Mapping[str, Any], roots: tuple[Any, ...]
) -> tuple[dict[str, Any], list[str] | None]:
    """Return the namespace to extract from, and the roots' names in it (None: all)."""
    import torch

    from autograd_playground.core.graph.extract import named_tensors

    if not roots:
        return dict(namespace), None
    names = dict(namespace)
    known = named_tensors(names)
    root_names: list[str] = []
    for root in roots:
        if isinstance(root, str):
            root_names.append(root)
        elif isinstance(root, torch.Tensor):
            entry = known.get(id(root))
            if entry is None or entry[1] is not root:
                entry = (_free_name(names), root)
                names[entry[0]] = root
                known[id(root)] = entry
            root_names.append(entry[0])
        else:
            raise TypeError(
                f"a root is a tensor or the name of one, not {type(root).__name__}: {root!r:.60}"
            )
    return names, root_names


def _free_name(names: Mapping[str, Any]) -> str:
    """Return "output", or "output_2", "output_3"... if that is taken."""
    candidate, copy = UNNAMED_ROOT, 1
    while candidate in names:
        copy += 1
        candidate = f"{UNNAMED_ROOT}_{copy}"
    return candidate
