"""Which folds a big graph opens with: the outermost structure that reads at a legible zoom.

The candidates open every module call above some depth and keep every repeat
fold closed: depth 0 draws the outermost calls as boxes, each deeper candidate
opens one more level. A call that holds nothing but one repeat fold (a
``blocks`` container) counts as open, so its repeat box shows instead. A
candidate where one closed call holds most of the ops is no outline (a single
"GPT" box) and is skipped. Of the rest, the deepest whose estimated drawing fits
the legible area is the opening; the shallowest is the outline, which "collapse
all" draws.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from autograd_playground.core.graph.fold_draw import box_of_each_fold, draw_folds
from autograd_playground.core.graph.fold_groups import fold_sizes
from autograd_playground.core.graph.fold_tree import build_fold_tree
from autograd_playground.core.graph.folds import FoldTree
from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.extent import estimated_extent
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics

DOMINANT_SHARE = 0.8  # of all ops, in one closed call: the box is no outline
# Graphs of more nodes open folded; smaller ones open whole, every loop unrolled.
FOLD_THRESHOLD = 600


@dataclass(frozen=True)
class OpeningChoice:
    """The folds drawn closed at the opening, and in the outline "collapse all" draws."""

    opening: frozenset[str]
    outline: frozenset[str]


def _containers(graph: AutogradGraph, tree: FoldTree) -> set[str]:
    """Return the module folds that hold one repeat fold and nothing else."""
    owning = set(tree.owner.values())
    return {
        fold_id
        for fold_id, fold in tree.folds.items()
        if fold.kind == "module"
        and fold_id not in owning
        and len(fold.children) == 1
        and tree.folds[fold.children[0]].kind == "repeat"
    }


def candidate_states(graph: AutogradGraph, tree: FoldTree) -> list[frozenset[str]]:
    """Return the closed folds of each candidate opening, shallowest first, none twice."""
    repeats = {fold_id for fold_id, fold in tree.folds.items() if fold.kind == "repeat"}
    containers = _containers(graph, tree)
    depth = {
        fold_id: graph.module_calls[fold.call_id].depth
        for fold_id, fold in tree.folds.items()
        if fold.kind == "module" and fold.call_id in graph.module_calls
    }
    has_calls = {tree.folds[fold_id].parent for fold_id in depth}
    states: list[frozenset[str]] = []
    seen: set[frozenset[str]] = set()
    for level in range(max(depth.values(), default=-1) + 2):
        closed = repeats | {
            fold_id
            for fold_id, call_depth in depth.items()
            if fold_id not in containers
            and (call_depth == level or (call_depth < level and fold_id not in has_calls))
        }
        drawn = drawn_boxes(tree, frozenset(closed))
        if drawn not in seen:
            seen.add(drawn)
            states.append(frozenset(closed))
    return states


def _is_outline(
    graph: AutogradGraph, tree: FoldTree, closed: frozenset[str], ops: Counter[str]
) -> bool:
    """Whether no closed module call drawn in this state holds most of the ops."""
    total = sum(node.kind == "op" for node in graph.nodes.values())
    return not any(
        box == fold_id
        and tree.folds[fold_id].kind == "module"
        and ops[fold_id] > DOMINANT_SHARE * total
        for fold_id, box in box_of_each_fold(tree, closed).items()
    )


def choose_opening(
    graph: AutogradGraph,
    tree: FoldTree,
    legible_area: tuple[float, float],
    direction: str = "TB",
    metrics: TextMetrics = ENGINE_METRICS,
) -> OpeningChoice:
    """Return the folds a view of ``graph`` opens with closed, and its outline's."""
    _, ops = fold_sizes(graph, tree)
    states = candidate_states(graph, tree)
    outlines = [state for state in states if _is_outline(graph, tree, state, ops)] or states[-1:]
    if not outlines:
        return OpeningChoice(frozenset(), frozenset())
    opening = outlines[0]
    for state in outlines[1:]:
        width, height = estimated_extent(
            draw_folds(graph, tree, state, contents=False), direction, metrics
        )
        if width > legible_area[0] or height > legible_area[1]:
            break
        opening = state
    return OpeningChoice(opening=drawn_boxes(tree, opening), outline=drawn_boxes(tree, outlines[0]))


def drawn_boxes(tree: FoldTree, closed: frozenset[str]) -> frozenset[str]:
    """Return the closed folds drawn as boxes: those no other closed fold hides."""
    return frozenset(
        fold_id for fold_id, box in box_of_each_fold(tree, closed).items() if box == fold_id
    )


def opening_drawing(
    graph: AutogradGraph,
    threshold: int = FOLD_THRESHOLD,
    legible_area: tuple[float, float] = (1000.0, 700.0),
    direction: str = "TB",
    metrics: TextMetrics = ENGINE_METRICS,
) -> AutogradGraph:
    """Return ``graph`` as a window opens it: whole up to ``threshold`` nodes, else folded
    to the outermost structure that reads in ``legible_area`` (for exports and notebooks).

    ``graph`` needs its module calls assigned (extract_graph does it).
    """
    if len(graph.nodes) <= threshold:
        return graph
    tree = build_fold_tree(graph)
    closed = choose_opening(graph, tree, legible_area, direction, metrics).opening
    return draw_folds(graph, tree, closed) if closed else graph
